//! One sign-in's cookies: what the org sets, sent back on every later request of the same
//! sign-in, as a browser would. Okta ties a transaction's steps to cookies it sets (and
//! recognises a remembered device by its `DT` cookie), so an API client without a jar looks
//! like a new device at every sign-in.
//!
//! Every request of a sign-in goes to one origin (`Api::resolve` refuses others), so the jar
//! needs no domain matching: it keeps each cookie by name, honours `Path`, `Secure`,
//! `Max-Age` and `Expires`, and holds values as [`Secret`]s. Written here rather than taken
//! from `cookie_store`: that crate's store prints values in `Debug` and keeps them in plain
//! strings, and the one cookie kept across runs (`DT`) must be taken out by name for the
//! keychain. Parsing `Set-Cookie` is left to the `cookie` crate.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, SET_COOKIE};
use url::Url;
use zeroize::Zeroizing;

use crate::device_token::{DEVICE_COOKIE, DeviceToken};
use crate::secret::Secret;

/// Cookies kept per sign-in; Okta sets a handful.
const MAX_COOKIES: usize = 50;

struct StoredCookie {
    name: String,
    value: Secret,
    path: String,
    secure: bool,
    expires: Option<SystemTime>,
}

impl StoredCookie {
    fn applies_to(&self, url: &Url, now: SystemTime) -> bool {
        self.expires.is_none_or(|at| now < at)
            && (!self.secure || url.scheme() == "https")
            && path_matches(url.path(), &self.path)
    }
}

/// The cookies of one sign-in. Clones share the same jar.
#[derive(Clone, Default)]
pub(crate) struct CookieJar(Arc<Mutex<Vec<StoredCookie>>>);

