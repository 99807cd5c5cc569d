"""Demo media feed: a local Atom file (the 问政 programme of the demo city), pulled into the intake queue."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.media.actions import do_pull
from minyi.media.feeds import read_feed
from minyi.settings import get_settings

ENTRIES = [
    (
        "梧桐里小区路灯坏了三个月没人修",
        "居民反映梧桐里小区内多盏路灯损坏三个月，晚上出行摔倒多人，物业和社区互相推诿。",
    ),
    (
        "湖滨路施工噪声夜间扰民",
        "市民投诉湖滨路地铁施工工地夜间十一点后仍在作业，噪声扰民，影响老人和学生休息。",
    ),
    (
        "南桥中学门口早高峰拥堵",
        "家长反映南桥中学门口早高峰接送车辆乱停，拥堵严重，存在安全隐患，呼吁增设临时停车位。",
    ),
    ("明川市秋季运动会开幕", "运动会共设二十个项目，各区代表队参加。"),
]


def demo_feed(folder: Path) -> str:
    """Write the demo feed file and return its file:// URL."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = "".join(
        f'<entry><title>{t}</title><id>urn:minyi-demo:{i}</id><link href="https://wenzheng.example/{i}"/>'
        f"<updated>2026-11-2{i}T00:00:00Z</updated><summary>{s}</summary></entry>"
        for i, (t, s) in enumerate(ENTRIES, start=1)
    )
    path = folder / "demo-wenzheng.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                    f"<title>明川电视台《问政明川》</title><id>urn:minyi-demo</id><updated>2026-11-30T00:00:00Z</updated>"
                    f"{entries}</feed>", encoding="utf-8")  # fmt: skip
    return path.resolve().as_uri()


def load_media(session: Session) -> str:
    """Pull the demo feed into the intake queue; returns its URL (for `minyi media pull --url`)."""
    url = demo_feed(get_settings().data_dir)
    do_pull(session, SYSTEM, read_feed(url), source_name="明川电视台《问政明川》")
    return url
