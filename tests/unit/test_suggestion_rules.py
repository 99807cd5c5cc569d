"""The pure rules of 建议提案办理: who takes which step from where, and what an answer must carry."""

from __future__ import annotations

from datetime import date

import pytest

from minyi.accounts.roles import Role
from minyi.errors import InvalidInput, InvalidTransition, NotPermitted
from minyi.suggestions.rules import (
    AnswerDraft,
    Category,
    Satisfaction,
    SuggestionStatus,
    UnitFacts,
    answering_units,
    check_answer,
    check_opinions_in,
    check_step,
    check_units_apart,
    combined_category,
    evaluation_target,
    format_number,
    is_public,
    may_see_suggestion,
    pending_opinions,
    round_complete,
    unit_relation,
)

TODAY = date(2027, 3, 1)
LONG = "经研究，我局已将该路段改造纳入2027年城市道路提升计划，预计年内完工。"


def test_the_office_accepts_and_assigns_a_registered_item() -> None:
    assert check_step("accept", "registered", Role.intake, unit=None).target == SuggestionStatus.accepted
    assert check_step("assign", "accepted", Role.supervisor, unit=None).target == SuggestionStatus.assigned


def test_a_unit_cannot_accept_and_the_office_cannot_answer() -> None:
    with pytest.raises(NotPermitted):
        check_step("accept", "registered", Role.handler, unit="lead")
    with pytest.raises(NotPermitted):
        check_step("answer", "assigned", Role.admin, unit=None)


def test_only_the_lead_units_head_signs_the_answer() -> None:
    check_step("answer", "assigned", Role.dept_head, unit="lead")
    with pytest.raises(NotPermitted):
        check_step("answer", "assigned", Role.handler, unit="lead")
    with pytest.raises(NotPermitted):
        check_step("answer", "assigned", Role.dept_head, unit=None)


def test_cannot_answer_before_assignment_or_twice() -> None:
    with pytest.raises(InvalidTransition):
        check_step("answer", "accepted", Role.dept_head, unit="lead")
    with pytest.raises(InvalidTransition):
        check_step("answer", "answered", Role.dept_head, unit="lead")


def test_cannot_answer_without_a_contact_unless_the_proposer_declined() -> None:
    draft = AnswerDraft(Category.A, LONG)
    with pytest.raises(InvalidTransition, match="contact"):
        check_answer(draft, contacts=0, proposer_declined=False, today=TODAY)
    check_answer(draft, contacts=0, proposer_declined=True, today=TODAY)
    check_answer(draft, contacts=1, proposer_declined=False, today=TODAY)


def test_b_needs_a_plan_with_a_future_date_and_c_a_reason() -> None:
    with pytest.raises(InvalidInput) as exc:
        check_answer(AnswerDraft(Category.B, LONG), contacts=1, proposer_declined=False, today=TODAY)
    assert exc.value.field == "plan"
    with pytest.raises(InvalidInput) as exc:
        check_answer(
            AnswerDraft(Category.B, LONG, "改造", TODAY), contacts=1, proposer_declined=False, today=TODAY
        )
    assert exc.value.field == "plan_date"
    check_answer(AnswerDraft(Category.B, LONG, "改造", date(2027, 9, 1)), contacts=1, proposer_declined=False,
                 today=TODAY)  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        check_answer(AnswerDraft(Category.C, LONG), contacts=1, proposer_declined=False, today=TODAY)
    assert exc.value.field == "reason"


def test_unsatisfied_once_asks_for_a_second_answer_then_finishes() -> None:
    assert evaluation_target(Satisfaction.unsatisfied, 1) == SuggestionStatus.reanswering
    assert evaluation_target(Satisfaction.unsatisfied, 2) == SuggestionStatus.evaluated
    assert evaluation_target(Satisfaction.basically_satisfied, 1) == SuggestionStatus.evaluated


def test_units_see_only_what_they_lead_or_co_operate_on() -> None:
    assert may_see_suggestion(Role.intake, None, None, frozenset())
    assert may_see_suggestion(Role.handler, 5, 5, frozenset())
    assert may_see_suggestion(Role.handler, 7, 5, frozenset({7}))
    assert not may_see_suggestion(Role.handler, 8, 5, frozenset({7}))
    assert not may_see_suggestion(Role.citizen, None, None, frozenset())


def test_answers_are_public_unless_withheld_and_the_number_is_printed() -> None:
    assert (
        is_public("answered", True) and not is_public("answered", False) and not is_public("assigned", True)
    )
    assert format_number(123) == "第0123号"


def test_each_unit_of_an_item_takes_only_its_own_steps() -> None:
    roles = {2: "part", 3: "co"}
    assert [unit_relation(d, 1, roles) for d in (1, 2, 3, 4, None)] == ["lead", "part", "co", None, None]
    check_step("answer", "assigned", Role.dept_head, unit="part")
    check_step("give_opinion", "assigned", Role.handler, unit="co")
    check_step("dispute", "assigned", Role.handler, unit="co")
    check_step("request_opinions", "assigned", Role.intake, unit=None)  # the office, not a unit
    for name, unit in [("answer", "co"), ("give_opinion", "lead"), ("request_opinions", "part"),
                       ("waive_opinions", "lead"), ("contact", "co")]:  # fmt: skip
        with pytest.raises(NotPermitted):
            check_step(name, "assigned", Role.dept_head, unit=unit)


def test_a_split_item_is_answered_with_its_least_settled_category() -> None:
    units = [UnitFacts(2, "part"), UnitFacts(3, "co")]
    assert answering_units(1, units) == frozenset({1, 2})
    assert not round_complete(frozenset({1, 2}), [1]) and round_complete(frozenset({1, 2}), [2, 1])
    assert combined_category(["A", "A"]) == Category.A
    assert combined_category(["A", "B"]) == Category.B and combined_category(["B", "C", "A"]) == Category.C


def test_opinions_asked_for_hold_the_answer_until_given_or_waived() -> None:
    asked = UnitFacts(3, "co", opinion_requested=True)
    check_opinions_in([UnitFacts(3, "co")])  # nobody was asked
    with pytest.raises(InvalidTransition):
        check_opinions_in([asked, UnitFacts(2, "part")])
    assert pending_opinions([asked, UnitFacts(4, "co", True, opinion_given=True)]) == [3]
    check_opinions_in([UnitFacts(3, "co", True, opinion_waived=True)])
    with pytest.raises(InvalidInput):
        check_units_apart(1, [2], [2])
    with pytest.raises(InvalidInput):
        check_units_apart(1, [], [1])
