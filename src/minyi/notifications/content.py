"""The words of each notification, Chinese and English, from its template name and parameters. Pure."""

from __future__ import annotations

from typing import Any

from minyi.deadlines.rules import LEVEL_ZH, LEVELS

# template -> (subject zh, body zh, subject en, body en); {names} come from the notification's parameters
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "registered": (
        "您的诉求已登记：{code}", "您的诉求“{title}”已登记。查询码：{code}（请妥善保存，仅您本人知晓）。查看进度：{url}",
        "Your demand is registered: {code}",
        "Your demand \"{title}\" is registered. Tracking code: {code} (keep it; only you have it). Follow it: {url}",
    ),
    "accepted": ("您的诉求已受理：{code}", "您的诉求“{title}”已受理，正在办理。查看进度：{url}",
                 "Your demand is accepted: {code}", "Your demand \"{title}\" is accepted and being handled: {url}"),
    "declined": ("您的诉求未予受理：{code}", "您的诉求“{title}”未予受理。理由：{reason}。详情：{url}",
                 "Your demand was declined: {code}", "Your demand \"{title}\" was declined. Reason: {reason}. {url}"),
    "replied": ("您的诉求已答复：{code}", "您的诉求“{title}”已答复：\n\n{reply}\n\n请评价：{url}",
                "Your demand has a reply: {code}", "Your demand \"{title}\" has a reply:\n\n{reply}\n\nPlease rate it: {url}"),
    "rehandling": ("您的诉求已重新办理：{code}", "您对答复不满意，诉求“{title}”已重新交办理。查看进度：{url}",
                   "Your demand is being handled again: {code}",
                   "You were not satisfied, so \"{title}\" is being handled again: {url}"),
    "closed": ("您的诉求已办结：{code}", "您的诉求“{title}”已办结。查看：{url}",
               "Your demand is closed: {code}", "Your demand \"{title}\" is closed: {url}"),
    "assigned": ("新交办案件 #{case_id}", "案件 #{case_id}“{title}”已交办贵单位，请及时签收：{url}",
                 "New case #{case_id}", "Case #{case_id} \"{title}\" is assigned to your department; sign for it: {url}"),
    "returned": ("案件被退回 #{case_id}", "案件 #{case_id}“{title}”被承办单位退回，理由：{reason}。请重新交办：{url}",
                 "Case returned #{case_id}", "Case #{case_id} \"{title}\" was returned: {reason}. Assign it again: {url}"),
    "supervised": ("督办通知 #{case_id}", "案件 #{case_id}“{title}”已被督办，请加快办理：{url}",
                   "Supervision notice #{case_id}", "Case #{case_id} \"{title}\" is under supervision; act now: {url}"),
    "escalated": ("{level_zh}通知 #{case_id}", "案件 #{case_id}“{title}”：{level_zh}。请在期限内办理：{url}",
                  "{level_en} notice #{case_id}", "Case #{case_id} \"{title}\": {level_en}. Act before the deadline: {url}"),
    "extension_decided": ("延期申请{approved_zh} #{case_id}", "案件 #{case_id}“{title}”的延期申请（{days}个工作日）{approved_zh}：{url}",
                          "Extension {approved_en} #{case_id}",
                          "The extension ({days} working days) for case #{case_id} \"{title}\" was {approved_en}: {url}"),
    "digest": ("每日提醒：{count}件案件即将到期", "贵单位有{count}件案件将在{workdays}个工作日内到期：\n{items}\n{url}",
               "Daily digest: {count} cases fall due", "{count} cases of your department fall due within {workdays} working days:\n{items}\n{url}"),
    # suggestions and proposals (建议提案): the units that answer, and the proposer who asked to hear
    "suggestion_assigned": ("建议提案交办：{subject}", "“{subject}”已交办贵单位（{role_zh}），答复期限：{due}。{url}",
                            "Suggestion assigned: {subject}",
                            "\"{subject}\" is assigned to your unit ({role_en}); answer by {due}. {url}"),
    "suggestion_assigned_proposer": ("您的建议提案已交办", "您的“{subject}”已交办{unit}办理，答复期限：{due}。{url}",
                                     "Your suggestion is assigned", "Your \"{subject}\" is assigned to {unit}; answer due by {due}. {url}"),
    "suggestion_answered": ("您的建议提案已答复", "您的“{subject}”已收到答复，请查看并评价：{url}",
                            "Your suggestion is answered", "Your \"{subject}\" has an answer; read and judge it: {url}"),
    "suggestion_due": ("建议提案答复即将到期：{count}件", "贵单位主办的{count}件建议提案将在{workdays}个工作日内到期答复：\n{items}\n{url}",
                       "Suggestions due: {count}", "{count} suggestions your unit leads must be answered within {workdays} working days:\n{items}\n{url}"),
    # consultations (意见征集): those who asked to hear of them
    "consultation_opened": ("新的意见征集：{title}", "“{title}”正在征求意见，截止：{closes}。参与：{url}",
                            "New consultation: {title}", "\"{title}\" is open for comment until {closes}: {url}"),
    "consultation_answered": ("意见采纳情况反馈：{title}", "“{title}”已发布意见采纳情况反馈：{url}",
                              "Feedback report: {title}", "The feedback report of \"{title}\" is out: {url}"),
    "consultation_invited": ("邀请您就“{title}”提出意见", "{name}：您好！“{title}”正在征求意见，诚邀您以{role_zh}身份提交书面意见（意见将署名公开）。请通过以下链接提交：{invitation}",
                             "Invitation to comment: {title}", "Dear {name}, \"{title}\" is open for comment and you are invited to submit a written opinion as {role_en} (it is published with your name). Submit it here: {invitation}"),
    # alerts (预警): supervisors
    "alert": ("预警：{series}", "发现异常增多：{series}（{count}件，通常约{expected}件）。请查看：{url}",
              "Alert: {series}", "A surge: {series} ({count} cases, about {expected} expected). See: {url}"),
    # rectification items (整改): the responsible unit's staff
    "rectification_assigned": ("整改事项交办：第{number}项", "整改清单第{number}项已交办贵单位（责任岗位：{post}），整改期限：{due}。{url}",
                               "Rectification item {number} assigned",
                               "Item {number} of the rectification list is assigned to your unit (post: {post}); due {due}. {url}"),
    "rectification_due": ("整改即将到期：第{number}项", "整改清单第{number}项将于{due}到期，请按时完成并报送整改材料：{url}",
                          "Rectification item {number} falls due", "Item {number} of the rectification list falls due on {due}; report it done with its evidence: {url}"),
    "rectification_overdue": ("整改逾期督办：第{number}项", "整改清单第{number}项已超过整改期限（{due}），请立即整改并报送：{url}",
                              "Rectification item {number} is overdue", "Item {number} of the rectification list is past its deadline ({due}); act now: {url}"),
    "rectification_rejected": ("整改未通过验收：第{number}项", "整改清单第{number}项未通过巡视巡察组验收，请查看意见并重新报送：{url}",
                               "Rectification item {number} not accepted", "The team did not accept item {number} of the rectification list; read why and report again: {url}"),
    # sealed reports (举报): a notice that something awaits the inspector, and nothing of what or who
    "report_new": ("新的举报待处理", "有一件新的举报待您处理，请登录查看：{url}",
                   "A new report awaits you", "A new report awaits you; sign in to read it: {url}"),
    "report_reply": ("举报人有新的回复", "一条回复待您查看，请登录查看：{url}",
                     "A reply awaits you", "A reply awaits you; sign in to read it: {url}"),
    # the double opt-in of a subscription
    "confirm_subscription": ("请确认订阅通知", "有人用此地址订阅了：{topic_zh}。如是您本人，请打开以下链接确认：{confirm}\n如不是，请忽略，不会再收到。",
                             "Please confirm", "Someone used this address to subscribe to: {topic_en}. If it was you, confirm: {confirm}\nIf not, ignore this; nothing more is sent."),
    # a citizen's new contact address: confirmed by its owner first, and the replaced one told
    "confirm_contact": ("请确认接收诉求办理通知", "有人请求今后把一件诉求的办理进展发到此地址。如是您本人，请打开以下链接确认：{confirm}\n如不是，请忽略，不会再收到。",
                        "Please confirm", "Someone asked for news of a demand to be sent to this address from now on. If it was you, confirm: {confirm}\nIf not, ignore this; nothing more is sent."),
    "contact_changed": ("诉求通知地址已更换", "您一件诉求的办理进展今后将发送到 {masked}。如不是您本人所为，请凭查询码在 {url} 重新填写联系方式。",
                        "Your contact for a demand changed", "News of your demand will now be sent to {masked}. If this was not you, give your address again with your tracking code at {url}."),
}  # fmt: skip

