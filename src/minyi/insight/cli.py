"""`minyi hot`, `minyi replies`, `minyi brief`: filled in by the insight slice."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this slice's commands to the `minyi` command line."""
