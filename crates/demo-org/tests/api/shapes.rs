//! JSON shapes, field by field, against ../shared/okta-authn-api.md and Okta's reference.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::{self, href};

/// Asserts the object has exactly these keys.
fn keys(value: &Value, expected: &[&str]) {
    let actual: BTreeSet<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    let expected: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(actual, expected, "in {value}");
}

fn is_timestamp(value: &Value) -> bool {
    // 2015-11-03T10:15:57.000Z
    value.as_str().is_some_and(|s| {
        s.len() == 24
            && s.ends_with('Z')
            && s.as_bytes()[10] == b'T'
            && s.as_bytes()[19] == b'.'
            && time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .is_ok()
    })
}

fn post_link(link: &Value, org: &common::Harness, path: &str) {
    assert_eq!(link["href"], org.url(path), "{link}");
    assert_eq!(link["hints"]["allow"], json!(["POST"]), "{link}");
}

fn user(user: &Value) {
    keys(user, &["id", "passwordChanged", "profile"]);
    assert!(
        user["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("00u") && id.len() == 20)
    );
    assert!(is_timestamp(&user["passwordChanged"]));
    keys(
        &user["profile"],
        &["login", "firstName", "lastName", "locale", "timeZone"],
    );
}

#[tokio::test]
async fn mfa_enroll_shape() {
    let org = common::start().await;
    let tx = org.sign_in("enroll@demo.test").await;
    keys(
        &tx,
        &["stateToken", "expiresAt", "status", "_embedded", "_links"],
    );
    assert!(is_timestamp(&tx["expiresAt"]));
    keys(&tx["_embedded"], &["user", "factors"]);
    user(&tx["_embedded"]["user"]);
    for factor in tx["_embedded"]["factors"].as_array().unwrap() {
        keys(
            factor,
            &[
                "factorType",
                "provider",
                "vendorName",
                "status",
                "enrollment",
                "_links",
            ],
        );
        assert_eq!(factor["provider"], "OKTA");
        assert_eq!(factor["status"], "NOT_SETUP");
        keys(&factor["_links"], &["enroll"]);
        post_link(&factor["_links"]["enroll"], &org, "/api/v1/authn/factors");
    }
    keys(&tx["_links"], &["cancel"]);
    post_link(&tx["_links"]["cancel"], &org, "/api/v1/authn/cancel");
    org.shutdown().await;
}

#[tokio::test]
async fn mfa_enroll_activate_push_shape() {
    let org = common::start().await;
    let tx = org.sign_in("enroll@demo.test").await;
    let tx = org
        .follow(
            &tx,
            &href(&tx["_embedded"]["factors"][0]["_links"]["enroll"]),
            json!({"factorType": "push", "provider": "OKTA"}),
        )
        .await
        .json;
    keys(
        &tx,
        &[
            "stateToken",
            "expiresAt",
            "status",
            "factorResult",
            "_embedded",
            "_links",
        ],
    );
    assert_eq!(tx["status"], "MFA_ENROLL_ACTIVATE");
    assert_eq!(tx["factorResult"], "WAITING");
    keys(&tx["_embedded"], &["user", "factor"]);
    let factor = &tx["_embedded"]["factor"];
    keys(
        factor,
        &[
            "id",
            "factorType",
            "provider",
            "vendorName",
            "profile",
            "_embedded",
        ],
    );
    let id = factor["id"].as_str().unwrap();
    assert!(id.starts_with("opf") && id.len() == 20);
    assert_eq!(factor["factorType"], "push");
    keys(&factor["_embedded"], &["activation"]);
    let activation = &factor["_embedded"]["activation"];
    keys(activation, &["expiresAt", "factorResult", "_links"]);
    assert!(is_timestamp(&activation["expiresAt"]));
    assert_eq!(activation["factorResult"], "WAITING");
    keys(&activation["_links"], &["qrcode", "send"]);
    let qrcode = &activation["_links"]["qrcode"];
    keys(qrcode, &["href", "type"]);
    assert_eq!(qrcode["type"], "image/png");
    let user_id = tx["_embedded"]["user"]["id"].as_str().unwrap();
    assert!(
        qrcode["href"]
            .as_str()
            .unwrap()
            .starts_with(&org.url(&format!("/api/v1/users/{user_id}/factors/{id}/qr/")))
    );
    let send = activation["_links"]["send"].as_array().unwrap();
    assert_eq!(send.len(), 2);
    assert_eq!(send[0]["name"], "email");
    post_link(
        &send[0],
        &org,
        &format!("/api/v1/authn/factors/{id}/lifecycle/activate/email"),
    );
    assert_eq!(send[1]["name"], "sms");
    post_link(
        &send[1],
        &org,
        &format!("/api/v1/authn/factors/{id}/lifecycle/activate/sms"),
    );
    keys(&tx["_links"], &["next", "cancel", "prev"]);
    assert_eq!(tx["_links"]["next"]["name"], "poll");
    post_link(
        &tx["_links"]["next"],
        &org,
        &format!("/api/v1/authn/factors/{id}/lifecycle/activate/poll"),
    );
    post_link(&tx["_links"]["prev"], &org, "/api/v1/authn/previous");
    org.shutdown().await;
}

#[tokio::test]
async fn mfa_enroll_activate_totp_shape() {
    let org = common::start().await;
    let tx = org.sign_in("google@demo.test").await;
    let tx = org
        .follow(
            &tx,
            &org.url("/api/v1/authn/factors"),
            json!({"factorType": "token:software:totp", "provider": "GOOGLE"}),
        )
        .await
        .json;
    keys(
        &tx,
        &["stateToken", "expiresAt", "status", "_embedded", "_links"],
    );
    let factor = &tx["_embedded"]["factor"];
    assert_eq!(factor["provider"], "GOOGLE");
    assert!(factor["id"].as_str().unwrap().starts_with("uft"));
    keys(&factor["profile"], &["credentialId"]);
    let activation = &factor["_embedded"]["activation"];
    keys(
        activation,
        &[
            "timeStep",
            "sharedSecret",
            "encoding",
            "keyLength",
            "_links",
        ],
    );
    assert_eq!(activation["sharedSecret"].as_str().unwrap().len(), 32);
    keys(&activation["_links"], &["qrcode"]);
    keys(&tx["_links"], &["next", "cancel", "prev"]);
    assert_eq!(tx["_links"]["next"]["name"], "activate");
    org.shutdown().await;
}

#[tokio::test]
async fn mfa_required_shape() {
    let org = common::start().await;
    let tx = org.sign_in("multi@demo.test").await;
    keys(
        &tx,
        &["stateToken", "expiresAt", "status", "_embedded", "_links"],
    );
    keys(&tx["_embedded"], &["user", "factors", "policy"]);
    let factors = tx["_embedded"]["factors"].as_array().unwrap();
    let push = &factors[0];
    keys(
        push,
        &[
            "id",
            "factorType",
            "provider",
            "vendorName",
            "profile",
            "_links",
        ],
    );
    keys(
        &push["profile"],
        &["credentialId", "deviceType", "name", "platform", "version"],
    );
    keys(&push["_links"], &["verify"]);
    let push_id = push["id"].as_str().unwrap();
    post_link(
        &push["_links"]["verify"],
        &org,
        &format!("/api/v1/authn/factors/{push_id}/verify"),
    );
    let totp = &factors[1];
    keys(&totp["profile"], &["credentialId"]);
    let policy = &tx["_embedded"]["policy"];
    keys(
        policy,
        &[
            "allowRememberDevice",
            "rememberDeviceLifetimeInMinutes",
            "rememberDeviceByDefault",
            "factorsPolicyInfo",
        ],
    );
    keys(&policy["factorsPolicyInfo"][push_id], &["autoPushEnabled"]);
    keys(&tx["_links"], &["cancel"]);
    org.shutdown().await;
}

#[tokio::test]
async fn mfa_challenge_shape_with_number_challenge() {
    let org = common::start().await;
    let first = org.start_push("number@demo.test").await;
    let tx = org.next(&first, json!({})).await;
    keys(
        &tx,
        &[
            "stateToken",
            "expiresAt",
            "status",
            "factorResult",
            "_embedded",
            "_links",
        ],
    );
    keys(&tx["_embedded"], &["user", "factor", "policy"]);
    let factor = &tx["_embedded"]["factor"];
    keys(
        factor,
        &[
            "id",
            "factorType",
            "provider",
            "vendorName",
            "profile",
            "_embedded",
        ],
    );
    keys(&factor["_embedded"], &["challenge"]);
    keys(&factor["_embedded"]["challenge"], &["correctAnswer"]);
    let id = factor["id"].as_str().unwrap();
    keys(&tx["_links"], &["next", "cancel", "prev", "resend"]);
    assert_eq!(tx["_links"]["next"]["name"], "poll");
    post_link(
        &tx["_links"]["next"],
        &org,
        &format!("/api/v1/authn/factors/{id}/verify"),
    );
    let resend = tx["_links"]["resend"].as_array().unwrap();
    assert_eq!(resend.len(), 1);
    assert_eq!(resend[0]["name"], "push");
    post_link(
        &resend[0],
        &org,
        &format!("/api/v1/authn/factors/{id}/verify/resend"),
    );
    org.shutdown().await;
}

#[tokio::test]
async fn success_shape() {
    let org = common::start().await;
    let tx = org.sign_in("nomfa@demo.test").await;
    keys(&tx, &["expiresAt", "status", "sessionToken", "_embedded"]);
    keys(&tx["_embedded"], &["user"]);
    user(&tx["_embedded"]["user"]);
    org.shutdown().await;
}

#[tokio::test]
async fn password_warn_and_expired_shapes() {
    let org = common::start().await;
    let warn = org
        .sign_in_with("warn@demo.test", json!({"warnBeforePasswordExpired": true}))
        .await;
    keys(
        &warn,
        &["stateToken", "expiresAt", "status", "_embedded", "_links"],
    );
    keys(&warn["_embedded"], &["user", "policy"]);
    keys(&warn["_embedded"]["policy"], &["expiration", "complexity"]);
    keys(
        &warn["_embedded"]["policy"]["expiration"],
        &["passwordExpireDays"],
    );
    keys(&warn["_links"], &["next", "skip", "cancel"]);
    post_link(
        &warn["_links"]["next"],
        &org,
        "/api/v1/authn/credentials/change_password",
    );
    post_link(&warn["_links"]["skip"], &org, "/api/v1/authn/skip");

    let expired = org.sign_in("expired@demo.test").await;
    keys(&expired["_embedded"]["policy"], &["complexity"]);
    keys(&expired["_links"], &["next", "cancel"]);
    assert_eq!(expired["_links"]["next"]["name"], "changePassword");
    org.shutdown().await;
}

#[tokio::test]
async fn locked_out_and_cancel_shapes() {
    let org = common::start_with(oktadesk_demo_org::DemoOrgConfig {
        reveal_lockout: true,
        ..common::unlimited()
    })
    .await;
    let locked = org.sign_in("locked@demo.test").await;
    keys(&locked, &["status", "_embedded", "_links"]);
    keys(&locked["_links"], &["next", "cancel"]);
    post_link(
        &locked["_links"]["next"],
        &org,
        "/api/v1/authn/recovery/unlock",
    );
    let tx = org.sign_in("push@demo.test").await;
    let cancelled = org
        .follow(&tx, &href(&tx["_links"]["cancel"]), json!({}))
        .await;
    keys(&cancelled.json, &["_embedded"]);
    org.shutdown().await;
}

#[tokio::test]
async fn error_shape() {
    let org = common::start().await;
    let reply = org
        .post(
            "/api/v1/authn",
            json!({"username": "push@demo.test", "password": "no"}),
        )
        .await;
    keys(
        &reply.json,
        &[
            "errorCode",
            "errorSummary",
            "errorLink",
            "errorId",
            "errorCauses",
        ],
    );
    let reply = org
        .post("/api/v1/authn", json!({"username": "push@demo.test"}))
        .await;
    let causes = reply.json["errorCauses"].as_array().unwrap();
    assert_eq!(causes.len(), 1);
    keys(&causes[0], &["errorSummary"]);
    org.shutdown().await;
}

#[tokio::test]
async fn json_content_type_on_api_answers() {
    let org = common::start().await;
    let response = org
        .http
        .post(org.url("/api/v1/authn"))
        .json(&json!({"username": "nomfa@demo.test", "password": oktadesk_demo_org::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    org.shutdown().await;
}
