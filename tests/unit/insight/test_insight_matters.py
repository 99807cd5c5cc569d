"""Hot issues that are not tied to a place, no chains through a road name, one site's burst kept together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minyi.insight.cluster import group_messages
from minyi.insight.entities import road_keys, roads_conflict
from minyi.insight.hot import rank_hot_issues
from minyi.insight.model import Message

NOW = datetime(2019, 11, 30, 4, tzinfo=UTC)


def _m(i: str, title: str, text: str, days: float) -> Message:
    return Message(i, f"U{i}", title, text, NOW - timedelta(days=days))


def _labels(msgs: list[Message]) -> dict[str, int]:
    return dict(zip([m.id for m in msgs], group_messages(msgs).labels.tolist(), strict=True))


POLICY = [
    _m("p1", "咨询A市人才购房补贴的申请条件", "我是去年毕业的硕士，在A市工作，想问人才购房补贴怎么申请。", 5),
    _m("p2", "A市人才购房补贴为什么迟迟不发放", "申请人才购房补贴已经三个月了，补贴还没有到账。", 20),
    _m("p3", "关于A市人才购房补贴的疑问", "人才购房补贴要求首套房，二手房能不能申请补贴？", 40),
    _m("p4", "在A市买二手房能享受人才购房补贴吗", "想了解人才新政购房补贴政策是否包括二手房。", 60),
    _m("x1", "A3区魏家坡小区路灯坏了", "小区门口路灯坏了一个月。", 10),
    _m("x2", "A市公积金贷款额度是多少", "想买房，问一下公积金贷款最高能贷多少。", 12),
]


def test_people_in_different_places_asking_about_one_subsidy_are_one_matter() -> None:
    labels = _labels(POLICY)
    assert labels["p1"] == labels["p2"] == labels["p3"] == labels["p4"]
    assert labels["x1"] != labels["p1"] and labels["x2"] != labels["p1"]


def test_a_policy_matter_ranks_first_and_is_named_by_its_phrase() -> None:
    (top,) = rank_hot_issues(POLICY, top=1, now=NOW, use_nlp=False)
    assert top.count == 4 and top.people == 4
    assert "购房补贴" in top.place
    assert {"count", "people", "likes", "recency", "burst", "growth", "emotion"} <= set(top.components)


def test_titles_on_different_roads_do_not_chain_through_a_shared_area() -> None:
    msgs = [
        _m("r1", "问问A市经开区东六线以西空地的有关规划", "东六线以西那块空地规划做什么？", 3),
        _m("r2", "问问A市经开区新安路以南空地的有关规划", "新安路以南那块空地规划做什么？", 4),
        _m("r3", "A市经开区东六线以西空地何时开发", "东六线以西空地荒了很多年。", 30),
    ]
    labels = _labels(msgs)
    assert labels["r1"] == labels["r3"] and labels["r2"] != labels["r1"]
    assert roads_conflict(road_keys(("东六线",)), road_keys(("新安路",)))
    assert not roads_conflict(road_keys(("东六线",)), road_keys(("星沙东六路",)))


def test_several_people_naming_one_estate_within_days_stay_one_matter_whatever_their_wording() -> None:
    msgs = [
        _m("s1", "A5区魏家坡小区门口臭气熏天", "楼下转运点天天臭。", 1),
        _m("s2", "魏家坡小区的垃圾味道太大", "门口的味道让人受不了。", 2),
        _m("s3", "投诉A5区魏家坡小区没人清运", "堆了一周，味道很大，没人清运。", 3),
        _m("s4", "A5区金桂花园停车难", "车位太少。", 2),
    ]
    labels = _labels(msgs)
    assert labels["s1"] == labels["s2"] == labels["s3"] != labels["s4"]


def test_one_estates_other_problem_months_later_is_another_matter() -> None:
    msgs = [
        _m("q1", "五矿万境房子的墙壁开裂了", "五矿万境交房后墙壁开裂，质量问题严重。", 200),
        _m("q2", "五矿万境房屋出现质量问题", "五矿万境交房后房屋质量问题很多，墙壁开裂。", 190),
        _m("q3", "五矿万境交房后仍存在质量问题", "五矿万境墙壁开裂渗水，质量堪忧。", 180),
        _m("g1", "五矿万境交房后门口路段拥堵问题严重", "五矿万境交房后门口路段拥堵问题严重，交警不管。", 10),
    ]
    labels = _labels(msgs)
    assert labels["q1"] == labels["q2"] == labels["q3"] != labels["g1"]
