//! Keyboard and screen-reader access to every screen the demo org can reach, in the real
//! window. On each screen: every control shown is reached with Tab and shows its focus, has
//! an accessible name and a role (as the page computes them and, where the driver can say, as
//! WebKit's accessibility tree does, which is what Orca and VoiceOver read), and there is one
//! h1. The flows are driven with the keyboard alone: Tab to a control, then Enter or Space.
//! Errors must be announced (the field marked invalid and described by a live message), and
//! the enrollment QR code must have a text alternative that says what it is for without
//! giving away the activation link it holds.

mod common;

use std::time::Duration;

use common::{ONE_AT_A_TIME, TestResult, Window, demo_org, launch_on, org_url};
use fantoccini::Locator;
use oktadesk_demo_org::{DEMO_PASSWORD, DemoOrgConfig};
use oktadesk_e2e::Desktop;
use oktadesk_e2e::accessibility::{self as a11y, BACKSPACE, CONTROL, ENTER, ESCAPE, TabStop};
use serde_json::json;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// More Tab presses than any screen needs to reach a control.
const MAX_TABS_TO_A_CONTROL: usize = 60;

/// How long an enrollment QR code works in the enrollment test, which lets one expire.
const ACTIVATION_LIFETIME: Duration = Duration::from_secs(120);

/// What screen readers must hear for the QR code.
const QR_LABEL: &str = "QR code to scan with Okta Verify on your phone";

/// What [`inspect`] found on one screen.
struct Inspection {
    order: Vec<TabStop>,
    /// What a keyboard or screen-reader user would trip on, one sentence each.
    problems: Vec<String>,
    /// "role name" of each control, as WebKit's accessibility tree has it (empty when the
    /// driver cannot say).
    from_webkit: Vec<String>,
}

/// Checks the screen showing now (see the file's comment) and returns its Tab order; fails
/// with every problem found, and a screenshot.
async fn audit(window: &Window<'_>, screen: &str) -> Result<Vec<TabStop>, BoxError> {
    let Inspection {
        order,
        problems,
        from_webkit,
    } = inspect(window).await?;
    if !problems.is_empty() {
        window.failure_screenshot(&format!("a11y-{screen}")).await;
        return Err(format!("{screen}: {}", problems.join("; ")).into());
    }
    let stops: Vec<String> = order
        .iter()
        .map(|stop| format!("{} {:?}", stop.control.role, stop.control.name))
        .collect();
    println!(
        "{screen}: Tab reaches {} controls: {}",
        order.len(),
        stops.join(", ")
    );
    if from_webkit.is_empty() {
        println!("{screen}: the driver does not report WebKit's computed roles and labels");
    } else {
        println!("{screen}: WebKit's tree: {}", from_webkit.join(", "));
    }
    Ok(order)
}

/// Goes round the screen showing now with Tab and looks at every control it shows.
async fn inspect(window: &Window<'_>) -> Result<Inspection, BoxError> {
    let client = window.0;
    let before = a11y::controls(client).await?;
    let order = a11y::tab_order(client).await?;
    // A control can come or go while Tab goes round (a push's "send again" after a while):
    // only those shown before and after must have been reached.
    let after = a11y::controls(client).await?;
    let reached = |path: &str| order.iter().any(|stop| stop.control.path == path);
    let mut problems = Vec::new();
    for control in &after {
        if before.iter().any(|old| old.path == control.path) && !reached(&control.path) {
            problems.push(format!(
                "{} ({:?}) is not reached with Tab",
                control.path, control.name
            ));
        }
        if control.name.is_empty() {
            problems.push(format!("{} has no accessible name", control.path));
        }
        if control.role.is_empty() {
            problems.push(format!("{} has no role", control.path));
        }
    }
    for stop in &order {
        if !stop.focus_visible {
            problems.push(format!(
                "{} does not match :focus-visible when reached with Tab",
                stop.control.path
            ));
        }
        if !stop.focus_shown {
            problems.push(format!(
                "{} shows no focus when reached with Tab",
                stop.control.path
            ));
        }
    }

    // WebKit's own accessibility tree, where the driver answers for it.
    let mut from_webkit = Vec::new();
    for control in &after {
        let element = client.find(Locator::Css(&control.path)).await?;
        let role = a11y::computed_role(client, &element).await?;
        let label = a11y::computed_label(client, &element).await?;
        let (Some(role), Some(label)) = (role, label) else {
            break;
        };
        // A <summary> is a disclosure button to screen readers, a role WAI-ARIA has no
        // name for, so WebKit's computed role for it is empty. "generic" is a <div>'s.
        let roleless = role.trim().is_empty() || role == "generic";
        if roleless && control.tag != "summary" {
            problems.push(format!("WebKit gives {} no role", control.path));
        }
        if label.trim().is_empty() {
            problems.push(format!("WebKit gives {} no name", control.path));
        }
        from_webkit.push(format!("{role} {label:?}"));
    }

    let headings = client
        .execute(
            "return [...document.querySelectorAll('h1')]
               .filter((h) => h.getClientRects().length > 0)
               .map((h) => h.textContent.trim());",
            vec![],
        )
        .await?;
    let headings = headings.as_array().map(Vec::len).unwrap_or_default();
    if headings != 1 {
        problems.push(format!("{headings} h1 headings shown, not one"));
    }
    Ok(Inspection {
        order,
        problems,
        from_webkit,
    })
}

