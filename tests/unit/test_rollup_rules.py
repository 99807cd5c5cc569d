"""The rollup's kept facts are stored as a fixed JSON text: what is written now must read back, and read as the
texts written before (the kept rows are compared with a rebuild's, text for text)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from minyi.portal.rollup_rules import Facts


def test_facts_are_written_as_before_and_read_back() -> None:
    for facts in (
        Facts(date(2026, 3, 1), 5, True, False, True, True, False, 3, 86, (1, None), (2,)),
        Facts(date(2026, 1, 1), None, False, False, False, False, False, None, None),
    ):
        before = {**asdict(facts), "month": facts.month.isoformat()}
        assert facts.dumps() == json.dumps(before, separators=(",", ":"))
        assert Facts.loads(facts.dumps()) == facts
