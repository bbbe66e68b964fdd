//! Two answers compared by shape: the same keys, the same JSON types, the same nesting;
//! values are not compared. Used to hold the demo org to the recorded-shape corpus.

use serde_json::Value;

/// Where two answers' shapes part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The recording has this key; ours does not.
    Missing(String),
    /// Ours has a key the recording does not: a name Okta does not send.
    Invented(String),
    /// Both have it, as different JSON types (`"false"` and `false` differ).
    Type {
        path: String,
        recorded: &'static str,
        ours: &'static str,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing(path) => write!(f, "{path}: in the recording, not in ours"),
            Self::Invented(path) => write!(f, "{path}: ours only (Okta does not send it)"),
            Self::Type {
                path,
                recorded,
                ours,
            } => write!(f, "{path}: a {recorded} in the recording, a {ours} in ours"),
        }
    }
}

/// Every place where `ours` differs in shape from `recorded`.
///
/// Lists are compared element by element against the recorded element of the same `name`
/// (forms, fields), or else the one at the same place, or else the recording's first: a list
/// that holds fewer elements than the recording is not a difference (an org offers what its
/// policies allow), an element of a kind the recording never has is.
pub fn differences(recorded: &Value, ours: &Value) -> Vec<Difference> {
    let mut found = Vec::new();
    compare(recorded, ours, "$", &mut found);
    found
}

fn compare(recorded: &Value, ours: &Value, path: &str, found: &mut Vec<Difference>) {
    match (recorded, ours) {
        (Value::Object(recorded), Value::Object(ours)) => {
            for key in recorded.keys().filter(|key| !ours.contains_key(*key)) {
                found.push(Difference::Missing(format!("{path}.{key}")));
            }
            for (key, value) in ours {
                let at = format!("{path}.{key}");
                match recorded.get(key) {
                    Some(expected) => compare(expected, value, &at, found),
                    None => found.push(Difference::Invented(at)),
                }
            }
        }
        (Value::Array(recorded), Value::Array(ours)) => {
            if recorded.is_empty() {
                return;
            }
            for (index, element) in ours.iter().enumerate() {
                let name = element.get("name").and_then(Value::as_str);
                let named = name.and_then(|name| {
                    recorded
                        .iter()
                        .find(|r| r.get("name").and_then(Value::as_str) == Some(name))
                });
                let at = match name {
                    Some(name) => format!("{path}[name={name}]"),
                    None => format!("{path}[{index}]"),
                };
                match (named, name) {
                    (Some(counterpart), _) => compare(counterpart, element, &at, found),
                    // A named element (a form, a field) whose name the recording lacks.
                    (None, Some(name)) if recorded.iter().all(|r| r.get("name").is_some()) => {
                        found.push(Difference::Invented(format!("{path}[name={name}]")));
                    }
                    // Unnamed (an option, an authenticator): the recorded element it is most
                    // like, so one with a method list is held to the recording's with one.
                    _ => found.extend(closest(recorded, element, &at)),
                }
            }
        }
        (recorded, ours) if kind(recorded) != kind(ours) => found.push(Difference::Type {
            path: path.to_owned(),
            recorded: kind(recorded),
            ours: kind(ours),
        }),
        _ => {}
    }
}

/// The differences from the recorded element `ours` differs least from.
fn closest(recorded: &[Value], ours: &Value, path: &str) -> Vec<Difference> {
    recorded
        .iter()
        .map(|counterpart| {
            let mut found = Vec::new();
            compare(counterpart, ours, path, &mut found);
            found
        })
        .min_by_key(Vec::len)
        .unwrap_or_default()
}

/// [`differences`] less those at a path `known` lists: what a test knowingly accepts (a
/// key the demo org leaves out, one Okta sends in other answers). A pattern is a path as
/// [`Difference`] prints it, where `[*]` stands for any index or name and a pattern also
/// covers everything below it. A different JSON type is never accepted.
pub fn differences_except(recorded: &Value, ours: &Value, known: &[&str]) -> Vec<Difference> {
    differences(recorded, ours)
        .into_iter()
        .filter(|difference| match difference {
            Difference::Missing(path) | Difference::Invented(path) => {
                !known.iter().any(|pattern| covers(pattern, path))
            }
            Difference::Type { .. } => true,
        })
        .collect()
}

/// Whether `pattern` is `path` or above it, `[*]` matching any one index or name.
fn covers(pattern: &str, path: &str) -> bool {
    let mut rest = path;
    let mut parts = pattern.split("[*]").peekable();
    while let Some(part) = parts.next() {
        let Some(after) = rest.strip_prefix(part) else {
            return false;
        };
        rest = after;
        if parts.peek().is_some() {
            let Some(close) = rest.strip_prefix('[').and_then(|r| r.find(']')) else {
                return false;
            };
            rest = &rest[close + 2..];
        }
    }
    rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn known_differences_are_matched_by_pattern() {
        assert!(covers("$.authentication", "$.authentication"));
        assert!(covers("$.authentication", "$.authentication.value.issuer"));
        assert!(!covers("$.authentication", "$.authenticationX"));
        assert!(covers(
            "$.authenticatorEnrollments.value[*].profile",
            "$.authenticatorEnrollments.value[3].profile"
        ));
        assert!(covers("$.a[*].b", "$.a[name=identify].b.c"));
        assert!(!covers("$.a[*].b", "$.a[1].c"));
        let recorded = json!({"user": {"id": "x"}, "n": 1});
        let ours = json!({"user": {"id": "y", "profile": {}}, "n": "1"});
        assert_eq!(
            differences_except(&recorded, &ours, &["$.user.profile"]),
            [Difference::Type {
                path: "$.n".into(),
                recorded: "number",
                ours: "string"
            }]
        );
    }

    #[test]
    fn an_unnamed_element_is_held_to_the_recorded_one_it_is_most_like() {
        let recorded = json!({"options": [
            {"label": "a", "value": {"methodType": {"options": []}}},
            {"label": "b", "value": {"methodType": {"value": "push"}}}
        ]});
        let ours = json!({"options": [{"label": "c", "value": {"methodType": {"value": "sms"}}}]});
        assert_eq!(differences(&recorded, &ours), []);
    }

    #[test]
    fn keys_types_and_names_are_compared_not_values() {
        let recorded = json!({"remediation": {"value": [
            {"name": "identify", "value": [{"name": "identifier", "required": "false"}]},
            {"name": "select-enroll-profile", "value": []}
        ]}});
        let same = json!({"remediation": {"value": [
            {"name": "identify", "value": [{"name": "identifier", "required": "true"}]}
        ]}});
        assert_eq!(differences(&recorded, &same), []);
        let ours = json!({"remediation": {"value": [
            {"name": "identify", "value": [{"name": "identifier", "required": false}]},
            {"name": "resend-push", "value": []}
        ]}, "extra": 1});
        let found: Vec<String> = differences(&recorded, &ours)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "$.extra: ours only (Okta does not send it)",
                "$.remediation.value[name=identify].value[name=identifier].required: a string in the recording, a boolean in ours",
                "$.remediation.value[name=resend-push]: ours only (Okta does not send it)",
            ]
        );
    }
}
