//! Factors as Okta shows them in each status: offered for enrollment (MFA_ENROLL), being
//! activated (MFA_ENROLL_ACTIVATE), enrolled (MFA_REQUIRED) and in play (MFA_CHALLENGE), each
//! with the profile its type has and the links its next step needs.

use super::Presenter;
use crate::classic::transaction::Transaction;
use crate::org::codes::{masked_email, masked_phone};
use crate::org::factors::{ActivationState, Factor, FactorKind};
use crate::org::push::PushResult;
use crate::org::totp;
use crate::org::users::{Enrollment, User};
use crate::wire::{
    ActivationBody, ChallengeBody, FactorBody, FactorEmbedded, FactorProfile, Link, Links,
    PhoneBody, Relation, Timestamp, TransactionBody,
};

impl Presenter<'_> {
    /// An MFA_ENROLL entry: not set up (with its `enroll` link) or already active.
    pub(super) fn enroll_entry(
        &self,
        user: &User,
        kind: FactorKind,
        enrollment: Enrollment,
    ) -> FactorBody {
        let active = user.has_active(kind);
        let mut links = Links::new();
        if !active {
            links.insert("enroll", Self::one(self.post("/api/v1/authn/factors")));
            if kind == FactorKind::Question {
                let questions = format!("/api/v1/users/{}/factors/questions", user.id);
                links.insert(
                    "questions",
                    Self::one(Link::post(self.url(&questions)).allowing(vec!["GET"])),
                );
            }
        }
        let phones = user
            .phone_on_file
            .as_deref()
            .filter(|_| !active && matches!(kind, FactorKind::Sms | FactorKind::Call))
            .map(|phone| {
                vec![PhoneBody {
                    id: format!("{}phone", &user.id[..user.id.len().min(12)]),
                    profile: FactorProfile {
                        phone_number: Some(masked_phone(phone)),
                        ..FactorProfile::default()
                    },
                    status: "ACTIVE",
                }]
            });
        FactorBody {
            status: Some(if active { "ACTIVE" } else { "NOT_SETUP" }),
            enrollment: Some(enrollment.as_wire()),
            links: (!links.is_empty()).then_some(links),
            embedded: phones.map(|phones| FactorEmbedded {
                phones: Some(phones),
                ..FactorEmbedded::default()
            }),
            ..bare_factor(kind)
        }
    }

    /// An MFA_REQUIRED entry: an enrolled factor with its `verify` link.
    pub(super) fn enrolled_entry(&self, user: &User, factor: &Factor) -> FactorBody {
        FactorBody {
            profile: self.profile(factor, user),
            links: Some(Links::from([(
                "verify",
                Self::one(self.verify_link(factor)),
            )])),
            ..self.factor_with_id(factor)
        }
    }

    /// MFA_ENROLL_ACTIVATE: the factor being set up, with what proves it works, and the
    /// transaction's `next` (and `resend`, for codes the org sends).
    pub(super) fn activating(
        &self,
        body: &mut TransactionBody,
        links: &mut Links,
        user: &User,
        factor: &Factor,
    ) -> FactorBody {
        let activate = format!("/api/v1/authn/factors/{}/lifecycle/activate", factor.id);
        let mut factor_body = FactorBody {
            profile: self.profile(factor, user),
            ..self.factor_with_id(factor)
        };
        match factor.kind {
            FactorKind::Push => {
                let state = factor.activation_state(self.now);
                body.factor_result = Some(state.as_wire());
                let activation = match (state, &factor.activation) {
                    (ActivationState::Waiting, Some(activation)) => {
                        links.insert(
                            "next",
                            Self::one(self.post(&format!("{activate}/poll")).named("poll")),
                        );
                        ActivationBody {
                            expires_at: Some(Timestamp(activation.expires_at)),
                            factor_result: Some("WAITING"),
                            links: Links::from([
                                (
                                    "qrcode",
                                    Self::one(self.qr_link(user, factor, &activation.qr_token)),
                                ),
                                ("send", self.send_links(&activate)),
                            ]),
                            ..ActivationBody::default()
                        }
                    }
                    // Expired: Okta keeps the activation, with its result and the ways to
                    // start again (a new QR, or a link sent instead).
                    _ => {
                        links.insert("next", Self::one(self.post(&activate).named("activate")));
                        ActivationBody {
                            factor_result: Some(state.as_wire()),
                            links: Links::from([
                                ("activate", Self::one(self.post(&activate))),
                                ("send", self.send_links(&activate)),
                            ]),
                            ..ActivationBody::default()
                        }
                    }
                };
                factor_body.embedded = Some(FactorEmbedded {
                    activation: Some(activation),
                    ..FactorEmbedded::default()
                });
            }
            FactorKind::Totp | FactorKind::Google => {
                if let (Some(totp), Some(activation)) = (&factor.totp, &factor.activation) {
                    factor_body.embedded = Some(FactorEmbedded {
                        activation: Some(ActivationBody {
                            time_step: Some(totp::STEP_SECONDS),
                            shared_secret: Some(totp.key.base32().to_owned()),
                            encoding: Some("base32"),
                            key_length: Some(totp::DIGITS),
                            links: Links::from([(
                                "qrcode",
                                Self::one(self.qr_link(user, factor, &activation.qr_token)),
                            )]),
                            ..ActivationBody::default()
                        }),
                        ..FactorEmbedded::default()
                    });
                }
                links.insert("next", Self::one(self.post(&activate).named("activate")));
            }
            kind => {
                links.insert("next", Self::one(self.post(&activate).named("activate")));
                if kind.sends_codes() {
                    let resend = format!("/api/v1/authn/factors/{}/lifecycle/resend", factor.id);
                    links.insert("resend", self.resend_links(kind, &resend));
                }
            }
        }
        factor_body
    }

    /// MFA_CHALLENGE: the factor being verified. A push reports its result (and the number
    /// to tap, once the phone shows it); a code the org sent can be sent again.
    pub(super) fn challenged(
        &self,
        body: &mut TransactionBody,
        links: &mut Links,
        tx: &mut Transaction,
        user: &User,
        factor: &Factor,
    ) -> FactorBody {
        let mut factor_body = FactorBody {
            profile: self.profile(factor, user),
            ..self.factor_with_id(factor)
        };
        let resend = format!("/api/v1/authn/factors/{}/verify/resend", factor.id);
        if factor.kind != FactorKind::Push {
            links.insert("next", Self::one(self.verify_link(factor).named("verify")));
            if factor.kind.sends_codes() {
                links.insert("resend", self.resend_links(factor.kind, &resend));
            }
            return factor_body;
        }
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
        links.insert("resend", self.resend_links(factor.kind, &resend));
        if let Some(push) = tx.push.as_mut() {
            push.result_reported = push.result != PushResult::Waiting;
        }
        if let Some(push) = tx
            .push
            .as_mut()
            .filter(|push| push.result == PushResult::Waiting)
        {
            if let Some(challenge) = push.challenge.filter(|_| push.number_shown(self.now)) {
                factor_body.embedded = Some(FactorEmbedded {
                    challenge: Some(ChallengeBody {
                        correct_answer: challenge.correct_answer,
                    }),
                    ..FactorEmbedded::default()
                });
            }
            push.waiting_responses = push.waiting_responses.saturating_add(1);
        }
        factor_body
    }

    fn factor_with_id(&self, factor: &Factor) -> FactorBody {
        FactorBody {
            id: Some(factor.id.clone()),
            ..bare_factor(factor.kind)
        }
    }

    /// What Okta shows of a factor: the device of a push, the masked phone of SMS and
    /// calls, the masked email, the question; the credential id of apps and tokens.
    fn profile(&self, factor: &Factor, user: &User) -> Option<FactorProfile> {
        let profile = match factor.kind {
            FactorKind::Sms | FactorKind::Call => FactorProfile {
                phone_number: factor.phone.as_deref().map(masked_phone),
                ..FactorProfile::default()
            },
            FactorKind::Email => FactorProfile {
                email: Some(masked_email(&user.login)),
                ..FactorProfile::default()
            },
            FactorKind::Question => FactorProfile {
                question: factor.question.as_ref().map(|q| q.key),
                question_text: factor.question.as_ref().map(|q| q.text.clone()),
                ..FactorProfile::default()
            },
            kind => {
                let device = factor.device.filter(|_| kind == FactorKind::Push);
                FactorProfile {
                    credential_id: Some(user.login.clone()),
                    device_type: device.map(|d| d.device_type),
                    name: device.map(|d| d.name),
                    platform: device.map(|d| d.platform),
                    version: device.map(|d| d.version),
                    ..FactorProfile::default()
                }
            }
        };
        Some(profile)
    }

    /// `resend`, named for the way the factor reaches the person (`push`, `sms`, `call`,
    /// `email`).
    fn resend_links(&self, kind: FactorKind, href: &str) -> Relation {
        let name = match kind {
            FactorKind::Sms => "sms",
            FactorKind::Call => "call",
            FactorKind::Email => "email",
            _ => "push",
        };
        Relation::Many(vec![self.post(href).named(name)])
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
}

fn bare_factor(kind: FactorKind) -> FactorBody {
    FactorBody {
        id: None,
        factor_type: kind.factor_type(),
        provider: kind.provider(),
        vendor_name: kind.provider(),
        status: None,
        enrollment: None,
        profile: None,
        embedded: None,
        links: None,
    }
}
