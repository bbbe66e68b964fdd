//! Identifiers and tokens in the shapes Okta hands out, so clients that sniff prefixes or
//! lengths see familiar values.

use rand::Rng;
use rand::distr::Alphanumeric;

/// Okta object ids are 20 characters: a 3-character type prefix (`00u` user, `opf` push
/// factor, `ost` TOTP factor) and 17 random alphanumerics.
pub(crate) fn object_id(prefix: &str) -> String {
    let mut id = String::with_capacity(20);
    id.push_str(prefix);
    id.extend(random_alphanumeric(20usize.saturating_sub(prefix.len())));
    id
}

/// A bearer token: Okta's prefix (`00` state tokens, `20111` session tokens), then the
/// configured marker so leak-scanning tests can recognise every token this org issued.
pub(crate) fn token(prefix: &str, marker: &str, random_len: usize) -> String {
    let mut token = String::with_capacity(prefix.len() + marker.len() + random_len);
    token.push_str(prefix);
    token.push_str(marker);
    token.extend(random_alphanumeric(random_len));
    token
}

fn random_alphanumeric(len: usize) -> impl Iterator<Item = char> {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_twenty_characters() {
        let id = object_id("00u");
        assert_eq!(id.len(), 20);
        assert!(id.starts_with("00u"));
    }

    #[test]
    fn tokens_carry_the_marker() {
        let token = token("00", "canary", 10);
        assert!(token.starts_with("00canary"));
        assert_eq!(token.len(), 18);
    }
}
