"""Hot issues: messages about the same place and problem group together; other compounds stay apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from minyi.insight.cluster import group_messages
from minyi.insight.entities import extract, place_key, sites_conflict
from minyi.insight.hot import HotnessWeights, hotness, rank_hot_issues
from minyi.insight.model import Message
from minyi.insight.readers import read_messages

FIXTURE = Path(__file__).parents[2] / "fixtures" / "insight" / "messages.csv"


def _msgs() -> dict[str, Message]:
    return {m.id: m for m in read_messages(FIXTURE)}


def test_same_place_same_problem_group_together_and_other_compound_apart() -> None:
    msgs = _msgs()
    ordered = list(msgs.values())
    labels = dict(zip([m.id for m in ordered], group_messages(ordered).labels.tolist(), strict=True))
    assert labels["1"] == labels["2"] == labels["3"]  # 魏家坡小区, parking and mess
    assert labels["4"] != labels["1"]  # 金桂花园: same problem, another compound
    assert labels["6"] == labels["7"] == labels["8"]  # 丽发新城 mixing plant
    assert labels["6"] != labels["1"]
    assert labels["9"] != labels["10"]


def test_extract_finds_district_and_compound() -> None:
    e = extract("A3区魏家坡小区脏乱差", "我是A市A3区魏家坡巷的业主")
    assert e.district == "A3区"
    assert "魏家坡小区" in e.places
    assert "业主" in e.people
    assert place_key("魏家坡小区") == place_key("魏家坡") == place_key("魏家坡二期小区")


def test_sites_conflict_only_when_both_name_different_sites() -> None:
    assert sites_conflict(frozenset({"魏家坡"}), frozenset({"金桂"}))
    assert not sites_conflict(frozenset({"魏家坡"}), frozenset())
    assert not sites_conflict(frozenset({"魏家坡"}), frozenset({"A3区魏家坡"}))


def test_rank_puts_the_multi_person_matter_first_with_its_fields() -> None:
    issues = rank_hot_issues(_msgs().values(), top=3)
    first = issues[0]
    assert first.rank == 1 and first.count == 3
    assert {m.id for m in first.messages} in ({"1", "2", "3"}, {"6", "7", "8"})
    d = first.as_dict()
    for key in ("rank", "score", "place", "description", "count", "first", "last", "message_ids"):
        assert key in d
    assert first.first <= first.last
    assert issues[0].score >= issues[1].score >= issues[2].score


def _group(n: int, likes: int, days_ago: float, spread_days: float, now: datetime) -> list[Message]:
    return [
        Message(
            str(i),
            f"U{i}",
            "t",
            "x",
            now - timedelta(days=days_ago + spread_days * i / max(n, 1)),
            likes=likes,
        )
        for i in range(n)
    ]


def test_hotness_rises_with_people_votes_recency_and_burst() -> None:
    now = datetime(2020, 1, 1, tzinfo=UTC)
    base = hotness(_group(3, 0, 10, 20, now), now)["score"]
    assert hotness(_group(6, 0, 10, 20, now), now)["score"] > base
    assert hotness(_group(3, 50, 10, 20, now), now)["score"] > base
    assert hotness(_group(3, 0, 200, 20, now), now)["score"] < base
    assert hotness(_group(3, 0, 10, 1, now), now)["burst"] > hotness(_group(3, 0, 10, 60, now), now)["burst"]
    w = HotnessWeights(recency_floor=1.0)
    assert hotness(_group(3, 0, 200, 20, now), now, w)["recency"] == 1.0


def test_same_name_in_different_districts_stays_apart() -> None:
    t = datetime(2019, 5, 1, tzinfo=UTC)
    text = "小区车辆乱停乱放，消防通道被占，业主出行困难，请求整治停车秩序。"
    msgs = [
        Message("a", "U1", "A3区新华苑小区停车难", "我住A3区新华苑小区，" + text, t),
        Message("b", "U2", "A3区新华苑小区停车难问题", "A3区新华苑小区" + text, t + timedelta(days=1)),
        Message("c", "U3", "A5区新华苑小区停车难", "我住A5区新华苑小区，" + text, t + timedelta(days=2)),
    ]
    labels = group_messages(msgs).labels.tolist()
    assert labels[0] == labels[1] != labels[2]
