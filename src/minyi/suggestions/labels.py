"""Translatable labels of the suggestion slice's codes, added to the page kit's label table."""

from __future__ import annotations

from minyi.locale import N_
from minyi.web.labels import LABELS

LABELS.update({
    "sg_status": {
        "registered": N_("已登记"), "not_accepted": N_("不立案"), "accepted": N_("已立案"), "assigned": N_("已交办"),
        "disputed": N_("交办异议"), "answered": N_("已答复"), "reanswering": N_("再次办理"), "evaluated": N_("已评价"),
    },
    "sg_ladder": {"1": N_("催办"), "2": N_("督办通知"), "3": N_("公开通报")},
    "sg_kind": {"deputy_suggestion": N_("人大代表建议"), "cppcc_proposal": N_("政协提案")},
    "sg_action": {
        "register": N_("登记"), "files": N_("添加附件"), "accept": N_("立案"), "not_accept": N_("不立案"), "assign": N_("交办"),
        "dispute": N_("交办异议"), "decide_dispute": N_("异议处理"), "extend": N_("延长办理期限"),
        "mark_key": N_("重点督办"), "contact": N_("沟通联系"), "answer": N_("答复"), "withhold": N_("答复不公开"),
        "evaluate": N_("评价"), "request_opinions": N_("征求协办意见"), "give_opinion": N_("提出协办意见"),
        "waive_opinions": N_("免于等待协办意见"), "complete_followup": N_("计划落实"), "escalate": N_("催督办"),
    },
    "category": {"A": N_("A类：已解决或采纳"), "B": N_("B类：正在解决或列入计划"), "C": N_("C类：留作参考")},
    "satisfaction": {"satisfied": N_("满意"), "basically_satisfied": N_("基本满意"), "unsatisfied": N_("不满意")},
    "way": {"meeting": N_("面商"), "phone": N_("电话"), "letter": N_("信函"), "declined": N_("提出人表示无需沟通")},
    "proposer_kind": {
        "deputy": N_("人大代表"), "cppcc_member": N_("政协委员"), "party": N_("民主党派"), "organisation": N_("群团组织"),
        "committee": N_("政协专门委员会"),
    },
})  # fmt: skip
