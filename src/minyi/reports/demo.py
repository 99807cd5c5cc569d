"""Demo data of the sealed channel: two discipline inspectors, the office key, two reports with a conversation."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, do_create_user
from minyi.accounts.actor import SYSTEM
from minyi.departments.models import Department
from minyi.reports import actions as act
from minyi.reports.schemas import IdentityIn, ReportIn

DEMO_OFFICE_PASSPHRASE = (
    "minyi-demo-office-2026"  # demo only: a real office never writes its passphrase down here
)
DEMO_REPORTER_PASSPHRASE = "minyi-demo-reporter"


def load_report_demo(session: Session, depts: dict[str, Department], password: str) -> dict[str, Any]:
    """Inspectors `inspector` and `inspector2`, the office key, an anonymous and a named report."""
    users = {
        name: do_create_user(session, SYSTEM, username=name, password=password, role="inspector",
                             display_name=label)
        for name, label in [("inspector", "纪检监察室 王检查员"), ("inspector2", "纪检监察室 李检查员")]
    }  # fmt: skip
    inspector = actor_of(users["inspector"])
    act.do_make_office_key(session, inspector, DEMO_OFFICE_PASSPHRASE)
    first = next(iter(depts.values()))
    anonymous, _receipt = act.do_submit_report(session, ReportIn(
        department_id=first.id, official="某科科长",
        what="办理审批时暗示要“表示一下”，不给就拖着不办，前后拖了两个多月。",
        happened="2026年9月至11月", evidence="有微信聊天记录截图", passphrase=DEMO_REPORTER_PASSPHRASE,
    ))  # fmt: skip
    act.on_report(session, inspector, anonymous.id, lambda r: act.do_add_inspector_message(
        session, inspector, r, "您好，请问聊天记录中对方的账号名称是什么？"))  # fmt: skip
    act.on_report(session, inspector, anonymous.id,
                  lambda r: act.do_set_report_status(session, inspector, r, "verifying", None))  # fmt: skip
    act.do_submit_report(session, ReportIn(
        department_id=first.id, what="工程验收时收受施工单位购物卡，金额较大。", passphrase=DEMO_REPORTER_PASSPHRASE,
        identity=IdentityIn(name="示范举报人", phone="13800000000"),
    ))  # fmt: skip
    return {"inspectors": users}
