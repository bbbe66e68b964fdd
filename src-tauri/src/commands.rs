//! The Tauri commands the UI calls. Each one checks its input and hands the work to an
//! adapter (flow, accounts, demo) or the core.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use oktadesk_accounts::{AccountId, MAX_LABEL_CHARS};
use oktadesk_core::{ActivationLink, Command, FactorKind, FlowOptions, OrgUrl, Secret};
use oktadesk_demo_org::{PhoneView, PushAnswer, ScanOutcome};
use serde::Deserialize;
use tauri::{AppHandle, Manager, Runtime, State};
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::flow::{self, StartRequest};
use crate::models::{AccountView, AccountsView, AppInfo, Problem, SignInStarted, TranscriptView};
use crate::state::AppState;
use crate::trust::TrustView;

const MAX_USERNAME_CHARS: usize = 256;
/// Far above any org's password policy; a bound keeps a pasted file out of memory and logs.
const MAX_PASSWORD_CHARS: usize = 1024;
const MAX_ID_CHARS: usize = 512;

#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> AppInfo {
    let package = app.package_info();
    AppInfo {
        name: package.name.clone(),
        version: package.version.to_string(),
        demo: state.demo().map(|demo| demo.status().clone()),
        ui_font: state.ui_font().map(str::to_owned),
    }
}

/// Checks an org address as it is typed, so the form can say what is wrong before sign-in.
#[tauri::command]
pub fn validate_org_url(url: String) -> Result<OrgUrl> {
    check_length("url", &url, MAX_ID_CHARS)?;
    Ok(OrgUrl::parse(&url)?)
}

/// The remembered accounts. Never fails: without a keychain the list is empty and
/// `problem` says why, for a calm banner.
#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<AccountsView> {
    match state.accounts().call(|store| store.list()).await {
        Ok(list) => Ok(AccountsView::from(list)),
        Err(error) => Ok(AccountsView {
            problem: Some(Problem::from(&error)),
            ..AccountsView::default()
        }),
    }
}

#[tauri::command]
pub async fn forget_account(state: State<'_, AppState>, id: String) -> Result<bool> {
    let id = account_id(id)?;
    state.accounts().call(move |store| store.forget(&id)).await
}

/// Forgets every account OktaDesk remembered on this computer; returns how many.
#[tauri::command]
pub async fn forget_all_accounts(state: State<'_, AppState>) -> Result<usize> {
    state.accounts().call(|store| store.forget_all()).await
}

#[tauri::command]
pub async fn rename_account(
    state: State<'_, AppState>,
    id: String,
    label: String,
) -> Result<AccountView> {
    let id = account_id(id)?;
    check_length("label", &label, MAX_LABEL_CHARS * 4)?;
    let account = state
        .accounts()
        .call(move |store| store.rename_label(&id, &label))
        .await?;
    Ok(AccountView::from(&account))
}

/// Turns "send the push as soon as the password is accepted" on or off for an account.
#[tauri::command]
pub async fn set_auto_push(
    state: State<'_, AppState>,
    id: String,
    enabled: bool,
) -> Result<AccountView> {
    let id = account_id(id)?;
    let account = state
        .accounts()
        .call(move |store| {
            let mut account = store.get(&id)?.ok_or_else(|| {
                oktadesk_accounts::AccountsError::AccountNotFound { id: id.to_string() }
            })?;
            account.auto_push = enabled;
            store.save(&account)?;
            Ok(account)
        })
        .await?;
    Ok(AccountView::from(&account))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInArgs {
    org_url: String,
    username: String,
    password: Secret,
    /// Remember org and username in the keychain once the sign-in succeeds.
    #[serde(default)]
    remember: bool,
    #[serde(default)]
    auto_push: bool,
}

/// Starts a sign-in; its stages arrive as `flow://stage` events carrying the returned id.
#[tauri::command]
pub async fn start_sign_in<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: SignInArgs,
) -> Result<SignInStarted> {
    check_length("orgUrl", &request.org_url, MAX_ID_CHARS)?;
    let org = OrgUrl::parse(&request.org_url)?;
    let username = request.username.trim().to_owned();
    if username.is_empty() {
        return Err(Error::invalid(
            "username",
            "Enter your username, usually your work email address.",
        ));
    }
    if username.chars().count() > MAX_USERNAME_CHARS || username.contains(char::is_control) {
        return Err(Error::invalid(
            "username",
            format!(
                "That username is not valid: use at most {MAX_USERNAME_CHARS} characters on one line."
            ),
        ));
    }
    check_password("password", &request.password)?;
    let options = FlowOptions {
        auto_push: request.auto_push,
        preferred_factor: request.auto_push.then_some(FactorKind::Push),
        ..FlowOptions::default()
    };
    let client = state.trust().client(state.config_dir(&app)).await?;
    let flow_id = flow::start(
        &app,
        &client,
        StartRequest {
            org,
            username,
            password: request.password,
            remember: request.remember,
            options,
        },
    );
    Ok(SignInStarted { flow_id })
}

