"""Translatable labels for the core's codes (statuses, kinds, actions...), marked for extraction here."""

from __future__ import annotations

from minyi.locale import N_, gettext

# The Chinese texts match the core's *_ZH tables (tests/web/test_pages_i18n.py keeps them in step).
LABELS: dict[str, dict[str, str]] = {
    "status": {
        "registered": N_("已登记"), "accepted": N_("已受理"), "declined": N_("不予受理"),
        "assigned": N_("已交办"), "returned": N_("已退回"), "in_progress": N_("办理中"),
        "replied": N_("已答复"), "rehandling": N_("重办中"), "closed": N_("已办结"),
        "withdrawn": N_("已撤回"), "merged": N_("已并案"),
    },
    "kind": {
        "complaint": N_("投诉"), "suggestion": N_("建议"), "inquiry": N_("咨询"), "help": N_("求助"),
        "report": N_("举报"), "criticism": N_("批评"), "praise": N_("表扬"),
    },
    "channel": {
        "web": N_("网上留言"), "hotline": N_("12345热线"), "letters_visits": N_("信访"),
        "deputy": N_("人大代表"), "cppcc": N_("政协委员/民主党派"), "mass_org": N_("群团组织"),
        "committee": N_("村(居)委会"), "expert": N_("专家智库"), "media": N_("媒体"),
    },
    "evaluation": {"satisfied": N_("满意"), "partly": N_("基本满意"), "unsatisfied": N_("不满意")},
    "action": {
        "register": N_("登记"), "accept": N_("受理"), "decline": N_("不予受理"), "assign": N_("交办"),
        "sign_for": N_("签收"), "return": N_("退回"), "reply": N_("答复"), "evaluate": N_("评价"),
        "rehandle": N_("重办"), "close": N_("办结"), "close_unevaluated": N_("超时未评价办结"),
        "request_extension": N_("申请延期"), "decide_extension": N_("延期审批"), "merge": N_("并案"),
        "withdraw": N_("撤回"), "supervise": N_("督办"), "escalate": N_("催督办"), "note": N_("备注"),
        "correct": N_("更正"), "grant": N_("授权查看"), "retime": N_("期限重算"),
    },
    "role": {
        "citizen": N_("群众"), "intake": N_("受理员"), "handler": N_("承办人"), "dept_head": N_("部门负责人"),
        "supervisor": N_("督办员"), "admin": N_("管理员"), "system": N_("系统"),
        "inspector": N_("纪检监察员"), "member": N_("组织成员"),
    },
    "level": {"1": N_("催办"), "2": N_("督办"), "3": N_("通报/问责")},
}  # fmt: skip


def label(value: object, group: str) -> str:
    """The label of a code in the current locale (`{{ case.status | label('status') }}`)."""
    key = str(getattr(value, "value", value))
    text = LABELS.get(group, {}).get(key)
    return gettext(text) if text else key
