//! Keyboard and screen-reader access to every screen the demo org can reach, in the real
//! window. On each screen: every control shown is reached with Tab and shows its focus, has
//! an accessible name and a role (as the page computes them and, where the driver can say, as
//! WebKit's accessibility tree does, which is what Orca and VoiceOver read), and there is one
//! h1. The flows are driven with the keyboard alone: Tab to a control, then Enter or Space.
//! Errors must be announced (the field marked invalid and described by a live message), and
//! the enrollment QR code must have a text alternative that says what it is for without
//! giving away the activation link it holds.

// Beside this file rather than in tests/ itself, where Cargo would take it for a test.
#[path = "accessibility/checks.rs"]
mod checks;
mod common;

use std::time::Duration;

use checks::{
    activate, add_account_by_keyboard, assert_error_announced, assert_qr_text_alternative, audit,
    focus_lands_on, inspect, replace_text, sign_in_by_keyboard, tab_order_has, tab_to,
    wait_announced,
};
use common::{ONE_AT_A_TIME, TestResult, Window, demo_org, launch_on, org_url};
use oktadesk_demo_org::DemoOrgConfig;
use oktadesk_e2e::Desktop;
use oktadesk_e2e::accessibility::{self as a11y, ENTER, ESCAPE};

/// How long an enrollment QR code works in the enrollment test, which lets one expire.
const ACTIVATION_LIFETIME: Duration = Duration::from_secs(120);

