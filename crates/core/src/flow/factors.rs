//! Which factors a sign-in can offer, how each is described, and which one is picked without
//! asking. Pure: no I/O, so every rule is tested here.

use super::naming;
use crate::stage::{FactorChoice, FactorKind, FactorPurpose};
use crate::wire::{Factor, FactorEmbedded, FactorLinks, Transaction};

/// A factor offered for a choice: what the UI shows, and the factor as Okta sent it.
pub(crate) type Offered = (FactorChoice, Factor);

/// What the person (or their account) wants picked, in order of precedence.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PickRules<'a> {
    /// The factor picked on another screen (going back, or asked again after a wrong code).
    pub pending: Option<&'a str>,
    /// The account's preferred kind of factor.
    pub preferred: Option<FactorKind>,
    /// Send the push without asking.
    pub auto_push: bool,
}

/// MFA_ENROLL: every factor not yet set up, in Okta's order; those OktaDesk cannot set up
/// are offered too, marked as needing the browser.
pub(crate) fn enroll_choices(tx: &Transaction) -> Vec<Offered> {
    tx.embedded
        .factor_list()
        .into_iter()
        .filter(|factor| factor.status.as_deref().is_none_or(|s| s == "NOT_SETUP"))
        .map(|factor| (describe(factor, FactorPurpose::Enroll), factor.clone()))
        .collect()
}

/// MFA_REQUIRED: every enrolled factor, in Okta's order; those OktaDesk cannot verify are
/// offered too, marked as needing the browser.
pub(crate) fn verify_choices(tx: &Transaction) -> Vec<Offered> {
    tx.embedded
        .factor_list()
        .into_iter()
        .filter(|factor| factor.id.is_some())
        .map(|factor| (describe(factor, FactorPurpose::Verify), factor.clone()))
        .collect()
}

pub(crate) fn describe(factor: &Factor, purpose: FactorPurpose) -> FactorChoice {
    let kind = FactorKind::of(&factor.factor_type, &factor.provider);
    let key = match (purpose, &factor.id) {
        (FactorPurpose::Verify, Some(id)) => id.clone(),
        _ => enroll_key(factor),
    };
    let needs_browser = match purpose {
        FactorPurpose::Enroll => !naming::can_enroll(kind, factor),
        FactorPurpose::Verify | FactorPurpose::Recover | FactorPurpose::Unlock => {
            kind == FactorKind::Browser || factor.links.verify.is_none()
        }
    };
    FactorChoice {
        required: factor.enrollment.as_deref() == Some("REQUIRED"),
        needs_browser,
        ..naming::choice(factor, kind, key)
    }
}

/// The key of a factor to enroll: it has no id until it is enrolled.
pub(crate) fn enroll_key(factor: &Factor) -> String {
    format!(
        "{}:{}",
        factor.factor_type,
        factor.provider.to_ascii_lowercase()
    )
}

/// Factors the org requires that OktaDesk cannot set up: only the browser can enroll them.
pub(crate) fn required_needing_browser(offered: &[Offered]) -> Vec<&FactorChoice> {
    offered
        .iter()
        .map(|(choice, _)| choice)
        .filter(|choice| choice.required && choice.needs_browser)
        .collect()
}

/// The factor to use without asking, if the rules (or the offer) leave only one.
/// `org_auto_push` says whether the org's policy sends this push factor by itself.
pub(crate) fn auto_pick(
    offered: &[FactorChoice],
    purpose: FactorPurpose,
    can_skip: bool,
    rules: PickRules<'_>,
    org_auto_push: impl Fn(&FactorChoice) -> bool,
) -> Option<usize> {
    if let Some(index) = rules
        .pending
        .and_then(|key| offered.iter().position(|c| c.key == key))
    {
        return Some(index);
    }
    if let Some(index) = rules.preferred.and_then(|kind| {
        offered
            .iter()
            .position(|c| c.kind == kind && !c.needs_browser)
    }) {
        return Some(index);
    }
    if purpose == FactorPurpose::Verify
        && let Some(index) = offered
            .iter()
            .position(|c| c.kind == FactorKind::Push && (rules.auto_push || org_auto_push(c)))
    {
        return Some(index);
    }
    if offered.len() == 1 && !can_skip {
        return Some(0);
    }
    if purpose == FactorPurpose::Enroll && !can_skip {
        let mut required = offered.iter().enumerate().filter(|(_, c)| c.required);
        if let (Some((only, _)), None) = (required.next(), required.next()) {
            return Some(only);
        }
    }
    None
}

