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
FACTS = re.compile(r"经(查|核实|调查|了解|现场|走访)|据(查|了解|核实)|核查|调查|现场|实地")
BASIS = re.compile(
    r"根据|依据|按照[^。，]{0,30}(规定|要求|标准|政策|文件|办法)|《[^》]{2,60}》|第[一二三四五六七八九十百\d]+条"
    r"|规定|政策|条例|办法|标准|法律|法规|文件精神"
)
REASON = re.compile(r"因为|由于|原因|因此|所以|故|鉴于|为了|目的")
REFERRAL = re.compile(
    r"请(您|你|你们)?(直接)?向[^。，]{2,30}(反映|咨询|申请|投诉)|建议(您|你|你们)?(直接)?向[^。，]{2,30}(咨询|反映)"
    r"|请(您|你)?(直接)?(拨打|致电|联系)[^。]{0,30}(电话|热线)|不属于(我|本)(局|单位|部门|中心)?(职责|职能|管辖)"
)
QUESTION = re.compile(
    r"[？?]|是否|能否|何时|什么时候|怎么|如何|为什么|为何|多少|哪些|一是|二是|其一|其二|[一二三四五六七八九][、.．]|\d[、．]"
)
_HAN2 = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class ReplyThresholds:
    """Cut-offs turning component scores into yes/no; tuned leave-one-out on the 50 labels (docs/insight.md)."""

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


def score_reply(
    message_text: str,
    reply_text: str,
    asked_at: datetime | None = None,
    replied_at: datetime | None = None,
    thresholds: ReplyThresholds | None = None,
    count_workdays: WorkdayCounter | None = None,
) -> ReplyScore:
    """Score one reply against the message it answers; working days are counted by `count_workdays` (the platform
    hands its calendar's counter, administrators' days included; else the official calendar alone)."""
    t = thresholds or ReplyThresholds()
    count = count_workdays or WorkCalendar().workdays_elapsed
    msg, reply = normalize(message_text), normalize(reply_text)
    body = substance(reply)
    n = len(body)
    relevance = _cosine(_bigrams(msg), _bigrams(reply))
    # Coverage of the message's distinctive bigrams (those not in every reply's boilerplate).
    mb = {g for g in _bigrams(msg) if g}
    coverage = len(mb & set(_bigrams(body))) / len(mb) if mb else 0.0
    actions, facts = len(ACTION.findall(body)), len(FACTS.findall(body))
    basis, reasons = len(BASIS.findall(body)), len(REASON.findall(body))
    questions = len(QUESTION.findall(msg))
    length = _sat(n - 40, 360)
    completeness = 0.45 * length + 0.3 * _sat(actions + facts, 4) + 0.25 * _sat(coverage, 0.35)
    if questions >= 3:
        completeness *= 0.8 + 0.2 * _sat(n, 150 * math.log2(questions))
    explanation = 0.4 * length + 0.45 * _sat(basis + 0.5 * reasons, 2) + 0.15 * _sat(facts, 2)
    ack = bool(ACK.search(reply)) and n < 80 and facts == 0 and basis == 0
    template = ack or (len(reply) > 0 and n / len(reply) < 0.35)
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
        referral=bool(REFERRAL.search(body)) and n < 150,
        complete=not ack and ((questions >= 1 and n >= t.answer_chars) or completeness >= t.complete),
        explained=explanation >= t.explained and not ack,
        overall=round(overall, 4),
        details={
            "substance_chars": float(n),
            "actions": float(actions),
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
    if score.relevance < t.weak_relevance:
        reasons.append("与留言内容关联很弱，可能答非所问")
    if score.workdays is not None and score.workdays > t.late_workdays:
        reasons.append(f"答复用了{score.workdays}个工作日，超过{t.late_workdays}个")
    is_weak = bool(reasons)
    if not score.explained:
        reasons.append("建议：给出依据（事实、政策、规定或理由）")
    return is_weak, reasons
