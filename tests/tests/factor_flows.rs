//! The factors beyond Okta Verify in the real window, against a demo org this test starts:
//! an authenticator app set up with its key, a texted code, security questions answered and
//! set up, a phone number set up, and a factor only the browser can do. Screenshots go under
//! `target/e2e-screenshots/` as in `flows.rs`.

mod common;

use std::time::Duration;

use common::{ONE_AT_A_TIME, TestResult, Window, demo_org, launch_on, org_url};
use fantoccini::Locator;
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrgConfig};
use oktadesk_e2e::Desktop;

/// The code an authenticator app shows now for `key` (base32, as the window groups it):
/// RFC 6238 with SHA-1, six digits, 30-second steps, as Google Authenticator computes it.
fn authenticator_code(key: &str) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let key: String = key.split_whitespace().collect();
    let secret = totp_rs::Secret::try_from_base32(key.trim_end_matches('='))
        .map_err(|error| format!("the key shown is not base32: {error:?}"))?;
    let totp = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build_noncompliant();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    Ok(totp.generate(now.as_secs()).to_string())
}

/// What the demo org sent `login` by text, call and email (`GET /_demo/inbox/{login}`), newest
/// last. HTTP/1.0, so the demo org answers with a plain body.
fn demo_inbox(
    org: &str,
    login: &str,
) -> Result<Vec<serde_json::Value>, Box<dyn std::error::Error + Send + Sync>> {
    use std::io::{Read, Write};
    let org = url::Url::parse(org)?;
    let host = org.host_str().ok_or("the demo org has no host")?;
    let port = org
        .port_or_known_default()
        .ok_or("the demo org has no port")?;
    let mut stream = std::net::TcpStream::connect((host, port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET /_demo/inbox/{login} HTTP/1.0\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or("the demo org's answer has no body")?;
    if !head.starts_with("HTTP/1.0 200") && !head.starts_with("HTTP/1.1 200") {
        return Err(format!(
            "the demo inbox answered {}",
            head.lines().next().unwrap_or("")
        )
        .into());
    }
    Ok(serde_json::from_str(body)?)
}

/// 7. google@demo.test: the org requires an authenticator app. The QR code and, under it, the
///    key in groups of four; the code the key gives (computed here, as an app would) is typed
///    under the QR code, and the sign-in succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authenticator_app_is_set_up_with_the_key_shown() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("google@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .wait_text("h1.screen-title", "Set up an authenticator app")
        .await?;
    window.wait_shown("#app-qr svg").await?;
    window.wait_shown("#app-code").await?;
    let key = window.wait_shown("#app-secret").await?.text().await?;
    let groups: Vec<&str> = key.split(' ').collect();
    assert!(
        groups.len() >= 4 && groups[..groups.len() - 1].iter().all(|g| g.len() == 4),
        "the key is shown in groups of four ({} groups)",
        groups.len()
    );
    window.wait_shown("#app-secret-copy").await?;
    window.wait_shown("#phone-scan").await?;
    window.screenshot("flow-22-authenticator-app-key").await?;

    window
        .type_into("#app-code", &authenticator_code(&key)?)
        .await?;
    window.wait_text("#success-who", "Gail Google").await?;
    app.close().await?;
    Ok(())
}

/// 8. sms@demo.test: a code is texted to the masked number the window names; the demo phone
///    shows the text, the same code the org's inbox has; typed in, it signs in. A new code
///    waits for Okta's interval.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_texted_code_is_read_from_the_demo_phone_and_accepted() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("sms@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .wait_text("h1.screen-title", "Enter your code")
        .await?;
    window.wait_text("#code-lead", "text message").await?;
    window
        .wait_text("#code-sent-to", "Sent to +1 XXX-XXX-0142")
        .await?;
    window.wait_shown("#code-resend").await?;
    assert!(
        !window.find("#code-resend").await?.is_enabled().await?,
        "a new code waits for Okta's interval"
    );
    window.wait_text("#code-resend-wait", "new code in").await?;

    let shown = window
        .wait_shown("#phone-inbox [data-channel='sms']")
        .await?
        .attr("data-code")
        .await?
        .ok_or("the demo phone shows no text")?;
    let inbox = demo_inbox(&org_url(&org), "sms@demo.test")?;
    let sent = inbox
        .iter()
        .rev()
        .find(|message| message["channel"] == "sms")
        .ok_or("the org sent no text")?;
    assert_eq!(shown, sent["code"], "the phone shows the latest text");
    window.screenshot("flow-23-sms-code").await?;

    window.type_into("#code", &shown).await?;
    window.wait_text("#success-who", "Sam Sms").await?;
    app.close().await?;
    Ok(())
}

/// 9. question@demo.test: the security question is the field's label; a wrong answer is
///    explained and kept, the right one signs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_security_question_is_answered() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("question@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .wait_text("h1.screen-title", "Answer your security question")
        .await?;
    let question = window.wait_shown("#answer-question").await?.text().await?;
    assert!(question.ends_with('?'), "{question}");
    window.type_into("#answer", "not the answer").await?;
    window.click("#answer-submit").await?;
    window.wait_shown("#answer-error").await?;
    let error = window.find("#answer-error").await?.text().await?;
    assert!(!error.is_empty(), "a wrong answer is explained");
    window.screenshot("flow-24-security-question").await?;

    let field = window.find("#answer").await?;
    field.clear().await?;
    field
        .send_keys(oktadesk_demo_org::DEMO_SECURITY_ANSWER)
        .await?;
    window.click("#answer-submit").await?;
    window.wait_text("#success-who", "Quinn Question").await?;
    app.close().await?;
    Ok(())
}

