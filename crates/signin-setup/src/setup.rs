//! One sign-in's setup: the account it is for (what was typed, merged with what the keychain
//! remembers), the choices it goes with, the requests the core is given, and what a sign-in
//! that worked leaves behind.
//!
//! The merge rules: the remembered account of the same id is the base (its label, preferences
//! and Okta's device cookie); what the person said for this sign-in wins over it (the engine
//! Add account found, the OktaDesk app's client ID, a factor, auto-push); what neither says
//! stays unknown.

use oktadesk_accounts::{Account, AccountStore, AccountsError};
use oktadesk_core::{
    DeviceToken, Engine, FactorKind, FlowHandle, FlowOptions, OidcClient, OktaClient, Recovery,
    RecoveryRequest, Secret, SignIn, SignInRequest, Stages,
};
use time::OffsetDateTime;

use crate::engine::{Protocol, decide};
use crate::error::SetupError;

/// What the person said for this sign-in besides who and where; `None` leaves the
/// remembered account's value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    /// The engine the org was found to run when the account was added.
    pub engine: Option<Engine>,
    /// The org's OktaDesk app, read with [`read_oidc_client`](crate::read_oidc_client).
    pub oidc_client: Option<OidcClient>,
    /// The factor to use without asking.
    pub preferred_factor: Option<FactorKind>,
    /// Send the push as soon as the password is accepted.
    pub auto_push: Option<bool>,
    /// The API asked for by name; [`Protocol::Auto`] goes as the org runs.
    pub protocol: Protocol,
    /// Ask Okta to remember this device, when the org's policy allows it.
    pub remember_device: bool,
    /// Remember the account in the keychain once the sign-in has worked.
    pub remember: bool,
}

/// Everything a sign-in (or a recovery) needs besides the password, decided once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInSetup {
    account: Account,
    protocol: Protocol,
    remember_device: bool,
    remember: bool,
}

impl SignInSetup {
    /// The setup for `typed` ([`read_account`](crate::read_account), or a remembered account
    /// chosen by name), merged with `stored`, the remembered account of the same id if the
    /// face looked it up (a different one is ignored), and `choices`.
    ///
    /// # Errors
    /// [`SetupError::IdxWithoutApp`] when IDX is asked for by name and no OktaDesk app is
    /// known, before any request is made.
    pub fn new(
        typed: Account,
        stored: Option<Account>,
        choices: Choices,
    ) -> Result<Self, SetupError> {
        let mut account = stored
            .filter(|stored| stored.id() == typed.id())
            .unwrap_or(typed);
        account.engine = choices.engine.or(account.engine);
        account.oidc_client = choices.oidc_client.or(account.oidc_client.take());
        account.preferred_factor = choices.preferred_factor.or(account.preferred_factor);
        account.auto_push = choices.auto_push.unwrap_or(account.auto_push);
        if choices.protocol == Protocol::Idx && account.oidc_client.is_none() {
            return Err(SetupError::IdxWithoutApp);
        }
        Ok(Self {
            account,
            protocol: choices.protocol,
            remember_device: choices.remember_device,
            remember: choices.remember,
        })
    }

    /// Who signs in where, with the choices merged in.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// Whether the account is remembered once the sign-in has worked.
    pub fn remember(&self) -> bool {
        self.remember
    }

    /// The engine the org was just found to run (asked while the password was typed): it
    /// replaces what the account knew, and is remembered with it. Not knowing keeps that.
    pub fn engine_found(&mut self, found: Option<Engine>) {
        if found.is_some() {
            self.account.engine = found;
        }
    }

    /// Whether the sign-in goes through IDX (else through `/api/v1/authn`).
    pub fn through_idx(&self) -> bool {
        self.flow_options().oidc_client.is_some()
    }

    /// How the sign-in goes: the account's own choices ([`Account::flow_options`]), with the
    /// engine and the OIDC client decided for the API it goes through.
    pub fn flow_options(&self) -> FlowOptions {
        let mut options = self.account.flow_options();
        options.remember_device = self.remember_device;
        (options.engine, options.oidc_client) = decide(
            self.protocol,
            self.account.engine,
            self.account.oidc_client.as_ref(),
        );
        options
    }

