"""Rate limits kept in `rate_counters`: every process counts against one limit, on SQLite and PostgreSQL; the
table names no address; refusals are the structured 429 with Retry-After; the sweep drops windows gone by."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from minyi.app import create_app
from minyi.db import session_factory
from minyi.ratelimit.counters import Limit, attempt, bucket_of, sweep_expired
from minyi.ratelimit.models import RateCounter
from minyi.ratelimit.sweep import sweep_rate_counters

ADDRESS, PHONE = "203.0.113.7", "13800138000"
LIMIT = Limit("test:racing", 10, 600)


def test_threads_racing_on_one_identifier_never_pass_the_limit(engine: Engine) -> None:
    def attempts(_: int) -> list[int]:
        with session_factory(engine)() as session:
            return [attempt(session, LIMIT, ADDRESS, clock=lambda: 6_000.0) for _ in range(6)]

    with ThreadPoolExecutor(4) as pool:
        waits = [w for ws in pool.map(attempts, range(4)) for w in ws]
    assert waits.count(0) == 10 and all(w > 0 for w in waits if w)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.sum(RateCounter.count))) == 10  # refused attempts are not counted
        assert (
            attempt(session, LIMIT, "198.51.100.2", clock=lambda: 6_000.0) == 0
        )  # another one is not held up


def test_two_app_processes_on_one_database_share_the_sign_in_limit(engine: Engine) -> None:
    apps = [
        create_app(engine),
        create_app(engine),
    ]  # two processes of the app: nothing shared but the database
    clients = [TestClient(app, client=(ADDRESS, 40000)) for app in apps]
    answers = [
        clients[i % 2].post("/api/v1/auth/token", json={"username": "nobody", "password": "guess"})
        for i in range(6)
    ]
    assert [a.status_code for a in answers] == [401] * 5 + [429]
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "locked_out" and int(refused.headers["retry-after"]) > 0
    other = clients[0].post("/api/v1/auth/token", json={"username": "nobody", "password": "guess"})
    assert other.status_code == 429  # the first process has heard of the second one's failures too


def test_the_table_stores_no_raw_identifier(engine: Engine) -> None:
    with session_factory(engine)() as session:
        for who in (ADDRESS, PHONE, "someone@example.org"):
            assert attempt(session, Limit("test:who", 3, 60), who) == 0
        rows = session.execute(select(RateCounter)).scalars().all()
        stored = repr([(r.bucket, r.window_start, r.count, r.expires) for r in rows])
    assert len(rows) == 3 and bucket_of(Limit("test:who", 3, 60), PHONE) in stored
    for raw in (ADDRESS, PHONE, "someone", "example.org", "test:who"):
        assert raw not in stored


def test_the_sweep_removes_windows_that_no_longer_count(engine: Engine) -> None:
    with session_factory(engine)() as session:
        assert attempt(session, Limit("test:old", 3, 60), ADDRESS, clock=lambda: 6_000.0) == 0
        assert attempt(session, Limit("test:new", 3, 60), ADDRESS, clock=lambda: 6_150.0) == 0
        assert sweep_expired(session, 6_200.0) == 1  # the window of 6_000 stopped counting two windows later
        now = datetime.fromtimestamp(6_300.0, UTC)
        assert sweep_rate_counters(session, now) == {"rate_counters_removed": 1}
        assert session.scalar(select(func.count()).select_from(RateCounter)) == 0


def test_a_citizens_counter_cannot_be_matched_to_their_address_even_with_the_apps_secret() -> None:
    """The sealed mailbox and the public forms count senders whose anonymity is the promise: whoever holds the
    database and the secret could hash every IPv4 address and read who wrote to a round, and when. Their bucket
    stands for tens of thousands of addresses, never for one."""
    from minyi.inspection.mailbox_gate import SENDERS
    from minyi.ratelimit.public import LIMITS

    for limit in (SENDERS, *(lim for lim, _zh, _en in LIMITS.values())):
        assert limit.anonymous, limit.name
        buckets = {bucket_of(limit, f"7\x00198.{i >> 16}.{(i >> 8) & 255}.{i & 255}") for i in range(1 << 17)}
        assert len(buckets) <= 1 << 16  # 131,072 addresses, at most 65,536 buckets: each shared by many
    staff = Limit("test:sign-in", 3, 60)  # a staff sign-in limit keeps one bucket per identifier
    assert len({bucket_of(staff, str(i)) for i in range(1000)}) == 1000


def test_parallel_guesses_never_get_more_password_checks_than_the_lock_out_allows(
    engine: Engine, monkeypatch: Any
) -> None:
    """A check of the count before the password and a count after it let every guess sent at once through: 8
    parallel guesses were 8 Argon2 checks against a lock-out of 2 (a burst of a few hundred per window with the
    app's threads). A place is taken before the password is checked."""
    import contextlib
    import threading

    from minyi.accounts import actions
    from minyi.ratelimit.signin import SharedSignInThrottle

    throttle = SharedSignInThrottle(
        per_account_address=2, per_address=50, window_s=600, clock=lambda: 6_000.0
    )
    gate, checked = threading.Barrier(8), []

    def slow_verify(_stored: str, _password: str) -> bool:
        checked.append(1)
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait(timeout=2)  # every guess that got this far waits for the others
        return False

    monkeypatch.setattr(actions, "verify_password", slow_verify)

    def guess(_: int) -> str:
        with session_factory(engine)() as session:
            try:
                actions.do_authenticate(session, "admin", "guess", address=ADDRESS, throttle=throttle)
            except actions.LockedOut:
                return "locked"
            except actions.NotAuthenticated:
                return "wrong"
        return "in"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(guess, range(8)))
    assert len(checked) == 2 and answers.count("wrong") == 2 and answers.count("locked") == 6


