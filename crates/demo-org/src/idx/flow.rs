//! Running one IDX request against a transaction: find it by its state (or interaction)
//! handle, slide its expiry, apply what time did, run the step, issue the interaction code
//! when the transaction succeeds, and present the result (with the step's message when it
//! refused). `introspect` and `cancel` live here too, as they are about the transaction as a
//! whole rather than one authenticator.

use zeroize::Zeroizing;

use serde_json::Value;

use super::messages::{IdxError, IdxMessage, IdxReply, Place, messages_json, session_expired};
use super::policy::refresh;
use super::present::IdxPresenter;
use super::step::{StepEnv, user_of};
use super::store::{INTERACTION_CODE_LIFETIME, IdxTransaction, IssuedCode, Stage};
use crate::org::clock::span;
use crate::org::users::User;
use crate::state::{Org, OrgState};

/// How a request names its transaction.
pub(crate) enum Handle<'a> {
    State(&'a str),
    Interaction(&'a str),
}

impl Org {
    /// Runs `step` on the transaction behind `handle` and answers as Identity Engine does.
    pub(crate) fn idx_step<F>(&self, handle: Handle<'_>, step: F) -> IdxReply
    where
        F: FnOnce(&mut IdxTransaction, &mut [User], &StepEnv<'_>) -> Result<(), IdxError>,
    {
        let (mut state, now) = self.begin();
        let OrgState { users, idx, .. } = &mut *state;
        let state_handle = match handle {
            Handle::State(state_handle) => Some(state_handle.to_owned()),
            Handle::Interaction(interaction) => idx.interactions.get(interaction).cloned(),
        };
        let Some(tx) = state_handle
            .as_deref()
            .and_then(|state_handle| idx.transactions.get_mut(state_handle))
            .filter(|tx| tx.expires_at > now)
        else {
            return session_expired();
        };
        tx.expires_at = now + span(self.config.state_token_lifetime);
        if let Ok(user) = user_of(tx, users) {
            refresh(tx, user, now, self.config.auto_approve);
        }
        let env = StepEnv { org: self, now };
        let (status, refusal): (_, Option<(IdxMessage, Place)>) = match step(tx, users, &env) {
            Ok(()) => (axum::http::StatusCode::OK, None),
            Err(IdxError::SessionExpired) => return session_expired(),
            Err(IdxError::Refused {
                status,
                message,
                place,
            }) => (status, Some((message, place))),
        };
        if tx.stage == Stage::Success && tx.interaction_code.is_none() {
            let code = Zeroizing::new(crate::org::ids::token("", &self.config.token_marker, 43));
            if let Some(user_id) = tx.user_id.clone() {
                idx.codes.insert(
                    code.to_string(),
                    IssuedCode {
                        request: tx.request.clone(),
                        user_id,
                        amr: tx.amr.clone(),
                        auth_time: tx.password_verified_at.unwrap_or(now),
                        expires_at: now + INTERACTION_CODE_LIFETIME,
                    },
                );
            }
            tx.interaction_code = Some(code);
            if let Ok(user) = user_of(tx, users) {
                super::keep_signed_in::remember_at_success(tx, user, now);
            }
        }
        let user = tx
            .user_id
            .as_deref()
            .and_then(|id| users.iter().find(|user| user.id == id));
        let presenter = IdxPresenter {
            origin: &self.origin,
            options: &self.config.idx,
            self_service: self.config.self_service_recovery,
        };
        let body = match refusal {
            None => presenter.present(tx, user, &[]),
            Some((message, Place::Top)) => presenter.present(tx, user, &[message]),
            Some((message, place)) => {
                let mut body = presenter.present(tx, user, &[]);
                if !on_credentials_input(&mut body, &message, place) {
                    body = presenter.present(tx, user, &[message]);
                }
                body
            }
        };
        IdxReply { status, body }
    }

    /// `POST /idp/idx/introspect`: where the transaction stands, changing nothing.
    pub(crate) fn idx_introspect(&self, handle: Handle<'_>) -> IdxReply {
        self.idx_step(handle, |_, _, _| Ok(()))
    }

    /// `POST /idp/idx/cancel`: drops what the sign-in had done and starts it again at
    /// `identify`, on the same interaction.
    pub(crate) fn idx_cancel(&self, state_handle: &str) -> IdxReply {
        self.idx_step(Handle::State(state_handle), |tx, users, _| {
            if let Stage::EnrollOktaVerify { factor_id, .. }
            | Stage::EnrollApp { factor_id }
            | Stage::EnrollSentCode { factor_id } = &tx.stage
                && let Ok(user) = user_of(tx, users)
            {
                let factor_id = factor_id.clone();
                user.factors
                    .retain(|factor| factor.id != factor_id || factor.is_active());
            }
            let fresh = IdxTransaction::new(
                tx.state_handle.clone(),
                tx.interaction_handle.clone(),
                tx.request.clone(),
                tx.expires_at,
            );
            let requires_biometrics = tx.okta_verify_requires_biometrics;
            let prompt = tx.keep_me_signed_in_prompt;
            *tx = fresh;
            tx.okta_verify_requires_biometrics = requires_biometrics;
            tx.keep_me_signed_in_prompt = prompt;
            Ok(())
        })
    }
}

/// Puts `message` on the inputs of the first form's `credentials` field where Okta says
/// what was wrong: the code or answer (`passcode`, `totp`, `answer`, else the first input)
/// for [`Place::Credentials`]; every input named so, in the field's form and in each of its
/// options' forms (a security question's two), for [`Place::Input`]. False when no form
/// asks for credentials.
fn on_credentials_input(body: &mut Value, message: &IdxMessage, place: Place) -> bool {
    let Some(forms) = body["remediation"]["value"].as_array_mut() else {
        return false;
    };
    let Some(credentials) = forms
        .iter_mut()
        .filter_map(|form| form["value"].as_array_mut())
        .flatten()
        .find(|field| field["name"] == "credentials")
    else {
        return false;
    };
    let messages = messages_json(std::slice::from_ref(message));
    match place {
        Place::Input(name) => {
            let mut said = credentials
                .pointer_mut("/form/value")
                .is_some_and(|inputs| mark_inputs(inputs, name, &messages));
            let options = credentials.get_mut("options").and_then(Value::as_array_mut);
            for option in options.into_iter().flatten() {
                if let Some(inputs) = option.pointer_mut("/value/form/value") {
                    said |= mark_inputs(inputs, name, &messages);
                }
            }
            said
        }
        _ => {
            let Some(inputs) = credentials
                .pointer_mut("/form/value")
                .and_then(Value::as_array_mut)
            else {
                return false;
            };
            let code = inputs.iter().position(|input| {
                ["passcode", "totp", "answer"].contains(&input["name"].as_str().unwrap_or(""))
            });
            match code.or((!inputs.is_empty()).then_some(0)) {
                Some(index) => {
                    inputs[index]["messages"] = messages;
                    true
                }
                None => false,
            }
        }
    }
}

/// Puts `messages` on every input named `name` of `inputs`; false when none is.
fn mark_inputs(inputs: &mut Value, name: &str, messages: &Value) -> bool {
    let mut said = false;
    for input in inputs.as_array_mut().into_iter().flatten() {
        if input["name"] == name {
            input["messages"] = messages.clone();
            said = true;
        }
    }
    said
}
