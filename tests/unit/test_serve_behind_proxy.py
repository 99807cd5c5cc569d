"""Behind the shipped reverse proxy every citizen must keep their own address: the per-address limits (20 portal
submissions an hour, 30 tracking lookups, 5 letters to a round's mailbox, the sign-in failures) would otherwise
count the proxy's one address for the whole city, and a single sender could shut them for everyone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from minyi.db import reset_caches

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_proxy_replaces_the_forwarded_address_with_the_one_it_saw() -> None:
    conf = (DEPLOY / "nginx.conf").read_text()
    # $remote_addr, not $proxy_add_x_forwarded_for: a client's own X-Forwarded-For would be passed on, and the
    # limits would count whatever address the client chose
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_add_x_forwarded_for" not in conf


def test_serve_trusts_the_forwarded_address_from_the_configured_proxies_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    from minyi.cli import app

    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: ran.update(kw))
    monkeypatch.setenv("MINYI_FORWARDED_ALLOW_IPS", "10.20.1.5,10.20.1.6")
    reset_caches()
    try:
        assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    finally:
        monkeypatch.delenv("MINYI_FORWARDED_ALLOW_IPS")
        reset_caches()
    assert ran["proxy_headers"] is True and ran["forwarded_allow_ips"] == "10.20.1.5,10.20.1.6"
    ran.clear()
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    assert ran["forwarded_allow_ips"] == "127.0.0.1"  # by default only a proxy on this machine is believed


def test_the_service_unit_names_the_proxies() -> None:
    assert "MINYI_FORWARDED_ALLOW_IPS" in (DEPLOY / "README.md").read_text()


def test_serve_outlives_the_proxys_idle_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """A connection is closed by the side that sends on it: the proxy's (and any pooled client's) idle expiry
    must end before the server's keep-alive, else a request sent as the server closes it is lost (the soak's
    ReadError, bench/keepalive_race.py). uvicorn's own default, 5 s, is below nginx's 60 s."""
    import re

    import uvicorn

    from minyi.cli import app
    from minyi.settings import get_settings

    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: ran.update(kw))
    reset_caches()
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    proxy = re.search(
        r"upstream minyi_app \{[^}]*\bkeepalive_timeout (\d+)s;", (DEPLOY / "nginx.conf").read_text()
    )
    assert proxy is not None, "the proxy's upstream keepalive_timeout is stated, not left to nginx's default"
    assert ran["timeout_keep_alive"] == get_settings().server_keepalive_seconds > int(proxy.group(1))
    assert ran["timeout_graceful_shutdown"] == get_settings().server_graceful_shutdown_seconds
    monkeypatch.setenv("MINYI_SERVER_KEEPALIVE_SECONDS", "120")
    reset_caches()
    try:
        assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    finally:
        monkeypatch.delenv("MINYI_SERVER_KEEPALIVE_SECONDS")
        reset_caches()
    assert ran["timeout_keep_alive"] == 120