def test_a_successful_sign_in_gives_its_place_back(engine: Engine) -> None:
    from minyi.ratelimit.signin import SharedSignInThrottle

    throttle = SharedSignInThrottle(per_account_address=2, per_address=3, window_s=600, clock=lambda: 6_000.0)
    with session_factory(engine)() as session:
        for _ in range(10):  # an office behind one address signs in all day: successes are not failures
            assert throttle.reserve(session, "admin", ADDRESS) == 0
            throttle.succeeded(session, "admin", ADDRESS)
        assert throttle.reserve(session, "admin", ADDRESS) == 0  # a failure (kept)
        assert throttle.reserve(session, "admin", ADDRESS) == 0
        assert throttle.reserve(session, "admin", ADDRESS) > 0  # the pair's two places are taken
        assert throttle.reserve(session, "intake", ADDRESS) == 0  # the address's third
        assert throttle.reserve(session, "other", ADDRESS) > 0


def test_a_remembered_bucket_follows_the_secret(monkeypatch: Any) -> None:
    """Buckets are remembered per process; a rotated secret must still give other buckets (the cache is keyed by
    the secret too), or counters would be written under the old key."""
    from minyi.settings import get_settings

    limit = Limit("test:rotate", 5, 60, anonymous=True)
    before = bucket_of(limit, "198.51.100.30")
    assert bucket_of(limit, "198.51.100.30") == before  # remembered: the same
    monkeypatch.setattr(get_settings(), "secret_key", "another-secret-0123456789abcdef-0123456789abcdef")
    assert bucket_of(limit, "198.51.100.30") != before


def test_a_connection_that_cannot_leave_autocommit_is_never_handed_back(
    engine: Engine, monkeypatch: Any
) -> None:
    """The limit's read borrows a pooled connection in autocommit; if switching it back fails (a dead connection),
    the connection is invalidated and closed, never returned to the pool in autocommit, where a later unit of
    work would run without a transaction (attack review v15a)."""
    import pytest

    from minyi.ratelimit import counters

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's connections are in autocommit already: nothing is switched")
    seen: dict[str, bool] = {}

    class Driver:
        def __init__(self, real: Any) -> None:
            object.__setattr__(self, "real", real)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.real, name)

        def __setattr__(self, name: str, value: Any) -> None:
            if name == "autocommit" and value is False:
                raise OSError("connection lost")
            setattr(self.real, name, value)

    class Raw:
        def __init__(self, real: Any) -> None:
            self.real, self.driver_connection = real, Driver(real.driver_connection)

        def cursor(self) -> Any:
            return self.real.cursor()

        def invalidate(self) -> None:
            seen["invalidated"] = True
            self.real.invalidate()

        def close(self) -> None:
            seen["closed"] = True
            self.real.close()

    real_raw = engine.raw_connection
    monkeypatch.setattr(engine, "raw_connection", lambda: Raw(real_raw()))
    with session_factory(engine)() as s:
        window = counters._Window(Limit("test", 5, 60), datetime.now(UTC).timestamp())
        with pytest.raises(OSError):
            counters._counts(s, "bucket", window)
    assert seen == {"invalidated": True, "closed": True}
