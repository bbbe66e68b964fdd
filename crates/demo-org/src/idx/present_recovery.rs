//! How the recovery and unlock stages answer, after Okta's recordings (okta-signin-widget
//! `playground/mocks/data/idp/idx/`): `identify-recovery`; `select-authenticator-authenticate`
//! with `recoveryAuthenticator` (`authenticator-verification-select-authenticator-for-recovery`);
//! the recovery `challenge-authenticator`; `reset-authenticator` with the policy in
//! `currentAuthenticator.settings` (`authenticator-reset-password`,
//! `error-authenticator-reset-password-requirement`); `select-authenticator-unlock-account`
//! (`user-unlock-account`); the unlock's challenge; and the terminal answers
//! (`user-account-unlock-success`, `error-reset-password-not-allowed`), which carry only
//! their message, `user`, `cancel` and `app`.

use serde_json::{Value, json};

use super::authenticators::{Authenticator, UserEnrollment, methods_json, second_factors};
use super::forms::{
    FormBuilder, array, authenticator_option, credentials_field, method_label, object,
};
use super::objects::{enrollment_json, enrollments_json, find_factor, select_authenticate};
use super::recover::{UNLOCK_AUTHENTICATORS, recovery_enrollments, unlock_enrollments};
use super::store::{IdxTransaction, Stage};
use crate::org::factors::FactorKind;
use crate::org::password_policy::ORG_POLICY;
use crate::org::users::User;

/// Whether `stage` is one this file draws.
pub(super) fn is_recovery(stage: &Stage) -> bool {
    matches!(
        stage,
        Stage::IdentifyRecovery
            | Stage::SelectRecovery
            | Stage::RecoveryChallenge { .. }
            | Stage::ResetPassword
            | Stage::SelectUnlock
            | Stage::UnlockChallenge { .. }
            | Stage::Terminal
    )
}

/// The password's `recover` form, put on `currentAuthenticator(Enrollment)` where the org
/// allows self-service reset.
pub(super) fn recover_form(forms: &FormBuilder<'_>) -> Value {
    forms.form("recover", "/idp/idx/recover", Vec::new())
}

