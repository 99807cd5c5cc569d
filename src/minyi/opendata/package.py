"""The data dictionary of the open-data package: every resource's fields, in Chinese and English. Pure."""

from __future__ import annotations

from typing import Any

LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}

# resource → (description zh, description en, [(field, type, zh, en)], primary key, foreign keys)
Field = tuple[str, str, str, str]
RESOURCES: dict[str, tuple[str, str, list[Field], list[str], list[dict[str, Any]]]] = {
    "cases": (
        "公开的诉求（个人信息已遮蔽）", "Public demands (personal data masked)",
        [("id", "integer", "公开编号", "public number"), ("kind", "string", "性质", "kind"),
         ("channel", "string", "渠道", "channel"), ("title", "string", "标题（已遮蔽）", "title (masked)"),
         ("body", "string", "正文（已遮蔽）", "text (masked)"), ("region_code", "string", "行政区划代码", "region code"),
         ("topic_code", "string", "问题分类代码", "topic code"), ("topic", "string", "问题分类", "topic"),
         ("status", "string", "状态", "status"), ("department", "string", "承办单位", "responsible department"),
         ("registered_at", "datetime", "登记时间（UTC）", "registered (UTC)"),
         ("due_at", "datetime", "当前时限（UTC）", "current deadline (UTC)"),
         ("replied_at", "datetime", "答复时间（UTC）", "replied (UTC)"),
         ("reply", "string", "答复（已遮蔽）", "reply (masked)"), ("evaluation", "string", "评价", "evaluation"),
         ("round", "integer", "办理轮次", "handling round")],
        ["id"], [{"fields": "region_code", "reference": {"resource": "regions", "fields": "code"}}],
    ),
    "history": (
        "公开诉求的公开办理记录", "The public history of public demands",
        [("case_id", "integer", "诉求公开编号", "public number of the demand"), ("step", "integer", "序号", "step"),
         ("at", "datetime", "时间（UTC）", "when (UTC)"), ("action", "string", "环节", "action"),
         ("from_status", "string", "原状态", "status before"), ("to_status", "string", "新状态", "status after"),
         ("note", "string", "说明（已遮蔽）", "note (masked)")],
        ["case_id", "step"], [{"fields": "case_id", "reference": {"resource": "cases", "fields": "id"}}],
    ),
    "departments": (
        "承办单位", "Departments",
        [("id", "integer", "编号", "id"), ("code", "string", "代码", "code"), ("name", "string", "名称", "name"),
         ("name_en", "string", "英文名称", "English name"), ("region_code", "string", "所在区划", "region")],
        ["id"], [{"fields": "region_code", "reference": {"resource": "regions", "fields": "code"}}],
    ),
    "regions": (
        "行政区划", "Regions",
        [("code", "string", "代码", "code"), ("name", "string", "名称", "name"), ("level", "integer", "层级", "level"),
         ("parent_code", "string", "上级代码", "parent code")],
        ["code"], [{"fields": "parent_code", "reference": {"resource": "", "fields": "code"}}],
    ),
    "scoreboard_monthly": (
        "各单位月度办理情况（按登记月份）", "Monthly figures per department (by month registered)",
        [("department_id", "integer", "单位编号", "department id"), ("month", "yearmonth", "月份", "month"),
         ("received", "integer", "收到件数", "received"), ("replied", "integer", "已答复", "replied"),
         ("on_time", "integer", "按时答复", "replied on time"), ("evaluated", "integer", "已评价", "evaluated"),
         ("satisfied", "integer", "满意及基本满意", "satisfied or partly satisfied")],
        ["department_id", "month"],
        [{"fields": "department_id", "reference": {"resource": "departments", "fields": "id"}}],
    ),
    "consultations": (
        "征求意见（草稿不在其中）", "Consultations (drafts left out)",
        [("id", "integer", "编号", "id"), ("title", "string", "事项（已遮蔽）", "title (masked)"),
         ("kind", "string", "类型", "kind"), ("department_id", "integer", "组织单位编号", "organising department id"),
         ("region_code", "string", "行政区划代码", "region code"), ("opens_at", "datetime", "开始（UTC）", "opens (UTC)"),
         ("closes_at", "datetime", "截止（UTC）", "closes (UTC)"), ("state", "string", "状态", "state"),
         ("answered_at", "datetime", "反馈时间（UTC）", "answered (UTC)"),
         ("comments", "integer", "公开意见条数", "published comments")],
        ["id"], [{"fields": "department_id", "reference": {"resource": "departments", "fields": "id"}}],
    ),
    "consultation_answers": (
        "意见采纳情况反馈（按意见归类）", "Feedback reports: the answer to each group of comments",
        [("consultation_id", "integer", "征求意见编号", "consultation id"), ("group_id", "integer", "归类编号", "group id"),
         ("title", "string", "意见归类（已遮蔽）", "group of comments (masked)"),
         ("answer", "string", "采纳情况", "answer: adopted, partly, not_adopted"),
         ("reason", "string", "理由（已遮蔽）", "reason (masked)"), ("comments", "integer", "意见条数", "comments")],
        ["group_id"], [{"fields": "consultation_id", "reference": {"resource": "consultations", "fields": "id"}}],
    ),
    "suggestions": (
        "已公开答复的人大代表建议和政协提案", "Deputies' suggestions and CPPCC proposals whose answers are public",
        [("id", "integer", "编号", "id"), ("kind", "string", "类别", "kind"), ("session", "string", "届次会议", "session"),
         ("number", "integer", "建议提案号", "number"), ("subject", "string", "案由（已遮蔽）", "subject (masked)"),
         ("lead_unit_id", "integer", "主办单位编号", "lead unit id"), ("status", "string", "状态", "status"),
         ("category", "string", "答复类别（A/B/C）", "answer category (A/B/C)"),
         ("answered_at", "datetime", "答复时间（UTC）", "answered (UTC)")],
        ["id"], [{"fields": "lead_unit_id", "reference": {"resource": "departments", "fields": "id"}}],
    ),
    "suggestion_answers": (
        "建议提案的公开答复", "The public answers to suggestions and proposals",
        [("suggestion_id", "integer", "建议提案编号", "suggestion id"), ("round", "integer", "答复轮次", "round"),
         ("category", "string", "答复类别（A/B/C）", "category (A/B/C)"), ("text", "string", "答复（已遮蔽）", "answer (masked)"),
         ("answered_at", "datetime", "答复时间（UTC）", "answered (UTC)"), ("plan_date", "date", "计划完成日期", "planned by")],
        ["suggestion_id", "round"], [{"fields": "suggestion_id", "reference": {"resource": "suggestions", "fields": "id"}}],
    ),
    "rectification_reports": (
        "巡视巡察整改情况通报（已发布的）", "Public rectification reports after inspection rounds (published only)",
        [("round_id", "integer", "巡视巡察编号", "round id"), ("title", "string", "巡视巡察名称", "round"),
         ("unit", "string", "被巡视巡察单位", "unit inspected"), ("starts_on", "date", "进驻开始", "window opens"),
         ("ends_on", "date", "进驻结束", "window closes"), ("published_at", "datetime", "通报时间（UTC）", "published (UTC)"),
         ("findings", "string", "反馈意见（已遮蔽）", "findings (masked)"), ("items", "integer", "整改事项数", "items"),
         ("accepted", "integer", "已完成", "accepted"), ("reported", "integer", "待验收", "awaiting acceptance"),
         ("rejected", "integer", "未通过验收", "not accepted"), ("open", "integer", "整改中", "in progress")],
        ["round_id"], [],
    ),
    "rectification_items": (
        "整改情况通报中的整改事项", "The items of the public rectification reports",
        [("round_id", "integer", "巡视巡察编号", "round id"), ("number", "integer", "序号", "number"),
         ("problem", "string", "问题（已遮蔽）", "problem (masked)"), ("unit", "string", "责任单位", "responsible unit"),
         ("post", "string", "责任岗位", "responsible post"), ("measures", "string", "整改措施（已遮蔽）", "measures (masked)"),
         ("due_on", "date", "整改时限", "deadline"),
         ("status", "string", "状态", "status: open, reported, accepted, rejected"),
         ("done", "string", "整改情况（已遮蔽）", "what was done (masked)"),
         ("decision", "string", "验收意见（已遮蔽）", "the team's decision (masked)")],
        ["round_id", "number"],
        [{"fields": "round_id", "reference": {"resource": "rectification_reports", "fields": "round_id"}}],
    ),
}  # fmt: skip


