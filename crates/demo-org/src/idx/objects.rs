//! How authenticators and a user's enrollments appear inside IDX responses: the
//! `authenticatorEnrollments` entries and `currentAuthenticatorEnrollment` (with the masked
//! phone or email, the enrolled question, the Okta Verify device), the options of the select
//! forms and what they relate to, Okta Verify's channel choice, the password policy.

use serde_json::{Value, json};

use super::authenticators::{Authenticator, UserEnrollment, methods_json, password_enrollment_id};
use super::forms::{
    FormBuilder, array, authenticator_option, authenticator_select, method_label, object,
};
use super::store::EnrollChannel;
use crate::org::factors::FactorKind;
use crate::org::users::User;

pub(super) fn password_enrollment(user: &User) -> UserEnrollment {
    UserEnrollment {
        authenticator: Authenticator::Password,
        id: password_enrollment_id(user),
        methods: vec![("password", String::new())],
    }
}

/// A user's enrollment as `authenticatorEnrollments.value[]` and
/// `currentAuthenticatorEnrollment.value` show it; `chosen` narrows the methods to the one
/// being verified and adds what the person needs to see (masked phone or email, question).
pub(super) fn enrollment_json(
    enrollment: &UserEnrollment,
    chosen: Option<FactorKind>,
    user: &User,
) -> Value {
    let authenticator = enrollment.authenticator;
    let methods = match chosen {
        Some(kind) => vec![Authenticator::method_of(kind)],
        None => enrollment.method_names(),
    };
    let mut value = json!({
        "type": authenticator.catalogue_json()["type"],
        "key": authenticator.key(),
        "id": enrollment.id,
        "displayName": authenticator.display_name(),
        "methods": methods_json(&methods),
    });
    let factor = enrollment
        .methods
        .first()
        .and_then(|(_, factor_id)| user.factor(factor_id));
    match (authenticator, factor) {
        (Authenticator::OktaVerify, Some(factor)) => {
            if let Some(device) = factor.device {
                value["profile"] = json!({ "deviceName": device.name });
            }
        }
        (Authenticator::Phone, Some(factor)) => {
            value["profile"] = json!({
                "phoneNumber": crate::org::codes::masked_phone(factor.phone.as_deref().unwrap_or_default()),
            });
        }
        (Authenticator::Email, Some(_)) => {
            value["profile"] = json!({ "email": crate::org::codes::masked_email(&user.login) });
        }
        (Authenticator::SecurityQuestion, Some(factor)) => {
            if let Some(question) = &factor.question {
                value["contextualData"] = json!({
                    "enrolledQuestion": { "questionKey": question.key, "question": question.text },
                });
            }
        }
        _ => {}
    }
    value
}

pub(super) fn enrollments_json(enrollments: &[UserEnrollment], user: &User) -> Value {
    let mut values: Vec<Value> = enrollments
        .iter()
        .map(|enrollment| enrollment_json(enrollment, None, user))
        .collect();
    values.push(enrollment_json(&password_enrollment(user), None, user));
    array(values)
}

/// `select-authenticator-authenticate` over `enrollments`, whose options relate to the same
/// indexes of `authenticatorEnrollments` (which lists them first, in this order).
pub(super) fn select_authenticate(
    forms: &FormBuilder<'_>,
    enrollments: &[UserEnrollment],
) -> Value {
    let options = enrollments
        .iter()
        .enumerate()
        .map(|(index, enrollment)| {
            let methods: Vec<(&str, &str)> = enrollment
                .method_names()
                .into_iter()
                .map(|method| (method, method_label(method)))
                .collect();
            authenticator_option(
                enrollment.authenticator.display_name(),
                enrollment.authenticator.id(),
                &methods,
                format!("$.authenticatorEnrollments.value[{index}]"),
            )
        })
        .collect();
    // Okta's select-to-verify field carries no `required` (its select-to-enroll one does).
    let mut field = authenticator_select(options);
    if let Some(field) = field.as_object_mut() {
        field.remove("required");
    }
    forms.form(
        "select-authenticator-authenticate",
        "/idp/idx/challenge",
        vec![field],
    )
}

