"""Turning stored cases into what each audience may see; public views are always masked."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import may_see_contact, may_see_tracking_code
from minyi.accounts.actor import Actor
from minyi.cases.models import Case, Submitter
from minyi.cases.queries import case_facts, get_co_handler_ids, get_timeline
from minyi.cases.rules import ACTION_ZH, STATUS_ZH, Status
from minyi.cases.schemas import Contact, PublicCase, StaffCase, TimelineEntry
from minyi.cases.tracking import display_code
from minyi.departments.models import Department

Known = dict[str, str]


def mask(text: str | None, known: Known | None = None) -> str | None:
    """Personal data replaced by labels such as 【手机号】 before anything leaves for the public.

    `known` maps the submitter's own name, phone, e-mail and ID number (from the contact kept apart) to their
    labels, so they are masked even where no cue in the text gives them away.
    """
    if text is None:
        return None
    from minyi.nlp.pii import redact

    return redact(replace_known(text, known or {}))


def replace_known(text: str, known: Known) -> str:
    """Only the submitter's own known name, phone, e-mail and ID replaced by their labels (longest first)."""
    for value, label in known.items():
        text = text.replace(value, label)
    return text


LABELS = {"name": "【姓名】", "phone": "【手机号】", "email": "【邮箱】", "id_number": "【身份证号】"}


def known_identities(session: Session, cases: list[Case]) -> dict[int, Known]:
    """For each case, its submitter's identifying strings and their labels (one query for all cases)."""
    ids = {c.submitter_id for c in cases if c.submitter_id}
    if not ids:
        return {}
    people = {p.id: p for p in session.scalars(select(Submitter).where(Submitter.id.in_(ids)))}
    out: dict[int, Known] = {}
    for c in cases:
        person = people.get(c.submitter_id or 0)
        if person is None:
            continue
        known = {}
        for attr, label in LABELS.items():
            value = (getattr(person, attr) or "").strip()
            if len(value) >= 2 and not (attr == "name" and value.endswith(("先生", "女士"))):
                known[value] = label
        out[c.id] = dict(sorted(known.items(), key=lambda kv: -len(kv[0])))  # longest first
    return out


def public_view(session: Session, case: Case, *, with_code: bool) -> PublicCase:
    """What a submitter (with the code) or the public may see: masked text, public history only."""
    shown = case
    merged_into = None
    if case.status == Status.merged and case.master_case_id:
        master = session.get(Case, case.master_case_id)
        if master is not None:
            shown, merged_into = master, "merged"
    dept = session.get(Department, shown.department_id) if shown.department_id else None
    known = known_identities(session, [case, shown]) if case.submitter_id or shown.submitter_id else {}
    mine, theirs = known.get(case.id), {**known.get(shown.id, {}), **known.get(case.id, {})}
    timeline = [
        TimelineEntry(
            at=e.at,
            action=e.action,
            action_zh=ACTION_ZH.get(e.action, e.action),
            from_status=e.from_status,
            to_status=e.to_status,
            note=mask(e.note, theirs)
            if e.action in ("decline", "reply", "return", "evaluate", "escalate")
            else None,
        )  # fmt: skip
        for e in get_timeline(session, case, public_only=True)
    ]
    return PublicCase(
        tracking_code=display_code(case.tracking_code) if with_code else None,
        kind=case.kind, channel=case.channel, title=mask(case.title, mine) or "", body=mask(case.body, mine) or "",
        region_code=case.region_code, topic_code=case.topic_code, status=case.status,
        status_zh=STATUS_ZH[case.status], stage=shown.stage, due_at=shown.due_at,
        registered_at=case.registered_at, department=dept.name if dept else None,
        reply=mask(shown.reply_text, theirs), replied_at=shown.replied_at, evaluation=case.evaluation, round=case.round,
        decline_reason=mask(case.decline_reason, mine), merged_into=merged_into, timeline=timeline,
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
            known = known_identities(session, [case]).get(case.id, {})
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
