//! The Tauri commands the UI calls. Each one checks its input and hands the work to one
//! function of an adapter (sign-ins, accounts, trust, demo) or of the core, taking only the
//! parts of the app's state that work needs.

use oktadesk_accounts::{AccountId, MAX_LABEL_CHARS};
use oktadesk_core::{
    ActivationLink, CodeFormat, Command, Engine, OrgUrl, PhoneNumber, Recovery, Secret,
    VerificationCode,
};
use oktadesk_signin_setup::{Choices, SignInSetup, read_account, read_oidc_client};
use serde::Deserialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::accounts::Accounts;
use crate::demo_mode::DemoMode;
use crate::desktop::SharedDesktop;
use crate::error::{Error, Result};
use crate::models::{
    AccountView, AccountsView, AppInfo, EngineView, SignInEvent, SignInStarted, TranscriptView,
};
use crate::sign_in::{Followers, SignIns};
use crate::transcript_file;
use crate::trust::{Trust, TrustView};

/// Far above any org's password policy; a bound keeps a pasted file out of memory and logs.
const MAX_PASSWORD_CHARS: usize = 1024;
const MAX_ID_CHARS: usize = 512;
/// An emailed recovery link is an org URL and a token: far below this.
const MAX_RECOVERY_LINK_CHARS: usize = 2048;

#[tauri::command]
pub fn app_info<R: Runtime>(
    app: AppHandle<R>,
    demo: State<'_, DemoMode>,
    desktop: State<'_, SharedDesktop>,
) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        demo: demo.status().cloned(),
        ui_font: desktop.ui_font().map(str::to_owned),
    }
}

/// Checks an org address as it is typed, so the form can say what is wrong before sign-in.
#[tauri::command]
pub fn validate_org_url(url: String) -> Result<OrgUrl> {
    check_length("url", &url, MAX_ID_CHARS)?;
    Ok(OrgUrl::parse(&url)?)
}

/// Reads a phone number as it is typed (spaces, dashes, dots and brackets allowed) and answers
/// with the E.164 form to send (`+14155550123`), or with the core's reason it cannot be one:
/// the one phone-number rule, for every screen that asks for a number.
#[tauri::command]
pub fn validate_phone_number(number: String) -> Result<String> {
    check_length("phoneNumber", &number, MAX_ID_CHARS)?;
    PhoneNumber::read(&number)
        .map(|number| number.as_str().to_owned())
        .map_err(|refused| Error::invalid("phoneNumber", refused.to_string()))
}

/// Which Okta engine an org runs (Classic or Identity Engine), asked as soon as its address
/// is entered, so Add account can say it. An org that does not say is a summary, not an error.
#[tauri::command]
pub async fn detect_engine(
    trust: State<'_, Trust>,
    desktop: State<'_, SharedDesktop>,
    url: String,
) -> Result<EngineView> {
    check_length("url", &url, MAX_ID_CHARS)?;
    let org = OrgUrl::parse(&url)?;
    let client = trust.client(desktop.config_dir()).await?;
    Ok(EngineView::from(&client.detect_engine(&org).await))
}

/// The remembered accounts. Never fails: without a keychain the list is empty and
/// `problem` says why, for a calm banner.
#[tauri::command]
pub async fn list_accounts(accounts: State<'_, Accounts>) -> Result<AccountsView> {
    Ok(AccountsView::from(
        accounts.call(|store| store.list()).await,
    ))
}

#[tauri::command]
pub async fn forget_account(accounts: State<'_, Accounts>, id: String) -> Result<bool> {
    let id = account_id(id)?;
    accounts.call(move |store| store.forget(&id)).await
}

/// Forgets every account OktaDesk remembered on this computer; returns how many.
#[tauri::command]
pub async fn forget_all_accounts(accounts: State<'_, Accounts>) -> Result<usize> {
    accounts.call(|store| store.forget_all()).await
}

#[tauri::command]
pub async fn rename_account(
    accounts: State<'_, Accounts>,
    id: String,
    label: String,
) -> Result<AccountView> {
    let id = account_id(id)?;
    check_length("label", &label, MAX_LABEL_CHARS * 4)?;
    let account = accounts
        .call(move |store| store.rename_label(&id, &label))
        .await?;
    Ok(AccountView::from(&account))
}

