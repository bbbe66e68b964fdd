//! Each kind of answer the demo org's Identity Engine gives, reached over HTTP as a client
//! reaches it, compared by shape with the recorded-shape fixture of the same step
//! (`crates/replay/recorded/idx/`): the same keys, the same JSON types (string booleans
//! included), the same form and field names. Values are not compared.
//!
//! What the demo org knowingly leaves out of an answer is listed beside its check (and in
//! `docs/fidelity.md`); a key the recording lacks, or a different type, always fails. So the
//! demo org cannot drift away from what Okta sends without a test saying where.

#[allow(dead_code)]
#[path = "api/common.rs"]
mod common;
#[allow(dead_code)]
#[path = "api/idx_client.rs"]
mod idx_client;

use oktadesk_demo_org::{DEMO_PASSWORD, DemoEngine, DemoOrgConfig, IdxOptions};
use oktadesk_replay::shape::differences_except;
use serde_json::{Value, json};

use common::Harness;
use idx_client::{names, remediation};

/// Known in every answer: what Okta sends in other recordings of the same step and the demo
/// org sends always (the OAuth request as `authentication`, the user's `profile`, the
/// Okta Verify device's or phone's `profile` on an enrollment), and what the demo org never
/// sends (`step` and the widget's `context`; device-bound FastPass, `authenticatorChallenge`).
const KNOWN: &[&str] = &[
    "$.authentication",
    "$.user.value.profile",
    "$.authenticatorEnrollments.value[*].profile",
    "$.step",
    "$.context",
    "$.authenticatorChallenge",
    // Okta's recordings of one step differ on it (its wrong-code answers carry it, most
    // others not); the demo org always says what a form relates to.
    "$.remediation.value[*].relatesTo",
    // The catalogue of the user's authenticators beside the enrollments, while verifying:
    // the demo org lists it only while enrolling.
    "$.authenticators",
];

/// Okta's recordings of a code's input differ: `visible` on some, `required` on others.
const PASSCODE_VISIBLE: &str =
    "$.remediation.value[*].value[name=credentials].form.value[*].visible";
const PASSCODE_REQUIRED: &str =
    "$.remediation.value[*].value[name=credentials].form.value[*].required";
/// The Okta Verify device (`profile.deviceName`) the demo org does not name on a push.
const DEVICE_PROFILE: &str = "$.currentAuthenticator.value.profile";
/// The question a user enrolled, which the demo org also shows in the enrollment list.
const ENROLLED_QUESTION: &str = "$.authenticatorEnrollments.value[*].contextualData";
/// What the user has enrolled, which the demo org lists while enrolling more too.
const ENROLLMENTS: &str = "$.authenticatorEnrollments";

/// Compares our answer with the fixture `name`; `known` lists what else this answer
/// knowingly does differently (see [`oktadesk_replay::shape::differences_except`]).
fn assert_shape(name: &str, ours: &Value, known: &[&str]) {
    let fixture = oktadesk_replay::corpus::load(&format!("idx/{name}"));
    let allowed: Vec<&str> = KNOWN.iter().chain(known).copied().collect();
    let found: Vec<String> = differences_except(&fixture.body, ours, &allowed)
        .iter()
        .map(ToString::to_string)
        .collect();
    let report = format!(
        "the demo org's answer differs from idx/{name} ({}):\n  {}\nours: {ours}",
        fixture.recording,
        found.join("\n  ")
    );
    if std::env::var_os("SHAPES_REPORT").is_some() {
        if !found.is_empty() {
            eprintln!("{}", report.split("\nours:").next().unwrap_or_default());
        }
        return;
    }
    assert!(found.is_empty(), "{report}");
}

/// An org like the ones most recordings came from: no self-service unlock (Okta's
/// `identify.json` has no `unlock-account`; `identify-with-unlock-account-link.json` is the
/// other kind, which `api::idx_recovery` checks).
async fn start_with(options: IdxOptions) -> Harness {
    common::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        idx: options,
        self_service_recovery: false,
        ..common::unlimited()
    })
    .await
}

