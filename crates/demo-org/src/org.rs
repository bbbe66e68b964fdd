//! The org's state machine: users, transactions, factors, activations, pushes and sessions.
//! Plain Rust behind one mutex, free of HTTP, so it can be tested directly. Time-driven
//! changes (expiry, push timeout, auto-approval) are applied lazily whenever state is read,
//! which makes the manual clock work without background tasks.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::DemoOrgConfig;
use crate::clock::{Clock, span};
use crate::factors::{Activation, Factor, FactorKind, FactorStatus};
use crate::present::Presenter;
use crate::session_store::{SessionStore, SessionTokenGrant};
use crate::totp::PasscodeCheck;
use crate::transaction::{NumberChallenge, Push, PushResult, Stage, Transaction};
use crate::transitions::{advance, enrollment_skippable, refresh};
use crate::users::{PasswordState, User};
use crate::wire::{ApiError, OktaSessionBody, TransactionBody};

/// Three wrong passwords in a row lock the user.
const LOCKOUT_THRESHOLD: u8 = 3;
const SMS_INTERVAL: time::Duration = time::Duration::seconds(30);
const MIN_PASSWORD_LENGTH: usize = 8;

pub(crate) struct Org {
    pub config: DemoOrgConfig,
    /// The base URL without its trailing slash, as links are built on it.
    pub origin: String,
    /// `host:port`, what Okta Verify shows as the account's issuer.
    pub issuer: String,
    pub clock: Clock,
    state: Mutex<OrgState>,
}

pub(crate) struct OrgState {
    pub users: Vec<User>,
    pub transactions: HashMap<String, Transaction>,
    sessions: SessionStore,
    last_sweep: Option<OffsetDateTime>,
}

#[derive(Default)]
pub(crate) struct PrimaryAuth {
    pub username: String,
    pub password: Zeroizing<String>,
    pub warn_before_password_expired: bool,
    pub multi_optional_factor_enroll: bool,
}

pub(crate) enum ActivationChannel {
    Email,
    Sms { phone_number: String },
}

/// Counts of what the org holds, so tests can check that finished work is forgotten.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgStats {
    pub transactions: usize,
    pub session_tokens: usize,
    pub sessions: usize,
}

