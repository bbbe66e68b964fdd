//! The window's secrets canary: enrollment, a number challenge, a six-digit code and a plain
//! push run in the real app with a recognisable password, against a demo org whose every
//! token carries a marker, then a number challenge through Identity Engine (IDX: its
//! interaction and state handles, interaction code and tokens carry the marker too), with the
//! app logging at trace level. Then everything the app
//! wrote is scanned: its log, the page (text, attributes and field values) after each
//! success, the transcript it exported, the keychain items as `secret-tool` reads them and
//! the notifications the D-Bus server recorded. Neither the password nor a token may appear.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use common::{ONE_AT_A_TIME, TestResult, Window, app_args, demo_org, org_url};
use oktadesk_demo_org::{DemoEngine, DemoOrgConfig};
use oktadesk_e2e::{Desktop, app_binary};
use oktadesk_testenv::LeakScan;

/// Every demo user's password in this test: nothing else in the app's world produces it.
const CANARY_PASSWORD: &str = "Canary-Pw-3b8d5e19!";
/// Carried by every state, session, activation and `sid` token the demo org hands out.
const TOKEN_MARKER: &str = "AppCanary5";

/// The page as a person or a script could read it: markup with every attribute, plus the
/// live values of form fields (which the markup does not show).
/// The demo phone (`#phone`, demo builds only) stands for the person's own phone and inbox,
/// outside OktaDesk: it shows what the org texted and emailed, recovery links included, as a
/// phone would, so it is left out of what OktaDesk itself shows.
const PAGE_CONTENTS: &str = r##"
const copy = document.documentElement.cloneNode(true);
copy.querySelector("#phone")?.remove();
const values = [...document.querySelectorAll("input, textarea")]
  .filter((field) => !field.closest("#phone"))
  .map((field) => field.value);
return copy.outerHTML + "\n" + values.join("\n");
"##;

/// Starts the app through a shell wrapper that turns trace logging on and keeps stderr in a
/// file: WebKitWebDriver starts the app itself and drops what it prints.
struct TracedApp {
    dir: PathBuf,
    wrapper: PathBuf,
    log: PathBuf,
}

impl TracedApp {
    fn new() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let dir = std::env::temp_dir().join(format!("oktadesk-canary-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let log = dir.join("app.log");
        let wrapper = dir.join("oktadesk-traced");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\nOKTADESK_LOG=trace exec '{}' \"$@\" 2>>'{}'\n",
                app_binary()?.display(),
                log.display()
            ),
        )?;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755))?;
        Ok(Self { dir, wrapper, log })
    }
}

impl Drop for TracedApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn page(window: &Window<'_>) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let contents = window.0.execute(PAGE_CONTENTS, Vec::new()).await?;
    Ok(contents.as_str().unwrap_or_default().to_owned())
}

