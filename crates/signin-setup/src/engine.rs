//! Which API a sign-in goes through, decided in one place: IDX when the org runs Identity
//! Engine and its OktaDesk app is known, `/api/v1/authn` otherwise, unless the person named one
//! ([`Protocol`]). And after a sign-in failed in a way an org moved to another engine can
//! cause, whether to ask the org again and what to say when its answer is new.

use oktadesk_accounts::Account;
use oktadesk_core::{Engine, ErrorKind, OidcClient};

/// The API a person asked for by name, or [`Auto`](Self::Auto) to go as the org runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Protocol {
    /// As the org runs: IDX on Identity Engine with the org's OktaDesk app, else `/api/v1/authn`.
    #[default]
    Auto,
    /// Classic's `/api/v1/authn`, whatever the org runs.
    Classic,
    /// Identity Engine's IDX (needs the org's OktaDesk app).
    Idx,
}

/// The engine and app the core is given for `engine` (what the org is known to run) and `app`
/// (the org's OktaDesk app, if known): the app only when the sign-in goes through IDX, so
/// the core's driver choice and the transcript's note say the same as this.
pub(crate) fn decide(
    protocol: Protocol,
    engine: Option<Engine>,
    app: Option<&OidcClient>,
) -> (Option<Engine>, Option<OidcClient>) {
    let engine = match protocol {
        Protocol::Idx => Some(Engine::IdentityEngine),
        Protocol::Auto | Protocol::Classic => engine,
    };
    let through_idx = protocol != Protocol::Classic && engine == Some(Engine::IdentityEngine);
    (engine, app.filter(|_| through_idx).cloned())
}

/// Failures an org moved from Classic to Identity Engine can cause: steps and answers that
/// are not what the account's engine speaks, or a policy only the browser can satisfy. After
/// one of these the org is asked its engine again.
pub fn may_mean_another_engine(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::UnsupportedStep
            | ErrorKind::UnexpectedResponse
            | ErrorKind::BrowserRequired
            | ErrorKind::Config
    )
}

/// The org runs another engine than the account knew: record `engine` with the account, and
/// tell the person `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineChange {
    pub engine: Engine,
    pub message: String,
}

/// What the org's answer `found` (after a failure of `kind`) means for `account`: a change
/// when the org named an engine the account did not know, nothing otherwise.
pub fn engine_recheck(
    account: &Account,
    kind: ErrorKind,
    found: Option<Engine>,
) -> Option<EngineChange> {
    let found = found.filter(|_| may_mean_another_engine(kind))?;
    if Some(found) == account.engine {
        return None;
    }
    let mut message = format!("{} now runs {found}.", account.org().host());
    if let Some(note) = found.sign_in_note() {
        message.push(' ');
        message.push_str(note);
    }
    Some(EngineChange {
        engine: found,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> OidcClient {
        OidcClient::new("0oa1demo")
    }

    #[test]
    fn idx_only_on_identity_engine_with_the_orgs_app() {
        let ie = Some(Engine::IdentityEngine);
        let classic = Some(Engine::Classic);
        assert_eq!(decide(Protocol::Auto, ie, Some(&app())), (ie, Some(app())));
        assert_eq!(decide(Protocol::Auto, ie, None), (ie, None));
        assert_eq!(
            decide(Protocol::Auto, classic, Some(&app())),
            (classic, None)
        );
        assert_eq!(decide(Protocol::Auto, None, Some(&app())), (None, None));
    }

    #[test]
    fn a_named_protocol_overrides_what_the_org_runs() {
        let ie = Some(Engine::IdentityEngine);
        assert_eq!(decide(Protocol::Classic, ie, Some(&app())), (ie, None));
        assert_eq!(
            decide(Protocol::Idx, Some(Engine::Classic), Some(&app())),
            (ie, Some(app()))
        );
        assert_eq!(decide(Protocol::Idx, None, Some(&app())), (ie, Some(app())));
    }

    #[test]
    fn only_some_failures_ask_the_org_again() {
        for kind in [
            ErrorKind::UnsupportedStep,
            ErrorKind::UnexpectedResponse,
            ErrorKind::BrowserRequired,
            ErrorKind::Config,
        ] {
            assert!(may_mean_another_engine(kind), "{kind}");
        }
        for kind in [
            ErrorKind::Credentials,
            ErrorKind::MfaRejected,
            ErrorKind::Network,
        ] {
            assert!(!may_mean_another_engine(kind), "{kind}");
        }
    }

    #[test]
    fn a_new_engine_is_told_and_a_known_one_is_not() {
        let mut account = crate::read_account("acme", "jane@acme.com").unwrap();
        account.engine = Some(Engine::Classic);
        let kind = ErrorKind::UnsupportedStep;
        let change = engine_recheck(&account, kind, Some(Engine::IdentityEngine)).unwrap();
        assert_eq!(change.engine, Engine::IdentityEngine);
        assert!(
            change
                .message
                .starts_with("acme.okta.com now runs Okta Identity Engine."),
            "{}",
            change.message
        );
        assert!(change.message.contains("client ID"), "{}", change.message);
        assert_eq!(engine_recheck(&account, kind, Some(Engine::Classic)), None);
        assert_eq!(engine_recheck(&account, kind, None), None);
        assert_eq!(
            engine_recheck(
                &account,
                ErrorKind::Credentials,
                Some(Engine::IdentityEngine)
            ),
            None
        );
    }
}
