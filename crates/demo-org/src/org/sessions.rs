//! Okta sessions and the session tokens that open them. A finished sign-in leaves a one-time
//! session token; redeeming it (`POST /api/v1/sessions`, or the cookie redirect a browser
//! follows) opens an Okta session, the record that `/api/v1/sessions/{id}` and the `sid`
//! cookie name. Both expire, and the store forgets them when they do.

use std::collections::HashMap;

use time::OffsetDateTime;

use crate::org::clock::span;
use crate::org::config::DemoOrgConfig;

/// What a session token, until redeemed or expired, will open a session for.
pub(crate) struct SessionTokenGrant {
    pub user_id: String,
    pub expires_at: OffsetDateTime,
    pub password_verified_at: OffsetDateTime,
    pub factor_verified_at: Option<OffsetDateTime>,
}

/// One Okta session: what `/api/v1/sessions/{id}` reports and a `sid` cookie stands for.
pub(crate) struct OktaSession {
    pub id: String,
    pub user_id: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    password_verified_at: OffsetDateTime,
    factor_verified_at: Option<OffsetDateTime>,
}

impl OktaSession {
    pub(crate) fn password_verified_at(&self) -> OffsetDateTime {
        self.password_verified_at
    }

    pub(crate) fn factor_verified_at(&self) -> Option<OffsetDateTime> {
        self.factor_verified_at
    }
}

/// The unredeemed session tokens and the open Okta sessions, each by its id.
#[derive(Default)]
pub(crate) struct SessionStore {
    tokens: HashMap<String, SessionTokenGrant>,
    sessions: HashMap<String, OktaSession>,
}

impl SessionStore {
    /// Keeps `grant` under a new session token and returns the token.
    pub(crate) fn issue_token(&mut self, grant: SessionTokenGrant, token_marker: &str) -> String {
        let session_token = crate::org::ids::token("20111", token_marker, 40);
        self.tokens.insert(session_token.clone(), grant);
        session_token
    }

    /// Uses up a session token: the session it opens, if it was still valid. The session is
    /// not kept until [`SessionStore::open`] is called with it.
    pub(crate) fn redeem_token(
        &mut self,
        session_token: &str,
        now: OffsetDateTime,
        config: &DemoOrgConfig,
    ) -> Option<OktaSession> {
        let grant = self
            .tokens
            .remove(session_token)
            .filter(|grant| now < grant.expires_at)?;
        Some(OktaSession {
            id: crate::org::ids::token("102", &config.token_marker, 22),
            user_id: grant.user_id,
            created_at: now,
            expires_at: now + span(config.session_lifetime),
            password_verified_at: grant.password_verified_at,
            factor_verified_at: grant.factor_verified_at,
        })
    }

    pub(crate) fn open(&mut self, session: OktaSession) {
        self.sessions.insert(session.id.clone(), session);
    }

    pub(crate) fn get(&self, session_id: &str) -> Option<&OktaSession> {
        self.sessions.get(session_id)
    }

    /// Ends a session; false when there was none by that id.
    pub(crate) fn end(&mut self, session_id: &str) -> bool {
        self.sessions.remove(session_id).is_some()
    }

    pub(crate) fn forget_expired(&mut self, now: OffsetDateTime) {
        self.tokens.retain(|_, grant| grant.expires_at > now);
        self.sessions.retain(|_, session| session.expires_at > now);
    }

    pub(crate) fn clear(&mut self) {
        self.tokens.clear();
        self.sessions.clear();
    }

    pub(crate) fn token_count(&self) -> usize {
        self.tokens.len()
    }

    pub(crate) fn session_count(&self) -> usize {
        self.sessions.len()
    }
}
