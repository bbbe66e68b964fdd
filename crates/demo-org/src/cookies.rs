//! Reading the cookies a request carries (the `DT` device cookie, the `sid` session), for
//! the Classic and the IDX routes alike.

/// The value of the cookie named `name` in a request's `Cookie` headers.
pub(crate) fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_read_among_others() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            axum::http::header::COOKIE,
            "JSESSIONID=x; DT=abc; sid=s".parse().unwrap(),
        );
        assert_eq!(cookie_value(&headers, "DT"), Some("abc"));
        assert_eq!(cookie_value(&headers, "sid"), Some("s"));
        assert_eq!(cookie_value(&headers, "none"), None);
    }
}
