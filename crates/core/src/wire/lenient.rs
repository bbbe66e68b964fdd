//! Reading what Okta sends where its answers disagree with each other: its recordings carry
//! booleans and numbers as strings (`"true"`, `"30"`) and `null` where an object or list is
//! usual (`"factorsPolicyInfo": null` on a push challenge). A value we cannot read as what
//! the field means is treated as absent, never as a broken answer: the sign-in still has a
//! way forward without it.

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    Bool(bool),
    Number(serde_json::Number),
    Text(String),
    Other(serde::de::IgnoredAny),
}

/// A boolean, or its text (`"true"`, `"false"`); anything else is absent.
pub(crate) fn bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Option::<Loose>::deserialize(deserializer)? {
        Some(Loose::Bool(value)) => Some(value),
        Some(Loose::Text(text)) => text.trim().to_ascii_lowercase().parse().ok(),
        _ => None,
    })
}

/// A whole number, or its text (`"30"`); anything else is absent.
pub(crate) fn number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    Ok(match Option::<Loose>::deserialize(deserializer)? {
        Some(Loose::Number(number)) => number.as_u64().and_then(|n| T::try_from(n).ok()),
        Some(Loose::Text(text)) => text
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|n| T::try_from(n).ok()),
        _ => None,
    })
}

/// A map or list that Okta may send as `null`: empty then.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Sample {
        #[serde(default, deserialize_with = "super::bool")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "super::number")]
        count: Option<u32>,
        #[serde(default, deserialize_with = "super::null_as_default")]
        map: std::collections::HashMap<String, u8>,
    }

    #[test]
    fn string_booleans_string_numbers_and_nulls_are_read() {
        let cases = [
            (
                r#"{"flag":true,"count":5,"map":{"a":1}}"#,
                Some(true),
                Some(5),
                1,
            ),
            (
                r#"{"flag":"false","count":"30","map":null}"#,
                Some(false),
                Some(30),
                0,
            ),
            (r#"{"flag":null,"count":null}"#, None, None, 0),
            (r#"{"flag":"maybe","count":-1,"map":{}}"#, None, None, 0),
            (r#"{"flag":{},"count":[1]}"#, None, None, 0),
        ];
        for (json, flag, count, entries) in cases {
            let sample: Sample = serde_json::from_str(json).unwrap();
            let read = (sample.flag, sample.count, sample.map.len());
            assert_eq!(read, (flag, count, entries), "{json}");
        }
    }
}
