//! Self-service recovery in the real window, against a demo org this test starts, on both
//! engines: "Forgot password?" by the link Okta emails, and by a code texted to the phone
//! followed by the security question; "Unlock account" from the lockout screen by email; a
//! new password the org's policy refuses, then one it takes; and an org that keeps recovery
//! to its help desk. Links and codes are read from the demo phone's inbox, as a person reads
//! their mail and texts (as `sent_codes.rs` does). Screenshots go under
//! `target/e2e-screenshots/` as in `flows.rs`.
//!
//! The users and values below are what the demo org seeds for recovery; they are named once
//! here so they can follow the demo org if it seeds them differently.

mod common;

use common::{ONE_AT_A_TIME, TestResult, Window, demo_org, launch_on, org_url};
use oktadesk_demo_org::{DEMO_PASSWORD, DemoEngine, DemoOrg, DemoOrgConfig, InboxMessage};
use oktadesk_e2e::Desktop;

/// Locked out after too many failed sign-ins; the org lets it unlock itself by email.
const LOCKED_USER: &str = "locked@demo.test";
const LOCKED_NAME: &str = "Lou Locked";
/// Resets a forgotten password with the link Okta emails (a code on Identity Engine).
const EMAIL_RECOVERY_USER: &str = "forgot@demo.test";
const EMAIL_RECOVERY_NAME: &str = "Fay Forgot";
/// Resets a forgotten password with a code by SMS, then (on Classic) his recovery question.
const SMS_RECOVERY_USER: &str = "recover@demo.test";
const SMS_RECOVERY_NAME: &str = "Reed Recover";
/// `recover@demo.test`'s answer to his Classic recovery question.
const SECURITY_ANSWER: &str = "blue cheese";
/// Asked for on an org that keeps resets and unlocks to its help desk.
const NO_SELF_SERVICE_USER: &str = "forgot@demo.test";
/// A new password every demo policy takes.
const NEW_PASSWORD: &str = "Sunny-Meadow-42-Pa55";
/// A new password the demo org's policy refuses, though it meets the rules the page checks:
/// the one in use (Okta's history rule, which the page cannot know).
const REFUSED_PASSWORD: &str = DEMO_PASSWORD;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn config(engine: DemoEngine) -> DemoOrgConfig {
    DemoOrgConfig {
        engine,
        reveal_lockout: true,
        ..DemoOrgConfig::default()
    }
}

fn engine_name(engine: DemoEngine) -> &'static str {
    match engine {
        DemoEngine::IdentityEngine => "idx",
        _ => "classic",
    }
}

