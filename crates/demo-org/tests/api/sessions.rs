//! Session tokens become API sessions or a browser cookie, once.

use serde_json::json;

use crate::common::{self, assert_error};

#[tokio::test]
async fn a_session_token_becomes_one_session() {
    let org = common::start().await;
    let done = org.sign_in("nomfa@demo.test").await;
    let token = done["sessionToken"].clone();
    let session = org
        .post("/api/v1/sessions", json!({"sessionToken": token}))
        .await;
    assert_eq!(session.status.as_u16(), 200, "{}", session.json);
    let body = &session.json;
    assert_eq!(body["status"], "ACTIVE");
    assert_eq!(body["login"], "nomfa@demo.test");
    assert_eq!(body["userId"], done["_embedded"]["user"]["id"]);
    assert!(body["id"].is_string() && body["expiresAt"].is_string());
    assert_eq!(body["amr"], json!(["pwd"]));
    let fetched = org
        .get_json(&format!(
            "/api/v1/sessions/{}",
            body["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(fetched.json["id"], body["id"]);

    let again = org
        .post("/api/v1/sessions", json!({"sessionToken": token}))
        .await;
    assert_error(&again, 401, "E0000004");
    org.shutdown().await;
}

#[tokio::test]
async fn session_tokens_expire() {
    let org = common::start().await;
    let done = org.sign_in("nomfa@demo.test").await;
    org.advance(301).await;
    let late = org
        .post(
            "/api/v1/sessions",
            json!({"sessionToken": done["sessionToken"]}),
        )
        .await;
    assert_error(&late, 401, "E0000004");
    org.shutdown().await;
}

#[tokio::test]
async fn session_cookie_redirect_signs_the_browser_in_once() {
    let org = common::start().await;
    let done = org.start_push("push@demo.test").await;
    org.approve("push@demo.test", None).await;
    let done = org.next(&done, json!({})).await;
    let token = done["sessionToken"].as_str().unwrap().to_owned();
    let target = org.url("/app/UserHome");
    let redirect = |token: String, target: String| {
        org.http
            .get(org.url("/login/sessionCookieRedirect"))
            .query(&[("token", token), ("redirectUrl", target)])
            .send()
    };

    let foreign = redirect(token.clone(), "https://evil.example/".into())
        .await
        .unwrap();
    assert_eq!(
        foreign.status().as_u16(),
        400,
        "a foreign redirect is refused before the token is spent"
    );

    let response = redirect(token.clone(), target.clone()).await.unwrap();
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(response.headers()["location"], target.as_str());
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("sid=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let sid = cookie.split(';').next().unwrap().to_owned();

    let home = org
        .http
        .get(&target)
        .header("cookie", &sid)
        .send()
        .await
        .unwrap();
    let page = home.text().await.unwrap();
    assert!(
        page.contains("Signed in as Pat Push (push@demo.test)"),
        "{page}"
    );
    let anonymous = org
        .http
        .get(&target)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(anonymous.contains("Not signed in"));

    let reused = redirect(token, target).await.unwrap();
    assert_eq!(reused.status().as_u16(), 401);
    org.shutdown().await;
}

#[tokio::test]
async fn a_browser_already_signed_in_keeps_its_session_and_ignores_the_token() {
    let org = common::start().await;
    let session_token = |login: &'static str| {
        let org = &org;
        async move {
            let waiting = org.start_push(login).await;
            org.approve(login, None).await;
            let done = org.next(&waiting, json!({})).await;
            done["sessionToken"].as_str().unwrap().to_owned()
        }
    };
    let target = org.url("/app/UserHome");
    let redirect = |token: String, cookie: Option<String>| {
        let mut request = org
            .http
            .get(org.url("/login/sessionCookieRedirect"))
            .query(&[("token", token), ("redirectUrl", target.clone())]);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let first = redirect(session_token("push@demo.test").await, None)
        .await
        .unwrap();
    let sid = first.headers()["set-cookie"].to_str().unwrap();
    let sid = sid.split(';').next().unwrap().to_owned();

    let other_token = session_token("multi@demo.test").await;
    let kept = redirect(other_token.clone(), Some(sid.clone()))
        .await
        .unwrap();
    assert_eq!(kept.status().as_u16(), 302);
    assert!(
        kept.headers().get("set-cookie").is_none(),
        "the existing session is kept"
    );
    let home = org
        .http
        .get(&target)
        .header("cookie", &sid)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Pat Push"), "still the first user: {home}");

    let fresh = redirect(other_token, None).await.unwrap();
    assert_eq!(
        fresh.status().as_u16(),
        302,
        "the ignored token was left unused"
    );
    org.shutdown().await;
}
