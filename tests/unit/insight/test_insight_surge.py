"""Early warning: a surge against a steady baseline raises one explained alert with a stable key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minyi.insight.model import Message
from minyi.insight.surge import SurgeParams, alert_key, detect_surges

NOW = datetime(2019, 11, 30, 4, tzinfo=UTC)  # 12:00 in China


def _stream(spike: int) -> list[Message]:
    msgs = []
    for d in range(60, 0, -1):
        for k in range(2):
            t = NOW - timedelta(days=d, hours=k)
            msgs.append(Message(f"b{d}-{k}", f"U{d}{k}", f"A1区问题{d}", "内容", t, topic="交通运输"))
    for k in range(spike):
        msgs.append(
            Message(
                f"s{k}", f"S{k}", "A1区某路段拥堵", "内容", NOW - timedelta(hours=k % 5), topic="交通运输"
            )
        )
    return msgs


PARAMS = SurgeParams(kinds=("topic", "region"))


def test_a_spike_raises_an_alert_with_explanation() -> None:
    alerts = detect_surges(_stream(12), NOW, PARAMS, use_nlp=False)
    kinds = {a.kind for a in alerts}
    assert kinds == {"topic", "region"}
    a = next(a for a in alerts if a.kind == "region")
    assert a.series == "A1区" and a.window_days == 1
    assert a.count == 12 and 1.5 < a.expected < 3 and a.p_value < 1e-4
    assert "A1区" in a.explanation and "12人" in a.explanation
    assert a.example_ids and all(i.startswith("s") for i in a.example_ids[:5])


def test_no_alert_on_a_steady_stream() -> None:
    assert detect_surges(_stream(0), NOW, PARAMS, use_nlp=False) == []


def test_alert_key_is_stable_and_distinguishes_windows() -> None:
    first = detect_surges(_stream(12), NOW, PARAMS, use_nlp=False)
    again = detect_surges(list(reversed(_stream(12))), NOW, PARAMS, use_nlp=False)
    assert [a.key for a in first] == [a.key for a in again]
    d = NOW.date()
    assert alert_key("region", "A1区", d, d) != alert_key("region", "A1区", d - timedelta(days=2), d)


def test_collective_action_weight_makes_a_borderline_surge_significant() -> None:
    plain = _stream(6)
    loud = [
        Message(
            m.id,
            m.user,
            m.title + ("，业主集体维权" if m.id.startswith("s") else ""),
            m.text,
            m.time,
            topic=m.topic,
        )
        for m in plain
    ]
    strict = SurgeParams(kinds=("region",), alpha=2e-3)
    p_plain = min((a.p_value for a in detect_surges(plain, NOW, strict, use_nlp=False)), default=1.0)
    p_loud = min((a.p_value for a in detect_surges(loud, NOW, strict, use_nlp=False)), default=1.0)
    assert p_loud < p_plain


def test_one_person_reposting_does_not_raise_an_alert() -> None:
    # Issue 14 §2: one person reposting the same complaint three times raised an alert; surges count people.
    base = _stream(0)
    repost = [
        Message(f"r{k}", "SAME", "A1区某路段拥堵", "内容", NOW - timedelta(hours=k), topic="交通运输")
        for k in range(12)
    ]
    assert detect_surges(base + repost, NOW, PARAMS, use_nlp=False) == []
    people = [
        Message(f"p{k}", f"P{k}", "A1区某路段拥堵", "内容", NOW - timedelta(hours=k), topic="交通运输")
        for k in range(12)
    ]
    assert detect_surges(base + people, NOW, PARAMS, use_nlp=False)


def test_an_issue_alert_is_titled_from_its_own_recent_messages() -> None:
    # Issue 14 §2: an alert about a new matter was titled after an older message of its group about another place.
    old = Message("old", "O", "A2区丽发新城附近搅拌站噪音扰民", "内容", NOW - timedelta(days=30))
    new = [
        Message(f"n{k}", f"N{k}", "A5区魏家坡小区门口垃圾堆积", "内容", NOW - timedelta(hours=k))
        for k in range(6)
    ]
    background = [
        Message(f"b{d}", f"U{d}", f"A1区问题{d}", "内容", NOW - timedelta(days=d)) for d in range(1, 40)
    ]
    issue_of = {m.id: "old" for m in [old, *new]}
    alerts = detect_surges(
        [old, *new, *background], NOW, SurgeParams(kinds=("issue",)), issue_of=issue_of, use_nlp=False
    )
    (a,) = alerts
    assert (
        a.identity == "old"
        and a.series.startswith("A5区魏家坡小区门口垃圾堆积")
        and "丽发新城" not in a.series
    )
    assert "魏家坡" in a.explanation
