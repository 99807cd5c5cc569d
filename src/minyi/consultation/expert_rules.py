"""The rules of invited opinions (专家论证) and hearings (听证会). Pure: plain data in, plain data out."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from enum import StrEnum

from minyi.errors import Conflict, InvalidInput

OPINION_MAX = 20_000
HEARING_CAPACITY_MAX = 2000
_PHONE = re.compile(r"^\+?\d[\d\- ]{5,18}\d$")


class InvitedRole(StrEnum):
    expert = "expert"
    deputy = "deputy"


class Position(StrEnum):
    support = "support"
    oppose = "oppose"
    neutral = "neutral"


class Registration(StrEnum):
    registered = "registered"
    waitlisted = "waitlisted"
    confirmed = "confirmed"


ROLE_ZH = {InvitedRole.expert: "专家", InvitedRole.deputy: "人大代表"}
POSITION_ZH = {Position.support: "支持", Position.oppose: "反对", Position.neutral: "中立"}
REGISTRATION_ZH = {
    Registration.registered: "已报名",
    Registration.waitlisted: "候补",
    Registration.confirmed: "已确认",
}
# states in which a consultation takes invitations, opinions and hearing registrations
INVITING = frozenset({"draft", "scheduled", "open", "closed"})
HEARING_STATES = frozenset({"scheduled", "open", "closed"})


def content_hash(consultation_id: int, role: str, name: str, affiliation: str, body: str) -> str:
    """SHA-256 of the published document (who, for which consultation, what), in a canonical JSON form."""
    doc = {
        "consultation": consultation_id,
        "role": role,
        "name": name,
        "affiliation": affiliation,
        "body": body,
    }
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def check_inviting(state: str) -> None:
    """Opinions are invited and submitted until the feedback report is published."""
    if state not in INVITING:
        raise Conflict("反馈报告发布后不再征集专家意见", "opinions are taken until the feedback report is published",
                       code="invalid_transition")  # fmt: skip


def check_opinion(text: str, already_submitted: bool) -> str:
    """An opinion: one per invitation, non-empty, at most OPINION_MAX characters."""
    if already_submitted:
        raise Conflict("此邀请的意见已提交，不能修改", "this invitation's opinion was already submitted",
                       code="already_submitted")  # fmt: skip
    text = text.strip()
    if not text:
        raise InvalidInput("意见不能为空", "the opinion cannot be empty", field="body")
    if len(text) > OPINION_MAX:
        raise InvalidInput(f"意见不能超过 {OPINION_MAX} 字", f"an opinion is at most {OPINION_MAX} characters",
                           field="body", code="too_long")  # fmt: skip
    return text


def check_hearing(at: datetime, capacity: int, now: datetime) -> None:
    """A hearing is ahead of now (before or after the written consultation closes), for 1 to 2000 people."""
    if at <= now:
        raise InvalidInput("听证会时间应晚于现在", "the hearing must be in the future", field="hearing_at")
    if not 1 <= capacity <= HEARING_CAPACITY_MAX:
        raise InvalidInput(f"名额应在 1 到 {HEARING_CAPACITY_MAX} 之间",
                           f"capacity is 1 to {HEARING_CAPACITY_MAX}", field="capacity")  # fmt: skip


def check_registration_open(state: str, hearing_at: datetime | None, now: datetime) -> datetime:
    """Registration runs while a hearing is announced and ahead (the consultation scheduled, open or closed)."""
    if hearing_at is None or state not in HEARING_STATES or now >= hearing_at:
        raise Conflict("此次征求意见没有可报名的听证会", "no hearing is open for registration",
                       code="hearing_not_open")  # fmt: skip
    return hearing_at


def check_phone(raw: str) -> str:
    phone = raw.strip()
    if not _PHONE.match(phone):
        raise InvalidInput("请填写有效的联系电话", "a valid phone number is required", field="phone")
    return re.sub(r"[\- ]", "", phone)


def registration_state(taken: int, capacity: int) -> Registration:
    """A new registration is registered while places remain (registered + confirmed), else waitlisted."""
    return Registration.registered if taken < capacity else Registration.waitlisted


def check_confirm(state: str, confirmed: int, capacity: int) -> None:
    """The organiser confirms a registration while confirmed places remain."""
    if state == Registration.confirmed:
        raise Conflict("该报名已确认", "this registration is already confirmed", code="already_confirmed")
    if confirmed >= capacity:
        raise Conflict(f"听证会名额（{capacity}）已满", f"the hearing's {capacity} places are all confirmed",
                       code="hearing_full")  # fmt: skip