    /// Starts the sign-in with `password`, presenting the account's device cookie.
    pub fn start(&self, client: &OktaClient, password: Secret) -> (FlowHandle, Stages) {
        SignIn::start_on_device(
            client,
            SignInRequest {
                org: self.account.org().clone(),
                username: self.account.username().clone(),
                password,
                options: self.flow_options(),
            },
            self.account.device_token().cloned(),
        )
    }

    /// Starts a password reset or an unlock for the account, as a sign-in of its own.
    pub fn recover(&self, client: &OktaClient, recovery: Recovery) -> (FlowHandle, Stages) {
        SignIn::recover_on_device(
            client,
            RecoveryRequest {
                org: self.account.org().clone(),
                username: self.account.username().clone(),
                recovery,
                options: self.flow_options(),
            },
            self.account.device_token().cloned(),
        )
    }

    /// What a sign-in that worked leaves: the account with the device cookie the sign-in
    /// holds (`FlowHandle::device_token_reader`), to remember.
    pub fn signed_in(&self, device_token: Option<DeviceToken>) -> SignedIn {
        let mut account = self.account.clone();
        account.set_device_token(device_token);
        SignedIn {
            account,
            remember: self.remember,
        }
    }
}

/// The account of a sign-in that worked, and whether the person asked to remember it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub account: Account,
    pub remember: bool,
}

impl SignedIn {
    /// Remembers the account in `store` as signed in `at` ([`AccountStore::remember_sign_in`]:
    /// a remembered account keeps its label and preferences and takes the engine, app and
    /// device cookie this sign-in had). Blocks, like every store call.
    pub fn remember_in(
        self,
        store: &dyn AccountStore,
        at: OffsetDateTime,
    ) -> Result<Account, AccountsError> {
        store.remember_sign_in(self.account, at)
    }
}

#[cfg(test)]
mod tests {
    use oktadesk_accounts::MemoryStore;

    use super::*;
    use crate::read_account;

    fn typed() -> Account {
        read_account("acme", "jane@acme.com").unwrap()
    }

    fn stored() -> Account {
        let mut account = typed();
        account.label = "Work".into();
        account.engine = Some(Engine::Classic);
        account.oidc_client = Some(OidcClient::new("0oaStored"));
        account.preferred_factor = Some(FactorKind::Totp);
        account.auto_push = true;
        account.set_device_token(DeviceToken::parse("storedCookie"));
        account
    }

    #[test]
    fn the_remembered_account_fills_in_what_was_not_said() {
        let setup = SignInSetup::new(typed(), Some(stored()), Choices::default()).unwrap();
        assert_eq!(setup.account(), &stored());
        assert_eq!(
            setup.account().device_token().unwrap().expose(),
            "storedCookie"
        );
        let alone = SignInSetup::new(typed(), None, Choices::default()).unwrap();
        assert_eq!(alone.account(), &typed());
    }

    #[test]
    fn what_was_said_wins_over_what_was_remembered() {
        let choices = Choices {
            engine: Some(Engine::IdentityEngine),
            oidc_client: Some(OidcClient::new("0oaTyped")),
            preferred_factor: Some(FactorKind::Sms),
            auto_push: Some(false),
            ..Choices::default()
        };
        let setup = SignInSetup::new(typed(), Some(stored()), choices).unwrap();
        let account = setup.account();
        assert_eq!(account.engine, Some(Engine::IdentityEngine));
        assert_eq!(account.oidc_client, Some(OidcClient::new("0oaTyped")));
        assert_eq!(account.preferred_factor, Some(FactorKind::Sms));
        assert!(!account.auto_push);
        assert_eq!(account.label, "Work", "the remembered label stays");
    }