/// The remediations of a recovery or unlock stage; fills in the objects they relate to.
pub(super) fn recovery_remediations(
    forms: &FormBuilder<'_>,
    tx: &IdxTransaction,
    user: Option<&User>,
    body: &mut Value,
) -> Vec<Value> {
    match (&tx.stage, user) {
        (Stage::IdentifyRecovery, _) => vec![forms.form(
            "identify-recovery",
            "/idp/idx/identify",
            vec![json!({ "name": "identifier", "label": "Username", "required": true })],
        )],
        (Stage::SelectRecovery, Some(user)) => {
            let enrollments = recovery_enrollments(user);
            body["authenticatorEnrollments"] = enrollments_json(&enrollments, user);
            body["recoveryAuthenticator"] = object(recovery_authenticator());
            vec![select_authenticate(forms, &enrollments)]
        }
        (Stage::RecoveryChallenge { factor_id }, Some(user)) => {
            let enrollments = recovery_enrollments(user);
            let mut remediations: Vec<Value> =
                challenge_form(forms, &enrollments, factor_id, user, body)
                    .into_iter()
                    .collect();
            remediations.push(select_authenticate(forms, &enrollments));
            body["authenticatorEnrollments"] = enrollments_json(&enrollments, user);
            body["recoveryAuthenticator"] = object(recovery_authenticator());
            remediations
        }
        (Stage::ResetPassword, Some(user)) => {
            let mut credentials = credentials_field("passcode", "New password", true);
            if let Some(inputs) = credentials["form"]["value"].as_array_mut() {
                inputs.push(json!({
                    "name": "revokeSessions",
                    "type": "boolean",
                    "label": "Also sign me out everywhere else",
                }));
            }
            body["currentAuthenticator"] = object(recovery_authenticator());
            body["authenticators"] = array(vec![Authenticator::Password.catalogue_json()]);
            body["authenticatorEnrollments"] = enrollments_json(&second_factors(user), user);
            body["recoveryAuthenticator"] = object(recovery_authenticator());
            vec![forms.related_form(
                "reset-authenticator",
                "/idp/idx/challenge/answer",
                "$.currentAuthenticator",
                vec![credentials],
            )]
        }
        (Stage::SelectUnlock, _) => vec![select_unlock(forms, body)],
        (Stage::UnlockChallenge { factor_id }, Some(user)) => {
            challenge_form(forms, &unlock_enrollments(user), factor_id, user, body)
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The password authenticator with the org's policy, as recovery shows it.
fn recovery_authenticator() -> Value {
    let mut password = Authenticator::Password.catalogue_json();
    password["settings"] = ORG_POLICY.idx_settings();
    password
}

/// The `challenge-authenticator` of the factor `factor_id` among `enrollments`, with
/// `currentAuthenticatorEnrollment` (and its `resend` for a code the org sends).
fn challenge_form(
    forms: &FormBuilder<'_>,
    enrollments: &[UserEnrollment],
    factor_id: &str,
    user: &User,
    body: &mut Value,
) -> Option<Value> {
    let (enrollment, kind) = find_factor(enrollments, user, factor_id)?;
    let field = match kind {
        FactorKind::Question => credentials_field("answer", "Answer", true),
        _ => credentials_field("passcode", "Enter code", false),
    };
    let mut current = enrollment_json(enrollment, Some(kind), user);
    if kind.sends_codes() {
        current["resend"] = forms.form("resend", "/idp/idx/challenge/resend", Vec::new());
    }
    body["currentAuthenticatorEnrollment"] = object(current);
    Some(forms.related_form(
        "challenge-authenticator",
        "/idp/idx/challenge/answer",
        "$.currentAuthenticatorEnrollment",
        vec![field],
    ))
}

/// `select-authenticator-unlock-account`: the identifier and, in the same form, the
/// authenticator to prove it with; `authenticators` and `authenticatorEnrollments` list
/// the org's choices (nobody is identified yet, so the enrollments carry no ids).
fn select_unlock(forms: &FormBuilder<'_>, body: &mut Value) -> Value {
    let methods = |authenticator: Authenticator| -> Vec<&'static str> {
        match authenticator {
            Authenticator::Phone => vec!["sms", "voice"],
            _ => vec!["email"],
        }
    };
    let options = UNLOCK_AUTHENTICATORS
        .iter()
        .enumerate()
        .map(|(index, authenticator)| {
            let labelled: Vec<(&str, &str)> = methods(*authenticator)
                .into_iter()
                .map(|method| (method, method_label(method)))
                .collect();
            let mut option = authenticator_option(
                authenticator.display_name(),
                authenticator.id(),
                &labelled,
                format!("$.authenticatorEnrollments.value[{index}]"),
            );
            // A phone offers its methods even when there is one choice, as Okta's does.
            if labelled.len() == 1 && *authenticator == Authenticator::Phone {
                option["value"]["form"]["value"][1] = json!({
                    "name": "methodType", "type": "string", "required": false,
                    "options": [{ "label": labelled[0].1, "value": labelled[0].0 }],
                });
            }
            option
        })
        .collect::<Vec<_>>();
    body["authenticators"] = array(
        UNLOCK_AUTHENTICATORS
            .iter()
            .map(|authenticator| {
                let mut value = authenticator.catalogue_json();
                value["methods"] = methods_json(&methods(*authenticator));
                value
            })
            .collect(),
    );
    body["authenticatorEnrollments"] = array(
        UNLOCK_AUTHENTICATORS
            .iter()
            .map(|authenticator| {
                let catalogue = authenticator.catalogue_json();
                json!({
                    "type": catalogue["type"],
                    "key": authenticator.key(),
                    "methods": methods_json(&methods(*authenticator)),
                })
            })
            .collect(),
    );
    forms.form(
        "select-authenticator-unlock-account",
        "/idp/idx/challenge",
        vec![
            json!({ "name": "identifier", "label": "Username", "required": true }),
            json!({ "name": "authenticator", "type": "object", "options": options }),
        ],
    )
}
