"""Hot issues of the year in the annual report: the year's largest matters of the shared grouping (`case_groups`,
the one the board and `minyi watch` read), each with its demands, the people behind them, the departments, what
was done (share answered, satisfaction) and the consultation opened on it, if any.

A matter is named by the title of its first public demand, through the public projection (`cases.present`, masked);
a matter of non-public demands only is counted but never named. Every figure is one of the queries below."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from minyi.alerts.models import CaseGroup
from minyi.annual.participation import ConsultationLine
from minyi.annual.rules import Scope, rate, year_window
from minyi.cases.models import Case
from minyi.cases.present import public_views
from minyi.cases.public import public_conditions, stored_public_text
from minyi.cases.rules import Kind
from minyi.consultation.models import Consultation, LinkedCase
from minyi.consultation.rules import State
from minyi.departments.models import Department
from minyi.locale import pick
from minyi.nlp.pii import redact
from minyi.settings import get_settings

TOP = 10  # matters in the report
MIN_CASES = 2  # a matter of one demand is no hot issue


@dataclass
class HotMatter:
    """One matter of the year and what was done about it."""

    key: str
    cases: int
    people: int = 0  # distinct submitters; a demand without a known submitter counts as one person
    replied: int = 0
    evaluated: int = 0
    satisfied: int = 0  # satisfied or partly satisfied
    title: str = ""  # masked; empty when no demand of the matter is public
    departments: list[str] = field(default_factory=list)
    consultations: list[ConsultationLine] = field(default_factory=list)  # opened, title masked

    @property
    def answered_share(self) -> float | None:
        return rate(self.replied, self.cases)

    @property
    def satisfaction(self) -> float | None:
        return rate(self.satisfied, self.evaluated)

    @property
    def label(self) -> str:
        return self.title or pick("（未公开的诉求汇集成的事项）", "(a matter of demands not made public)")


def _year_cases(scope: Scope) -> tuple[ColumnElement[bool], ...]:
    """Demands registered in the year (the city's time), never a misconduct report."""
    start, end = year_window(scope.year, ZoneInfo(get_settings().timezone))
    return Case.registered_at >= start, Case.registered_at < end, Case.kind != Kind.report.value


def _top_keys(session: Session, scope: Scope) -> list[tuple[str, int]]:
    n = func.count(Case.id)
    stmt = (
        select(CaseGroup.group_key, n)
        .join(Case, Case.id == CaseGroup.case_id)
        .where(*_year_cases(scope))
        .group_by(CaseGroup.group_key)
        .having(n >= MIN_CASES)
        .order_by(n.desc(), CaseGroup.group_key)
        .limit(TOP)
    )
    return [(k, c) for k, c in session.execute(stmt)]


def hot_matters(session: Session, scope: Scope) -> list[HotMatter]:
    """The year's largest matters (at most TOP, of MIN_CASES demands or more), largest first."""
    top = _top_keys(session, scope)
    matters = {k: HotMatter(k, c) for k, c in top}
    if not matters:
        return []
    rows = session.execute(
        select(CaseGroup.group_key, Case.id, Case.submitter_id, Case.department_id, Case.replied_at,
               Case.evaluation, and_(*public_conditions()).label("public"))
        .join(Case, Case.id == CaseGroup.case_id)
        .where(CaseGroup.group_key.in_(list(matters)), *_year_cases(scope))
        .order_by(Case.id)
    ).all()  # fmt: skip
    people: dict[str, set[int]] = defaultdict(set)
    depts: dict[str, set[int]] = defaultdict(set)
    first_public: dict[str, int] = {}
    for key, cid, submitter, dept, replied, evaluation, public in rows:
        m = matters[key]
        people[key].add(submitter if submitter is not None else -cid)
        if dept is not None:
            depts[key].add(dept)
        m.replied += replied is not None
        m.evaluated += evaluation is not None
        m.satisfied += evaluation in ("satisfied", "partly")
        if public:
            first_public.setdefault(key, cid)
    names = dict(session.execute(select(Department.id, Department.name)).all())
    for key, m in matters.items():
        m.people = len(people[key])
        m.departments = sorted(names.get(d, "") for d in depts[key])
    _name(session, matters, first_public)
    _consultations(session, matters, scope)
    return [matters[k] for k, _ in top]


def _name(session: Session, matters: dict[str, HotMatter], first_public: dict[str, int]) -> None:
    """Each matter's title: its first public demand's, masked by the public projection."""
    stmt = select(Case).options(*stored_public_text())
    cases = list(session.scalars(stmt.where(Case.id.in_(list(first_public.values()))).order_by(Case.id)))
    titles = {v.id: v.title for v in public_views(session, cases, with_timeline=False) if v.id is not None}
    for key, cid in first_public.items():
        matters[key].title = titles.get(cid, "")


def _consultations(session: Session, matters: dict[str, HotMatter], scope: Scope) -> None:
    """The opened consultations linked to a demand of the matter in the year (a draft is not public)."""
    rows = session.execute(
        select(CaseGroup.group_key, Consultation.id, Consultation.title, Consultation.state)
        .distinct()
        .join(LinkedCase, LinkedCase.case_id == CaseGroup.case_id)
        .join(Case, Case.id == CaseGroup.case_id)
        .join(Consultation, Consultation.id == LinkedCase.consultation_id)
        .where(
            CaseGroup.group_key.in_(list(matters)),
            *_year_cases(scope),
            Consultation.state != State.draft.value,
        )
        .order_by(Consultation.id)
    ).all()
    for key, cid, title, state in rows:
        matters[key].consultations.append(ConsultationLine(cid, redact(title), state, 0))
