//! Identity Engine speaks of authenticators, not factors: one Okta Verify holds the push and
//! code factors, one phone holds texts and calls. This maps the users' Classic factors onto
//! Okta's authenticator catalogue (`key`, `type`, display name, a fixed `aut…` id per org) and
//! lists what a user has enrolled and what the policy wants enrolled.

use serde_json::{Value, json};

use crate::org::factors::FactorKind;
use crate::org::users::{Enrollment, User};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Authenticator {
    Password,
    OktaVerify,
    Email,
    Phone,
    SecurityQuestion,
    GoogleOtp,
    RsaToken,
    WebAuthn,
    Duo,
}

impl Authenticator {
    const ALL: [Self; 9] = [
        Self::Password,
        Self::OktaVerify,
        Self::Email,
        Self::Phone,
        Self::SecurityQuestion,
        Self::GoogleOtp,
        Self::RsaToken,
        Self::WebAuthn,
        Self::Duo,
    ];

    pub(crate) fn of(kind: FactorKind) -> Self {
        match kind {
            FactorKind::Push | FactorKind::Totp => Self::OktaVerify,
            FactorKind::Google => Self::GoogleOtp,
            FactorKind::Sms | FactorKind::Call => Self::Phone,
            FactorKind::Email => Self::Email,
            FactorKind::Question => Self::SecurityQuestion,
            FactorKind::Token => Self::RsaToken,
            FactorKind::WebAuthn | FactorKind::U2f => Self::WebAuthn,
            FactorKind::Duo => Self::Duo,
        }
    }

    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Password => "okta_password",
            Self::OktaVerify => "okta_verify",
            Self::Email => "okta_email",
            Self::Phone => "phone_number",
            Self::SecurityQuestion => "security_question",
            Self::GoogleOtp => "google_otp",
            Self::RsaToken => "rsa_token",
            Self::WebAuthn => "webauthn",
            Self::Duo => "duo",
        }
    }

    fn kind_type(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::OktaVerify | Self::GoogleOtp | Self::Duo => "app",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::SecurityQuestion => "security_question",
            Self::RsaToken | Self::WebAuthn => "security_key",
        }
    }

    pub(crate) fn display_name(self) -> &'static str {
        match self {
            Self::Password => "Password",
            Self::OktaVerify => "Okta Verify",
            Self::Email => "Email",
            Self::Phone => "Phone",
            Self::SecurityQuestion => "Security Question",
            Self::GoogleOtp => "Google Authenticator",
            Self::RsaToken => "RSA SecurID",
            Self::WebAuthn => "Security Key or Biometric Authenticator",
            Self::Duo => "Duo Security",
        }
    }

    /// The org-wide authenticator id (`aut…`, 20 characters as Okta's are). Fixed, so a
    /// client may remember it between sign-ins as it can on a real org.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Self::Password => "autDemoPassword00g47",
            Self::OktaVerify => "autDemoOktaVerify0g4",
            Self::Email => "autDemoEmail00000g47",
            Self::Phone => "autDemoPhone00000g47",
            Self::SecurityQuestion => "autDemoQuestion00g47",
            Self::GoogleOtp => "autDemoGoogle0000g47",
            Self::RsaToken => "autDemoRsaToken00g47",
            Self::WebAuthn => "autDemoWebAuthn00g47",
            Self::Duo => "autDemoDuo0000000g47",
        }
    }

    pub(crate) fn by_id(id: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|authenticator| authenticator.id() == id)
    }

    /// Only a browser can do these on the demo org; they are listed, never completed here.
    pub(crate) fn browser_only(self) -> bool {
        matches!(self, Self::WebAuthn | Self::Duo)
    }

    /// The method types an enrollment of it offers, from the factors behind it.
    pub(crate) fn method_of(kind: FactorKind) -> &'static str {
        match kind {
            FactorKind::Push => "push",
            // Okta Verify's code method is `totp`; other apps and tokens say `otp`.
            FactorKind::Totp => "totp",
            FactorKind::Google | FactorKind::Token => "otp",
            FactorKind::Sms => "sms",
            FactorKind::Call => "voice",
            FactorKind::Email => "email",
            FactorKind::Question => "security_question",
            FactorKind::WebAuthn | FactorKind::U2f => "webauthn",
            FactorKind::Duo => "duo",
        }
    }

    /// The methods a new enrollment would have, as the `authenticators` list shows them.
    fn catalogue_methods(self) -> Vec<&'static str> {
        match self {
            Self::Password => vec!["password"],
            Self::OktaVerify => vec!["push", "totp"],
            Self::Email => vec!["email"],
            Self::Phone => vec!["sms", "voice"],
            Self::SecurityQuestion => vec!["security_question"],
            Self::GoogleOtp | Self::RsaToken => vec!["otp"],
            Self::WebAuthn => vec!["webauthn"],
            Self::Duo => vec!["duo"],
        }
    }

    /// The authenticator as `authenticators.value[]` shows it.
    pub(crate) fn catalogue_json(self) -> Value {
        json!({
            "type": self.kind_type(),
            "key": self.key(),
            "id": self.id(),
            "displayName": self.display_name(),
            "methods": methods_json(&self.catalogue_methods()),
        })
    }
}

