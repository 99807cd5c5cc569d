"""Read the message CSVs (teddy2020 layout) into `Message` records; times are China local, stored as UTC."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from minyi.insight.model import Message

CHINA = timezone(timedelta(hours=8))
_STAMP = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_local_time(value: str | None) -> datetime | None:
    """Turn '2019/1/10 15:01:26' (China local time) into an aware UTC datetime; None if unreadable."""
    if not value:
        return None
    m = _STAMP.search(value)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        return datetime(y, mo, d, h, mi, s, tzinfo=CHINA).astimezone(UTC)
    except ValueError:
        return None


def _int(value: str | None) -> int:
    try:
        return int(float(value or 0))
    except ValueError:
        return 0


def read_messages(path: str | Path) -> Iterator[Message]:
    """Yield messages from a CSV with columns id,user,title,time,detail[,likes,dislikes,reply,reply_time,label]."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            when = parse_local_time(row.get("time"))
            if when is None:
                continue
            yield Message(
                id=(row.get("id") or "").strip(),
                user=(row.get("user") or "").strip(),
                title=(row.get("title") or "").strip(),
                text=(row.get("detail") or row.get("text") or "").strip(),
                time=when,
                likes=_int(row.get("likes")),
                dislikes=_int(row.get("dislikes")),
                topic=(row.get("label") or row.get("topic") or None),
                region=row.get("region") or None,
                department=row.get("department") or None,
                reply=row.get("reply") or None,
                reply_time=parse_local_time(row.get("reply_time")),
            )
