//! The factor steps both drivers take the same way, whatever the wire protocol: one file a
//! rule, each used by the Classic driver (`classic/`) and the Identity Engine driver (`idx/`)
//! alike, so a driver file says only what its protocol sends and reads.
//!
//! - `factor_state`: what one sign-in remembers between its steps (the factor picked on
//!   another screen, why the last input was refused, the push announced and its number, the
//!   QR code shown, when a code was sent).
//! - `factor_choice`: asking the person to pick a factor (or skip).
//! - `await_input`: wait for the input a step asks for, or let the person switch factor.
//! - `code_entry`: asking for a code (its look, the countdown to a new one) and a code
//!   refused, malformed ones never sent.
//! - `resend`: asking Okta for a new code, with its countdown.
//! - `phone_entry`: asking for the phone number to enroll, and reading it before it is sent.
//! - `push_notice`: saying a push is out, and the number to tap, once each.
//! - `qr_drawing`: the enrollment QR code, taken from the answer or fetched, drawn again off
//!   the async workers.
//! - `question_check`: checking a chosen security question and its answer.
//! - `browser_handoff`: saying only the browser can go on, and waiting for another factor.
//! - `step_stands`: errors after which the step still stands, and saying a command failed.
//!
//! A new step family (or a third engine) adds a file here when its rule is not protocol.

mod await_input;
mod browser_handoff;
mod code_entry;
mod factor_choice;
mod factor_state;
mod phone_entry;
mod push_notice;
mod qr_drawing;
mod question_check;
mod resend;
mod step_stands;

pub(crate) use await_input::{Reply, Switch, await_input, input_or_switch};
pub(crate) use browser_handoff::{another_suffix, cannot_use_message, continue_in_browser};
pub(crate) use code_entry::{CodeAsk, CodeStage, ask_code};
pub(crate) use factor_choice::{ChoiceAsk, ask_factor_choice};
pub(crate) use factor_state::FactorState;
pub(crate) use phone_entry::{PhoneAsk, ask_phone_number, read_phone_number};
pub(crate) use push_notice::announce_push;
pub(crate) use qr_drawing::{QrShown, link_channel, show_qr};
pub(crate) use question_check::{CUSTOM_QUESTION_KEY, question_fits, trimmed};
pub(crate) use resend::{ResendClock, resent};
pub(crate) use step_stands::{command_failed, recoverable};
