//! No webhook reaches inside the network Kith runs in: an endpoint whose address is
//! (or whose name resolves only to) a loopback, private, link-local (cloud
//! metadata, 169.254.169.254), shared, multicast or unspecified address is refused,
//! when it is registered and again at every send — the resolver that the sender
//! connects through drops such addresses, so a name that changes its answer after
//! registration (DNS rebinding) gains nothing. `KITH_WEBHOOK_ALLOW_PRIVATE` lifts
//! this for installations whose receivers are on the same network.

use crate::error::{AppError, FieldError};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Whether Kith may send to `ip` without `allow_private`.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b); // 100.64.0.0/10, carrier-grade NAT
    let benchmarking = a == 198 && (b == 18 || b == 19);
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || shared
        || benchmarking
        || a == 0
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = (first & 0xfe00) == 0xfc00; // fc00::/7
    let link_local = (first & 0xffc0) == 0xfe80; // fe80::/10
    !(ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || unique_local || link_local)
}

/// The endpoint's URL, if Kith may send to it: an `http(s)` URL whose host, when it
/// is an address, is public (unless `allow_private`). Names are checked as they
/// resolve, at send time.
pub fn check_url(raw: &str, allow_private: bool) -> Result<Url, AppError> {
    let refused = |message: &str| AppError::Invalid(vec![FieldError::new("url", message)]);
    let url = Url::parse(raw).map_err(|_| {
        refused("Enter the endpoint's full address, such as https://example.com/kith-events.")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(refused("Kith sends webhooks over http or https only."));
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    let local_name = url
        .host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case("localhost") || h.ends_with(".localhost"));
    if !allow_private && (literal.is_some_and(|ip| !is_public(ip)) || local_name) {
        return Err(refused(
            "This address is inside Kith's own network (loopback, private or cloud metadata), so Kith will not send to it.",
        ));
    }
    Ok(url)
}

/// The sender's resolver: the system's answers, without the addresses Kith may not
/// reach (unless `allow_private`).
#[derive(Debug, Clone, Copy)]
pub struct PublicOnly {
    pub allow_private: bool,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let usable: Vec<SocketAddr> =
                found.filter(|addr| allow_private || is_public(addr.ip())).collect();
            if usable.is_empty() {
                let refused =
                    format!("{} resolves only to addresses inside Kith's network", name.as_str());
                return Err(refused.into());
            }
            Ok(Box::new(usable.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_inside_the_network_are_refused() {
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(inside.parse().expect(inside)), "{inside}");
        }
        for outside in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(outside.parse().expect(outside)), "{outside}");
        }
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost:9000/",
            "http://2130706433/",
        ] {
            assert!(check_url(url, false).is_err(), "{url}");
            assert!(
                url == "http://2130706433/" || check_url(url, true).is_ok(),
                "{url} with private addresses allowed"
            );
        }
        assert!(check_url("https://hooks.example.com/kith", false).is_ok());
        assert!(check_url("ftp://example.com/", true).is_err());
    }
}
