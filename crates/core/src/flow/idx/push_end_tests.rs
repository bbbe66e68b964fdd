//! A push that ends unanswered, as Okta answers it (okta-signin-widget's recorded
//! `authenticator-verification-okta-verify-reject-push`: the `push_rejected` message, then a
//! `resend-push` remediation and `select-authenticator-authenticate`, no `challenge-poll`),
//! and as an answer with only the authenticators and the message: the end is shown, and a new
//! push goes out only when the person asks.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::driver_tests::push_poll;
use super::shapes_tests::{select_authenticate, state_field};
use super::test_server::{
    Server, assert_no_secret, challenge_of, identify, interact, ion, next, start, success, tokens,
};
use crate::error::ErrorKind;
use crate::stage::Stage;

/// The authenticators to pick from after a push ended with `key`; with `resend-push` first
/// when `resend` says so.
fn push_ended(origin: &str, key: &str, resend: bool) -> String {
    let mut doc: Value = serde_json::from_str(&select_authenticate(origin)).unwrap();
    doc["messages"] = json!({"type": "array", "value": [
        {"message": "The push ended.", "i18n": {"key": key, "params": []}, "class": "ERROR"}
    ]});
    // Okta's recorded answer names no `key` here: only the type and the method.
    doc["currentAuthenticator"] = json!({"type": "object", "value": {
        "type": "app", "id": "autOV1", "displayName": "", "methods": [{"type": "push"}]
    }});
    if resend {
        let state: Value = serde_json::from_str(&state_field()).unwrap();
        let resend_push = json!({
            "rel": ["create-form"], "name": "resend-push", "relatesTo": ["$.currentAuthenticator"],
            "href": format!("{origin}/idp/idx/challenge"), "method": "POST",
            "accepts": "application/json; okta-version=1.0.0",
            "value": [{"name": "authenticator", "type": "object", "label": "Okta Verify", "value": {"form": {"value": [
                {"name": "id", "value": "autOV1", "required": true, "mutable": false},
                {"name": "methodType", "value": "push", "required": true, "mutable": false}
            ]}}}, state]
        });
        let remediations = doc["remediation"]["value"].as_array_mut().unwrap();
        remediations.insert(0, resend_push);
    }
    doc.to_string()
}

/// A sign-in whose first push ends with `key` (answered with `status`), and whose second is
/// approved; the requests Okta received to `/idp/idx/challenge`, in order.
async fn a_push_that_ends(key: &'static str, status: u16, resend: bool) -> (Stage, Vec<Value>) {
    let polls = Arc::new(Mutex::new(0));
    let challenges = Arc::new(Mutex::new(Vec::new()));
    let pkce = Arc::new(Mutex::new(String::new()));
    let (p, c, k) = (polls.clone(), challenges.clone(), pkce.clone());
    let server = Server::start(Box::new(move |seen, origin| {
        let state = state_field();
        match seen.path.as_str() {
            "/oauth2/default/v1/interact" => {
                *k.lock().unwrap() = challenge_of(std::slice::from_ref(seen));
                interact(seen)
            }
            "/idp/idx/introspect" => ion(200, identify(origin, true)),
            "/idp/idx/identify" => ion(200, select_authenticate(origin)),
            "/idp/idx/challenge" => {
                c.lock()
                    .unwrap()
                    .push(serde_json::from_str(&seen.body).unwrap());
                ion(200, push_poll(origin, &state))
            }
            "/idp/idx/authenticators/poll" => {
                let mut polls = p.lock().unwrap();
                *polls += 1;
                if *polls == 1 {
                    ion(status, push_ended(origin, key, resend))
                } else {
                    ion(200, success(origin))
                }
            }
            "/oauth2/default/v1/token" => tokens(seen, &k.lock().unwrap()),
            other => panic!("unexpected request to {other}"),
        }
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::NeedsFactorChoice { .. } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    flow.choose_factor("autOV1:push").await.unwrap();
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::PushSent { .. }
    ));
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::NumberChallenge { .. }
    ));
    let ended = next(&mut stages, &mut shown).await;
    assert_eq!(challenges.lock().unwrap().len(), 1, "no push sent unasked");
    flow.resend_push().await.unwrap();
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::PushSent { .. }
    ));
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::NumberChallenge { .. }
    ));
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::Success { .. }
    ));
    assert_no_secret(&flow, &shown);
    let sent = challenges.lock().unwrap().clone();
    (ended, sent)
}

#[tokio::test]
async fn a_rejected_push_is_shown_and_resend_push_sends_a_new_one_when_asked() {
    let (ended, sent) = a_push_that_ends("api.authn.poll.error.push_rejected", 200, true).await;
    let Stage::PushRejected { error } = ended else {
        panic!("{ended:?}");
    };
    assert_eq!(error.kind, ErrorKind::MfaRejected);
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[1]["authenticator"],
        json!({"id": "autOV1", "methodType": "push"})
    );
}

#[tokio::test]
async fn a_push_that_timed_out_with_only_the_authenticators_offered_waits_to_be_resent() {
    let (ended, sent) = a_push_that_ends("api.authn.poll.error.push_timeout", 403, false).await;
    let Stage::PushTimedOut { error } = ended else {
        panic!("{ended:?}");
    };
    assert_eq!(error.kind, ErrorKind::MfaTimeout);
    assert_eq!(
        sent[1]["authenticator"],
        json!({"id": "autOV1", "methodType": "push"})
    );
}
