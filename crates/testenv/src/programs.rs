//! Locating the system programs the services are made of, with an install hint when absent.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Result, TestEnvError};

/// Debian's interpreter, on purpose: `python3` on `PATH` may be a pyenv or venv build that
/// cannot import the distribution's `python3-dbusmock`.
pub const SYSTEM_PYTHON: &str = "/usr/bin/python3";

/// A system program and the Debian package that provides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program {
    pub name: &'static str,
    pub package: &'static str,
}

pub const DBUS_DAEMON: Program = Program {
    name: "dbus-daemon",
    package: "dbus-daemon",
};
pub const GDBUS: Program = Program {
    name: "gdbus",
    package: "libglib2.0-bin",
};
pub const GNOME_KEYRING_DAEMON: Program = Program {
    name: "gnome-keyring-daemon",
    package: "gnome-keyring",
};
pub const SECRET_TOOL: Program = Program {
    name: "secret-tool",
    package: "libsecret-tools",
};
pub const XVFB: Program = Program {
    name: "Xvfb",
    package: "xvfb",
};

/// Finds `program` on `PATH` the way a shell would; absolute or relative paths with a
/// separator are checked as they are.
pub fn which(program: &str) -> Option<PathBuf> {
    let candidate = Path::new(program);
    if candidate.components().count() > 1 {
        return is_executable(candidate).then(|| candidate.to_path_buf());
    }
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|full| is_executable(full))
}

/// Like [`which`], but a missing program is an error that names the package to install.
pub fn require(program: Program) -> Result<PathBuf> {
    which(program.name).ok_or_else(|| TestEnvError::MissingProgram {
        program: program.name.to_owned(),
        package: program.package,
    })
}

/// Checks that Debian's python can run `python3 -m dbusmock`.
pub fn require_dbusmock() -> Result<PathBuf> {
    let python = which(SYSTEM_PYTHON).ok_or_else(|| TestEnvError::MissingProgram {
        program: SYSTEM_PYTHON.to_owned(),
        package: "python3-dbusmock",
    })?;
    let importable = Command::new(&python)
        .args(["-c", "import dbusmock, dbus"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|status| status.success())
        .unwrap_or(false);
    if importable {
        Ok(python)
    } else {
        Err(TestEnvError::MissingProgram {
            program: format!("{SYSTEM_PYTHON} -m dbusmock"),
            package: "python3-dbusmock",
        })
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_program_every_system_has() {
        let sh = which("sh").expect("sh is on PATH");
        assert!(sh.is_absolute());
    }

    #[test]
    fn absolute_paths_are_checked_directly() {
        assert_eq!(which("/bin/sh"), Some(PathBuf::from("/bin/sh")));
        assert_eq!(which("/nonexistent/oktadesk-program"), None);
    }

    #[test]
    fn a_missing_program_names_the_package_to_install() {
        let error = require(Program {
            name: "oktadesk-no-such-program",
            package: "oktadesk-imaginary-package",
        })
        .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("oktadesk-no-such-program"), "{message}");
        assert!(
            message.contains("apt-get install oktadesk-imaginary-package"),
            "{message}"
        );
    }
}