async fn start() -> Harness {
    start_with(IdxOptions::default()).await
}

#[tokio::test]
async fn identify_with_and_without_the_password() {
    let org = start().await;
    let first = org.idx_begin().await;
    assert_shape("identify", &first, &[]);
    let unknown = org
        .remediate(
            &first,
            "identify",
            json!({ "identifier": "nobody@demo.test" }),
        )
        .await;
    // okta-auth-js's recording of it has neither `required` nor `rememberMe` on `identify`;
    // the widget's `identify` has both, as the demo org's.
    assert_shape(
        "identify-unknown-user-info",
        &unknown.json,
        &[
            "$.remediation.value[*].value[*].required",
            "$.remediation.value[*].value[name=rememberMe]",
        ],
    );
    let password = org
        .proceed(
            &first,
            "identify",
            json!({ "identifier": "push@demo.test" }),
        )
        .await;
    assert_shape("challenge-password", &password, &[PASSCODE_REQUIRED]);
    org.shutdown().await;

    let org = start_with(IdxOptions {
        identify_with_password: true,
        ..IdxOptions::default()
    })
    .await;
    let first = org.idx_begin().await;
    // Okta's shows the password authenticator it asks for as `currentAuthenticator`.
    assert_shape(
        "identify-with-password",
        &first,
        &[
            PASSCODE_REQUIRED,
            "$.currentAuthenticator",
            "$.cancel.produces",
            "$.remediation.value[*].produces",
        ],
    );
    org.shutdown().await;
}

#[tokio::test]
async fn push_waiting_rejected_and_expired() {
    let org = common::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        push_lifetime: std::time::Duration::from_secs(60),
        ..common::unlimited()
    })
    .await;
    let select = org.idx_sign_in("push@demo.test").await;
    assert_shape("select-authenticator-authenticate", &select, &[]);
    let polling = org
        .choose(
            &select,
            "select-authenticator-authenticate",
            "okta_verify",
            Some("push"),
        )
        .await
        .json;
    assert_shape("okta-verify-push", &polling, &[DEVICE_PROFILE]);
    org.post("/_demo/phone/push@demo.test/reject", json!(null))
        .await;
    let rejected = org.remediate(&polling, "challenge-poll", json!({})).await;
    assert_eq!(names(&rejected.json)[0], "resend");
    assert_shape("okta-verify-push-rejected", &rejected.json, &[]);

    let fixed = &remediation(&rejected.json, "resend")["value"][0]["value"]["form"]["value"];
    let again = org
        .proceed(
            &rejected.json,
            "resend",
            json!({ "authenticator": { "id": fixed[0]["value"], "methodType": "push" } }),
        )
        .await;
    org.advance(61).await;
    let expired = org.remediate(&again, "challenge-poll", json!({})).await;
    assert_eq!(names(&expired.json)[0], "resend");
    // The corpus's expired push is the rejected one without its message; Okta's own
    // expired answer (the widget's v3 `authenticator-verification-ov-resend-push-
    // notification`), which the demo org follows, has no `label` on the method.
    assert_shape(
        "okta-verify-push-expired",
        &expired.json,
        &[
            "$.remediation.value[name=resend].value[name=authenticator].value.form.value[name=methodType].label",
        ],
    );
    org.shutdown().await;
}

#[tokio::test]
async fn number_challenge_and_method_choice() {
    let org = start().await;
    let polling = org
        .verify_with("number@demo.test", "okta_verify", Some("push"))
        .await;
    assert_shape("okta-verify-number-challenge", &polling, &[DEVICE_PROFILE]);
    org.shutdown().await;

    let org = start().await;
    let choice = org
        .verify_with("multi@demo.test", "okta_verify", None)
        .await;
    assert_eq!(names(&choice)[0], "authenticator-verification-data");
    // The recording's `autoChallenge` is `visible`; the corpus's copy left that out.
    assert_shape(
        "okta-verify-method-choice",
        &choice,
        &["$.remediation.value[*].value[*].form.value[name=autoChallenge].visible"],
    );
    org.shutdown().await;

    // A phone with text and call: the method question names the enrollment (`enrollmentId`).
    let org = start().await;
    let choice = org
        .verify_with("allfactors@demo.test", "phone_number", None)
        .await;
    assert_eq!(names(&choice)[0], "authenticator-verification-data");
    assert_shape("phone-method-choice", &choice, &[ENROLLED_QUESTION]);
    org.shutdown().await;
}

