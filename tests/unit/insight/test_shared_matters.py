"""The shared grouping keeps each matter's key while it goes on; a stored message keeps its stored matter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minyi.insight.matters import shared_grouping, stable_keys
from minyi.insight.model import Message

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_a_matter_that_goes_on_keeps_its_key() -> None:
    stored = {"a": "a", "b": "a"}
    fresh = {"a": "a", "b": "a", "c": "a", "d": "d"}
    assert stable_keys(fresh, stored) == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_a_regrouped_matter_keeps_the_key_most_of_its_members_had() -> None:
    # the fresh grouping starts the matter at "x" (an older message now in the window), most members were "a"
    stored = {"a": "a", "b": "a", "c": "a", "x": "x"}
    fresh = {"x": "x", "a": "x", "b": "x", "c": "x"}
    assert set(stable_keys(fresh, stored).values()) == {"a"}


def test_a_split_matter_gives_its_key_to_the_larger_part_only() -> None:
    stored = {"a": "a", "b": "a", "c": "a", "d": "a"}
    fresh = {"a": "a", "b": "a", "c": "a", "d": "d"}
    assert stable_keys(fresh, stored) == {"a": "a", "b": "a", "c": "a", "d": "d"}
    # the part that holds the old first message is the smaller one: it may not reuse the taken key
    fresh = {"a": "a", "b": "b", "c": "b", "d": "b"}
    keys = stable_keys(fresh, stored)
    assert keys["b"] == keys["c"] == keys["d"] == "a" and keys["a"] != "a"


def _msg(i: int, title: str, text: str, user: str) -> Message:
    return Message(str(i), user, title, text, T0 + timedelta(hours=i))


def test_stored_messages_keep_their_matter_and_new_ones_join_the_matter_they_continue() -> None:
    msgs = [
        _msg(1, "翠湖花园小区电梯故障", "翠湖花园小区3栋电梯故障多日无人维修，老人上下楼困难", "u1"),
        _msg(2, "翠湖花园电梯又坏了", "翠湖花园小区电梯故障，物业不维修，老人被困", "u2"),
        _msg(3, "翠湖花园小区电梯停运", "翠湖花园小区电梯故障停运一周，物业推诿", "u3"),
        _msg(4, "幸福路路灯不亮", "幸福路路灯晚上不亮，行人摔倒", "u4"),
    ]
    grouping, keys = shared_grouping(msgs, {"1": "1", "2": "1", "4": "elsewhere"})
    assert keys["1"] == keys["2"] == keys["3"] == "1" and keys["4"] == "elsewhere"
    assert len(set(grouping.labels.tolist())) == 2
