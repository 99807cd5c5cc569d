"""`minyi model ...` and `minyi redact`: filled in by the text-understanding slice."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this slice's commands to the `minyi` command line."""