pub(crate) fn methods_json(methods: &[&str]) -> Value {
    Value::Array(
        methods
            .iter()
            .map(|method| json!({ "type": method }))
            .collect(),
    )
}

/// One authenticator a user has enrolled, with the factors behind it.
#[derive(Clone, Debug)]
pub(crate) struct UserEnrollment {
    pub authenticator: Authenticator,
    /// The enrollment id: the first factor's id, or `lae…` for the password.
    pub id: String,
    /// `(method type, factor id)` in the order they are offered.
    pub methods: Vec<(&'static str, String)>,
}

impl UserEnrollment {
    pub(crate) fn method_names(&self) -> Vec<&'static str> {
        self.methods.iter().map(|(method, _)| *method).collect()
    }

    pub(crate) fn factor_for(&self, method: Option<&str>) -> Option<&(&'static str, String)> {
        match method {
            Some(method) => self.methods.iter().find(|(name, _)| *name == method),
            None => self.methods.first(),
        }
    }
}

/// The password's enrollment id: Okta's `lae` prefix on the user id's tail.
pub(crate) fn password_enrollment_id(user: &User) -> String {
    format!("lae{}", user.id.get(3..).unwrap_or_default())
}

/// What a user has enrolled beyond the password, by authenticator, push before codes.
pub(crate) fn second_factors(user: &User) -> Vec<UserEnrollment> {
    let mut enrollments: Vec<UserEnrollment> = Vec::new();
    for factor in user.active_factors() {
        let authenticator = Authenticator::of(factor.kind);
        let method = (Authenticator::method_of(factor.kind), factor.id.clone());
        match enrollments
            .iter_mut()
            .find(|enrollment| enrollment.authenticator == authenticator)
        {
            Some(enrollment) => enrollment.methods.push(method),
            None => enrollments.push(UserEnrollment {
                authenticator,
                id: factor.id.clone(),
                methods: vec![method],
            }),
        }
    }
    for enrollment in &mut enrollments {
        enrollment
            .methods
            .sort_by_key(|(method, _)| *method != "push");
    }
    enrollments
}

pub(crate) fn is_enrolled(user: &User, authenticator: Authenticator) -> bool {
    user.active_factors()
        .any(|factor| Authenticator::of(factor.kind) == authenticator)
}

/// The authenticators the policy names that the user has not enrolled, each with whether it
/// is required, in policy order.
pub(crate) fn missing_enrollments(user: &User) -> Vec<(Authenticator, bool)> {
    let mut missing: Vec<(Authenticator, bool)> = Vec::new();
    for (kind, enrollment) in &user.enrollment_policy {
        let authenticator = Authenticator::of(*kind);
        if is_enrolled(user, authenticator) {
            continue;
        }
        let required = *enrollment == Enrollment::Required;
        match missing
            .iter_mut()
            .find(|(known, _)| *known == authenticator)
        {
            Some(entry) => entry.1 |= required,
            None => missing.push((authenticator, required)),
        }
    }
    missing
}

/// MFA needs an enrollment: a required authenticator is missing, or none is enrolled.
pub(crate) fn enrollment_required(user: &User) -> bool {
    user.active_factors().next().is_none()
        || missing_enrollments(user)
            .iter()
            .any(|(_, required)| *required)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authenticator_ids_look_like_oktas() {
        for authenticator in Authenticator::ALL {
            assert_eq!(authenticator.id().len(), 20, "{authenticator:?}");
            assert!(authenticator.id().starts_with("aut"));
            assert_eq!(
                Authenticator::by_id(authenticator.id()),
                Some(authenticator)
            );
        }
    }

    #[test]
    fn okta_verify_holds_push_and_code() {
        assert_eq!(
            Authenticator::of(FactorKind::Push),
            Authenticator::OktaVerify
        );
        assert_eq!(Authenticator::method_of(FactorKind::Totp), "totp");
        assert_eq!(Authenticator::method_of(FactorKind::Google), "otp");
    }
}
