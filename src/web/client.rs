//! Who is asking: the client's address, for sign-in throttling and the
//! session list. Behind a reverse proxy the TCP peer is the proxy, so the
//! proxy's `X-Forwarded-For` is read, but only from the proxies the
//! installation names (`SAPAR_TRUSTED_PROXIES`): anyone else could write the
//! header themselves.

use std::net::{IpAddr, SocketAddr};

use actix_web::HttpRequest;

use super::AppState;

/// The client's address as text: the TCP peer, or, when the peer is a
/// trusted proxy, the address the proxies forwarded.
pub fn client_address(req: &HttpRequest, state: &AppState) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .map(|value| value.to_str().unwrap_or("\u{0}"))
        .collect();
    client_ip(peer, &forwarded, &state.settings.trusted_proxies).to_string()
}

/// Walks `X-Forwarded-For` from the right (the entry the nearest proxy
/// added) past the trusted proxies; the first address that is not one is the
/// client. Each proxy appends, so entries further left are the client's own
/// word and are not needed. Anything unreadable on the way means the chain
/// cannot be followed, and the peer is what we know.
fn client_ip(peer: IpAddr, forwarded: &[&str], trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut nearest = peer;
    for entry in forwarded.iter().rev().flat_map(|v| v.rsplit(',')) {
        let Some(ip) = forwarded_ip(entry.trim()) else {
            return peer;
        };
        if !trusted.contains(&ip) {
            return ip;
        }
        nearest = ip;
    }
    nearest
}

/// One entry of `X-Forwarded-For`: an address, possibly with a port
/// (`203.0.113.7:5123`, `[2001:db8::1]:443`) as some proxies write it.
fn forwarded_ip(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|a| a.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    const PROXY: &str = "10.0.0.2";
    const INNER_PROXY: &str = "10.0.0.3";

    fn from(peer: &str, forwarded: &[&str]) -> IpAddr {
        client_ip(ip(peer), forwarded, &[ip(PROXY), ip(INNER_PROXY)])
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        assert_eq!(from("198.51.100.9", &["203.0.113.7"]), ip("198.51.100.9"));
        assert_eq!(
            client_ip(ip("10.0.0.2"), &["203.0.113.7"], &[]),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_address_from_the_right_wins() {
        assert_eq!(from(PROXY, &["203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(
            from(PROXY, &["1.1.1.1, 203.0.113.7, 10.0.0.3"]),
            ip("203.0.113.7")
        );
        assert_eq!(
            from(PROXY, &["1.1.1.1, 203.0.113.7", "10.0.0.3"]),
            ip("203.0.113.7")
        );
        assert_eq!(from(PROXY, &["203.0.113.7:5123"]), ip("203.0.113.7"));
        assert_eq!(from(PROXY, &["[2001:db8::1]:443"]), ip("2001:db8::1"));
        assert_eq!(from(PROXY, &["::ffff:203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(from("::ffff:10.0.0.2", &["203.0.113.7"]), ip("203.0.113.7"));
    }

    #[test]
    fn garbage_in_the_chain_falls_back_to_the_peer() {
        for garbage in [
            "unknown",
            "203.0.113.7;rm",
            "203.0.113.7,,10.0.0.3",
            "evil.example",
            "",
            "\u{0}",
        ] {
            assert_eq!(from(PROXY, &[garbage]), ip(PROXY), "{garbage:?}");
        }
        // Garbage left of the first untrusted address is never read.
        assert_eq!(from(PROXY, &["junk, 203.0.113.7"]), ip("203.0.113.7"));
    }

    #[test]
    fn a_chain_of_only_proxies_gives_the_farthest_one() {
        assert_eq!(from(PROXY, &[]), ip(PROXY));
        assert_eq!(from(PROXY, &["10.0.0.3"]), ip(INNER_PROXY));
    }
}
