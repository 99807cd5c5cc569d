"""The pure rules of the accountability register: grounds, forms, the record's steps, what the public sees. Pure."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from minyi.accounts.roles import Role
from minyi.locale import pick


class Ground(StrEnum):
    late_cases = "late_cases"
    false_reply = "false_reply"
    empty_reply = "empty_reply"
    rectification_failed = "rectification_failed"
    rehandled = "rehandled"  # re-handled more than twice


class Form(StrEnum):
    public_criticism = "public_criticism"  # 通报批评
    admonishment = "admonishment"  # 诫勉谈话
    organisational = "organisational"  # 组织处理
    referral = "referral"  # 移送纪检监察


class Status(StrEnum):
    open = "open"  # proposed, waiting for the unit's response
    responded = "responded"  # the unit has made its case (申辩)
    decided = "decided"


GROUND_ZH = {"late_cases": "办件超期", "false_reply": "虚假答复", "empty_reply": "答复空泛敷衍",
             "rectification_failed": "整改不力", "rehandled": "重办超过两次"}  # fmt: skip
GROUND_EN = {"late_cases": "cases late", "false_reply": "false reply", "empty_reply": "empty reply",
             "rectification_failed": "rectification failed", "rehandled": "re-handled more than twice"}  # fmt: skip
FORM_ZH = {"public_criticism": "通报批评", "admonishment": "诫勉谈话", "organisational": "组织处理",
           "referral": "移送纪检监察"}  # fmt: skip
FORM_EN = {"public_criticism": "public criticism", "admonishment": "admonishment",
           "organisational": "organisational measure", "referral": "referral to discipline inspection"}  # fmt: skip
STATUS_ZH = {"open": "待申辩", "responded": "已申辩", "decided": "已决定"}
STATUS_EN = {"open": "awaiting response", "responded": "response given", "decided": "decided"}

# who opens a record and decides it: supervisors and administrators (the ladder opens records as the system)
REGISTRARS = frozenset({Role.supervisor, Role.admin})
# who answers for the unit (申辩): its head
RESPONDERS = frozenset({Role.dept_head})
# the step -> the statuses it may be taken from
STEPS: dict[str, frozenset[Status]] = {
    "respond": frozenset({Status.open}),
    "decide": frozenset({Status.open, Status.responded}),
}


# re-handled more than twice: the third unsatisfied rating that sends a case back opens a record
REHANDLE_LIMIT = 2


def case_grounds(
    evaluation: str | None, to_status: str | None, round_no: int, reply_weak: bool | None
) -> list[Ground]:
    """The grounds a rating of a reply opens: an empty (weak) reply rated unsatisfied; a case sent back to be
    handled again for more than `REHANDLE_LIMIT` times (`round_no`: the round the rating closes)."""
    if evaluation != "unsatisfied":
        return []
    grounds = [Ground.empty_reply] if reply_weak else []
    if to_status == "rehandling" and round_no > REHANDLE_LIMIT:
        grounds.append(Ground.rehandled)
    return grounds


def rectification_failed(status: str, due_on: date, today: date) -> bool:
    """An item has failed when the team rejected its completion, or its deadline passed while it was still open
    (an item reported done and waiting for the team's check is the team's to decide, not a failure)."""
    return status == "rejected" or (status == "open" and due_on < today)


def ground_key(ground: Ground, subject: str, subject_id: int) -> str:
    """The key that keeps one record per ground and subject (the subject fixes the unit): idempotent sweeps."""
    return f"{ground.value}:{subject}:{subject_id}"


def ground_label(ground: str) -> str:
    return pick(GROUND_ZH.get(ground, ground), GROUND_EN.get(ground, ground))


def form_label(form: str) -> str:
    return pick(FORM_ZH.get(form, form), FORM_EN.get(form, form))


def status_label(status: str) -> str:
    return pick(STATUS_ZH.get(status, status), STATUS_EN.get(status, status))


def may_take(step: str, status: str, role: Role, *, own_unit: bool) -> bool:
    """Whether `role` (of the record's unit or not) may take `step` on a record in `status`."""
    if Status(status) not in STEPS[step]:
        return False
    if step == "respond":
        return role in RESPONDERS and own_unit
    return role in REGISTRARS


def may_read(role: Role, *, own_unit: bool) -> bool:
    """Records are read by supervisors and administrators, and by the staff of the unit concerned."""
    return role in REGISTRARS or (own_unit and role in (Role.handler, Role.dept_head))


def is_public(status: str, public: bool) -> bool:
    """A record is published once decided, where the decision says so."""
    return status == Status.decided and public


def public_person(status: str, public: bool, person: str | None) -> str | None:
    """A person's name is shown only on a decided record whose decision is public; otherwise only the post."""
    return person if is_public(status, public) else None
