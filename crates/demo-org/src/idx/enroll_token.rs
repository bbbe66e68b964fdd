//! Enrolling a hardware token (RSA SecurID) on Identity Engine: `enroll-authenticator` asks
//! for the user name the token is known by (`credentials.clientData`, Okta filling in a
//! default) and the code it shows now (`credentials.passcode`), beside the fixed
//! authenticator `id` and `methodType` (`otp`), as okta-signin-widget's
//! `authenticator-enroll-rsa.json` records it. The demo org's token is the one the user was
//! handed (`User::spare_token`, shown on the demo phone), as Classic's token enrollment
//! (`classic/steps/enrollment.rs`) checks it; a code that does not match is refused on `passcode`
//! and the step stands. The token is active as soon as its code is accepted.

use serde_json::{Value, json};

use super::authenticators::Authenticator;
use super::messages::IdxError;
use super::policy::second_factor_done;
use super::request::Credentials;
use super::step::{StepEnv, user_of};
use super::store::{IdxTransaction, Stage};
use super::verify::{Checking, accept_totp};
use crate::org::factors::{Factor, FactorKind, FactorStatus, TotpState};
use crate::org::users::User;

/// The `credentials` field of a token's `enroll-authenticator`.
pub(super) fn credentials_field(user: &User) -> Value {
    let authenticator = Authenticator::RsaToken;
    json!({
        "name": "credentials",
        "form": { "value": [
            { "name": "id", "required": true, "value": authenticator.id(), "mutable": false },
            { "name": "methodType", "required": true, "value": "otp", "mutable": false },
            { "name": "clientData", "label": "User Name", "value": user.login, "required": true },
            { "name": "passcode", "label": "Passcode", "required": true },
        ] },
    })
}

/// `enroll-authenticator` for the token: its user name and the code it shows.
pub(super) fn activate(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    credentials: Option<&Credentials>,
) -> Result<(), IdxError> {
    if tx.stage != Stage::EnrollToken {
        return Err(IdxError::wrong_step());
    }
    let user = user_of(tx, users)?;
    let credentials = credentials.ok_or_else(|| IdxError::blank("credentials"))?;
    credentials
        .client_data
        .as_deref()
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| IdxError::blank("credentials.clientData"))?;
    let code = credentials
        .code()
        .ok_or_else(|| IdxError::blank("credentials.passcode"))?;
    let key = user.spare_token.clone().ok_or_else(IdxError::wrong_step)?;
    let mut factor = Factor::new(FactorKind::Token);
    factor.totp = Some(TotpState {
        key,
        last_used_step: None,
    });
    accept_totp(&mut factor, code, env.now, Checking::Enrollment)?;
    factor.status = FactorStatus::Active;
    user.factors
        .retain(|known| known.is_active() || known.kind != FactorKind::Token);
    user.factors.push(factor);
    second_factor_done(tx, user, FactorKind::Token, env.now);
    Ok(())
}
