//! What one sign-in remembers between its steps, the same for every driver: the factor the
//! person picked on another screen, why the last input was refused, whether the push and its
//! number were said, the QR code already shown, and when Okta last sent a code.

use tokio::time::Instant;

use crate::error::ErrorInfo;
use crate::secret::Secret;

#[derive(Default)]
pub(crate) struct FactorState {
    /// A factor the person picked while another step was in play; used at the next choice.
    pub pending_choice: Option<String>,
    /// Why the last input was refused, for the stage that asks again.
    pub pending_error: Option<ErrorInfo>,
    /// Whether `PushSent` was said for the push in play.
    pub(super) push_announced: bool,
    /// The number to tap last said for the push in play.
    pub(super) last_number: Option<u32>,
    /// The QR code already shown (its link or data URI): a QR image is single use, so it is
    /// fetched and shown once however often the enrollment is polled.
    shown_qr: Option<Secret>,
    /// When Okta last sent a code (SMS, voice call, email).
    code_sent_at: Option<Instant>,
}

impl FactorState {
    /// A new push is on its way: its sending and its number are said again.
    pub fn new_push(&mut self) {
        self.push_announced = false;
        self.last_number = None;
    }

    /// Another factor was picked: nothing said or sent for the last one counts any more.
    pub fn new_factor(&mut self) {
        self.new_push();
        self.shown_qr = None;
        self.code_sent_at = None;
    }

    /// Whether the QR code at `href` is not the one already shown.
    pub fn qr_is_new(&self, href: &Secret) -> bool {
        self.shown_qr.as_ref() != Some(href)
    }

    pub(super) fn qr_shown(&mut self, href: &Secret) {
        self.shown_qr = Some(href.clone());
    }

    /// A new QR code was asked for: the next one is shown even if Okta sends the same.
    pub fn forget_qr(&mut self) {
        self.shown_qr = None;
    }

    /// Okta sent a code just now.
    pub fn code_sent_now(&mut self) {
        self.code_sent_at = Some(Instant::now());
    }

    /// Okta sent a code on the way into this step, unless one was already counted.
    pub fn code_sent_on_entry(&mut self) {
        self.code_sent_at.get_or_insert_with(Instant::now);
    }

    /// No code is out (a new factor, a new recovery).
    pub fn no_code_sent(&mut self) {
        self.code_sent_at = None;
    }

    /// When Okta last sent a code, if it sent one for the factor in play.
    pub fn code_sent_at(&self) -> Option<Instant> {
        self.code_sent_at
    }
}
