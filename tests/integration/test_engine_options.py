"""Engines never print bound parameters (personal data) into errors or logs, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from minyi.db import make_engine

PHONE = "13800138000"


def test_a_failing_statement_does_not_show_its_parameters(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    noisy = make_engine(engine.url.render_as_string(hide_password=False), echo=True)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    try:
        with noisy.connect() as conn, pytest.raises(DBAPIError) as raised:
            conn.execute(text("INSERT INTO cases (no_such_column) VALUES (:phone)"), {"phone": PHONE})
    finally:
        noisy.dispose()
    assert "hidden due to hide_parameters" in str(raised.value)
    assert PHONE not in str(raised.value)
    assert caplog.records and PHONE not in caplog.text
