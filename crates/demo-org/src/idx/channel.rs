//! How Okta Verify's enrollment reaches the phone besides the QR code:
//! `select-enrollment-channel` (`authenticator.channel`) picks `email` or `sms`, then
//! `enrollment-channel-data` (`email` or `phoneNumber`, posted to `/idp/idx/challenge/send`)
//! says where the activation link goes. The link is the QR code's own `oktaverify://` URI,
//! filed in the user's demo inbox, so the virtual phone can open it
//! (`POST /_demo/phone/{login}/open`) and the client's `enroll-poll` moves on as after a scan.

use super::enroll_qr::{new_activation, render_okta_verify_qr};
use super::messages::IdxError;
use super::request::RemediationBody;
use super::step::{StepEnv, user_of};
use super::store::{EnrollChannel, IdxTransaction, Stage};
use crate::org::inbox::InboxMessage;
use crate::org::phone_number::e164;
use crate::org::users::User;
use crate::wire::Timestamp;

/// `select-enrollment-channel`: back to a QR code (a fresh one), or email or SMS, for which
/// `enrollment-channel-data` asks the address next.
pub(super) fn switch(
    tx: &mut IdxTransaction,
    user: &mut User,
    env: &StepEnv<'_>,
    factor_id: String,
    channel: EnrollChannel,
) -> Result<(), IdxError> {
    let factor = user
        .factor_mut(&factor_id)
        .filter(|factor| !factor.is_active())
        .ok_or_else(IdxError::wrong_step)?;
    factor.activation = Some(new_activation(env));
    tx.qr_data_url = None;
    tx.stage = Stage::EnrollOktaVerify {
        factor_id,
        channel,
        link_sent_to: None,
    };
    if channel == EnrollChannel::QrCode {
        render_okta_verify_qr(tx, user, env)?;
    }
    Ok(())
}

/// `enrollment-channel-data`: sends the activation link to the email address or phone
/// number given.
pub(super) fn send_link(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
    body: &RemediationBody,
) -> Result<(), IdxError> {
    let Stage::EnrollOktaVerify {
        factor_id,
        channel,
        link_sent_to: None,
    } = tx.stage.clone()
    else {
        return Err(IdxError::wrong_step());
    };
    let to = match channel {
        EnrollChannel::Email => {
            let email = body
                .email
                .as_deref()
                .map(str::trim)
                .filter(|email| !email.is_empty())
                .ok_or_else(|| IdxError::blank("email"))?;
            let looks_right = email
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
            if !looks_right {
                return Err(IdxError::invalid_email());
            }
            email.to_owned()
        }
        EnrollChannel::Sms => {
            let number = body
                .phone_number
                .as_deref()
                .filter(|number| !number.trim().is_empty())
                .ok_or_else(|| IdxError::blank("phoneNumber"))?;
            e164(number).ok_or_else(IdxError::invalid_phone)?
        }
        EnrollChannel::QrCode => return Err(IdxError::wrong_step()),
    };
    let user = user_of(tx, users)?;
    deliver_link(user, env, &factor_id, channel, &to)?;
    tx.stage = Stage::EnrollOktaVerify {
        factor_id,
        channel,
        link_sent_to: Some(to),
    };
    Ok(())
}

/// `resend` on the Okta Verify being enrolled: the link again, to the same place.
pub(super) fn resend_link(
    tx: &mut IdxTransaction,
    users: &mut [User],
    env: &StepEnv<'_>,
) -> Result<(), IdxError> {
    let Stage::EnrollOktaVerify {
        factor_id,
        channel,
        link_sent_to: Some(to),
    } = tx.stage.clone()
    else {
        return Err(IdxError::wrong_step());
    };
    let user = user_of(tx, users)?;
    deliver_link(user, env, &factor_id, channel, &to)
}

/// Files the activation message: the QR code's URI as a link the phone can tap.
fn deliver_link(
    user: &mut User,
    env: &StepEnv<'_>,
    factor_id: &str,
    channel: EnrollChannel,
    to: &str,
) -> Result<(), IdxError> {
    let activation = user
        .factor(factor_id)
        .and_then(|factor| factor.activation.as_ref())
        .filter(|activation| env.now < activation.expires_at)
        .ok_or_else(IdxError::wrong_step)?;
    let link = crate::org::qr::push_activation_uri(
        &user.login,
        &activation.token,
        factor_id,
        &env.org.origin,
        &env.org.issuer,
    );
    let text = match channel {
        EnrollChannel::Sms => format!(
            "Okta Verify: tap this link on your phone to set it up for {}: {link}",
            env.org.issuer
        ),
        _ => format!(
            "Set up Okta Verify for {}: open this email on your phone and tap the activation link: {link}",
            env.org.issuer
        ),
    };
    crate::org::inbox::deliver(
        &mut user.inbox,
        InboxMessage {
            channel: channel.wire().to_owned(),
            to: to.to_owned(),
            code: String::new(),
            text,
            sent_at: Timestamp(env.now).to_iso(),
            link: Some(link),
        },
    );
    Ok(())
}