#[tokio::test]
async fn codes_asked_and_refused_on_the_field() {
    let org = start().await;
    let code = org
        .verify_with("totp@demo.test", "okta_verify", Some("totp"))
        .await;
    // Okta relates Okta Verify's code to `currentAuthenticator`; the demo org to the
    // enrollment, as for every other code.
    assert_shape(
        "okta-verify-code",
        &code,
        &["$.currentAuthenticator", "$.currentAuthenticatorEnrollment"],
    );
    org.shutdown().await;

    let org = start().await;
    let sms = org
        .verify_with("sms@demo.test", "phone_number", Some("sms"))
        .await;
    assert_shape("sms-challenge", &sms, &[PASSCODE_VISIBLE]);
    let wrong = org
        .remediate(
            &sms,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": "000000x" } }),
        )
        .await;
    assert_eq!(wrong.status.as_u16(), 401);
    assert_shape("sms-invalid-passcode", &wrong.json, &[PASSCODE_VISIBLE]);
    org.shutdown().await;

    let org = start().await;
    let email = org.verify_with("email@demo.test", "okta_email", None).await;
    // Okta's email challenge also polls for the magic link, which the demo org has not.
    assert_shape(
        "email-challenge",
        &email,
        &[
            PASSCODE_VISIBLE,
            "$.currentAuthenticatorEnrollment.value.poll",
        ],
    );
    org.shutdown().await;

    let org = start().await;
    let google = org
        .verify_with("allfactors@demo.test", "google_otp", None)
        .await;
    assert_shape(
        "google-otp-challenge",
        &google,
        &[PASSCODE_VISIBLE, ENROLLED_QUESTION],
    );
    let wrong = org
        .remediate(
            &google,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": "000000x" } }),
        )
        .await;
    assert_shape(
        "google-otp-invalid-passcode",
        &wrong.json,
        &[PASSCODE_VISIBLE, ENROLLED_QUESTION],
    );
    org.shutdown().await;

    let org = start().await;
    let question = org
        .verify_with("question@demo.test", "security_question", None)
        .await;
    assert_shape(
        "question-challenge",
        &question,
        &[
            ENROLLED_QUESTION,
            "$.currentAuthenticatorEnrollment.value.profile",
            "$.remediation.value[*].value[*].form.value[*].secret",
        ],
    );
    org.shutdown().await;
}

#[tokio::test]
async fn okta_verify_enrollment_by_qr_and_by_email() {
    let org = start().await;
    let select = org.idx_sign_in("enroll@demo.test").await;
    assert_shape(
        "authenticator-enroll-select-authenticator",
        &select,
        &[
            ENROLLMENTS,
            "$.app",
            "$.cancel.produces",
            "$.remediation.value[*].produces",
        ],
    );
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_verify", None)
        .await
        .json;
    assert_shape("okta-verify-enroll-qr", &enrolling, &[ENROLLMENTS]);
    let by_email = org
        .proceed(
            &enrolling,
            "select-enrollment-channel",
            json!({ "authenticator": { "id": remediation(&enrolling, "select-enrollment-channel")["value"][0]["value"]["form"]["value"][0]["value"], "channel": "email" } }),
        )
        .await;
    let sent = org
        .proceed(
            &by_email,
            "enrollment-channel-data",
            json!({ "email": "enroll@demo.test" }),
        )
        .await;
    // Okta's says neither where the link went nor offers to send it again.
    assert_shape(
        "okta-verify-enroll-via-email",
        &sent,
        &[
            ENROLLMENTS,
            "$.currentAuthenticator.value.contextualData.email",
            "$.currentAuthenticator.value.resend",
        ],
    );
    org.shutdown().await;
}

