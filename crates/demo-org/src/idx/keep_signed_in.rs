//! "Keep me signed in" (KMSI), Identity Engine's remember-this-device, on the same `DT`
//! device cookie and the same per-user remembered devices as Classic's `rememberDevice`
//! (`crate::org::remembered_devices`). The cookie itself is read and handed out by `routes`.
//!
//! - `identify` reads the `DT` cookie the client sent, or hands it a new one (as the Classic
//!   primary authentication does), and its `rememberMe` boolean says whether the person
//!   chose to stay signed in. A device the user had kept signed in (and not past the
//!   policy's lifetime on the org's clock) skips the second factor; the password is still
//!   asked.
//! - The post-sign-in `keep-me-signed-in` prompt (`IdxOptions::keep_me_signed_in_prompt`)
//!   asks after the factors unless `identify` already said yes or the device is already
//!   kept signed in; `keepMeSignedIn: true` is a yes, `skip` or `false` a no.
//! - At success, a sign-in that chose KMSI and verified a second factor remembers the
//!   device for the user's remember-device policy lifetime (`User::remember_device`; a user
//!   without one is never remembered, as on Classic).

use serde_json::Value;
use time::OffsetDateTime;

use super::messages::IdxError;
use super::policy::advance;
use super::step::user_of;
use super::store::IdxTransaction;
use crate::org::remembered_devices::remember_if_asked;
use crate::org::users::User;

/// A boolean as clients send it: `true`, or the string `"true"`.
pub(super) fn flag(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(value)) => *value,
        Some(Value::String(text)) => text.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// `identify` named `user`: the device and the person's choice go on the transaction, and a
/// device kept signed in skips the second factor.
pub(super) fn identified(
    tx: &mut IdxTransaction,
    user: &User,
    device: &str,
    remember_me: bool,
    now: OffsetDateTime,
) {
    let kept = user.remember_device.is_some() && user.remembered_devices.recognises(device, now);
    tx.device_token = Some(device.to_owned());
    // A device already kept signed in is not asked again by the prompt.
    tx.keep_signed_in = remember_me || kept;
    tx.mfa_done = kept;
}

/// The transaction succeeded: remember its device if the person chose KMSI after proving a
/// second factor, and the user's policy allows it.
pub(super) fn remember_at_success(tx: &IdxTransaction, user: &mut User, now: OffsetDateTime) {
    if tx.factor_verified_at.is_some() {
        remember_if_asked(
            user.remember_device,
            &mut user.remembered_devices,
            tx.device_token.as_deref(),
            tx.keep_signed_in,
            now,
        );
    }
}

/// The post-sign-in prompt answered: `keep` is the person's answer (`skip` is a no).
pub(super) fn prompt_answered(
    tx: &mut IdxTransaction,
    users: &mut [User],
    keep: bool,
) -> Result<(), IdxError> {
    tx.keep_me_signed_in_prompt = false;
    tx.keep_signed_in |= keep;
    let user = user_of(tx, users)?;
    advance(tx, user);
    Ok(())
}
