//! The enrollment stages as Identity Engine presents them: `select-authenticator-enroll`
//! (and `skip`), Okta Verify's `enroll-poll` / `select-enrollment-channel` /
//! `enrollment-channel-data`, the phone's `authenticator-enrollment-data`, and
//! `enroll-authenticator` for an app's first code, a code sent by email, text or call, a
//! security question, and a hardware token. While one authenticator is being set up, `select-authenticator-enroll`
//! stays offered, as Okta offers it, so the person can pick another.

use serde_json::{Value, json};

use super::authenticators::{
    Authenticator, enrollment_required, methods_json, missing_enrollments, second_factors,
};
use super::forms::POLL_REFRESH_MS;
use super::forms::{
    FormBuilder, array, authenticator_option, authenticator_select, credentials_field, object,
};
use super::objects::{channel_options, channel_select, enroll_methods, enrollments_json};
use super::store::{EnrollChannel, IdxTransaction, Stage};
use crate::org::factors::FactorKind;
use crate::org::users::User;

/// The remediations of an enrollment stage, filling in the objects they relate to; `None`
/// when `tx` is not enrolling.
pub(super) fn enrollment_remediations(
    forms: &FormBuilder<'_>,
    tx: &IdxTransaction,
    user: &User,
    options: &crate::org::idx_options::IdxOptions,
    body: &mut Value,
) -> Option<Vec<Value>> {
    let mut remediations = Vec::new();
    match &tx.stage {
        Stage::SelectEnroll => {
            remediations.push(select_enroll(forms, user, body));
            if !enrollment_required(user) {
                remediations.push(forms.form("skip", "/idp/idx/skip", Vec::new()));
            }
        }
        Stage::EnrollOktaVerify {
            channel,
            link_sent_to,
            ..
        } => {
            let mut data = json!({ "selectedChannel": channel.wire() });
            match (channel, link_sent_to) {
                (EnrollChannel::QrCode, _) => {
                    data["qrcode"] = json!({
                        "method": "embedded",
                        "href": tx.qr_data_url.as_ref().map(|(url, _)| url.as_str()).unwrap_or_default(),
                        "type": "image/png",
                    });
                }
                (_, None) => {
                    let field = match channel {
                        EnrollChannel::Sms => {
                            json!({ "name": "phoneNumber", "label": "Phone number", "required": true, "visible": true })
                        }
                        _ => {
                            json!({ "name": "email", "label": "Email", "required": true, "visible": true })
                        }
                    };
                    remediations.push(forms.form(
                        "enrollment-channel-data",
                        "/idp/idx/challenge/send",
                        vec![field],
                    ));
                }
                (EnrollChannel::Sms, Some(to)) => data["phoneNumber"] = json!(to),
                (_, Some(to)) => data["email"] = json!(to),
            }
            if *channel == EnrollChannel::QrCode || link_sent_to.is_some() {
                remediations.push(forms.poll_form(
                    "enroll-poll",
                    "/idp/idx/challenge/poll",
                    "$.currentAuthenticator",
                    POLL_REFRESH_MS,
                ));
            }
            remediations.push(forms.form(
                "select-enrollment-channel",
                "/idp/idx/credential/enroll",
                vec![channel_select()],
            ));
            let mut current = Authenticator::OktaVerify.catalogue_json();
            current["contextualData"] = data;
            if link_sent_to.is_some() {
                current["resend"] = forms.form("resend", "/idp/idx/challenge/resend", Vec::new());
            }
            body["currentAuthenticator"] = object(current);
        }
        Stage::EnrollApp { .. } => {
            remediations.push(forms.related_form(
                "enroll-authenticator",
                "/idp/idx/challenge/answer",
                "$.currentAuthenticator",
                vec![credentials_field("passcode", "Enter code", false)],
            ));
            let mut current = Authenticator::GoogleOtp.catalogue_json();
            current["contextualData"] = json!({
                "qrcode": {
                    "method": "embedded",
                    "href": tx.qr_data_url.as_ref().map(|(url, _)| url.as_str()).unwrap_or_default(),
                    "type": "image/png",
                },
                "sharedSecret": tx.qr_data_url.as_ref().map(|(_, secret)| secret.as_str()).unwrap_or_default(),
            });
            body["currentAuthenticator"] = object(current);
        }
        Stage::EnrollPhoneData => {
            let methods: Vec<Value> = enroll_methods(Authenticator::Phone)
                .iter()
                .map(|(method, label)| json!({ "label": label, "value": method }))
                .collect();
            let mut form = forms.related_form(
                "authenticator-enrollment-data",
                "/idp/idx/credential/enroll",
                "$.currentAuthenticator",
                vec![json!({
                    "name": "authenticator",
                    "type": "object",
                    "required": true,
                    "label": Authenticator::Phone.display_name(),
                    "form": { "value": [
                        { "name": "id", "required": true, "value": Authenticator::Phone.id(), "mutable": false, "visible": false },
                        { "name": "methodType", "type": "string", "required": true, "options": methods },
                        { "name": "phoneNumber", "type": "string", "label": "Phone number", "required": true },
                    ] },
                })],
            );
            form["value"][0]["visible"] = json!(true);
            remediations.push(form);
            remediations.push(select_enroll(forms, user, body));
            body["currentAuthenticator"] = object(Authenticator::Phone.catalogue_json());
        }
        Stage::EnrollSentCode { factor_id } => {
            remediations.push(forms.related_form(
                "enroll-authenticator",
                "/idp/idx/challenge/answer",
                "$.currentAuthenticator",
                vec![credentials_field("passcode", "Enter code", false)],
            ));
            remediations.push(select_enroll(forms, user, body));
            let kind = user.factor(factor_id).map_or(FactorKind::Email, |f| f.kind);
            let mut current = Authenticator::of(kind).catalogue_json();
            current["methods"] = methods_json(&[Authenticator::method_of(kind)]);
            current["resend"] = forms.form("resend", "/idp/idx/challenge/resend", Vec::new());
            body["currentAuthenticator"] = object(current);
        }
        Stage::EnrollQuestion => {
            remediations.push(forms.related_form(
                "enroll-authenticator",
                "/idp/idx/challenge/answer",
                "$.currentAuthenticator",
                vec![super::enroll_question::credentials_field(
                    options.custom_security_questions,
                )],
            ));
            remediations.push(select_enroll(forms, user, body));
            let mut current = Authenticator::SecurityQuestion.catalogue_json();
            current["contextualData"] =
                super::enroll_question::contextual_data(options.custom_security_questions);
            body["currentAuthenticator"] = object(current);
        }
        Stage::EnrollToken => {
            remediations.push(forms.related_form(
                "enroll-authenticator",
                "/idp/idx/challenge/answer",
                "$.currentAuthenticator",
                vec![super::enroll_token::credentials_field(user)],
            ));
            remediations.push(select_enroll(forms, user, body));
            body["currentAuthenticator"] = object(Authenticator::RsaToken.catalogue_json());
        }
        _ => return None,
    }
    body["authenticatorEnrollments"] = enrollments_json(&second_factors(user), user);
    Some(remediations)
}