/// Whether `key` is one of the choices on screen; the reason in words if not.
pub(crate) fn check_key(offered: &[Offered], key: &str) -> std::result::Result<(), String> {
    check_key_among(offered.iter().map(|(choice, _)| choice.key.as_str()), key)
}

/// Whether `key` is one of `keys` (the factors a step offers), in words when it is not: the
/// one wording for every list and every driver.
pub(crate) fn check_key_among<'k>(
    keys: impl IntoIterator<Item = &'k str>,
    key: &str,
) -> std::result::Result<(), String> {
    let keys: Vec<&str> = keys.into_iter().collect();
    if keys.contains(&key) {
        Ok(())
    } else {
        Err(format!(
            "there is no factor \"{key}\" here (choose one of: {})",
            keys.join(", ")
        ))
    }
}

/// A factor known only by its type and provider (and an id, where there is one): what the
/// shared rules read of a choice Okta lists no factor object for (Classic's recovery factors,
/// IDX's authenticators).
pub(crate) fn bare_factor(id: Option<String>, factor_type: String, provider: String) -> Factor {
    Factor {
        id,
        factor_type,
        provider,
        vendor_name: None,
        status: None,
        enrollment: None,
        profile: None,
        embedded: FactorEmbedded::default(),
        links: FactorLinks::default(),
    }
}

