//! The QR codes of an IDX enrollment, embedded in the answer as `data:` URLs: Okta Verify's
//! `oktaverify://` activation (with the activation it belongs to), and an authenticator app's
//! `otpauth://` key with its shared secret. Both the enrollment itself (`enroll`) and the
//! switch back to the QR channel (`channel`) draw them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::messages::IdxError;
use super::step::StepEnv;
use super::store::{IdxTransaction, Stage};
use crate::org::clock::span;
use crate::org::factors::Activation;
use crate::org::users::User;

/// A fresh Okta Verify activation (its QR token already counted as shown: IDX embeds the
/// image rather than serving it), valid for the org's activation lifetime.
pub(super) fn new_activation(env: &StepEnv<'_>) -> Activation {
    Activation {
        token: crate::org::ids::token("", env.marker(), 20),
        qr_token: crate::org::ids::token("", env.marker(), 24),
        qr_served: true,
        started_at: env.now,
        expires_at: env.now + span(env.activation_lifetime()),
        last_sms_at: None,
    }
}

fn data_url(uri: &str) -> Result<Zeroizing<String>, IdxError> {
    let png = crate::org::qr::png(uri).map_err(|reason| {
        tracing::error!(%reason, "could not render a QR code");
        IdxError::wrong_step()
    })?;
    Ok(Zeroizing::new(format!(
        "data:image/png;base64,{}",
        STANDARD.encode(png)
    )))
}

/// The `oktaverify://` QR of the factor being enrolled, as a `data:` URL.
pub(super) fn render_okta_verify_qr(
    tx: &mut IdxTransaction,
    user: &User,
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    let Stage::EnrollOktaVerify { factor_id, .. } = &tx.stage else {
        return Err(IdxError::wrong_step());
    };
    let activation = user
        .factor(factor_id)
        .and_then(|factor| factor.activation.as_ref())
        .ok_or_else(IdxError::wrong_step)?;
    let uri = Zeroizing::new(crate::org::qr::push_activation_uri(
        &user.login,
        &activation.token,
        factor_id,
        &env.org.origin,
        &env.org.issuer,
    ));
    tx.qr_data_url = Some((data_url(&uri)?, Zeroizing::new(String::new())));
    Ok(())
}

/// An authenticator app's `otpauth://` QR and its shared secret.
pub(super) fn render_app_qr(
    tx: &mut IdxTransaction,
    user: &User,
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    let Stage::EnrollApp { factor_id } = &tx.stage else {
        return Err(IdxError::wrong_step());
    };
    let secret = user
        .factor(factor_id)
        .and_then(|factor| factor.totp.as_ref())
        .map(|totp| Zeroizing::new(totp.key.base32().to_owned()))
        .ok_or_else(IdxError::wrong_step)?;
    let issuer = format!("{} (authenticator app)", env.org.issuer);
    let uri = Zeroizing::new(crate::org::qr::totp_uri(&issuer, &user.login, &secret));
    tx.qr_data_url = Some((data_url(&uri)?, secret));
    Ok(())
}