/// `authenticator-verification-data`: which of the enrollment's methods (Okta Verify push
/// or code, a phone's text or call). Okta Verify's relates to `currentAuthenticator`, the
/// phone's to `currentAuthenticatorEnrollment` (with the masked number), as Okta sends them.
///
/// `index` is the enrollment's place in `authenticatorEnrollments`, which a phone's
/// question relates its field to.
pub(super) fn verification_data(
    forms: &FormBuilder<'_>,
    enrollment: &UserEnrollment,
    index: usize,
    user: &User,
    body: &mut Value,
) -> Value {
    let authenticator = enrollment.authenticator;
    let methods: Vec<Value> = enrollment
        .method_names()
        .into_iter()
        .map(|method| json!({ "label": method_label(method), "value": method }))
        .collect();
    let relates_to = if authenticator == Authenticator::OktaVerify {
        let mut current = authenticator.catalogue_json();
        current["methods"] = methods_json(&enrollment.method_names());
        body["currentAuthenticator"] = object(current);
        "$.currentAuthenticator"
    } else {
        // No `resend` yet: nothing has been sent before the method is picked.
        body["currentAuthenticatorEnrollment"] = object(enrollment_json(enrollment, None, user));
        "$.currentAuthenticatorEnrollment"
    };
    let mut form = forms.related_form(
        "authenticator-verification-data",
        "/idp/idx/challenge",
        relates_to,
        vec![json!({
            "name": "authenticator",
            "label": authenticator.display_name(),
            "form": { "value": [
                { "name": "id", "required": true, "value": authenticator.id(), "mutable": false },
                { "name": "methodType", "type": "string", "required": true, "options": methods },
            ] },
        })],
    );
    if let Some(fields) = form["value"][0]["form"]["value"].as_array_mut() {
        if authenticator == Authenticator::OktaVerify {
            let mut auto = super::forms::auto_challenge_field(false);
            auto["visible"] = json!(true);
            auto["mutable"] = json!(true);
            fields.push(auto);
        } else {
            // A phone's method question as Okta's recording has it (okta-signin-widget
            // `authenticator-verification-data-phone-sms-then-voice.json`): the field typed
            // and related to the enrollment, the methods untyped, and which enrollment of
            // the authenticator is meant (`enrollmentId`).
            if let Some(method) = fields
                .iter_mut()
                .find(|field| field["name"] == "methodType")
                && let Some(method) = method.as_object_mut()
            {
                method.remove("type");
            }
            fields.push(json!({
                "name": "enrollmentId", "required": true, "value": enrollment.id, "mutable": false,
            }));
            form["value"][0]["type"] = json!("object");
            form["value"][0]["relatesTo"] =
                json!(format!("$.authenticatorEnrollments.value[{index}]"));
        }
    }
    form
}

/// The enrollment an active factor belongs to, and the factor's kind.
pub(super) fn find_factor<'e>(
    enrollments: &'e [UserEnrollment],
    user: &User,
    factor_id: &str,
) -> Option<(&'e UserEnrollment, FactorKind)> {
    let kind = user.factor(factor_id)?.kind;
    let enrollment = enrollments
        .iter()
        .find(|enrollment| enrollment.methods.iter().any(|(_, id)| id == factor_id))?;
    Some((enrollment, kind))
}

pub(super) fn enroll_methods(authenticator: Authenticator) -> Vec<(&'static str, &'static str)> {
    match authenticator {
        Authenticator::Phone => vec![("sms", "SMS"), ("voice", "Voice call")],
        Authenticator::OktaVerify => vec![("push", "Get a push notification")],
        Authenticator::Password => vec![("password", "Password")],
        Authenticator::Email => vec![("email", "Email")],
        Authenticator::SecurityQuestion => vec![("security_question", "Security Question")],
        Authenticator::WebAuthn => vec![("webauthn", "Security key")],
        Authenticator::Duo => vec![("duo", "Duo")],
        Authenticator::GoogleOtp | Authenticator::RsaToken => vec![("otp", "Enter a code")],
    }
}

/// The channels Okta Verify's enrollment can reach the phone by, as options.
pub(super) fn channel_options() -> Vec<Value> {
    EnrollChannel::ALL
        .into_iter()
        .map(|channel| json!({ "value": channel.wire(), "label": channel.wire().to_ascii_uppercase() }))
        .collect()
}

/// The `select-enrollment-channel` field: Okta Verify's id fixed, a channel chosen. The
/// current one stays listed, as in Okta's recording: choosing it again is how a client
/// asks for a fresh QR code.
pub(super) fn channel_select() -> Value {
    json!({
        "name": "authenticator",
        "type": "object",
        "label": "Okta Verify",
        "value": { "form": { "value": [
            { "name": "id", "required": true, "value": Authenticator::OktaVerify.id(), "mutable": false, "visible": false },
            { "name": "channel", "required": true, "visible": true, "options": channel_options() },
        ] } },
    })
}

/// The org's default password policy, as the password authenticator's `settings` say it.
pub(super) fn password_settings() -> Value {
    json!({
        "complexity": {
            "minLength": 8,
            "minLowerCase": 1,
            "minUpperCase": 1,
            "minNumber": 1,
            "minSymbol": 0,
            "excludeUsername": true,
            "excludeAttributes": [],
        },
        "age": { "minAgeMinutes": 0, "historyCount": 0 },
    })
}
