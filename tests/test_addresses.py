"""Address safety: special ranges, odd numeric spellings, seeds and the resolver seam."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from scraper.addresses import (
    AddressPolicy,
    BlockedAddressError,
    ResolutionError,
    StaticResolver,
    SystemResolver,
    address_category,
    normalize_host,
    parse_ip_host,
    resolve_checked,
)


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "cgnat"),
        ("100.127.255.254", "cgnat"),
        ("169.254.1.1", "link_local"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("fe80::1", "link_local"),
        ("fc00::1", "unique_local"),
        ("fd12:3456::1", "unique_local"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("255.255.255.255", "broadcast"),
        ("240.0.0.1", "reserved"),
        ("192.0.2.10", "reserved"),
        ("198.18.0.1", "reserved"),
        ("2001:db8::1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("::ffff:169.254.169.254", "metadata"),
        ("::127.0.0.1", "loopback"),
        ("2002:c0a8:0101::1", "private"),  # 6to4 of 192.168.1.1
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("8.8.8.8", None),
        ("172.32.0.1", None),
        ("100.128.0.1", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_categories(address: str, category: str | None) -> None:
    assert address_category(ipaddress.ip_address(address)) == category


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7F000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("169.254.43518", "169.254.169.254"),
        ("1.2.3.4.", "1.2.3.4"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("[::1]", "::1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("0", "0.0.0.0"),
    ],
)
def test_numeric_host_forms(host: str, address: str) -> None:
    assert parse_ip_host(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    "host", ["blog.example.org", "256.1.1.1", "1.2.3.4.5", "08", "1.2.3.256", "[::1", "a.1"]
)
def test_names_are_not_numbers(host: str) -> None:
    assert parse_ip_host(host) is None


def test_bare_0x_is_zero_like_inet_aton() -> None:
    assert parse_ip_host("0x") == ipaddress.ip_address("0.0.0.0")


def test_normalize_host() -> None:
    assert normalize_host("Blog.Example.ORG.") == "blog.example.org"
    assert normalize_host("[::FFFF:127.0.0.1]") == "::ffff:7f00:1"
    assert normalize_host("0x7f.1") == "127.0.0.1"
    assert normalize_host("bücher.de") == "xn--bcher-kva.de"


def test_default_policy_refuses_every_special_range() -> None:
    policy = AddressPolicy()
    for text in ("127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fd00::1", "100.64.1.1"):
        assert policy.refusal("x.test", 80, ipaddress.ip_address(text)) is not None
    assert policy.refusal("x.test", 80, ipaddress.ip_address("93.184.216.34")) is None


def test_allow_private_keeps_metadata_and_multicast_closed() -> None:
    policy = AddressPolicy(allow_private=True)
    for text in ("127.0.0.1", "10.0.0.1", "192.168.0.2", "fe80::1", "fd00::1", "100.64.0.1"):
        assert policy.refusal("x.test", 80, ipaddress.ip_address(text)) is None
    assert policy.refusal("x.test", 80, ipaddress.ip_address("169.254.169.254")) == "metadata"
    assert policy.refusal("x.test", 80, ipaddress.ip_address("224.0.0.1")) == "multicast"
    assert policy.refusal("x.test", 80, ipaddress.ip_address("240.0.0.1")) == "reserved"


def test_seed_allows_its_own_host_and_port_only() -> None:
    policy = AddressPolicy.for_seeds(["http://Blog.Internal:8080/start", "https://10.0.0.9/"])
    private = ipaddress.ip_address("10.0.0.5")
    assert policy.refusal("blog.internal", 8080, private) is None
    assert policy.refusal("blog.internal", 8081, private) == "private"
    assert policy.refusal("other.internal", 8080, private) == "private"
    # An IP seed is the same address however a later link spells it.
    assert policy.refusal("0xa.9", 443, ipaddress.ip_address("10.0.0.9")) is None
    assert policy.refusal("10.0.0.9", 80, ipaddress.ip_address("10.0.0.9")) == "private"


def test_policy_normalizes_allowed_hosts() -> None:
    policy = AddressPolicy(allowed_hosts=frozenset({("LOCALHOST.", 8000), ("2130706433", 80)}))
    assert policy.allowed_hosts == frozenset({("localhost", 8000), ("127.0.0.1", 80)})
    assert policy.host_allowed("localhost", 8000)
    assert not policy.host_allowed("localhost", 8001)


def _resolve(host: str, port: int, policy: AddressPolicy, table: dict[str, list[str]]) -> list[str]:
    found = asyncio.run(resolve_checked(host, port, policy, StaticResolver(table)))
    return [str(ip) for ip in found]


def test_resolve_checked_filters_refused_addresses() -> None:
    table = {"mixed.test": ["10.0.0.1", "93.184.216.34"]}
    assert _resolve("mixed.test", 80, AddressPolicy(), table) == ["93.184.216.34"]


def test_resolve_checked_raises_when_all_refused() -> None:
    table = {"inside.test": ["192.168.0.3", "::1"]}
    with pytest.raises(BlockedAddressError) as caught:
        _resolve("inside.test", 80, AddressPolicy(), table)
    assert caught.value.category == "private" and caught.value.address == "192.168.0.3"


def test_numeric_hosts_never_reach_the_resolver() -> None:
    with pytest.raises(BlockedAddressError) as caught:
        _resolve("0x7f.1", 80, AddressPolicy(), {})  # an empty table would raise ResolutionError
    assert caught.value.category == "loopback"
    assert _resolve("8.8.8.8", 80, AddressPolicy(), {}) == ["8.8.8.8"]


def test_unknown_names_and_non_addresses() -> None:
    with pytest.raises(ResolutionError):
        _resolve("missing.test", 80, AddressPolicy(), {})
    with pytest.raises(ResolutionError):
        _resolve("weird.test", 80, AddressPolicy(), {"weird.test": ["not-an-ip"]})


def test_static_resolver_is_case_insensitive() -> None:
    table = {"blog-a.test": ["127.0.0.2"], "blog-b.test": ["127.0.0.3"]}
    policy = AddressPolicy(allow_private=True)
    assert _resolve("Blog-A.TEST", 80, policy, table) == ["127.0.0.2"]
    assert _resolve("blog-b.test.", 80, policy, table) == ["127.0.0.3"]


def test_system_resolver_knows_localhost() -> None:
    found = asyncio.run(SystemResolver().resolve("localhost", 80))
    assert found and all(ipaddress.ip_address(a).is_loopback for a in found)
    with pytest.raises(BlockedAddressError):
        asyncio.run(resolve_checked("localhost", 80, AddressPolicy(), SystemResolver()))
