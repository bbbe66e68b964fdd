//! Hands a signed-in session to the default browser without putting the one-time session
//! token on a command line.
//!
//! Opening `{org}/login/sessionCookieRedirect?token=…` directly would pass the token to
//! `xdg-open`/`open`/the browser as an argument, which any local user can read (Linux
//! `/proc/<pid>/cmdline`, macOS `ps`) and redeem first for the whole Okta session. Instead the
//! URL goes into a small page in a directory only this user can enter (0700), in a file only
//! this user can read (0600); the browser is handed the page's path, which carries no secret,
//! and the page forwards it to Okta. The page is deleted once the browser has had time to
//! read it ([`PAGE_LIFETIME`]), and leftovers of a run that ended early are swept on the next.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use oktadesk_core::Secret;
use url::Url;

/// Long enough for a browser that is not running yet to start and read the page; the token
/// inside is single-use and short-lived anyway.
pub const PAGE_LIFETIME: Duration = Duration::from_secs(60);

const PAGE_PREFIX: &str = "oktadesk-sign-in-";
const PAGE_SUFFIX: &str = ".html";

/// Where hand-off pages are written, and for how long they live.
#[derive(Debug, Clone)]
pub struct HandoffPages {
    dir: PathBuf,
    lifetime: Duration,
}

impl HandoffPages {
    /// Pages in `dir`, which is created (or tightened) to be this user's alone.
    pub fn new(dir: PathBuf, lifetime: Duration) -> Self {
        Self { dir, lifetime }
    }

    /// Writes the page that forwards the browser to `session_url` and returns its `file://`
    /// address, which is safe to put on a command line. The page is removed after the
    /// lifetime by a background task; call from within the async runtime.
    pub fn write(&self, session_url: &Secret) -> std::io::Result<Url> {
        private_dir(&self.dir)?;
        self.sweep();
        // tempfile creates the file new (never through an existing name or link) with a
        // random name, and 0600 on Unix.
        let mut file = tempfile::Builder::new()
            .prefix(PAGE_PREFIX)
            .suffix(PAGE_SUFFIX)
            .tempfile_in(&self.dir)?;
        file.write_all(page(session_url).expose().as_bytes())?;
        file.as_file().sync_all()?;
        // Kept past this function, removed by the timer below (or the next run's sweep).
        let (_, path) = file.keep().map_err(|error| error.error)?;
        let page_url = Url::from_file_path(&path).map_err(|()| {
            std::io::Error::other(format!("{} is not an absolute path", path.display()))
        })?;
        let lifetime = self.lifetime;
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(lifetime).await;
            remove_quietly(&path);
        });
        Ok(page_url)
    }

    /// Removes pages older than the lifetime: those of a run that quit before its timer.
    pub fn sweep(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if !name.starts_with(PAGE_PREFIX) || !name.ends_with(PAGE_SUFFIX) {
                continue;
            }
            let age = entry
                .metadata()
                .and_then(|meta| meta.modified())
                .ok()
                .and_then(|modified| now.duration_since(modified).ok());
            if age.is_some_and(|age| age >= self.lifetime) {
                remove_quietly(&entry.path());
            }
        }
    }
}

/// The page: an immediate refresh to Okta (no script needed), a link if refresh is off, and
/// no referrer so the token never leaves in a header. Built as a [`Secret`] because it holds
/// the token.
fn page(session_url: &Secret) -> Secret {
    let href = escape_attribute(session_url.expose());
    Secret::new(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <meta http-equiv=\"refresh\" content=\"0;url={href}\">\
         <title>Signing in to Okta…</title></head>\
         <body><p>Signing you in to Okta… If nothing happens, \
         <a href=\"{href}\" rel=\"noreferrer\">continue to your dashboard</a>.</p>\
         </body></html>\n"
    ))
}

fn escape_attribute(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

fn remove_quietly(path: &Path) {
    if let Err(error) = std::fs::remove_file(path)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(%error, path = %path.display(), "could not remove a sign-in hand-off page");
    }
}

/// Creates `dir` for this user alone, or makes an existing one so. Refuses a symbolic link
/// or a directory another user owns: the page must not land where someone else can read it.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let meta = std::fs::symlink_metadata(dir)?;
        // SAFETY: getuid has no preconditions and cannot fail.
        let me = unsafe { libc::getuid() };
        if !meta.is_dir() || meta.uid() != me {
            return Err(std::io::Error::other(format!(
                "{} is not a folder of this user's",
                dir.display()
            )));
        }
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        // Under the user's own local app data (Windows), which other users cannot read.
        std::fs::create_dir_all(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "20111HandoffTokenMarker";

    fn session_url() -> Secret {
        Secret::new(format!(
            "https://acme.okta.com/login/sessionCookieRedirect?token={TOKEN}&redirectUrl=https%3A%2F%2Facme.okta.com%2Fapp%2FUserHome"
        ))
    }

    fn pages(lifetime: Duration) -> (tempfile::TempDir, HandoffPages) {
        let root = tempfile::tempdir().unwrap();
        let pages = HandoffPages::new(root.path().join("handoff"), lifetime);
        (root, pages)
    }

    #[test]
    fn the_browser_is_handed_a_private_page_not_the_token() {
        let (_root, pages) = pages(PAGE_LIFETIME);
        let page_url =
            tauri::async_runtime::block_on(async { pages.write(&session_url()) }).unwrap();
        assert_eq!(page_url.scheme(), "file");
        assert!(!page_url.as_str().contains(TOKEN), "{page_url}");

        let path = page_url.to_file_path().unwrap();
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(
            html.contains(&format!(
                "url=https://acme.okta.com/login/sessionCookieRedirect?token={TOKEN}&amp;redirectUrl="
            )),
            "{html}"
        );
        assert!(html.contains("no-referrer"), "{html}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
    }

    #[test]
    fn the_page_is_gone_after_its_lifetime() {
        let (_root, pages) = pages(Duration::from_millis(50));
        let path = tauri::async_runtime::block_on(async {
            let path = pages.write(&session_url()).unwrap().to_file_path().unwrap();
            assert!(path.exists());
            tokio::time::sleep(Duration::from_millis(50)).await;
            path
        });
        // The timer runs on the shared runtime; give it a moment past the lifetime.
        let gone = (0..200).any(|_| {
            std::thread::sleep(Duration::from_millis(10));
            !path.exists()
        });
        assert!(gone, "{} is still there", path.display());
    }

    #[test]
    fn pages_left_by_an_earlier_run_are_swept_and_nothing_else() {
        let (_root, pages) = pages(Duration::ZERO);
        private_dir(&pages.dir).unwrap();
        let stale = pages.dir.join(format!("{PAGE_PREFIX}old{PAGE_SUFFIX}"));
        let other = pages.dir.join("notes.txt");
        std::fs::write(&stale, "x").unwrap();
        std::fs::write(&other, "x").unwrap();
        pages.sweep();
        assert!(!stale.exists());
        assert!(other.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_others_can_enter_is_made_private_first() {
        use std::os::unix::fs::PermissionsExt;
        let (_root, pages) = pages(PAGE_LIFETIME);
        std::fs::create_dir_all(&pages.dir).unwrap();
        std::fs::set_permissions(&pages.dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&pages.dir).unwrap();
        let mode = std::fs::metadata(&pages.dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_in_place_of_the_folder_is_refused() {
        let (root, pages) = pages(PAGE_LIFETIME);
        let elsewhere = root.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &pages.dir).unwrap();
        assert!(private_dir(&pages.dir).is_err());
    }
}
