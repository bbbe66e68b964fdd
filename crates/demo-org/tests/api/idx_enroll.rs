//! Identity Engine enrollment: Okta Verify by the embedded QR code the virtual phone scans,
//! optional enrollments skipped, an authenticator app by its QR and first code.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use oktadesk_demo_org::{DemoEngine, DemoOrgConfig};
use serde_json::{Value, json};

use crate::idx_client::{self, names, remediation};

fn qr_png(response: &Value) -> Vec<u8> {
    let qrcode = &response["currentAuthenticator"]["value"]["contextualData"]["qrcode"];
    assert_eq!(qrcode["method"], "embedded");
    assert_eq!(qrcode["type"], "image/png");
    let href = qrcode["href"].as_str().expect("a data URL");
    let base64 = href
        .strip_prefix("data:image/png;base64,")
        .expect("a PNG data URL");
    STANDARD.decode(base64).expect("base64")
}

#[tokio::test]
async fn okta_verify_enrolls_when_the_phone_scans_the_qr() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("enroll@demo.test").await;
    assert_eq!(
        names(&select),
        ["select-authenticator-enroll"],
        "push is required"
    );
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_verify", None)
        .await;
    assert_eq!(enrolling.status.as_u16(), 200, "{}", enrolling.json);
    let enrolling = enrolling.json;
    assert_eq!(
        names(&enrolling),
        ["enroll-poll", "select-enrollment-channel"]
    );
    assert_eq!(remediation(&enrolling, "enroll-poll")["refresh"], 4000);
    assert_eq!(
        enrolling["currentAuthenticator"]["value"]["contextualData"]["selectedChannel"],
        "qrcode"
    );
    let phone = org.phone("enroll@demo.test").await;
    assert_eq!(phone["pendingActivations"][0]["factorType"], "push");

    let waiting = org.proceed(&enrolling, "enroll-poll", json!({})).await;
    assert_eq!(names(&waiting)[0], "enroll-poll");
    let scanned = org.scan("enroll@demo.test", qr_png(&waiting)).await;
    assert_eq!(scanned.status.as_u16(), 200, "{}", scanned.json);
    assert_eq!(scanned.json["result"], "PUSH_ACTIVATED");

    let done = org.proceed(&waiting, "enroll-poll", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

#[tokio::test]
async fn the_enrollment_channel_can_change() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("enroll@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_verify", None)
        .await
        .json;
    let by_email = org
        .proceed(
            &enrolling,
            "select-enrollment-channel",
            json!({ "authenticator": { "id": "autDemoOktaVerify0g4", "channel": "email" } }),
        )
        .await;
    let data = &by_email["currentAuthenticator"]["value"]["contextualData"];
    assert_eq!(data["selectedChannel"], "email");
    assert_eq!(names(&by_email)[0], "enrollment-channel-data");
    let back = org
        .proceed(
            &by_email,
            "select-enrollment-channel",
            json!({ "authenticator": { "id": "autDemoOktaVerify0g4", "channel": "qrcode" } }),
        )
        .await;
    let scanned = org.scan("enroll@demo.test", qr_png(&back)).await;
    assert_eq!(scanned.json["result"], "PUSH_ACTIVATED");
    org.shutdown().await;
}

#[tokio::test]
async fn the_auto_approving_phone_completes_enrollment_and_push() {
    let org = crate::common::start_with(DemoOrgConfig {
        engine: DemoEngine::IdentityEngine,
        auto_approve: Some(Duration::from_secs(2)),
        ..crate::common::unlimited()
    })
    .await;
    let select = org.idx_sign_in("enroll@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_verify", None)
        .await
        .json;
    org.advance(3).await;
    let done = org.proceed(&enrolling, "enroll-poll", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");

    let polling = org
        .verify_with("number@demo.test", "okta_verify", Some("push"))
        .await;
    org.advance(3).await;
    let done = org.proceed(&polling, "challenge-poll", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

#[tokio::test]
async fn optional_enrollments_can_be_skipped() {
    let org = idx_client::start().await;
    // enrollall@ must set up one authenticator; after it, the rest are optional.
    let select = org.idx_sign_in("enrollall@demo.test").await;
    assert_eq!(names(&select), ["select-authenticator-enroll"]);
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "okta_verify", None)
        .await
        .json;
    org.scan("enrollall@demo.test", qr_png(&enrolling)).await;
    let more = org.proceed(&enrolling, "enroll-poll", json!({})).await;
    assert_eq!(names(&more), ["select-authenticator-enroll", "skip"]);
    let browser_only = org
        .choose(&more, "select-authenticator-enroll", "webauthn", None)
        .await;
    assert_eq!(browser_only.status.as_u16(), 400);
    let done = org.proceed(&more, "skip", json!({})).await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}

/// Okta words an authenticator app's refused codes at verification with keys of its own
/// (okta-signin-widget `error-authenticator-verification-on-google-otp-invalid-passcode.json`
/// and `…-used-passcode.json`), on the field.
#[tokio::test]
async fn an_authenticator_apps_wrong_and_reused_codes_carry_its_own_keys() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("google@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "google_otp", None)
        .await
        .json;
    org.scan("google@demo.test", qr_png(&enrolling)).await;
    let code = org.totp_code("google@demo.test").await;
    let done = org
        .proceed(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");

    let mut challenge = org.idx_sign_in("google@demo.test").await;
    if names(&challenge).contains(&"select-authenticator-authenticate".to_owned()) {
        challenge = org
            .choose(
                &challenge,
                "select-authenticator-authenticate",
                "google_otp",
                None,
            )
            .await
            .json;
    }
    let wrong = org
        .remediate(
            &challenge,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": "000000" } }),
        )
        .await;
    assert_eq!(
        idx_client::input_message_key(&wrong.json),
        "authfactor.challenge.soft_token.invalid_passcode"
    );
    let reused = org
        .remediate(
            &wrong.json,
            "challenge-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    assert_eq!(
        idx_client::input_message_key(&reused.json),
        "authfactor.challenge.soft_token.used_passcode"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn an_authenticator_app_enrolls_with_its_first_code() {
    let org = idx_client::start().await;
    let select = org.idx_sign_in("google@demo.test").await;
    let enrolling = org
        .choose(&select, "select-authenticator-enroll", "google_otp", None)
        .await
        .json;
    assert_eq!(names(&enrolling), ["enroll-authenticator"]);
    let secret = enrolling["currentAuthenticator"]["value"]["contextualData"]["sharedSecret"]
        .as_str()
        .expect("a shared secret");
    assert!(!secret.is_empty());
    let scanned = org.scan("google@demo.test", qr_png(&enrolling)).await;
    assert_eq!(scanned.json["result"], "CODE_ADDED");
    let code = org.totp_code("google@demo.test").await;
    let done = org
        .proceed(
            &enrolling,
            "enroll-authenticator",
            json!({ "credentials": { "passcode": code } }),
        )
        .await;
    assert!(done["successWithInteractionCode"].is_object(), "{done}");
    org.shutdown().await;
}
