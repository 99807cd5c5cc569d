"""`minyi import`: CSV and XLSX hotline exports, bad rows reported, re-runs without duplicates."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from minyi.audit.verify import verify_all
from minyi.cases.models import Case
from minyi.intake_import.importer import import_file
from minyi.intake_import.rows import MappingError, resolve_columns
from tests.support.factories import make_org

HEADER = [
    "工单编号",
    "来电时间",
    "来电人",
    "诉求内容",
    "诉求类型",
    "所属区域",
    "承办单位",
    "答复内容",
    "答复时间",
]
ROWS = [
    ["GD001", "2026/03/02 09:15:00", "王先生", "小区电梯坏了一个月", "投诉", "东区", "住建局", "", ""],
    [
        "GD002",
        "2026-03-02 10:00",
        "李女士",
        "咨询社保缴费",
        "咨询",
        "990103",
        "",
        "请携带身份证到窗口办理",
        "2026-03-03 11:00",
    ],
    ["GD003", "2026/03/02 11:00:00", "", "", "投诉", "东区", "", "", ""],  # empty text
    ["GD004", "2999/01/01 00:00:00", "", "未来的事", "投诉", "", "", "", ""],  # future
    ["GD005", "2026/03/02 11:00:00", "", "路灯不亮", "吐槽", "", "", "", ""],  # unknown kind
    ["GD006", "2026/03/02 11:00:00", "", "路灯不亮", "求助", "火星区", "", "", ""],  # unknown region
    [
        "GD001",
        "2026/03/02 09:15:00",
        "王先生",
        "小区电梯坏了一个月",
        "投诉",
        "东区",
        "住建局",
        "",
        "",
    ],  # repeated
    ["", "2026/03/02 11:00:00", "", "没有编号", "求助", "", "", "", ""],
    ["GD009", "昨天下午", "", "时间看不懂", "求助", "", "", "", ""],
]


def _csv(tmp_path: Path, rows: list[list[str]] = ROWS, header: list[str] = HEADER) -> Path:
    path = tmp_path / "hotline.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_good_rows_in_bad_rows_reported_and_rerun_adds_nothing(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    make_org(session)
    path = _csv(tmp_path)
    first = import_file(engine, path, enrich=False)
    assert (first.rows, first.imported, first.duplicates) == (9, 2, 1)
    reasons = {e.row: e.reason for e in first.errors}
    assert set(reasons) == {4, 5, 6, 7, 9, 10}
    assert "empty text" in reasons[4] and "future" in reasons[5] and "kind" in reasons[6]
    assert "region" in reasons[7] and "work-order" in reasons[9] and "time" in reasons[10]
    again = import_file(engine, path, enrich=False)
    assert (again.imported, again.duplicates) == (0, 3)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Case)) == 2
    replied = session.scalar(select(Case).where(Case.external_ref == "GD002"))
    assert replied is not None and replied.status == "closed" and replied.reply_text
    open_case = session.scalar(select(Case).where(Case.external_ref == "GD001"))
    assert open_case is not None and open_case.status == "registered" and open_case.due_at is not None
    assert open_case.region_code == "990102" and open_case.department_id is not None
    assert list(verify_all(session)) == []


def test_xlsx_with_english_headers(engine: Engine, session: Session, tmp_path: Path) -> None:
    make_org(session)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["work_order", "time", "caller", "content", "kind"])
    ws.append(["X1", "2026-03-02 09:00:00", "Zhang", "噪音扰民", "complaint"])
    ws.append([1002, "2026-03-02 09:30:00", "Li", "垃圾清运不及时", "suggestion"])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    result = import_file(engine, path, enrich=False)
    assert result.imported == 2 and not result.errors
    session.rollback()
    assert session.scalar(select(Case.external_ref).where(Case.title == "垃圾清运不及时")) == "1002"


def test_explicit_mapping_and_missing_columns() -> None:
    assert resolve_columns(["单号", "发生", "说了啥"], "单号=ref,发生=time,说了啥=text") == {
        "ref": 0,
        "time": 1,
        "text": 2,
    }
    with pytest.raises(MappingError):
        resolve_columns(["a", "b"])
    with pytest.raises(MappingError):
        resolve_columns(["a"], "a=nonsense")


def test_cli_reports_rows_and_exit_codes(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minyi.cli import app
    from minyi.db import reset_caches, session_factory

    url = str(sqlite_engine.url)
    monkeypatch.setenv("MINYI_DATABASE_URL", url)
    reset_caches()
    with session_factory(sqlite_engine)() as s:
        make_org(s)
    runner = CliRunner()
    out = runner.invoke(
        app, ["import", str(_csv(tmp_path)), "--no-enrich", "--report", str(tmp_path / "bad.csv")]
    )
    assert out.exit_code == 0, out.output
    assert "imported 2, already present 1, rejected 6 of 9 rows" in out.output
    assert "row 4: empty text" in out.output
    assert (tmp_path / "bad.csv").read_text(encoding="utf-8-sig").count("\n") == 7
    bad = runner.invoke(app, ["import", str(_csv(tmp_path, [["1"]], ["nothing"])), "--no-enrich"])
    assert bad.exit_code == 2 and "use --mapping" in bad.output


def test_report_rows_become_sealed_reports_once_and_never_cases(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    from minyi.reports.models import MisconductReport

    make_org(session)
    rows = [
        ["GD101", "2026/03/02 09:15:00", "赵先生", "住建局科长在审批中索要好处费五千元", "投诉", "东区", "住建局", "", ""],
        ["GD102", "2026/03/02 10:00:00", "", "反映街道干部优亲厚友、违规发放低保的问题", "举报", "东区", "", "", ""],
        ["GD103", "2026/03/02 11:00:00", "", "小区路灯不亮", "求助", "东区", "", "", ""],
        ["GD101", "2026/03/02 09:15:00", "赵先生", "住建局科长在审批中索要好处费五千元", "投诉", "东区", "住建局", "", ""],
    ]  # fmt: skip
    path = _csv(tmp_path, rows)
    first = import_file(engine, path, enrich=False)
    assert (first.imported, first.reports, first.duplicates, first.error_count) == (1, 2, 1, 0)
    again = import_file(engine, path, enrich=False)  # a re-run makes nothing twice
    assert (again.imported, again.reports, again.duplicates) == (0, 0, 4)
    session.rollback()
    assert session.scalars(select(Case.external_ref)).all() == ["GD103"]
    reports = session.scalars(select(MisconductReport).order_by(MisconductReport.id)).all()
    assert [("好处费" in r.what, r.import_digest is not None) for r in reports] == [
        (True, True),
        (False, True),
    ]
    assert all("GD10" not in (r.import_digest or "") for r in reports)
    from minyi.accounts.security import dummy_hash

    # nobody holds an imported report's passphrase: the no-match hash, not a fresh Argon2 hash for each row
    assert {r.passphrase_hash for r in reports} == {dummy_hash()}
    assert (
        reports[0].department_id is not None and reports[0].sealed_identity is None
    )  # no office key: not kept
