"""`minyi doctor`: check an installation (database, secret, holiday calendar, model files) before it serves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text

from minyi.settings import PLACEHOLDER_SECRET, Settings, weak_secret


@dataclass(frozen=True)
class Check:
    """One finding: its name, ok / warn / fail, and what to do about it."""

    name: str
    status: str
    detail: str


def check_database(engine: Engine) -> Check:
    """The database answers and is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from minyi.migrate import alembic_config

    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the finding
        return Check("database", "fail", f"数据库无法连接 / cannot connect: {exc.__class__.__name__}: {exc}")
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    if current != heads:
        have, want = ", ".join(sorted(current)) or "none", ", ".join(sorted(heads))
        return Check(
            "database", "fail", f"数据库未迁移到最新 / not migrated ({have}; need {want}): minyi db upgrade"
        )
    return Check(
        "database", "ok", f"{engine.url.render_as_string(hide_password=True)} at {', '.join(sorted(heads))}"
    )


def check_secret(settings: Settings) -> Check:
    """Outside development the secret (which keys sessions and the audit chain) must be strong: settings.weak_secret."""
    problem = weak_secret(settings.env, settings.secret_key)
    if problem:
        return Check("secret", "fail", problem)
    if settings.secret_key == PLACEHOLDER_SECRET:
        return Check("secret", "warn", "开发环境使用默认密钥 / placeholder secret (development only)")
    return Check("secret", "ok", "MINYI_SECRET_KEY set")


def check_calendar(engine: Engine | None, now: datetime) -> Check:
    """The holiday calendar knows this year and next (else deadlines there are provisional, 暂定)."""
    from minyi.db import session_scope
    from minyi.deadlines.queries import uncovered_years

    try:
        if engine is None:
            raise LookupError("no database")
        with session_scope(engine) as session:
            missing = uncovered_years(session, now)
    except Exception:  # noqa: BLE001 - no database: the official calendar and the override file alone
        from minyi.deadlines.clock import calendar

        cal = calendar()
        year = cal.local_date(now).year
        missing = [y for y in (year, year + 1) if not cal.covers(y)]
    if missing:
        years = "、".join(str(y) for y in missing)
        return Check("calendar", "warn", f"节假日安排未覆盖{years}年，期限为暂定 / calendar lacks {years}: "
                                         "minyi calendar load FILE")  # fmt: skip
    return Check("calendar", "ok", "this year and next are covered")


def check_models() -> Check:
    """The shipped text models load."""
    from minyi.nlp.emotion import get_sentiment_model
    from minyi.nlp.topic import get_topic_model

    loaders: dict[str, Callable[[], object]] = {"topic": get_topic_model, "sentiment": get_sentiment_model}
    missing = []
    for name, load in loaders.items():
        try:
            if load() is None:
                missing.append(name)
        except Exception as exc:  # noqa: BLE001 - a corrupt file is the finding
            return Check("models", "fail", f"模型文件无法加载 / {name} model does not load: {exc}")
    if missing:
        return Check("models", "warn", f"缺少模型文件 / missing model files: {', '.join(missing)}")
    return Check("models", "ok", "topic and sentiment models load")


def run_checks(get_engine: Callable[[], Engine], settings: Settings, now: datetime) -> list[Check]:
    """Every check, in the order they are printed (an engine that cannot even be made is a database failure)."""
    engine: Engine | None = None
    try:
        engine = get_engine()
    except Exception as exc:  # noqa: BLE001 - e.g. a SQLite folder that does not exist
        database = Check("database", "fail", f"数据库无法打开 / cannot open: {exc.__class__.__name__}: {exc}")
    else:
        database = check_database(engine)
    return [database, check_secret(settings), check_calendar(engine, now), check_models()]
