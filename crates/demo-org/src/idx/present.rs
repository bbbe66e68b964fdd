//! Renders an IDX transaction the way Identity Engine answers `introspect` and every
//! remediation: `version`, `stateHandle`, `expiresAt`, `intent`, the `remediation` forms the
//! stage offers, the authenticator objects they relate to, `user`, `app`, `cancel`, and
//! `successWithInteractionCode` once done. Which forms each stage offers is listed in the
//! module docs of `idx`; the enrollment stages are in `present_enroll`.

use serde_json::{Value, json};

use super::authenticators::{Authenticator, methods_json, second_factors};
use super::forms::{
    FormBuilder, POLL_REFRESH_MS, array, auto_challenge_field, credentials_field, object,
};
use super::messages::{IdxMessage, messages_json};
use super::objects::{
    enrollment_json, enrollments_json, find_factor, password_enrollment, password_settings,
    select_authenticate, verification_data,
};
use super::present_enroll::enrollment_remediations;
use super::present_recovery::{is_recovery, recover_form, recovery_remediations};
use super::store::{IdxTransaction, Stage};
use crate::org::factors::FactorKind;
use crate::org::push::PushResult;
use crate::org::users::{PasswordState, User};
use crate::wire::Timestamp;

pub(crate) struct IdxPresenter<'a> {
    pub origin: &'a str,
    pub options: &'a crate::org::idx_options::IdxOptions,
    /// The org lets people reset their password and unlock their account themselves.
    pub self_service: bool,
}