impl Org {
    pub(crate) fn new(config: DemoOrgConfig, origin: String, issuer: String) -> Self {
        let clock = Clock::default();
        let users = crate::users::seed(clock.now(), &issuer, &config.password);
        Self {
            config,
            origin,
            issuer,
            clock,
            state: Mutex::new(OrgState {
                users,
                transactions: HashMap::new(),
                sessions: SessionStore::default(),
                last_sweep: None,
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, OrgState> {
        // A panic elsewhere must not take the whole demo org down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn presenter(&self, now: OffsetDateTime) -> Presenter<'_> {
        Presenter {
            origin: &self.origin,
            issuer: &self.issuer,
            now,
        }
    }

    /// Locks the state, forgets what expired and returns the current org time.
    fn begin(&self) -> (MutexGuard<'_, OrgState>, OffsetDateTime) {
        let now = self.clock.now();
        let mut state = self.lock();
        state.sweep(now);
        (state, now)
    }

    pub(crate) fn reset(&self) {
        self.clock.reset();
        let now = self.clock.now();
        let mut state = self.lock();
        state.users = crate::users::seed(now, &self.issuer, &self.config.password);
        state.transactions.clear();
        state.sessions.clear();
        state.last_sweep = None;
    }

    pub(crate) fn stats(&self) -> OrgStats {
        let (state, _) = self.begin();
        OrgStats {
            transactions: state.transactions.len(),
            session_tokens: state.sessions.token_count(),
            sessions: state.sessions.session_count(),
        }
    }

    /// The user a rate-limited request belongs to: by login, or by the state token's owner.
    pub(crate) fn rate_limit_key(
        &self,
        username: Option<&str>,
        state_token: Option<&str>,
    ) -> String {
        let state = self.lock();
        if let Some(username) = username {
            return match state.user_by_login(username) {
                Some(user) => user.id.clone(),
                None => format!("login:{}", username.to_ascii_lowercase()),
            };
        }
        if let Some(token) = state_token {
            return match state.transactions.get(token) {
                Some(tx) => tx.user_id.clone(),
                None => format!("token:{token}"),
            };
        }
        "anonymous".to_owned()
    }

    pub(crate) fn primary_auth(&self, request: PrimaryAuth) -> Result<TransactionBody, ApiError> {
        if request.username.trim().is_empty() {
            return Err(ApiError::validation(
                "username: The field cannot be left blank",
            ));
        }
        if request.password.is_empty() {
            return Err(ApiError::validation(
                "password: The field cannot be left blank",
            ));
        }
        let (mut state, now) = self.begin();
        let user = state
            .user_by_login_mut(&request.username)
            .ok_or_else(ApiError::authentication_failed)?;
        if user.locked {
            return Ok(self.presenter(now).locked_out());
        }
        if user.password.as_str() != request.password.as_str() {
            user.failed_attempts = user.failed_attempts.saturating_add(1);
            if user.failed_attempts >= LOCKOUT_THRESHOLD {
                user.locked = true;
            }
            return Err(ApiError::authentication_failed());
        }
        user.failed_attempts = 0;
        let user_id = user.id.clone();
        let state_token = crate::ids::token("00", &self.config.token_marker, 40);
        let tx = Transaction {
            state_token: state_token.clone(),
            user_id,
            stage: Stage::MfaRequired,
            expires_at: now + span(self.config.state_token_lifetime),
            warn_before_password_expired: request.warn_before_password_expired,
            multi_optional_factor_enroll: request.multi_optional_factor_enroll,
            enrolling: false,
            mfa_done: false,
            optional_enrollment_skipped: false,
            password_settled: false,
            password_verified_at: now,
            factor_verified_at: None,
            push: None,
        };
        state.transactions.insert(state_token.clone(), tx);
        let (tx, user) = state.live(&state_token, now, self.config.state_token_lifetime)?;
        advance(tx, user);
        Ok(self.finish(&mut state, &state_token, now))
    }

    /// `POST /api/v1/authn {stateToken}`: the transaction as it stands.
    pub(crate) fn resume(&self, state_token: &str) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |_, _, _| Ok(()))
    }

    pub(crate) fn enroll(
        &self,
        state_token: &str,
        factor_type: &str,
        provider: &str,
    ) -> Result<TransactionBody, ApiError> {
        let lifetime = self.config.activation_lifetime;
        let marker = self.config.token_marker.clone();
        self.step(state_token, |tx, user, now| {
            if tx.stage != Stage::MfaEnroll {
                return Err(ApiError::wrong_state());
            }
            let kind = FactorKind::from_wire(factor_type, provider)
                .filter(|kind| user.enrollment_policy.iter().any(|(k, _)| k == kind))
                .ok_or_else(|| {
                    ApiError::validation(format!(
                        "factorType: {factor_type} from provider {provider} cannot be enrolled in this org"
                    ))
                })?;
            if user.has_active(kind) {
                return Err(ApiError::validation(format!(
                    "factorType: a {factor_type} factor is already enrolled"
                )));
            }
            user.factors
                .retain(|factor| factor.kind != kind || factor.is_active());
            let provider = if provider.eq_ignore_ascii_case("GOOGLE") { "GOOGLE" } else { "OKTA" };
            let mut factor = Factor::new(kind, provider);
            factor.activation = Some(new_activation(now, lifetime, &marker));
            tx.stage = Stage::MfaEnrollActivate {
                factor_id: factor.id.clone(),
            };
            user.factors.push(factor);
            Ok(())
        })
    }

    pub(crate) fn activate_poll(
        &self,
        state_token: &str,
        factor_id: &str,
    ) -> Result<TransactionBody, ApiError> {
        self.poll_step(state_token, |tx, user, _| {
            let factor = enrolling_factor(tx, user, factor_id)?;
            if factor.kind != FactorKind::Push {
                return Err(ApiError::wrong_state());
            }
            Ok(())
        })
    }

    /// Restarts a push activation (new QR) or completes a TOTP activation with a passcode.
    pub(crate) fn activate(
        &self,
        state_token: &str,
        factor_id: &str,
        passcode: Option<&str>,
    ) -> Result<TransactionBody, ApiError> {
        let lifetime = self.config.activation_lifetime;
        let marker = self.config.token_marker.clone();
        self.step(state_token, |tx, user, now| {
            let factor = enrolling_factor_mut(tx, user, factor_id)?;
            match factor.kind {
                FactorKind::Push => {
                    factor.activation = Some(new_activation(now, lifetime, &marker));
                    Ok(())
                }
                FactorKind::Totp => {
                    let passcode =
                        passcode
                            .filter(|code| !code.trim().is_empty())
                            .ok_or_else(|| {
                                ApiError::validation("passCode: The field cannot be left blank")
                            })?;
                    let step = check_passcode(factor, passcode, now)?;
                    if let Some(totp) = factor.totp.as_mut() {
                        totp.last_used_step = Some(step);
                    }
                    factor.status = FactorStatus::Active;
                    factor.activation = None;
                    tx.factor_verified_at = Some(now);
                    advance(tx, user);
                    Ok(())
                }
            }
        })
    }

    pub(crate) fn send_activation(
        &self,
        state_token: &str,
        factor_id: &str,
        channel: ActivationChannel,
    ) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, now| {
            let factor = enrolling_factor_mut(tx, user, factor_id)?;
            let activation = factor
                .activation
                .as_mut()
                .filter(|activation| now < activation.expires_at && factor.kind == FactorKind::Push)
                .ok_or_else(ApiError::wrong_state)?;
            if let ActivationChannel::Sms { phone_number } = channel {
                if phone_number.trim().is_empty() {
                    return Err(ApiError::validation(
                        "profile.phoneNumber: The field cannot be left blank",
                    ));
                }
                if activation
                    .last_sms_at
                    .is_some_and(|sent| now - sent < SMS_INTERVAL)
                {
                    return Err(ApiError::sms_too_soon());
                }
                activation.last_sms_at = Some(now);
            }
            Ok(())
        })
    }

