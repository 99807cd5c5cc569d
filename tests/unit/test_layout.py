"""The architecture's rules that a reading of the code can check (docs/architecture.md states only these)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "minyi"
MODULES = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)
FRAMEWORKS = ("sqlalchemy", "fastapi", "starlette", "jinja2", "alembic", "typer", "pydantic_settings")
# pure modules: rules and kernels with no framework (they are unit-tested with plain data)
PURE = ["access.py", "accounts/roles.py", "accounts/actor.py", "hashchain.py", "cases/rules.py", "cases/tracking.py",
        "departments/rules.py", "nlp", "insight", "attachments/rules.py", "reports/rules.py",
        "evaluation/rules.py", "annual/rules.py", "annual/charts.py", "accountability/rules.py",
        "inspection/rules.py", "deadlines/batch.py"]  # fmt: skip


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def _slice(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "minyi" else None


def test_modules_stay_small() -> None:
    big = {str(p.relative_to(SRC)): n for p in MODULES if (n := len(p.read_text().splitlines())) > 300}
    assert not big, f"split these modules (over 300 lines): {big}"


@pytest.mark.parametrize("pure", PURE)
def test_pure_modules_import_no_framework(pure: str) -> None:
    paths = [SRC / pure] if pure.endswith(".py") else sorted((SRC / pure).rglob("*.py"))
    paths = [
        p for p in paths if p.name != "cli.py"
    ]  # a package's command line is its one framework-facing part
    for path in paths:
        bad = {m for m in _imports(path) if m.split(".")[0] in FRAMEWORKS}
        assert not bad, f"{path.relative_to(SRC)} imports {bad}"
        assert not any(m.startswith(("minyi.db", "minyi.uow")) for m in _imports(path)), path


# Pairs known to import each other, each with the reason and the way out. The test fails on any other pair, and
# on a listed pair that no longer needs listing (so the list only shrinks).
KNOWN_CYCLES = {
    (
        "cases",
        "deadlines",
    ): "the stage clocks and the sweep apply deadlines to case rows (deadlines -> cases) "
    "while every case transition starts a clock (cases -> deadlines); way out: the transitions publish "
    "'stage started' and the deadlines slice subscribes",
}


def test_no_two_slices_import_each_other() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in MODULES:
        rel = path.relative_to(SRC)
        if len(rel.parts) < 2:
            continue
        here = rel.parts[0]
        for m in _imports(path):
            there = _slice(m)
            if there and there != here and (SRC / there).is_dir():
                graph[here].add(there)
    both = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph.get(b, set())})
    assert set(both) == set(KNOWN_CYCLES), (
        f"slices that import each other both ways (a rule is in the wrong one): {both}"
    )


def test_only_the_unit_of_work_commits() -> None:
    offenders = []
    for path in MODULES:
        if path.name == "uow.py":
            continue
        for node in ast.walk(_tree(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
            ):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not offenders, f"commits outside minyi.uow.write: {offenders}"
