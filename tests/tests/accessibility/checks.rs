//! The accessibility checks and keyboard moves the window tests share: an audit of the
//! screen showing now, Tab to a control and press a key on it, and what an announced error
//! and the QR code's text alternative must look like.

use std::time::Duration;

use fantoccini::Locator;
use oktadesk_demo_org::DEMO_PASSWORD;
use oktadesk_e2e::accessibility::{self as a11y, BACKSPACE, CONTROL, ENTER, TabStop};
use serde_json::json;

use crate::common::{self, TestResult, Window};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// More Tab presses than any screen needs to reach a control.
const MAX_TABS_TO_A_CONTROL: usize = 60;

/// What screen readers must hear for the QR code.
/// How long focus may take to land where a screen puts it.
const FOCUS_PATIENCE: Duration = Duration::from_secs(5);
const QR_LABEL: &str = "QR code to scan with Okta Verify on your phone";

/// What [`inspect`] found on one screen.
pub struct Inspection {
    pub order: Vec<TabStop>,
    /// What a keyboard or screen-reader user would trip on, one sentence each.
    pub problems: Vec<String>,
    /// "role name" of each control, as WebKit's accessibility tree has it (empty when the
    /// driver cannot say).
    pub from_webkit: Vec<String>,
}

/// Checks the screen showing now (see tests/tests/accessibility.rs) and returns its Tab
/// order; fails with every problem found, and a screenshot.
pub async fn audit(window: &Window<'_>, screen: &str) -> Result<Vec<TabStop>, BoxError> {
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
pub async fn inspect(window: &Window<'_>) -> Result<Inspection, BoxError> {
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

pub async fn focus_matches(window: &Window<'_>, css: &str) -> Result<bool, BoxError> {
    let matches = window
        .0
        .execute(
            "return document.activeElement?.matches(arguments[0]) ?? false;",
            vec![json!(css)],
        )
        .await?;
    Ok(matches.as_bool().unwrap_or(false))
}

/// Whether focus is on `css` or lands there within a few seconds: a screen moves focus once
/// it has drawn, which on a loaded machine can be a frame or two after it shows.
pub async fn focus_lands_on(window: &Window<'_>, css: &str) -> Result<bool, BoxError> {
    let started = std::time::Instant::now();
    loop {
        if focus_matches(window, css).await? {
            return Ok(true);
        }
        if started.elapsed() > FOCUS_PATIENCE {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the page's announcer (a visually hidden live region) says `expected`.
pub async fn wait_announced(window: &Window<'_>, expected: &str) -> TestResult {
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
pub async fn tab_to(window: &Window<'_>, css: &str) -> TestResult {
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
pub async fn activate(window: &Window<'_>, css: &str, key: char) -> TestResult {
    tab_to(window, css).await?;
    a11y::press(window.0, key).await?;
    Ok(())
}

/// Tabs to the field `css`, selects what it holds with Ctrl+A and types `text` over it.
pub async fn replace_text(window: &Window<'_>, css: &str, text: &str) -> TestResult {
    tab_to(window, css).await?;
    a11y::press_together(window.0, &[CONTROL, 'a']).await?;
    a11y::press(window.0, BACKSPACE).await?;
    window.press_keys(text).await?;
    Ok(())
}

/// Checks that the field `css` is marked invalid and described by a shown, live message
/// (read out when it appears, and again with the field); returns the message.
pub async fn assert_error_announced(window: &Window<'_>, css: &str) -> Result<String, BoxError> {
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
pub async fn add_account_by_keyboard(window: &Window<'_>, username: &str) -> TestResult {
    window.wait_text("h1.screen-title", "Add account").await?;
    replace_text(window, "#username", username).await?;
    a11y::press(window.0, ENTER).await?;
    window
        .wait_text("h1.screen-title", "Enter your password")
        .await?;
    Ok(())
}

pub async fn sign_in_by_keyboard(window: &Window<'_>) -> TestResult {
    replace_text(window, "#password", DEMO_PASSWORD).await?;
    a11y::press(window.0, ENTER).await?;
    Ok(())
}

/// The QR code is one image to screen readers, named for what it is for, and neither its
/// name nor anything else in the page carries the activation link.
pub async fn assert_qr_text_alternative(window: &Window<'_>) -> TestResult {
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

pub fn tab_order_has(order: &[TabStop], path: &str) -> bool {
    order.iter().any(|stop| stop.control.path == path)
}