/// Answers the current stage: a factor, a code, a new push, a new QR, a password change,
/// skip or cancel (the core's `Command`, e.g. `{"command":"submitCode","code":"123456"}`).
#[tauri::command]
pub async fn flow_command(
    state: State<'_, AppState>,
    flow_id: u64,
    command: Command,
) -> Result<()> {
    validate_command(&command)?;
    state.flows().send(flow_id, command).await
}

/// Remembers the account of a sign-in that succeeded (when the person chose to only now).
#[tauri::command]
pub async fn remember_account(state: State<'_, AppState>, flow_id: u64) -> Result<AccountView> {
    let record = state.flows().record(flow_id)?;
    flow::save_account(&state, &record).await
}

/// Opens the Okta dashboard in the default browser, signed in with this sign-in's session.
#[tauri::command]
pub async fn open_dashboard(state: State<'_, AppState>, flow_id: u64) -> Result<()> {
    let record = state.flows().record(flow_id)?;
    let session = record.take_session().ok_or(Error::NoSession)?;
    if session
        .expires_at()
        .is_some_and(|expires| expires <= OffsetDateTime::now_utc())
    {
        return Err(Error::NoSession);
    }
    let url = session.browser_url(None)?;
    // The URL carries a live session token: it may only ever go to the org itself, over
    // https (plain http only for the demo org on this computer).
    let parsed = url::Url::parse(url.expose()).map_err(Error::internal)?;
    let org = session.org();
    let secure = parsed.scheme() == "https" || (parsed.scheme() == "http" && org.is_loopback());
    if !secure || !org.is_same_origin(&parsed) {
        return Err(Error::Browser {
            org: org.to_string(),
            detail: "the address is not on your organization's secure origin".into(),
        });
    }
    if let Err(detail) = state.open_url(url.expose()) {
        let org = org.to_string();
        record.restore_session(session);
        return Err(Error::Browser { org, detail });
    }
    Ok(())
}

/// The steps of the current (or last) sign-in.
#[tauri::command]
pub fn flow_transcript(state: State<'_, AppState>) -> Result<TranscriptView> {
    let record = state.flows().latest().ok_or(Error::NothingToExport)?;
    Ok(TranscriptView {
        org_url: record.org.to_string(),
        username: record.username.clone(),
        entries: record.transcript.entries(),
        text: record.transcript.to_string(),
    })
}

/// The extra root certificate trusted for TLS, if any.
#[tauri::command]
pub async fn trusted_certificate<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<TrustView> {
    state.trust().view(settings_dir(&app, &state)?).await
}

/// Trusts a root certificate (PEM) for every sign-in from now on, next to the system's own:
/// for companies whose network inspects TLS traffic.
#[tauri::command]
pub async fn trust_certificate<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    pem: String,
) -> Result<TrustView> {
    let dir = settings_dir(&app, &state)?;
    state.trust().set(dir, pem).await
}

/// Stops trusting the extra root certificate.
#[tauri::command]
pub async fn forget_certificate<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<TrustView> {
    state.trust().clear(settings_dir(&app, &state)?).await
}