/// What the org has sent `login` on `channel` last, once it has sent `count` of them.
fn newest(
    org: &DemoOrg,
    login: &str,
    channel: &str,
    count: usize,
) -> Result<InboxMessage, BoxError> {
    let started = std::time::Instant::now();
    loop {
        let inbox: Vec<InboxMessage> = org
            .phone(login)
            .view()?
            .inbox
            .into_iter()
            .filter(|message| message.channel == channel)
            .collect();
        if inbox.len() >= count {
            return Ok(inbox.last().cloned().ok_or("no message")?);
        }
        if started.elapsed() > common::PATIENCE {
            return Err(format!("no {channel} message for {login}").into());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// From the first screen to the password step for `username`; on an Identity Engine org
/// Add account fills in the OktaDesk app first.
async fn to_password(window: &Window<'_>, username: &str) -> TestResult {
    window.wait_text("h1.screen-title", "Add account").await?;
    window.add_account(username).await
}

/// The emailed recovery: Classic emails a link (the "Check your email" screen takes it),
/// Identity Engine a code (the code screen takes it). Returns what was pasted.
async fn answer_the_email(
    window: &Window<'_>,
    org: &DemoOrg,
    login: &str,
    shot: &str,
) -> Result<String, BoxError> {
    let started = std::time::Instant::now();
    loop {
        let title = window.title().await.unwrap_or_default();
        if title == "Check your email" {
            window.wait_shown("#recovery-token").await?;
            window.screenshot(shot).await?;
            let message = newest(org, login, "email", 1)?;
            let link = message.link.ok_or("the recovery email carries no link")?;
            window.type_into("#recovery-token", &link).await?;
            window.click("#recovery-email-submit").await?;
            return Ok(link);
        }
        if title == "Enter your code" {
            window.wait_text("#code-lead", "by email").await?;
            window.screenshot(shot).await?;
            let code = newest(org, login, "email", 1)?.code;
            window.type_into("#code", &code).await?;
            return Ok(code);
        }
        if started.elapsed() > common::PATIENCE {
            window.failure_screenshot("recovery-email").await;
            return Err(format!("neither the email nor the code screen; title {title:?}").into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Picks `kind` when Okta asks how to verify (it may not ask when only one factor fits).
async fn choose_if_asked(window: &Window<'_>, kind: &str, title: &str, shot: &str) -> TestResult {
    let started = std::time::Instant::now();
    loop {
        let now = window.title().await.unwrap_or_default();
        if now == title {
            window
                .wait_text("#factors-lead", "How should Okta verify it's you?")
                .await?;
            window.screenshot(shot).await?;
            window
                .click(&format!("#factor-list .choice[data-factor='{kind}']"))
                .await?;
            return Ok(());
        }
        if ["Check your email", "Enter your code", "Ask your help desk"].contains(&now.as_str())
            || started.elapsed() > common::PATIENCE
        {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The new password screen: the org's rules listed before typing, then the password twice.
async fn set_new_password(window: &Window<'_>, password: &str, shot: &str) -> TestResult {
    window
        .wait_text("h1.screen-title", "Choose a new password")
        .await?;
    window.wait_shown("#reset-rules li").await?;
    window.screenshot(shot).await?;
    window.find("#reset-password").await?.clear().await?;
    window.type_into("#reset-password", password).await?;
    window.find("#reset-confirm").await?.clear().await?;
    window.type_into("#reset-confirm", password).await?;
    window.click("#new-password-submit").await
}

/// After the new password the sign-in goes on as Okta says: a code on `channel` if the org
/// asks for one (the `count`th message there), then the success screen naming `name`.
async fn finish_sign_in(
    window: &Window<'_>,
    org: &DemoOrg,
    login: &str,
    channel: &str,
    count: usize,
    name: &str,
) -> TestResult {
    let started = std::time::Instant::now();
    loop {
        match window.title().await.unwrap_or_default().as_str() {
            "Enter your code" => {
                let code = newest(org, login, channel, count)?.code;
                window.type_into("#code", &code).await?;
                break;
            }
            "Choose a new password" | "" => {}
            _ if success_shows(window, name).await => return Ok(()),
            _ => {}
        }
        if started.elapsed() > common::PATIENCE {
            window.failure_screenshot("recovery-finish").await;
            return Err("neither a code nor the success screen after the new password".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    window.wait_text("#success-who", name).await?;
    Ok(())
}

/// Whether the success screen is up and names `name`.
async fn success_shows(window: &Window<'_>, name: &str) -> bool {
    match window.find("#success-who").await {
        Ok(who) => who.text().await.is_ok_and(|text| text.contains(name)),
        Err(_) => false,
    }
}

/// 40. forgot@demo.test forgot the password: "Forgot password?" on the password screen, the
///     recovery by email, the new password, and the sign-in goes on to success. Then the new
///     password signs in. Both engines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_by_the_emailed_link() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    for engine in [DemoEngine::Classic, DemoEngine::IdentityEngine] {
        let name = engine_name(engine);
        let org = demo_org(config(engine)).await?;
        let desktop = Desktop::start()?;
        let app = launch_on(&desktop, &org_url(&org)).await?;
        let window = Window(app.client());
        to_password(&window, EMAIL_RECOVERY_USER).await?;
        window.wait_shown("#forgot-password").await?;
        window
            .screenshot(&format!("recovery-01-{name}-forgot-link"))
            .await?;
        window.click("#forgot-password").await?;
        choose_if_asked(
            &window,
            "email",
            "Reset your password",
            &format!("recovery-02-{name}-choose-factor"),
        )
        .await?;
        let pasted = answer_the_email(
            &window,
            &org,
            EMAIL_RECOVERY_USER,
            &format!("recovery-03-{name}-check-email"),
        )
        .await?;
        set_new_password(
            &window,
            NEW_PASSWORD,
            &format!("recovery-04-{name}-new-password"),
        )
        .await?;
        finish_sign_in(
            &window,
            &org,
            EMAIL_RECOVERY_USER,
            "email",
            2,
            EMAIL_RECOVERY_NAME,
        )
        .await?;
        window
            .screenshot(&format!("recovery-05-{name}-signed-in"))
            .await?;
        // Nothing typed or pasted stays in the page (a six-digit code is too short to tell
        // from other numbers there; the link is not).
        let page = app.client().source().await?;
        let link = Some(pasted.as_str()).filter(|pasted| pasted.len() > 12);
        for secret in std::iter::once(NEW_PASSWORD).chain(link) {
            assert!(
                !page.contains(secret),
                "{name}: a recovery secret in the page"
            );
        }
        app.close().await?;
    }
    Ok(())
}

/// 41. recover@demo.test forgot the password: the recovery factor is SMS, the texted code,
///     then (Classic) the recovery question, then the new password. Both engines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_by_sms_code_and_security_question() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    for engine in [DemoEngine::Classic, DemoEngine::IdentityEngine] {
        let name = engine_name(engine);
        let org = demo_org(config(engine)).await?;
        let desktop = Desktop::start()?;
        let app = launch_on(&desktop, &org_url(&org)).await?;
        let window = Window(app.client());
        to_password(&window, SMS_RECOVERY_USER).await?;
        window.click("#forgot-password").await?;
        choose_if_asked(
            &window,
            "sms",
            "Reset your password",
            &format!("recovery-10-{name}-choose-sms"),
        )
        .await?;
        window
            .wait_text("h1.screen-title", "Enter your code")
            .await?;
        window.wait_text("#code-lead", "prove it's you").await?;
        window
            .screenshot(&format!("recovery-11-{name}-sms-code"))
            .await?;
        let code = newest(&org, SMS_RECOVERY_USER, "sms", 1)?.code;
        window.type_into("#code", &code).await?;
        // Classic asks the recovery question after the code; the Identity Engine org's
        // policy here takes the code alone.
        if engine == DemoEngine::Classic {
            window
                .wait_text("h1.screen-title", "Answer your security question")
                .await?;
            window
                .screenshot(&format!("recovery-12-{name}-question"))
                .await?;
            window.type_into("#answer", SECURITY_ANSWER).await?;
            window.click("#answer-submit").await?;
        }
        set_new_password(
            &window,
            NEW_PASSWORD,
            &format!("recovery-13-{name}-new-password"),
        )
        .await?;
        finish_sign_in(
            &window,
            &org,
            SMS_RECOVERY_USER,
            "sms",
            2,
            SMS_RECOVERY_NAME,
        )
        .await?;
        window
            .screenshot(&format!("recovery-14-{name}-signed-in"))
            .await?;
        app.close().await?;
    }
    Ok(())
}

/// 42. locked@demo.test is locked out: the lockout screen offers "Unlock account"; the
///     unlock by email ends on "Your account is unlocked", whose "Sign in" has the account
///     filled in, and the password signs in. Both engines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_account_is_unlocked_by_email_and_signs_in() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    for engine in [DemoEngine::Classic, DemoEngine::IdentityEngine] {
        let name = engine_name(engine);
        let org = demo_org(config(engine)).await?;
        let desktop = Desktop::start()?;
        let app = launch_on(&desktop, &org_url(&org)).await?;
        let window = Window(app.client());
        to_password(&window, LOCKED_USER).await?;
        window.enter_password(DEMO_PASSWORD).await?;
        window
            .wait_text("h1.screen-title", "Your account is locked")
            .await?;
        window.wait_shown("#locked-unlock").await?;
        window
            .screenshot(&format!("recovery-20-{name}-locked-unlock"))
            .await?;
        window.click("#locked-unlock").await?;
        choose_if_asked(
            &window,
            "email",
            "Unlock your account",
            &format!("recovery-21-{name}-choose-factor"),
        )
        .await?;
        answer_the_email(
            &window,
            &org,
            LOCKED_USER,
            &format!("recovery-22-{name}-check-email"),
        )
        .await?;
        window
            .wait_text("h1.screen-title", "Your account is unlocked")
            .await?;
        window
            .screenshot(&format!("recovery-23-{name}-unlocked"))
            .await?;
        window.click("#unlocked-sign-in").await?;
        window.wait_text("#password-who", LOCKED_USER).await?;
        window.enter_password(DEMO_PASSWORD).await?;
        window.wait_text("#success-who", LOCKED_NAME).await?;
        app.close().await?;
    }
    Ok(())
}

/// 43. A new password the org's policy refuses comes back beside the field with Okta's
///     reason, the screen stands, and the next one is taken. Both engines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_refused_by_policy_is_said_and_the_next_one_taken() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    for engine in [DemoEngine::Classic, DemoEngine::IdentityEngine] {
        let name = engine_name(engine);
        let org = demo_org(config(engine)).await?;
        let desktop = Desktop::start()?;
        let app = launch_on(&desktop, &org_url(&org)).await?;
        let window = Window(app.client());
        to_password(&window, SMS_RECOVERY_USER).await?;
        window.click("#forgot-password").await?;
        choose_if_asked(
            &window,
            "sms",
            "Reset your password",
            &format!("recovery-30-{name}-choose"),
        )
        .await?;
        window
            .wait_text("h1.screen-title", "Enter your code")
            .await?;
        let code = newest(&org, SMS_RECOVERY_USER, "sms", 1)?.code;
        window.type_into("#code", &code).await?;
        if engine == DemoEngine::Classic {
            window
                .wait_text("h1.screen-title", "Answer your security question")
                .await?;
            window.type_into("#answer", SECURITY_ANSWER).await?;
            window.click("#answer-submit").await?;
        }

        // What the page can tell before sending: too short, and the two not the same.
        window
            .wait_text("h1.screen-title", "Choose a new password")
            .await?;
        window.type_into("#reset-password", "short").await?;
        window.click("#new-password-submit").await?;
        window
            .wait_text("#reset-password-error", "The new password needs")
            .await?;
        set_new_password(
            &window,
            REFUSED_PASSWORD,
            &format!("recovery-31-{name}-rules"),
        )
        .await?;
        let refused = window.wait_shown("#reset-password-error").await?;
        let started = std::time::Instant::now();
        while refused.text().await?.trim().is_empty() && started.elapsed() < common::PATIENCE {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            !refused.text().await?.trim().is_empty(),
            "{name}: no reason"
        );
        assert_eq!(
            window.title().await?,
            "Choose a new password",
            "{name}: the screen stands"
        );
        window
            .screenshot(&format!("recovery-32-{name}-refused-by-policy"))
            .await?;
        set_new_password(
            &window,
            NEW_PASSWORD,
            &format!("recovery-33-{name}-second-try"),
        )
        .await?;
        finish_sign_in(
            &window,
            &org,
            SMS_RECOVERY_USER,
            "sms",
            2,
            SMS_RECOVERY_NAME,
        )
        .await?;
        app.close().await?;
    }
    Ok(())
}

/// 44. An org that keeps password resets to its help desk: "Forgot password?" ends on a
///     screen that says so and points to the help desk, with the way back to signing in.
///     Both engines.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_service_not_allowed_points_to_the_help_desk() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    for engine in [DemoEngine::Classic, DemoEngine::IdentityEngine] {
        let name = engine_name(engine);
        let org = demo_org(DemoOrgConfig {
            self_service_recovery: false,
            ..config(engine)
        })
        .await?;
        let desktop = Desktop::start()?;
        let app = launch_on(&desktop, &org_url(&org)).await?;
        let window = Window(app.client());
        to_password(&window, NO_SELF_SERVICE_USER).await?;
        window.click("#forgot-password").await?;
        // Classic needs the factor before the org says no; Identity Engine says it at once.
        choose_if_asked(
            &window,
            "email",
            "Reset your password",
            &format!("recovery-39-{name}-choose-factor"),
        )
        .await?;
        window
            .wait_text("h1.screen-title", "Ask your help desk")
            .await?;
        window.wait_text("#failed-message", "help desk").await?;
        window.wait_shown("#failed-help-desk").await?;
        window
            .screenshot(&format!("recovery-40-{name}-self-service-not-allowed"))
            .await?;
        window.click("#failed-retry").await?;
        window
            .wait_text("h1.screen-title", "Enter your password")
            .await?;
        app.close().await?;
    }
    Ok(())
}