/// enroll@demo.test by keyboard alone: Add account (with a wrong org URL first, and the
/// certificate panel), password (empty first), the QR code, the activation link by email or
/// SMS, the code expiring and a new one, the phone scanning, success, details and the
/// accounts list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrollment_works_by_keyboard_and_every_screen_is_named() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig {
        activation_lifetime: ACTIVATION_LIFETIME,
        ..DemoOrgConfig::default()
    })
    .await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    let keys = app.client();

    window.wait_text("h1.screen-title", "Add account").await?;
    window.wait_shown("#demo-user-list .chip").await?;
    window.wait_shown("#phone").await?;
    audit(&window, "add-account").await?;

    // A wrong org URL, typed and sent from the keyboard: the reason is tied to the field,
    // announced, and focus goes to the field to fix.
    replace_text(&window, "#org-url", "http://acme.okta.com").await?;
    replace_text(&window, "#username", "enroll@demo.test").await?;
    a11y::press(keys, ENTER).await?;
    window.wait_text("#org-url-error", "https://").await?;
    let message = assert_error_announced(&window, "#org-url").await?;
    assert!(message.contains("not encrypted"), "{message}");
    assert!(focus_lands_on(&window, "#org-url").await?);
    window.screenshot("a11y-01-org-url-error").await?;

    // The certificate panel opens and closes from the keyboard, and its fields are named.
    activate(&window, "#trust-panel > summary", ENTER).await?;
    window.wait_shown("#trust-pem").await?;
    let order = audit(&window, "add-account-certificate").await?;
    assert!(tab_order_has(&order, "#trust-pem") && tab_order_has(&order, "#trust-save"));
    activate(&window, "#trust-panel > summary", ENTER).await?;

    replace_text(&window, "#org-url", &org_url(&org)).await?;
    a11y::press(keys, ENTER).await?;
    window
        .wait_text("h1.screen-title", "Enter your password")
        .await?;
    assert!(
        focus_lands_on(&window, "#password").await?,
        "focus starts in the password field"
    );
    audit(&window, "password").await?;

    // No password: the field says so.
    activate(&window, "#password", ENTER).await?;
    window
        .wait_text("#password-error", "Enter your password")
        .await?;
    assert_error_announced(&window, "#password").await?;
    sign_in_by_keyboard(&window).await?;

    window
        .wait_text("h1.screen-title", "Set up Okta Verify")
        .await?;
    window.wait_shown("#qr svg").await?;
    window.wait_shown("#phone-scan").await?;
    assert_qr_text_alternative(&window).await?;
    audit(&window, "enroll-qr").await?;

    // For people who cannot scan: the activation link by email or SMS, from the keyboard.
    activate(&window, "#link-options > summary", ENTER).await?;
    window.wait_shown("#link-email").await?;
    let order = audit(&window, "enroll-send-link").await?;
    for control in ["#link-email", "#sms-number", "#link-sms"] {
        assert!(
            tab_order_has(&order, control),
            "{control} is not in {order:?}"
        );
    }
    replace_text(&window, "#sms-number", "4155550123").await?;
    a11y::press(keys, ENTER).await?;
    window
        .wait_text("#sms-number-error", "country code")
        .await?;
    assert_error_announced(&window, "#sms-number").await?;
    activate(&window, "#link-email", ENTER).await?;
    window.wait_text("#link-sent", "by email").await?;
    let sent = a11y::describe(keys, "#link-sent")
        .await?
        .ok_or("no #link-sent")?;
    assert_eq!(sent.role, "status", "the link being sent is announced");
    assert!(
        focus_lands_on(&window, "#link-options > summary").await?,
        "focus stays on the folded options, not lost to the page"
    );
    window.screenshot("a11y-02-activation-link-sent").await?;

    // The code expires: the reason is said, focus goes to getting a new one, and the image
    // says it is expired.
    org.advance_clock(ACTIVATION_LIFETIME + Duration::from_secs(1));
    window.wait_shown("#qr-expired").await?;
    wait_announced(&window, "QR code expired").await?;
    assert!(focus_lands_on(&window, "#qr-refresh").await?);
    let expired = a11y::describe(keys, "#qr").await?.ok_or("no #qr")?;
    assert!(expired.name.starts_with("Expired QR code"), "{expired:?}");
    audit(&window, "enroll-qr-expired").await?;
    activate(&window, "#qr-refresh", ENTER).await?;
    window.wait_shown("#qr:not(.is-dim) svg").await?;
    assert_qr_text_alternative(&window).await?;

    activate(&window, "#phone-scan", ENTER).await?;
    window
        .wait_text("h1.screen-title", "You're signed in")
        .await?;
    window
        .wait_text("#success-remembered", "Remembered")
        .await?;
    audit(&window, "success").await?;

    activate(&window, "#open-details", ENTER).await?;
    window
        .wait_text("h1.screen-title", "Sign-in details")
        .await?;
    window
        .wait_text("#transcript-rows", "/api/v1/authn")
        .await?;
    let order = audit(&window, "details").await?;
    // A long transcript scrolls: its box takes focus so arrow keys can scroll it.
    assert!(tab_order_has(&order, "#transcript-box"), "{order:?}");
    activate(&window, "#details-back", ENTER).await?;
    window
        .wait_text("h1.screen-title", "You're signed in")
        .await?;
    activate(&window, "#success-done", ' ').await?;

    window.wait_text("h1.screen-title", "Sign in").await?;
    window
        .wait_text("#account-list", "enroll@demo.test")
        .await?;
    audit(&window, "accounts").await?;

    // Renaming in place: the field is named, and Escape gives focus back to the account.
    activate(
        &window,
        "#account-list [aria-label='Rename enroll@demo.test']",
        ENTER,
    )
    .await?;
    window.wait_shown(".account-rename").await?;
    let field = a11y::focused(keys)
        .await?
        .ok_or("the rename field has no focus")?;
    assert_eq!(field.control.name, "New name for enroll@demo.test");
    assert_eq!(field.control.role, "textbox");
    a11y::press(keys, ESCAPE).await?;
    window.wait_shown("#account-list .account-main").await?;
    assert!(focus_lands_on(&window, ".account-main").await?);

    app.close().await?;
    Ok(())
}

