//! What the keyboard and a screen reader get from the window: the Tab order, and each
//! control's accessible name and role.
//!
//! Names and roles come from two places. The page computes them approximately as a screen
//! reader would (`aria-labelledby`, `aria-label`, the associated `<label>`, `alt`, text
//! content, `title`; the role from the `role` attribute or the element). WebKitWebDriver also
//! answers the WebDriver "Get Computed Role" and "Get Computed Label" commands from WebKit's
//! own accessibility tree, which is what VoiceOver and Orca read: [`computed_role`] and
//! [`computed_label`] ask it, and say `None` where a driver does not know the commands.

use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::Value;

use crate::error::{HarnessError, Result};

/// The WebDriver key value of Tab.
const TAB: char = '\u{E004}';
/// The WebDriver key value of Shift.
const SHIFT: char = '\u{E008}';
/// The WebDriver key value of Enter.
pub const ENTER: char = '\u{E007}';
/// The WebDriver key value of Escape.
pub const ESCAPE: char = '\u{E00C}';
/// The WebDriver key value of Backspace.
pub const BACKSPACE: char = '\u{E003}';
/// The WebDriver key value of Control.
pub const CONTROL: char = '\u{E009}';

/// More Tab presses than any screen has controls: a cycle is found long before.
const MAX_TABS: usize = 80;

/// Tab presses in a row that leave nothing in the page focused before the order is taken as
/// having left the page for good (a webview may hand focus to its window at the end).
const OUTSIDE_THE_PAGE: usize = 4;

/// The page's side: finds controls and computes names and roles. Each script below starts
/// with it and uses `A11y`.
const LIBRARY: &str = r##"
const A11y = (() => {
  const INTERACTIVE = "button, a[href], input:not([type=hidden]), select, textarea, summary, [tabindex]";

  /** A selector for `el` that stays the same while the screen does: its id, or a path to the nearest id. */
  function path(el) {
    if (el.id) return "#" + el.id;
    const parent = el.parentElement;
    if (!parent || el === document.body) return el.tagName.toLowerCase();
    const same = [...parent.children].filter((c) => c.tagName === el.tagName);
    return `${path(parent)} > ${el.tagName.toLowerCase()}:nth-of-type(${same.indexOf(el) + 1})`;
  }

  function rendered(el) {
    // A closed <details> keeps its content laid out but not drawn (content-visibility).
    const folded = el.closest("details:not([open])");
    if (folded && !(el.tagName === "SUMMARY" && el.parentElement === folded)) return false;
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
    return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }

  /** Text as a screen reader reads it: hidden and aria-hidden parts left out, alt text in. */
  function contentText(node, skip) {
    if (node === skip) return "";
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    if (node.hidden || node.getAttribute("aria-hidden") === "true") return "";
    const style = getComputedStyle(node);
    if (style.display === "none" || style.visibility === "hidden") return "";
    const label = node.getAttribute("aria-label");
    if (label && label.trim()) return label;
    if (node.tagName === "IMG") return node.getAttribute("alt") ?? "";
    if (node.tagName === "INPUT" || node.tagName === "TEXTAREA" || node.tagName === "SELECT") return "";
    return [...node.childNodes].map((child) => contentText(child, skip)).join(" ");
  }

  const squash = (text) => (text ?? "").replace(/\s+/g, " ").trim();

  function role(el) {
    const explicit = squash(el.getAttribute("role")).split(" ")[0];
    if (explicit) return explicit;
    switch (el.tagName) {
      case "A": return el.hasAttribute("href") ? "link" : "";
      case "BUTTON": return "button";
      case "SUMMARY": return "button";
      case "TEXTAREA": return "textbox";
      case "SELECT": return el.multiple || el.size > 1 ? "listbox" : "combobox";
      case "IMG": return el.getAttribute("alt") === "" ? "presentation" : "img";
      case "INPUT":
        switch ((el.getAttribute("type") ?? "text").toLowerCase()) {
          case "checkbox": return "checkbox";
          case "radio": return "radio";
          case "button": case "submit": case "reset": case "image": return "button";
          case "range": return "slider";
          case "number": return "spinbutton";
          case "search": return "searchbox";
          default: return "textbox";
        }
      default: return "";
    }
  }

  /** Roles whose name may come from their content (WAI-ARIA "name from content"). */
  const NAMED_BY_CONTENT = new Set(["button", "link", "checkbox", "radio", "tab", "menuitem", "option", "switch", "cell", "heading"]);

  function name(el) {
    const labelledBy = squash(el.getAttribute("aria-labelledby"));
    if (labelledBy) {
      const text = squash(labelledBy.split(" ").map((id) => {
        const target = document.getElementById(id);
        return target ? target.getAttribute("aria-label") || target.textContent : "";
      }).join(" "));
      if (text) return text;
    }
    const label = squash(el.getAttribute("aria-label"));
    if (label) return label;
    if (el.labels && el.labels.length > 0) {
      const text = squash([...el.labels].map((l) => contentText(l, el)).join(" "));
      if (text) return text;
    }
    if (el.tagName === "IMG" && squash(el.getAttribute("alt"))) return squash(el.getAttribute("alt"));
    if (el.tagName === "INPUT" && ["button", "submit", "reset"].includes(el.type) && squash(el.value)) return squash(el.value);
    if (NAMED_BY_CONTENT.has(role(el)) || el.tagName === "SUMMARY") {
      const text = squash(contentText(el));
      if (text) return text;
    }
    return squash(el.getAttribute("title"));
  }

  /** Whether a focused element shows it: an outline or a ring drawn as a box-shadow. */
  function focusShown(el) {
    // The ring fades in: the style at the end of the transition is the one that counts.
    for (const animation of el.getAnimations?.() ?? []) animation.finish();
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "" && style.boxShadow !== "none";
    return outline || shadow;
  }

  function describe(el) {
    return {
      path: path(el),
      tag: el.tagName.toLowerCase(),
      role: role(el),
      name: name(el),
      describedBy: squash(el.getAttribute("aria-describedby")),
    };
  }

  /** Every control shown that a person should reach with Tab. */
  function controls() {
    return [...document.querySelectorAll(INTERACTIVE)]
      .filter((el) => !el.disabled && !(el.hasAttribute("tabindex") && el.tabIndex < 0))
      .filter((el) => el.tagName !== "SUMMARY" || el.parentElement?.tagName === "DETAILS")
      .filter(rendered)
      .map(describe);
  }

  /** What has focus now, or null when nothing in the page has. */
  function focused() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement || !document.hasFocus()) return null;
    return { ...describe(el), focusShown: focusShown(el), focusVisible: el.matches(":focus-visible") };
  }

  return { controls, focused, describe, name, role, path };
})();
"##;