    #[test]
    fn another_accounts_record_is_not_merged() {
        let mut someone_else = read_account("acme", "joe@acme.com").unwrap();
        someone_else.engine = Some(Engine::IdentityEngine);
        let setup = SignInSetup::new(typed(), Some(someone_else), Choices::default()).unwrap();
        assert_eq!(setup.account(), &typed());
    }

    #[test]
    fn the_engine_and_the_oidc_client_are_decided_once() {
        let ie = Some(Engine::IdentityEngine);
        let mut on_ie = stored();
        on_ie.engine = ie;
        let setup = SignInSetup::new(typed(), Some(on_ie.clone()), Choices::default()).unwrap();
        let options = setup.flow_options();
        assert_eq!(options.engine, ie);
        assert_eq!(options.oidc_client, Some(OidcClient::new("0oaStored")));
        assert!(setup.through_idx());
        assert_eq!(options.preferred_factor, Some(FactorKind::Totp));
        assert!(options.auto_push);

        // A Classic org never goes through IDX, even with an app remembered.
        let setup = SignInSetup::new(typed(), Some(stored()), Choices::default()).unwrap();
        assert_eq!(setup.flow_options().oidc_client, None);
        assert!(!setup.through_idx());

        // What the org says while the password is typed replaces what was known.
        let mut setup = SignInSetup::new(typed(), Some(stored()), Choices::default()).unwrap();
        setup.engine_found(None);
        assert_eq!(setup.account().engine, Some(Engine::Classic));
        setup.engine_found(ie);
        assert_eq!(setup.account().engine, ie);
        assert!(setup.through_idx());

        let classic = Choices {
            protocol: Protocol::Classic,
            remember_device: true,
            ..Choices::default()
        };
        let setup = SignInSetup::new(typed(), Some(on_ie), classic).unwrap();
        let options = setup.flow_options();
        assert_eq!((options.engine, options.oidc_client), (ie, None));
        assert!(options.remember_device);
    }

    #[test]
    fn idx_by_name_needs_the_orgs_app() {
        let idx = Choices {
            protocol: Protocol::Idx,
            ..Choices::default()
        };
        let refused = SignInSetup::new(typed(), None, idx.clone()).unwrap_err();
        assert_eq!(refused, SetupError::IdxWithoutApp);
        assert_eq!(refused.field(), "engine");
        let setup = SignInSetup::new(typed(), Some(stored()), idx).unwrap();
        let options = setup.flow_options();
        assert_eq!(options.engine, Some(Engine::IdentityEngine));
        assert_eq!(options.oidc_client, Some(OidcClient::new("0oaStored")));
    }

    #[test]
    fn a_sign_in_that_worked_keeps_its_cookie_and_is_remembered_when_asked() {
        let remember = Choices {
            remember: true,
            auto_push: Some(true),
            ..Choices::default()
        };
        let setup = SignInSetup::new(typed(), None, remember).unwrap();
        let signed_in = setup.signed_in(DeviceToken::parse("newCookie"));
        assert!(signed_in.remember);
        assert_eq!(
            signed_in.account.device_token().unwrap().expose(),
            "newCookie"
        );
        let store = MemoryStore::new();
        let at = time::macros::datetime!(2026-12-07 09:00 UTC);
        let remembered = signed_in.remember_in(&store, at).unwrap();
        assert_eq!(remembered.last_success, Some(at));
        assert!(remembered.auto_push, "a new account keeps its choices");
        let kept = store.get(typed().id()).unwrap().unwrap();
        assert_eq!(kept.device_token().unwrap().expose(), "newCookie");

        // Signing in again keeps the label and takes the new cookie.
        let mut renamed = kept.clone();
        renamed.label = "Work".into();
        store.save(&renamed).unwrap();
        let setup = SignInSetup::new(typed(), Some(renamed), Choices::default()).unwrap();
        assert!(!setup.remember());
        let again = setup
            .signed_in(DeviceToken::parse("newerCookie"))
            .remember_in(&store, at)
            .unwrap();
        assert_eq!(again.label, "Work");
        assert_eq!(again.device_token().unwrap().expose(), "newerCookie");
    }
}
