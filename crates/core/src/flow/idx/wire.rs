//! IDX answers as Okta sends them (`introspect` and every remediation): the forms to fill
//! next, the authenticators they speak of, and the messages. Only what the driver reads is
//! modelled; every string value a form carries is a [`Secret`] (the state handle and the
//! interaction code travel as form values), and every text for people is made plain.

use serde::Deserialize;
use serde::de::Deserializer;

pub(crate) use super::field_value::FieldValue;

use crate::secret::Secret;
use crate::wire::PasswordComplexity;

/// One IDX answer. `version` is required: it tells an IDX document from Okta's other error
/// bodies, which IDX endpoints also send (429, some 5xx).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdxResponse {
    #[allow(dead_code)] // Read by serde to tell IDX documents from other bodies.
    pub version: String,
    #[serde(default)]
    pub remediation: Option<Collection<Vec<Form>>>,
    #[serde(default)]
    pub messages: Option<Collection<Vec<Message>>>,
    #[serde(default)]
    pub current_authenticator: Option<Collection<Authenticator>>,
    #[serde(default)]
    pub current_authenticator_enrollment: Option<Collection<Authenticator>>,
    #[serde(default, deserialize_with = "authenticator_list")]
    pub authenticators: Option<Collection<Vec<Authenticator>>>,
    #[serde(default, deserialize_with = "authenticator_list")]
    pub authenticator_enrollments: Option<Collection<Vec<Authenticator>>>,
    #[serde(default)]
    pub user: Option<Collection<IdxUser>>,
    #[serde(default)]
    pub cancel: Option<Form>,
    #[serde(default)]
    pub success_with_interaction_code: Option<Form>,
}

/// Ion's `{"type": ..., "value": ...}` wrapper.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Collection<T> {
    pub value: T,
}

impl IdxResponse {
    /// The forms Okta offers, in its order (the first is the step in play).
    pub fn forms(&self) -> &[Form] {
        self.remediation
            .as_ref()
            .map_or(&[], |r| r.value.as_slice())
    }

    pub fn form(&self, name: &str) -> Option<&Form> {
        self.forms().iter().find(|form| form.name == name)
    }

    /// The authenticator the step in play is about: the enrolled one being verified, or the
    /// one being enrolled.
    pub fn current(&self) -> Option<&Authenticator> {
        self.current_authenticator_enrollment
            .as_ref()
            .or(self.current_authenticator.as_ref())
            .map(|c| &c.value)
    }

    /// Every message of any class (ERROR, WARNING, INFO): the answer's own, then those on
    /// the fields of its forms.
    pub fn messages(&self) -> Vec<&Message> {
        let mut all: Vec<&Message> = self.messages.iter().flat_map(|m| m.value.iter()).collect();
        for form in self.forms() {
            collect_field_messages(&form.value, &mut all);
        }
        all
    }

    /// Every error message: the answer's own and those on the fields of its forms (a wrong
    /// code is reported on `credentials.passcode`).
    pub fn errors(&self) -> Vec<&Message> {
        let mut errors: Vec<&Message> = self
            .messages
            .iter()
            .flat_map(|m| m.value.iter())
            .filter(|m| m.is_error())
            .collect();
        for form in self.forms() {
            collect_field_errors(&form.value, &mut errors);
        }
        errors
    }

    /// An authenticator a select option points at (`relatesTo`: `$.authenticators.value[2]`
    /// or `$.authenticatorEnrollments.value[0]`).
    pub fn related(&self, path: &str) -> Option<&Authenticator> {
        let (list, index) = path.strip_prefix("$.")?.split_once(".value[")?;
        let index: usize = index.strip_suffix(']')?.parse().ok()?;
        let list = match list {
            "authenticators" => self.authenticators.as_ref(),
            "authenticatorEnrollments" => self.authenticator_enrollments.as_ref(),
            _ => None,
        }?;
        list.value.get(index)
    }
}

fn collect_field_messages<'a>(fields: &'a [Field], all: &mut Vec<&'a Message>) {
    for field in fields {
        if let Some(messages) = &field.messages {
            all.extend(messages.value.iter());
        }
        for nested in field.nested().into_iter().chain(option_forms(field)) {
            collect_field_messages(&nested.value, all);
        }
    }
}

/// The forms inside a field's options: a security question's "choose one" and "write your
/// own", whose inputs carry Okta's refusals.
fn option_forms(field: &Field) -> impl Iterator<Item = &NestedForm> {
    field.options.iter().filter_map(FieldOption::nested)
}

fn collect_field_errors<'a>(fields: &'a [Field], errors: &mut Vec<&'a Message>) {
    for field in fields {
        if let Some(messages) = &field.messages {
            errors.extend(messages.value.iter().filter(|m| m.is_error()));
        }
        for nested in field.nested().into_iter().chain(option_forms(field)) {
            collect_field_errors(&nested.value, errors);
        }
    }
}

/// A remediation: a form to POST to `href` with its fields filled.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Form {
    #[serde(deserialize_with = "crate::plain_text::deserialize_code")]
    pub name: String,
    #[serde(default)]
    pub href: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub accepts: Option<String>,
    /// Milliseconds to wait before POSTing a poll form again.
    #[serde(default, deserialize_with = "lenient::number")]
    pub refresh: Option<f64>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub value: Vec<Field>,
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

/// A message for the person: an error on what was sent, or information.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Message {
    #[serde(default, deserialize_with = "lenient::text")]
    pub message: String,
    #[serde(default)]
    pub i18n: Option<MessageKey>,
    #[serde(default)]
    pub class: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MessageKey {
    #[serde(default, deserialize_with = "lenient::code")]
    pub key: String,
}

