"""Turning stored cases into what each audience may see; public views are always masked.

`public_views` is the one projection of cases for the public and for the submitter (by tracking code): the API's
open-data list, its tracking answers, the portal's list, case and tracking pages all go through it, a page of
cases in a fixed number of queries. Every text field passes through `minyi.cases.redaction.mask`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from minyi.access import may_see_contact, may_see_tracking_code
from minyi.accounts.actor import Actor
from minyi.cases.models import Case, CaseEvent, Submitter
from minyi.cases.queries import case_facts, get_co_handler_ids
from minyi.cases.redaction import (
    FIELDS,
    NOTHING_KNOWN,
    Known,
    combine,
    known_of,
    mask,
    replace_known,
    text_revision,
)
from minyi.cases.rules import ACTION_ZH, PUBLIC_STATUSES, STATUS_ZH, Status
from minyi.cases.schemas import Contact, PublicCase, StaffCase, TimelineEntry
from minyi.cases.tracking import display_code
from minyi.departments.queries import department_names_of, region_names_in, region_names_of
from minyi.taxonomy import load_taxonomy

NOTED = frozenset({"decline", "reply", "return", "evaluate", "escalate"})  # public steps whose note is shown
_PUBLIC = frozenset(s.value for s in PUBLIC_STATUSES)
STORED_TEXT = frozenset({"public_title", "public_body", "public_text_rev"})
STORED_REPLY = frozenset({"public_reply", "public_reply_rev"})
# the columns `public_views` reads: a reader of plain rows (the export) selects these and no more
VIEW_COLUMNS = ("id", "tracking_code", "kind", "channel", "title", "body", "region_code", "topic_code",
                "topic_suggested", "visibility", "status", "stage", "due_at", "registered_at", "department_id",
                "reply_text", "replied_at", "evaluation", "round", "decline_reason", "master_case_id",
                *sorted(STORED_TEXT | STORED_REPLY))  # fmt: skip


def known_identities(session: Session, cases: list[Case], shown: dict[int, Case]) -> dict[int, Known]:
    """For each case, the identities its public view must mask: its own submitter's, and those of everyone in
    the family of the case it shows (a merged case shows its master, whose reply may greet any of them).
    One query for all cases."""
    return _identities(session, cases, shown)[0]


def _identities(
    session: Session, cases: list[Case], shown: dict[int, Case]
) -> tuple[dict[int, Known], set[int]]:
    """`known_identities`, and the cases that are their own family (whose text was masked at intake with
    exactly these identities)."""
    shown_ids = {s.id for s in shown.values()}
    related = union_all(
        select(Case.id).where(Case.id.in_({c.id for c in cases} | shown_ids)),
        select(Case.id).where(Case.master_case_id.in_(shown_ids)),
    )  # two index lookups (an OR of the two would scan every submitter)
    rows = session.execute(
        select(Case.id, Case.master_case_id, *(getattr(Submitter, f) for f in FIELDS))
        .join(Submitter, Submitter.id == Case.submitter_id)
        .where(Case.id.in_(related))
    )
    own: dict[int, Known] = {}
    family: dict[int, list[Known]] = defaultdict(list)
    members: dict[int, set[int]] = defaultdict(set)  # the cases whose submitters make up each family
    for cid, master_id, *contact in rows:
        own[cid] = known_of(dict(zip(FIELDS, contact, strict=True)))
        for head in {cid, master_id} & shown_ids:
            family[head].append(own[cid])
            members[head].add(cid)
    known = {c.id: combine([own.get(c.id, NOTHING_KNOWN), *family[shown[c.id].id]]) for c in cases}
    alone = {c.id for c in cases if shown[c.id] is c and members[c.id] <= {c.id}}
    return known, alone


def _has(cases: list[Case], names: frozenset[str]) -> Callable[[Case], bool]:
    """Whether these columns were read with a case: a case object that undeferred them, or a row of the cases
    table (the export's plain rows share their column names, asked once per batch, and read like cases)."""
    if (fields := getattr(cases[0], "_fields", None)) is not None:  # rows' column names
        every = names.issubset(fields)
        return lambda _c: every
    # a case object: a loaded column is in the instance's dict (an expired one is not)
    return lambda c: names.issubset(c.__dict__)


def _stored(c: Case, alone: bool, has: bool) -> tuple[str, str] | None:
    """The title and body masked at intake, where they are what masking now would give: loaded with the case
    (`has`: a reader that wants them undefers the columns), masked by this build's redaction, the case its own
    family."""
    if not alone or not has or c.public_text_rev != text_revision():
        return None
    if c.public_title is None or c.public_body is None:
        return None
    return c.public_title, c.public_body


def _stored_reply(c: Case, alone: bool, has: bool) -> dict[str, str | None]:
    """The reply masked when it was written, as the masker's memory of it, where it is what masking now would
    give (as `_stored`: loaded, this build's redaction, the case its own family)."""
    if not alone or not has or c.public_reply_rev != text_revision():
        return {}
    if c.reply_text is None or c.public_reply is None:
        return {}
    return {c.reply_text: c.public_reply}


def _masker(known: Known, done: dict[str, str | None] | None = None) -> Callable[[str | None], str | None]:
    """`mask` with these identities, remembering texts already masked (a reply is also its event's note); `done`:
    texts known masked already (the stored reply)."""
    done = {} if done is None else done

    def run(text: str | None) -> str | None:
        if text is None:
            return None
        if text not in done:
            done[text] = mask(text, known)
        return done[text]

    return run


def _public_steps(session: Session, case_ids: list[int]) -> dict[int, list[Any]]:
    """The public events of the cases, in order (one query for all)."""
    steps: dict[int, list[Any]] = defaultdict(list)
    for case_id, *step in session.execute(
        select(CaseEvent.case_id, CaseEvent.at, CaseEvent.action, CaseEvent.from_status, CaseEvent.to_status,
               CaseEvent.note)
        .where(CaseEvent.case_id.in_(case_ids), CaseEvent.public.is_(True))
        .order_by(CaseEvent.case_id, CaseEvent.seq)
    ):  # fmt: skip
        steps[case_id].append(step)
    return steps


def _names(
    session: Session, shown: list[Case], cases: list[Case], english: bool
) -> tuple[dict[int, str], dict[str, str]]:
    """The names of the departments that answer and of the regions (cached per database; writes drop them)."""
    depts = department_names_of(session, {s.department_id for s in shown if s.department_id})
    regions = region_names_in(session, {c.region_code for c in cases if c.region_code})
    named = {i: _named(n, english) for i, n in depts.items()}
    return named, {code: _named(n, english) for code, n in regions.items()}


def _named(names: tuple[str, str | None], english: bool) -> str:
    return names[1] if english and names[1] else names[0]


def _topic(code: str | None, english: bool) -> str:
    return load_taxonomy().path_of(code, english) if code else ""


def public_fields(
    session: Session, cases: list[Case], *, english: bool = False, with_timeline: bool = True
) -> list[dict[str, Any]]:
    """The fields of each case's public view, by the rules of `public_views` (which builds the view from them;
    the open-data export writes them as they are): masked text in every field, public history only (each step
    an `(at, action, from_status, to_status, masked note)` tuple in `timeline`), labels resolved. A merged case
    shows its master's stage, department and reply."""
    if not cases:
        return []
    master_ids = {c.master_case_id for c in cases if c.status == Status.merged and c.master_case_id}
    masters = (
        {m.id: m for m in session.scalars(select(Case).where(Case.id.in_(master_ids)))} if master_ids else {}
    )
    shown = {c.id: masters.get(c.master_case_id or 0, c) if c.status == Status.merged else c for c in cases}
    depts, regions = _names(session, list(shown.values()), cases, english)
    known, alone = _identities(session, cases, shown)
    steps = _public_steps(session, [c.id for c in cases]) if with_timeline else {}
    has_text, has_reply = _has(cases, STORED_TEXT), _has(cases, STORED_REPLY)
    topics: dict[str | None, str] = {}
    fields = []
    for c in cases:
        s, own = shown[c.id], c.id in alone
        m = _masker(known[c.id], _stored_reply(c, own, has_reply(c)))
        title, body = _stored(c, own, has_text(c)) or (m(c.title) or "", m(c.body) or "")
        topic = c.topic_code or c.topic_suggested
        if topic not in topics:
            topics[topic] = _topic(topic, english)
        fields.append({
            "id": c.id if c.visibility == "public" and c.status in _PUBLIC else None,
            "kind": c.kind, "channel": c.channel, "title": title, "body": body,
            "region_code": c.region_code, "region": regions.get(c.region_code or "", ""), "topic_code": c.topic_code,
            "topic": topics[topic], "status": c.status, "status_zh": STATUS_ZH[c.status],
            "stage": s.stage, "due_at": s.due_at, "registered_at": c.registered_at,
            "department": depts.get(s.department_id or 0), "reply": m(s.reply_text), "replied_at": s.replied_at,
            "evaluation": c.evaluation, "round": c.round, "decline_reason": m(c.decline_reason),
            "merged_into": "merged" if s is not c else None,
            "timeline": [(at, action, before, after, m(note) if action in NOTED else None)
                         for at, action, before, after, note in steps.get(c.id, [])],
        })  # fmt: skip
    return fields


def public_views(
    session: Session,
    cases: list[Case],
    *,
    with_code: bool = False,
    english: bool = False,
    with_timeline: bool = True,
) -> list[PublicCase]:
    """What the public (or the submitter, `with_code`) may see of each case (`public_fields`, as views)."""
    views, fields = [], public_fields(session, cases, english=english, with_timeline=with_timeline)
    for c, f in zip(cases, fields, strict=True):
        f["tracking_code"] = display_code(c.tracking_code) if with_code else None
        f["timeline"] = [
            TimelineEntry.model_construct(at=at, action=action, action_zh=ACTION_ZH.get(action, action),
                                          from_status=before, to_status=after, note=note)
            for at, action, before, after, note in f["timeline"]
        ]  # fmt: skip
        views.append(PublicCase.model_construct(**f))  # trusted values: no second validation
    return views


def public_view(session: Session, case: Case, *, with_code: bool, english: bool = False) -> PublicCase:
    """One case through `public_views`."""
    return public_views(session, [case], with_code=with_code, english=english)[0]


# the submitter's answer while the understanding job has yet to mask the text (seconds): the request masks nothing
TEXT_PENDING = ("内容正在处理，稍后可在查询页查看", "being processed: shown on the tracking page shortly")


def registered_view(session: Session, case: Case, *, english: bool = False) -> PublicCase:
    """The submitter's answer for the case their request just registered, built from the row alone: its text
    was masked at intake (`public_title`/`public_body`, with the submitter's own identities), its history is the
    one register step, its region name comes from the cache. Equal to `public_view(..., with_code=True)`
    (tested), except that text the understanding job has yet to mask (`MINYI_UNDERSTANDING=worker` or
    `deferred`) reads `TEXT_PENDING`; any case that has moved on takes that path."""
    if case.status != Status.registered or case.department_id or case.event_count != 1 or case.master_case_id:
        return public_view(session, case, with_code=True, english=english)
    names = region_names_of(session, case.region_code) if case.region_code else None
    pending = TEXT_PENDING[1 if english else 0]  # masked by the understanding job, not by the request
    step = TimelineEntry.model_construct(at=case.registered_at, action="register", action_zh=ACTION_ZH["register"],
                                         from_status=None, to_status=Status.registered.value, note=None)  # fmt: skip
    return PublicCase.model_construct(
        id=None, tracking_code=display_code(case.tracking_code), kind=case.kind, channel=case.channel,
        title=pending if case.public_title is None else case.public_title,
        body=pending if case.public_body is None else case.public_body, region_code=case.region_code,
        region="" if names is None else (names[1] if english and names[1] else names[0]),
        topic_code=case.topic_code, topic=_topic(case.topic_code or case.topic_suggested, english),
        status=case.status, status_zh=STATUS_ZH[case.status], stage=case.stage, due_at=case.due_at,
        registered_at=case.registered_at, department=None, reply=None, replied_at=None,
        evaluation=case.evaluation, round=case.round, decline_reason=None, merged_into=None, timeline=[step],
    )  # fmt: skip


def staff_view(
    session: Session, case: Case, actor: Actor, *, registering: bool = False, in_list: bool = False
) -> StaffCase:
    """Everything staff who may see the case need; contact and tracking code only as the access rules allow.

    Lists (`in_list`) never carry contact details.
    """
    contact = None
    title, body = case.title, case.body
    if case.submitter_id and not in_list:
        if may_see_contact(actor, case_facts(session, case)):
            s = session.get(Submitter, case.submitter_id)
            if s is not None:
                contact = Contact(
                    name=s.name, phone=s.phone, email=s.email, id_number=s.id_number, address=s.address
                )
        elif case.anonymous:  # what the submitter typed about themselves stays hidden too
            known = known_identities(session, [case], {case.id: case})[case.id]
            title, body = replace_known(title, known), replace_known(body, known)
    code = display_code(case.tracking_code) if may_see_tracking_code(actor, registering=registering) else None
    return StaffCase(
        id=case.id, tracking_code=code, kind=case.kind, channel=case.channel, title=title,
        body=body, region_code=case.region_code, address=case.address, topic_code=case.topic_code,
        visibility=case.visibility, status=case.status, stage=case.stage, round=case.round, urgent=case.urgent,
        department_id=case.department_id, co_handler_ids=get_co_handler_ids(session, case.id),
        due_at=case.due_at, handling_due_at=case.handling_due_at, escalation_level=case.escalation_level,
        deadline_provisional=bool(case.deadline_provisional),
        extension_days=case.extension_days, registered_at=case.registered_at, reply_text=case.reply_text,
        reply_score=case.reply_score, reply_weak=case.reply_weak, reply_issues=list(case.reply_issues or []),
        evaluation=case.evaluation, version=case.version, master_case_id=case.master_case_id,
        topic_suggested=case.topic_suggested, topic_confidence=case.topic_confidence,
        needs_triage=case.needs_triage, suggested_department_id=case.suggested_department_id,
        emotion_negativity=case.emotion_negativity, emotion_intensity=case.emotion_intensity,
        urgency_flags=list(case.urgency_flags or []), contact=contact, on_behalf_of=case.on_behalf_of,
    )  # fmt: skip