CONFIDENTIAL_TITLE = ("（保密案件）", "(confidential case)")


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def derived(template: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters plus the words they imply (level names, approved or refused)."""
    out = _Params(params)
    if template == "escalated":
        level = int(params.get("level") or 1)
        out["level_zh"], out["level_en"] = LEVEL_ZH.get(level, "催办"), LEVELS.get(level, "reminder")
    if template == "extension_decided":
        approved = bool(params.get("approved"))
        out["approved_zh"], out["approved_en"] = (
            ("已批准", "approved") if approved else ("未获批准", "refused")
        )
    if not params.get("title"):
        out["title"] = CONFIDENTIAL_TITLE[0] if template else ""
    return out


UNSUBSCRIBE = (
    "\n\n——\n不想再收到这类通知？退订：{unsubscribe}",
    "\n\n--\nStop these messages: {unsubscribe}",
)


def render(template: str, params: dict[str, Any], language: str) -> tuple[str, str]:
    """(subject, body) in the recipient's language; a message that goes out carries its unsubscribe link."""
    zh_subject, zh_body, en_subject, en_body = TEXTS[template]
    values = derived(template, params)
    footer = UNSUBSCRIBE if params.get("unsubscribe") else ("", "")
    if language == "en":
        if not params.get("title"):
            values["title"] = CONFIDENTIAL_TITLE[1]
        return en_subject.format_map(values), (en_body + footer[1]).format_map(values)
    return zh_subject.format_map(values), (zh_body + footer[0]).format_map(values)


def without_code(text: str, params: dict[str, Any]) -> str:
    """The text with the tracking code masked: what staff see of a citizen's notification."""
    code = str(params.get("code") or "")
    if not code:
        return text
    return text.replace(code, "••••••").replace(code.replace("-", ""), "••••••")


def sms_params(template: str, params: dict[str, Any]) -> dict[str, str]:
    """The variables an operator's registered SMS template takes (short; no reply text in an SMS)."""
    keys: tuple[str, ...] = ("code",) if "code" in params else ("case_id", "count", "item_id", "invitation")
    keys += ("unsubscribe",)
    return {k: str(params[k]) for k in keys if params.get(k) is not None}