/// 10. webauthn@demo.test: the org requires a security key, which only a browser can set up.
///     The window says so before anything is enrolled, and its button hands the org's own
///     sign-in page (nothing else) to the browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_factor_only_the_browser_can_do_is_handed_to_the_browser() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("webauthn@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .wait_text("h1.screen-title", "Continue in your browser")
        .await?;
    window.wait_text("#browser-message", "Security key").await?;
    assert!(
        !window
            .find("#browser-another")
            .await?
            .is_displayed()
            .await?,
        "nothing else leads on from here"
    );
    window.screenshot("flow-25-continue-in-browser").await?;

    window.click("#browser-open").await?;
    window
        .wait_text("#browser-status", "Opened in your browser")
        .await?;
    let opened = desktop
        .services()
        .browser()
        .wait_for_open(Duration::from_secs(10))?;
    let opened = url::Url::parse(&opened)?;
    let org = url::Url::parse(&org_url(&org))?;
    assert_eq!(opened.origin(), org.origin(), "{opened}");

    window.click("#browser-cancel").await?;
    window
        .wait_text("h1.screen-title", "Enter your password")
        .await?;
    app.close().await?;
    Ok(())
}

/// After a factor is set up, Okta either signs in or lists the factors again with "skip"
/// (the others being optional): either way, on to success.
async fn finish_enrollment(window: &Window<'_>) -> TestResult {
    let started = std::time::Instant::now();
    while started.elapsed() < common::PATIENCE {
        // The client's own `find`, which does not wait for an element that may never come.
        let client = window.0;
        if let Ok(title) = client.find(Locator::Css("h1.screen-title")).await
            && title
                .text()
                .await
                .unwrap_or_default()
                .contains("You're signed in")
        {
            return Ok(());
        }
        if let Ok(skip) = client.find(Locator::Css("#factors-skip")).await
            && skip.is_displayed().await.unwrap_or(false)
        {
            skip.click().await?;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    window.failure_screenshot("success after enrolling").await;
    Err("the sign-in did not finish after the enrollment".into())
}

/// 11. enrollall@demo.test sets up SMS: the factor list marks the factors only a browser can
///     set up; the phone number screen names the number on file, passes the core's refusal
///     of a number without its country code, and takes one written with spaces; the texted
///     code confirms it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_is_set_up_with_a_new_phone_number() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("enrollall@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .wait_text("h1.screen-title", "Set up a way to verify")
        .await?;
    let browser_only = window
        .wait_shown("#factor-list [data-needs-browser='true']")
        .await?
        .text()
        .await?;
    assert!(
        browser_only.contains("Continues in your browser"),
        "{browser_only}"
    );
    window.screenshot("flow-26-enroll-any-factor").await?;

    window.click("#factor-list [data-factor='sms']").await?;
    window
        .wait_text("h1.screen-title", "Add your phone number")
        .await?;
    window
        .wait_text("#phone-number-current", "+1 XXX-XXX-0142")
        .await?;
    window.type_into("#phone-number", "555").await?;
    window.click("#phone-number-submit").await?;
    window
        .wait_text("#phone-number-error", "country code")
        .await?;
    let field = window.find("#phone-number").await?;
    field.clear().await?;
    field.send_keys("+1 555 555 0177").await?;
    window.click("#phone-number-submit").await?;

    window
        .wait_text("h1.screen-title", "Confirm the new code")
        .await?;
    window.wait_text("#code-lead", "XXX-XXX-0177").await?;
    let code = window
        .wait_shown("#phone-inbox [data-channel='sms']")
        .await?
        .attr("data-code")
        .await?
        .ok_or("the demo phone shows no text")?;
    window.type_into("#code", &code).await?;
    finish_enrollment(&window).await?;
    window.wait_text("#success-who", "Ella Enrollall").await?;
    app.close().await?;
    Ok(())
}

/// 12. enrollall@demo.test sets up a security question: one of the org's questions, an
///     answer Okta finds too short explained, then one it takes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_security_question_is_chosen_and_answered() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    window.add_account("enrollall@demo.test").await?;
    window.enter_password(DEMO_PASSWORD).await?;

    window
        .click("#factor-list [data-factor='question']")
        .await?;
    window
        .wait_text("h1.screen-title", "Choose a security question")
        .await?;
    window
        .wait_shown("#question-choice option:nth-child(4)")
        .await?;
    window.type_into("#question-answer", "abc").await?;
    window.click("#question-choice-submit").await?;
    window
        .wait_text("#question-answer-error", "at least 4 characters")
        .await?;
    window.screenshot("flow-27-security-question-setup").await?;

    let field = window.find("#question-answer").await?;
    field.clear().await?;
    field
        .send_keys(oktadesk_demo_org::DEMO_SECURITY_ANSWER)
        .await?;
    window.click("#question-choice-submit").await?;
    finish_enrollment(&window).await?;
    window.wait_text("#success-who", "Ella Enrollall").await?;
    app.close().await?;
    Ok(())
}
