//! Renders org state as Okta's wire documents: which `_embedded` objects and `_links` each
//! status carries, with absolute links on the org's own origin. The factors in them are
//! drawn in `factors`; the session a sign-in opens, in `session`.

mod factors;
mod recovery;
mod session;

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::classic::transaction::{Stage, Transaction};
use crate::classic::transitions::enrollment_skippable;
use crate::org::factors::FactorKind;
use crate::org::users::{PasswordState, User};
use crate::state::Org;
use crate::wire::{
    Embedded, FactorPolicyInfo, Link, Links, MfaPolicyBody, PasswordComplexity, PasswordExpiration,
    PasswordPolicyBody, Policy, Relation, Timestamp, TransactionBody, UserBody, UserProfile,
};

pub(crate) struct Presenter<'a> {
    pub origin: &'a str,
    pub now: OffsetDateTime,
}

impl Org {
    /// Draws Classic answers on this org's origin, as of `now`.
    pub(crate) fn presenter(&self, now: OffsetDateTime) -> Presenter<'_> {
        Presenter {
            origin: &self.origin,
            now,
        }
    }
}

impl Presenter<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }

    pub(crate) fn post(&self, path: &str) -> Link {
        Link::post(self.url(path))
    }

    pub(crate) fn one(link: Link) -> Relation {
        Relation::One(link)
    }

    /// Primary authentication of a locked-out user when the org shows lockout failures:
    /// no state token, only the way to self-service unlock (where the org allows it) and out.
    pub(crate) fn locked_out(&self, self_service: bool) -> TransactionBody {
        let mut links = Links::from([("cancel", Self::one(self.post("/api/v1/authn/cancel")))]);
        if self_service {
            links.insert(
                "next",
                Self::one(self.post("/api/v1/authn/recovery/unlock").named("unlock")),
            );
        }
        TransactionBody {
            status: "LOCKED_OUT",
            embedded: Some(Embedded::default()),
            links,
            ..TransactionBody::default()
        }
    }

    /// A transaction that vanished while a step ran (cancelled or expired meanwhile).
    pub(crate) fn cancelled(&self) -> TransactionBody {
        TransactionBody {
            status: "UNAUTHENTICATED",
            ..TransactionBody::default()
        }
    }

    pub(crate) fn success(
        &self,
        user: &User,
        session_token: String,
        expires_at: OffsetDateTime,
    ) -> TransactionBody {
        TransactionBody {
            expires_at: Some(Timestamp(expires_at)),
            status: "SUCCESS",
            session_token: Some(session_token),
            embedded: Some(Embedded {
                user: Some(self.user(user)),
                ..Embedded::default()
            }),
            ..TransactionBody::default()
        }
    }

    pub(crate) fn transaction(&self, tx: &mut Transaction, user: &User) -> TransactionBody {
        if let Some(body) = self.recovery(tx, user) {
            return body;
        }
        let mut body = TransactionBody {
            state_token: Some(tx.state_token.clone()),
            expires_at: Some(Timestamp(tx.expires_at)),
            ..TransactionBody::default()
        };
        let mut embedded = Embedded {
            user: Some(self.user(user)),
            ..Embedded::default()
        };
        let mut links = Links::new();
        links.insert("cancel", Self::one(self.post("/api/v1/authn/cancel")));
        match &tx.stage {
            Stage::MfaEnroll => {
                body.status = "MFA_ENROLL";
                embedded.factors = Some(
                    user.enrollment_policy
                        .iter()
                        .map(|(kind, enrollment)| self.enroll_entry(user, *kind, *enrollment))
                        .collect(),
                );
                if enrollment_skippable(tx, user) {
                    links.insert(
                        "skip",
                        Self::one(self.post("/api/v1/authn/skip").named("skip")),
                    );
                }
            }
            Stage::MfaEnrollActivate { factor_id } => {
                body.status = "MFA_ENROLL_ACTIVATE";
                links.insert("prev", Self::one(self.post("/api/v1/authn/previous")));
                if let Some(factor) = user.factor(factor_id) {
                    embedded.factor = Some(self.activating(&mut body, &mut links, user, factor));
                }
            }
            Stage::MfaRequired => {
                body.status = "MFA_REQUIRED";
                embedded.factors = Some(
                    user.active_factors()
                        .map(|factor| self.enrolled_entry(user, factor))
                        .collect(),
                );
                embedded.policy = Some(self.mfa_policy(user, true));
            }
            Stage::MfaChallenge { factor_id } => {
                body.status = "MFA_CHALLENGE";
                links.insert("prev", Self::one(self.post("/api/v1/authn/previous")));
                if let Some(factor) = user.factor(factor_id) {
                    embedded.factor =
                        Some(self.challenged(&mut body, &mut links, tx, user, factor));
                }
                embedded.policy = Some(self.mfa_policy(user, false));
            }
            Stage::PasswordWarn => {
                body.status = "PASSWORD_WARN";
                let days = match user.password_state {
                    PasswordState::Warn { expires_in_days } => expires_in_days,
                    _ => 0,
                };
                embedded.policy = Some(Policy::Password(PasswordPolicyBody {
                    expiration: Some(PasswordExpiration {
                        password_expire_days: days,
                    }),
                    complexity: complexity(),
                    age: None,
                }));
                links.insert(
                    "next",
                    Self::one(
                        self.post("/api/v1/authn/credentials/change_password")
                            .named("changePassword"),
                    ),
                );
                links.insert(
                    "skip",
                    Self::one(self.post("/api/v1/authn/skip").named("skip")),
                );
            }
            Stage::PasswordExpired => {
                body.status = "PASSWORD_EXPIRED";
                embedded.policy = Some(Policy::Password(PasswordPolicyBody {
                    expiration: None,
                    complexity: complexity(),
                    age: None,
                }));
                links.insert(
                    "next",
                    Self::one(
                        self.post("/api/v1/authn/credentials/change_password")
                            .named("changePassword"),
                    ),
                );
            }
            Stage::Success => body.status = "SUCCESS",
            // Drawn by `recovery` above.
            Stage::RecoveryChallenge { .. }
            | Stage::RecoveryQuestion
            | Stage::PasswordReset
            | Stage::Unlocked => {}
        }
        body.embedded = Some(embedded);
        body.links = links;
        body
    }

    pub(crate) fn user(&self, user: &User) -> UserBody {
        UserBody {
            id: user.id.clone(),
            password_changed: Timestamp(user.password_changed_at),
            profile: UserProfile {
                login: user.login.clone(),
                first_name: user.first_name.to_owned(),
                last_name: user.last_name.to_owned(),
                locale: "en_US",
                time_zone: "America/Los_Angeles",
            },
            recovery_question: None,
        }
    }

    /// The MFA policy; `with_factors` (MFA_REQUIRED) lists each push factor's auto-push, which
    /// Okta sends as `null` on a challenge.
    fn mfa_policy(&self, user: &User, with_factors: bool) -> Policy {
        Policy::Mfa(MfaPolicyBody {
            allow_remember_device: user.remember_device.is_some(),
            remember_device_lifetime_in_minutes: user
                .remember_device
                .map_or(0, |policy| policy.lifetime_in_minutes()),
            remember_device_by_default: user
                .remember_device
                .is_some_and(|policy| policy.by_default),
            factors_policy_info: with_factors.then(|| {
                user.active_factors()
                    .filter(|factor| factor.kind == FactorKind::Push)
                    .map(|factor| {
                        (
                            factor.id.clone(),
                            FactorPolicyInfo {
                                auto_push_enabled: factor.auto_push,
                            },
                        )
                    })
                    .collect::<BTreeMap<_, _>>()
            }),
        })
    }
}

pub(crate) fn complexity() -> PasswordComplexity {
    PasswordComplexity {
        min_length: 8,
        min_lower_case: 1,
        min_upper_case: 1,
        min_number: 1,
        min_symbol: 0,
        exclude_username: true,
    }
}
