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

#[cfg(test)]
mod tests {
    use super::*;

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
