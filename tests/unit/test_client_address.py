"""Every per-address limit counts an IPv6 client by its /64: rotating addresses inside it is one client."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from minyi.accounts.actions import sign_in_limits
from minyi.client_address import client_address
from minyi.consultation.participants import code_gate
from minyi.ratelimit.public import address_of


def _request(host: str | None) -> SimpleNamespace:
    state = SimpleNamespace(sign_in_throttle=None, consultation_code_attempts=None)
    client = SimpleNamespace(host=host) if host is not None else None
    return SimpleNamespace(client=client, app=SimpleNamespace(state=state))


@pytest.mark.parametrize(
    ("host", "counted"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:5:6::1", "2001:db8:5:6::/64"),
        ("2001:db8:5:6:ffff:1:2:3", "2001:db8:5:6::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_every_limit_counts_an_ipv6_client_by_its_64(host: str | None, counted: str) -> None:
    request = _request(host)
    assert client_address(request) == address_of(request) == counted
    assert sign_in_limits(request)["address"] == counted
    assert code_gate(request)[1] == counted
