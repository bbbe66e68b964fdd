//! The fields of IDX forms: a field (its name, label, whether it is required, its value or
//! nested form, its options and messages), the forms nested in fields and options, and the
//! value of a field or option: text (kept as a [`Secret`] straight from the
//! parser, since the state handle and the interaction code travel this way), a flag, a
//! number, or a nested form.

use std::fmt;

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::lenient;
use super::messages::{Collection, Message};
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

/// A field of a form: its name, whether it is required, and its value when Okta set one (the
/// state handle), or a nested form (`credentials`, `authenticator`), or options to pick from.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Field {
    pub name: String,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub label: Option<String>,
    /// Okta's recordings carry it as a boolean and as a string (`"required": "false"`).
    #[serde(default, deserialize_with = "lenient::flag")]
    pub required: bool,
    #[serde(default)]
    pub value: Option<FieldValue>,
    #[serde(default)]
    pub form: Option<NestedForm>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub options: Vec<FieldOption>,
    #[serde(default)]
    pub messages: Option<Collection<Vec<Message>>>,
}

impl Field {
    /// The fields inside this one: `form.value`, or `value.form.value`.
    pub fn nested(&self) -> Option<&NestedForm> {
        self.form.as_ref().or(match &self.value {
            Some(FieldValue::Form(form)) => Some(form),
            _ => None,
        })
    }

    /// The text value Okta set, if any.
    pub fn text(&self) -> Option<&Secret> {
        match &self.value {
            Some(FieldValue::Text(text)) => Some(text),
            _ => None,
        }
    }

    /// The plain values of the options (`sms`, `voice`; `qrcode`, `email`).
    pub fn option_values(&self) -> Vec<&str> {
        self.options
            .iter()
            .filter_map(|option| match &option.value {
                Some(FieldValue::Text(value)) => Some(value.expose()),
                _ => None,
            })
            .collect()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct NestedForm {
    #[serde(default, deserialize_with = "lenient::list")]
    pub value: Vec<Field>,
}

impl NestedForm {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.value.iter().find(|field| field.name == name)
    }
}

/// One option of a field: a plain value (`sms`) or a whole nested form (an authenticator).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FieldOption {
    #[serde(default, deserialize_with = "lenient::text")]
    pub label: String,
    #[serde(default)]
    pub value: Option<FieldValue>,
    #[serde(default)]
    pub relates_to: Option<String>,
}

impl FieldOption {
    pub fn nested(&self) -> Option<&NestedForm> {
        match &self.value {
            Some(FieldValue::Form(form)) => Some(form),
            _ => None,
        }
    }
}