/// `select-authenticator-enroll` over what the policy wants and the user lacks, with the
/// `authenticators` its options relate to.
fn select_enroll(forms: &FormBuilder<'_>, user: &User, body: &mut Value) -> Value {
    let missing = missing_enrollments(user);
    let options = missing
        .iter()
        .enumerate()
        .map(|(index, (authenticator, _))| {
            let methods = enroll_methods(*authenticator);
            let mut option = authenticator_option(
                authenticator.display_name(),
                authenticator.id(),
                &methods,
                format!("$.authenticators.value[{index}]"),
            );
            if *authenticator == Authenticator::OktaVerify {
                // As Okta's: Okta Verify is chosen with the channel to enroll it by, not a
                // method.
                option["value"]["form"]["value"][1] = json!({
                    "name": "channel",
                    "type": "string",
                    "required": false,
                    "options": channel_options(),
                });
            }
            if *authenticator == Authenticator::Phone {
                // As Okta's: the number may come with the choice, skipping the data step.
                if let Some(fields) = option["value"]["form"]["value"].as_array_mut() {
                    fields.push(
                        json!({ "name": "phoneNumber", "type": "string", "required": false }),
                    );
                }
            }
            option
        })
        .collect();
    body["authenticators"] = array(
        missing
            .iter()
            .map(|(authenticator, _)| authenticator.catalogue_json())
            .collect(),
    );
    forms.form(
        "select-authenticator-enroll",
        "/idp/idx/credential/enroll",
        vec![authenticator_select(options)],
    )
}
