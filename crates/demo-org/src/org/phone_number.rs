//! Phone numbers as Okta reads them, for SMS and voice factors on both engines.

/// A phone number as E.164 (`+14155550123`): `+` and 8 to 15 digits; spaces, dashes, dots
/// and brackets between them are dropped, as Okta does.
pub(crate) fn e164(typed: &str) -> Option<String> {
    let rest = typed.trim().strip_prefix('+')?;
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    (8..=15)
        .contains(&digits.len())
        .then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::e164;

    #[test]
    fn phone_numbers_are_read_as_okta_reads_them() {
        assert_eq!(e164("+1-555-415-1337").as_deref(), Some("+15554151337"));
        assert_eq!(e164("+1 (555) 415-1337").as_deref(), Some("+15554151337"));
        assert_eq!(
            e164(" +44 (20) 7946 0001 ").as_deref(),
            Some("+442079460001")
        );
        for refused in ["5554151337", "+1", "+1 555 CALL NOW", "+1234567890123456"] {
            assert_eq!(e164(refused), None, "{refused}");
        }
    }
}