    pub(crate) fn verify(
        &self,
        state_token: &str,
        factor_id: &str,
        passcode: Option<&str>,
        auto_push: Option<bool>,
    ) -> Result<TransactionBody, ApiError> {
        let push_lifetime = self.config.push_lifetime;
        self.poll_step(state_token, |tx, user, now| {
            if !matches!(tx.stage, Stage::MfaRequired | Stage::MfaChallenge { .. }) {
                return Err(ApiError::wrong_state());
            }
            let number_challenge = user.number_challenge;
            let factor = user
                .factors
                .iter_mut()
                .find(|factor| factor.id == factor_id && factor.is_active())
                .ok_or_else(|| ApiError::not_found(&format!("{factor_id} (UserFactor)")))?;
            match factor.kind {
                FactorKind::Push => {
                    if let Some(auto_push) = auto_push {
                        factor.auto_push = auto_push;
                    }
                    let polling = matches!(&tx.stage, Stage::MfaChallenge { factor_id: current } if current == factor_id)
                        && tx
                            .push
                            .as_ref()
                            .is_some_and(|push| {
                                push.factor_id == factor_id
                                    && (push.result == PushResult::Waiting || !push.result_reported)
                            });
                    if !polling {
                        tx.push = Some(new_push(factor_id, now, push_lifetime, number_challenge));
                        tx.stage = Stage::MfaChallenge {
                            factor_id: factor_id.to_owned(),
                        };
                    }
                    Ok(())
                }
                FactorKind::Totp => {
                    let passcode = passcode
                        .filter(|code| !code.trim().is_empty())
                        .ok_or_else(|| ApiError::validation("passCode: The field cannot be left blank"))?;
                    let step = check_passcode(factor, passcode, now)?;
                    if let Some(totp) = factor.totp.as_mut() {
                        totp.last_used_step = Some(step);
                    }
                    tx.push = None;
                    tx.mfa_done = true;
                    tx.factor_verified_at = Some(now);
                    advance(tx, user);
                    Ok(())
                }
            }
        })
    }