/// From the first screen to the password step, then the canary password. With accounts
/// remembered, the window opens on Add account and switches to the account list when the
/// keychain answers: wait for the list rather than race it.
async fn sign_in(window: &Window<'_>, username: &str, remembered: bool) -> TestResult {
    if remembered {
        window.wait_text("h1.screen-title", "Sign in").await?;
        window.click("#add-another").await?;
    }
    window.add_account(username).await?;
    window.enter_password(CANARY_PASSWORD).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_or_token_reaches_anything_the_app_writes() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig {
        password: CANARY_PASSWORD.into(),
        token_marker: TOKEN_MARKER.into(),
        ..DemoOrgConfig::default()
    })
    .await?;
    let desktop = Desktop::start()?;
    let traced = TracedApp::new()?;
    let args = app_args(&org_url(&org));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut written = LeakScan::new();

    // Enrollment by QR, then the transcript saved to a file.
    let app = desktop.launch_program(&traced.wrapper, &args).await?;
    let window = Window(app.client());
    sign_in(&window, "enroll@demo.test", false).await?;
    window.wait_shown("#qr svg").await?;
    window.click("#phone-scan").await?;
    window.wait_text("#success-who", "Erin Enroll").await?;
    window
        .wait_text("#success-remembered", "Remembered")
        .await?;
    written.add("the page after enrollment", page(&window).await?);
    window.click("#open-details").await?;
    window
        .wait_text("#transcript-rows", "/api/v1/authn")
        .await?;
    written.add("the details screen", page(&window).await?);
    window.click("#details-export").await?;
    let saved = window.wait_text("#details-status", "Saved to ").await?;
    let path = saved.trim_start_matches("Saved to ").trim();
    let transcript = std::fs::read_to_string(path)?;
    assert!(transcript.contains("/api/v1/authn"), "{transcript}");
    written.add(format!("the exported transcript {path}"), transcript);
    app.close().await?;

    // A number challenge answered on the phone.
    let app = desktop.launch_program(&traced.wrapper, &args).await?;
    let window = Window(app.client());
    sign_in(&window, "number@demo.test", true).await?;
    let number = window.wait_shown("#push-number").await?.text().await?;
    window
        .click(&format!("#phone-number-{}", number.trim()))
        .await?;
    window.wait_text("#success-who", "Nora Number").await?;
    written.add("the page after a number challenge", page(&window).await?);
    app.close().await?;

    // A six-digit code from the phone.
    let app = desktop.launch_program(&traced.wrapper, &args).await?;
    let window = Window(app.client());
    sign_in(&window, "totp@demo.test", true).await?;
    let code = window
        .wait_shown("#phone-code")
        .await?
        .attr("data-code")
        .await?
        .ok_or("the phone shows no code")?;
    window.type_into("#code", &code).await?;
    window.wait_text("#success-who", "Toby Totp").await?;
    written.add("the page after a code", page(&window).await?);
    app.close().await?;

    // A plain push, approved.
    let app = desktop.launch_program(&traced.wrapper, &args).await?;
    let window = Window(app.client());
    sign_in(&window, "push@demo.test", true).await?;
    window.click("#phone-approve").await?;
    window.wait_text("#success-who", "Pat Push").await?;
    written.add("the page after a push", page(&window).await?);
    app.close().await?;

    // Identity Engine: a number challenge through IDX with the demo org's OktaDesk app, and
    // the transcript of it saved.
    let idx_org = demo_org(DemoOrgConfig {
        password: CANARY_PASSWORD.into(),
        token_marker: TOKEN_MARKER.into(),
        engine: DemoEngine::IdentityEngine,
        ..DemoOrgConfig::default()
    })
    .await?;
    let idx_args = app_args(&org_url(&idx_org));
    let idx_args: Vec<&str> = idx_args.iter().map(String::as_str).collect();
    let app = desktop.launch_program(&traced.wrapper, &idx_args).await?;
    let window = Window(app.client());
    window.wait_text("h1.screen-title", "Sign in").await?;
    window.click("#add-another").await?;
    window.wait_shown("#client-id").await?;
    window.add_account("number@demo.test").await?;
    window.enter_password(CANARY_PASSWORD).await?;
    let number = window.wait_shown("#push-number").await?.text().await?;
    window
        .click(&format!("#phone-number-{}", number.trim()))
        .await?;
    window.wait_text("#success-who", "Nora Number").await?;
    written.add("the page after an IDX sign-in", page(&window).await?);
    window.click("#open-details").await?;
    window.wait_text("#transcript-rows", "/idp/idx/").await?;
    written.add("the IDX details screen", page(&window).await?);
    window.click("#details-export").await?;
    let saved = window.wait_text("#details-status", "Saved to ").await?;
    let path = saved.trim_start_matches("Saved to ").trim();
    let transcript = std::fs::read_to_string(path)?;
    assert!(transcript.contains("/v1/token"), "{transcript}");
    written.add(format!("the exported IDX transcript {path}"), transcript);
    app.close().await?;

    // What outlives the window. Each source is checked for content first, so a scan of
    // nothing cannot pass.
    let log = std::fs::read_to_string(&traced.log)?;
    assert!(
        log.contains("TRACE") && log.contains("/api/v1/authn") && log.contains("/idp/idx/"),
        "the app logged at trace level into {}:\n{log}",
        traced.log.display()
    );
    written.add("the app's log", log);
    let items = desktop
        .services()
        .secrets()
        .search_items(&[("service", oktadesk_accounts::SERVICE)])?;
    assert_eq!(items.len(), 5, "one keychain item per account: {items:#?}");
    // Okta's device cookie is kept there on purpose; everything else in them is scanned.
    let mut items = items;
    for item in &mut items {
        item.secret = oktadesk_testenv::without_device_cookies(&item.secret).0;
    }
    written.add("the keychain items", format!("{items:#?}"));
    let notes = desktop.services().notifications().notifications()?;
    assert!(
        notes.iter().any(|note| note.summary == "Push approved"),
        "{notes:#?}"
    );
    written.add("the notifications", format!("{notes:#?}"));

    written.assert_clean(&[(CANARY_PASSWORD, "the password"), (TOKEN_MARKER, "a token")]);
    // The IDX sign-in's PKCE verifier, made by the app itself, cannot carry the org's marker:
    // the org says which one it was sent, and it may not show anywhere either.
    let verifiers = idx_org.pkce_verifiers_seen();
    assert!(!verifiers.is_empty(), "the IDX sign-in exchanged its code");
    for verifier in &verifiers {
        written.assert_clean(&[(verifier.as_str(), "a PKCE verifier")]);
    }
    Ok(())
}

/// The new password a password reset sets in the recovery canary: nothing else produces it.
const CANARY_NEW_PASSWORD: &str = "Canary-New-Pw-5e0b7d92!";
/// Every demo security question's answer (as the demo org seeds it).
const DEMO_SECURITY_ANSWER: &str = "blue cheese";

