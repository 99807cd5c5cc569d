"""Outside development the server refuses the default secret and short ones: they would let anyone forge the record."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from minyi.db import make_engine, reset_caches
from minyi.settings import PLACEHOLDER_SECRET, Settings, WeakSecret, require_strong_secret, weak_secret

STRONG = "k" * 32


@pytest.mark.parametrize("env", ["production", "staging"])
def test_outside_development_the_default_or_a_short_secret_is_refused(env: str) -> None:
    assert "development default" in (weak_secret(env, PLACEHOLDER_SECRET) or "")
    assert "shorter than 32 bytes" in (weak_secret(env, "k" * 31) or "")
    assert weak_secret(env, STRONG) is None
    with pytest.raises(WeakSecret, match="development default"):
        require_strong_secret(Settings(env=env, secret_key=PLACEHOLDER_SECRET))


@pytest.mark.parametrize("env", ["development", "test"])
def test_in_development_the_default_secret_is_allowed(env: str) -> None:
    require_strong_secret(Settings(env=env, secret_key=PLACEHOLDER_SECRET))


def test_the_app_and_the_server_refuse_to_start_with_the_default_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from minyi.app import create_app
    from minyi.cli import app

    monkeypatch.setenv("MINYI_ENV", "production")
    monkeypatch.setenv("MINYI_SECRET_KEY", PLACEHOLDER_SECRET)
    reset_caches()
    with pytest.raises(WeakSecret, match="MINYI_SECRET_KEY is the development default"):
        create_app(make_engine("sqlite://"))  # even handed an engine
    refused = CliRunner().invoke(app, ["serve"])
    assert (
        refused.exit_code == 2
        and "refusing to serve: production 环境不得使用默认密钥 / MINYI_SECRET_KEY is the development default"
        in refused.output
    )
