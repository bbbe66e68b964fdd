//! Filling a remediation form the way Okta describes it: every field by its name, nested
//! forms (`credentials`, `authenticator`) as objects, an option picked by its place, and the
//! values Okta set (the state handle, an authenticator's id) sent back as they came.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::wire::{Field, FieldValue, Form};
use crate::client::ION_JSON;
use crate::secret::Secret;

/// What the person (or the driver) puts into a form, by dotted path
/// (`identifier`, `credentials.passcode`, `authenticator.methodType`).
#[derive(Default)]
pub(crate) struct Inputs(Vec<(String, Input)>);

enum Input {
    Text(Secret),
    /// A boolean field (`rememberMe`, `keepMeSignedIn`).
    Flag(bool),
    /// Pick the option at this place of a field whose options are nested forms.
    Choice(usize),
}

impl Inputs {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(mut self, path: &str, value: impl Into<Secret>) -> Self {
        self.0.push((path.to_owned(), Input::Text(value.into())));
        self
    }

    pub fn flag(mut self, path: &str, value: bool) -> Self {
        self.0.push((path.to_owned(), Input::Flag(value)));
        self
    }

    pub fn choice(mut self, path: &str, option: usize) -> Self {
        self.0.push((path.to_owned(), Input::Choice(option)));
        self
    }

    fn get(&self, path: &str) -> Option<&Input> {
        self.0
            .iter()
            .find(|(at, _)| at == path)
            .map(|(_, input)| input)
    }
}

/// A filled form, ready to send. Serialises the secrets it holds: it only ever goes into a
/// request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Text(Secret),
    Bool(bool),
    Number(serde_json::Number),
    Object(Vec<(String, Body)>),
}

impl Serialize for Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => serializer.serialize_str(text.expose()),
            Self::Bool(value) => serializer.serialize_bool(*value),
            Self::Number(number) => number.serialize(serializer),
            Self::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (name, value) in fields {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}

impl Body {
    /// The top-level text fields, for a form-encoded request (`token`).
    pub fn into_pairs(self) -> Vec<(String, Secret)> {
        match self {
            Self::Object(fields) => fields
                .into_iter()
                .filter_map(|(name, value)| match value {
                    Self::Text(text) => Some((name, text)),
                    Self::Bool(value) => Some((name, Secret::new(value.to_string()))),
                    Self::Number(number) => Some((name, Secret::new(number.to_string()))),
                    Self::Object(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Form {
    /// The form filled with `inputs` and the values Okta set. `Err` names a required field
    /// that nothing fills.
    pub fn fill(&self, inputs: &Inputs) -> Result<Body, String> {
        fill_fields(&self.value, "", inputs).map(Body::Object)
    }

    /// The field at a dotted path (`credentials.passcode`), looking into nested forms and
    /// into the first option that has the next name.
    pub fn field(&self, path: &str) -> Option<&Field> {
        let mut names = path.split('.');
        let first = names.next()?;
        let mut field = self.value.iter().find(|f| f.name == first)?;
        for name in names {
            field = match field.nested().and_then(|nested| nested.field(name)) {
                Some(found) => found,
                None => field
                    .options
                    .iter()
                    .filter_map(|option| option.nested())
                    .find_map(|nested| nested.field(name))?,
            };
        }
        Some(field)
    }

    pub fn asks_for(&self, path: &str) -> bool {
        self.field(path).is_some()
    }

    /// The JSON media type to send: the form's `accepts` when it names a JSON type plainly
    /// (`application/json; okta-version=1.0.0`), IDX's own otherwise (some answers carry a
    /// pattern there instead of a type).
    pub fn content_type(&self) -> &str {
        match self.accepts.as_deref().map(str::trim) {
            Some(accepts)
                if (accepts.starts_with("application/json")
                    || accepts.starts_with("application/ion+json"))
                    && !accepts.contains('\\') =>
            {
                accepts
            }
            _ => ION_JSON,
        }
    }
}

fn fill_fields(
    fields: &[Field],
    prefix: &str,
    inputs: &Inputs,
) -> Result<Vec<(String, Body)>, String> {
    let mut filled = Vec::new();
    for field in fields {
        let path = if prefix.is_empty() {
            field.name.clone()
        } else {
            format!("{prefix}.{}", field.name)
        };
        if let Some(value) = fill_field(field, &path, inputs)? {
            filled.push((field.name.clone(), value));
        }
    }
    Ok(filled)
}

fn fill_field(field: &Field, path: &str, inputs: &Inputs) -> Result<Option<Body>, String> {
    match inputs.get(path) {
        Some(Input::Text(text)) => return Ok(Some(Body::Text(text.clone()))),
        Some(Input::Flag(value)) => return Ok(Some(Body::Bool(*value))),
        Some(Input::Choice(index)) => {
            let option = field
                .options
                .get(*index)
                .ok_or_else(|| format!("{path} (option {index})"))?;
            return match &option.value {
                Some(FieldValue::Form(nested)) => {
                    fill_fields(&nested.value, path, inputs).map(|f| Some(Body::Object(f)))
                }
                Some(value) => Ok(plain(value)),
                None => Err(format!("{path} (option {index})")),
            };
        }
        None => {}
    }
    if let Some(nested) = field.nested() {
        let filled = fill_fields(&nested.value, path, inputs)?;
        return Ok((field.required || !filled.is_empty()).then_some(Body::Object(filled)));
    }
    match field.value.as_ref().and_then(plain) {
        Some(value) => Ok(Some(value)),
        None if field.required => Err(path.to_owned()),
        None => Ok(None),
    }
}

fn plain(value: &FieldValue) -> Option<Body> {
    match value {
        FieldValue::Text(text) => Some(Body::Text(text.clone())),
        FieldValue::Bool(value) => Some(Body::Bool(*value)),
        FieldValue::Number(number) => Some(Body::Number(number.clone())),
        FieldValue::Form(_) | FieldValue::Other => None,
    }
}
