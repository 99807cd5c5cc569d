"""The open-data package: valid for frictionless, streamed, and with no personal data in any byte."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from frictionless import Package
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, SYSTEM, Actor
from minyi.accounts.roles import Role
from minyi.cases import actions as act
from minyi.cases import present
from minyi.cases.models import Case
from minyi.cases.oversight import do_merge
from minyi.cases.redaction import text_revision
from minyi.cases.rules import Evaluation
from minyi.cases.search import reindex
from minyi.consultation import actions as cact
from minyi.consultation import participation as part
from minyi.consultation.schemas import GroupIn, GroupsIn
from minyi.inspection.commands import COMMANDS, execute
from minyi.inspection.schemas import FindingsIn
from minyi.opendata import case_export
from minyi.opendata import export as exporter
from minyi.opendata.package import RESOURCES, columns
from minyi.uow import write
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org, submit
from tests.support.inspections import item, make_inspectors, open_round, published_round_with
from tests.support.suggestions import answered_suggestion, run


def _id_number(body17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


def _luhn(body: str) -> str:
    total = 0
    for i, d in enumerate(int(c) for c in reversed(body)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


SECRETS = {
    "name": "欧阳建华", "mobile": "13987654321", "id": _id_number("43010219850612331"),
    "email": "ouyang.jh@example.net", "card": _luhn("621700123412341234"), "other_mobile": "15911112222",
}  # fmt: skip
DIRTY = (
    f"我叫{SECRETS['name']}，电话{SECRETS['mobile']}，身份证{SECRETS['id']}，邮箱{SECRETS['email']}，"
    f"银行卡{SECRETS['card']}，邻居手机{SECRETS['other_mobile']}。小区垃圾一周没人清运。"
)
CONFIDENTIAL_MARK = "绝密举报内容甲乙丙"
DRAFT_MARK = "未公开的征求意见草稿庚辛"
WITHHELD_MARK = "不公开答复的建议壬癸"
PRIVATE_MARK = "不公开诉求丁戊己"
UNPUBLISHED_MARK = "尚未通报的整改事项子丑寅"


def _dirty_world(session: Session) -> None:
    org = make_org(session)
    intake, handler = org.actor("intake"), org.actor("housing-handler")
    contact = {
        "name": SECRETS["name"],
        "phone": SECRETS["mobile"],
        "email": SECRETS["email"],
        "id_number": SECRETS["id"],
    }
    named = submit(session, title=f"{SECRETS['name']}反映垃圾", body=DIRTY, contact=contact)
    anonymous = submit(
        session, title="匿名反映", body=f"{SECRETS['name']}说{DIRTY}", contact=contact, anonymous=True
    )
    for c in (named, anonymous):
        act.do_accept(session, c, intake)
    act.do_assign(session, named, intake, department_id=org.housing.id)
    act.do_sign_for(session, named, handler)
    act.do_reply(
        session, named, handler, text=f"已电话联系{SECRETS['name']}（{SECRETS['mobile']}），已清运。"
    )
    act.do_evaluate(
        session, named, CITIZEN, evaluation=Evaluation.satisfied, comment=f"谢谢，我的卡号{SECRETS['card']}"
    )
    secret = submit(session, kind="report", title=CONFIDENTIAL_MARK, body=DIRTY + CONFIDENTIAL_MARK,
                    visibility="confidential", contact=contact)  # fmt: skip
    act.do_accept(session, secret, org.actor("admin"))
    private = submit(session, title=PRIVATE_MARK, body=DIRTY, visibility="private")
    act.do_accept(session, private, intake)
    submit(session, title="尚未受理", body=DIRTY)
    _dirty_participation(session, org)
    _dirty_rectification(session, org)


def _dirty_rectification(session: Session, org: Org) -> None:
    """A published rectification report whose findings, items, work and decisions carry the planted values, and a
    round still rectifying (its items must not be published at all)."""
    published_round_with(session, [DIRTY, f"{SECRETS['name']}同志已整改，电话{SECRETS['mobile']}"])
    lead = make_inspectors(session, org)["inspector"]
    rnd = open_round(session, org, lead, [])
    findings = FindingsIn(findings=UNPUBLISHED_MARK, items=[item(org, rnd.ends_on + timedelta(days=30))])
    execute(session, lead, rnd.id, COMMANDS["give_findings"], findings)


def _dirty_participation(session: Session, org: Org) -> None:
    """A consultation whose comments, groups and answers, and suggestions whose subjects and answers, carry the
    planted values; a draft consultation and a withheld answer that must not be published at all."""
    head = org.actor("housing-head")
    c = make_consultation(session, org, title=f"加装电梯办法（联系人{SECRETS['name']}）")
    p = part.do_join(session, c)
    part.do_comment(session, c, p, clause_id=None, body=DIRTY)  # held by moderation for its personal data
    comment = part.do_comment(session, c, p, clause_id=None, body="补贴应提高到三十万元")
    cact.do_close(session, c, head)
    (group,) = cact.do_group_comments(session, c, head, body=GroupsIn(groups=[
        GroupIn(title=f"{SECRETS['name']}先生提出的补贴意见", comment_ids=[comment.id])]))  # fmt: skip
    cact.do_answer_group(session, c, head, group_id=group.id, answer="adopted",
                         reason=f"已采纳，已电话告知{SECRETS['mobile']}")  # fmt: skip
    make_consultation(session, org, open_it=False, title=DRAFT_MARK)
    answered_suggestion(session, org, number=8, subject=f"关于加装电梯的建议（联系电话{SECRETS['mobile']}）", body=DIRTY,
                        answer=f"已与代表（{SECRETS['other_mobile']}）电话沟通，补贴标准已提高至每台二十五万元。")  # fmt: skip
    withheld = answered_suggestion(session, org, number=9, subject=WITHHELD_MARK, body="涉密事项",
                                   answer="该答复涉及国家秘密事项，经审查决定不予公开，已当面告知代表本人。")  # fmt: skip
    run(session, org, withheld, "withhold", "intake", reason="涉及国家秘密")


def test_the_package_validates_and_holds_no_personal_data(session: Session, tmp_path: Path) -> None:
    _dirty_world(session)
    tmp_path = tmp_path / "package"
    counts = exporter.export_package(session, tmp_path)
    assert counts["cases"] == 2 and counts["history"] >= 4 and counts["departments"] == 3
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["datapackage.json", *(f"{r}.csv" for r in RESOURCES), *(f"{r}.parquet" for r in RESOURCES)]
    )
    assert (counts["consultations"], counts["consultation_answers"]) == (1, 1)
    assert (counts["suggestions"], counts["suggestion_answers"]) == (1, 1)
    assert (counts["rectification_reports"], counts["rectification_items"]) == (1, 2)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("*.[cj]s*")))
    for parquet in sorted(tmp_path.glob("*.parquet")):  # compressed: read back, every cell
        table = pq.read_table(parquet)
        assert table.num_rows == counts[parquet.stem] and table.column_names == columns(parquet.stem)
        text += json.dumps(table.to_pylist(), ensure_ascii=False, default=str)
    for kind, value in SECRETS.items():
        assert value not in text, f"{kind} leaked into the package"
    for mark in (CONFIDENTIAL_MARK, PRIVATE_MARK, "尚未受理", DRAFT_MARK, WITHHELD_MARK, UNPUBLISHED_MARK):
        assert mark not in text, mark
    assert "adopted" in text and "【姓名】" in text  # the answers are there, masked
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert all(" / " in f["description"] for r in descriptor["resources"] for f in r["schema"]["fields"])
    with (tmp_path / "scoreboard_monthly.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sum(int(r["received"]) for r in rows) >= 1 and sum(int(r["replied"]) for r in rows) == 1


def test_cases_are_read_by_id_range_each_case_once(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = make_org(session)
    for i in range(7):
        act.do_accept(session, submit(session, title=f"第{i}件", body="路灯不亮"), org.actor("intake"))
    monkeypatch.setattr(case_export, "SPAN", 3)
    sizes: list[int] = []
    real = case_export.public_fields

    def spy(s: Session, cases: list, **kw: object) -> list:  # type: ignore[type-arg]
        sizes.append(len(cases))
        return real(s, cases, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(case_export, "public_fields", spy)
    assert exporter.export_package(session, tmp_path / "package")["cases"] == 7
    assert sizes == [3, 3, 1]  # a range at a time, each case once
    with (tmp_path / "package" / "cases.csv").open(encoding="utf-8") as f:
        assert len({row["id"] for row in csv.DictReader(f)}) == 7


FAMILY_NAME = "李小明"  # a bare name the detector cannot know: only the merged family's contact tells it


def test_the_stored_masked_text_is_used_when_current_and_gives_the_same_package(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _dirty_world(session)
    org_intake = Actor(Role.intake, "intake")
    master = submit(session, title="路灯不亮", body=f"{FAMILY_NAME}家门口的路灯坏了，晚上看不见路。")
    act.do_accept(session, master, org_intake)
    duplicate = submit(
        session, title="路灯", body="门口路灯坏了", contact={"name": FAMILY_NAME, "phone": "13700001111"}
    )
    do_merge(session, duplicate, org_intake, master=master)
    assert master.public_text_rev == text_revision() and FAMILY_NAME in (master.public_body or "")
    masked: list[str] = []

    def counting(text: str | None, known: object = None) -> str | None:
        masked.append(text or "")
        return real_mask(text, known) if known is not None else real_mask(text)  # type: ignore[arg-type]

    real_mask = present.mask
    monkeypatch.setattr(present, "mask", counting)
    exporter.export_package(session, tmp_path / "stored")
    with_stored = list(masked)
    with write(session, SYSTEM) as tx:  # as after a change of the detector: every stored text out of date
        session.execute(update(Case).values(public_text_rev="0" * 16))
        tx.record("test.stale_public_text", "case", None, {})
    masked.clear()
    exporter.export_package(session, tmp_path / "masked")
    for name in ("cases.csv", "history.csv"):
        assert (tmp_path / "stored" / name).read_bytes() == (tmp_path / "masked" / name).read_bytes(), name
    assert FAMILY_NAME not in (tmp_path / "stored" / "cases.csv").read_text(
        encoding="utf-8"
    )  # its family masks it
    assert len(masked) - len(with_stored) == 2 * 2  # title and body of the two public cases that are alone
    with write(session, SYSTEM) as tx:  # `minyi db reindex` masks afresh and marks the texts current again
        reindex(session)
        tx.record("search.reindex", "search_index", None, {})
    assert set(session.scalars(select(Case.public_text_rev))) == {text_revision()}


def test_the_masked_reply_is_stored_with_the_reply_used_when_current_and_remasked_on_demand(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import inspect

    from minyi.audit.models import AuditEntry
    from minyi.cases.public import get_public_case
    from minyi.errors import Forbidden
    from minyi.opendata.actions import do_remask_replies

    _dirty_world(session)
    named = session.scalar(select(Case).where(Case.reply_text.is_not(None)))
    assert named is not None and named.reply_text is not None
    reply, original = named.reply_text, named.public_reply
    assert named.public_reply_rev == text_revision() and "【" in (named.public_reply or "")
    assert SECRETS["mobile"] not in (named.public_reply or "") and SECRETS["name"] not in (
        named.public_reply or ""
    )
    page_case = get_public_case(session, named.id)  # the public pages read it with the case
    assert page_case is not None and not inspect(page_case).unloaded & present.STORED_REPLY
    masked: list[str] = []
    real_mask = present.mask

    def counting(text: str | None, known: object = None) -> str | None:
        masked.append(text or "")
        return real_mask(text, known) if known is not None else real_mask(text)  # type: ignore[arg-type]

    monkeypatch.setattr(present, "mask", counting)
    exporter.export_package(session, tmp_path / "stored")
    assert reply not in masked  # the stored reply, and for its history note too
    with write(session, SYSTEM) as tx:  # as after a change of the detector
        session.execute(update(Case).values(public_reply="过期的遮蔽文本", public_reply_rev="0" * 16))
        tx.record("test.stale_public_reply", "case", None, {})
    masked.clear()
    exporter.export_package(session, tmp_path / "masked")
    assert masked.count(reply) == 1  # masked afresh, once for the reply and its note
    for name in ("cases.csv", "history.csv"):
        assert (tmp_path / "stored" / name).read_bytes() == (tmp_path / "masked" / name).read_bytes(), name
    with pytest.raises(Forbidden):
        do_remask_replies(session, Actor(Role.intake, "intake"))
    assert do_remask_replies(session, SYSTEM, batch=1) == 1
    assert do_remask_replies(session, SYSTEM) == 0  # all current now
    assert do_remask_replies(session, SYSTEM, everything=True) == 1
    session.expire_all()
    again = session.get(Case, named.id)
    assert again is not None and again.public_reply == original
    assert again.public_reply_rev == text_revision()
    entries = session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "opendata.remask_replies")
    ).all()
    assert len(entries) == 2