/// Turns "send the push as soon as the password is accepted" on or off for an account.
#[tauri::command]
pub async fn set_auto_push(
    accounts: State<'_, Accounts>,
    id: String,
    enabled: bool,
) -> Result<AccountView> {
    let id = account_id(id)?;
    let account = accounts.set_auto_push(id, enabled).await?;
    Ok(AccountView::from(&account))
}

/// Who signs in (or recovers) where, as the page says it, and what Add account found.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountArgs {
    org_url: String,
    username: String,
    /// Remember org and username in the keychain once the sign-in succeeds (for a recovery:
    /// once a reset password has signed in).
    #[serde(default)]
    remember: bool,
    /// The engine Add account found, remembered with the account and noted in the transcript.
    #[serde(default)]
    engine: Option<Engine>,
    /// The client ID of the org's OktaDesk app, for an Identity Engine org: sign-ins go
    /// through IDX with it (and through `/api/v1/authn` without it).
    #[serde(default)]
    client_id: Option<String>,
    /// That app's authorization server (`default` unless the admin says otherwise).
    #[serde(default)]
    authorization_server: Option<String>,
}

impl AccountArgs {
    /// The sign-in's setup: what the page said, read with the core's rules, merged with what
    /// the keychain remembers of the account (`Accounts::setup`).
    async fn setup(self, accounts: &Accounts, auto_push: Option<bool>) -> Result<SignInSetup> {
        check_length("orgUrl", &self.org_url, MAX_ID_CHARS)?;
        let typed = read_account(&self.org_url, &self.username)?;
        let choices = Choices {
            engine: self.engine,
            oidc_client: read_oidc_client(
                self.client_id.as_deref(),
                self.authorization_server.as_deref(),
            )?,
            auto_push,
            remember: self.remember,
            ..Choices::default()
        };
        accounts.setup(typed, choices).await
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInArgs {
    #[serde(flatten)]
    account: AccountArgs,
    password: Secret,
    #[serde(default)]
    auto_push: bool,
}

/// Starts a sign-in and answers with its id. Its stages, and then what came of remembering
/// the account, arrive on `events`, a channel the page made for this sign-in alone, so none
/// is missed before this answers.
#[tauri::command]
pub async fn start_sign_in(
    sign_ins: State<'_, SignIns>,
    trust: State<'_, Trust>,
    accounts: State<'_, Accounts>,
    desktop: State<'_, SharedDesktop>,
    request: SignInArgs,
    events: Channel<SignInEvent>,
) -> Result<SignInStarted> {
    check_password("password", &request.password)?;
    let setup = request
        .account
        .setup(&accounts, Some(request.auto_push))
        .await?;
    let client = trust.client(desktop.config_dir()).await?;
    let followers = Followers::new(events, &desktop, &accounts, &client);
    let flow_id = sign_ins.start(&client, setup, request.password, followers);
    Ok(SignInStarted { flow_id })
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryArgs {
    #[serde(flatten)]
    account: AccountArgs,
    /// `resetPassword` (forgot password) or `unlockAccount`.
    recovery: Recovery,
}

/// Starts a password reset ("Forgot password?") or an unlock for the account the page names,
/// as a sign-in of its own: its stages come on `events` like a sign-in's, and `flow_command`
/// answers them (a recovery factor, a code, the emailed link, the new password, cancel).
/// No password is sent: the person has none that works.
#[tauri::command]
pub async fn start_recovery(
    sign_ins: State<'_, SignIns>,
    trust: State<'_, Trust>,
    accounts: State<'_, Accounts>,
    desktop: State<'_, SharedDesktop>,
    request: RecoveryArgs,
    events: Channel<SignInEvent>,
) -> Result<SignInStarted> {
    let setup = request.account.setup(&accounts, None).await?;
    let client = trust.client(desktop.config_dir()).await?;
    let followers = Followers::new(events, &desktop, &accounts, &client);
    let flow_id = sign_ins.recover(&client, setup, request.recovery, followers);
    Ok(SignInStarted { flow_id })
}

/// Answers the current stage: a factor, a code, a new push, a new QR, a password change,
/// skip or cancel (the core's `Command`, e.g. `{"command":"submitCode","code":"123456"}`).
#[tauri::command]
pub async fn flow_command(
    sign_ins: State<'_, SignIns>,
    flow_id: u64,
    command: Command,
) -> Result<()> {
    validate_command(&command)?;
    sign_ins.send(flow_id, command).await
}

/// Whether the sign-in `flow_id` asks Okta to remember this device, as the verification
/// stage's "Remember this device" box says. Takes effect on the next verify or poll.
#[tauri::command]
pub fn remember_device(sign_ins: State<'_, SignIns>, flow_id: u64, remember: bool) -> Result<()> {
    sign_ins.remember_device(flow_id, remember)
}

/// Remembers the account of a sign-in that succeeded (when the person chose to only now).
#[tauri::command]
pub async fn remember_account(
    sign_ins: State<'_, SignIns>,
    accounts: State<'_, Accounts>,
    flow_id: u64,
) -> Result<AccountView> {
    sign_ins.record(flow_id)?.remember_in(&accounts).await
}

/// Opens the Okta dashboard in the default browser, signed in with this sign-in's session.
#[tauri::command]
pub async fn open_dashboard(
    sign_ins: State<'_, SignIns>,
    desktop: State<'_, SharedDesktop>,
    flow_id: u64,
) -> Result<()> {
    sign_ins.record(flow_id)?.open_dashboard(desktop.as_ref())
}

/// Opens the org's own sign-in page in the default browser, for a step only the browser can
/// do (a security key, say). Only the address of the current `continueInBrowser` stage, and
/// only when it is on the org's origin.
#[tauri::command]
pub async fn open_in_browser(
    sign_ins: State<'_, SignIns>,
    desktop: State<'_, SharedDesktop>,
    flow_id: u64,
) -> Result<()> {
    sign_ins.record(flow_id)?.open_in_browser(desktop.as_ref())
}

/// The steps of the current (or last) sign-in.
#[tauri::command]
pub fn flow_transcript(sign_ins: State<'_, SignIns>) -> Result<TranscriptView> {
    let record = sign_ins.latest().ok_or(Error::NothingToExport)?;
    Ok(record.transcript_view())
}

/// Saves the transcript as a text file in Downloads (or Documents, or home) and returns
/// where, so help-desk staff can attach it to a ticket.
#[tauri::command]
pub async fn export_transcript<R: Runtime>(
    app: AppHandle<R>,
    sign_ins: State<'_, SignIns>,
    desktop: State<'_, SharedDesktop>,
) -> Result<String> {
    let record = sign_ins.latest().ok_or(Error::NothingToExport)?;
    let version = app.package_info().version.to_string();
    let path = transcript_file::save(&record, &version, desktop.export_dir()).await?;
    Ok(path.display().to_string())
}

/// The extra root certificate trusted for TLS, if any.
#[tauri::command]
pub async fn trusted_certificate(
    trust: State<'_, Trust>,
    desktop: State<'_, SharedDesktop>,
) -> Result<TrustView> {
    trust.view(settings_dir(&desktop)?).await
}

/// Trusts a root certificate (PEM) for every sign-in from now on, next to the system's own:
/// for companies whose network inspects TLS traffic.
#[tauri::command]
pub async fn trust_certificate(
    trust: State<'_, Trust>,
    desktop: State<'_, SharedDesktop>,
    pem: String,
) -> Result<TrustView> {
    trust
        .set(settings_dir(&desktop)?, pem, desktop.inner().clone())
        .await
}

/// Stops trusting the extra root certificate.
#[tauri::command]
pub async fn forget_certificate(
    trust: State<'_, Trust>,
    desktop: State<'_, SharedDesktop>,
) -> Result<TrustView> {
    trust.clear(settings_dir(&desktop)?).await
}

fn settings_dir(desktop: &SharedDesktop) -> Result<std::path::PathBuf> {
    desktop.config_dir().ok_or_else(|| Error::Settings {
        path: "the settings folder".into(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no settings folder"),
    })
}

fn account_id(id: String) -> Result<AccountId> {
    check_length("id", &id, MAX_ID_CHARS)?;
    if id.trim().is_empty() {
        return Err(Error::invalid("id", "Choose an account from the list."));
    }
    Ok(AccountId::from_string(id))
}

fn check_length(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("That is too long (at most {max} characters). Check what was pasted."),
        ));
    }
    Ok(())
}

fn check_password(field: &'static str, password: &Secret) -> Result<()> {
    if password.is_empty() {
        return Err(Error::invalid(field, "Enter your password."));
    }
    if password.expose().chars().count() > MAX_PASSWORD_CHARS {
        return Err(Error::invalid(
            field,
            format!(
                "A password can be at most {MAX_PASSWORD_CHARS} characters. Check what was pasted."
            ),
        ));
    }
    Ok(())
}

fn check_answer(answer: &Secret) -> Result<()> {
    if answer.expose().trim().is_empty() {
        return Err(Error::invalid("answer", "Enter your answer."));
    }
    if answer.expose().chars().count() > MAX_PASSWORD_CHARS {
        return Err(Error::invalid(
            "answer",
            format!("An answer can be at most {MAX_PASSWORD_CHARS} characters."),
        ));
    }
    Ok(())
}

/// A security question of one's own: written, and no longer than a person writes one.
fn check_own_question(question: &str) -> Result<()> {
    if question.trim().is_empty() {
        return Err(Error::invalid("customQuestion", "Write your question."));
    }
    if question.chars().count() > MAX_PASSWORD_CHARS {
        return Err(Error::invalid(
            "customQuestion",
            format!("A question can be at most {MAX_PASSWORD_CHARS} characters."),
        ));
    }
    Ok(())
}

/// The link Okta emailed, or the token in it: something was pasted, and not a whole file.
fn check_recovery_token(token: &Secret) -> Result<()> {
    if token.expose().trim().is_empty() {
        return Err(Error::invalid(
            "token",
            "Paste the link from Okta's email, or the code at its end.",
        ));
    }
    if token.expose().chars().count() > MAX_RECOVERY_LINK_CHARS {
        return Err(Error::invalid(
            "token",
            format!(
                "That is too long for a recovery link (at most {MAX_RECOVERY_LINK_CHARS} characters). Copy only the link."
            ),
        ));
    }
    Ok(())
}

/// Checks what the UI sends before it reaches the engine (and Okta).
fn validate_command(command: &Command) -> Result<()> {
    match command {
        Command::ChooseFactor { key } if key.is_empty() || key.len() > MAX_ID_CHARS => {
            return Err(Error::invalid("key", "Choose one of the factors offered."));
        }
        // The shape every code shares (printable, bounded); the flow checks the digits the
        // current factor wants, since a token's code is text and a voice call's has five.
        Command::SubmitCode { code } => {
            VerificationCode::parse_as(code.expose(), CodeFormat::Text, 0)
                .map_err(|refused| Error::invalid("code", refused.to_string()))?;
        }
        Command::SendActivationLink {
            link: ActivationLink::Sms { phone_number },
        }
        | Command::SubmitPhoneNumber { phone_number } => {
            PhoneNumber::parse(phone_number)
                .map_err(|refused| Error::invalid("phoneNumber", refused.to_string()))?;
        }
        Command::SubmitAnswer { answer } => check_answer(answer)?,
        Command::EnrollQuestion {
            question,
            answer,
            custom_question,
        } => {
            if question.is_empty() || question.len() > MAX_ID_CHARS {
                return Err(Error::invalid(
                    "question",
                    "Choose one of the questions offered.",
                ));
            }
            if let Some(own) = custom_question {
                check_own_question(own)?;
            }
            check_answer(answer)?;
        }
        Command::ChangePassword {
            old_password,
            new_password,
        } => {
            check_password("oldPassword", old_password)?;
            check_password("newPassword", new_password)?;
        }
        Command::SetNewPassword { new_password } => check_password("newPassword", new_password)?,
        Command::SubmitRecoveryToken { token } => check_recovery_token(token)?,
        _ => {}
    }
    Ok(())
}