impl CookieJar {
    /// A jar holding the device cookie an earlier sign-in from this computer was given.
    pub fn with_device_token(device: Option<&DeviceToken>) -> Self {
        let jar = Self::default();
        if let Some(device) = device {
            jar.lock().push(StoredCookie {
                name: DEVICE_COOKIE.to_owned(),
                value: Secret::new(device.expose()),
                path: "/".to_owned(),
                secure: false,
                expires: None,
            });
        }
        jar
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<StoredCookie>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The `Cookie` header for a request to `url`, if any cookie applies. The header value
    /// is marked sensitive so nothing that prints requests shows it.
    pub fn header_for(&self, url: &Url) -> Option<HeaderValue> {
        let now = SystemTime::now();
        let jar = self.lock();
        let mut line = Zeroizing::new(String::new());
        for cookie in jar.iter().filter(|cookie| cookie.applies_to(url, now)) {
            if !line.is_empty() {
                line.push_str("; ");
            }
            line.push_str(&cookie.name);
            line.push('=');
            line.push_str(cookie.value.expose());
        }
        if line.is_empty() {
            return None;
        }
        let mut value = HeaderValue::from_str(&line).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Keeps the cookies a response from `url` set; a cookie set to expire is removed.
    pub fn store_from(&self, url: &Url, headers: &HeaderMap) {
        let now = SystemTime::now();
        let mut jar = self.lock();
        for header in headers.get_all(SET_COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            let Ok(cookie) = cookie::Cookie::parse(text) else {
                continue;
            };
            let expires = expiry(&cookie, now);
            let path = cookie
                .path()
                .filter(|path| path.starts_with('/'))
                .map_or_else(|| default_path(url), str::to_owned);
            jar.retain(|stored| !(stored.name == cookie.name() && stored.path == path));
            if expires.is_some_and(|at| at <= now) || jar.len() >= MAX_COOKIES {
                continue;
            }
            jar.push(StoredCookie {
                name: cookie.name().to_owned(),
                value: Secret::new(cookie.value()),
                path,
                secure: cookie.secure().unwrap_or(false),
                expires,
            });
        }
    }

    /// The device cookie the org set (or kept) during this sign-in.
    pub fn device_token(&self) -> Option<DeviceToken> {
        let now = SystemTime::now();
        self.lock()
            .iter()
            .filter(|cookie| cookie.name == DEVICE_COOKIE)
            .filter(|cookie| cookie.expires.is_none_or(|at| now < at))
            .find_map(|cookie| DeviceToken::parse(cookie.value.expose()))
    }
}

/// The longest a cookie is kept: RFC 6265bis caps `Max-Age` and `Expires` at 400 days, far
/// beyond any cookie Okta sets. Without a cap, a `Max-Age` the `cookie` crate read as
/// `i64::MAX` seconds overflows `SystemTime` and panics the sign-in.
const MAX_COOKIE_LIFETIME: Duration = Duration::from_secs(400 * 24 * 60 * 60);

/// When a cookie expires: `Max-Age` wins over `Expires` (RFC 6265 §5.3); neither means at
/// the end of the sign-in, which is when the jar goes anyway. Never later than
/// [`MAX_COOKIE_LIFETIME`] from `now`.
fn expiry(cookie: &cookie::Cookie<'_>, now: SystemTime) -> Option<SystemTime> {
    let latest = now.checked_add(MAX_COOKIE_LIFETIME).unwrap_or(now);
    if let Some(max_age) = cookie.max_age() {
        let seconds = u64::try_from(max_age.whole_seconds()).unwrap_or(0);
        let lifetime = Duration::from_secs(seconds).min(MAX_COOKIE_LIFETIME);
        return Some(now.checked_add(lifetime).unwrap_or(latest));
    }
    cookie.expires_datetime().map(|at| {
        let since_epoch = Duration::from_secs(u64::try_from(at.unix_timestamp()).unwrap_or(0));
        SystemTime::UNIX_EPOCH
            .checked_add(since_epoch)
            .map_or(latest, |at| at.min(latest))
    })
}

/// RFC 6265 §5.1.4: the request path up to its last `/`.
fn default_path(url: &Url) -> String {
    match url.path().rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(last) => url.path()[..last].to_owned(),
    }
}

/// RFC 6265 §5.1.4: `/api` matches `/api` and `/api/v1`, not `/apiary`.
fn path_matches(request: &str, cookie: &str) -> bool {
    request == cookie
        || (request.starts_with(cookie)
            && (cookie.ends_with('/') || request[cookie.len()..].starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(cookies: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for cookie in cookies {
            headers.append(SET_COOKIE, cookie.parse().unwrap());
        }
        headers
    }

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn cookies_go_back_to_the_paths_they_were_set_for() {
        let jar = CookieJar::default();
        let authn = url("https://acme.okta.com/api/v1/authn");
        jar.store_from(
            &authn,
            &set(&[
                "DT=dev1; Path=/; Max-Age=3600; Secure; HttpOnly",
                "JSESSIONID=j1; Path=/api",
                "t=x; Path=/apiary",
            ]),
        );
        let header = jar
            .header_for(&url("https://acme.okta.com/api/v1/authn/factors"))
            .unwrap();
        assert!(header.is_sensitive());
        assert_eq!(header.to_str().unwrap(), "DT=dev1; JSESSIONID=j1");
        assert_eq!(
            jar.header_for(&url("https://acme.okta.com/login")).unwrap(),
            "DT=dev1"
        );
        assert_eq!(jar.device_token().unwrap().expose(), "dev1");
    }

    #[test]
    fn secure_cookies_stay_off_plain_http_and_expired_ones_are_dropped() {
        let jar = CookieJar::default();
        let plain = url("http://127.0.0.1:8080/api/v1/authn");
        jar.store_from(&plain, &set(&["s=1; Secure", "gone=1; Max-Age=0", "k=2"]));
        assert_eq!(jar.header_for(&plain).unwrap(), "k=2");
        jar.store_from(&plain, &set(&["k=2; Max-Age=0"]));
        assert!(
            jar.header_for(&plain).is_none(),
            "a cookie set to expire is removed"
        );
    }

    #[test]
    fn a_device_token_from_an_earlier_run_is_sent_and_replaced_by_a_new_one() {
        let earlier = DeviceToken::parse("old").unwrap();
        let jar = CookieJar::with_device_token(Some(&earlier));
        let authn = url("http://127.0.0.1:8080/api/v1/authn");
        assert_eq!(jar.header_for(&authn).unwrap(), "DT=old");
        jar.store_from(&authn, &set(&["DT=new; Path=/"]));
        assert_eq!(jar.header_for(&authn).unwrap(), "DT=new");
        assert_eq!(jar.device_token().unwrap().expose(), "new");
    }

    #[test]
    fn a_huge_max_age_or_expiry_is_kept_to_the_longest_lifetime() {
        let jar = CookieJar::default();
        let authn = url("https://acme.okta.com/api/v1/authn");
        // The cookie crate reads an overflowing Max-Age as i64::MAX seconds.
        jar.store_from(
            &authn,
            &set(&[
                "DT=dev1; Path=/; Max-Age=99999999999999999999999",
                "a=1; Path=/; Max-Age=9223372036854775807",
                "b=2; Path=/; Expires=Fri, 31 Dec 9999 23:59:59 GMT",
            ]),
        );
        assert_eq!(jar.header_for(&authn).unwrap(), "DT=dev1; a=1; b=2");
        let now = SystemTime::now();
        for cookie in jar.lock().iter() {
            let expires = cookie.expires.expect("a lifetime");
            assert!(expires <= now + MAX_COOKIE_LIFETIME + Duration::from_secs(5));
            assert!(expires > now + MAX_COOKIE_LIFETIME - Duration::from_secs(5));
        }
    }

    #[test]
    fn the_default_path_is_the_request_directory() {
        assert_eq!(default_path(&url("https://a.test/api/v1/authn")), "/api/v1");
        assert_eq!(default_path(&url("https://a.test/authn")), "/");
        assert!(path_matches("/api/v1", "/api"));
        assert!(!path_matches("/apiary", "/api"));
        assert!(path_matches("/anything", "/"));
    }
}