def columns(resource: str) -> list[str]:
    return [f[0] for f in RESOURCES[resource][2]]


def descriptor(generated_at: str) -> dict[str, Any]:
    """datapackage.json: a table schema per resource, zh + en descriptions, keys, the licence."""
    resources = []
    for name, (zh, en, fields, pk, fks) in RESOURCES.items():
        resources.append({
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": zh, "description": f"{zh} / {en}",
            "schema": {"fields": [{"name": f, "type": t, "title": z, "description": f"{z} / {e}"}
                                  for f, t, z, e in fields],
                       "primaryKey": pk, "foreignKeys": fks},
        })  # fmt: skip
    return {
        "name": "minyi-open-data", "title": "民意公开数据 / minyi open data", "profile": "tabular-data-package",
        "description": "公开诉求、办理记录、承办单位、行政区划、月度办理情况、征求意见及其采纳反馈、建议提案的公开答复、"
        "已发布的巡视巡察整改情况通报；"
        "个人信息已遮蔽，保密与不公开诉求不在其中。每个 CSV 旁有同名 Parquet 文件，内容相同。"
        " / Public demands, their public history, departments, regions, monthly figures, consultations and their"
        " feedback, the public answers to suggestions and proposals, the published rectification reports;"
        " personal data masked, confidential and private"
        " demands left out. Beside each CSV a Parquet file of the same name holds the same table.",
        "licenses": [LICENCE], "created": generated_at, "resources": resources,
    }  # fmt: skip
