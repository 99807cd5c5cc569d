"""A committee's group demand (联名) weighs in the collective-grievance signal with the households behind it."""

from __future__ import annotations

from datetime import UTC, datetime

from minyi.insight.model import Message
from minyi.insight.signals import message_weight

AT = datetime(2027, 3, 1, tzinfo=UTC)


def _message(households: int = 0) -> Message:
    return Message(
        id="1", user="S1", title="小区供暖不热", text="暖气温度不达标。", time=AT, households=households
    )


def test_a_group_demand_is_collective_whatever_its_words_and_grows_with_its_households() -> None:
    plain = message_weight(_message())
    assert plain == 1.0  # no intensity, no collective words
    ten, hundred, many = (message_weight(_message(h)) for h in (10, 100, 1_000_000))
    assert ten == 1.75 and hundred == 2.0 and many == 2.5  # 0.5 collective + log10(h)/4, capped at 1
    assert message_weight(_message(1)) == plain  # one household is not a group
