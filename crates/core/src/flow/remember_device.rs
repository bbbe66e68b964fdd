//! The person's "remember this device" choice, shared by the flow and its handle: it can be
//! changed while a step waits (a push, a code), and the next verify or poll asks for it.
//!
//! Classic asks for it with `rememberDevice` under the MFA policy Okta sent. Identity Engine
//! has no such parameter and no policy to read: its "Keep me signed in" (`rememberMe` on
//! `identify`, the `keep-me-signed-in` prompt) is asked with [`RememberChoice::chosen`], and
//! offered as [`RememberChoice::keep_signed_in_offer`] (no lifetime: Okta does not say it).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use url::Url;

use crate::stage::RememberDeviceOffer;
use crate::wire::Policy;

const UNDECIDED: u8 = 0;
const YES: u8 = 1;
const NO: u8 = 2;

#[derive(Clone, Debug)]
pub(crate) struct RememberChoice(Arc<AtomicU8>);

impl RememberChoice {
    /// `wanted` from [`FlowOptions::remember_device`](crate::FlowOptions): yes up front, or
    /// undecided (the policy's default applies until the person chooses).
    pub fn new(wanted: bool) -> Self {
        Self(Arc::new(AtomicU8::new(if wanted {
            YES
        } else {
            UNDECIDED
        })))
    }

    pub fn set(&self, remember: bool) {
        self.0
            .store(if remember { YES } else { NO }, Ordering::Relaxed);
    }

    /// What to ask Okta for under `policy`: never where it does not allow remembering.
    pub fn wanted(&self, policy: Option<&Policy>) -> bool {
        self.offer(policy).is_some_and(|offer| offer.checked)
    }

    /// `url` with `rememberDevice` set to what to ask for under `policy`, replacing what
    /// the link held.
    pub fn query_for(&self, url: &Url, policy: Option<&Policy>) -> Url {
        let mut url = url.clone();
        set_query(&mut url, "rememberDevice", self.wanted(policy));
        url
    }

    /// Whether the person said yes. Identity Engine has no policy default to fall back on:
    /// undecided is no.
    pub fn chosen(&self) -> bool {
        self.0.load(Ordering::Relaxed) == YES
    }

    /// The offer an Identity Engine verification stage shows where Okta offers "Keep me
    /// signed in": checked as the person chose, for as long as the org's policy says (which
    /// IDX does not tell).
    pub fn keep_signed_in_offer(&self) -> RememberDeviceOffer {
        RememberDeviceOffer {
            lifetime_minutes: None,
            checked: self.chosen(),
        }
    }

    /// The offer a verification stage shows under `policy`, if it allows remembering.
    pub fn offer(&self, policy: Option<&Policy>) -> Option<RememberDeviceOffer> {
        let policy = policy.filter(|policy| policy.allow_remember_device == Some(true))?;
        let checked = match self.0.load(Ordering::Relaxed) {
            YES => true,
            NO => false,
            _ => policy.remember_device_by_default.unwrap_or(false),
        };
        Some(RememberDeviceOffer {
            lifetime_minutes: policy.remember_device_lifetime_in_minutes,
            checked,
        })
    }
}

/// Sets `key` to `value` in the query, replacing what Okta put there.
pub(crate) fn set_query(url: &mut Url, key: &str, value: bool) {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != key)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let mut pairs = url.query_pairs_mut();
    pairs.clear();
    for (name, value) in &kept {
        pairs.append_pair(name, value);
    }
    pairs.append_pair(key, if value { "true" } else { "false" });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(allow: bool, by_default: bool) -> Policy {
        Policy {
            allow_remember_device: Some(allow),
            remember_device_by_default: Some(by_default),
            remember_device_lifetime_in_minutes: Some(1440),
            ..Policy::default()
        }
    }

    #[test]
    fn the_policy_default_holds_until_the_person_chooses() {
        let choice = RememberChoice::new(false);
        assert!(choice.wanted(Some(&policy(true, true))));
        assert!(!choice.wanted(Some(&policy(true, false))));
        choice.set(false);
        assert!(!choice.wanted(Some(&policy(true, true))));
        choice.set(true);
        let offer = choice.offer(Some(&policy(true, false))).unwrap();
        assert_eq!(offer.lifetime_minutes, Some(1440));
        assert!(offer.checked);
    }

    #[test]
    fn keep_me_signed_in_is_what_the_person_chose_and_no_until_then() {
        let choice = RememberChoice::new(false);
        assert!(!choice.chosen());
        assert_eq!(
            choice.keep_signed_in_offer(),
            RememberDeviceOffer {
                lifetime_minutes: None,
                checked: false
            }
        );
        choice.set(true);
        assert!(choice.keep_signed_in_offer().checked);
        assert!(RememberChoice::new(true).chosen());
    }

    #[test]
    fn set_query_replaces_a_flag() {
        let mut url = Url::parse("https://a.okta.com/v?autoPush=true&x=1").unwrap();
        set_query(&mut url, "autoPush", false);
        set_query(&mut url, "rememberDevice", true);
        assert_eq!(url.query(), Some("x=1&autoPush=false&rememberDevice=true"));
    }

    #[test]
    fn nothing_is_offered_or_asked_where_the_policy_does_not_allow_it() {
        let choice = RememberChoice::new(true);
        assert_eq!(choice.offer(Some(&policy(false, true))), None);
        assert!(!choice.wanted(Some(&policy(false, true))));
        assert!(!choice.wanted(None));
    }
}
