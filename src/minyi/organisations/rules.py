"""Pure rules of organisations: their kinds, the channel their submissions come by, what consent must record."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import StrEnum

from minyi.errors import InvalidInput


class OrganisationKind(StrEnum):
    union = "union"  # 工会
    youth_league = "youth_league"  # 共青团
    womens_federation = "womens_federation"  # 妇联
    disabled_federation = "disabled_federation"  # 残联
    social_organisation = "social_organisation"  # 社会组织
    residents_committee = "residents_committee"  # 居民委员会
    villagers_committee = "villagers_committee"  # 村民委员会
    expert_body = "expert_body"  # 专家咨询机构
    media = "media"  # 媒体


COMMITTEES = frozenset({OrganisationKind.residents_committee, OrganisationKind.villagers_committee})
CONSENT_WAYS = ("written", "oral", "message")  # 书面、口头（记录在案）、短信/微信


def channel_of(kind: str) -> str:
    """The case channel a submission of this kind of organisation arrives by (a committee, or a mass organisation)."""
    if kind in COMMITTEES:
        return "committee"
    return {"expert_body": "expert", "media": "media"}.get(kind, "mass_org")


def check_consent(way: str, given_on: date, today: date, person: str) -> None:
    """Submitting on a person's behalf needs their consent on the record: how, when (not in the future), who."""
    if way not in CONSENT_WAYS:
        raise InvalidInput("请选择同意方式", "choose how the person consented", field="consent_way")
    if given_on > today:
        raise InvalidInput("同意日期不能晚于今天", "the consent date is in the future", field="consent_on")
    if not person.strip():
        raise InvalidInput(
            "请填写同意代为反映的本人姓名", "name the person who consented", field="consent_person"
        )


SUBJECTS = ("case", "suggestion")  # what an expert body's member may be asked to give an opinion on


def opinion_hash(subject_type: str, subject_id: int, expert: str, organisation: str, body: str) -> str:
    """SHA-256 of the signed document (on what, who, of which body, what), in a canonical JSON form."""
    doc = {
        "subject": f"{subject_type}:{subject_id}",
        "expert": expert,
        "organisation": organisation,
        "body": body,
    }
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


MAX_DUE_DAYS = 366  # an opinion asked for more than a year ahead is a typing slip


def check_due(due_on: date | None, today: date) -> None:
    """The date the inviter asks the opinion by: optional, not in the past, within a year."""
    if due_on is None:
        return
    if due_on < today:
        raise InvalidInput("答复期限不能早于今天", "the due date is in the past", field="due_on")
    if (due_on - today).days > MAX_DUE_DAYS:
        raise InvalidInput("答复期限不能超过一年", "the due date is more than a year ahead", field="due_on")


def opinion_status(given: bool, published: bool, due_on: date | None, today: date) -> str:
    """Where a request stands: waiting, overdue (past its due date, not given), given, or published."""
    if given:
        return "published" if published else "given"
    return "overdue" if due_on is not None and today > due_on else "waiting"


def shown_name(display_name: str, username: str, organisation: str) -> str:
    """How an expert is named on a page: their display name; never their login (the body's name instead)."""
    name = display_name.strip()
    return organisation if not name or name == username else name
