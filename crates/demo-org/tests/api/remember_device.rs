//! "Remember this device": the `DT` cookie, the policy that allows it, and a remembered
//! device skipping MFA for the policy's lifetime on the org's clock.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{self, Harness};
use oktadesk_demo_org::DEMO_PASSWORD;

/// Primary authentication sending `device` as the `DT` cookie; returns the transaction and
/// the device cookie the org set, if any.
async fn sign_in_from(org: &Harness, login: &str, device: Option<&str>) -> (Value, Option<String>) {
    let mut request = org.http.post(org.url("/api/v1/authn")).json(&json!({
        "username": login,
        "password": DEMO_PASSWORD,
    }));
    if let Some(device) = device {
        request = request.header("cookie", format!("JSESSIONID=other; DT={device}"));
    }
    let response = request.send().await.expect("request sent");
    assert_eq!(response.status(), StatusCode::OK);
    let set_device = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix("DT="))
        .map(|cookie| cookie.split(';').next().unwrap_or_default().to_owned());
    (response.json().await.expect("json"), set_device)
}

/// Verifies the TOTP factor with the phone's code, asking to remember the device or not.
async fn verify_code(org: &Harness, tx: &Value, remember: bool) -> Value {
    let verify = org.verify_href(tx, "token:software:totp");
    let code = org.totp_code("totp@demo.test").await;
    let reply = org
        .follow(
            tx,
            &format!("{verify}?rememberDevice={remember}"),
            json!({"passCode": code}),
        )
        .await;
    reply.json
}

#[tokio::test]
async fn a_remembered_device_skips_mfa_for_the_policy_lifetime_only() {
    let org = common::start().await;
    let (tx, device) = sign_in_from(&org, "totp@demo.test", None).await;
    let device = device.expect("the org hands out a device cookie");
    assert!(device.len() >= 40, "{device}");
    assert_eq!(tx["status"], "MFA_REQUIRED");
    let policy = &tx["_embedded"]["policy"];
    assert_eq!(policy["allowRememberDevice"], true);
    assert_eq!(policy["rememberDeviceLifetimeInMinutes"], 1440);
    assert_eq!(policy["rememberDeviceByDefault"], false);

    let done = verify_code(&org, &tx, true).await;
    assert_eq!(done["status"], "SUCCESS", "{done}");

    let (again, set_again) = sign_in_from(&org, "totp@demo.test", Some(&device)).await;
    assert_eq!(
        again["status"], "SUCCESS",
        "a remembered device skips MFA: {again}"
    );
    assert!(again["sessionToken"].is_string());
    assert_eq!(set_again, None, "a known device keeps its cookie");

    let (elsewhere, _) = sign_in_from(&org, "totp@demo.test", None).await;
    assert_eq!(
        elsewhere["status"], "MFA_REQUIRED",
        "another device is not remembered"
    );

    org.advance(24 * 60 * 60).await;
    let (later, _) = sign_in_from(&org, "totp@demo.test", Some(&device)).await;
    assert_eq!(
        later["status"], "MFA_REQUIRED",
        "the lifetime ran out: {later}"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn a_device_is_remembered_only_when_asked() {
    let org = common::start().await;
    let (tx, device) = sign_in_from(&org, "totp@demo.test", None).await;
    let device = device.unwrap();
    let done = verify_code(&org, &tx, false).await;
    assert_eq!(done["status"], "SUCCESS");
    let (again, _) = sign_in_from(&org, "totp@demo.test", Some(&device)).await;
    assert_eq!(again["status"], "MFA_REQUIRED");
    org.shutdown().await;
}

#[tokio::test]
async fn a_pushed_device_is_remembered_when_the_approving_poll_asks() {
    let org = common::start().await;
    let (tx, device) = sign_in_from(&org, "push@demo.test", None).await;
    let device = device.unwrap();
    let verify = org.verify_href(&tx, "push");
    let remembered = format!("{verify}?rememberDevice=true");
    let waiting = org.follow(&tx, &remembered, json!({})).await.json;
    assert_eq!(waiting["factorResult"], "WAITING");
    org.approve("push@demo.test", None).await;
    let done = org.follow(&waiting, &remembered, json!({})).await.json;
    assert_eq!(done["status"], "SUCCESS", "{done}");
    let (again, _) = sign_in_from(&org, "push@demo.test", Some(&device)).await;
    assert_eq!(again["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn a_policy_without_remember_device_never_remembers() {
    let org = common::start().await;
    let (tx, device) = sign_in_from(&org, "multi@demo.test", None).await;
    let device = device.unwrap();
    assert_eq!(tx["_embedded"]["policy"]["allowRememberDevice"], false);
    assert_eq!(
        tx["_embedded"]["policy"]["rememberDeviceLifetimeInMinutes"],
        0
    );
    let verify = org.verify_href(&tx, "token:software:totp");
    let code = org.totp_code("multi@demo.test").await;
    let done = org
        .follow(
            &tx,
            &format!("{verify}?rememberDevice=true"),
            json!({"passCode": code}),
        )
        .await
        .json;
    assert_eq!(done["status"], "SUCCESS");
    let (again, _) = sign_in_from(&org, "multi@demo.test", Some(&device)).await;
    assert_eq!(again["status"], "MFA_REQUIRED");
    org.shutdown().await;
}