    pub(crate) fn resend_push(
        &self,
        state_token: &str,
        factor_id: &str,
    ) -> Result<TransactionBody, ApiError> {
        let push_lifetime = self.config.push_lifetime;
        self.step(state_token, |tx, user, now| {
            let is_current = matches!(&tx.stage, Stage::MfaChallenge { factor_id: current } if current == factor_id);
            let is_push = user
                .factor(factor_id)
                .is_some_and(|factor| factor.kind == FactorKind::Push && factor.is_active());
            if !is_current || !is_push {
                return Err(ApiError::wrong_state());
            }
            tx.push = Some(new_push(factor_id, now, push_lifetime, user.number_challenge));
            Ok(())
        })
    }

    pub(crate) fn previous(&self, state_token: &str) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, _| {
            match tx.stage.clone() {
                Stage::MfaEnrollActivate { factor_id } => {
                    user.factors
                        .retain(|factor| factor.id != factor_id || factor.is_active());
                    tx.stage = Stage::MfaEnroll;
                }
                Stage::MfaChallenge { .. } => {
                    tx.push = None;
                    tx.stage = Stage::MfaRequired;
                }
                _ => return Err(ApiError::wrong_state()),
            }
            Ok(())
        })
    }

    pub(crate) fn skip(&self, state_token: &str) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, _| {
            match tx.stage {
                Stage::PasswordWarn => tx.password_settled = true,
                Stage::MfaEnroll if enrollment_skippable(tx, user) => {
                    tx.optional_enrollment_skipped = true;
                }
                _ => return Err(ApiError::wrong_state()),
            }
            advance(tx, user);
            Ok(())
        })
    }

    pub(crate) fn cancel(&self, state_token: &str) -> Result<TransactionBody, ApiError> {
        let (mut state, now) = self.begin();
        state.live(state_token, now, self.config.state_token_lifetime)?;
        state.transactions.remove(state_token);
        Ok(self.presenter(now).cancelled())
    }

    pub(crate) fn change_password(
        &self,
        state_token: &str,
        old_password: &str,
        new_password: &str,
    ) -> Result<TransactionBody, ApiError> {
        self.step(state_token, |tx, user, now| {
            if !matches!(tx.stage, Stage::PasswordExpired | Stage::PasswordWarn) {
                return Err(ApiError::wrong_state());
            }
            if user.password.as_str() != old_password {
                return Err(ApiError::credential_update_failed(
                    "oldPassword: Old Password is not correct",
                ));
            }
            if let Some(problem) = password_problem(new_password, old_password, &user.login) {
                return Err(ApiError::credential_update_failed(format!(
                    "password: {problem}"
                )));
            }
            user.password = Zeroizing::new(new_password.to_owned());
            user.password_state = PasswordState::Current;
            user.password_changed_at = now;
            tx.password_settled = true;
            advance(tx, user);
            Ok(())
        })
    }

    /// The single-use QR image of a factor's current activation.
    pub(crate) fn qr_png(
        &self,
        user_id: &str,
        factor_id: &str,
        qr_token: &str,
    ) -> Result<Vec<u8>, ApiError> {
        let (mut state, now) = self.begin();
        let not_found = || ApiError::not_found("QR code (it expired or was already shown)");
        let user = state
            .users
            .iter_mut()
            .find(|user| user.id == user_id)
            .ok_or_else(not_found)?;
        let login = user.login.clone();
        let factor = user.factor_mut(factor_id).ok_or_else(not_found)?;
        let kind = factor.kind;
        let totp_secret = factor
            .totp
            .as_ref()
            .map(|totp| Zeroizing::new(totp.key.base32().to_owned()));
        let activation = factor
            .activation
            .as_mut()
            .filter(|activation| activation.qr_token == qr_token && !activation.qr_served)
            .filter(|activation| kind == FactorKind::Totp || now < activation.expires_at)
            .ok_or_else(not_found)?;
        activation.qr_served = true;
        let uri = Zeroizing::new(match (kind, totp_secret) {
            (FactorKind::Totp, Some(secret)) => crate::qr::totp_uri(&self.issuer, &login, &secret),
            _ => crate::qr::push_activation_uri(
                &login,
                &activation.token,
                factor_id,
                &self.origin,
                &self.issuer,
            ),
        });
        crate::qr::png(&uri).map_err(|reason| {
            tracing::error!(%reason, "could not render a QR code");
            ApiError::custom(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "E0000009",
                "Internal Server Error".into(),
            )
        })
    }

    pub(crate) fn create_session(&self, session_token: &str) -> Result<OktaSessionBody, ApiError> {
        let (mut state, now) = self.begin();
        let session = state
            .sessions
            .redeem_token(session_token, now, &self.config)
            .ok_or_else(ApiError::authentication_failed)?;
        let user = state
            .users
            .iter()
            .find(|user| user.id == session.user_id)
            .ok_or_else(ApiError::authentication_failed)?;
        let body = self.presenter(now).okta_session(&session, user);
        state.sessions.open(session);
        Ok(body)
    }

    /// Turns a session token into a browser session; returns the new session id.
    pub(crate) fn redeem_for_cookie(&self, session_token: &str) -> Option<String> {
        let (mut state, now) = self.begin();
        let session = state
            .sessions
            .redeem_token(session_token, now, &self.config)?;
        let id = session.id.clone();
        state.sessions.open(session);
        Some(id)
    }

    pub(crate) fn session(&self, session_id: &str) -> Option<OktaSessionBody> {
        let (state, now) = self.begin();
        let session = state.sessions.get(session_id)?;
        let user = state.users.iter().find(|user| user.id == session.user_id)?;
        Some(self.presenter(now).okta_session(session, user))
    }

    pub(crate) fn end_session(&self, session_id: &str) -> bool {
        let (mut state, _) = self.begin();
        state.sessions.end(session_id)
    }

    /// Who a browser session belongs to: display name and login.
    pub(crate) fn session_user(&self, session_id: &str) -> Option<(String, String)> {
        let (state, _) = self.begin();
        let session = state.sessions.get(session_id)?;
        let user = state.users.iter().find(|user| user.id == session.user_id)?;
        Some((user.display_name(), user.login.clone()))
    }

    /// Runs one transaction step: finds the live transaction (401 E0000011 if gone), applies
    /// time-driven changes, runs `apply`, applies them again and renders the result.
    fn step(
        &self,
        state_token: &str,
        apply: impl FnOnce(&mut Transaction, &mut User, OffsetDateTime) -> Result<(), ApiError>,
    ) -> Result<TransactionBody, ApiError> {
        self.step_inner(state_token, false, apply)
    }

    /// Like `step`, for requests that poll: when the phone or time already moved the
    /// transaction on, the poll just reports where it stands now.
    fn poll_step(
        &self,
        state_token: &str,
        apply: impl FnOnce(&mut Transaction, &mut User, OffsetDateTime) -> Result<(), ApiError>,
    ) -> Result<TransactionBody, ApiError> {
        self.step_inner(state_token, true, apply)
    }

    fn step_inner(
        &self,
        state_token: &str,
        polling: bool,
        apply: impl FnOnce(&mut Transaction, &mut User, OffsetDateTime) -> Result<(), ApiError>,
    ) -> Result<TransactionBody, ApiError> {
        let (mut state, now) = self.begin();
        let (tx, user) = state.live(state_token, now, self.config.state_token_lifetime)?;
        let moved_on = refresh(tx, user, now, self.config.auto_approve);
        // A finished transaction answers SUCCESS to whatever comes next, once.
        if tx.stage != Stage::Success && !(polling && moved_on) {
            apply(tx, user, now)?;
        }
        Ok(self.finish(&mut state, state_token, now))
    }

    /// Renders a transaction; a finished one becomes a session token and is forgotten.
    fn finish(
        &self,
        state: &mut OrgState,
        state_token: &str,
        now: OffsetDateTime,
    ) -> TransactionBody {
        let presenter = self.presenter(now);
        let Some(tx) = state.transactions.get_mut(state_token) else {
            return presenter.cancelled();
        };
        let Some(user) = state.users.iter().find(|user| user.id == tx.user_id) else {
            return presenter.cancelled();
        };
        if tx.stage != Stage::Success {
            return presenter.transaction(tx, user);
        }
        let grant = SessionTokenGrant {
            user_id: user.id.clone(),
            expires_at: now + span(self.config.session_token_lifetime),
            password_verified_at: tx.password_verified_at,
            factor_verified_at: tx.factor_verified_at,
        };
        let expires_at = grant.expires_at;
        let session_token = state.sessions.issue_token(grant, &self.config.token_marker);
        let body = presenter.success(user, session_token, expires_at);
        state.transactions.remove(state_token);
        body
    }
}