impl Message {
    pub fn is_error(&self) -> bool {
        self.class.as_deref().is_none_or(|class| class == "ERROR")
    }

    pub fn key(&self) -> &str {
        self.i18n.as_ref().map_or("", |i18n| i18n.key.as_str())
    }
}

/// An authenticator, or an enrollment of one, as IDX describes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Authenticator {
    #[serde(default)]
    pub id: Option<String>,
    /// Okta's kind of authenticator: `okta_verify`, `phone_number`, `okta_email`,
    /// `security_question`, `google_otp`, `okta_password`, `webauthn`...
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub methods: Vec<AuthenticatorMethod>,
    #[serde(default)]
    pub profile: Option<AuthenticatorProfile>,
    #[serde(default)]
    pub contextual_data: Option<ContextualData>,
    /// Send the code (or push) again.
    #[serde(default)]
    pub resend: Option<Form>,
    /// Start a password reset from here (okta-auth-js's `currentAuthenticator-recover` and
    /// `currentAuthenticatorEnrollment-recover`).
    #[serde(default)]
    pub recover: Option<Form>,
    #[serde(default)]
    pub settings: Option<AuthenticatorSettings>,
}

impl Authenticator {
    pub fn key(&self) -> &str {
        self.key.as_deref().unwrap_or_default()
    }

    /// The method in play (`push`, `totp`, `sms`, `voice`...), when there is exactly one.
    pub fn method(&self) -> Option<&str> {
        match self.methods.as_slice() {
            [only] => Some(only.kind.as_str()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct AuthenticatorMethod {
    #[serde(
        default,
        rename = "type",
        alias = "methodType",
        deserialize_with = "lenient::text"
    )]
    pub kind: String,
}

/// Where codes go, and which phone, as Okta shows them (masked).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuthenticatorProfile {
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub phone_number: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub device_name: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub question: Option<String>,
}

/// What the step in play needs shown: a QR code, the number to tap, the questions to pick.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContextualData {
    #[serde(default)]
    pub qrcode: Option<QrCode>,
    #[serde(default)]
    pub shared_secret: Option<Secret>,
    /// The number challenge. Okta sends it as a string ("10"); a number is taken too.
    #[serde(default, deserialize_with = "number_or_string")]
    pub correct_answer: Option<u32>,
    /// `qrcode`, `email` or `sms`: how Okta Verify is being set up.
    #[serde(default)]
    pub selected_channel: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub questions: Vec<IdxQuestion>,
    #[serde(default)]
    pub enrolled_question: Option<IdxQuestion>,
}

/// The enrollment QR code: a `data:image/png;base64,...` URI. It grants enrollment to whoever
/// scans it, so it is a secret.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct QrCode {
    pub href: Secret,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdxQuestion {
    #[serde(default, deserialize_with = "lenient::text")]
    pub question_key: String,
    #[serde(default, deserialize_with = "lenient::text")]
    pub question: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuthenticatorSettings {
    #[serde(default)]
    pub complexity: Option<PasswordComplexity>,
    #[serde(default, deserialize_with = "number_or_string")]
    pub days_to_expiry: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct IdxUser {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "crate::plain_text::deserialize_option")]
    pub identifier: Option<String>,
}

/// A list of authenticators whose items may not all be authenticators: Okta's recorded
/// `authenticator-reset-password` lists a lone string (a zero-width space) as an enrollment.
/// Such an item reads as an empty authenticator, keeping the places `relatesTo` counts.
fn authenticator_list<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Collection<Vec<Authenticator>>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Listed {
        Known(Box<Authenticator>),
        Other(serde::de::IgnoredAny),
    }
    #[derive(Deserialize)]
    struct List {
        #[serde(default, deserialize_with = "lenient::list")]
        value: Vec<Listed>,
    }
    let list = Option::<List>::deserialize(deserializer)?;
    Ok(list.map(|list| Collection {
        value: list
            .value
            .into_iter()
            .map(|item| match item {
                Listed::Known(authenticator) => *authenticator,
                Listed::Other(_) => Authenticator::default(),
            })
            .collect(),
    }))
}

fn number_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    Ok(lenient::number(deserializer)?
        .filter(|number| number.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(number))
        .map(|number| number as u32))
}

/// Reading what Okta sends where its answers disagree with each other: booleans and numbers
/// as strings (`"required": "false"`, `"correctAnswer": "42"`), `null` where a list or a text
/// is usual. A value that cannot be read as what is expected is read as absent, never as a
/// broken answer: the sign-in goes on whenever the answer has a path forward.
mod lenient {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::Deserialize;
    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::Value;

    /// A flag: `true`/`false`, or the strings `"true"`/`"false"`; anything else is `false`.
    pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Bool(value) => value,
            Value::String(text) => text.trim().eq_ignore_ascii_case("true"),
            _ => false,
        })
    }

    /// A number, or a string holding one; anything else is absent.
    pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        })
    }

    /// A list; `null` (or anything but a list) is an empty one. Read item by item straight
    /// from the parser, so the secrets in forms never pass through plain memory.
    pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        deserializer: D,
    ) -> Result<Vec<T>, D::Error> {
        struct ListVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(items)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Vec::new())
            }
        }

        deserializer.deserialize_any(ListVisitor(PhantomData))
    }

    /// A code-like text (an i18n key) held to the code alphabet; `null` is empty.
    pub fn code<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::String(text) => crate::plain_text::code_text(&text),
            _ => String::new(),
        })
    }

    /// A text for people, made plain; `null` is empty, and a number or a flag is its text.
    pub fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::String(text) => crate::plain_text(&text),
            Value::Number(number) => number.to_string(),
            Value::Bool(value) => value.to_string(),
            _ => String::new(),
        })
    }
}
