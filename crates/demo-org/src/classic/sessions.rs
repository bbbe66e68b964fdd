//! Opening, reading and ending Okta sessions: a session token becomes an API session
//! (`POST /api/v1/sessions`) or a browser one (the `sid` cookie).

use crate::state::Org;
use crate::wire::{ApiError, OktaSessionBody};

impl Org {
    /// `POST /api/v1/sessions`: uses up the session token and opens an API session.
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

    /// Uses up the session token for a browser session; returns its id, the `sid` cookie.
    pub(crate) fn redeem_for_cookie(&self, session_token: &str) -> Option<String> {
        let (mut state, now) = self.begin();
        let session = state
            .sessions
            .redeem_token(session_token, now, &self.config)?;
        let id = session.id.clone();
        state.sessions.open(session);
        Some(id)
    }

    pub(crate) fn read_session(&self, session_id: &str) -> Option<OktaSessionBody> {
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
    pub(crate) fn session_owner(&self, session_id: &str) -> Option<(String, String)> {
        let (state, _) = self.begin();
        let session = state.sessions.get(session_id)?;
        let user = state.users.iter().find(|user| user.id == session.user_id)?;
        Some((user.display_name(), user.login.clone()))
    }
}
