//! The one guard of the test-only endpoints (`/outbox`, `/outbox/latest`, `/outbox.html`, `/admin/*`): they answer
//! a caller on this machine that also names this machine in `Host` (and in `Origin`, when a browser sends one).
//! The peer address keeps other hosts out; the `Host` check keeps out a web page that a DNS-rebinding name points
//! at 127.0.0.1 (its requests carry the attacker's host name); the `Origin` check keeps out a page on another site
//! that posts to `http://127.0.0.1:…` directly. Everyone else gets a bare 404, as if the endpoints did not exist.

use axum::extract::connect_info::ConnectInfo;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Extractor that lets only a local caller through (see [`is_local_request`]); others get an empty 404.
/// Put it before any other extractor of a test-only handler.
pub struct LocalCaller;

impl<S: Send + Sync> FromRequestParts<S> for LocalCaller {
    type Rejection = StatusCode;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| *addr);
        if is_local_request(peer, &parts.headers) {
            Ok(LocalCaller)
        } else {
            Err(StatusCode::NOT_FOUND)
        }
    }
}

/// A loopback peer (unknown peer: refused), exactly one `Host` naming a loopback host, and no `Origin` other than a
/// loopback one.
pub fn is_local_request(peer: Option<SocketAddr>, headers: &HeaderMap) -> bool {
    let peer_ok = peer.is_some_and(|addr| addr.ip().to_canonical().is_loopback());
    let host_ok = single(headers, &header::HOST).is_some_and(is_loopback_host);
    let origin_ok = match headers.get_all(header::ORIGIN).iter().count() {
        0 => true,
        1 => single(headers, &header::ORIGIN).is_some_and(is_loopback_origin),
        _ => false,
    };
    peer_ok && host_ok && origin_ok
}

/// The value of a header sent exactly once, as text.
fn single<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(v), None) => v.to_str().ok(),
        _ => None,
    }
}

/// `localhost`, an address in 127.0.0.0/8 or `[::1]`, each with or without a port. Nothing else: no trailing dot,
/// no other name, no empty value.
pub fn is_loopback_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('[') {
        let Some((addr, after)) = rest.split_once(']') else { return false };
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(is_port);
        return port_ok && addr.parse::<Ipv6Addr>().is_ok_and(|a| IpAddr::V6(a).to_canonical().is_loopback());
    }
    let name = match host.rsplit_once(':') {
        Some((name, port)) if is_port(port) => name,
        Some(_) => return false,
        None => host,
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

fn is_port(p: &str) -> bool {
    !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok()
}

/// `http://` or `https://` and a loopback host (see [`is_loopback_host`]), nothing after it.
fn is_loopback_origin(origin: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else { return false };
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        && !authority.contains(['/', '@', '?', '#'])
        && is_loopback_host(authority)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn loopback_hosts() {
        for ok in ["localhost", "LocalHost:8080", "127.0.0.1", "127.0.0.1:3001", "127.9.8.7:1", "[::1]", "[::1]:3001"] {
            assert!(is_loopback_host(ok), "{ok}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:3001",
            "localhost.",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "127.0.0.1:",
            "127.0.0.1:99999",
            "127.0.0.1:80x",
            "10.0.0.1",
            "0.0.0.0:3001",
            "[::2]:3001",
            "[::1",
            "[::1]x",
            "::1",
            "127.1",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn needs_a_loopback_peer_host_and_origin() {
        let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:50000".parse().unwrap();
        let remote: SocketAddr = "192.0.2.7:50000".parse().unwrap();
        let good = headers(&[("host", "127.0.0.1:3001")]);
        assert!(is_local_request(Some(local), &good));
        assert!(is_local_request(Some(mapped), &good));
        // No connection info is not a loopback peer.
        assert!(!is_local_request(None, &good));
        assert!(!is_local_request(Some(remote), &good));
        // Host: missing, foreign, or sent twice.
        assert!(!is_local_request(Some(local), &headers(&[])));
        assert!(!is_local_request(Some(local), &headers(&[("host", "rebound.evil.example:3001")])));
        assert!(!is_local_request(Some(local), &headers(&[("host", "localhost"), ("host", "evil.example")])));
        // Origin: a loopback one is fine, any other (or "null") is a page elsewhere.
        assert!(is_local_request(
            Some(local),
            &headers(&[("host", "localhost:3001"), ("origin", "http://localhost:3001")])
        ));
        for origin in ["https://evil.example", "null", "http://127.0.0.1.evil.example", "http://localhost:3001/x"] {
            assert!(
                !is_local_request(Some(local), &headers(&[("host", "localhost:3001"), ("origin", origin)])),
                "{origin}"
            );
        }
    }
}
