"""Prometheus metrics: requests and latencies counted in-process, queue depths and ladder rungs read at scrape time.

Served at /metrics (minyi.ops.health) only to loopback and to the networks in MINYI_METRICS_NETWORKS; to anyone
else the path does not exist (404, as for anything missing or forbidden).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "minyi_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=REGISTRY
)
LATENCY = Histogram(
    "minyi_http_request_seconds",
    "time to answer an HTTP request",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)


METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_COUNTERS: dict[tuple[str, str, int], Any] = {}
_TIMERS: dict[str, Any] = {}


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request. The labelled children are looked up once per label set (a bounded set:
    route templates, never raw paths) and kept: `labels()` costs far more than `inc()`/`observe()`."""
    method = method if method in METHODS else "OTHER"
    counter = _COUNTERS.get((method, route, status))
    if counter is None:
        counter = _COUNTERS[(method, route, status)] = REQUESTS.labels(method, route, str(status))
    timer = _TIMERS.get(route)
    if timer is None:
        timer = _TIMERS[route] = LATENCY.labels(route)
    counter.inc()
    timer.observe(seconds)


class DatabaseCollector(Collector):
    """Figures only the database knows (shared by every process): the understanding queue, open cases by
    escalation level, ladder rungs fired by stage and level."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self.sessions = sessions

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from minyi.cases.models import Case
        from minyi.cases.rules import OPEN
        from minyi.deadlines.models import EscalationNotice

        with self.sessions() as session:
            waiting = session.scalar(
                select(func.count()).select_from(Case).where(Case.understood_at.is_(None))
            )
            open_by_level = session.execute(
                select(Case.escalation_level, func.count())
                .where(Case.status.in_(sorted(OPEN)))
                .group_by(Case.escalation_level)
            ).all()
            rungs = session.execute(
                select(EscalationNotice.stage, EscalationNotice.level, func.count()).group_by(
                    EscalationNotice.stage, EscalationNotice.level
                )
            ).all()
            session.rollback()
        queue = GaugeMetricFamily("minyi_understanding_queue", "cases waiting to be understood")
        queue.add_metric([], float(waiting or 0))
        yield queue
        level = GaugeMetricFamily("minyi_open_cases", "open cases by escalation level", labels=["level"])
        for lv, n in open_by_level:
            level.add_metric([str(lv or 0)], float(n))
        yield level
        fired = GaugeMetricFamily(
            "minyi_ladder_rungs_fired", "escalation notices issued", labels=["stage", "level"]
        )
        for stage, lv, n in rungs:
            fired.add_metric([stage, str(lv)], float(n))
        yield fired


def render(sessions: Callable[[], Session]) -> bytes:
    """The exposition text: this process's counters plus the database figures."""
    per_scrape = CollectorRegistry()
    per_scrape.register(DatabaseCollector(sessions))
    return generate_latest(REGISTRY) + generate_latest(per_scrape)


def allowed(client: str | None, networks: list[str]) -> bool:
    """May this address read the metrics: loopback always, otherwise only the configured networks."""
    if not client:
        return False
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return False
    if address.is_loopback:
        return True
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)
