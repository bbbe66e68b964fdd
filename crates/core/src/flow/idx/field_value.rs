//! The value of an IDX form field or option: text (kept as a [`Secret`] straight from the
//! parser, since the state handle and the interaction code travel this way), a flag, a
//! number, or a nested form.

use std::fmt;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::wire::NestedForm;
use crate::secret::Secret;

/// A field's or an option's value. Strings are kept as [`Secret`]s straight from the parser,
/// so a state handle or an interaction code is never left in plain memory.
#[derive(Debug, Clone)]
pub(crate) enum FieldValue {
    Text(Secret),
    Bool(bool),
    Number(serde_json::Number),
    Form(NestedForm),
    /// Anything else (a list, `null`, an object without a form): kept out of requests.
    Other,
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = FieldValue;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an IDX field value")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(Secret::new(value)))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(Secret::new(value)))
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<FieldValue, E> {
                Ok(FieldValue::Bool(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<FieldValue, E> {
                Ok(FieldValue::Number(value.into()))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<FieldValue, E> {
                Ok(FieldValue::Number(value.into()))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<FieldValue, E> {
                Ok(serde_json::Number::from_f64(value)
                    .map_or(FieldValue::Other, FieldValue::Number))
            }
            fn visit_unit<E: de::Error>(self) -> Result<FieldValue, E> {
                Ok(FieldValue::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<FieldValue, E> {
                Ok(FieldValue::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FieldValue, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FieldValue::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldValue, A::Error> {
                #[derive(Deserialize)]
                struct WithForm {
                    #[serde(default)]
                    form: Option<NestedForm>,
                }
                let with = WithForm::deserialize(MapAccessDeserializer::new(map))?;
                Ok(with.form.map_or(FieldValue::Other, FieldValue::Form))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}
