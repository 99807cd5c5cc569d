"""Pure rules of the media channel: which feed items describe a public demand, and how an item is identified."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from minyi.errors import InvalidInput

# words that mark a report about something the public wants fixed or answered (问政, 投诉, 反映 …)
DEMAND_WORDS = (
    "问政", "投诉", "反映", "求助", "呼吁", "诉求", "不满", "难题", "隐患", "扰民", "拥堵", "积水", "停水", "停电",
    "欠薪", "拖欠", "维修", "整改", "坏了", "没人管", "群众", "居民", "市民", "村民", "家长", "记者调查", "曝光",
)  # fmt: skip
SCHEMES = ("file", "http", "https")
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, as read (text without markup)."""

    guid: str
    link: str
    title: str
    summary: str
    published_at: datetime | None


def check_feed_url(url: str) -> str:
    """A feed URL must be file://, http:// or https:// (nothing else is fetched)."""
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in SCHEMES or (parsed.scheme != "file" and not parsed.netloc) or len(url) > 500:
        raise InvalidInput("订阅地址须为 file://、http:// 或 https:// 地址", "a feed URL must be file://, http:// or "
                           "https://", field="url")  # fmt: skip
    return url


def plain_text(raw: str | None, limit: int) -> str:
    """Markup removed, entities decoded, white space collapsed, cut at `limit` characters."""
    text = _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", raw or ""))).strip()
    return text[:limit]


def item_guid(entry_id: str | None, link: str | None, title: str) -> str:
    """A stable identity for an entry: its id, else its link, else its title (hashed to a fixed length)."""
    basis = (entry_id or link or title).strip()
    return hashlib.sha256(basis.encode()).hexdigest()


def looks_like_demand(title: str, summary: str) -> bool:
    """Whether an item reports something the public asks to be fixed or answered (not any news)."""
    text = f"{title} {summary}"
    return any(word in text for word in DEMAND_WORDS)


def safe_link(link: str | None) -> str:
    """The item's source link if it is an http(s) address (a javascript: or data: link is dropped)."""
    link = (link or "").strip()
    return link[:500] if urlparse(link).scheme in ("http", "https") else ""
