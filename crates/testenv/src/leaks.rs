//! Scanning everything a program wrote for secrets it must never write.

/// What a program wrote (logs, output, files, stored items), each piece labelled for the
/// failure message.
#[derive(Debug, Default)]
pub struct LeakScan {
    written: Vec<(String, String)>,
}

impl LeakScan {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, what: impl Into<String>, text: impl Into<String>) {
        self.written.push((what.into(), text.into()));
    }

    /// Panics at the first piece holding one of `canaries` (each a recognisable secret and
    /// what to call it), quoting the line it sits on.
    pub fn assert_clean(&self, canaries: &[(&str, &str)]) {
        for (what, text) in &self.written {
            for (canary, name) in canaries {
                if let Some(line) = text.lines().find(|line| line.contains(canary)) {
                    let line: String = line.chars().take(400).collect();
                    panic!("{name} leaked into {what}:\n{line}");
                }
            }
        }
    }
}

/// `keychain` (account records as stored or as `secret-tool` prints them) with the value of
/// each `"device_cookie"` blanked, and how many there were. Okta's device cookie is the one
/// token an account record is meant to keep (it carries the demo org's token marker like
/// every token the org issues), so a scan of the keychain looks past it and no further.
pub fn without_device_cookies(keychain: &str) -> (String, usize) {
    const FIELD: &str = "\"device_cookie\":\"";
    let mut kept = String::with_capacity(keychain.len());
    let mut rest = keychain;
    let mut found = 0;
    while let Some(start) = rest.find(FIELD) {
        let value = start + FIELD.len();
        kept.push_str(&rest[..value]);
        let end = rest[value..]
            .find('"')
            .map_or(rest.len(), |len| value + len);
        kept.push_str("[device cookie]");
        rest = &rest[end..];
        found += 1;
    }
    kept.push_str(rest);
    (kept, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_device_cookie_value_is_blanked() {
        let (kept, found) = without_device_cookies(
            r#"{"username":"a","device_cookie":"DTmarker1"} {"device_cookie":"DTmarker2","x":"marker"}"#,
        );
        assert_eq!(found, 2);
        assert_eq!(
            kept,
            r#"{"username":"a","device_cookie":"[device cookie]"} {"device_cookie":"[device cookie]","x":"marker"}"#
        );
    }

    #[test]
    fn names_the_piece_and_the_secret() {
        let mut scan = LeakScan::new();
        scan.add("stdout", "all fine");
        scan.add(
            "the log",
            "first line\nsent hunter2 to the server\nlast line",
        );
        let panic = std::panic::catch_unwind(|| scan.assert_clean(&[("hunter2", "the password")]))
            .unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        assert_eq!(
            message,
            "the password leaked into the log:\nsent hunter2 to the server"
        );
        scan.assert_clean(&[("swordfish", "the password")]);
    }
}