/// push@demo.test (sent, then denied), number@demo.test (the number challenge) and
/// totp@demo.test (a wrong code, then the phone's), answered from the keyboard.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_number_challenge_and_code_work_by_keyboard() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig::default()).await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    let keys = app.client();

    add_account_by_keyboard(&window, "push@demo.test").await?;
    sign_in_by_keyboard(&window).await?;
    window
        .wait_text("h1.screen-title", "Check your phone")
        .await?;
    window.wait_shown("#phone-deny").await?;
    audit(&window, "push-sent").await?;
    activate(&window, "#phone-deny", ENTER).await?;
    window.wait_text("h1.screen-title", "Push denied").await?;
    window.wait_text("#push-status", "rejected").await?;
    assert!(
        focus_lands_on(&window, "#push-resend").await?,
        "focus goes to sending a new push"
    );
    let status = a11y::describe(keys, "#push-status")
        .await?
        .ok_or("no #push-status")?;
    assert_eq!(status.role, "status", "why the push failed is announced");
    audit(&window, "push-denied").await?;
    activate(&window, "#push-cancel", ENTER).await?;
    window
        .wait_text("h1.screen-title", "Enter your password")
        .await?;
    activate(&window, "#password-back", ENTER).await?;

    add_account_by_keyboard(&window, "number@demo.test").await?;
    sign_in_by_keyboard(&window).await?;
    let number = window.wait_shown("#push-number").await?.text().await?;
    let number = number.trim().to_owned();
    window
        .wait_text("h1.screen-title", &format!("Tap {number}"))
        .await?;
    assert_eq!(
        window.find("#push-number").await?.attr("aria-live").await?,
        Some("assertive".into()),
        "the number is announced"
    );
    window
        .wait_shown(&format!("#phone-number-{number}"))
        .await?;
    audit(&window, "number-challenge").await?;
    activate(&window, &format!("#phone-number-{number}"), ENTER).await?;
    window.wait_text("#success-who", "Nora Number").await?;
    activate(&window, "#success-done", ENTER).await?;
    window.wait_text("h1.screen-title", "Sign in").await?;
    activate(&window, "#add-another", ENTER).await?;

    add_account_by_keyboard(&window, "totp@demo.test").await?;
    sign_in_by_keyboard(&window).await?;
    window
        .wait_text("h1.screen-title", "Enter your code")
        .await?;
    assert!(
        focus_lands_on(&window, "#code").await?,
        "focus starts in the code field"
    );
    audit(&window, "code").await?;
    tab_to(&window, "#code").await?;
    window.press_keys("000000").await?;
    window.wait_text("#code-error", "not right").await?;
    assert_error_announced(&window, "#code").await?;
    assert!(focus_lands_on(&window, "#code").await?);
    window.screenshot("a11y-03-code-refused").await?;
    let code = window
        .wait_shown("#phone-code")
        .await?
        .attr("data-code")
        .await?
        .ok_or("the phone shows no code")?;
    replace_text(&window, "#code", &code).await?;
    window.wait_text("#success-who", "Toby Totp").await?;

    app.close().await?;
    Ok(())
}

/// multi@demo.test (the factor choice), expired@demo.test (a password change, with a
/// mistyped confirmation first), locked@demo.test (the lockout) and an org that went away
/// (the failure screen).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn factor_choice_password_change_and_failures_work_by_keyboard() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    // The lockout screen needs an org that reveals lockout (real orgs hide it by default).
    let org = demo_org(DemoOrgConfig {
        reveal_lockout: true,
        ..DemoOrgConfig::default()
    })
    .await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    let keys = app.client();

    add_account_by_keyboard(&window, "multi@demo.test").await?;
    sign_in_by_keyboard(&window).await?;
    window
        .wait_text("h1.screen-title", "Verify it's you")
        .await?;
    window.wait_shown("#factor-list .choice").await?;
    audit(&window, "factors").await?;
    activate(&window, "#factors-cancel", ENTER).await?;
    window
        .wait_text("h1.screen-title", "Enter your password")
        .await?;
    activate(&window, "#password-back", ENTER).await?;

    add_account_by_keyboard(&window, "expired@demo.test").await?;
    sign_in_by_keyboard(&window).await?;
    window
        .wait_text("h1.screen-title", "Your password has expired")
        .await?;
    audit(&window, "change-password").await?;
    replace_text(&window, "#new-password", "Fresh-Pa55word-1").await?;
    replace_text(&window, "#confirm-password", "Fresh-Pa55word-2").await?;
    a11y::press(keys, ENTER).await?;
    window
        .wait_text("#confirm-password-error", "not the same")
        .await?;
    assert_error_announced(&window, "#confirm-password").await?;
    assert!(focus_lands_on(&window, "#confirm-password").await?);
    replace_text(&window, "#confirm-password", "Fresh-Pa55word-1").await?;
    a11y::press(keys, ENTER).await?;
    window.wait_text("#success-who", "Eve Expired").await?;
    activate(&window, "#success-done", ENTER).await?;
    activate(&window, "#add-another", ENTER).await?;

    add_account_by_keyboard(&window, "locked@demo.test").await?;
    sign_in_by_keyboard(&window).await?;
    window
        .wait_text("h1.screen-title", "Your account is locked")
        .await?;
    audit(&window, "locked").await?;
    activate(&window, "#locked-back", ENTER).await?;
    window.wait_text("h1.screen-title", "Sign in").await?;
    activate(&window, "#add-another", ENTER).await?;

    // The org goes away: the failure is announced as an alert.
    org.shutdown().await;
    add_account_by_keyboard(&window, "nomfa@demo.test").await?;
    sign_in_by_keyboard(&window).await?;
    window
        .wait_text("h1.screen-title", "Sign-in didn't work")
        .await?;
    let message = a11y::describe(keys, "#failed-message")
        .await?
        .ok_or("no #failed-message")?;
    assert_eq!(message.role, "alert", "the failure is announced");
    audit(&window, "failed").await?;

    app.close().await?;
    Ok(())
}

