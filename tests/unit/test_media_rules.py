"""Pure rules of the media channel and the feed reader (feeds are files written here; nothing is fetched)."""

from __future__ import annotations

from pathlib import Path

import pytest

from minyi.errors import InvalidInput
from minyi.media.feeds import read_feed
from minyi.media.rules import check_feed_url, item_guid, looks_like_demand, plain_text, safe_link

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>明川晚报</title><link>https://news.example/</link><description>本地新闻</description>
<item><title>【问政】翠湖花园积水一周没人管</title><link>https://news.example/a/1</link><guid>a-1</guid>
<description>&lt;p&gt;居民反映小区&lt;b&gt;积水&lt;/b&gt;严重，物业推诿。&lt;/p&gt;</description><pubDate>Mon, 30 Nov 2026 08:00:00 +0800</pubDate></item>
<item><title>明川市举办秋季马拉松</title><link>javascript:alert(1)</link><description>赛事圆满结束。</description></item>
</channel></rss>"""


def test_only_file_and_web_urls_are_read() -> None:
    assert check_feed_url(" file:///tmp/feed.xml ") == "file:///tmp/feed.xml"
    assert check_feed_url("https://news.example/rss") == "https://news.example/rss"
    for bad in ("ftp://x/feed", "javascript:alert(1)", "/etc/passwd", "http:///nohost"):
        with pytest.raises(InvalidInput):
            check_feed_url(bad)


def test_items_about_a_public_demand_are_told_from_other_news() -> None:
    assert looks_like_demand("【问政】翠湖花园积水", "")
    assert looks_like_demand("小区停水三天", "居民生活不便")
    assert not looks_like_demand("明川市举办秋季马拉松", "赛事圆满结束")


def test_text_and_links_are_made_safe() -> None:
    assert plain_text("<p>居民&amp;市民 <b>反映</b></p>", 100) == "居民&市民 反映"
    assert plain_text("一二三四五", 3) == "一二三"
    assert (
        safe_link("javascript:alert(1)") == "" and safe_link("https://a.example/x") == "https://a.example/x"
    )
    assert item_guid("a-1", "x", "t") == item_guid("a-1", "y", "u") != item_guid(None, "x", "t")


def test_read_a_feed_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(RSS, encoding="utf-8")
    items = read_feed(path.as_uri())
    assert [i.title for i in items] == ["【问政】翠湖花园积水一周没人管", "明川市举办秋季马拉松"]
    first, second = items
    assert first.summary == "居民反映小区 积水 严重，物业推诿。" and first.link == "https://news.example/a/1"
    assert first.published_at is not None and first.published_at.tzinfo is not None
    assert first.published_at.hour == 0  # 08:00 in China is midnight UTC
    assert second.link == ""  # a javascript: link is dropped
    with pytest.raises(InvalidInput):
        read_feed((tmp_path / "missing.xml").as_uri())
