"""An incremental sweep reads and compares only the new messages, and finds the matters a full regrouping finds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from minyi.insight import features
from minyi.insight.matters import shared_grouping
from minyi.insight.model import Message

T0 = datetime(2026, 9, 1, tzinfo=UTC)
ESTATES = ["翠湖花园", "魏家坡小区", "丽发新城", "金桂苑", "梅溪湖壹号", "望城坡村"]
PROBLEMS = [
    ("电梯故障", "电梯故障多日无人维修，老人上下楼困难"),
    ("夜间施工噪音扰民", "工地每天施工到凌晨，噪音巨大，居民无法休息"),
    ("垃圾无人清运", "垃圾堆了一周没人清运，臭气熏天"),
]
POLICY = [
    ("咨询人才购房补贴的申请条件", "想问人才购房补贴怎么申请，二手房能不能申请补贴。"),
    ("人才购房补贴为什么迟迟不发放", "申请人才购房补贴三个月了，补贴还没有到账。"),
]


def _stream(n: int, seed: int = 14) -> list[Message]:
    """n messages over 40 days: estates with their problems, a subsidy asked about everywhere, and strays."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        kind = rnd.random()
        if kind < 0.7:
            estate, (problem, detail) = rnd.choice(ESTATES), rnd.choice(PROBLEMS)
            title, text = f"{estate}{problem}", f"我是{estate}的居民，{detail}。"
        elif kind < 0.85:
            title, text = rnd.choice(POLICY)
        else:
            title, text = f"第{i}号留言：路口信号灯时长", f"编号{i}的路口绿灯太短，行人来不及通过。"
        out.append(Message(f"m{i:03d}", f"u{rnd.randrange(n)}", title, text, T0 + timedelta(hours=9.6 * i)))
    return out


@pytest.fixture(autouse=True)
def _cold_readings() -> None:
    features.forget()


def test_an_incremental_sweep_finds_the_matters_a_full_regrouping_finds() -> None:
    msgs = _stream(100)
    _, stored = shared_grouping(msgs[:70], {})  # the first sweep groups everything
    _, incremental = shared_grouping(msgs, stored)
    _, full = shared_grouping(msgs, stored, incremental=False)
    assert incremental == full
    assert len(set(full.values())) < len(msgs) // 3  # matters were found, not one message each
    assert any(full[m.id] == stored[msgs[0].id] for m in msgs[70:] if m.title == msgs[0].title)


def test_an_incremental_sweep_reads_only_the_new_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    msgs = _stream(100)
    _, stored = shared_grouping(msgs[:90], {})
    read: list[int] = []
    real = features._read
    monkeypatch.setattr(features, "_read", lambda batch, *a: read.append(len(batch)) or real(batch, *a))
    shared_grouping(msgs, stored)
    assert read == [10]


def test_a_new_message_linking_two_stored_matters_joins_one_and_merges_nothing() -> None:
    a = [Message(f"a{i}", f"ua{i}", "翠湖花园电梯故障", "翠湖花园小区电梯故障无人维修", T0 + timedelta(hours=i))
         for i in range(3)]  # fmt: skip
    b = [Message(f"b{i}", f"ub{i}", "翠湖花园电梯故障", "翠湖花园小区电梯故障无人维修", T0 + timedelta(hours=9 + i))
         for i in range(2)]  # fmt: skip
    stored = {m.id: "a0" for m in a} | {m.id: "b0" for m in b}  # two matters an earlier sweep kept apart
    new = Message("n", "un", "翠湖花园电梯又坏了", "翠湖花园小区电梯故障无人维修", T0 + timedelta(days=1))
    _, keys = shared_grouping([*a, *b, new], stored)
    assert keys["n"] == "a0" and {keys[m.id] for m in b} == {"b0"}