impl OrgState {
    pub(crate) fn user_by_login(&self, login: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|user| user.login.eq_ignore_ascii_case(login.trim()))
    }

    pub(crate) fn user_by_login_mut(&mut self, login: &str) -> Option<&mut User> {
        self.users
            .iter_mut()
            .find(|user| user.login.eq_ignore_ascii_case(login.trim()))
    }

    /// The transaction behind a state token, its expiry slid forward, with its user.
    fn live(
        &mut self,
        state_token: &str,
        now: OffsetDateTime,
        lifetime: std::time::Duration,
    ) -> Result<(&mut Transaction, &mut User), ApiError> {
        if self
            .transactions
            .get(state_token)
            .is_some_and(|tx| tx.expires_at <= now)
        {
            self.transactions.remove(state_token);
        }
        let tx = self
            .transactions
            .get_mut(state_token)
            .ok_or_else(ApiError::invalid_token)?;
        tx.expires_at = now + span(lifetime);
        let user = self
            .users
            .iter_mut()
            .find(|user| user.id == tx.user_id)
            .ok_or_else(ApiError::invalid_token)?;
        Ok((tx, user))
    }

    /// Forgets expired transactions, tokens and sessions, at most once per org second, so
    /// memory stays flat however many sign-ins come and go.
    fn sweep(&mut self, now: OffsetDateTime) {
        if self
            .last_sweep
            .is_some_and(|last| now - last < time::Duration::seconds(1) && now >= last)
        {
            return;
        }
        self.last_sweep = Some(now);
        self.transactions.retain(|_, tx| tx.expires_at > now);
        self.sessions.forget_expired(now);
    }

    /// Applies time-driven changes to every transaction of a user (the phone's view).
    pub(crate) fn refresh_user_transactions(
        &mut self,
        user_index: usize,
        now: OffsetDateTime,
        auto_approve: Option<std::time::Duration>,
    ) {
        let user = &mut self.users[user_index];
        let user_id = user.id.clone();
        for tx in self
            .transactions
            .values_mut()
            .filter(|tx| tx.user_id == user_id)
        {
            refresh(tx, user, now, auto_approve);
        }
    }
}

