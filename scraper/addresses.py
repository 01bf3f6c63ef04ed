"""Which network addresses blogcorpus may connect to (protection against SSRF).

A crawled page can link, or redirect, to ``http://127.0.0.1:6379/``, to a router on
``192.168.0.1`` or to the cloud metadata service on ``169.254.169.254``. Following such links
would let any blog make the crawler probe the network it runs in. So every host is resolved
here, each address is checked, and the fetcher connects only to an address that passed the
check (never resolving again, so DNS rebinding between check and connect cannot happen).

Refused unless allowed: loopback, private (RFC 1918), carrier-grade NAT, link-local (with the
metadata addresses), IPv6 unique-local and site-local, unspecified, multicast, broadcast,
documentation and other reserved ranges, and IPv6 forms embedding any of those (IPv4-mapped,
IPv4-compatible, 6to4, NAT64). Host names written as odd numbers (``2130706433``,
``0x7f.1``, ``017700000001``, ``127.1``) are read as the addresses they are, as the system
resolver would.

A user who seeds a crawl with a private host obviously wants it: seeds allow their own host and
port (``AddressPolicy.for_seeds``), and ``allow_private`` opens the private ranges wholesale.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

__all__ = [
    "AddressPolicy",
    "BlockedAddressError",
    "IPAddress",
    "ResolutionError",
    "Resolver",
    "StaticResolver",
    "SystemResolver",
    "address_category",
    "normalize_host",
    "parse_ip_host",
    "resolve_checked",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

# Ordered: the first matching range names the category. Metadata services come before
# link-local because ``allow_private`` opens link-local but never them.
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_V4_RANGES: tuple[tuple[_V4, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified"),
    (_V4("127.0.0.0/8"), "loopback"),
    (_V4("10.0.0.0/8"), "private"),
    (_V4("172.16.0.0/12"), "private"),
    (_V4("192.168.0.0/16"), "private"),
    (_V4("100.64.0.0/10"), "cgnat"),
    (_V4("169.254.0.0/16"), "link_local"),
    (_V4("255.255.255.255/32"), "broadcast"),
    (_V4("224.0.0.0/4"), "multicast"),
    (_V4("240.0.0.0/4"), "reserved"),
    (_V4("192.0.0.0/24"), "reserved"),
    (_V4("192.0.2.0/24"), "reserved"),
    (_V4("192.88.99.0/24"), "reserved"),
    (_V4("198.18.0.0/15"), "reserved"),
    (_V4("198.51.100.0/24"), "reserved"),
    (_V4("203.0.113.0/24"), "reserved"),
)
_V6_RANGES: tuple[tuple[_V6, str], ...] = (
    (_V6("::/128"), "unspecified"),
    (_V6("::1/128"), "loopback"),
    (_V6("fe80::/10"), "link_local"),
    (_V6("fec0::/10"), "private"),  # deprecated site-local
    (_V6("fc00::/7"), "unique_local"),
    (_V6("ff00::/8"), "multicast"),
    (_V6("100::/64"), "reserved"),
    (_V6("2001::/23"), "reserved"),  # IETF protocol assignments, Teredo among them
    (_V6("2001:db8::/32"), "reserved"),
)
_GLOBAL_UNICAST = _V6("2000::/3")
_NAT64 = (_V6("64:ff9b::/96"), _V6("64:ff9b:1::/48"))
_V4_COMPATIBLE = _V6("::/96")
# Categories that ``allow_private`` opens; the rest are never useful to a crawler.
_PRIVATE_CATEGORIES = frozenset(
    {"loopback", "private", "cgnat", "link_local", "unique_local", "unspecified"}
)


class ResolutionError(Exception):
    """A host name could not be resolved to any address."""


class BlockedAddressError(Exception):
    """Every address of a host is refused by the address policy."""

    def __init__(self, host: str, port: int, address: str, category: str) -> None:
        super().__init__(f"{host}:{port} resolves to {address} ({category}), which is not allowed")
        self.host = host
        self.port = port
        self.address = address
        self.category = category


class Resolver(Protocol):
    """Turns a host name into IP address strings; swapped for a fixed table in tests."""

    async def resolve(self, host: str, port: int) -> list[str]:
        """Addresses for ``host``, best first; raise ``ResolutionError`` when there are none."""
        ...


class SystemResolver:
    """The operating system's resolver, through the event loop's ``getaddrinfo``."""

    async def resolve(self, host: str, port: int) -> list[str]:
        """Addresses for ``host`` from the system resolver, without duplicates."""
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except (OSError, UnicodeError) as exc:
            raise ResolutionError(f"cannot resolve {host!r}: {exc}") from exc
        found: list[str] = []
        for *_, sockaddr in infos:
            address = str(sockaddr[0])
            if address not in found:
                found.append(address)
        if not found:
            raise ResolutionError(f"no address for {host!r}")
        return found


@dataclass(frozen=True)
class StaticResolver:
    """A fixed name-to-addresses table, like curl's ``--resolve``; unknown names fail."""

    table: Mapping[str, Sequence[str]]

    async def resolve(self, host: str, port: int) -> list[str]:
        """Addresses listed for ``host`` (case-insensitive)."""
        addresses = self.table.get(normalize_host(host))
        if not addresses:
            raise ResolutionError(f"no address for {host!r} in the fixed table")
        return list(addresses)