impl IdxPresenter<'_> {
    pub(crate) fn present(
        &self,
        tx: &IdxTransaction,
        user: Option<&User>,
        messages: &[IdxMessage],
    ) -> Value {
        let forms = FormBuilder {
            origin: self.origin,
            state_handle: &tx.state_handle,
        };
        let mut body = json!({
            "version": "1.0.0",
            "stateHandle": tx.state_handle,
            "expiresAt": Timestamp(tx.expires_at).to_iso(),
            "intent": "LOGIN",
        });
        let mut remediations = Vec::new();
        let mut messages = messages.to_vec();
        match (&tx.stage, user) {
            (stage, _) if is_recovery(stage) => {
                remediations = recovery_remediations(&forms, tx, user, &mut body);
            }
            (Stage::Identify, _) | (_, None) => {
                let mut fields =
                    vec![json!({ "name": "identifier", "label": "Username", "required": true })];
                if self.options.identify_with_password {
                    fields.push(credentials_field("passcode", "Password", true));
                }
                fields.push(
                    json!({ "name": "rememberMe", "label": "Keep me signed in", "type": "boolean" }),
                );
                remediations.push(forms.form("identify", "/idp/idx/identify", fields));
                if self.self_service {
                    remediations.push(forms.form(
                        "unlock-account",
                        "/idp/idx/unlock-account",
                        Vec::new(),
                    ));
                    if self.options.identify_with_password {
                        let mut current = Authenticator::Password.catalogue_json();
                        current["recover"] = recover_form(&forms);
                        body["currentAuthenticator"] = object(current);
                    }
                }
            }
            (Stage::ChallengePassword, Some(user)) => {
                let password = password_enrollment(user);
                remediations.push(forms.related_form(
                    "challenge-authenticator",
                    "/idp/idx/challenge/answer",
                    "$.currentAuthenticatorEnrollment",
                    vec![credentials_field("passcode", "Password", true)],
                ));
                remediations.push(select_authenticate(&forms, std::slice::from_ref(&password)));
                let mut current = enrollment_json(&password, None, user);
                if self.self_service {
                    current["recover"] = recover_form(&forms);
                }
                body["currentAuthenticatorEnrollment"] = object(current);
                body["authenticatorEnrollments"] =
                    array(vec![enrollment_json(&password, None, user)]);
            }
            (Stage::SelectAuthenticate, Some(user)) => {
                let enrollments = second_factors(user);
                remediations.push(select_authenticate(&forms, &enrollments));
                body["authenticatorEnrollments"] = enrollments_json(&enrollments, user);
            }
            (Stage::Challenge { factor_id }, Some(user)) => {
                let enrollments = second_factors(user);
                if let Some((enrollment, kind)) = find_factor(&enrollments, user, factor_id) {
                    let field = match kind {
                        FactorKind::Totp => credentials_field("totp", "Enter code", false),
                        FactorKind::Question => credentials_field("answer", "Answer", true),
                        _ => credentials_field("passcode", "Enter code", false),
                    };
                    remediations.push(forms.related_form(
                        "challenge-authenticator",
                        "/idp/idx/challenge/answer",
                        "$.currentAuthenticatorEnrollment",
                        vec![field],
                    ));
                    let mut current = enrollment_json(enrollment, Some(kind), user);
                    if kind.sends_codes() {
                        current["resend"] =
                            forms.form("resend", "/idp/idx/challenge/resend", Vec::new());
                    }
                    body["currentAuthenticatorEnrollment"] = object(current);
                }
                remediations.push(select_authenticate(&forms, &enrollments));
                body["authenticatorEnrollments"] = enrollments_json(&enrollments, user);
            }
            (Stage::PushPoll { .. }, Some(user)) => {
                let enrollments = second_factors(user);
                let result = tx.push.as_ref().map(|push| push.result);
                let waiting = result == Some(PushResult::Waiting);
                let resend_value =
                    json!({ "id": Authenticator::OktaVerify.id(), "methodType": "push" });
                if waiting {
                    let mut poll = forms.poll_form(
                        "challenge-poll",
                        "/idp/idx/authenticators/poll",
                        "$.currentAuthenticator",
                        POLL_REFRESH_MS,
                    );
                    // Okta's plain push poll carries the choice; its number challenge's not.
                    let numbered = tx
                        .push
                        .as_ref()
                        .is_some_and(|push| push.challenge.is_some());
                    if let Some(fields) = poll["value"].as_array_mut()
                        && !numbered
                    {
                        fields.push(auto_challenge_field(true));
                    }
                    remediations.push(poll);
                } else {
                    // Ended: a bare `resend` first, then the list. Rejected comes with
                    // `api.authn.poll.error.push_rejected` (the message is the step's);
                    // expired with no message at all, Okta's only sign of it.
                    let rejected = result == Some(PushResult::Rejected);
                    remediations.push(forms.related_form(
                        "resend",
                        "/idp/idx/challenge",
                        "$.currentAuthenticator",
                        vec![resend_push_field(rejected)],
                    ));
                }
                remediations.push(select_authenticate(&forms, &enrollments));
                let mut current = Authenticator::OktaVerify.catalogue_json();
                current["methods"] = methods_json(&["push"]);
                if waiting {
                    current["resend"] = forms.form(
                        "resend",
                        "/idp/idx/challenge",
                        vec![json!({ "name": "authenticator", "required": true, "value": resend_value, "visible": false, "mutable": false })],
                    );
                }
                if let Some(challenge) = tx.push.as_ref().and_then(|push| push.challenge) {
                    // A string, as Okta sends it: clients show it, they never count with it.
                    current["contextualData"] =
                        json!({ "correctAnswer": challenge.correct_answer.to_string() });
                }
                body["currentAuthenticator"] = object(current);
                body["authenticatorEnrollments"] = enrollments_json(&enrollments, user);
            }
            (Stage::VerificationData { authenticator }, Some(user)) => {
                let enrollments = second_factors(user);
                if let Some((index, enrollment)) = enrollments
                    .iter()
                    .enumerate()
                    .find(|(_, enrollment)| enrollment.authenticator == *authenticator)
                {
                    remediations.push(verification_data(
                        &forms, enrollment, index, user, &mut body,
                    ));
                }
                remediations.push(select_authenticate(&forms, &enrollments));
                body["authenticatorEnrollments"] = enrollments_json(&enrollments, user);
            }
            (
                Stage::SelectEnroll
                | Stage::EnrollOktaVerify { .. }
                | Stage::EnrollApp { .. }
                | Stage::EnrollPhoneData
                | Stage::EnrollSentCode { .. }
                | Stage::EnrollQuestion
                | Stage::EnrollToken,
                Some(user),
            ) => {
                remediations = enrollment_remediations(&forms, tx, user, self.options, &mut body)
                    .unwrap_or_default();
            }
            (Stage::ReenrollPassword { expired }, Some(user)) => {
                let name = if *expired {
                    "reenroll-authenticator"
                } else {
                    "reenroll-authenticator-warning"
                };
                remediations.push(forms.related_form(
                    name,
                    "/idp/idx/challenge/answer",
                    "$.currentAuthenticator",
                    vec![credentials_field("passcode", "New password", true)],
                ));
                if !*expired {
                    remediations.push(forms.form("skip", "/idp/idx/skip", Vec::new()));
                }
                if let PasswordState::Warn { expires_in_days } = user.password_state {
                    messages.push(IdxMessage {
                        text: format!("Your password will expire in {expires_in_days} days."),
                        key: "password.expiring.soon",
                        class: "INFO",
                        params: Vec::new(),
                    });
                }
                let mut current = Authenticator::Password.catalogue_json();
                current["settings"] = password_settings();
                if let PasswordState::Warn { expires_in_days } = user.password_state {
                    current["settings"]["daysToExpiry"] = json!(expires_in_days);
                }
                body["currentAuthenticator"] = object(current);
            }
            (Stage::KeepMeSignedIn, Some(_)) => {
                remediations.push(forms.form(
                    "keep-me-signed-in",
                    "/idp/idx/keep-me-signed-in",
                    vec![json!({
                        "name": "keepMeSignedIn",
                        "type": "boolean",
                        "label": "Stay signed in",
                        "required": true,
                        "value": false,
                        "mutable": true,
                    })],
                ));
                remediations.push(forms.form("skip", "/idp/idx/skip", Vec::new()));
            }
            (Stage::Success, Some(_)) => {
                body["successWithInteractionCode"] = self.success_form(tx);
            }
            // Drawn by `recovery_remediations` above.
            (
                Stage::IdentifyRecovery
                | Stage::SelectRecovery
                | Stage::RecoveryChallenge { .. }
                | Stage::ResetPassword
                | Stage::SelectUnlock
                | Stage::UnlockChallenge { .. }
                | Stage::Terminal,
                Some(_),
            ) => {}
        }
        if !remediations.is_empty() {
            body["remediation"] = array(remediations);
        }
        if let Some(user) = user {
            body["user"] = object(json!({
                "id": user.id,
                "identifier": user.login,
                "profile": {
                    "firstName": user.first_name,
                    "lastName": user.last_name,
                    "timeZone": "America/Los_Angeles",
                    "locale": "en_US",
                },
            }));
        }
        if !messages.is_empty() {
            body["messages"] = messages_json(&messages);
        }
        body["cancel"] = forms.form("cancel", "/idp/idx/cancel", Vec::new());
        body["app"] = object(json!({
            "name": "oidc_client",
            "label": "OktaDesk",
            "id": tx.request.client_id,
        }));
        if tx.stage == Stage::Terminal {
            // Okta's terminal answers stop at `app`.
            return body;
        }
        body["authentication"] = object(json!({
            "protocol": "OAUTH2.0",
            "issuer": {
                "name": crate::org::seed::DEMO_AUTH_SERVER_ID,
                "uri": tx.request.server.issuer(self.origin),
            },
            "request": {
                "response_type": "code",
                "scope": tx.request.scopes.join(" "),
                "redirect_uri": tx.request.redirect_uri,
                "code_challenge_method": "S256",
                "code_challenge": tx.request.code_challenge,
                "state": tx.request.state,
            },
        }));
        body
    }

    fn success_form(&self, tx: &IdxTransaction) -> Value {
        json!({
            "rel": ["create-form"],
            "name": "issue",
            "href": format!("{}{}/token", self.origin, tx.request.server.endpoint_prefix()),
            "method": "POST",
            "value": [
                { "name": "grant_type", "required": true, "value": "interaction_code" },
                {
                    "name": "interaction_code",
                    "required": true,
                    "value": tx.interaction_code.as_ref().map(|code| code.as_str()).unwrap_or_default(),
                },
                { "name": "client_id", "required": true, "value": tx.request.client_id },
                { "name": "code_verifier", "required": true },
            ],
            "accepts": "application/x-www-form-urlencoded",
        })
    }
}

/// The `authenticator` field of the `resend` that follows an ended push: Okta Verify's id
/// and the push method, both fixed, in the nested `form` shape. Okta's rejected-push answer
/// labels the method and requires it; its expired-push answer does neither.
fn resend_push_field(rejected: bool) -> serde_json::Value {
    let method = if rejected {
        json!({ "name": "methodType", "value": "push", "label": "PUSH", "required": true, "mutable": false })
    } else {
        json!({ "name": "methodType", "required": false, "value": "push", "mutable": false })
    };
    json!({
        "name": "authenticator",
        "type": "object",
        "label": "Okta Verify",
        "value": {
            "form": {
                "value": [
                    { "name": "id", "value": Authenticator::OktaVerify.id(), "required": true, "mutable": false },
                    method,
                ]
            }
        }
    })
}