/// Where `key` stands in the offer (checked with [`check_key`] before).
pub(crate) fn position(offered: &[Offered], key: &str) -> usize {
    offered.iter().position(|(c, _)| c.key == key).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transaction(factors: &str) -> Transaction {
        serde_json::from_str(&format!(
            r#"{{"status":"MFA_ENROLL","_embedded":{{"factors":{factors}}}}}"#
        ))
        .unwrap()
    }

    fn choice(key: &str, kind: FactorKind, required: bool) -> FactorChoice {
        FactorChoice {
            key: key.into(),
            kind,
            provider: "OKTA".into(),
            label: key.into(),
            device_name: None,
            sent_to: None,
            required,
            needs_browser: kind == FactorKind::Browser,
        }
    }

    const NONE: fn(&FactorChoice) -> bool = |_| false;

    #[test]
    fn enrollment_offers_every_factor_not_set_up_in_oktas_order() {
        let tx = transaction(
            r#"[{"factorType":"sms","provider":"OKTA","status":"NOT_SETUP"},
                {"factorType":"token:software:totp","provider":"GOOGLE","status":"NOT_SETUP","enrollment":"OPTIONAL"},
                {"factorType":"push","provider":"OKTA","status":"NOT_SETUP","enrollment":"REQUIRED"},
                {"factorType":"webauthn","provider":"FIDO","status":"NOT_SETUP","enrollment":"OPTIONAL"},
                {"factorType":"token:software:totp","provider":"OKTA","status":"ACTIVE"}]"#,
        );
        let offered = enroll_choices(&tx);
        let keys: Vec<&str> = offered.iter().map(|(c, _)| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "sms:okta",
                "token:software:totp:google",
                "push:okta",
                "webauthn:fido"
            ]
        );
        assert_eq!(offered[1].0.label, "Google Authenticator");
        assert_eq!(offered[1].0.kind, FactorKind::Google);
        assert!(offered[2].0.required && !offered[1].0.required);
        // Listed with what it is, for the browser to set up.
        assert!(offered[3].0.needs_browser && !offered[0].0.needs_browser);
        assert!(required_needing_browser(&offered).is_empty());
    }

    #[test]
    fn a_required_factor_only_the_browser_can_set_up_is_found_before_anything_is_enrolled() {
        let tx = transaction(
            r#"[{"factorType":"push","provider":"OKTA","status":"NOT_SETUP","enrollment":"REQUIRED"},
                {"factorType":"webauthn","provider":"FIDO","status":"NOT_SETUP","enrollment":"REQUIRED"}]"#,
        );
        let offered = enroll_choices(&tx);
        let blocked: Vec<&str> = required_needing_browser(&offered)
            .iter()
            .map(|c| c.label.as_str())
            .collect();
        assert_eq!(blocked, ["Security key or biometric (WebAuthn)"]);
    }

    #[test]
    fn verification_offers_enrolled_factors_by_id_with_their_device_and_phone() {
        let tx: Transaction = serde_json::from_str(
            r#"{"status":"MFA_REQUIRED","_embedded":{"factors":[
                {"id":"opf1","factorType":"push","provider":"OKTA","profile":{"name":"Pixel"},
                 "_links":{"verify":{"href":"https://a.okta.com/v"}}},
                {"id":"ost1","factorType":"token:software:totp","provider":"OKTA",
                 "_links":{"verify":{"href":"https://a.okta.com/v2"}}},
                {"id":"sms1","factorType":"sms","provider":"OKTA","profile":{"phoneNumber":"+1 XXX-XXX-6688"},
                 "_links":{"verify":{"href":"https://a.okta.com/v3"}}},
                {"id":"fwf1","factorType":"webauthn","provider":"FIDO",
                 "_links":{"verify":{"href":"https://a.okta.com/v4"}}},
                {"factorType":"push","provider":"OKTA"}]}}"#,
        )
        .unwrap();
        let offered = verify_choices(&tx);
        assert_eq!(offered.len(), 4);
        assert_eq!(offered[0].0.key, "opf1");
        assert_eq!(offered[0].0.device_name.as_deref(), Some("Pixel"));
        assert_eq!(offered[1].0.label, "Okta Verify code");
        assert_eq!(offered[2].0.label, "SMS to +1 XXX-XXX-6688");
        assert_eq!(offered[2].0.sent_to.as_deref(), Some("+1 XXX-XXX-6688"));
        assert!(offered[3].0.needs_browser);
        assert!(check_key(&offered, "ost1").is_ok());
        let refused = check_key(&offered, "nope").unwrap_err();
        assert!(refused.contains("opf1, ost1"), "{refused}");
        assert_eq!(position(&offered, "ost1"), 1);
    }

    #[test]
    fn a_pending_choice_wins_then_the_preferred_kind() {
        let offered = [
            choice("push", FactorKind::Push, false),
            choice("totp", FactorKind::Totp, false),
        ];
        let verify = |rules| auto_pick(&offered, FactorPurpose::Verify, false, rules, NONE);
        let rules = PickRules {
            pending: Some("totp"),
            preferred: Some(FactorKind::Push),
            auto_push: true,
        };
        assert_eq!(verify(rules), Some(1));
        let rules = PickRules {
            pending: Some("gone"),
            preferred: Some(FactorKind::Totp),
            ..PickRules::default()
        };
        assert_eq!(verify(rules), Some(1));
        assert_eq!(verify(PickRules::default()), None);
    }

    #[test]
    fn push_is_sent_by_itself_when_the_account_or_the_org_says_so() {
        let offered = [
            choice("totp", FactorKind::Totp, false),
            choice("push", FactorKind::Push, false),
        ];
        let auto_push = PickRules {
            auto_push: true,
            ..PickRules::default()
        };
        assert_eq!(
            auto_pick(&offered, FactorPurpose::Verify, false, auto_push, NONE),
            Some(1)
        );
        let by_org = |c: &FactorChoice| c.key == "push";
        assert_eq!(
            auto_pick(
                &offered,
                FactorPurpose::Verify,
                false,
                PickRules::default(),
                by_org
            ),
            Some(1)
        );
        // Enrollment never auto-pushes: there is no push factor yet.
        assert_eq!(
            auto_pick(&offered, FactorPurpose::Enroll, true, auto_push, by_org),
            None
        );
    }

    #[test]
    fn a_lone_or_lone_required_factor_is_taken_unless_skipping_is_possible() {
        let one = [choice("push", FactorKind::Push, false)];
        // A lone factor only the browser can do is taken too: it leads to the browser.
        let browser = [choice("webauthn", FactorKind::Browser, false)];
        assert_eq!(
            auto_pick(
                &browser,
                FactorPurpose::Verify,
                false,
                PickRules::default(),
                NONE
            ),
            Some(0)
        );
        let pick = |offered: &[FactorChoice], purpose, can_skip| {
            auto_pick(offered, purpose, can_skip, PickRules::default(), NONE)
        };
        assert_eq!(pick(&one, FactorPurpose::Verify, false), Some(0));
        assert_eq!(pick(&one, FactorPurpose::Enroll, true), None);
        let two_one_required = [
            choice("totp", FactorKind::Totp, false),
            choice("push", FactorKind::Push, true),
        ];
        assert_eq!(
            pick(&two_one_required, FactorPurpose::Enroll, false),
            Some(1)
        );
        assert_eq!(pick(&two_one_required, FactorPurpose::Verify, false), None);
        let both_required = [
            choice("totp", FactorKind::Totp, true),
            choice("push", FactorKind::Push, true),
        ];
        assert_eq!(pick(&both_required, FactorPurpose::Enroll, false), None);
    }
}
