//! What a Classic client reads under `/api/v1/users/{id}/factors/…` while signing in: a factor
//! activation's QR image (Okta Verify push, or an app's `otpauth://` key), served once per QR
//! token and for push only until the activation expires; and the security questions the org
//! offers, in Okta's shape (`question`, its key, and `questionText`).

use serde::Serialize;
use zeroize::Zeroizing;

use crate::org::factors::FactorKind;
use crate::org::questions::ORG_QUESTIONS;
use crate::state::Org;
use crate::wire::ApiError;

/// A question as Okta lists it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QuestionBody {
    pub question: &'static str,
    pub question_text: &'static str,
}

impl Org {
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
            .filter(|activation| kind != FactorKind::Push || now < activation.expires_at)
            .ok_or_else(not_found)?;
        activation.qr_served = true;
        let uri = Zeroizing::new(match (kind, totp_secret) {
            (FactorKind::Totp | FactorKind::Google, Some(secret)) => {
                crate::org::qr::totp_uri(&self.issuer, &login, &secret)
            }
            _ => crate::org::qr::push_activation_uri(
                &login,
                &activation.token,
                factor_id,
                &self.origin,
                &self.issuer,
            ),
        });
        crate::org::qr::png(&uri).map_err(|reason| {
            tracing::error!(%reason, "could not render a QR code");
            ApiError::custom(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "E0000009",
                "Internal Server Error".into(),
            )
        })
    }

    /// `GET /api/v1/users/{id}/factors/questions`.
    pub(crate) fn questions_for(&self, user_id: &str) -> Result<Vec<QuestionBody>, ApiError> {
        let state = self.lock();
        if !state.users.iter().any(|user| user.id == user_id) {
            return Err(ApiError::not_found(&format!("{user_id} (User)")));
        }
        Ok(ORG_QUESTIONS
            .into_iter()
            .map(|(question, question_text)| QuestionBody {
                question,
                question_text,
            })
            .collect())
    }
}