/// A control as the page describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    /// A selector for it: `#id`, or a path from the nearest element with an id.
    pub path: String,
    pub tag: String,
    /// Its role, from the `role` attribute or its element ("" when it has none).
    pub role: String,
    /// Its accessible name, computed as a screen reader would, approximately.
    pub name: String,
    /// The ids in its `aria-describedby`, space-separated.
    pub described_by: String,
}

/// One stop of the Tab order: the control, and whether its focus can be seen.
#[derive(Clone, Debug)]
pub struct TabStop {
    pub control: Control,
    /// An outline or a box-shadow ring is drawn around it.
    pub focus_shown: bool,
    /// It matches `:focus-visible`.
    pub focus_visible: bool,
}

fn control(value: &Value) -> Control {
    let field = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
    Control {
        path: field("path"),
        tag: field("tag"),
        role: field("role"),
        name: field("name"),
        described_by: field("describedBy"),
    }
}

async fn run(client: &Client, body: &str, args: Vec<Value>) -> Result<Value> {
    Ok(client.execute(&format!("{LIBRARY}\n{body}"), args).await?)
}

/// Every control shown in the window that Tab should reach (buttons, links, fields,
/// `<summary>`, anything with a `tabindex` of 0 or more), in document order.
pub async fn controls(client: &Client) -> Result<Vec<Control>> {
    let list = run(client, "return A11y.controls();", vec![]).await?;
    Ok(list.as_array().into_iter().flatten().map(control).collect())
}

/// The element matching `css` as the page describes it, or `None` when there is none.
pub async fn describe(client: &Client, css: &str) -> Result<Option<Control>> {
    let found = run(
        client,
        "const el = document.querySelector(arguments[0]); return el ? A11y.describe(el) : null;",
        vec![Value::from(css)],
    )
    .await?;
    Ok((!found.is_null()).then(|| control(&found)))
}

/// What has focus now, or `None` when nothing in the page has.
pub async fn focused(client: &Client) -> Result<Option<TabStop>> {
    let now = run(client, "return A11y.focused();", vec![]).await?;
    if now.is_null() {
        return Ok(None);
    }
    Ok(Some(TabStop {
        control: control(&now),
        focus_shown: now["focusShown"].as_bool().unwrap_or(false),
        focus_visible: now["focusVisible"].as_bool().unwrap_or(false),
    }))
}

