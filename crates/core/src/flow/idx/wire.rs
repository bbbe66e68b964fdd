//! IDX answers as Okta sends them (`introspect` and every remediation): the forms to fill
//! next, the authenticators they speak of, and the messages. Only what the driver reads is
//! modelled; every string value a form carries is a [`Secret`] (the state handle and the
//! interaction code travel as form values), and every text for people is made plain.

use serde::Deserialize;
use serde::de::Deserializer;

pub(crate) use super::fields::{Field, FieldOption, FieldValue, NestedForm};
use super::lenient;
pub(crate) use super::messages::{Collection, Message};

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