/// The users the recovery screens are reached with (see tests/tests/recovery.rs), named once
/// so they can follow the demo org if it seeds them differently.
const LOCKED_USER: &str = "locked@demo.test";
const SMS_RECOVERY_USER: &str = "recover@demo.test";
const SECURITY_ANSWER: &str = "blue cheese";
const NEW_PASSWORD: &str = "Sunny-Meadow-42-Pa55";

/// The newest `channel` message the org sent `login` (the demo phone's inbox).
fn newest_message(
    org: &oktadesk_demo_org::DemoOrg,
    login: &str,
    channel: &str,
) -> Result<oktadesk_demo_org::InboxMessage, Box<dyn std::error::Error + Send + Sync>> {
    let started = std::time::Instant::now();
    loop {
        let inbox = org.phone(login).view()?.inbox;
        if let Some(message) = inbox.iter().rev().find(|m| m.channel == channel) {
            return Ok(message.clone());
        }
        if started.elapsed() > common::PATIENCE {
            return Err(format!("no {channel} message for {login}").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Self-service recovery by keyboard alone: "Unlock account" from the lockout screen, the
/// recovery factor, "Check your email" (an empty paste first), "Your account is unlocked";
/// then "Forgot password?" from the password screen, the SMS code and the question, and
/// "Choose a new password" (its rules named, a mismatch announced) to success.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_works_by_keyboard_and_every_screen_is_named() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let org = demo_org(DemoOrgConfig {
        reveal_lockout: true,
        ..DemoOrgConfig::default()
    })
    .await?;
    let desktop = Desktop::start()?;
    let app = launch_on(&desktop, &org_url(&org)).await?;
    let window = Window(app.client());
    let keys = app.client();

    add_account_by_keyboard(&window, LOCKED_USER).await?;
    let order = audit(&window, "password-with-recovery").await?;
    for control in ["#forgot-password", "#unlock-account"] {
        assert!(tab_order_has(&order, control), "{control} not in {order:?}");
    }
    sign_in_by_keyboard(&window).await?;
    window
        .wait_text("h1.screen-title", "Your account is locked")
        .await?;
    window.wait_shown("#locked-unlock").await?;
    assert!(
        focus_lands_on(&window, "#locked-unlock").await?,
        "focus starts on unlocking"
    );
    audit(&window, "locked-can-unlock").await?;
    activate(&window, "#locked-unlock", ENTER).await?;

    // The recovery factor, when Okta asks; then the emailed link.
    // Chosen once: the list stays up while Okta answers, and choosing again would race it.
    let mut chosen = false;
    loop {
        let title = window.title().await?;
        if title == "Unlock your account" && !chosen {
            window.wait_shown("#factor-list .choice").await?;
            audit(&window, "factors-unlock").await?;
            activate(&window, "#factor-list .choice[data-factor='email']", ENTER).await?;
            chosen = true;
        } else if title == "Check your email" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    window.wait_shown("#recovery-token").await?;
    assert!(focus_lands_on(&window, "#recovery-token").await?);
    audit(&window, "recovery-email").await?;
    a11y::press(keys, ENTER).await?;
    window
        .wait_text("#recovery-token-error", "Paste the link")
        .await?;
    assert_error_announced(&window, "#recovery-token").await?;
    window.screenshot("a11y-04-recovery-link-missing").await?;
    // The code at the link's end, which the field takes as well as the whole link: typed
    // key by key, it has no characters a keyboard layout could change.
    let token = newest_message(&org, LOCKED_USER, "email")?.code;
    replace_text(&window, "#recovery-token", &token).await?;
    a11y::press(keys, ENTER).await?;
    window
        .wait_text("h1.screen-title", "Your account is unlocked")
        .await?;
    wait_announced(&window, "Your account is unlocked").await?;
    assert!(focus_lands_on(&window, "#unlocked-sign-in").await?);
    audit(&window, "unlocked").await?;
    activate(&window, "#unlocked-back", ENTER).await?;
    window.wait_text("h1.screen-title", "Add account").await?;

    add_account_by_keyboard(&window, SMS_RECOVERY_USER).await?;
    activate(&window, "#forgot-password", ENTER).await?;
    let mut chosen = false;
    loop {
        let title = window.title().await?;
        if title == "Reset your password" && !chosen {
            window.wait_shown("#factor-list .choice").await?;
            audit(&window, "factors-recover").await?;
            activate(&window, "#factor-list .choice[data-factor='sms']", ENTER).await?;
            chosen = true;
        } else if title == "Enter your code" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    window.wait_text("#code-lead", "prove it's you").await?;
    audit(&window, "code-recover").await?;
    let code = newest_message(&org, SMS_RECOVERY_USER, "sms")?.code;
    tab_to(&window, "#code").await?;
    window.press_keys(&code).await?;
    window
        .wait_text("h1.screen-title", "Answer your security question")
        .await?;
    replace_text(&window, "#answer", SECURITY_ANSWER).await?;
    a11y::press(keys, ENTER).await?;

    window
        .wait_text("h1.screen-title", "Choose a new password")
        .await?;
    assert!(
        focus_lands_on(&window, "#reset-password").await?,
        "focus starts in the new password"
    );
    let rules = a11y::describe(keys, "#reset-rules")
        .await?
        .ok_or("no #reset-rules")?;
    assert_eq!(rules.name, "Password requirements", "{rules:?}");
    let order = audit(&window, "new-password").await?;
    for control in [
        "#reset-password",
        "#reset-confirm",
        "#reset-show",
        "#new-password-submit",
    ] {
        assert!(tab_order_has(&order, control), "{control} not in {order:?}");
    }
    replace_text(&window, "#reset-password", NEW_PASSWORD).await?;
    replace_text(&window, "#reset-confirm", "something else").await?;
    a11y::press(keys, ENTER).await?;
    window
        .wait_text("#reset-confirm-error", "not the same")
        .await?;
    assert_error_announced(&window, "#reset-confirm").await?;
    assert!(focus_lands_on(&window, "#reset-confirm").await?);
    window.screenshot("a11y-05-new-password-mismatch").await?;
    replace_text(&window, "#reset-confirm", NEW_PASSWORD).await?;
    a11y::press(keys, ENTER).await?;
    // The texted code proved the second factor too: the sign-in goes on to success.
    window.wait_shown("#success-who").await?;

    app.close().await?;
    Ok(())
}

/// The checks above fail where they should: controls are put into the page that have no
/// name, no role, no focus ring, or cannot be reached with Tab, and the audit names each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_finds_unnamed_unreachable_and_unmarked_controls() -> TestResult {
    let _serial = ONE_AT_A_TIME.lock().await;
    let desktop = Desktop::start()?;
    let app = desktop.launch(&[]).await?;
    let window = Window(app.client());
    window.wait_text("h1.screen-title", "Add account").await?;
    audit(&window, "add-account-without-demo").await?;

    window
        .0
        .execute(
            r##"const card = document.querySelector("#main .card");
               const add = (html) => card.insertAdjacentHTML("beforeend", html);
               add('<button type="button" id="probe-unnamed"></button>');
               add('<div id="probe-no-role" tabindex="0">Plain text that takes focus</div>');
               add('<div inert><button type="button" id="probe-unreachable">Out of reach</button></div>');
               add('<button type="button" id="probe-no-ring">No ring</button>');
               // Script may set styles (the page's CSP refuses only style attributes in markup).
               const bare = document.getElementById("probe-no-ring");
               bare.style.setProperty("outline", "none", "important");
               bare.style.setProperty("box-shadow", "none", "important");"##,
            vec![],
        )
        .await?;
    let inspection = inspect(&window).await?;
    let found = inspection.problems.join("\n");
    println!("found on purpose:\n{found}");
    println!("WebKit's tree: {}", inspection.from_webkit.join(", "));
    for expected in [
        "#probe-unnamed has no accessible name",
        "WebKit gives #probe-unnamed no name",
        "#probe-no-role has no role",
        "WebKit gives #probe-no-role no role",
        "#probe-unreachable (\"Out of reach\") is not reached with Tab",
        "#probe-no-ring shows no focus",
    ] {
        assert!(found.contains(expected), "{expected:?} not in: {found}");
    }
    app.close().await?;
    Ok(())
}
