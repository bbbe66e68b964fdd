//! The virtual phone each seeded user carries: it scans QR codes, shows and answers Okta
//! Verify pushes, shows app and token codes, and keeps the texts, calls and emails the org
//! sent (the inbox).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::classic::transitions::refresh;
use crate::error::DemoOrgError;
use crate::org::factors::{ActivationState, DEMO_PHONE, FactorKind};
use crate::org::inbox::InboxMessage;
use crate::org::push::{Push, PushResult};
use crate::org::totp::{STEP_SECONDS, TotpKey};
use crate::org::users::AuthenticatorEntry;
use crate::state::{Org, OrgState};
use crate::wire::Timestamp;

/// What the phone shows for one user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneView {
    pub login: String,
    pub factors: Vec<PhoneFactor>,
    pub pending_push: Option<PendingPush>,
    pub pending_activations: Vec<PendingActivation>,
    pub codes: Vec<AuthenticatorCode>,
    /// Texts, calls and emails the org sent this user, newest last.
    pub inbox: Vec<InboxMessage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneFactor {
    pub id: String,
    pub factor_type: String,
    /// `ACTIVE` or `PENDING_ACTIVATION`.
    pub status: String,
    pub device_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingPush {
    pub factor_id: String,
    /// The three numbers of a number challenge; absent for plain pushes.
    pub numbers: Option<[u8; 3]>,
    pub expires_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingActivation {
    pub factor_id: String,
    pub factor_type: String,
    pub expires_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorCode {
    pub issuer: String,
    pub account: String,
    pub code: String,
    pub seconds_remaining: u64,
}

/// How the phone answered a push.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PushAnswer {
    Approved,
    Rejected,
}

/// What scanning a QR code did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ScanOutcome {
    /// An `oktaverify://` QR: the push factor is now active on this phone.
    #[serde(rename_all = "camelCase")]
    PushActivated { factor_id: String, uri: String },
    /// An `otpauth://` QR: the phone now shows codes for this account.
    #[serde(rename_all = "camelCase")]
    CodeAdded { issuer: String, account: String },
}

impl Org {
    fn user_index(&self, state: &OrgState, login: &str) -> Result<usize, DemoOrgError> {
        state
            .users
            .iter()
            .position(|user| user.login.eq_ignore_ascii_case(login.trim()))
            .ok_or_else(|| DemoOrgError::UnknownUser {
                login: login.to_owned(),
            })
    }

    pub(crate) fn phone_view(&self, login: &str) -> Result<PhoneView, DemoOrgError> {
        let now = self.clock.now();
        let mut state = self.lock();
        let index = self.user_index(&state, login)?;
        refresh_transactions_of(&mut state, index, now, self.config.auto_approve);
        let user = &state.users[index];
        let pending_push = pushes_of(&state, &user.id)
            .filter(|push| push.result == PushResult::Waiting)
            .max_by_key(|push| push.started_at)
            .map(|push| PendingPush {
                factor_id: push.factor_id.clone(),
                numbers: push.challenge.map(|challenge| challenge.numbers),
                expires_at: Timestamp(push.expires_at).to_iso(),
            });
        let unix = u64::try_from(now.unix_timestamp()).unwrap_or_default();
        Ok(PhoneView {
            login: user.login.clone(),
            factors: user
                .factors
                .iter()
                .map(|factor| PhoneFactor {
                    id: factor.id.clone(),
                    factor_type: factor.kind.factor_type().to_owned(),
                    status: if factor.is_active() {
                        "ACTIVE"
                    } else {
                        "PENDING_ACTIVATION"
                    }
                    .to_owned(),
                    device_name: factor.device.map(|device| device.name.to_owned()),
                })
                .collect(),
            pending_push,
            pending_activations: user
                .factors
                .iter()
                .filter(|factor| !factor.is_active())
                .filter(|factor| factor.activation_state(now) == ActivationState::Waiting)
                .filter_map(|factor| {
                    Some(PendingActivation {
                        factor_id: factor.id.clone(),
                        factor_type: factor.kind.factor_type().to_owned(),
                        expires_at: Timestamp(factor.activation.as_ref()?.expires_at).to_iso(),
                    })
                })
                .collect(),
            codes: user
                .authenticator
                .iter()
                .map(|entry| AuthenticatorCode {
                    issuer: entry.issuer.clone(),
                    account: entry.account.clone(),
                    code: entry.key.code_at(unix),
                    seconds_remaining: STEP_SECONDS - unix % STEP_SECONDS,
                })
                .collect(),
            inbox: user.inbox.clone(),
        })
    }

    /// Answers the user's newest waiting push. A number challenge needs the number; a wrong
    /// number rejects the push, as Okta Verify does.
    pub(crate) fn phone_answer(
        &self,
        login: &str,
        approve: bool,
        number: Option<u8>,
    ) -> Result<PushAnswer, DemoOrgError> {
        let now = self.clock.now();
        let mut state = self.lock();
        let index = self.user_index(&state, login)?;
        refresh_transactions_of(&mut state, index, now, self.config.auto_approve);
        let user_id = state.users[index].id.clone();
        let push = pushes_of_mut(&mut state, &user_id)
            .filter(|push| push.result == PushResult::Waiting)
            .max_by_key(|push| push.started_at)
            .ok_or_else(|| DemoOrgError::NoPendingPush {
                login: login.to_owned(),
            })?;
        let answer = match (approve, push.challenge, number) {
            (false, _, _) => PushAnswer::Rejected,
            (true, None, _) => PushAnswer::Approved,
            (true, Some(_), None) => {
                return Err(DemoOrgError::NumberRequired {
                    login: login.to_owned(),
                });
            }
            (true, Some(challenge), Some(number)) if challenge.correct_answer == number => {
                PushAnswer::Approved
            }
            (true, Some(_), Some(_)) => PushAnswer::Rejected,
        };
        push.result = match answer {
            PushAnswer::Approved => PushResult::Approved,
            PushAnswer::Rejected => PushResult::Rejected,
        };
        Ok(answer)
    }

    /// Decodes a QR PNG like a phone camera and does exactly what its URI says.
    pub(crate) fn phone_scan(&self, login: &str, png: &[u8]) -> Result<ScanOutcome, DemoOrgError> {
        let uri = crate::org::qr::decode_png(png)?;
        self.phone_open(login, uri)
    }

    /// Taps an activation link the org sent: `link`, or else the newest one in the inbox.
    /// The link holds the same URI as the QR code, so it does what a scan does.
    pub(crate) fn phone_open_link(
        &self,
        login: &str,
        link: Option<String>,
    ) -> Result<ScanOutcome, DemoOrgError> {
        let link = match link {
            Some(link) => link,
            None => {
                let state = self.lock();
                let index = self.user_index(&state, login)?;
                state.users[index]
                    .inbox
                    .iter()
                    .rev()
                    // Recovery emails carry web links; the phone opens only app links.
                    .find_map(|message| {
                        message.link.clone().filter(|link| !link.starts_with("http"))
                    })
                    .ok_or_else(|| DemoOrgError::QrRejected {
                        reason: "there is no activation link in this phone's inbox; choose the email or SMS channel first".to_owned(),
                    })?
            }
        };
        self.phone_open(login, link)
    }

    /// Does what an `oktaverify://` or `otpauth://` URI says, as Okta Verify would.
    fn phone_open(&self, login: &str, uri: String) -> Result<ScanOutcome, DemoOrgError> {
        let now = self.clock.now();
        let mut state = self.lock();
        let index = self.user_index(&state, login)?;
        let user = &mut state.users[index];
        let rejected = |reason: &str| DemoOrgError::QrRejected {
            reason: reason.to_owned(),
        };
        if let Some(rest) = uri.strip_prefix("oktaverify://") {
            let (encoded_login, query) = rest
                .split_once("/?")
                .ok_or_else(|| rejected("the Okta Verify link has no activation parameters"))?;
            let qr_login = percent_encoding::percent_decode_str(encoded_login).decode_utf8_lossy();
            let params: std::collections::HashMap<String, String> =
                url::form_urlencoded::parse(query.as_bytes())
                    .into_owned()
                    .collect();
            let param = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
            if !qr_login.eq_ignore_ascii_case(&user.login) {
                return Err(rejected(&format!(
                    "it enrolls {qr_login}, but this is {}'s phone",
                    user.login
                )));
            }
            if param("s").trim_end_matches('/') != self.origin {
                return Err(rejected("it belongs to another Okta org"));
            }
            let factor = user
                .factors
                .iter_mut()
                .find(|factor| factor.id == param("f") && factor.kind == FactorKind::Push)
                .ok_or_else(|| {
                    rejected("its factor does not exist (enrollment was cancelled or restarted)")
                })?;
            if factor.is_active() {
                return Err(rejected("this factor is already activated"));
            }
            let activation = factor
                .activation
                .as_ref()
                .filter(|activation| activation.token == param("t"))
                .ok_or_else(|| rejected("its activation was replaced by a newer QR code; scan the one the desktop shows now"))?;
            if now >= activation.expires_at {
                return Err(rejected(
                    "the QR code has expired; refresh it on the desktop and scan again",
                ));
            }
            factor.activate_on(DEMO_PHONE);
            return Ok(ScanOutcome::PushActivated {
                factor_id: factor.id.clone(),
                uri,
            });
        }
        if uri.starts_with("otpauth://totp/") {
            let parsed = url::Url::parse(&uri)
                .map_err(|_| rejected("the authenticator link is malformed"))?;
            let secret = parsed
                .query_pairs()
                .find(|(key, _)| key == "secret")
                .and_then(|(_, value)| TotpKey::from_base32(&value))
                .ok_or_else(|| rejected("the authenticator link has no valid secret"))?;
            let label = percent_encoding::percent_decode_str(parsed.path().trim_start_matches('/'))
                .decode_utf8_lossy()
                .into_owned();
            let (label_issuer, account) = label.split_once(':').unwrap_or(("", &label));
            let issuer = parsed
                .query_pairs()
                .find(|(key, _)| key == "issuer")
                .map(|(_, value)| value.into_owned())
                .unwrap_or_else(|| label_issuer.to_owned());
            user.authenticator
                .retain(|entry| !(entry.issuer == issuer && entry.account == account));
            user.authenticator.push(AuthenticatorEntry {
                issuer: issuer.clone(),
                account: account.to_owned(),
                key: secret,
            });
            return Ok(ScanOutcome::CodeAdded {
                issuer,
                account: account.to_owned(),
            });
        }
        Err(rejected(
            "it is not an Okta Verify or authenticator QR code",
        ))
    }
}

/// The pushes of a user's sign-ins, Classic and Identity Engine alike.
fn pushes_of<'s>(state: &'s OrgState, user_id: &'s str) -> impl Iterator<Item = &'s Push> {
    let classic = state
        .transactions
        .values()
        .filter(move |tx| tx.user_id == user_id)
        .filter_map(|tx| tx.push.as_ref());
    let idx = state
        .idx
        .transactions
        .values()
        .filter(move |tx| tx.user_id.as_deref() == Some(user_id))
        .filter_map(|tx| tx.push.as_ref());
    classic.chain(idx)
}

fn pushes_of_mut<'s>(
    state: &'s mut OrgState,
    user_id: &'s str,
) -> impl Iterator<Item = &'s mut Push> {
    let classic = state
        .transactions
        .values_mut()
        .filter(move |tx| tx.user_id == user_id)
        .filter_map(|tx| tx.push.as_mut());
    let idx = state
        .idx
        .transactions
        .values_mut()
        .filter(move |tx| tx.user_id.as_deref() == Some(user_id))
        .filter_map(|tx| tx.push.as_mut());
    classic.chain(idx)
}

/// Applies time-driven changes to every transaction of a user, Classic and Identity Engine,
/// so the phone shows what the desktop would see if it polled now.
fn refresh_transactions_of(
    state: &mut OrgState,
    user_index: usize,
    now: OffsetDateTime,
    auto_approve: Option<std::time::Duration>,
) {
    let user = &mut state.users[user_index];
    let user_id = user.id.clone();
    for tx in state
        .transactions
        .values_mut()
        .filter(|tx| tx.user_id == user_id)
    {
        refresh(tx, user, now, auto_approve);
    }
    for tx in state
        .idx
        .transactions
        .values_mut()
        .filter(|tx| tx.user_id.as_deref() == Some(user_id.as_str()))
    {
        crate::idx::policy::refresh(tx, user, now, auto_approve);
    }
}
