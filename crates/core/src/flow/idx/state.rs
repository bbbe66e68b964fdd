//! What one Identity Engine sign-in holds while it walks Okta's remediations: the request
//! (username, password until sent, options), the OAuth client and what `interact` sent, the
//! last `cancel` form, the factor state every driver shares, and IDX's own memory (the method
//! picked, the activation link asked for, what was last sent, "Keep me signed in").
//!
//! Only the state lives here; the steps on it are one file a family beside it.

use super::pkce::Authorization;
use super::wire::Form;
use crate::client::Api;
use crate::flow::conversation::Conversation;
use crate::flow::remember_device::RememberChoice;
use crate::flow::steps::FactorState;
use crate::oidc_client::OidcClient;
use crate::secret::Secret;
use crate::stage::{ActivationLink, FlowOptions, Recovery, SignInRequest};
use crate::username::Username;

pub(crate) struct Idx {
    pub(super) api: Api,
    pub(super) io: Conversation,
    pub(super) username: Username,
    /// Sent once, where Okta first asks for it, then dropped (and zeroed).
    pub(super) password: Option<Secret>,
    pub(super) options: FlowOptions,
    pub(super) client: OidcClient,
    /// What `interact` sent (PKCE verifier, nonce, state), until the code is redeemed.
    pub(super) authorization: Option<Authorization>,
    /// The last `cancel` form Okta sent (it carries the state handle).
    pub(super) cancel: Option<Form>,
    /// What this sign-in remembers between its factor steps (shared with Classic's driver).
    pub(super) factor: FactorState,
    /// Where the activation link asked for goes, until Okta asks for the address.
    pub(super) pending_link: Option<ActivationLink>,
    /// The method picked with the last authenticator (`sms`, `voice`, `push`, `totp`).
    pub(super) chosen_method: Option<String>,
    /// The activation link channel already announced.
    pub(super) announced_channel: Option<String>,
    /// What was last sent, and to which form (a digest: the body holds secrets).
    pub(super) last_sent: Option<Sent>,
    /// Whether the person said something (a code, a pick, "send again") since the last form
    /// was sent: only then may the same form go again with the same values.
    pub(super) fresh_input: bool,
    /// Set when this is a password reset or an unlock rather than a sign-in.
    pub(super) recovery: Option<Recovery>,
    /// Set from the `recover` or `unlock-account` form sent until the new password is sent
    /// or the account unlocked: the authenticators verified meanwhile prove who the person
    /// is for the recovery, and the stages say so.
    pub(super) proving: Option<Recovery>,
    /// Whether to ask Okta to keep this device signed in; the handle can change it.
    pub(super) remember: RememberChoice,
    /// What Okta was last told of "Keep me signed in" (`rememberMe` on `identify`, the
    /// prompt's answer); `None` while the org has not offered it.
    pub(super) kmsi_sent: Option<bool>,
    /// Whether Okta offered `unlock-account` in this transaction: a lockout said later (on
    /// the password step, which does not repeat the form) can then offer the unlock.
    pub(super) unlock_offered: bool,
}

/// A form sent: its name, where it went, and a digest of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sent {
    pub(super) form: String,
    pub(super) href: String,
    pub(super) digest: u64,
}

impl Idx {
    /// `request.options.oidc_client` must be set (see [`SignIn::start`](crate::SignIn::start)).
    pub(crate) fn new(
        api: Api,
        request: SignInRequest,
        io: Conversation,
        client: OidcClient,
    ) -> Self {
        Self {
            api,
            io,
            username: request.username,
            password: Some(request.password),
            options: request.options,
            client,
            authorization: None,
            cancel: None,
            factor: FactorState::default(),
            pending_link: None,
            chosen_method: None,
            announced_channel: None,
            last_sent: None,
            fresh_input: false,
            recovery: None,
            proving: None,
            remember: RememberChoice::new(false),
            kmsi_sent: None,
            unlock_offered: false,
        }
    }

    /// Follows the person's remember-this-device choice (see [`keep_signed_in`]).
    pub(crate) fn remembering(mut self, remember: RememberChoice) -> Self {
        self.remember = remember;
        self
    }

    /// Makes this a password reset or an unlock (with `Some`) instead of a sign-in: no
    /// password is held, a new one arrives as a command.
    pub(crate) fn recovering(mut self, recovery: Option<Recovery>) -> Self {
        self.recovery = recovery;
        if recovery.is_some() {
            self.password = None;
        }
        self
    }
}
