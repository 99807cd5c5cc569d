"""Steering misconduct reports out of ordinary intake: a demand of kind 举报, or whose text names abuse of office
for gain (`nlp.misconduct`), is not registered as a case and never reaches a department. It becomes a sealed
report for the discipline inspectors, and the submitter gets its receipt and a passphrase, shown once, with word of
the sealed channel. The routing rules' department for the demand is taken as the reported unit (so its own
inspectors are excluded); contact details are sealed as the reporter's identity when the office has a key, and
otherwise not kept (the answer says so).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session

from minyi.attachments.rules import CheckedFile
from minyi.cases.rules import Kind
from minyi.cases.schemas import CaseSubmission
from minyi.departments.queries import routes
from minyi.departments.rules import route
from minyi.errors import InvalidInput
from minyi.nlp.misconduct import looks_like_misconduct
from minyi.reports.actions import do_submit_report
from minyi.reports.queries import get_office_key
from minyi.reports.schemas import IdentityIn, ReportIn

PASSPHRASE_BYTES = (
    12  # 16 characters: the reporter may keep it or change nothing; it opens only with the receipt
)


@dataclass(frozen=True)
class Steered:
    """What the submitter is told, once: the receipt and passphrase of the sealed report made from the demand."""

    receipt: str
    passphrase: str
    named: bool
    contact_dropped: bool


def steered_message(steered: Steered) -> tuple[str, str]:
    """What the submitter is told (Chinese, English): where the report went, and to keep receipt and passphrase."""
    zh = ("您反映的是对公职人员违纪违法行为的举报，已通过举报专用通道直接送达纪检监察人员，被举报单位看不到。"
          "请保存受理回执和查看密码，凭它们查看办理情况。")  # fmt: skip
    en = ("This reports misconduct by officials, so it went straight to the discipline inspectors through the "
          "sealed channel; the reported department cannot see it. Keep the receipt and passphrase to follow it.")  # fmt: skip
    if steered.contact_dropped:
        zh += "纪检监察机关尚未启用加密身份保存，您的联系方式没有保存，本举报为匿名举报。"
        en += (
            " Your contact details were not kept (identities cannot be sealed yet): the report is anonymous."
        )
    return zh, en


def should_steer(sub: CaseSubmission) -> bool:
    """The rule: kind 举报, or a text that names abuse of office for gain."""
    return is_misconduct_report(sub.kind, sub.title, sub.body)


def is_misconduct_report(kind: str, title: str, body: str) -> bool:
    """The rule on plain values (an imported row): kind 举报, or a text that names abuse of office for gain."""
    return kind == Kind.report or looks_like_misconduct(f"{title}\n{body}")


def do_steer_to_reports(
    session: Session,
    sub: CaseSubmission,
    files: Sequence[CheckedFile] = (),
    *,
    unit_id: int | None = None,
    reporter_access: bool = True,
) -> Steered:
    """Make the sealed report from the demand (one unit of work, on the audit chain by report id only); the
    reported unit is `unit_id` when the source names it (an imported row's department), else the routing's.
    `reporter_access=False` where the receipt and passphrase reach nobody (imports, the press): no Argon2 hash paid."""
    choice = None if unit_id else route(routes(session), sub.topic_code, sub.region_code)
    contact = sub.contact.model_dump() if sub.contact else {}
    given = {
        k: v for k, v in contact.items() if k in ("name", "phone", "id_number", "email", "address") and v
    }
    sealable = bool(given) and not sub.anonymous and get_office_key(session) is not None
    identity = None
    if sealable:
        extra = "; ".join(str(given[k]) for k in ("email", "address") if k in given) or None
        identity = IdentityIn(name=given.get("name") or "（未留姓名）", phone=given.get("phone"),
                              id_number=given.get("id_number"), contact=extra)  # fmt: skip
    passphrase = secrets.token_urlsafe(PASSPHRASE_BYTES)
    what = f"{sub.title}\n{sub.body}"[:10000]
    try:  # the report's own rules (e.g. it must say what happened): refused before anything is written
        body = ReportIn(
            department_id=unit_id or (choice.department_id if choice else None), what=what,
            happened=sub.occurred_at.date().isoformat() if sub.occurred_at else None, passphrase=passphrase,
            identity=identity,
        )  # fmt: skip
    except ValidationError as e:
        raise InvalidInput("举报内容不符合要求，请写明发生了什么（至少10个字）",
                           "a report must say what happened (at least 10 characters, plain text)",
                           field="body") from e  # fmt: skip
    _report, receipt = do_submit_report(session, body, files, reporter_access=reporter_access)
    dropped = bool(given) and identity is None and not sub.anonymous  # anonymity chosen: nothing was dropped
    return Steered(receipt, passphrase, identity is not None, dropped)