#[tokio::test]
async fn passwords_expired_and_expiring() {
    let org = start().await;
    let start = org.idx_begin().await;
    for (login, fixture) in [
        ("expired@demo.test", "password-expired"),
        ("warn@demo.test", "password-expiring"),
    ] {
        let start = if login == "warn@demo.test" {
            org.idx_begin().await
        } else {
            start.clone()
        };
        let password = org
            .proceed(&start, "identify", json!({ "identifier": login }))
            .await;
        let reenroll = org
            .proceed(
                &password,
                "challenge-authenticator",
                json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
            )
            .await;
        // Okta relates the new password to the password's enrollment, with the expiry said
        // in `messages`; the demo org to the password authenticator.
        assert_shape(
            fixture,
            &reenroll,
            &[
                PASSCODE_REQUIRED,
                "$.authenticatorEnrollments",
                "$.currentAuthenticatorEnrollment",
                "$.currentAuthenticator",
                "$.messages",
            ],
        );
    }
    org.shutdown().await;
}

#[tokio::test]
async fn session_expired_success_and_cancel() {
    let org = start().await;
    let expired = org
        .post(
            "/idp/idx/introspect",
            json!({ "stateHandle": "no-such-handle" }),
        )
        .await;
    assert_eq!(expired.status.as_u16(), 401);
    assert_shape("session-expired", &expired.json, &[]);

    let first = org.idx_begin().await;
    let password = org
        .proceed(
            &first,
            "identify",
            json!({ "identifier": "nomfa@demo.test" }),
        )
        .await;
    let cancelled = org
        .post(
            &common::href(&password["cancel"]),
            json!({ "stateHandle": password["stateHandle"] }),
        )
        .await
        .json;
    assert_shape("cancel", &cancelled, &[]);

    let first = org.idx_begin().await;
    let password = org
        .proceed(
            &first,
            "identify",
            json!({ "identifier": "nomfa@demo.test" }),
        )
        .await;
    let done = org
        .proceed(
            &password,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
        )
        .await;
    assert_shape("success-with-interaction-code", &done, &[]);
    org.shutdown().await;
}

#[tokio::test]
async fn okta_verify_enrollment_refused_without_biometrics() {
    let org = start_with(IdxOptions {
        okta_verify_requires_biometrics: true,
        ..IdxOptions::default()
    })
    .await;
    let select = org.idx_sign_in("enroll@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_verify", None)
        .await
        .json;
    let png = {
        use base64::Engine;
        let href = enrolling["currentAuthenticator"]["value"]["contextualData"]["qrcode"]["href"]
            .as_str()
            .expect("a QR code");
        base64::engine::general_purpose::STANDARD
            .decode(href.trim_start_matches("data:image/png;base64,"))
            .expect("base64")
    };
    org.scan("enroll@demo.test", png).await;
    let refused = org.remediate(&enrolling, "enroll-poll", json!({})).await;
    assert_eq!(
        idx_client::message_key(&refused.json),
        "oie.authenticator.app.method.push.enroll.enable.biometrics"
    );
    assert_shape(
        "okta-verify-enroll-biometrics-required",
        &refused.json,
        &[ENROLLMENTS],
    );
    org.shutdown().await;
}

/// The org's post-sign-in "stay signed in?" prompt, and its `skip`, before success.
#[tokio::test]
async fn a_post_sign_in_prompt_and_its_skip() {
    let org = start_with(IdxOptions {
        keep_me_signed_in_prompt: true,
        ..IdxOptions::default()
    })
    .await;
    let prompt = org.idx_sign_in("nomfa@demo.test").await;
    assert_eq!(names(&prompt), ["keep-me-signed-in", "skip"]);
    assert_shape("keep-me-signed-in", &prompt, &[]);
    let done = org.proceed(&prompt, "skip", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");

    let prompt = org.idx_sign_in("nomfa@demo.test").await;
    let done = org
        .proceed(
            &prompt,
            "keep-me-signed-in",
            json!({ "keepMeSignedIn": true }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

#[path = "recorded_shapes/parity.rs"]
mod parity;
