//! The protocol-free half of a sign-in: stages out to the UI, commands in from it.
//!
//! Every driver talks to the person through a [`Conversation`]: it shows a stage, then waits
//! for a command that fits it (or races a request against one). Cancel, and a UI that went
//! away, are handled here the same way for every step and every driver.

use std::future::Future;

use tokio::sync::{mpsc, oneshot};

use super::command::Command;
use crate::error::{Error, ErrorInfo, Result};
use crate::stage::{Activity, Stage};
use crate::wire::PasswordComplexity;

/// A command on its way to the driver, with where to say whether it was taken.
pub(crate) struct Envelope {
    pub command: Command,
    pub reply: oneshot::Sender<Result<()>>,
}

/// Why a driver stops before a final stage.
pub(crate) enum Halt {
    Error(Error),
    /// The person cancelled: tell the server, then answer the command with `reply`.
    Cancelled(oneshot::Sender<Result<()>>),
    /// Nobody is listening any more: cancel quietly.
    Abandoned,
}

impl From<Error> for Halt {
    fn from(error: Error) -> Self {
        Self::Error(error)
    }
}

/// A step of a driver: its result, or why the sign-in stops.
pub(crate) type Step<T> = std::result::Result<T, Halt>;

/// Whether a command checks out for the current stage: `Err` says why not, in words.
pub(crate) type Fit = std::result::Result<(), String>;

/// How work raced against the person's commands ended.
pub(crate) enum Raced<T> {
    Finished(T),
    /// A command that fits the stage arrived first; the work was dropped unfinished.
    Interrupted(Command),
}

/// What [`Conversation::ask_new_password`] shows.
pub(crate) struct NewPasswordAsk {
    /// The password expires soon (`PasswordWarn`), rather than has expired.
    pub warn: bool,
    pub expire_days: Option<u32>,
    pub complexity: Option<PasswordComplexity>,
    pub can_skip: bool,
    pub last_error: Option<ErrorInfo>,
}

pub(crate) struct Conversation {
    stages: mpsc::Sender<Stage>,
    commands: mpsc::Receiver<Envelope>,
}

impl Conversation {
    pub fn new(stages: mpsc::Sender<Stage>, commands: mpsc::Receiver<Envelope>) -> Self {
        Self { stages, commands }
    }

    pub async fn emit(&self, stage: Stage) -> Step<()> {
        self.stages.send(stage).await.map_err(|_| Halt::Abandoned)
    }

    /// Shows a spinner for `activity` while a request is on its way.
    pub async fn working(&self, activity: Activity) -> Step<()> {
        self.emit(Stage::Working { activity }).await
    }

    /// Asks for a new password: `PasswordWarn` (it expires soon; `can_skip` when the org lets
    /// it wait) or `PasswordExpired`, then waits for `ChangePassword` (or `Skip`). Both
    /// drivers ask this way; what they send differs.
    pub async fn ask_new_password(&mut self, ask: NewPasswordAsk) -> Step<Command> {
        let NewPasswordAsk {
            warn,
            expire_days,
            complexity,
            can_skip,
            last_error,
        } = ask;
        self.emit(if warn {
            Stage::PasswordWarn {
                expire_days,
                complexity,
                can_skip,
                last_error,
            }
        } else {
            Stage::PasswordExpired {
                complexity,
                last_error,
            }
        })
        .await?;
        self.wait_for(|command| match command {
            Command::ChangePassword { .. } => Ok(()),
            Command::Skip if can_skip => Ok(()),
            _ => Err("the sign-in is waiting for a new password".into()),
        })
        .await
    }

    /// Asks for the new password after a recovery proved who the person is
    /// (`NeedsNewPassword`, with the org's rules and why the last one was refused), then
    /// waits for `SetNewPassword`. Both drivers ask this way; what they send differs.
    pub async fn ask_reset_password(
        &mut self,
        complexity: Option<PasswordComplexity>,
        last_error: Option<ErrorInfo>,
    ) -> Step<crate::secret::Secret> {
        self.emit(Stage::NeedsNewPassword {
            complexity,
            last_error,
        })
        .await?;
        let command = self
            .wait_for(|command| match command {
                Command::SetNewPassword { .. } => Ok(()),
                _ => Err("the password reset is waiting for a new password".into()),
            })
            .await?;
        let Command::SetNewPassword { new_password } = command else {
            unreachable!("filtered by wait_for")
        };
        Ok(new_password)
    }

    /// Waits for the first command that fits; any other is answered with the reason.
    pub async fn wait_for(&mut self, fits: impl Fn(&Command) -> Fit) -> Step<Command> {
        loop {
            let envelope = self.commands.recv().await;
            if let Some(command) = self.screen(envelope, &fits).await? {
                return Ok(command);
            }
        }
    }

    /// Runs `work` (a poll, a pause) while taking commands: one that fits interrupts it.
    pub async fn race<T>(
        &mut self,
        work: impl Future<Output = T>,
        fits: impl Fn(&Command) -> Fit,
    ) -> Step<Raced<T>> {
        tokio::pin!(work);
        loop {
            tokio::select! {
                done = &mut work => return Ok(Raced::Finished(done)),
                envelope = self.commands.recv() => {
                    if let Some(command) = self.screen(envelope, &fits).await? {
                        return Ok(Raced::Interrupted(command));
                    }
                }
            }
        }
    }

    /// Accepts a command that fits the current stage, answers any other with the reason,
    /// and turns cancel (and a dropped handle) into a [`Halt`] the same way everywhere.
    async fn screen(
        &mut self,
        envelope: Option<Envelope>,
        fits: &impl Fn(&Command) -> Fit,
    ) -> Step<Option<Command>> {
        let Some(Envelope { command, reply }) = envelope else {
            return Err(Halt::Abandoned);
        };
        if let Command::Cancel = command {
            // Ignored: a UI that is gone still gets the transaction cancelled.
            let _ = self.working(Activity::Cancelling).await;
            return Err(Halt::Cancelled(reply));
        }
        match fits(&command) {
            Ok(()) => {
                let _ = reply.send(Ok(()));
                Ok(Some(command))
            }
            Err(reason) => {
                let _ = reply.send(Err(Error::InvalidCommand {
                    action: command.action().into(),
                    reason,
                }));
                Ok(None)
            }
        }
    }
}
