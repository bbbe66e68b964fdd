//! "Wait for this input, or let the person switch factor": the one way every step that asks
//! for something (a code, an answer, a phone number, a push to be answered) screens the
//! commands that arrive meanwhile, for both drivers.
//!
//! A step says which commands are its input, in words what it waits for, and a [`Switch`]:
//! where the person may go instead (nowhere, back to a list that checks the pick itself, or
//! one of the factors on offer).

use crate::flow::command::Command;
use crate::flow::conversation::{Conversation, Fit, Step};
use crate::flow::factors::{self, Offered};

/// Where the person may go instead of giving the input a step asks for.
#[derive(Debug, Clone)]
pub(crate) enum Switch {
    /// Nowhere: a factor choice is answered with what the step waits for.
    Closed,
    /// Nowhere, and a factor choice is told there is no other here.
    NoOther,
    /// Back to the factor list, which checks the pick itself (Classic's `prev`).
    Back,
    /// One of these factors (their keys).
    Among(Vec<String>),
}

impl Switch {
    /// One of the factors `offered`, when there is more than the one in play; else
    /// [`Switch::Closed`].
    pub fn among_others(offered: &[Offered]) -> Self {
        if offered.len() > 1 {
            Self::among(offered.iter().map(|(choice, _)| choice.key.as_str()))
        } else {
            Self::Closed
        }
    }

    /// One of the factors with `keys`; [`Switch::Closed`] when there are none.
    pub fn among<'k>(keys: impl IntoIterator<Item = &'k str>) -> Self {
        let keys: Vec<String> = keys.into_iter().map(str::to_owned).collect();
        if keys.is_empty() {
            Self::Closed
        } else {
            Self::Among(keys)
        }
    }

    /// [`Switch::Back`] when `can_go_back`, else [`Switch::Closed`].
    pub fn back_if(can_go_back: bool) -> Self {
        if can_go_back {
            Self::Back
        } else {
            Self::Closed
        }
    }

    /// Whether the person can go anywhere else.
    pub fn is_open(&self) -> bool {
        matches!(self, Self::Back | Self::Among(_))
    }

    /// Whether choosing the factor `key` fits; `waiting` is what the step waits for.
    fn fits(&self, key: &str, waiting: &str) -> Fit {
        match self {
            Self::Closed => Err(waiting.into()),
            Self::NoOther => Err("there is no other factor to choose here".into()),
            Self::Back => Ok(()),
            Self::Among(keys) => factors::check_key_among(keys.iter().map(String::as_str), key),
        }
    }
}

/// What the person said to a step: its input, or another factor.
pub(crate) enum Reply {
    Input(Command),
    Switch(String),
}

/// The screen for a step's commands: `input` says which are its own (`Some`, with whether
/// they fit now), a factor choice goes by `switch`, anything else is told `waiting`. Made for
/// [`Conversation::wait_for`] and [`Conversation::race`] alike.
pub(crate) fn input_or_switch<'a>(
    switch: &'a Switch,
    waiting: &'a str,
    input: impl Fn(&Command) -> Option<Fit> + 'a,
) -> impl Fn(&Command) -> Fit + 'a {
    move |command| {
        if let Some(fit) = input(command) {
            return fit;
        }
        match command {
            Command::ChooseFactor { key } => switch.fits(key, waiting),
            _ => Err(waiting.into()),
        }
    }
}

/// Waits for the step's input (see [`input_or_switch`]) or a factor to switch to. A step's
/// input is never a factor choice: that is always the switch.
pub(crate) async fn await_input(
    io: &mut Conversation,
    switch: &Switch,
    waiting: &str,
    input: impl Fn(&Command) -> Option<Fit>,
) -> Step<Reply> {
    let command = io.wait_for(input_or_switch(switch, waiting, input)).await?;
    Ok(match command {
        Command::ChooseFactor { key } => Reply::Switch(key),
        other => Reply::Input(other),
    })
}
