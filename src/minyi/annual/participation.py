"""Consultations and deputies' suggestions in a report's year (the suggestions through their own statistics)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.annual.rules import Scope, rate, year_window
from minyi.consultation.models import Comment, CommentGroup, Consultation
from minyi.consultation.rules import STATE_ZH, Answer, Moderation, State
from minyi.locale import gettext, pick
from minyi.settings import get_settings
from minyi.suggestions.rules import SuggestionKind
from minyi.suggestions.stats import StatRow, suggestion_stats


@dataclass
class ConsultationLine:
    """One consultation opened in the year: its public title, state, published comments and answered groups."""

    id: int
    title: str
    state: str
    comments: int
    adopted: int = 0
    partly: int = 0
    not_adopted: int = 0

    @property
    def answered(self) -> int:
        return self.adopted + self.partly + self.not_adopted

    @property
    def state_label(self) -> str:
        known = State(self.state) if self.state in State.__members__ else None
        return pick(STATE_ZH[known], known.value.replace("_", " ")) if known else self.state


@dataclass
class ConsultationFigures:
    """Consultations opened in the year and the organisers' answers to the public's comment groups."""

    lines: list[ConsultationLine] = field(default_factory=list)

    @property
    def comments(self) -> int:
        return sum(c.comments for c in self.lines)

    def answers(self, answer: str) -> int:
        return sum(getattr(c, answer) for c in self.lines)

    @property
    def adopted_share(self) -> float | None:
        """Comment groups adopted in whole or in part ÷ comment groups answered."""
        return rate(self.answers("adopted") + self.answers("partly"), sum(c.answered for c in self.lines))


def consultation_figures(session: Session, scope: Scope) -> ConsultationFigures:
    """The consultations (not drafts) opened in the year, by the scope's department where it has one."""
    start, end = year_window(scope.year, ZoneInfo(get_settings().timezone))
    where = [
        Consultation.state != State.draft.value,
        Consultation.opens_at >= start,
        Consultation.opens_at < end,
    ]
    if scope.department_id is not None:
        where.append(Consultation.department_id == scope.department_id)
    found = session.execute(
        select(Consultation.id, Consultation.title, Consultation.state)
        .where(*where)
        .order_by(Consultation.opens_at)
    ).all()
    lines = {i: ConsultationLine(i, title, state, 0) for i, title, state in found}
    if not lines:
        return ConsultationFigures()
    comments = session.execute(
        select(Comment.consultation_id, func.count())
        .where(Comment.consultation_id.in_(list(lines)), Comment.moderation == Moderation.published.value)
        .group_by(Comment.consultation_id)
    )
    for cid, n in comments:
        lines[cid].comments = n
    answers = session.execute(
        select(CommentGroup.consultation_id, CommentGroup.answer, func.count())
        .where(
            CommentGroup.consultation_id.in_(list(lines)), CommentGroup.answer.in_([a.value for a in Answer])
        )
        .group_by(CommentGroup.consultation_id, CommentGroup.answer)
    )
    for cid, answer, n in answers:
        setattr(lines[cid], str(answer), n)
    return ConsultationFigures(list(lines.values()))


@dataclass
class SuggestionLine:
    """Deputies' suggestions (or CPPCC proposals) of the year: answers by category A/B/C and satisfaction."""

    kind: str
    items: int = 0
    answered: int = 0
    on_time: int = 0
    a: int = 0
    b: int = 0
    c: int = 0
    satisfied: int = 0
    judged: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.answered)

    @property
    def satisfaction_rate(self) -> float | None:
        return rate(self.satisfied, self.judged)


KIND_NAMES = {SuggestionKind.deputy_suggestion: ("人大代表建议", "deputies' suggestions"),
              SuggestionKind.cppcc_proposal: ("政协提案", "CPPCC proposals")}  # fmt: skip


def suggestion_figures(session: Session, scope: Scope) -> list[SuggestionLine]:
    """Per kind, the year's items summed over the sessions' totals of `suggestion_stats` (one home of its rules)."""
    window = year_window(scope.year, ZoneInfo(get_settings().timezone))
    total = gettext("合计")
    rows: list[StatRow] = [
        r
        for r in suggestion_stats(session, registered=window, unit_id=scope.department_id)
        if r.unit == total
    ]
    out = {k.value: SuggestionLine(pick(*KIND_NAMES[k])) for k in SuggestionKind}
    for r in rows:
        line = out.setdefault(r.kind, SuggestionLine(r.kind))
        line.items += r.items
        line.answered += r.answered
        line.on_time += r.on_time
        line.a, line.b, line.c = line.a + r.a, line.b + r.b, line.c + r.c
        line.satisfied += r.satisfied + r.basically
        line.judged += r.satisfied + r.basically + r.unsatisfied
    return list(out.values())
