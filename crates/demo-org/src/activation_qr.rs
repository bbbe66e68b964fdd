//! Serving a factor activation's QR image (Okta Verify push, or an app's `otpauth://` key):
//! once per QR token, and for push only until the activation expires.

use zeroize::Zeroizing;

use crate::factors::FactorKind;
use crate::org::Org;
use crate::wire::ApiError;

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
                crate::qr::totp_uri(&self.issuer, &login, &secret)
            }
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
}
