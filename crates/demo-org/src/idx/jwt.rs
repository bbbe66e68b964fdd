//! Signing the tokens the demo authorization servers issue: RS256 JWTs and the JWKS that
//! verifies them.
//!
//! The key is a fixed 2048-bit RSA key checked into this crate (`demo_signing_key.pem`),
//! because ring, the crypto the workspace already builds, can sign with RSA but cannot make
//! RSA keys. It is public, so it is no secret: every demo org signs with it, and a token it
//! signed proves only that a demo org issued it. Nothing outside tests may trust it.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{Value, json};

const DEMO_KEY_PEM: &str = include_str!("demo_signing_key.pem");

/// The key id JWT headers and the JWKS name the key by.
pub(crate) const KEY_ID: &str = "demo-org-rs256-1";

fn key_pair() -> &'static RsaKeyPair {
    static KEY: OnceLock<RsaKeyPair> = OnceLock::new();
    KEY.get_or_init(|| {
        let base64: String = DEMO_KEY_PEM
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with("-----"))
            .collect();
        let der = STANDARD
            .decode(base64.trim())
            .expect("the checked-in demo key is valid base64");
        RsaKeyPair::from_pkcs8(&der).expect("the checked-in demo key is a PKCS#8 RSA key")
    })
}

/// `header.claims.signature`, RS256.
pub(crate) fn sign(claims: &Value) -> String {
    let header = json!({ "kid": KEY_ID, "alg": "RS256" });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = key_pair();
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signing_input.as_bytes(),
        &mut signature,
    )
    .expect("RSA signing with a valid key and a right-sized buffer succeeds");
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// The JWKS at `/v1/keys`.
pub(crate) fn jwks() -> Value {
    let public = RsaPublicKeyComponents::<Vec<u8>>::from(key_pair().public());
    let unsigned = |bytes: &[u8]| {
        let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        URL_SAFE_NO_PAD.encode(&bytes[start..])
    };
    json!({
        "keys": [{
            "kty": "RSA",
            "alg": "RS256",
            "kid": KEY_ID,
            "use": "sig",
            "e": unsigned(&public.e),
            "n": unsigned(&public.n),
        }]
    })
}

#[cfg(test)]
mod tests {
    use ring::signature::RSA_PKCS1_2048_8192_SHA256;

    use super::*;

    #[test]
    fn tokens_verify_against_the_published_key() {
        let token = sign(&json!({ "sub": "00u1" }));
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let jwk = &jwks()["keys"][0];
        let decode = |field: &str| {
            URL_SAFE_NO_PAD
                .decode(jwk[field].as_str().unwrap())
                .unwrap()
        };
        let public = RsaPublicKeyComponents {
            n: decode("n"),
            e: decode("e"),
        };
        public
            .verify(
                &RSA_PKCS1_2048_8192_SHA256,
                signing_input.as_bytes(),
                &URL_SAFE_NO_PAD.decode(signature).unwrap(),
            )
            .expect("signature verifies");
    }
}
