"""A city of cases full of personal data, in every state, for the public-surface crawl.

Each planted value is recorded with where it was written. `given` values are what a submitter typed into the
contact form (name, phone, ID number, e-mail, address): they must never appear on a public surface, however the
text writes them (with spaces, dashes, dots, other case, in a greeting or a merged case's reply). The others
are found only by the detector (`minyi.nlp.pii`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN
from minyi.cases import actions as act
from minyi.cases import oversight
from minyi.cases.models import Case
from minyi.cases.rules import Evaluation
from tests.support.factories import make_org, submit
from tests.support.tamper import arrange


def id_number(body17: str) -> str:
    """A valid 18-digit resident ID number (check character computed)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body17, weights, strict=True))
    return body17 + "10X98765432"[total % 11]


def luhn(body: str) -> str:
    """A bank card number with a valid Luhn digit."""
    total = 0
    for i, d in enumerate(int(c) for c in reversed(body)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class Planted:
    """One piece of personal data written somewhere in the world."""

    value: str
    kind: str
    given: bool  # the submitter gave it in the contact form
    sentence: str = ""  # for a detector-only value: the sentence it was written in


@dataclass
class World:
    """The cases, their tracking codes, and every planted value."""

    ids: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    planted: list[Planted] = field(default_factory=list)


ID_A = id_number("51010419900101123")
ID_B = id_number("11010119850307457")
ID_C = id_number("44030519781212002")
CARD = luhn("622202123456789012")

# what submitters typed into the contact form, and how their own texts write it again
PEOPLE: dict[str, dict[str, Any]] = {
    "zhang": {
        "contact": {"name": "张建国", "phone": "138-0013-8000", "id_number": ID_A,
                    "email": "jianguo.zhang@example.com", "address": "明川市湖滨区湖滨路18号3栋2单元301室"},
        "forms": ["张建国", "张 建 国", "13800138000", "138 0013 8000", "138.0013.8000", ID_A,
                  f"{ID_A[:6]}-{ID_A[6:14]}-{ID_A[14:]}", "JianGuo.Zhang@Example.com", "湖滨路18号",
                  "3栋2单元301室"],
    },
    "li": {
        "contact": {"name": "李秀英", "phone": "13900001111"},
        "forms": ["李秀英", "139.0000.1111", "139-0000-1111"],
    },
    "wang": {"contact": {"name": "王小明", "phone": "+86 137 2222 3333"}, "forms": ["王小明", "13722223333"]},
    "zhao": {"contact": {"name": "赵丽华", "email": "lihua@example.net"}, "forms": ["赵丽华", "LIHUA@example.net"]},
    "chen": {"contact": {"name": "陈志强", "id_number": ID_B}, "forms": ["陈志强", ID_B]},
    "zhou": {"contact": {"name": "周海燕", "address": "滨江花园C座1806"}, "forms": ["周海燕", "滨江花园C座1806"]},
    "sun": {"contact": {"name": "孙立新", "phone": "15011112222"}, "forms": ["孙立新", "150 1111 2222"]},
    "wu": {"contact": {"name": "吴国平", "phone": "15833334444"}, "forms": ["吴国平", "15833334444"]},
    "zheng": {"contact": {"name": "郑晓东"}, "forms": ["郑晓东"]},
    "gao": {"contact": {"name": "高秀兰", "phone": "18655556666"}, "forms": ["高秀兰", "18655556666"]},
}  # fmt: skip

# found by the detector only: (value, kind, the sentence it is written in)
DETECTED = [
    ("13712345678", "mobile", "另一位住户手机13712345678也可作证。"),
    (ID_C, "id_card", f"物业经理身份证{ID_C}。"),
    ("other.person@example.org", "email", "物业邮箱other.person@example.org一直不回。"),
    (CARD, "bank_card", f"押金退到银行卡{CARD}。"),
    ("湘A12345", "plate", "占道的车车牌湘A12345。"),
    ("0731-88886666", "phone", "物业座机0731-88886666没人接。"),
    ("黄志明", "name", "我叫黄志明，是楼长。"),
    ("幸福小区5栋2单元301室", "address", "楼长家住幸福小区5栋2单元301室。"),
    # the kinds found missing on the public pages (issue 9 item 4, issue 14 section 4)
    ("刘德明", "neighbour", "邻居刘德明每天半夜装修。"),
    ("湖滨路28号", "street_number", "施工队住在湖滨路28号。"),
    ("滨江花园B座1502", "flat", "漏水的是滨江花园B座1502。"),
    ("440305-19781212-0021", "dashed_id", "他登记的证件号是440305-19781212-0021。"),
    ("137.0000.2222", "dotted_phone", "楼下电话137.0000.2222。"),
    ("zhang_wx2024", "wechat", "可以加微信: zhang_wx2024 联系。"),
    ("2760013579", "qq", "业主群QQ 2760013579。"),
    ("qianduoduo88", "wechat", "群主VX：qianduoduo88。"),
    ("壹叁捌零零零零壹贰叁肆", "chinese_numeral_phone", "保安电话壹叁捌零零零零壹贰叁肆。"),
    ("钱多多", "name", "联系人：钱多多。"),
]
# a bare name at the head of a title, not given as contact
TITLED = ("刘大海", "title_name", "刘大海投诉楼上噪音")


def _body(who: str, n: int) -> str:
    forms = PEOPLE[who]["forms"]
    detected = " ".join(s for _, _, s in DETECTED[n % 3 :: 3])
    return f"我是{forms[0]}，小区电梯坏了一个月。" + "；".join(forms[1:]) + "。" + detected


def build(session: Session) -> World:
    """Cases in every state, each written by a submitter who gave contact details."""
    org = make_org(session)
    intake, handler = org.actor("intake"), org.actor("housing-handler")
    cases: list[Case] = []

    def new(who: str, n: int, **kw: Any) -> Case:
        name = PEOPLE[who]["forms"][0]
        c = submit(session, title=f"{name}反映电梯 {PEOPLE[who]['forms'][-1]}", body=_body(who, n),
                   contact=PEOPLE[who]["contact"], **kw)  # fmt: skip
        cases.append(c)
        return c

    def handled(c: Case) -> Case:
        act.do_accept(session, c, intake)
        act.do_assign(session, c, intake, department_id=org.housing.id)
        act.do_sign_for(session, c, handler)
        return c

    new("sun", 0)  # registered: not public yet, seen only by tracking code
    act.do_accept(session, new("wu", 1), intake)
    assigned = new("zheng", 2)
    act.do_accept(session, assigned, intake)
    act.do_assign(session, assigned, intake, department_id=org.housing.id)
    returned = handled(new("gao", 3))
    act.do_return(session, returned, handler, reason="请联系高秀兰（18655556666），不属本局职责")
    zhang = handled(new("zhang", 4))
    child = new("li", 5)
    act.do_accept(session, child, intake)
    oversight.do_merge(session, child, intake, master=zhang, note="同一部电梯")
    act.do_reply(
        session,
        zhang,
        handler,
        text="张建国您好、李秀英您好：已于湖滨路18号现场核查，电话13800138000已回访。",
    )
    act.do_evaluate(session, zhang, CITIZEN, evaluation=Evaluation.unsatisfied,
                    comment="我是张建国，138.0013.8000，还是没修好")  # fmt: skip
    act.do_reply(
        session, zhang, handler, text="张 建 国您好：已更换主板，JianGuo.Zhang@Example.com 已收到照片。"
    )
    act.do_evaluate(session, zhang, CITIZEN, evaluation=Evaluation.satisfied, comment="满意，李秀英也满意")
    replied = handled(new("wang", 6))
    act.do_reply(session, replied, handler, text="王小明您好：已联系物业，13722223333 已回访。")
    rehandling = handled(new("zhou", 7))
    act.do_reply(session, rehandling, handler, text="周海燕女士您好：滨江花园C座1806的问题已转交物业。")
    act.do_evaluate(session, rehandling, CITIZEN, evaluation=Evaluation.unsatisfied,
                    comment="周海燕：滨江花园C座1806还在漏")  # fmt: skip
    act.do_decline(session, new("chen", 8), intake, reason=f"陈志强您好：身份证{ID_B}所在单位不在本市")
    act.do_withdraw(session, new("zhao", 9), CITIZEN, reason="赵丽华撤回，LIHUA@example.net")
    handled(new("gao", 10, visibility="confidential"))
    act.do_accept(session, new("wu", 11, visibility="private"), intake)
    titled = submit(session, title=TITLED[2], body="楼上每天半夜装修。", contact={"phone": "13655557777"})
    act.do_accept(session, titled, intake)
    cases.append(titled)
    handled(new("zheng", 12, anonymous=True))
    arrange(session)
    world = World(ids=[c.id for c in cases], codes=[c.tracking_code for c in cases])
    for person in PEOPLE.values():
        world.planted += [Planted(v, "given", True) for v in person["forms"]]
        world.planted += [Planted(v, "given", True) for v in person["contact"].values()]
    world.planted += [Planted(v, kind, False, sentence) for v, kind, sentence in [*DETECTED, TITLED]]
    return world
