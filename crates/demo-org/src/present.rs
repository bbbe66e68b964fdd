//! Renders org state as Okta's wire documents: which `_embedded` objects and `_links` each
//! status carries, with absolute links on the org's own origin.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use crate::factors::{ActivationState, Factor, FactorKind};
use crate::session_store::OktaSession;
use crate::totp;
use crate::transaction::{PushResult, Stage, Transaction};
use crate::transitions::enrollment_skippable;
use crate::users::{PasswordState, User};
use crate::wire::{
    ActivationBody, ChallengeBody, Embedded, FactorBody, FactorEmbedded, FactorPolicyInfo,
    FactorProfile, IdpBody, Link, Links, MfaPolicyBody, OktaSessionBody, PasswordComplexity,
    PasswordExpiration, PasswordPolicyBody, Policy, Relation, Timestamp, TransactionBody, UserBody,
    UserProfile,
};

pub(crate) struct Presenter<'a> {
    pub origin: &'a str,
    #[allow(dead_code)]
    pub issuer: &'a str,
    pub now: OffsetDateTime,
}

impl Presenter<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }

    fn post(&self, path: &str) -> Link {
        Link::post(self.url(path))
    }

    fn one(link: Link) -> Relation {
        Relation::One(link)
    }

    /// Primary authentication of a locked-out user when the org shows lockout failures:
    /// no state token, only the way to self-service unlock and out.
    pub(crate) fn locked_out(&self) -> TransactionBody {
        TransactionBody {
            status: "LOCKED_OUT",
            embedded: Some(Embedded::default()),
            links: Links::from([
                (
                    "next",
                    Self::one(self.post("/api/v1/authn/recovery/unlock").named("unlock")),
                ),
                ("cancel", Self::one(self.post("/api/v1/authn/cancel"))),
            ]),
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
                        .map(|(kind, enrollment)| FactorBody {
                            status: Some(if user.has_active(*kind) {
                                "ACTIVE"
                            } else {
                                "NOT_SETUP"
                            }),
                            enrollment: Some(enrollment.as_wire()),
                            links: (!user.has_active(*kind)).then(|| {
                                Links::from([(
                                    "enroll",
                                    Self::one(self.post("/api/v1/authn/factors")),
                                )])
                            }),
                            ..bare_factor(*kind, "OKTA")
                        })
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
                    let activate = format!("/api/v1/authn/factors/{factor_id}/lifecycle/activate");
                    let mut factor_body = FactorBody {
                        profile: self.profile(factor, user),
                        ..self.factor_with_id(factor)
                    };
                    match factor.kind {
                        FactorKind::Push => {
                            let state = factor.activation_state(self.now);
                            body.factor_result = Some(state.as_wire());
                            if let (ActivationState::Waiting, Some(activation)) =
                                (state, &factor.activation)
                            {
                                let mut activation_links = Links::new();
                                activation_links.insert(
                                    "qrcode",
                                    Self::one(self.qr_link(user, factor, &activation.qr_token)),
                                );
                                activation_links.insert("send", self.send_links(&activate));
                                factor_body.embedded = Some(FactorEmbedded {
                                    activation: Some(ActivationBody {
                                        expires_at: Some(Timestamp(activation.expires_at)),
                                        factor_result: Some("WAITING"),
                                        links: activation_links,
                                        ..ActivationBody::default()
                                    }),
                                    challenge: None,
                                });
                                links.insert(
                                    "next",
                                    Self::one(self.post(&format!("{activate}/poll")).named("poll")),
                                );
                            } else {
                                // Expired: Okta keeps the activation, with its result and
                                // the ways to start again (a new QR, or a link sent instead).
                                factor_body.embedded = Some(FactorEmbedded {
                                    activation: Some(ActivationBody {
                                        factor_result: Some(state.as_wire()),
                                        links: Links::from([
                                            ("activate", Self::one(self.post(&activate))),
                                            ("send", self.send_links(&activate)),
                                        ]),
                                        ..ActivationBody::default()
                                    }),
                                    challenge: None,
                                });
                                links.insert(
                                    "next",
                                    Self::one(self.post(&activate).named("activate")),
                                );
                            }
                        }
                        FactorKind::Totp => {
                            if let (Some(totp), Some(activation)) =
                                (&factor.totp, &factor.activation)
                            {
                                factor_body.embedded = Some(FactorEmbedded {
                                    activation: Some(ActivationBody {
                                        time_step: Some(totp::STEP_SECONDS),
                                        shared_secret: Some(totp.key.base32().to_owned()),
                                        encoding: Some("base32"),
                                        key_length: Some(totp::DIGITS),
                                        links: Links::from([(
                                            "qrcode",
                                            Self::one(self.qr_link(
                                                user,
                                                factor,
                                                &activation.qr_token,
                                            )),
                                        )]),
                                        ..ActivationBody::default()
                                    }),
                                    challenge: None,
                                });
                            }
                            links.insert("next", Self::one(self.post(&activate).named("activate")));
                        }
                    }
                    embedded.factor = Some(factor_body);
                }
            }
            Stage::MfaRequired => {
                body.status = "MFA_REQUIRED";
                embedded.factors = Some(
                    user.active_factors()
                        .map(|factor| FactorBody {
                            profile: self.profile(factor, user),
                            links: Some(Links::from([(
                                "verify",
                                Self::one(self.verify_link(factor)),
                            )])),
                            ..self.factor_with_id(factor)
                        })
                        .collect(),
                );
                embedded.policy = Some(self.mfa_policy(user));
            }
            Stage::MfaChallenge { factor_id } => {
                body.status = "MFA_CHALLENGE";
                links.insert("prev", Self::one(self.post("/api/v1/authn/previous")));
                if let Some(factor) = user.factor(factor_id) {
                    let mut factor_body = FactorBody {
                        profile: self.profile(factor, user),
                        ..self.factor_with_id(factor)
                    };
                    let result = tx
                        .push
                        .as_ref()
                        .map_or(PushResult::Timeout, |push| push.result);
                    body.factor_result = Some(result.as_wire());
                    let next_name = if result == PushResult::Waiting {
                        "poll"
                    } else {
                        "verify"
                    };
                    links.insert("next", Self::one(self.verify_link(factor).named(next_name)));
                    links.insert(
                        "resend",
                        Relation::Many(vec![
                            self.post(&format!("/api/v1/authn/factors/{factor_id}/verify/resend"))
                                .named("push"),
                        ]),
                    );
                    if let Some(push) = tx.push.as_mut() {
                        push.result_reported = push.result != PushResult::Waiting;
                    }
                    if let Some(push) = tx
                        .push
                        .as_mut()
                        .filter(|push| push.result == PushResult::Waiting)
                    {
                        if let Some(challenge) =
                            push.challenge.filter(|_| push.number_shown(self.now))
                        {
                            factor_body.embedded = Some(FactorEmbedded {
                                activation: None,
                                challenge: Some(ChallengeBody {
                                    correct_answer: challenge.correct_answer,
                                }),
                            });
                        }
                        push.waiting_responses = push.waiting_responses.saturating_add(1);
                    }
                    embedded.factor = Some(factor_body);
                }
                embedded.policy = Some(self.mfa_policy(user));
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
        }
        body.embedded = Some(embedded);
        body.links = links;
        body
    }

    fn user(&self, user: &User) -> UserBody {
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
        }
    }

    fn factor_with_id(&self, factor: &Factor) -> FactorBody {
        FactorBody {
            id: Some(factor.id.clone()),
            ..bare_factor(factor.kind, factor.provider)
        }
    }

    fn profile(&self, factor: &Factor, user: &User) -> Option<FactorProfile> {
        let device = factor.device.filter(|_| factor.kind == FactorKind::Push);
        Some(FactorProfile {
            credential_id: user.login.clone(),
            device_type: device.map(|d| d.device_type),
            name: device.map(|d| d.name),
            platform: device.map(|d| d.platform),
            version: device.map(|d| d.version),
        })
    }

    /// Where an Okta Verify activation link can be sent instead of scanning the QR code.
    fn send_links(&self, activate: &str) -> Relation {
        Relation::Many(vec![
            self.post(&format!("{activate}/email")).named("email"),
            self.post(&format!("{activate}/sms")).named("sms"),
        ])
    }

    fn verify_link(&self, factor: &Factor) -> Link {
        self.post(&format!("/api/v1/authn/factors/{}/verify", factor.id))
    }

    fn qr_link(&self, user: &User, factor: &Factor, qr_token: &str) -> Link {
        Link {
            name: None,
            href: self.url(&format!(
                "/api/v1/users/{}/factors/{}/qr/{qr_token}",
                user.id, factor.id
            )),
            media_type: Some("image/png"),
            hints: None,
        }
    }

    fn mfa_policy(&self, user: &User) -> Policy {
        Policy::Mfa(MfaPolicyBody {
            allow_remember_device: false,
            remember_device_lifetime_in_minutes: 0,
            remember_device_by_default: false,
            factors_policy_info: user
                .active_factors()
                .filter(|factor| factor.kind == FactorKind::Push)
                .map(|factor| {
                    (
                        factor.id.clone(),
                        FactorPolicyInfo {
                            auto_push_enabled: factor.auto_push,
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
        })
    }

    pub(crate) fn okta_session(&self, session: &OktaSession, user: &User) -> OktaSessionBody {
        let factor_verified = session.factor_verified_at();
        let mut amr = vec!["pwd"];
        if factor_verified.is_some() {
            amr.push("mfa");
        }
        let self_link = Link {
            name: None,
            href: self.url(&format!("/api/v1/sessions/{}", session.id)),
            media_type: None,
            hints: None,
        }
        .allowing(vec!["GET", "DELETE"]);
        OktaSessionBody {
            id: session.id.clone(),
            user_id: user.id.clone(),
            login: user.login.clone(),
            created_at: Timestamp(session.created_at),
            expires_at: Timestamp(session.expires_at),
            status: "ACTIVE",
            last_password_verification: Timestamp(session.password_verified_at()),
            last_factor_verification: factor_verified.map(Timestamp),
            amr,
            idp: IdpBody {
                id: "00oDemoOrgIdentity01",
                kind: "OKTA",
            },
            mfa_active: user.active_factors().next().is_some(),
            links: Links::from([("self", Relation::One(self_link))]),
        }
    }
}

fn bare_factor(kind: FactorKind, provider: &'static str) -> FactorBody {
    FactorBody {
        id: None,
        factor_type: kind.factor_type(),
        provider,
        vendor_name: provider,
        status: None,
        enrollment: None,
        profile: None,
        embedded: None,
        links: None,
    }
}

fn complexity() -> PasswordComplexity {
    PasswordComplexity {
        min_length: 8,
        min_lower_case: 1,
        min_upper_case: 1,
        min_number: 1,
        min_symbol: 0,
        exclude_username: true,
    }
}
