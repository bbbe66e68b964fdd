//! A throwaway home and XDG directories, so programs under test never read or write the
//! user's own keyring, settings or caches.

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::error::Result;

/// A home, data, config, cache and runtime directory below one temporary directory, all
/// private to the user (gnome-keyring refuses a runtime directory others can read), removed
/// on drop.
#[derive(Debug)]
pub struct PrivateDirs {
    dir: TempDir,
}

const HOME: &str = "home";
const DATA: &str = "data";
const CONFIG: &str = "config";
const CACHE: &str = "cache";
const RUNTIME: &str = "runtime";

impl PrivateDirs {
    /// Creates them in the system's temporary directory, named after `prefix`.
    pub fn create(prefix: &str) -> Result<Self> {
        Self::from_dir(tempfile::Builder::new().prefix(prefix).tempdir()?)
    }

    /// Creates them below `parent`, named after `prefix`.
    pub fn create_in(parent: &Path, prefix: &str) -> Result<Self> {
        fs::create_dir_all(parent)?;
        Self::from_dir(tempfile::Builder::new().prefix(prefix).tempdir_in(parent)?)
    }

    fn from_dir(dir: TempDir) -> Result<Self> {
        for name in [HOME, DATA, CONFIG, CACHE, RUNTIME] {
            let path = dir.path().join(name);
            fs::create_dir(&path)?;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o700))?;
        }
        Ok(Self { dir })
    }

    /// The directory the others are in, for logs that should go with them.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join(HOME)
    }

    pub fn data_home(&self) -> PathBuf {
        self.dir.path().join(DATA)
    }

    pub fn config_home(&self) -> PathBuf {
        self.dir.path().join(CONFIG)
    }

    pub fn cache_home(&self) -> PathBuf {
        self.dir.path().join(CACHE)
    }

    pub fn runtime_dir(&self) -> PathBuf {
        self.dir.path().join(RUNTIME)
    }

    /// `XDG_RUNTIME_DIR`, `XDG_DATA_HOME`, `XDG_CONFIG_HOME` and `XDG_CACHE_HOME` pointing
    /// here. `HOME` is left to the caller: what a program finds there is part of what some
    /// callers measure.
    pub fn xdg_env_vars(&self) -> Vec<(OsString, OsString)> {
        vec![
            ("XDG_RUNTIME_DIR".into(), self.runtime_dir().into()),
            ("XDG_DATA_HOME".into(), self.data_home().into()),
            ("XDG_CONFIG_HOME".into(), self.config_home().into()),
            ("XDG_CACHE_HOME".into(), self.cache_home().into()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_directory_is_private_and_goes_on_drop() {
        let parent = tempfile::tempdir().unwrap();
        let dirs = PrivateDirs::create_in(&parent.path().join("new"), "dirs-").unwrap();
        let root = dirs.root().to_path_buf();
        for path in [
            dirs.home(),
            dirs.data_home(),
            dirs.config_home(),
            dirs.cache_home(),
            dirs.runtime_dir(),
        ] {
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "{}", path.display());
        }
        let vars = dirs.xdg_env_vars();
        assert!(
            vars.iter()
                .all(|(_, value)| Path::new(value).starts_with(&root))
        );
        drop(dirs);
        assert!(!root.exists());
    }
}
