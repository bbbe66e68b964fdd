//! The pieces IDX responses are built of: Ion forms (`rel`, `name`, `href`, `method`,
//! `accepts`, `produces`, `value` fields, the immutable hidden `stateHandle`), the option
//! lists that select an authenticator, the objects that wrap values (`{type, value}`), the
//! poll interval and Okta Verify's `autoChallenge` field.

use serde_json::{Value, json};

use super::messages::ION_JSON;

/// What IDX remediations accept from clients.
const ACCEPTS: &str = "application/json; okta-version=1.0.0";

/// Milliseconds Okta asks clients to wait between polls.
pub(crate) const POLL_REFRESH_MS: u64 = 4000;

/// Builds the forms of one response: they share the org URL and the state handle.
pub(crate) struct FormBuilder<'a> {
    pub origin: &'a str,
    pub state_handle: &'a str,
}

impl FormBuilder<'_> {
    pub(crate) fn state_handle_field(&self) -> Value {
        json!({
            "name": "stateHandle",
            "required": true,
            "value": self.state_handle,
            "visible": false,
            "mutable": false,
        })
    }

    /// A form posting `fields` plus the state handle to `path` on the org.
    pub(crate) fn form(&self, name: &str, path: &str, fields: Vec<Value>) -> Value {
        let mut value = fields;
        value.push(self.state_handle_field());
        json!({
            "rel": ["create-form"],
            "name": name,
            "href": format!("{}{path}", self.origin),
            "method": "POST",
            "produces": ION_JSON,
            "value": value,
            "accepts": ACCEPTS,
        })
    }

    /// A form that relates to an object elsewhere in the response (`$.currentAuthenticator`).
    pub(crate) fn related_form(
        &self,
        name: &str,
        path: &str,
        relates_to: &str,
        fields: Vec<Value>,
    ) -> Value {
        let mut form = self.form(name, path, fields);
        form["relatesTo"] = json!([relates_to]);
        form
    }

    /// A polling form: `refresh` says how many milliseconds to wait between polls.
    pub(crate) fn poll_form(
        &self,
        name: &str,
        path: &str,
        relates_to: &str,
        refresh_ms: u64,
    ) -> Value {
        let mut form = self.related_form(name, path, relates_to, Vec::new());
        form["refresh"] = json!(refresh_ms);
        form
    }
}

/// A `credentials` object field holding one sub-field (`passcode`, `totp`, `answer`).
pub(crate) fn credentials_field(name: &str, label: &str, secret: bool) -> Value {
    let mut inner = json!({ "name": name, "label": label, "required": true });
    if secret {
        inner["secret"] = json!(true);
    }
    json!({
        "name": "credentials",
        "type": "object",
        "form": { "value": [inner] },
        "required": true,
    })
}

/// One option of an `authenticator` select: its id fixed, its methods fixed when there is
/// one, offered when there are several.
pub(crate) fn authenticator_option(
    label: &str,
    authenticator_id: &str,
    methods: &[(&str, &str)],
    relates_to: String,
) -> Value {
    let method_field = match methods {
        [(method, _)] => json!({
            "name": "methodType",
            "required": false,
            "value": method,
            "mutable": false,
        }),
        several => json!({
            "name": "methodType",
            "type": "string",
            "required": false,
            "options": several
                .iter()
                .map(|(method, label)| json!({ "label": label, "value": method }))
                .collect::<Vec<_>>(),
        }),
    };
    json!({
        "label": label,
        "value": { "form": { "value": [
            { "name": "id", "required": true, "value": authenticator_id, "mutable": false },
            method_field,
        ] } },
        "relatesTo": relates_to,
    })
}

/// The `authenticator` field of a select form.
pub(crate) fn authenticator_select(options: Vec<Value>) -> Value {
    json!({
        "name": "authenticator",
        "type": "object",
        "required": true,
        "options": options,
    })
}

/// `{type: "object", value}`.
pub(crate) fn object(value: Value) -> Value {
    json!({ "type": "object", "value": value })
}

/// `{type: "array", value}`.
pub(crate) fn array(values: Vec<Value>) -> Value {
    json!({ "type": "array", "value": values })
}

/// How a method is offered to the person choosing.
pub(crate) fn method_label(method: &str) -> &'static str {
    match method {
        "push" => "Get a push notification",
        "totp" | "otp" => "Enter a code",
        "sms" => "SMS",
        "voice" => "Voice call",
        "email" => "Email",
        "password" => "Password",
        _ => "Verify",
    }
}

/// Okta Verify's "send push automatically" choice, as Okta's recordings carry it: a
/// boolean field whose `required` is the string `"false"`.
pub(crate) fn auto_challenge_field(value: bool) -> serde_json::Value {
    json!({
        "name": "autoChallenge",
        "type": "boolean",
        "required": "false",
        "value": value,
        "label": "Send push automatically",
    })
}
