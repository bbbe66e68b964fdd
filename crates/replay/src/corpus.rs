//! The recorded-shape corpus: `recorded/<engine>/<name>.json`, one answer each.
//!
//! A fixture is our own text in the shape of one answer Okta recorded: the same fields,
//! types (string booleans included), nesting, names, i18n keys and `relatesTo` paths, with
//! placeholder values. Its wrapper says which recording it follows and how it was answered:
//!
//! ```json
//! { "recording": "okta/okta-signin-widget playground/mocks/data/idp/idx/identify-unknown-user.json",
//!   "status": 400,
//!   "headers": { "x-rate-limit-reset": "{{now+2}}" },
//!   "body": { "version": "1.0.0", ... } }
//! ```
//!
//! `status` defaults to 200 and `headers` to none; the content type is IDX's for `idx/`
//! fixtures and JSON's otherwise unless `headers` says. In every string of `body` and
//! `headers`, `{{origin}}` stands for the replay server's origin (Okta's `href`s are
//! absolute), and in headers `{{now+N}}` for the Unix time N seconds from the answer.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// IDX's media type, as Okta answers with it.
pub const ION_JSON: &str = "application/ion+json; okta-version=1.0.0";

/// One fixture of the corpus.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// `idx/identify-unknown-user`: its path below `recorded/`, without `.json`.
    pub name: String,
    /// The recording it follows: repository and path.
    pub recording: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

/// The folder the corpus lives in: beside the test being run (cargo sets
/// `CARGO_MANIFEST_DIR` when it runs one), since worktrees that share one target directory
/// share this crate's build too, and the path compiled in may be another worktree's.
pub fn root() -> PathBuf {
    let beside_the_test = std::env::var_os("CARGO_MANIFEST_DIR").and_then(|dir| {
        Path::new(&dir)
            .ancestors()
            .flat_map(|up| [up.join("recorded"), up.join("crates/replay/recorded")])
            .find(|candidate| candidate.join("idx").is_dir())
    });
    beside_the_test.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("recorded"))
}

/// The fixture `name` (`idx/identify-unknown-user`). Panics with what is wrong: a test that
/// names a fixture that is missing or malformed cannot go on.
pub fn load(name: &str) -> Fixture {
    let path = root().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("fixture {}: {error}", path.display()));
    parse(name, &text).unwrap_or_else(|problem| panic!("fixture {}: {problem}", path.display()))
}

/// Every fixture below `recorded/<folder>` (`idx`, `authn`), sorted by name.
pub fn all(folder: &str) -> Vec<Fixture> {
    let dir = root().join(folder);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("corpus {}: {error}", dir.display()))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            Some(format!("{folder}/{}", name.strip_suffix(".json")?))
        })
        .collect();
    names.sort();
    names.iter().map(|name| load(name)).collect()
}

fn parse(name: &str, text: &str) -> Result<Fixture, String> {
    let mut wrapper: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    let recording = wrapper
        .get("recording")
        .and_then(Value::as_str)
        .filter(|r| !r.trim().is_empty())
        .ok_or("no \"recording\": name the recording this fixture follows")?
        .to_owned();
    let status = match wrapper.get("status") {
        None => 200,
        Some(status) => status
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .ok_or("\"status\" is not an HTTP status")?,
    };
    let mut headers: Vec<(String, String)> = match wrapper.get("headers") {
        None => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(key, value)| match value {
                Value::String(value) => Ok((key.to_ascii_lowercase(), value.clone())),
                _ => Err(format!("header {key} is not a string")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("\"headers\" is not an object".into()),
    };
    if !headers.iter().any(|(key, _)| key == "content-type") {
        let content_type = if name.starts_with("idx/") {
            ION_JSON
        } else {
            "application/json"
        };
        headers.push(("content-type".into(), content_type.into()));
    }
    let body = wrapper
        .get_mut("body")
        .map(Value::take)
        .ok_or("no \"body\"")?;
    Ok(Fixture {
        name: name.to_owned(),
        recording,
        status,
        headers,
        body,
    })
}

/// `value` with `{{origin}}` replaced in every string.
pub fn with_origin(value: &Value, origin: &str) -> Value {
    match value {
        Value::String(text) => Value::String(text.replace("{{origin}}", origin)),
        Value::Array(items) => Value::Array(items.iter().map(|v| with_origin(v, origin)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, v)| (key.clone(), with_origin(v, origin)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixture_names_its_recording_and_defaults_the_rest() {
        let fixture = parse(
            "idx/x",
            r#"{"recording":"okta/okta-signin-widget a.json","body":{"version":"1.0.0"}}"#,
        )
        .unwrap();
        assert_eq!(fixture.status, 200);
        assert_eq!(fixture.headers, [("content-type".into(), ION_JSON.into())]);
        assert!(
            parse("idx/x", r#"{"body":{}}"#)
                .unwrap_err()
                .contains("recording")
        );
    }

    #[test]
    fn the_origin_goes_into_every_string() {
        let value =
            serde_json::json!({"href": "{{origin}}/idp/idx/identify", "n": [{"h": "{{origin}}"}]});
        let replaced = with_origin(&value, "http://127.0.0.1:9");
        assert_eq!(replaced["href"], "http://127.0.0.1:9/idp/idx/identify");
        assert_eq!(replaced["n"][0]["h"], "http://127.0.0.1:9");
    }

    #[test]
    fn every_fixture_in_the_corpus_loads() {
        for folder in ["idx", "authn"] {
            for fixture in all(folder) {
                assert!(
                    fixture.body.is_object(),
                    "{}: body is not an object",
                    fixture.name
                );
            }
        }
    }
}
