"""Reply quality (答复质量): is an official reply relevant, complete, explained, timely, or a bare template?"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from minyi.deadlines.workcal import WorkCalendar
from minyi.nlp.text import normalize

WorkdayCounter = Callable[[datetime, datetime], int]
"""Working days from one instant to another, as the deadlines slice counts them (WorkCalendar.workdays_elapsed)."""

# Greeting and closing formulas every reply carries; they say nothing about the case.
_BOILER = re.compile(
    r"(网友|市民|尊敬的)[^，,：:！!]{0,20}(您好|你好)[！!，,：:]?"
    r"|您?(的|反映的)?[^。！]{0,60}(留言|来信|信件|问题)(已|已经)收悉[。，,！!]?"
    r"|现将(有关|相关|调查|处理|调查处理)?(情况|结果)?(回复|答复)如下[：:]?"
    r"|(感谢|谢谢)您?(对我们工作|对我市|对我们)[^。！]{0,30}[。！!]?"
    r"|\d{4}年\d{1,2}月\d{1,2}日\s*$"
)
ACK = re.compile(
    r"已收悉|已转(交|至|办)|转(交|送|办)(相关|有关)?(部门|单位)|请耐心等待|正在(调查|核实|处理)中"
)
ACTION = re.compile(
    r"已(经)?(责成|安排|组织|督促|要求|完成|拆除|清理|整改|处理|解决|恢复|修复|办理|约谈|查处|下达|立案|开展)"
    r"|将(会)?[^。，]{0,12}(督促|安排|启动|完成|实施|推进|开展|处理|解决|整改|跟进|建设|纳入|加强)"
    r"|下一步|计划|预计|拟于|责令|限期|督促|整改|立案|罚款|处罚|已于|目前已|正在|加快|尽快"
)
# What became of the demand, in any of its usual forms: a step taken or dated, a decision, a status, a procedure.
OUTCOME = re.compile(
    r"已(经)?[^。;!?]{0,20}?(责成|安排|组织|督促|要求|完成|拆除|清理|整改|处理|解决|恢复|修复|办理|约谈"
    r"|查处|下达|立案|开展|纳入|列入|上报|批复|采纳|建成|开工|启动|停止|关闭|取缔|疏通|制定|出台|联系|协调|召开|达成|签订"
    r"|发放|设置|增设|调整|安装|实施|劝导|批评|处罚|罚款|整治|终止|报废|移出|拆|停|报|反映|恢复|改善|铺设|修缮|落实)"
    r"|(将|拟|计划|预计|争取|力争|待)[^。；]{0,25}(完成|启动|开工|建成|实施|安装|设置|调整|发放|通车|开通|办结|拆除|整改"
    r"|到位|修复|维修|解决|通电|施工|公布|公示|动工|召开|纳入|增设|改造|处理|督促|联合|协调|研究)"
    r"|(得到|有所|明显|有效)(改善|缓解|解决|提升)|到[^。，]{0,20}(办理|申请)|提出申请"
    r"|限期|责令|罚款|处罚|停产|停业|查封|暂扣|通报"
    r"|不宜|不能|无法|不予|不可|可以|可在|可到|可凭|不符合|符合|不属于|不存在|暂无|暂未|尚未|并未|未(发现|纳入|列入|规划|拖欠)"
    r"|不需要|无需|须|需(要)?(提交|携带|提供)|携带|办理流程|手续|受理|属实|不属实|基本属实"
    r"|目前|现已|正在|已于|截至|\d{1,2}月\d{1,2}日|\d{4}年(底|年底|上半年|下半年|\d{1,2}月)"
)
FACTS = re.compile(
    r"经(查|核实|调查|了解|现场|走访|核查|实地|检测|监测|勘查|审核|查询)|据(查|了解|核实|调查)"
    r"|(现场|实地)(查看|检查|勘查|核实|调查|踏勘)|属实|确实|确系|检测|监测|查阅|调取"
)
BASIS = re.compile(
    r"根据|依据|按照[^。，]{0,30}(规定|要求|标准|政策|文件|办法)|《[^》]{2,60}》|第[一二三四五六七八九十百\d]+条"
    r"|规定|政策|条例|办法|标准|法律|法规|文件精神"
)
# Sentences that only acknowledge, forward, refer elsewhere, give a phone number or say thanks: not an answer.
_HOLLOW = re.compile(
    r"(已|现)?(转|转交|转至|交办|转办|交由|交)[^。；]{0,30}(调查|核实|核处|办理|处理|办复|答复|反馈|部门|单位)"
    r"|收悉|获悉|悉知|阅悉|请(您)?耐心等待|感谢|谢谢|欢迎|祝您|敬请|谅解|深表歉意"
    r"|(电话|热线|联系方式)[:：]?[\d\-—]{3,}|联系电话|咨询电话|投诉电话"
    r"|高度重视|非常重视|十分重视"
)
REASON = re.compile(
    r"因为|由于|原因|因此|所以|鉴于|为了|目的|因(?!此)[^。，]{2,20}(，|,|导致|而|暂|未|无法|不)|导致|系[^。，]{2,20}所致|考虑到"
)
REFERRAL = re.compile(
    r"请(您|你|你们)?(直接)?向[^。，]{2,30}(反映|咨询|申请|投诉)|建议(您|你|你们)?(直接)?向[^。，]{2,30}(咨询|反映)"
    r"|请(您|你)?(直接)?(拨打|致电|联系)[^。]{0,30}(电话|热线)|不属于(我|本)(局|单位|部门|中心)?(职责|职能|管辖)"
    r"|(具体)?请(您|你)?(直接)?(咨询|关注)|建议(您|你)?(直接)?(拨打|致电|走司法|通过司法|咨询)|可(以)?(直接)?(致电|拨打)"
)
QUESTION = re.compile(
    r"[？?]|是否|能否|何时|什么时候|怎么|如何|为什么|为何|多少|哪些|一是|二是|其一|其二|[一二三四五六七八九][、.．]|\d[、．]"
)
_CLAUSE = re.compile(r"[。！!；;？?\n]+")
_HAN2 = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class ReplyThresholds:
    """Cut-offs turning component scores into yes/no; measured on the rubric-v1 labels (docs/insight.md §3)."""

    complete: float = 0.4  # complaints (no explicit question): completeness score needed
    answer_chars: int = 40  # questions asked: a substantive answer this long counts as complete
    explained: float = 0.45
    weak_relevance: float = 0.08
    late_workdays: int = 15


@dataclass(slots=True)
class ReplyScore:
    """Component scores (0–1) and verdicts for one reply."""

    relevance: float
    completeness: float
    explanation: float
    timeliness: float
    workdays: int | None
    acknowledgement: bool
    template: bool
    referral: bool
    complete: bool
    explained: bool
    overall: float
    details: dict[str, float] = field(default_factory=dict)


def _bigrams(text: str) -> Counter[str]:
    s = "".join(_HAN2.findall(text))
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def substance(reply: str) -> str:
    """The reply without its greeting, 'received' and thank-you formulas."""
    return _BOILER.sub("", normalize(reply)).strip()


def _sat(x: float, full: float) -> float:
    return min(max(x, 0.0) / full, 1.0)


def core_text(body: str) -> str:
    """The clauses of a reply's substance that carry content (not forwarding, thanks, phone numbers or referrals)."""
    kept = []
    for clause in _CLAUSE.split(body):
        hollow = _HOLLOW.search(clause) or REFERRAL.search(clause)
        content = OUTCOME.search(clause) or FACTS.search(clause) or BASIS.search(clause)
        if clause and not (hollow and (len(clause) < 60 or not content)):
            kept.append(clause)
    return "。".join(kept)


