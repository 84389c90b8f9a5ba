//! Where a request carries its session token: `Authorization: Bearer <token>`, which wins, or
//! the `__session` cookie that Clerk's frontend SDKs set for same-origin requests.

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE};

/// The cookie Clerk's frontend SDKs keep the session token in.
pub const SESSION_COOKIE: &str = "__session";

/// Where a request carried its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Carrier {
    /// `Authorization: Bearer <token>`: every kind of token.
    Header,
    /// The `__session` cookie: session tokens only.
    Cookie,
}

/// The token of a request and where it was: the bearer token of the first `Authorization`
/// header if it is a bearer one, otherwise the first non-empty `__session` cookie of the
/// `Cookie` headers.
pub(crate) fn find(headers: &HeaderMap) -> Option<(&str, Carrier)> {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(bearer_token);
    if let Some(token) = bearer {
        return Some((token, Carrier::Header));
    }
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(session_cookie)
        .map(|token| (token, Carrier::Cookie))
}

/// The token of `Bearer <token>` (the scheme's case does not matter), if it has one.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The value of the `__session` pair of one `Cookie` header, without quotes, if not empty.
fn session_cookie(header: &str) -> Option<&str> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|value| value.strip_suffix('"'))
            .unwrap_or(value);
        (name.trim() == SESSION_COOKIE && !value.is_empty()).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(http::header::HeaderName, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(name, HeaderValue::from_str(value).expect("a header value"));
        }
        headers
    }

    #[test]
    fn the_bearer_header_wins_over_the_cookie() {
        let both = headers(&[(AUTHORIZATION, "Bearer a.b.c"), (COOKIE, "__session=d.e.f")]);
        assert_eq!(find(&both), Some(("a.b.c", Carrier::Header)));
        assert_eq!(
            find(&headers(&[(AUTHORIZATION, "bearer   a.b.c ")])),
            Some(("a.b.c", Carrier::Header))
        );
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let cookies = headers(&[(COOKIE, "theme=dark"), (COOKIE, "a=1; __session=\"d.e.f\"; b=2")]);
        assert_eq!(find(&cookies), Some(("d.e.f", Carrier::Cookie)));
        // Another scheme in `Authorization` leaves the cookie to be used.
        let basic = headers(&[(AUTHORIZATION, "Basic dXNlcjpwYXNz"), (COOKIE, "__session=d.e.f")]);
        assert_eq!(find(&basic), Some(("d.e.f", Carrier::Cookie)));
    }

    #[test]
    fn no_token_is_none() {
        assert_eq!(find(&HeaderMap::new()), None);
        let empty = headers(&[(AUTHORIZATION, "Bearer "), (COOKIE, "__session=; __sessionx=a.b.c")]);
        assert_eq!(find(&empty), None);
    }
}
