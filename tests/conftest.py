"""Shared test set-up: the socket guard and the path to the real data sets.

The guard makes every test fail that tries to connect anywhere but loopback: blogcorpus's tests
are offline by design, and a test that reaches a public address is a bug.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
blocked_connections: list[Any] = []


def _is_loopback(address: Any) -> bool:
    if isinstance(address, str | bytes):  # AF_UNIX paths are local by nature
        return True
    host = address[0]
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        blocked_connections.append(address)
        raise ConnectionRefusedError(f"socket guard: connection to {address!r} is not allowed")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        blocked_connections.append(address)
        raise ConnectionRefusedError(f"socket guard: connection to {address!r} is not allowed")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def socket_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Refuse, and fail the test on, any connection outside 127.0.0.0/8 and ::1."""
    before = len(blocked_connections)
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    yield blocked_connections
    attempted = blocked_connections[before:]
    assert not attempted, f"test tried to connect outside loopback: {attempted}"


def shared_path(*parts: str) -> Path:
    """Path to a data set in ../shared/data; skips when absent, fails in CI."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"missing shared data set in CI: {path}")
        pytest.skip(f"shared data not present: {path}")
    return path
