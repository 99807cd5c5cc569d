"""The import's fast paths give what the general helpers give: the memoised clock, the canonical-JSON template,
the batch of tracking codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minyi.cases.tracking import new_codes, normalize_code
from minyi.deadlines.batch import StageClocks
from minyi.deadlines.rules import DEFAULT_POLICIES, DeadlinePolicy, compute_clock
from minyi.deadlines.workcal import WorkCalendar
from minyi.hashchain import CanonicalTemplate, canonical

CAL = WorkCalendar.from_overrides(holidays={date(2026, 3, 4)}, workdays={date(2026, 3, 7)})
LONG_NOTICE = DeadlinePolicy("long notice", accept_days=8, remind_before_days=3)  # a reminder by working days


@pytest.mark.parametrize("policy", [*DEFAULT_POLICIES, LONG_NOTICE], ids=lambda p: p.name)
@pytest.mark.parametrize("stage", ["acceptance", "sign_for", "evaluation", "rehandling"])
def test_memoised_clock_is_compute_clock_for_every_start(policy: DeadlinePolicy, stage: str) -> None:
    clocks = StageClocks(stage, policy, CAL)
    start = datetime(2025, 12, 24, 0, 0, 1, tzinfo=UTC)  # across a year the calendar may not cover
    for i in range(400):  # several starts a day, at every time of day, local midnight included
        at = start + timedelta(minutes=97 * i, microseconds=i)
        c = compute_clock(stage, at, policy, CAL)
        want = (c.stage, c.policy_name, c.due_at, c.remind_at, c.accountability_at, c.escalation_level,
                c.next_escalation_at, c.provisional)  # fmt: skip
        assert clocks.at(at) == want, at
    assert len(clocks._days) < 400  # the calendar was asked once per day, not once per start


def test_memoised_clock_refuses_the_handling_stage() -> None:
    with pytest.raises(ValueError):
        StageClocks("handling", DEFAULT_POLICIES[0], CAL)


SAMPLE = {"action": "register", "at": "2026-03-02T01:15:07.000000+00:00", "case_id": 1, "note": None,
          "data": {"ref": "", "source": "hotline{0}"}, "public": True, "seq": 1}  # fmt: skip
SLOTS = [("at",), ("case_id",), ("data", "ref"), ("seq",)]


@given(at=st.text(), case_id=st.integers(), ref=st.text(), seq=st.integers(min_value=0))
def test_canonical_template_renders_what_canonical_writes(at: str, case_id: int, ref: str, seq: int) -> None:
    tpl = CanonicalTemplate(SAMPLE, SLOTS)
    payload = {**SAMPLE, "at": at, "case_id": case_id, "data": {**SAMPLE["data"], "ref": ref}, "seq": seq}  # type: ignore[dict-item]
    try:
        want = canonical(payload)
    except UnicodeEncodeError:  # a lone surrogate: neither writes it
        with pytest.raises(UnicodeEncodeError):
            tpl.render(at, case_id, ref, seq)
        return
    assert tpl.render(at, case_id, ref, seq) == want


def test_canonical_template_refuses_slots_it_cannot_fill() -> None:
    with pytest.raises(TypeError):
        CanonicalTemplate(SAMPLE, [("public",)])  # a bool is not a str or int slot


def test_batch_tracking_codes_pass_their_own_check_and_differ() -> None:
    codes = new_codes(5000)
    assert len(set(codes)) == 5000
    assert all(normalize_code(c) == c for c in codes)
    assert new_codes(0) == []