def score_reply(
    message_text: str,
    reply_text: str,
    asked_at: datetime | None = None,
    replied_at: datetime | None = None,
    thresholds: ReplyThresholds | None = None,
    count_workdays: WorkdayCounter | None = None,
) -> ReplyScore:
    """Score one reply against the message it answers (rubric: docs/reply-rubric.md); working days are counted by
    `count_workdays` (the platform hands its calendar's counter, administrators' days included; else the official
    calendar alone)."""
    t = thresholds or ReplyThresholds()
    count = count_workdays or WorkCalendar().workdays_elapsed
    msg, reply = normalize(message_text), normalize(reply_text)
    body = substance(reply)
    core = core_text(body)
    n, nc = len(body), len(core)
    relevance = _cosine(_bigrams(msg), _bigrams(reply))
    # Coverage of the message's bigrams by the reply's substance.
    mb = set(_bigrams(msg))
    coverage = len(mb & set(_bigrams(body))) / len(mb) if mb else 0.0
    outcomes, facts = len(OUTCOME.findall(core)), len(FACTS.findall(core))
    basis, reasons = len(BASIS.findall(core)), len(REASON.findall(core))
    questions = len(QUESTION.findall(msg))
    length = _sat(nc - 20, 200)
    completeness = (
        0.3 * length + 0.5 * _sat(outcomes + 0.5 * (facts + basis + reasons), 2) + 0.2 * _sat(coverage, 0.35)
    )
    if questions >= 3:
        completeness *= 0.8 + 0.2 * _sat(nc, 100 * math.log2(questions))
    grounds = basis + reasons + min(facts, 1)
    explanation = 0.25 * length + 0.75 * _sat(grounds, 1.5)
    ack = bool(ACK.search(reply) or _HOLLOW.search(reply)) and nc < 20
    template = ack or (len(reply) > 0 and n / len(reply) < 0.35 and nc < 80)
    workdays = count(asked_at, replied_at) if asked_at and replied_at else None
    timeliness = 1.0 if workdays is None else max(0.0, 1.0 - max(workdays - 5, 0) / (2 * t.late_workdays))
    overall = (
        0.2 * min(relevance / 0.3, 1.0) + 0.35 * completeness + 0.3 * explanation + 0.15 * timeliness
    ) * (0.4 if ack else 1.0)
    return ReplyScore(
        relevance=round(relevance, 4),
        completeness=round(completeness, 4),
        explanation=round(explanation, 4),
        timeliness=round(timeliness, 4),
        workdays=workdays,
        acknowledgement=ack,
        template=template,
        referral=bool(REFERRAL.search(body)) and nc < 60,
        complete=not ack and nc >= 20 and completeness >= t.complete,
        explained=not ack and nc >= 20 and explanation >= t.explained,
        overall=round(overall, 4),
        details={
            "substance_chars": float(n),
            "core_chars": float(nc),
            "outcomes": float(outcomes),
            "facts": float(facts),
            "basis": float(basis),
            "reasons": float(reasons),
            "questions": float(questions),
            "coverage": round(coverage, 4),
        },
    )


def weak(score: ReplyScore, thresholds: ReplyThresholds | None = None) -> tuple[bool, list[str]]:
    """Should a handler rework this reply before sending? (weak, reasons); a missing basis alone is advice only."""
    t = thresholds or ReplyThresholds()
    reasons: list[str] = []
    if score.acknowledgement:
        reasons.append("只是收悉/转办告知，没有处理结果")
    elif score.template:
        reasons.append("大部分是套话，实质内容太少")
    if score.referral:
        reasons.append("只是让群众另找部门或电话，没有替群众办")
    if not score.complete:
        reasons.append("没有逐项回应诉求或没有说明将怎么办")
    if score.relevance < t.weak_relevance and not score.complete:
        reasons.append("与留言内容关联很弱，可能答非所问")
    if score.workdays is not None and score.workdays > t.late_workdays:
        reasons.append(f"答复用了{score.workdays}个工作日，超过{t.late_workdays}个")
    is_weak = bool(reasons)
    if not score.explained:
        reasons.append("建议：给出依据（事实、政策、规定或理由）")
    return is_weak, reasons
