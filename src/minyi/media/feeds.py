"""Reading RSS/Atom feeds with feedparser; `file://` URLs are read from disk (tests and offline use)."""

from __future__ import annotations

from calendar import timegm
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from urllib.request import Request, urlopen

import feedparser

from minyi.errors import InvalidInput
from minyi.media.rules import FeedItem, check_feed_url, item_guid, plain_text, safe_link

MAX_BYTES = 5_000_000
TIMEOUT = 20  # seconds for one feed: the periodic job must not hang on a slow site


def read_feed(url: str) -> list[FeedItem]:
    """The entries of a feed; a feed that cannot be read or parsed is refused with a clear message."""
    url = check_feed_url(url)
    parsed = urlparse(url)
    source: Any = url
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            raise InvalidInput("订阅文件不存在或过大", "the feed file is missing or too large", field="url")
        source = path.read_bytes()
    else:  # fetched here, with a timeout and a size limit (feedparser's own fetch has neither)
        source = _fetch(url)
    feed = feedparser.parse(source, agent="minyi-media/1")
    if feed.get("bozo") and not feed.entries:
        raise InvalidInput(
            "无法解析该订阅", f"cannot parse the feed: {feed.get('bozo_exception')}", field="url"
        )
    return [_item(e) for e in feed.entries]


def _fetch(url: str) -> bytes:
    request = Request(url, headers={"User-Agent": "minyi-media/1"})  # noqa: S310 - the scheme is checked above
    try:
        with urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body: bytes = response.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise InvalidInput("无法读取该订阅", f"cannot fetch the feed: {exc}", field="url") from None
    if len(body) > MAX_BYTES:
        raise InvalidInput("订阅内容过大", "the feed is too large", field="url")
    return body


def _item(entry: Any) -> FeedItem:
    title = plain_text(entry.get("title"), 200) or "（无标题）"
    summary = plain_text(entry.get("summary") or entry.get("description"), 5000)
    link = safe_link(entry.get("link"))
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(timegm(stamp), UTC) if stamp else None
    return FeedItem(item_guid(entry.get("id"), link, title), link, title, summary, published)
