"""The replica router's pure rules: how fresh a replica is from position samples, and the read-your-writes cookie."""

from __future__ import annotations

from collections import deque

from sqlalchemy import create_engine

from minyi.replica import ReplicaRouter, fresh_as_of, reads_primary


def test_a_replica_is_as_fresh_as_the_newest_sample_it_has_replayed_past() -> None:
    samples = deque([(10.0, 100), (11.0, 150), (12.0, 400)])
    assert fresh_as_of(samples, 399) == 11.0
    assert fresh_as_of(samples, 400) == 12.0
    assert fresh_as_of(samples, 99) is None
    assert fresh_as_of(samples, None) is None


def test_the_cookie_sends_reads_to_the_primary_only_until_its_time_and_never_when_forged() -> None:
    assert reads_primary("1000", now=999.0)
    assert not reads_primary("1000", now=1000.0)
    assert not reads_primary(None, now=0.0)
    assert not reads_primary("soon", now=0.0)


def test_a_replica_that_cannot_be_asked_is_not_used() -> None:
    engine = create_engine("sqlite://")  # has no WAL positions to report: the check fails
    router = ReplicaRouter(engine, engine, max_lag=5.0)
    assert router.staleness() == float("inf")
    assert not router.usable()
