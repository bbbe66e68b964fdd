//! The IDX driver end to end against a tiny loopback server that answers as Okta's IDX
//! does (answers written here, shaped after Okta's recorded ones): the stages a person sees,
//! the requests Okta receives, and no secret in any stage, error or transcript line.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::shapes_tests::{STATE, select_authenticate, state_field};
use super::test_server::{
    PASSWORD, Server, assert_no_secret, challenge_of, identify, interact, introspected, ion, next,
    start, success, tokens,
};
use crate::error::ErrorKind;
use crate::secret::Secret;
use crate::stage::{Activity, LinkChannel, Stage};

#[tokio::test]
async fn a_push_with_a_number_challenge_ends_with_who_signed_in_and_no_browser_session() {
    let polls = Arc::new(Mutex::new(0));
    let challenge = Arc::new(Mutex::new(String::new()));
    let (p, c) = (polls.clone(), challenge.clone());
    let server = Server::start(Box::new(move |seen, origin| {
        let state = state_field();
        match seen.path.as_str() {
            "/oauth2/default/v1/interact" => {
                let reply = interact(seen);
                *c.lock().unwrap() = challenge_of(std::slice::from_ref(seen));
                reply
            }
            "/idp/idx/introspect" => {
                introspected(seen);
                ion(200, identify(origin, true))
            }
            "/idp/idx/identify" => {
                let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
                assert_eq!(body["identifier"], "ada@acme.com");
                assert_eq!(body["credentials"]["passcode"], PASSWORD);
                assert_eq!(body["stateHandle"], STATE);
                ion(200, select_authenticate(origin))
            }
            "/idp/idx/challenge" => {
                let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
                assert_eq!(
                    body["authenticator"],
                    serde_json::json!({"id": "autOV1", "methodType": "push"})
                );
                assert_eq!(seen.content_type, "application/json; okta-version=1.0.0");
                ion(200, push_poll(origin, &state))
            }
            "/idp/idx/authenticators/poll" => {
                let mut polls = p.lock().unwrap();
                *polls += 1;
                if *polls < 2 {
                    ion(200, push_poll(origin, &state))
                } else {
                    ion(200, success(origin))
                }
            }
            "/oauth2/default/v1/token" => tokens(seen, &c.lock().unwrap()),
            other => panic!("unexpected request to {other}"),
        }
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::NeedsFactorChoice { factors, .. } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert!(
        factors.iter().all(|f| f.label != "Okta password"),
        "the password is OktaDesk's to send"
    );
    flow.choose_factor("autOV1:push").await.unwrap();
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::PushSent { .. }
    ));
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::NumberChallenge { number: 42, .. }
    ));
    let Stage::Success { user, session } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(user.id, "00uAda");
    assert_eq!(user.login, "ada@acme.com");
    assert_eq!(user.display_name(), "Ada Lovelace");
    assert!(!session.has_browser_session());
    assert_eq!(*polls.lock().unwrap(), 2);
    assert!(
        shown
            .iter()
            .any(|s| s.contains(r#""activity":"sendingPush""#))
    );
    let transcript = flow.transcript().entries();
    assert!(
        transcript.iter().any(|e| e.path == "/idp/idx/identify"
            && e.okta_status.as_deref() == Some("select-authenticator-authenticate")),
        "{transcript:?}"
    );
    assert_no_secret(&flow, &shown);
}

pub(super) fn push_poll(origin: &str, state: &str) -> String {
    format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"challenge-poll","href":"{origin}/idp/idx/authenticators/poll","method":"POST","refresh":30,"accepts":"application/json; okta-version=1.0.0","value":[{state}]}}]}},
        "currentAuthenticator":{{"type":"object","value":{{"type":"app","key":"okta_verify","id":"autOV1","displayName":"Okta Verify","methods":[{{"type":"push"}}],"contextualData":{{"correctAnswer":"42"}}}}}},
        "cancel":{{"name":"cancel","href":"{origin}/idp/idx/cancel","method":"POST","value":[{state}]}}}}"#
    )
}

fn code_challenge(origin: &str, key: &str, error: bool) -> String {
    let state = state_field();
    let messages = if error {
        r#","messages":{"type":"array","value":[{"message":"Invalid code. Try again.","i18n":{"key":"api.authn.error.PASSCODE_INVALID"},"class":"ERROR"}]}"#
    } else {
        ""
    };
    format!(
        r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"challenge-authenticator","href":"{origin}/idp/idx/challenge/answer","method":"POST","accepts":"application/json; okta-version=1.0.0",
          "value":[{{"name":"credentials","type":"object","form":{{"value":[{{"name":"passcode","label":"Enter code"{messages}}}]}},"required":true}},{state}]}}]}},
        "currentAuthenticatorEnrollment":{{"type":"object","value":{{"type":"app","key":"{key}","id":"aut1","displayName":"x","methods":[{{"type":"otp"}}]}}}}}}"#
    )
}