/// The newest `channel` message the org sent `login`, once it has sent `count` of them.
fn nth_message(
    org: &oktadesk_demo_org::DemoOrg,
    login: &str,
    channel: &str,
    count: usize,
) -> Result<oktadesk_demo_org::InboxMessage, Box<dyn std::error::Error + Send + Sync>> {
    let started = std::time::Instant::now();
    loop {
        let sent: Vec<_> = org
            .phone(login)
            .view()?
            .inbox
            .into_iter()
            .filter(|message| message.channel == channel)
            .collect();
        if sent.len() >= count {
            return Ok(sent.last().cloned().ok_or("no message")?);
        }
        if started.elapsed() > common::PATIENCE {
            return Err(format!("no {channel} message for {login}").into());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Self-service recovery with the app logging at trace level: a password reset by an SMS
/// code and the security question to a recognisable new password, and an unlock by the
/// emailed link. The page after each, the exported transcript, the log and the notifications
/// may hold none of the new password, the answer, the codes, the recovery link or a token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_recovery_secret_reaches_anything_the_app_writes() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig {
        password: CANARY_PASSWORD.into(),
        token_marker: TOKEN_MARKER.into(),
        reveal_lockout: true,
        ..DemoOrgConfig::default()
    })
    .await?;
    let desktop = Desktop::start()?;
    let traced = TracedApp::new()?;
    let args = app_args(&org_url(&org));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut written = LeakScan::new();
    let mut sent = Vec::new();

    // Forgot password: SMS code, the recovery question, the new password, signed in.
    let app = desktop.launch_program(&traced.wrapper, &args).await?;
    let window = Window(app.client());
    window.add_account("recover@demo.test").await?;
    window.click("#forgot-password").await?;
    if let Ok(choice) = window
        .wait_shown("#factor-list .choice[data-factor='sms']")
        .await
    {
        choice.click().await?;
    }
    window
        .wait_text("h1.screen-title", "Enter your code")
        .await?;
    let code = nth_message(&org, "recover@demo.test", "sms", 1)?.code;
    window.type_into("#code", &code).await?;
    sent.push(code);
    window.wait_shown("#answer").await?;
    window.type_into("#answer", DEMO_SECURITY_ANSWER).await?;
    window.click("#answer-submit").await?;
    window.wait_shown("#reset-password").await?;
    window
        .type_into("#reset-password", CANARY_NEW_PASSWORD)
        .await?;
    window
        .type_into("#reset-confirm", CANARY_NEW_PASSWORD)
        .await?;
    window.click("#new-password-submit").await?;
    // The texted code proved the second factor too: the sign-in goes on to success.
    window.wait_text("#success-who", "Reed Recover").await?;
    written.add("the page after a password reset", page(&window).await?);
    window.click("#open-details").await?;
    window
        .wait_text("#transcript-rows", "/api/v1/authn")
        .await?;
    window.click("#details-export").await?;
    let saved = window.wait_text("#details-status", "Saved to ").await?;
    let path = saved.trim_start_matches("Saved to ").trim();
    written.add(
        format!("the exported recovery transcript {path}"),
        std::fs::read_to_string(path)?,
    );
    app.close().await?;

    // Unlock by the emailed link, from the lockout screen.
    let app = desktop.launch_program(&traced.wrapper, &args).await?;
    let window = Window(app.client());
    window.wait_text("h1.screen-title", "Sign in").await?;
    window.click("#add-another").await?;
    window.add_account("locked@demo.test").await?;
    window.enter_password(CANARY_PASSWORD).await?;
    window.click("#locked-unlock").await?;
    if let Ok(choice) = window
        .wait_shown("#factor-list .choice[data-factor='email']")
        .await
    {
        choice.click().await?;
    }
    window.wait_shown("#recovery-token").await?;
    let link = nth_message(&org, "locked@demo.test", "email", 1)?
        .link
        .ok_or("the recovery email carries no link")?;
    window.type_into("#recovery-token", &link).await?;
    window.click("#recovery-email-submit").await?;
    window
        .wait_text("h1.screen-title", "Your account is unlocked")
        .await?;
    sent.push(link);
    written.add("the page after an unlock", page(&window).await?);
    app.close().await?;

    let log = std::fs::read_to_string(&traced.log)?;
    assert!(
        log.contains("TRACE") && log.contains("/api/v1/authn"),
        "the app logged at trace level into {}",
        traced.log.display()
    );
    written.add("the app's log", log);
    let notes = desktop.services().notifications().notifications()?;
    written.add("the notifications", format!("{notes:#?}"));

    written.assert_clean(&[
        (CANARY_PASSWORD, "the password"),
        (TOKEN_MARKER, "a token"),
        (CANARY_NEW_PASSWORD, "the new password"),
        (DEMO_SECURITY_ANSWER, "the security answer"),
    ]);
    for secret in &sent {
        written.assert_clean(&[(secret.as_str(), "a recovery code or link")]);
    }
    Ok(())
}
