//! `/interact` refusals and the Interaction Code exchange at `/token`: PKCE, single use,
//! the ID token's claims and signature, discovery and keys.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use oktadesk_demo_org::{DEMO_OIDC_CLIENT_ID, DEMO_PASSWORD};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use serde_json::{Value, json};

use crate::common::Harness;
use crate::idx_client::{self, VERIFIER, claims};

async fn success(org: &Harness, extra: &[(&str, &str)]) -> Value {
    let interact = org.interact_with(extra).await;
    assert_eq!(interact.status.as_u16(), 200, "{}", interact.json);
    let start = org
        .post(
            "/idp/idx/introspect",
            json!({ "interactionHandle": interact.json["interaction_handle"] }),
        )
        .await
        .json;
    let password = org
        .proceed(
            &start,
            "identify",
            json!({ "identifier": "nomfa@demo.test" }),
        )
        .await;
    org.proceed(
        &password,
        "challenge-authenticator",
        json!({ "credentials": { "passcode": DEMO_PASSWORD } }),
    )
    .await
}

#[tokio::test]
async fn interact_refuses_what_okta_refuses() {
    let org = idx_client::start().await;
    let unknown = org
        .interact_with(&[("client_id", "0oaNotTheDemoApp0g47")])
        .await;
    assert_eq!(unknown.status.as_u16(), 401);
    assert_eq!(unknown.json["error"], "invalid_client");
    let redirect = org
        .interact_with(&[("redirect_uri", "https://evil.example/callback")])
        .await;
    assert_eq!(redirect.status.as_u16(), 400);
    assert_eq!(redirect.json["error"], "invalid_request");
    assert!(
        redirect.json["error_description"]
            .as_str()
            .unwrap()
            .contains("redirect_uri")
    );
    let plain = org
        .interact_with(&[("code_challenge_method", "plain")])
        .await;
    assert_eq!(plain.json["error"], "invalid_request");
    let no_pkce = org.interact_with(&[("code_challenge", "")]).await;
    assert_eq!(no_pkce.json["error"], "invalid_request");
    assert!(
        no_pkce.json["error_description"]
            .as_str()
            .unwrap()
            .contains("PKCE")
    );
    // The org authorization server answers too.
    let org_server = org
        .post_form(
            "/oauth2/v1/interact",
            &[
                ("client_id", DEMO_OIDC_CLIENT_ID),
                ("scope", "openid"),
                ("redirect_uri", oktadesk_demo_org::DEMO_REDIRECT_URI),
                ("code_challenge", &idx_client::challenge_of(VERIFIER)),
                ("code_challenge_method", "S256"),
                ("state", "s"),
            ],
        )
        .await;
    assert_eq!(org_server.status.as_u16(), 200, "{}", org_server.json);
    org.shutdown().await;
}

#[tokio::test]
async fn the_code_needs_the_right_verifier_and_works_once() {
    let org = idx_client::start().await;
    let done = success(&org, &[]).await;
    let issue = &done["successWithInteractionCode"];
    assert_eq!(issue["name"], "issue");
    assert_eq!(issue["href"], org.url("/oauth2/default/v1/token"));
    assert_eq!(issue["accepts"], "application/x-www-form-urlencoded");

    let wrong = org
        .exchange(
            &done,
            "another-verifier-0123456789-abcdefghijklmnopqrstuvwxyz",
        )
        .await;
    assert_eq!(wrong.status.as_u16(), 400);
    assert_eq!(wrong.json["error"], "invalid_grant");
    assert_eq!(wrong.json["error_description"], "PKCE verification failed.");
    let after_failure = org.exchange(&done, VERIFIER).await;
    assert_eq!(after_failure.json["error"], "invalid_grant", "used up");

    let again = success(&org, &[]).await;
    let tokens = org.exchange(&again, VERIFIER).await;
    assert_eq!(tokens.status.as_u16(), 200, "{}", tokens.json);
    let replay = org.exchange(&again, VERIFIER).await;
    assert_eq!(replay.status.as_u16(), 400);
    assert_eq!(
        replay.json["error_description"],
        "The interaction code is invalid or has expired."
    );
    org.shutdown().await;
}

#[tokio::test]
async fn the_id_token_names_the_user_and_verifies_against_the_jwks() {
    let org = idx_client::start().await;
    let done = success(
        &org,
        &[
            ("nonce", "n-0S6_WzA2Mj"),
            ("scope", "openid profile email offline_access"),
        ],
    )
    .await;
    let tokens = org.exchange(&done, VERIFIER).await.json;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["scope"], "openid profile email offline_access");
    assert!(tokens["refresh_token"].is_string());
    assert!(tokens["access_token"].is_string());
    let id_token = tokens["id_token"].as_str().unwrap();
    let id = claims(id_token);
    assert_eq!(id["iss"], org.url("/oauth2/default"));
    assert_eq!(id["aud"], DEMO_OIDC_CLIENT_ID);
    assert_eq!(id["preferred_username"], "nomfa@demo.test");
    assert_eq!(id["email"], "nomfa@demo.test");
    assert_eq!(id["name"], "Noah Nomfa");
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert!(id["sub"].as_str().unwrap().starts_with("00u"));
    assert!(id["exp"].as_i64().unwrap() > id["iat"].as_i64().unwrap());

    let discovery = org
        .get_json("/oauth2/default/.well-known/openid-configuration")
        .await
        .json;
    assert_eq!(discovery["issuer"], id["iss"]);
    let jwks_path = discovery["jwks_uri"]
        .as_str()
        .unwrap()
        .strip_prefix(&org.base)
        .unwrap()
        .to_owned();
    let jwks = org.get_json(&jwks_path).await.json;
    let jwk = &jwks["keys"][0];
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(id_token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], jwk["kid"]);
    let decode = |field: &str| {
        URL_SAFE_NO_PAD
            .decode(jwk[field].as_str().unwrap())
            .unwrap()
    };
    let (signed, signature) = id_token.rsplit_once('.').unwrap();
    RsaPublicKeyComponents {
        n: decode("n"),
        e: decode("e"),
    }
    .verify(
        &RSA_PKCS1_2048_8192_SHA256,
        signed.as_bytes(),
        &URL_SAFE_NO_PAD.decode(signature).unwrap(),
    )
    .expect("the ID token verifies against the published key");
    org.shutdown().await;
}

#[tokio::test]
async fn the_token_endpoint_checks_client_and_grant() {
    let org = idx_client::start().await;
    let done = success(&org, &[]).await;
    let unsupported = org
        .post_form(
            "/oauth2/default/v1/token",
            &[
                ("grant_type", "password"),
                ("client_id", DEMO_OIDC_CLIENT_ID),
            ],
        )
        .await;
    assert_eq!(unsupported.json["error"], "unsupported_grant_type");
    let stranger = org
        .post_form(
            "/oauth2/default/v1/token",
            &[
                ("grant_type", "interaction_code"),
                ("client_id", "0oaNotTheDemoApp0g47"),
                ("interaction_code", "x"),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_eq!(stranger.status.as_u16(), 401);
    assert_eq!(stranger.json["error"], "invalid_client");
    // Still good after those.
    assert_eq!(org.exchange(&done, VERIFIER).await.status.as_u16(), 200);
    org.shutdown().await;
}