#[tokio::test]
async fn the_password_goes_where_asked_and_a_wrong_code_is_asked_again_with_why() {
    let answers = Arc::new(Mutex::new(0));
    let challenge = Arc::new(Mutex::new(String::new()));
    let (a, c) = (answers.clone(), challenge.clone());
    let server = Server::start(Box::new(move |seen, origin| match seen.path.as_str() {
        "/oauth2/default/v1/interact" => {
            *c.lock().unwrap() = challenge_of(std::slice::from_ref(seen));
            interact(seen)
        }
        "/idp/idx/introspect" => ion(200, identify(origin, false)),
        "/idp/idx/identify" => {
            assert!(!seen.body.contains(PASSWORD), "identifier first");
            ion(200, code_challenge(origin, "okta_password", false))
        }
        "/idp/idx/challenge/answer" => {
            let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
            let passcode = body["credentials"]["passcode"].as_str().unwrap().to_owned();
            let mut answers = a.lock().unwrap();
            *answers += 1;
            match (*answers, passcode.as_str()) {
                (1, PASSWORD) => ion(200, code_challenge(origin, "google_otp", false)),
                (2, "111111") => ion(401, code_challenge(origin, "google_otp", true)),
                (3, "123456") => ion(200, success(origin)),
                other => panic!("unexpected answer {other:?}"),
            }
        }
        "/oauth2/default/v1/token" => tokens(seen, &c.lock().unwrap()),
        other => panic!("unexpected request to {other}"),
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::NeedsCode {
        factor,
        last_error: None,
        code_digits: 6,
        ..
    } = next(&mut stages, &mut shown).await
    else {
        panic!("{shown:?}");
    };
    assert_eq!(factor.label, "Google Authenticator");
    // Malformed: refused here, never sent.
    flow.submit_code(Secret::new("12")).await.unwrap();
    let Stage::NeedsCode {
        last_error: Some(error),
        ..
    } = next(&mut stages, &mut shown).await
    else {
        panic!("{shown:?}");
    };
    assert_eq!(error.kind, ErrorKind::InvalidCode);
    flow.submit_code(Secret::new("111111")).await.unwrap();
    let Stage::NeedsCode {
        last_error: Some(error),
        ..
    } = next(&mut stages, &mut shown).await
    else {
        panic!("{shown:?}");
    };
    assert_eq!(error.kind, ErrorKind::InvalidCode);
    assert!(
        error.message.contains("authenticator app"),
        "{}",
        error.message
    );
    flow.submit_code(Secret::new("123456")).await.unwrap();
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::Success { .. }
    ));
    assert_eq!(*answers.lock().unwrap(), 3);
    assert_no_secret(&flow, &shown);
}

#[tokio::test]
async fn an_unknown_step_leads_to_the_browser_and_cancel_ends_it_on_the_server() {
    let server = Server::start(Box::new(|seen, origin| {
        let state = state_field();
        match seen.path.as_str() {
            "/oauth2/default/v1/interact" => interact(seen),
            "/idp/idx/introspect" => ion(
                200,
                format!(
                    r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"device-assurance-grace-period","href":"{origin}/idp/idx/x","method":"POST","value":[{state}]}}]}},
                    "cancel":{{"name":"cancel","href":"{origin}/idp/idx/cancel","method":"POST","value":[{state}]}}}}"#
                ),
            ),
            "/idp/idx/cancel" => {
                assert_eq!(seen.body, format!(r#"{{"stateHandle":"{STATE}"}}"#));
                ion(200, r#"{"version":"1.0.0"}"#.into())
            }
            other => panic!("unexpected request to {other}"),
        }
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::ContinueInBrowser {
        message,
        url,
        can_choose_another,
        ..
    } = next(&mut stages, &mut shown).await
    else {
        panic!("{shown:?}");
    };
    assert!(
        message.contains("device-assurance-grace-period"),
        "{message}"
    );
    assert_eq!(url, server.origin);
    assert!(!can_choose_another);
    assert!(flow.choose_factor("anything").await.is_err());
    flow.cancel().await.unwrap();
    let Stage::Failed { kind, .. } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(kind, ErrorKind::Cancelled);
    assert_eq!(server.count("/idp/idx/cancel"), 1);
    assert_no_secret(&flow, &shown);
}

#[tokio::test]
async fn a_foreign_href_and_an_expired_state_handle_end_the_sign_in_plainly() {
    let server = Server::start(Box::new(|seen, origin| match seen.path.as_str() {
        "/oauth2/default/v1/interact" => interact(seen),
        "/idp/idx/introspect" => ion(200, identify("https://evil.example", true)),
        other => panic!("unexpected request to {other} at {origin}"),
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::Failed { kind, message } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(kind, ErrorKind::ForeignOrigin);
    assert!(message.contains("https://evil.example"), "{message}");
    assert_no_secret(&flow, &shown);

    let server = Server::start(Box::new(|seen, origin| match seen.path.as_str() {
        "/oauth2/default/v1/interact" => interact(seen),
        "/idp/idx/introspect" => ion(200, identify(origin, true)),
        "/idp/idx/identify" => ion(
            401,
            r#"{"version":"1.0.0","messages":{"type":"array","value":[{"message":"You have been logged out due to inactivity.","i18n":{"key":"idx.session.expired"},"class":"ERROR"}]}}"#.into(),
        ),
        other => panic!("unexpected request to {other}"),
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::Failed { kind, message } = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(kind, ErrorKind::Expired);
    assert!(message.contains("Start again"), "{message}");
    assert_no_secret(&flow, &shown);
}

#[tokio::test]
async fn okta_verify_enrollment_shows_the_embedded_qr_once_and_polls_at_okta_s_pace() {
    let png = crate::qr::tests::qr_png(
        "oktaverify://ada@acme.com/?t=EnrollSECRET&f=aid1&s=https://acme.okta.com",
    );
    let data_uri = format!("data:image/png;base64,{}", STANDARD.encode(&png));
    let polls = Arc::new(Mutex::new(0));
    let challenge = Arc::new(Mutex::new(String::new()));
    let (p, c) = (polls.clone(), challenge.clone());
    let server = Server::start(Box::new(move |seen, origin| {
        let state = state_field();
        let enroll_poll = format!(
            r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[
              {{"name":"enroll-poll","href":"{origin}/idp/idx/challenge/poll","method":"POST","refresh":30,"value":[{state}]}},
              {{"name":"select-enrollment-channel","href":"{origin}/idp/idx/credential/enroll","method":"POST","value":[{{"name":"authenticator","type":"object","value":{{"form":{{"value":[
                {{"name":"id","required":true,"value":"autOV1"}},{{"name":"channel","required":true,"options":[{{"value":"qrcode","label":"QRCODE"}},{{"value":"email","label":"EMAIL"}},{{"value":"sms","label":"SMS"}}]}}]}}}}}},{state}]}}]}},
            "currentAuthenticator":{{"type":"object","value":{{"type":"app","key":"okta_verify","id":"autOV1","displayName":"Okta Verify",
              "contextualData":{{"qrcode":{{"method":"embedded","href":"{data_uri}","type":"image/png"}},"selectedChannel":"qrcode"}}}}}}}}"#
        );
        match seen.path.as_str() {
            "/oauth2/default/v1/interact" => {
                *c.lock().unwrap() = challenge_of(std::slice::from_ref(seen));
                interact(seen)
            }
            "/idp/idx/introspect" => ion(200, identify(origin, true)),
            "/idp/idx/identify" => ion(
                200,
                format!(
                    r#"{{"version":"1.0.0","remediation":{{"type":"array","value":[{{"name":"select-authenticator-enroll","href":"{origin}/idp/idx/credential/enroll","method":"POST","value":[{{"name":"authenticator","type":"object","required":true,"options":[
                      {{"label":"Okta Verify","value":{{"form":{{"value":[{{"name":"id","required":true,"value":"autOV1"}},{{"name":"channel","required":false,"options":[{{"value":"qrcode","label":"QRCODE"}}]}}]}}}},"relatesTo":"$.authenticators.value[0]"}}]}},{state}]}}]}},
                    "authenticators":{{"type":"array","value":[{{"type":"app","key":"okta_verify","id":"autOV1","displayName":"Okta Verify","methods":[{{"type":"push"}}]}}]}}}}"#
                ),
            ),
            "/idp/idx/credential/enroll" => {
                let body: serde_json::Value = serde_json::from_str(&seen.body).unwrap();
                assert_eq!(
                    body["authenticator"],
                    serde_json::json!({"id": "autOV1", "channel": "qrcode"})
                );
                ion(200, enroll_poll)
            }
            "/idp/idx/challenge/poll" => {
                let mut polls = p.lock().unwrap();
                *polls += 1;
                if *polls < 3 {
                    ion(200, enroll_poll)
                } else {
                    ion(200, success(origin))
                }
            }
            "/oauth2/default/v1/token" => tokens(seen, &c.lock().unwrap()),
            other => panic!("unexpected request to {other}"),
        }
    }))
    .await;
    let (flow, mut stages) = start(&server);
    let mut shown = Vec::new();
    let Stage::EnrollQr(qr) = next(&mut stages, &mut shown).await else {
        panic!("{shown:?}");
    };
    assert_eq!(qr.uri_kind, crate::QrUriKind::OktaVerify);
    assert!(qr.svg.is_some());
    assert_eq!(qr.original_png.expose(), png.as_slice());
    assert_eq!(qr.link_channels, [LinkChannel::Email, LinkChannel::Sms]);
    // Polled three times; the QR shown once.
    assert!(matches!(
        next(&mut stages, &mut shown).await,
        Stage::Success { .. }
    ));
    assert_eq!(*polls.lock().unwrap(), 3);
    assert!(
        shown
            .iter()
            .any(|s| s.contains(&format!("{:?}", Activity::Enrolling)))
    );
    assert_no_secret(&flow, &shown);
}
