"""A committee's group demand (联名): the households behind it count like distinct people in the hotness index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minyi.insight.hot import hotness
from minyi.insight.model import Message

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _msg(i: int, user: str, households: int = 0) -> Message:
    return Message(
        str(i),
        user,
        "东湖小区供暖不热",
        "东湖小区供暖温度不达标",
        NOW - timedelta(days=i),
        households=households,
    )


def test_households_behind_a_group_demand_count_like_distinct_people() -> None:
    group = hotness([_msg(1, "committee", households=40)], NOW)
    forty = hotness([_msg(i, f"U{i}") for i in range(40)], NOW)
    alone = hotness([_msg(1, "committee")], NOW)
    assert (group["people"], group["households"]) == (40.0, 40.0)
    assert group["support"] > alone["support"]
    assert group["support"] == forty["support"]  # forty households weigh as forty people who wrote
    mixed = hotness([_msg(1, "committee", households=40), _msg(2, "U2"), _msg(3, "U2")], NOW)
    assert mixed["people"] == 41.0  # 40 households and one more person; the repeat post stays a repeat


def test_one_household_is_no_group_demand() -> None:
    assert hotness([_msg(1, "U1", households=1)], NOW)["people"] == 1.0
