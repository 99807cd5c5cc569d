"""The joined per-address count's read, upsert and bucket as they were before they went straight to the driver
(v15r's: the read through Core in a transaction of its own, the upsert through Core, the bucket hashed on every
request), kept for the benchmarks' old-versus-new comparison in one run (SQLite)."""

from __future__ import annotations

from typing import Any


def before() -> tuple[Any, Any, Any]:
    """The joined count's read, upsert and bucket as they were before this cut (v15r's), for the comparison."""
    from sqlalchemy import bindparam, select
    from sqlalchemy.dialects import sqlite

    from minyi.accounts.actor import SYSTEM
    from minyi.ratelimit.counters import ANONYMOUS_BUCKETS, BOOKKEEPING, NO_CAP
    from minyi.ratelimit.models import RateCounter as R
    from minyi.uow import write
    from minyi.web.signing import keyed_digest

    read = select(R.window_start, R.count).where(R.bucket == bindparam("b"), R.window_start >= bindparam("s"))
    upsert = (
        sqlite.insert(R)
        .values(bucket=bindparam("bucket"), window_start=bindparam("start"), count=1, expires=bindparam("expires"))
        .on_conflict_do_update(index_elements=[R.bucket, R.window_start], set_={"count": R.count + 1},
                               where=R.count + 1 <= bindparam("cap"))
        .returning(R.count)
    )  # fmt: skip

    def counts(session, bucket, w):  # type: ignore[no-untyped-def]
        rows = dict(session.connection().execute(read, {"b": bucket, "s": w.previous}).all())
        return rows.get(w.previous, 0), rows.get(w.start, 0)

    def add(session, limit, bucket, w, *, cap):  # type: ignore[no-untyped-def]
        with write(session, SYSTEM, bookkeeping=BOOKKEEPING):
            params = {"bucket": bucket, "start": w.start, "expires": w.start + 2 * limit.window_s,
                      "cap": NO_CAP if cap is None else cap}  # fmt: skip
            return session.connection().execute(upsert, params).first() is not None

    def bucket_of(limit, identifier):  # type: ignore[no-untyped-def]
        if limit.anonymous:
            identifier = f"coarse:{int(keyed_digest('rate-sender', identifier)[:8], 16) % ANONYMOUS_BUCKETS}"
        return keyed_digest("rate-counter", f"{limit.name}\x00{identifier}")[:40]

    return counts, add, bucket_of
