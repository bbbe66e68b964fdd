//! The org itself: its identity (origin, issuer), clock and settings, and its state (users,
//! transactions, Okta sessions) behind one mutex. Plain Rust, free of HTTP, so it can be
//! tested directly. What changes with time is applied lazily whenever state is read, which
//! makes the manual clock work without background tasks; what expired is forgotten on the
//! way in.
//!
//! It stands between the floor and the engines: it holds the floor's records (`org/`) and each
//! engine's sign-ins in progress (Classic's `classic::transaction`, IDX's `idx::store`), and
//! knows nothing of what the engines do with them. The org's operations live beside the
//! ideas they belong to: the Classic server in `classic/`, Identity Engine's in `idx/`, the
//! virtual phone in `phone.rs`.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;

use crate::classic::transaction::Transaction;
use crate::idx::store::IdxStore;
use crate::org::clock::{Clock, span};
use crate::org::config::DemoOrgConfig;
use crate::org::recovery::RecoveryTokens;
use crate::org::sessions::SessionStore;
use crate::org::users::User;
use crate::wire::ApiError;

pub(crate) struct Org {
    pub config: DemoOrgConfig,
    /// The base URL without its trailing slash, as links are built on it.
    pub origin: String,
    /// `host:port`, what Okta Verify shows as the account's issuer.
    pub issuer: String,
    /// The org's id (`00o…`), fixed for the life of the server as a real org's is.
    pub id: String,
    pub clock: Clock,
    state: Mutex<OrgState>,
}

pub(crate) struct OrgState {
    pub users: Vec<User>,
    pub transactions: HashMap<String, Transaction>,
    pub sessions: SessionStore,
    /// Identity Engine sign-ins (interactions, IDX transactions, interaction codes).
    pub idx: IdxStore,
    /// Recovery tokens the org emailed (both engines' self-service recovery).
    pub recovery_tokens: RecoveryTokens,
    last_sweep: Option<OffsetDateTime>,
}

/// Counts of what the org holds, so tests can check that finished work is forgotten.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgStats {
    pub transactions: usize,
    pub session_tokens: usize,
    pub sessions: usize,
    /// Identity Engine (IDX) transactions, finished or not, until they expire or their
    /// interaction code is exchanged.
    pub idx_transactions: usize,
}

impl Org {
    pub(crate) fn new(config: DemoOrgConfig, origin: String, issuer: String) -> Self {
        let clock = Clock::default();
        let users = crate::org::seed::seed(clock.now(), &issuer, &config.password);
        Self {
            config,
            origin,
            issuer,
            id: crate::org::ids::object_id("00o"),
            clock,
            state: Mutex::new(OrgState {
                users,
                transactions: HashMap::new(),
                sessions: SessionStore::default(),
                idx: IdxStore::default(),
                recovery_tokens: RecoveryTokens::default(),
                last_sweep: None,
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, OrgState> {
        // A panic elsewhere must not take the whole demo org down with it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Locks the state, forgets what expired and returns the current org time.
    pub(crate) fn begin(&self) -> (MutexGuard<'_, OrgState>, OffsetDateTime) {
        let now = self.clock.now();
        let mut state = self.lock();
        state.sweep(now);
        (state, now)
    }

    pub(crate) fn reset(&self) {
        self.clock.reset();
        let now = self.clock.now();
        let mut state = self.lock();
        state.users = crate::org::seed::seed(now, &self.issuer, &self.config.password);
        state.transactions.clear();
        state.sessions.clear();
        state.idx.clear();
        state.recovery_tokens.clear();
        state.last_sweep = None;
    }

    pub(crate) fn stats(&self) -> OrgStats {
        let (state, _) = self.begin();
        OrgStats {
            transactions: state.transactions.len(),
            idx_transactions: state.idx.len(),
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
    pub(crate) fn live(
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
        self.idx.forget_expired(now);
        self.recovery_tokens.forget_expired(now);
    }
}