fn new_activation(now: OffsetDateTime, lifetime: std::time::Duration, marker: &str) -> Activation {
    Activation {
        token: crate::ids::token("", marker, 20),
        qr_token: crate::ids::token("", marker, 24),
        qr_served: false,
        started_at: now,
        expires_at: now + span(lifetime),
        last_sms_at: None,
    }
}

fn new_push(
    factor_id: &str,
    now: OffsetDateTime,
    lifetime: std::time::Duration,
    number_challenge: bool,
) -> Push {
    Push {
        factor_id: factor_id.to_owned(),
        started_at: now,
        expires_at: now + span(lifetime),
        result: PushResult::Waiting,
        challenge: number_challenge.then(NumberChallenge::random),
        waiting_responses: 0,
        result_reported: false,
    }
}

fn enrolling_factor<'u>(
    tx: &Transaction,
    user: &'u User,
    factor_id: &str,
) -> Result<&'u Factor, ApiError> {
    match &tx.stage {
        Stage::MfaEnrollActivate { factor_id: current } if current == factor_id => user
            .factor(factor_id)
            .ok_or_else(|| ApiError::not_found(&format!("{factor_id} (UserFactor)"))),
        _ => Err(ApiError::wrong_state()),
    }
}

fn enrolling_factor_mut<'u>(
    tx: &Transaction,
    user: &'u mut User,
    factor_id: &str,
) -> Result<&'u mut Factor, ApiError> {
    match &tx.stage {
        Stage::MfaEnrollActivate { factor_id: current } if current == factor_id => user
            .factor_mut(factor_id)
            .filter(|factor| !factor.is_active())
            .ok_or_else(|| ApiError::not_found(&format!("{factor_id} (UserFactor)"))),
        _ => Err(ApiError::wrong_state()),
    }
}

