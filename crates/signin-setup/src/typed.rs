//! Reading what the person typed (in Add account, or as `--org`, `--user` and `--client-id`)
//! with the core's rules, once, before anything is looked up or sent.

use oktadesk_accounts::Account;
use oktadesk_core::{DEFAULT_AUTHORIZATION_SERVER, OidcClient, OrgUrl, Username};

use crate::error::SetupError;

/// The account `username` at `org_url` names, both as typed: a new account, labelled with the
/// username, whose id finds a remembered account of the same person.
pub fn read_account(org_url: &str, username: &str) -> Result<Account, SetupError> {
    let org = OrgUrl::parse(org_url)?;
    let username = Username::parse(username)?;
    Ok(Account::of(org, username))
}

/// The org's OktaDesk app as typed: none when no client ID was given (or only spaces), on the
/// `default` authorization server unless another is named (empty for the org's own).
pub fn read_oidc_client(
    client_id: Option<&str>,
    authorization_server: Option<&str>,
) -> Result<Option<OidcClient>, SetupError> {
    let Some(client_id) = client_id.map(str::trim).filter(|id| !id.is_empty()) else {
        return Ok(None);
    };
    OidcClient::parse(
        client_id,
        authorization_server.unwrap_or(DEFAULT_AUTHORIZATION_SERVER),
    )
    .map(Some)
    .map_err(|refused| SetupError::OidcClient(refused.to_string()))
}

#[cfg(test)]
mod tests {
    use oktadesk_core::{OrgUrlError, UsernameError};

    use super::*;

    #[test]
    fn an_account_is_read_with_the_cores_rules() {
        let account = read_account(" acme ", "jane@acme.com").unwrap();
        assert_eq!(account.org().to_string(), "https://acme.okta.com");
        assert_eq!(account.label, "jane@acme.com");
        assert!(matches!(
            read_account("acme okta", "jane"),
            Err(SetupError::OrgUrl(_))
        ));
        assert_eq!(
            read_account("", "jane").unwrap_err(),
            SetupError::OrgUrl(OrgUrlError::Empty)
        );
        let refused = read_account("acme", "  ").unwrap_err();
        assert_eq!(refused, SetupError::Username(UsernameError::Empty));
        assert_eq!(refused.field(), "username");
    }

    #[test]
    fn the_oidc_client_is_optional_and_checked_when_given() {
        assert_eq!(read_oidc_client(None, Some("aus1")), Ok(None));
        assert_eq!(read_oidc_client(Some("   "), None), Ok(None));
        assert_eq!(
            read_oidc_client(Some(" 0oa1demo "), None),
            Ok(Some(OidcClient::new("0oa1demo")))
        );
        let org_server = read_oidc_client(Some("0oa1demo"), Some(""))
            .unwrap()
            .unwrap();
        assert_eq!(org_server.authorization_server, "");
        let refused = read_oidc_client(Some("0oa 1/../x"), None).unwrap_err();
        assert_eq!(refused.field(), "clientId");
        assert!(refused.to_string().contains("General tab"), "{refused}");
        assert!(read_oidc_client(Some("0oa1"), Some("aus/1")).is_err());
    }
}
