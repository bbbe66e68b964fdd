//! Enrolling Okta Verify push (QR scan, expiry, restart, activation links) and TOTP.

use std::time::Duration;

use oktadesk_demo_org::DemoOrgConfig;
use serde_json::{Value, json};

use crate::common::{self, Harness, assert_error, href};

async fn enroll_push(org: &Harness, options: Value) -> Value {
    let tx = org.sign_in_with("enroll@demo.test", options).await;
    let enroll = href(&tx["_embedded"]["factors"][0]["_links"]["enroll"]);
    let reply = org
        .follow(
            &tx,
            &enroll,
            json!({"factorType": "push", "provider": "OKTA"}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.json);
    assert_eq!(reply.json["status"], "MFA_ENROLL_ACTIVATE");
    reply.json
}

fn qr_href(tx: &Value) -> String {
    href(&tx["_embedded"]["factor"]["_embedded"]["activation"]["_links"]["qrcode"])
}

#[tokio::test]
async fn scanning_the_served_qr_activates_push_and_the_poll_succeeds() {
    let org = common::start().await;
    let tx = enroll_push(&org, json!({})).await;
    assert_eq!(tx["factorResult"], "WAITING");
    assert_eq!(tx["_links"]["next"]["name"], "poll");
    assert_eq!(org.next(&tx, json!({})).await["factorResult"], "WAITING");

    let (status, png) = org.fetch_png(&qr_href(&tx)).await;
    assert_eq!(status.as_u16(), 200);
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let scanned = org.scan("enroll@demo.test", png).await;
    assert_eq!(scanned.status.as_u16(), 200, "{}", scanned.json);
    assert_eq!(scanned.json["result"], "PUSH_ACTIVATED");

    let done = org.next(&tx, json!({})).await;
    assert_eq!(done["status"], "SUCCESS");
    let again = org.sign_in("enroll@demo.test").await;
    assert_eq!(
        again["status"], "MFA_REQUIRED",
        "the enrolled push is now required"
    );
    assert_eq!(
        again["_embedded"]["factors"][0]["profile"]["name"],
        "Demo Pixel 8"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn the_qr_png_decodes_to_the_documented_okta_verify_uri() {
    let org = common::start().await;
    let tx = enroll_push(&org, json!({})).await;
    let (_, png) = org.fetch_png(&qr_href(&tx)).await;
    let image = image::load_from_memory(&png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    let (_, uri) = grids[0].decode().expect("a readable QR code");

    let factor_id = tx["_embedded"]["factor"]["id"].as_str().unwrap();
    let host = org.base.trim_start_matches("http://");
    let (prefix, query) = uri.split_once("/?").expect("oktaverify://login/?query");
    assert_eq!(prefix, "oktaverify://enroll%40demo.test");
    let params: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(params["f"], factor_id);
    assert_eq!(params["s"], org.base);
    assert_eq!(params["issuer"], host);
    assert!(params["t"].len() >= 20, "an activation token");
    assert_eq!(params.len(), 4);
    org.shutdown().await;
}

#[tokio::test]
async fn the_qr_image_is_single_use() {
    let org = common::start().await;
    let tx = enroll_push(&org, json!({})).await;
    assert_eq!(org.fetch_png(&qr_href(&tx)).await.0.as_u16(), 200);
    assert_eq!(org.fetch_png(&qr_href(&tx)).await.0.as_u16(), 404);
    org.shutdown().await;
}

#[tokio::test]
async fn an_expired_activation_times_out_and_activate_gives_a_fresh_qr() {
    let org = common::start_with(DemoOrgConfig {
        activation_lifetime: Duration::from_secs(60),
        ..common::unlimited()
    })
    .await;
    let tx = enroll_push(&org, json!({})).await;
    let (_, old_png) = org.fetch_png(&qr_href(&tx)).await;
    org.advance(61).await;

    let expired_scan = org.scan("enroll@demo.test", old_png.clone()).await;
    assert_eq!(expired_scan.status.as_u16(), 422);
    assert_eq!(expired_scan.json["error"], "qr_rejected");

    let timed_out = org.next(&tx, json!({})).await;
    assert_eq!(timed_out["status"], "MFA_ENROLL_ACTIVATE");
    assert_eq!(timed_out["factorResult"], "TIMEOUT");
    assert_eq!(timed_out["_links"]["next"]["name"], "activate");
    // As Okta does, the expired activation stays, with its result and ways to start again.
    let activation = &timed_out["_embedded"]["factor"]["_embedded"]["activation"];
    assert_eq!(activation["factorResult"], "TIMEOUT");
    assert!(activation["_links"]["qrcode"].is_null(), "{activation}");
    assert!(
        href(&activation["_links"]["activate"]).ends_with("/lifecycle/activate"),
        "{activation}"
    );
    let send: Vec<&str> = activation["_links"]["send"]
        .as_array()
        .expect("send links")
        .iter()
        .filter_map(|link| link["name"].as_str())
        .collect();
    assert_eq!(send, ["email", "sms"]);

    let fresh = org.next(&timed_out, json!({})).await;
    assert_eq!(fresh["factorResult"], "WAITING");
    assert_ne!(qr_href(&fresh), qr_href(&tx));
    let replaced = org.scan("enroll@demo.test", old_png).await;
    assert_eq!(replaced.status.as_u16(), 422, "the old QR was replaced");

    let (_, png) = org.fetch_png(&qr_href(&fresh)).await;
    assert_eq!(org.scan("enroll@demo.test", png).await.status.as_u16(), 200);
    assert_eq!(org.next(&fresh, json!({})).await["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn the_phone_refuses_garbage_and_other_users_qr_codes() {
    let org = common::start().await;
    let garbage = org
        .scan("enroll@demo.test", b"definitely not a png".to_vec())
        .await;
    assert_eq!(garbage.status.as_u16(), 400);
    assert_eq!(garbage.json["error"], "qr_unreadable");

    let tx = enroll_push(&org, json!({})).await;
    let (_, png) = org.fetch_png(&qr_href(&tx)).await;
    let wrong_phone = org.scan("push@demo.test", png).await;
    assert_eq!(wrong_phone.status.as_u16(), 422);
    assert!(
        wrong_phone.json["message"]
            .as_str()
            .unwrap()
            .contains("enroll@demo.test")
    );
    let unknown = org.scan("nobody@demo.test", Vec::new()).await;
    assert_eq!(unknown.status.as_u16(), 400, "an empty body is no image");
    org.shutdown().await;
}

#[tokio::test]
async fn auto_approve_completes_activations() {
    let org = common::start_with(DemoOrgConfig {
        auto_approve: Some(Duration::from_secs(3)),
        ..common::unlimited()
    })
    .await;
    let tx = enroll_push(&org, json!({})).await;
    org.advance(3).await;
    assert_eq!(org.next(&tx, json!({})).await["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn activation_links_can_be_sent_by_email_and_sms_once_per_30_seconds() {
    let org = common::start().await;
    let tx = enroll_push(&org, json!({})).await;
    let send = tx["_embedded"]["factor"]["_embedded"]["activation"]["_links"]["send"]
        .as_array()
        .unwrap()
        .clone();
    let email = send.iter().find(|link| link["name"] == "email").unwrap();
    let sms = send.iter().find(|link| link["name"] == "sms").unwrap();

    let emailed = org.follow(&tx, &href(email), json!({})).await;
    assert_eq!(emailed.json["factorResult"], "WAITING");
    let phone = json!({"profile": {"phoneNumber": "+1 555 0100"}});
    let texted = org.follow(&tx, &href(sms), phone.clone()).await;
    assert_eq!(texted.json["factorResult"], "WAITING");
    let too_soon = org.follow(&tx, &href(sms), phone.clone()).await;
    assert_error(&too_soon, 429, "E0000109");
    org.advance(30).await;
    assert_eq!(
        org.follow(&tx, &href(sms), phone).await.status.as_u16(),
        200
    );
    let no_number = org.follow(&tx, &href(sms), json!({})).await;
    assert_error(&no_number, 400, "E0000001");
    org.shutdown().await;
}

#[tokio::test]
async fn previous_abandons_the_activation() {
    let org = common::start().await;
    let tx = enroll_push(&org, json!({})).await;
    let back = org
        .follow(&tx, &href(&tx["_links"]["prev"]), json!({}))
        .await;
    assert_eq!(back.json["status"], "MFA_ENROLL");
    let stale_poll = org.next_raw(&tx, json!({})).await;
    assert_error(&stale_poll, 403, "E0000079");
    assert!(
        org.phone("enroll@demo.test").await["factors"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    org.shutdown().await;
}

#[tokio::test]
async fn optional_totp_is_offered_after_push_and_can_be_skipped() {
    let org = common::start_with(DemoOrgConfig {
        auto_approve: Some(Duration::from_secs(1)),
        ..common::unlimited()
    })
    .await;
    let tx = enroll_push(&org, json!({"multiOptionalFactorEnroll": true})).await;
    org.advance(1).await;
    let offered = org.next(&tx, json!({})).await;
    assert_eq!(offered["status"], "MFA_ENROLL");
    assert_eq!(offered["_embedded"]["factors"][0]["status"], "ACTIVE");
    assert_eq!(offered["_embedded"]["factors"][1]["status"], "NOT_SETUP");
    let skipped = org
        .follow(&offered, &href(&offered["_links"]["skip"]), json!({}))
        .await;
    assert_eq!(skipped.json["status"], "SUCCESS");
    org.shutdown().await;
}

#[tokio::test]
async fn totp_enrolls_through_its_qr_code_and_a_code_from_the_phone() {
    let org = common::start().await;
    let tx = org.sign_in("enroll@demo.test").await;
    let enroll = href(&tx["_embedded"]["factors"][1]["_links"]["enroll"]);
    let reply = org
        .follow(
            &tx,
            &enroll,
            json!({"factorType": "token:software:totp", "provider": "OKTA"}),
        )
        .await;
    let activate = reply.json;
    assert_eq!(activate["status"], "MFA_ENROLL_ACTIVATE");
    assert_eq!(activate["_links"]["next"]["name"], "activate");
    let activation = &activate["_embedded"]["factor"]["_embedded"]["activation"];
    assert_eq!(activation["timeStep"], 30);
    assert_eq!(activation["encoding"], "base32");
    assert_eq!(activation["keyLength"], 6);
    let secret = activation["sharedSecret"].as_str().unwrap().to_owned();

    let (_, png) = org.fetch_png(&href(&activation["_links"]["qrcode"])).await;
    let image = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let (_, uri) = prepared.detect_grids()[0].decode().unwrap();
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    assert!(uri.contains("enroll%40demo.test"), "{uri}");

    let scanned = org.scan("enroll@demo.test", png).await;
    assert_eq!(scanned.json["result"], "CODE_ADDED");
    let wrong = org
        .next_raw(&activate, json!({"passCode": "000000x"}))
        .await;
    assert_error(&wrong, 403, "E0000068");
    let code = org.totp_code("enroll@demo.test").await;
    let done = org.next(&activate, json!({"passCode": code})).await;
    // Push is still required, so the org asks for it next.
    assert_eq!(done["status"], "MFA_ENROLL");
    assert_eq!(done["_embedded"]["factors"][1]["status"], "ACTIVE");
    org.shutdown().await;
}

#[tokio::test]
async fn enrolling_outside_mfa_enroll_is_refused() {
    let org = common::start().await;
    let tx = org.sign_in("push@demo.test").await;
    let reply = org
        .follow(
            &tx,
            &org.url("/api/v1/authn/factors"),
            json!({"factorType": "push", "provider": "OKTA"}),
        )
        .await;
    assert_error(&reply, 403, "E0000079");
    let tx = org.sign_in("enroll@demo.test").await;
    let reply = org
        .follow(
            &tx,
            &org.url("/api/v1/authn/factors"),
            json!({"factorType": "sms", "provider": "OKTA"}),
        )
        .await;
    assert_error(&reply, 400, "E0000001");
    org.shutdown().await;
}
