"""Schemathesis over /openapi.json, in process: every operation with valid input (anonymous and as an
administrator) and invalid input (as an administrator, so that it passes the sign-in check), with a fixed seed.
No answer may be a server error, and answers to valid input must match the schema. About 20 s of CPU."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import Engine

from minyi.app import create_app
from tests.support.factories import PASSWORD, Org

EXAMPLES = 5  # per operation, mode and caller


def _explore(operation: Any, mode: GenerationMode, headers: dict[str, str], failures: list[str]) -> None:
    """Send EXAMPLES generated requests to one operation; record what fails instead of stopping."""
    checks = [not_a_server_error]
    if mode is GenerationMode.POSITIVE:
        checks.append(response_schema_conformance)

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except AssertionError as exc:
            failures.append(f"{operation.label} {mode.value}: {str(exc)[:600]}")

    try:
        run()
    except Unsatisfiable:  # an operation without input has no invalid input to send
        assert mode is GenerationMode.NEGATIVE, operation.label


def test_no_operation_answers_with_a_server_error(sqlite_engine: Engine, org: Org) -> None:
    app = create_app(sqlite_engine)
    with TestClient(app) as client:
        r = client.post("/api/v1/auth/token", json={"username": "admin", "password": PASSWORD})
        admin = {"Authorization": f"Bearer {r.json()['access_token']}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    for operation in operations:
        _explore(operation, GenerationMode.POSITIVE, {}, failures)
        _explore(operation, GenerationMode.POSITIVE, admin, failures)
        _explore(operation, GenerationMode.NEGATIVE, admin, failures)
    if failures:
        pytest.fail("\n\n".join(sorted(set(failures))[:20]))