async fn focus_matches(window: &Window<'_>, css: &str) -> Result<bool, BoxError> {
    let matches = window
        .0
        .execute(
            "return document.activeElement?.matches(arguments[0]) ?? false;",
            vec![json!(css)],
        )
        .await?;
    Ok(matches.as_bool().unwrap_or(false))
}

/// Waits until the page's announcer (a visually hidden live region) says `expected`.
async fn wait_announced(window: &Window<'_>, expected: &str) -> TestResult {
    let started = std::time::Instant::now();
    loop {
        let said = window
            .0
            .execute(
                "return document.getElementById('announcer').textContent;",
                vec![],
            )
            .await?;
        let said = said.as_str().unwrap_or_default();
        if said.contains(expected) {
            return Ok(());
        }
        if started.elapsed() > common::PATIENCE {
            return Err(format!("{expected:?} was never announced; last: {said:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Presses Tab until `css` has focus.
async fn tab_to(window: &Window<'_>, css: &str) -> TestResult {
    window.wait_shown(css).await?;
    for _ in 0..MAX_TABS_TO_A_CONTROL {
        if focus_matches(window, css).await? {
            return Ok(());
        }
        a11y::press_tab(window.0, false).await?;
    }
    window.failure_screenshot(css).await;
    Err(format!("Tab never reached {css}").into())
}

/// Tabs to `css` and presses `key` on it (Enter, or ' ' for Space).
async fn activate(window: &Window<'_>, css: &str, key: char) -> TestResult {
    tab_to(window, css).await?;
    a11y::press(window.0, key).await?;
    Ok(())
}

/// Tabs to the field `css`, selects what it holds with Ctrl+A and types `text` over it.
async fn replace_text(window: &Window<'_>, css: &str, text: &str) -> TestResult {
    tab_to(window, css).await?;
    a11y::press_together(window.0, &[CONTROL, 'a']).await?;
    a11y::press(window.0, BACKSPACE).await?;
    window.press_keys(text).await?;
    Ok(())
}

/// Checks that the field `css` is marked invalid and described by a shown, live message
/// (read out when it appears, and again with the field); returns the message.
async fn assert_error_announced(window: &Window<'_>, css: &str) -> Result<String, BoxError> {
    let found = window
        .0
        .execute(
            r#"const field = document.querySelector(arguments[0]);
               const live = (el) => el.getAttribute("aria-live")
                 || ({ alert: "assertive", status: "polite" })[el.getAttribute("role")] || "off";
               const ids = (field.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
               return {
                 invalid: field.getAttribute("aria-invalid"),
                 messages: ids.map((id) => document.getElementById(id)).filter(Boolean).map((el) => ({
                   text: el.textContent.trim(),
                   shown: el.getClientRects().length > 0,
                   live: live(el),
                 })),
               };"#,
            vec![json!(css)],
        )
        .await?;
    assert_eq!(
        found["invalid"],
        json!("true"),
        "{css} is not marked aria-invalid: {found}"
    );
    // The field's hint describes it too; the error is the shown message in a live region.
    let message = found["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|message| {
            message["shown"] == json!(true)
                && !message["text"].as_str().unwrap_or_default().is_empty()
                && matches!(message["live"].as_str(), Some("polite" | "assertive"))
        })
        .ok_or_else(|| format!("{css} is described by no shown, announced message: {found}"))?;
    Ok(message["text"].as_str().unwrap_or_default().to_owned())
}

/// From Add account to the password step, by keyboard: the org URL the demo fills in, the
/// username typed, Enter.
async fn add_account_by_keyboard(window: &Window<'_>, username: &str) -> TestResult {
    window.wait_text("h1.screen-title", "Add account").await?;
    replace_text(window, "#username", username).await?;
    a11y::press(window.0, ENTER).await?;
    window
        .wait_text("h1.screen-title", "Enter your password")
        .await?;
    Ok(())
}

async fn sign_in_by_keyboard(window: &Window<'_>) -> TestResult {
    replace_text(window, "#password", DEMO_PASSWORD).await?;
    a11y::press(window.0, ENTER).await?;
    Ok(())
}

/// The QR code is one image to screen readers, named for what it is for, and neither its
/// name nor anything else in the page carries the activation link.
async fn assert_qr_text_alternative(window: &Window<'_>) -> TestResult {
    let client = window.0;
    let qr = a11y::describe(client, "#qr")
        .await?
        .ok_or("no QR code on the screen")?;
    assert_eq!(qr.role, "img", "{qr:?}");
    assert_eq!(qr.name, QR_LABEL, "{qr:?}");
    let element = client.find(Locator::Css("#qr")).await?;
    if let Some(label) = a11y::computed_label(client, &element).await? {
        assert_eq!(label, QR_LABEL, "WebKit's name for the QR code");
    }
    if let Some(role) = a11y::computed_role(client, &element).await? {
        assert!(
            matches!(role.as_str(), "img" | "image"),
            "WebKit's role for the QR code: {role:?}"
        );
    }
    // The drawing itself is hidden from screen readers: the name stands for it.
    assert_eq!(
        window.find("#qr svg").await?.attr("aria-hidden").await?,
        Some("true".into())
    );
    for secret_looking in ["://", "oktaverify", "?t=", "&t=", "token"] {
        assert!(
            !qr.name.to_lowercase().contains(secret_looking),
            "the QR code's name looks like a link: {:?}",
            qr.name
        );
    }
    let page = client
        .execute(
            "return document.documentElement.outerHTML + '\\n' + document.body.innerText;",
            vec![],
        )
        .await?;
    let page = page.as_str().unwrap_or_default();
    for scheme in ["oktaverify://", "otpauth://"] {
        assert!(
            !page.contains(scheme),
            "the page holds an activation link ({scheme})"
        );
    }
    Ok(())
}

fn tab_order_has(order: &[TabStop], path: &str) -> bool {
    order.iter().any(|stop| stop.control.path == path)
}

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
    assert!(focus_matches(&window, "#org-url").await?);
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
        focus_matches(&window, "#password").await?,
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
        focus_matches(&window, "#link-options > summary").await?,
        "focus stays on the folded options, not lost to the page"
    );
    window.screenshot("a11y-02-activation-link-sent").await?;

    // The code expires: the reason is said, focus goes to getting a new one, and the image
    // says it is expired.
    org.advance_clock(ACTIVATION_LIFETIME + Duration::from_secs(1));
    window.wait_shown("#qr-expired").await?;
    wait_announced(&window, "QR code expired").await?;
    assert!(focus_matches(&window, "#qr-refresh").await?);
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
    assert!(focus_matches(&window, ".account-main").await?);

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
        focus_matches(&window, "#push-resend").await?,
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
        focus_matches(&window, "#code").await?,
        "focus starts in the code field"
    );
    audit(&window, "code").await?;
    tab_to(&window, "#code").await?;
    window.press_keys("000000").await?;
    window.wait_text("#code-error", "not right").await?;
    assert_error_announced(&window, "#code").await?;
    assert!(focus_matches(&window, "#code").await?);
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
    let org = demo_org(DemoOrgConfig::default()).await?;
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
    assert!(focus_matches(&window, "#confirm-password").await?);
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
