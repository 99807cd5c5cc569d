"""The open-data package: valid for frictionless, streamed, and with no personal data in any byte."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from frictionless import Package
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN
from minyi.cases import actions as act
from minyi.cases.rules import Evaluation
from minyi.opendata import export as exporter
from minyi.opendata.package import RESOURCES
from tests.support.factories import make_org, submit


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
PRIVATE_MARK = "不公开诉求丁戊己"


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


def test_the_package_validates_and_holds_no_personal_data(session: Session, tmp_path: Path) -> None:
    _dirty_world(session)
    tmp_path = tmp_path / "package"
    counts = exporter.export_package(session, tmp_path)
    assert counts["cases"] == 2 and counts["history"] >= 4 and counts["departments"] == 3
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["datapackage.json", *(f"{r}.csv" for r in RESOURCES)]
    )
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(tmp_path.iterdir()))
    for kind, value in SECRETS.items():
        assert value not in text, f"{kind} leaked into the package"
    assert CONFIDENTIAL_MARK not in text and PRIVATE_MARK not in text and "尚未受理" not in text
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert all(" / " in f["description"] for r in descriptor["resources"] for f in r["schema"]["fields"])
    with (tmp_path / "scoreboard_monthly.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sum(int(r["received"]) for r in rows) >= 1 and sum(int(r["replied"]) for r in rows) == 1


def test_cases_are_read_in_keyset_batches(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = make_org(session)
    for i in range(7):
        act.do_accept(session, submit(session, title=f"第{i}件", body="路灯不亮"), org.actor("intake"))
    monkeypatch.setattr(exporter, "BATCH", 3)
    sizes: list[int] = []
    real = exporter.public_views

    def spy(s: Session, cases: list, **kw: object) -> list:  # type: ignore[type-arg]
        sizes.append(len(cases))
        return real(s, cases, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(exporter, "public_views", spy)
    assert exporter.export_package(session, tmp_path / "package")["cases"] == 7
    assert sizes == [3, 3, 1]  # a batch at a time, each case once
    with (tmp_path / "package" / "cases.csv").open(encoding="utf-8") as f:
        assert len({row["id"] for row in csv.DictReader(f)}) == 7
