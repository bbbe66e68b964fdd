//! PKCE (RFC 7636) for the Interaction Code flow: a verifier from the OS's CSPRNG, sent only
//! to the token endpoint, and its S256 challenge, sent to `interact`. Stands in for the client
//! secret a native app cannot keep. [`Authorization`] is what `interact` sent with it (the
//! verifier, a nonce, a state), kept until the interaction code is redeemed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::digest::{SHA256, digest};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// Random bytes behind a verifier: 32 give the 43 characters RFC 7636 recommends.
const VERIFIER_BYTES: usize = 32;

pub(crate) struct Pkce {
    pub verifier: Secret,
    pub challenge: String,
}

impl Pkce {
    pub fn generate() -> Result<Self> {
        Ok(Self::from_verifier(random_token(VERIFIER_BYTES)?))
    }

    /// `challenge = BASE64URL(SHA256(verifier))`, the S256 method.
    pub fn from_verifier(verifier: Secret) -> Self {
        let hash = digest(&SHA256, verifier.expose().as_bytes());
        Self {
            challenge: URL_SAFE_NO_PAD.encode(hash.as_ref()),
            verifier,
        }
    }
}

/// What `interact` sent that later answers are checked against: the PKCE verifier (for the
/// token request), the nonce the ID token must carry, and the state.
pub(crate) struct Authorization {
    pub pkce: Pkce,
    pub nonce: Secret,
    pub state: Secret,
}

/// `bytes` random bytes from the OS, base64url without padding.
pub(crate) fn random_token(bytes: usize) -> Result<Secret> {
    let mut buffer = Zeroizing::new(vec![0u8; bytes]);
    SystemRandom::new().fill(&mut buffer).map_err(|_| {
        Error::Config(
            "This computer's random number generator did not answer, so OktaDesk cannot start a secure sign-in. Restart OktaDesk and try again.".into(),
        )
    })?;
    Ok(Secret::new(URL_SAFE_NO_PAD.encode(buffer.as_slice())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_rfc_7636s_s256_of_the_verifier() {
        // RFC 7636, Appendix B.
        let pkce = Pkce::from_verifier(Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert_eq!(
            pkce.challenge,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_43_unreserved_characters_and_never_repeat() {
        let one = Pkce::generate().unwrap();
        let two = Pkce::generate().unwrap();
        assert_eq!(one.verifier.expose().len(), 43);
        assert!(
            one.verifier
                .expose()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_ne!(one.verifier, two.verifier);
        assert_ne!(one.challenge, two.challenge);
    }
}
