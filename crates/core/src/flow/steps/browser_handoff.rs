//! Handing off to the browser: a factor (or a step) only a web browser can do is said with
//! the org's sign-in page, and the person can cancel or, where the step offers it, pick
//! another factor. The same words and the same wait for both drivers.

use super::await_input::{Reply, Switch, await_input};
use crate::flow::conversation::{Conversation, Step};
use crate::org_url::OrgUrl;
use crate::stage::{FactorChoice, Stage};

/// What the person may do while the browser is needed.
const ONLY_THE_BROWSER: &str =
    "only the browser can go on from here: open the org's sign-in page, or cancel";

/// What ends a browser message when another factor can be chosen here.
pub(crate) fn another_suffix(can_choose_another: bool) -> &'static str {
    if can_choose_another {
        " Or choose another factor here."
    } else {
        ""
    }
}

/// Why the browser is needed for `factor`, and what to do there.
pub(crate) fn cannot_use_message(factor: &FactorChoice, can_choose_another: bool) -> String {
    format!(
        "OktaDesk cannot use {} here: it needs a web browser. Open your organization's sign-in page in the browser to sign in with it.{}",
        factor.label,
        another_suffix(can_choose_another)
    )
}

/// Says `message` with the org's sign-in page, then waits for cancel or another factor by
/// `switch` (whose key is returned).
pub(crate) async fn continue_in_browser(
    io: &mut Conversation,
    org: &OrgUrl,
    factor: Option<FactorChoice>,
    message: String,
    switch: &Switch,
) -> Step<String> {
    io.emit(Stage::ContinueInBrowser {
        factor,
        message,
        url: org.to_string(),
        can_choose_another: switch.is_open(),
    })
    .await?;
    match await_input(io, switch, ONLY_THE_BROWSER, |_| None).await? {
        Reply::Switch(key) => Ok(key),
        Reply::Input(_) => unreachable!("a browser hand-off takes no input"),
    }
}