/// Presses `key` (a character, or a WebDriver key value such as [`ENTER`]) on whatever has
/// focus, as a person would.
pub async fn press(client: &Client, key: char) -> Result<()> {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    Ok(client.perform_actions(keys).await?)
}

/// Presses `keys` together (held down in order, let go in reverse), as in Ctrl+A.
pub async fn press_together(client: &Client, keys: &[char]) -> Result<()> {
    let mut actions = KeyActions::new("keyboard".into());
    for &value in keys {
        actions = actions.then(KeyAction::Down { value });
    }
    for &value in keys.iter().rev() {
        actions = actions.then(KeyAction::Up { value });
    }
    Ok(client.perform_actions(actions).await?)
}

/// Presses Tab, or Shift+Tab when `backwards`.
pub async fn press_tab(client: &Client, backwards: bool) -> Result<()> {
    let mut keys = KeyActions::new("keyboard".into());
    if backwards {
        keys = keys.then(KeyAction::Down { value: SHIFT });
    }
    keys = keys
        .then(KeyAction::Down { value: TAB })
        .then(KeyAction::Up { value: TAB });
    if backwards {
        keys = keys.then(KeyAction::Up { value: SHIFT });
    }
    Ok(client.perform_actions(keys).await?)
}

/// Presses Tab until focus comes back to where the first press put it (or has left the page
/// for good), and returns every stop on the way, in order. Starts from the focus the screen
/// set, as a person who just arrived on it would.
pub async fn tab_order(client: &Client) -> Result<Vec<TabStop>> {
    let mut stops: Vec<TabStop> = Vec::new();
    let mut outside = 0;
    for _ in 0..MAX_TABS {
        press_tab(client, false).await?;
        let Some(stop) = focused(client).await? else {
            outside += 1;
            if outside >= OUTSIDE_THE_PAGE && !stops.is_empty() {
                break;
            }
            continue;
        };
        outside = 0;
        if stops
            .first()
            .is_some_and(|first| first.control.path == stop.control.path)
        {
            return Ok(stops);
        }
        // A control seen twice but not first: focus is stuck in a loop (a trap).
        if let Some(seen) = stops
            .iter()
            .find(|seen| seen.control.path == stop.control.path)
        {
            return Err(HarnessError::NotFound {
                what: "a way out of a Tab loop".into(),
                hint: format!(
                    "Tab came back to {} without passing {} again; focus is trapped",
                    seen.control.path, stops[0].control.path
                ),
            });
        }
        stops.push(stop);
    }
    Ok(stops)
}

/// The WebDriver "Get Computed Role"/"Get Computed Label" request for one element.
#[derive(Debug)]
struct ComputedProperty {
    element: String,
    /// `computedrole` or `computedlabel`.
    endpoint: &'static str,
}

impl WebDriverCompatibleCommand for ComputedProperty {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/element/{}/{}",
            session_id.unwrap_or_default(),
            self.element,
            self.endpoint
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}

async fn computed(
    client: &Client,
    element: &Element,
    endpoint: &'static str,
) -> Result<Option<String>> {
    let command = ComputedProperty {
        element: element.element_id().to_string(),
        endpoint,
    };
    match client.issue_cmd(command).await {
        Ok(value) => Ok(Some(value.as_str().unwrap_or_default().to_owned())),
        // A driver without the command says so; anything else is a real failure.
        Err(CmdError::Standard(error))
            if matches!(
                error.error,
                fantoccini::error::ErrorStatus::UnknownCommand
                    | fantoccini::error::ErrorStatus::UnknownMethod
                    | fantoccini::error::ErrorStatus::UnsupportedOperation
            ) =>
        {
            Ok(None)
        }
        Err(CmdError::NotW3C(_) | CmdError::NotJson(_)) => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// The role WebKit's accessibility tree gives `element`, or `None` when the driver cannot say.
pub async fn computed_role(client: &Client, element: &Element) -> Result<Option<String>> {
    computed(client, element, "computedrole").await
}

/// The accessible name WebKit's accessibility tree gives `element`, or `None` when the driver
/// cannot say.
pub async fn computed_label(client: &Client, element: &Element) -> Result<Option<String>> {
    computed(client, element, "computedlabel").await
}