fn check_passcode(factor: &Factor, passcode: &str, now: OffsetDateTime) -> Result<u64, ApiError> {
    let totp = factor.totp.as_ref().ok_or_else(ApiError::wrong_state)?;
    let unix = u64::try_from(now.unix_timestamp()).unwrap_or_default();
    match totp.key.check(passcode, unix, totp.last_used_step) {
        PasscodeCheck::Accepted { step } => Ok(step),
        PasscodeCheck::Replayed => Err(ApiError::passcode_replayed()),
        PasscodeCheck::OutsideWindow => Err(ApiError::passcode_outside_window()),
        PasscodeCheck::Wrong => Err(ApiError::invalid_passcode()),
    }
}

/// What Okta's default password policy would say about a new password, if anything.
fn password_problem(new_password: &str, old_password: &str, login: &str) -> Option<String> {
    let local_part = login.split('@').next().unwrap_or(login);
    if new_password.chars().count() < MIN_PASSWORD_LENGTH
        || !new_password.chars().any(|c| c.is_ascii_lowercase())
        || !new_password.chars().any(|c| c.is_ascii_uppercase())
        || !new_password.chars().any(|c| c.is_ascii_digit())
    {
        return Some(
            "Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, an uppercase letter, a number."
                .into(),
        );
    }
    if new_password == old_password {
        return Some("Password cannot be your current password.".into());
    }
    if !local_part.is_empty()
        && new_password
            .to_ascii_lowercase()
            .contains(&local_part.to_ascii_lowercase())
    {
        return Some(
            "Password requirements were not met. Password cannot contain part of your username."
                .into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Org {
        let config = DemoOrgConfig::default();
        Org::new(config, "http://127.0.0.1:1".into(), "127.0.0.1:1".into())
    }

    fn sign_in(org: &Org, login: &str) -> TransactionBody {
        org.primary_auth(PrimaryAuth {
            username: login.into(),
            password: Zeroizing::new(crate::DEMO_PASSWORD.into()),
            ..PrimaryAuth::default()
        })
        .expect("signs in")
    }

    #[test]
    fn memory_stays_flat_over_ten_thousand_finished_transactions() {
        let org = org();
        for _ in 0..10_000 {
            assert_eq!(sign_in(&org, "nomfa@demo.test").status, "SUCCESS");
            let tx = sign_in(&org, "push@demo.test");
            org.cancel(tx.state_token.as_deref().unwrap()).unwrap();
        }
        for _ in 0..100 {
            sign_in(&org, "push@demo.test");
        }
        let stats = org.stats();
        assert_eq!(
            stats.transactions, 100,
            "finished and cancelled ones are gone at once"
        );
        assert_eq!(
            stats.session_tokens, 10_000,
            "unredeemed session tokens wait for expiry"
        );
        org.clock.advance(std::time::Duration::from_secs(3600));
        assert_eq!(org.stats(), OrgStats::default());
    }

    #[test]
    fn password_rules_explain_themselves() {
        assert!(password_problem("short", "old", "a@b").is_some());
        assert!(password_problem("Fresh-Pa55word!", "Fresh-Pa55word!", "a@b").is_some());
        assert!(password_problem("Nomfa-Pa55word", "old", "nomfa@demo.test").is_some());
        assert_eq!(
            password_problem("Fresh-Pa55word!", "old", "nomfa@demo.test"),
            None
        );
    }

    #[test]
    fn a_push_answer_is_reported_before_a_new_push_is_sent() {
        let org = org();
        let tx = sign_in(&org, "push@demo.test");
        let token = tx.state_token.unwrap();
        let factor_id = org.lock().users[1].factors[0].id.clone();
        let waiting = org.verify(&token, &factor_id, None, None).unwrap();
        assert_eq!(waiting.factor_result, Some("WAITING"));
        org.phone_answer("push@demo.test", false, None).unwrap();
        let rejected = org.verify(&token, &factor_id, None, None).unwrap();
        assert_eq!(rejected.factor_result, Some("REJECTED"));
        let again = org.verify(&token, &factor_id, None, None).unwrap();
        assert_eq!(again.factor_result, Some("WAITING"));
    }
}