_DIGITS = {8: "01234567", 10: "0123456789", 16: "0123456789abcdef"}


def _ipv4_part(text: str) -> int | None:
    """One dotted part as inet_aton reads it: 0x.. hex, 0.. octal, else decimal."""
    if text[:2].lower() == "0x":
        digits, base = text[2:], 16
        if not digits:
            return 0
    elif len(text) > 1 and text.startswith("0"):
        digits, base = text[1:], 8
    else:
        digits, base = text, 10
    valid = _DIGITS[base]
    if not digits or any(c not in valid for c in digits.lower()):
        return None
    return int(digits, base)


def _parse_ipv4_numeric(host: str) -> ipaddress.IPv4Address | None:
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()  # a trailing dot is allowed
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_ipv4_part(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    # The last part fills all the bytes the earlier parts left: "127.1" is 127.0.0.1.
    if any(v > 255 for v in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    value = 0
    for v in values[:-1]:
        value = value * 256 + v
    value = value * 256 ** (5 - len(values)) + values[-1]
    return ipaddress.IPv4Address(value)


def parse_ip_host(host: str) -> IPAddress | None:
    """The address a host string denotes by itself, or ``None`` for a name to resolve."""
    text = host.strip().lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text.split("%", 1)[0])
        except ValueError:
            return None
    return _parse_ipv4_numeric(text)


def normalize_host(host: str) -> str:
    """A host as compared by the policy: lower case, no brackets or trailing dot, IPs canonical."""
    ip = parse_ip_host(host)
    if ip is not None:
        return str(ip)
    text = host.strip().lower().rstrip(".")
    if not text.isascii():
        with contextlib.suppress(UnicodeError):
            text = text.encode("idna").decode("ascii")
    return text


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a v6 address carries (mapped, compatible, 6to4, NAT64), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _NAT64) or (ip in _V4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_category(ip: IPAddress) -> str | None:
    """Why an address is special ("loopback", "private", "metadata"...), or ``None`` if public."""
    if ip in _METADATA:
        return "metadata"
    if isinstance(ip, ipaddress.IPv4Address):
        for net4, category in _V4_RANGES:
            if ip in net4:
                return category
        return None
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return address_category(embedded)
    for net6, category in _V6_RANGES:
        if ip in net6:
            return category
    return None if ip in _GLOBAL_UNICAST else "reserved"


@dataclass(frozen=True, kw_only=True)
class AddressPolicy:
    """Which special addresses may be reached: none, unless allowed here.

    ``allowed_hosts`` holds ``(host, port)`` pairs (the seeds' own): any address they resolve to
    is accepted on that port. ``allow_private`` opens loopback, private, CGNAT, link-local and
    unique-local ranges, but never the cloud metadata addresses, multicast or reserved ones.
    """

    allow_private: bool = False
    allowed_hosts: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        normalized = frozenset((normalize_host(h), int(p)) for h, p in self.allowed_hosts)
        object.__setattr__(self, "allowed_hosts", normalized)

    @classmethod
    def for_seeds(cls, seeds: Iterable[str], *, allow_private: bool = False) -> AddressPolicy:
        """A policy allowing each seed URL's own host and port."""
        pairs: set[tuple[str, int]] = set()
        for seed in seeds:
            parts = urlsplit(seed)
            if parts.hostname:
                port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
                pairs.add((parts.hostname, port))
        return cls(allow_private=allow_private, allowed_hosts=frozenset(pairs))

    def host_allowed(self, host: str, port: int) -> bool:
        """True when the user named this host and port, so any address of it is fine."""
        return (normalize_host(host), port) in self.allowed_hosts

    def refusal(self, host: str, port: int, address: IPAddress) -> str | None:
        """The category that refuses connecting to ``address`` for ``host:port``, or ``None``."""
        if self.host_allowed(host, port) or (str(address), port) in self.allowed_hosts:
            return None
        category = address_category(address)
        if category is None:
            return None
        if self.allow_private and category in _PRIVATE_CATEGORIES:
            return None
        return category


async def resolve_checked(
    host: str, port: int, policy: AddressPolicy, resolver: Resolver
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses of ``host`` that the policy allows, best first.

    Numeric hosts are never sent to the resolver. Raises ``BlockedAddressError`` when every
    address is refused and ``ResolutionError`` when there is none.
    """
    literal = parse_ip_host(host)
    if literal is not None:
        candidates: list[IPAddress] = [literal]
    else:
        candidates = []
        for text in await resolver.resolve(normalize_host(host), port):
            ip = parse_ip_host(text)
            if ip is None:
                raise ResolutionError(f"resolver returned a non-address {text!r} for {host!r}")
            candidates.append(ip)
    allowed: list[IPAddress] = []
    first_refusal: tuple[IPAddress, str] | None = None
    for ip in candidates:
        category = policy.refusal(host, port, ip)
        if category is None:
            allowed.append(ip)
        elif first_refusal is None:
            first_refusal = (ip, category)
    if allowed:
        return allowed
    if first_refusal is None:
        raise ResolutionError(f"no address for {host!r}")
    raise BlockedAddressError(host, port, str(first_refusal[0]), first_refusal[1])
