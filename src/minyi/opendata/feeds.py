"""Atom feeds of newly published cases and of replies, for all or per department, region or topic.

Read through the public projection (masked text only); a feed holds the newest FEED_SIZE entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedgen.feed import FeedGenerator
from sqlalchemy import Select, or_
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.present import public_views
from minyi.db import utcnow
from minyi.opendata.requests import public_cases
from minyi.uow import end_read

FEED_SIZE = 50
KINDS = {"cases": ("新公开的诉求", "Newly published demands"), "replies": ("新答复", "New replies")}


@dataclass(frozen=True)
class FeedFilter:
    """Narrow a feed to one department, a region (and the regions under it) or a topic (and its sub-topics)."""

    department: int | None = None
    region: str | None = None
    topic: str | None = None

    def apply(self, stmt: Select[Case]) -> Select[Case]:
        if self.department is not None:
            stmt = stmt.where(Case.department_id == self.department)
        if self.region:
            stmt = stmt.where(Case.region_code.like(self.region + "%"))
        if self.topic:
            stmt = stmt.where(or_(Case.topic_code == self.topic, Case.topic_code.like(self.topic + ".%")))
        return stmt

    def query(self) -> str:
        parts = [f"{k}={v}" for k, v in (("department", self.department), ("region", self.region),
                                         ("topic", self.topic)) if v is not None]  # fmt: skip
        return "?" + "&".join(parts) if parts else ""


def build_feed(session: Session, kind: str, f: FeedFilter, base_url: str, english: bool = False) -> bytes:
    """The Atom document of `kind` (cases | replies) under the filter."""
    stmt = f.apply(public_cases())
    if kind == "replies":
        stmt = stmt.where(Case.replied_at.is_not(None)).order_by(Case.replied_at.desc(), Case.id.desc())
    else:
        stmt = stmt.order_by(Case.registered_at.desc(), Case.id.desc())
    cases = list(session.scalars(stmt.limit(FEED_SIZE)))
    views = public_views(session, cases, english=english, with_timeline=False)
    end_read(session)
    zh, en = KINDS[kind]
    feed = FeedGenerator()
    self_url = f"{base_url}/feeds/{kind}.atom{f.query()}"
    feed.id(self_url)
    feed.title(f"民意 · {en if english else zh}")
    feed.subtitle(f"{zh} / {en}")
    feed.link(href=self_url, rel="self")
    feed.link(href=f"{base_url}/cases", rel="alternate")
    feed.language("en" if english else "zh-CN")
    feed.updated(utcnow())
    for v in reversed(views):  # feedgen puts the last added first
        if v.id is None:
            continue
        entry = feed.add_entry()
        url = f"{base_url}/cases/{v.id}"
        at = v.replied_at if kind == "replies" and v.replied_at else v.registered_at
        entry.id(f"{url}#{kind}")
        entry.link(href=url)
        entry.title(v.title)
        entry.updated(at)
        entry.published(at)
        entry.content((v.reply or "") if kind == "replies" else v.body, type="text")
        if v.department:
            entry.author({"name": v.department})
        if v.topic:
            entry.category(term=v.topic_code or "", label=v.topic)
    return bytes(feed.atom_str(pretty=True))