fn settings_dir<R: Runtime>(app: &AppHandle<R>, state: &AppState) -> Result<PathBuf> {
    state.config_dir(app).ok_or_else(|| Error::Settings {
        path: PathBuf::from("the settings folder"),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no settings folder"),
    })
}

/// Saves the transcript as a text file in Downloads (or Documents, or home) and returns
/// where, so help-desk staff can attach it to a ticket.
#[tauri::command]
pub async fn export_transcript<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<String> {
    let record = state.flows().latest().ok_or(Error::NothingToExport)?;
    let dir = state
        .export_dir()
        .map(Path::to_path_buf)
        .or_else(|| app.path().download_dir().ok())
        .or_else(|| app.path().document_dir().ok())
        .or_else(|| app.path().home_dir().ok())
        .ok_or_else(|| Error::Export {
            path: PathBuf::from("Downloads"),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no folder to save in"),
        })?;
    let now = OffsetDateTime::now_utc();
    let stamp = now
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .map_err(Error::internal)?;
    let path = dir.join(format!("OktaDesk transcript {stamp}.txt"));
    let text = format!(
        "OktaDesk {} sign-in transcript\nOrganization: {}\nUsername: {}\nSaved: {}\n\n{}",
        app.package_info().version,
        record.org,
        record.username,
        now.format(&time::format_description::well_known::Rfc3339)
            .map_err(Error::internal)?,
        record.transcript,
    );
    let written = path.clone();
    tauri::async_runtime::spawn_blocking(move || std::fs::write(&written, text))
        .await
        .map_err(Error::internal)?
        .map_err(|source| Error::Export {
            path: path.clone(),
            source,
        })?;
    Ok(path.display().to_string())
}

/// What the demo phone of `login` shows.
#[tauri::command]
pub async fn demo_phone_view(state: State<'_, AppState>, login: String) -> Result<PhoneView> {
    let phone = demo_phone(&state)?;
    phone.view(&login).await
}

/// The demo phone scans the QR code on screen (the image exactly as the org served it).
#[tauri::command]
pub async fn demo_phone_scan(
    state: State<'_, AppState>,
    flow_id: u64,
    login: String,
) -> Result<ScanOutcome> {
    let phone = demo_phone(&state)?;
    let png = state
        .flows()
        .record(flow_id)?
        .qr_png()
        .ok_or_else(|| Error::DemoPhone {
            message: "There is no QR code on screen to scan. Sign in as enroll@demo.test to \
                      get one."
                .into(),
        })?;
    phone
        .scan(&login, Bytes::copy_from_slice(png.expose()))
        .await
}

/// The demo phone approves (with the number, for a number challenge) or denies the push.
#[tauri::command]
pub async fn demo_phone_answer(
    state: State<'_, AppState>,
    login: String,
    approve: bool,
    number: Option<u8>,
) -> Result<PushAnswer> {
    let phone = demo_phone(&state)?;
    if approve {
        phone.approve(&login, number).await
    } else {
        phone.reject(&login).await
    }
}

fn demo_phone(state: &AppState) -> Result<crate::demo::DemoPhone> {
    state.demo().ok_or(Error::NotDemo)?.phone().cloned()
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

/// Checks what the UI sends before it reaches the engine (and Okta).
fn validate_command(command: &Command) -> Result<()> {
    match command {
        Command::ChooseFactor { key } if key.is_empty() || key.len() > MAX_ID_CHARS => {
            return Err(Error::invalid("key", "Choose one of the factors offered."));
        }
        Command::SubmitCode { code } => {
            let code = code.expose();
            if !(6..=8).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid(
                    "code",
                    "Type the six-digit code from Okta Verify (digits only).",
                ));
            }
        }
        Command::SendActivationLink {
            link: ActivationLink::Sms { phone_number },
        } => {
            let digits = phone_number.strip_prefix('+').unwrap_or_default();
            if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid(
                    "phoneNumber",
                    "Type the phone number with its country code, for example +14155550123.",
                ));
            }
        }
        Command::ChangePassword {
            old_password,
            new_password,
        } => {
            check_password("oldPassword", old_password)?;
            check_password("newPassword", new_password)?;
        }
        _ => {}
    }
    Ok(())
}
