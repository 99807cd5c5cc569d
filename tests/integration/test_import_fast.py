"""The import's lean rows (intake_import/fast.py) are what `prepare_cases` and the bulk writer store, column for
column, and their hash chains verify."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minyi.audit.verify import verify_all
from minyi.cases.models import Case, Submitter
from minyi.intake_import.importer import import_file
from tests.support.factories import make_org

HEADER = [
    "工单编号",
    "来电时间",
    "来电人",
    "来电号码",
    "诉求内容",
    "诉求类型",
    "所属区域",
    "承办单位",
    "答复内容",
    "答复时间",
]
ROWS = [
    ['GD"1\\', "2026/03/02 09:15:00", "王先生", "13812345678", "小区电梯坏了一个月", "投诉", "东区", "住建局", "", ""],
    ["GD-2 中文", "2026-03-02 10:00", "", "", "咨询社保缴费", "咨询", "990103", "", "请携带身份证到窗口办理",
     "2026-03-03 11:00"],
    ["GD3", "2026/03/03 23:59:59", "李女士", "", "路灯不亮\t好几天", "求助", "", "", "", ""],  # local day's last second
    ["GD4", "2026/03/04 00:00:00", "", "13900000000", "施工噪音", "建议", "", "", "已协调", ""],  # a holiday-free day
    ["GD5", "2026/03/07 08:00:00", "张三", "13900000001", "周末来电", "投诉", "东区", "", "", ""],  # Saturday
    ["GD6", "2026/03/07 18:30:00", "", "", "周末来电二", "投诉", "", "", "", ""],  # same day, another time
    ["GD7", "2025/12/31 23:00:00", "", "", "年底来电", "咨询", "", "", "已答复", "2026/01/05 09:00:00"],
]  # fmt: skip
SKIP = {"id", "case_id", "tracking_code", "hash", "prev_hash", "last_event_hash", "submitter_id", "created_at",
        "updated_at", "external_source"}  # fmt: skip


def _rows(session: Session, sql: str, source: str) -> list[tuple[object, ...]]:
    """Rows as stored (no result processing), the columns that differ by design left out, the source masked."""
    result = session.connection().exec_driver_sql(sql.format(source=source))
    keep = [i for i, name in enumerate(result.keys()) if name not in SKIP]
    return [tuple(str(row[i]).replace(source, "SOURCE") for i in keep) for row in result]


def test_lean_import_stores_what_the_prepared_path_stores(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    make_org(session)
    session.rollback()
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS])
    for source, lean in (("prepared-path", False), ("lean-path", True)):
        result = import_file(engine, path, source=source, enrich=False, lean=lean, batch_size=4)
        assert (result.imported, result.error_count) == (len(ROWS), 0), result.errors
    cases = "SELECT * FROM cases WHERE external_source = '{source}' ORDER BY external_ref"
    events = ("SELECT e.* FROM case_events e JOIN cases c ON c.id = e.case_id "
              "WHERE c.external_source = '{source}' ORDER BY c.external_ref, e.seq")  # fmt: skip
    people = ("SELECT s.* FROM submitters s JOIN cases c ON c.submitter_id = s.id "
              "WHERE c.external_source = '{source}' ORDER BY c.external_ref")  # fmt: skip
    for sql in (cases, events, people):
        assert _rows(session, sql, "lean-path") == _rows(session, sql, "prepared-path")
    assert len(_rows(session, events, "lean-path")) == len(ROWS) + 3  # the three answered rows' replies
    assert session.scalar(select(func.count()).select_from(Submitter)) == 2 * 4
    outbox = ("SELECT n.template, n.channel, substr(n.recipient, 1, 10) = 'submitter:' FROM notifications n JOIN cases c "
              "ON c.id = n.case_id WHERE c.external_source = '{source}' ORDER BY c.external_ref, n.id")  # fmt: skip
    assert _rows(session, outbox, "lean-path") == _rows(
        session, outbox, "prepared-path"
    )  # the event hooks ran
    assert session.scalar(select(func.count(func.distinct(Case.tracking_code)))) == 2 * len(ROWS)
    session.rollback()
    assert list(verify_all(session)) == []
    again = import_file(engine, path, source="lean-path", enrich=False)
    assert (again.imported, again.duplicates) == (0, len(ROWS))
