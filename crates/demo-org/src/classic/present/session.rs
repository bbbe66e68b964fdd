//! The Okta session a session token opens, as `/api/v1/sessions` answers it.

use super::Presenter;
use crate::org::sessions::OktaSession;
use crate::org::users::User;
use crate::wire::{IdpBody, Link, Links, OktaSessionBody, Relation, Timestamp};

impl Presenter<'_> {
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
