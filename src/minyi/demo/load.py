"""Build the demo city through the same actions staff use, so its history and audit chain are real."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, do_create_user
from minyi.accounts.actor import CITIZEN, SYSTEM
from minyi.accounts.models import User
from minyi.cases import actions as act
from minyi.cases import oversight
from minyi.cases.models import Case, ExtensionRequest
from minyi.cases.rules import Evaluation
from minyi.cases.schemas import CaseSubmission, Contact
from minyi.db import session_factory, utcnow
from minyi.deadlines.clock import policy_for
from minyi.deadlines.sweep import sweep
from minyi.demo.consultation import load_demo_consultation
from minyi.demo.content import (
    CITY,
    COMPOUNDS,
    DEPARTMENTS,
    DISTRICTS,
    REGION_EN,
    REPLIES,
    ROADS,
    SCHOOLS,
    TEMPLATES,
)
from minyi.demo.media import load_media
from minyi.demo.organisations import ORGANISATIONS, load_organisations
from minyi.demo.suggestions import load_suggestions
from minyi.departments.models import Department, Region, RoutingRule
from minyi.intake.actions import do_submit_case
from minyi.notifications.outbox import quiet
from minyi.regionmap.actions import store_shapes
from minyi.regionmap.rules import check_collection, polygons
from minyi.taxonomy import load_taxonomy
from minyi.uow import write

DEMO_PASSWORD = "minyi-demo-2026"
DEMO_SHAPES = Path(__file__).with_name("regions.geojson")  # the invented city's districts and streets
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"

# share of cases ending in each state
PLAN = [
    ("registered", 10), ("accepted", 5), ("assigned", 10), ("returned", 3), ("in_progress", 22),
    ("extension", 3), ("replied", 10), ("closed", 20), ("rehandling", 5), ("closed_after_rehandle", 3),
    ("declined", 4), ("withdrawn", 2), ("merged", 3),
]  # fmt: skip


def _org(session: Session) -> dict[str, Any]:
    """The city's regions, departments, routing and staff, through the unit of work (on the record)."""
    with write(session, SYSTEM) as tx:
        depts = _regions(session)
        tx.record("demo.load_city", "city", CITY[0], {"departments": sorted(depts)})
    return _users(session, depts)


def _regions(session: Session) -> dict[str, Department]:
    en = REGION_EN.get
    session.add(Region(code="99", name="示范省", name_en=en("99"), parent_code=None, level=1))
    session.add(Region(code="9901", name=CITY[1], name_en=en("9901"), parent_code="99", level=2))
    session.flush()
    for code, name, streets, street_names in DISTRICTS:
        session.add(Region(code=code, name=name, name_en=en(code), parent_code="9901", level=3))
        session.flush()
        for scode, sname in zip(streets, street_names, strict=True):
            session.add(Region(code=scode, name=sname, name_en=en(scode), parent_code=code, level=4))
    return _departments(session)


def _departments(session: Session) -> dict[str, Department]:
    taxonomy = load_taxonomy()
    depts: dict[str, Department] = {}
    for code, name, name_en, level1 in DEPARTMENTS:
        region = "990102" if code == "dhq" else "9901"
        d = Department(code=code, name=name, name_en=name_en, region_code=region, active=True)
        session.add(d)
        session.flush()
        depts[code] = d
        if level1:
            session.add(RoutingRule(topic_prefix=taxonomy.code_of_level1(level1) or "", region_prefix="",
                                    department_id=d.id))  # fmt: skip
    session.add(
        RoutingRule(topic_prefix="", region_prefix="990102", department_id=depts["dhq"].id, priority=-1)
    )
    session.flush()
    store_shapes(session, check_collection(_shapes_file(), session.scalars(select(Region.code))))
    return depts


def _users(session: Session, depts: dict[str, Department]) -> dict[str, Any]:
    users = {}
    for username, role, dept, name in [
        ("admin", "admin", None, "系统管理员"),
        ("intake", "intake", None, "热线受理员 小周"),
        ("supervisor", "supervisor", None, "督查室 陈主任"),
    ]:
        users[username] = do_create_user(session, SYSTEM, username=username, password=DEMO_PASSWORD, role=role,
                                         display_name=name, department_id=dept, clearance=role == "admin")  # fmt: skip
    for code, d in depts.items():
        users[f"{code}-handler"] = do_create_user(session, SYSTEM, username=f"{code}-handler", password=DEMO_PASSWORD,
                                                  role="handler", display_name=f"{d.name} 承办人", department_id=d.id)  # fmt: skip
        users[f"{code}-head"] = do_create_user(session, SYSTEM, username=f"{code}-head", password=DEMO_PASSWORD,
                                               role="dept_head", display_name=f"{d.name} 负责人", department_id=d.id)  # fmt: skip
    from minyi.reports.demo import load_report_demo

    users.update(load_report_demo(session, depts, DEMO_PASSWORD)["inspectors"])
    return {"depts": depts, "users": users}


def _supervision(session: Session, ctx: dict[str, Any]) -> dict[str, Any]:
    """Inspection rounds (one with its published rectification report) and the accountability register."""
    from minyi.accountability.demo import load_accountability_demo
    from minyi.inspection.demo import load_inspection_demo

    rounds = load_inspection_demo(session, ctx)
    return {**rounds, "accountability_records": load_accountability_demo(session, ctx)}


def _submission(rng: random.Random) -> tuple[CaseSubmission, str]:
    level1, kind, title, body = rng.choice(TEMPLATES)
    fill = {
        "c": rng.choice(COMPOUNDS),
        "r": rng.choice(ROADS),
        "s": rng.choice(SCHOOLS),
        "n": rng.randint(2, 80) * 10,
    }
    district = rng.choice(DISTRICTS)
    region = rng.choice(district[2])
    anonymous = rng.random() < 0.3
    contact = None if anonymous and rng.random() < 0.5 else Contact(
        name=rng.choice(SURNAMES) + rng.choice(["先生", "女士"]), phone=f"139{rng.randint(10000000, 99999999)}"
    )  # fmt: skip
    channel = rng.choice(
        ["web", "web", "hotline", "hotline", "letters_visits", "deputy", "committee", "media"]
    )
    lon, lat = _place(region, title.format(**fill), body.format(**fill))
    sub = CaseSubmission(
        kind=kind, channel=channel, title=title.format(**fill), body=body.format(**fill), region_code=region,
        longitude=lon, latitude=lat,
        topic_code=load_taxonomy().code_of_level1(level1), anonymous=anonymous, contact=contact,
        visibility="private" if rng.random() < 0.1 else "public",
        on_behalf_of="明川市人大代表 刘建国" if channel == "deputy" else None,
    )  # fmt: skip
    return sub, level1


@lru_cache
def _shapes_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO_SHAPES.read_text(encoding="utf-8"))
    return data


def _place(region: str, title: str, body: str) -> tuple[float | None, float | None]:
    """A point inside the street for most demo cases (its own seed, so the other demo choices stay as they were)."""
    pick = random.Random(f"{region}|{title}|{body}")
    feature = next((f for f in _shapes_file()["features"] if f["properties"]["code"] == region), None)
    if feature is None or pick.random() < 0.3:
        return None, None
    ring = polygons(feature["geometry"])[0][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return round(pick.uniform(min(xs), max(xs)), 5), round(pick.uniform(min(ys), max(ys)), 5)


def _dept_for(ctx: dict[str, Any], level1: str) -> Department:
    for code, _n, _e, l1 in DEPARTMENTS:
        if l1 == level1:
            return ctx["depts"][code]
    return ctx["depts"]["cgj"]


def _drive(
    session: Session, ctx: dict[str, Any], case: Case, level1: str, target: str, rng: random.Random
) -> None:
    """Move one case to its target state along a realistic path, with times in the past."""
    users = ctx["users"]
    intake, sup = actor_of(users["intake"]), actor_of(users["supervisor"])
    t = case.registered_at
    if target == "registered":
        return
    t += timedelta(hours=rng.randint(2, 30))
    if target == "declined":
        act.do_decline(
            session, case, intake, reason="该诉求属于司法程序处理范围，请通过诉讼途径解决。", now=t
        )
        return
    if target == "withdrawn":
        act.do_withdraw(session, case, CITIZEN, reason="问题已自行解决", now=t)
        return
    act.do_accept(session, case, intake, now=t)
    if target == "accepted":
        return
    if target == "merged":
        master = session.scalar(select(Case).where(Case.status == "in_progress", Case.id != case.id).limit(1))
        if master is not None:
            oversight.do_merge(session, case, intake, master=master, note="同一事项重复反映", now=t)
        return
    dept = _dept_for(ctx, level1)
    t += timedelta(hours=rng.randint(1, 20))
    act.do_assign(session, case, intake, department_id=dept.id, now=t)
    if target == "assigned":
        return
    handler = actor_of(users[f"{dept.code}-handler"])
    t += timedelta(hours=rng.randint(1, 30))
    if target == "returned":
        act.do_return(session, case, handler, reason="该事项不属于本单位职责，建议交由属地街道办理。", now=t)
        return
    act.do_sign_for(session, case, handler, now=t)
    if target == "in_progress":
        return
    if target == "extension":
        days = min(10, policy_for(session, case).extension_max_days)  # urgent cases may extend by less
        req = oversight.do_request_extension(
            session, case, handler, days=days, reason="需协调多个部门现场会勘", now=t
        )
        if rng.random() < 0.5:
            oversight.do_decide_extension(
                session, case, sup, request_id=req.id, approve=True, note="同意延期", now=t
            )
        return
    t += timedelta(days=rng.randint(2, 20))
    act.do_reply(session, case, handler, text=rng.choice(REPLIES).format(d=rng.randint(3, 15)), now=t)
    if target == "replied":
        return
    t += timedelta(days=rng.randint(1, 5))
    if target == "closed":
        ev = rng.choice([Evaluation.satisfied, Evaluation.satisfied, Evaluation.partly])
        act.do_evaluate(session, case, CITIZEN, evaluation=ev, comment="处理及时，谢谢！", now=t)
        return
    act.do_evaluate(
        session, case, CITIZEN, evaluation=Evaluation.unsatisfied, comment="问题没有解决，只是敷衍。", now=t
    )
    if target == "closed_after_rehandle":
        t += timedelta(days=rng.randint(2, 8))
        act.do_reply(session, case, handler, text="经再次核查，已于现场完成整改，并安排专人每周回访。", now=t)
        act.do_evaluate(session, case, CITIZEN, evaluation=Evaluation.satisfied, now=t + timedelta(days=1))


def load_demo(engine: Engine, *, n_cases: int = 300, seed: int = 2026) -> dict[str, Any]:
    """Create the demo city once (if absent), then `n_cases` cases spread over every state."""
    rng = random.Random(seed)
    factory = session_factory(engine)
    with factory() as session:
        codes: dict[str, str] = {}
        feed_url, supervision = None, {}
        if session.scalar(select(Department.id).where(Department.code == "zjj")) is None:
            ctx = _org(session)
            with quiet(session):  # invented history: nobody is told of it
                codes = load_suggestions(session, ctx, utcnow())
                supervision = _supervision(session, ctx)
            feed_url = load_media(session)
            load_organisations(session, DEMO_PASSWORD)
        else:
            ctx = {"depts": {d.code: d for d in session.scalars(select(Department))},
                   "users": {u.username: u for u in session.scalars(select(User))}}  # fmt: skip
        now = utcnow()
        states = [s for s, w in PLAN for _ in range(w)]
        for i in range(n_cases):
            target = states[i % len(states)]
            sub, level1 = _submission(rng)
            age = timedelta(days=rng.randint(0, 3) if target == "registered" else rng.randint(3, 120),
                            hours=rng.randint(0, 23))  # fmt: skip
            with quiet(session):  # invented history: nobody is told of it
                case, _ = do_submit_case(session, sub, now=now - age)
                _drive(session, ctx, case, level1, target, rng)
        pending = session.scalar(
            select(func.count()).select_from(ExtensionRequest).where(ExtensionRequest.status == "pending")
        )
        counts = dict(session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
        with quiet(session):
            consultation = load_demo_consultation(session)
        from minyi.evaluation.demo import load_evaluation_demo

        evaluation = load_evaluation_demo(session, ctx["users"], codes)
    report = sweep(engine)
    return {
        "cases_by_status": {str(k): int(v) for k, v in counts.items()},
        "pending_extensions": int(pending or 0),
        "sweep": {"issued": report.issued, "closed_unevaluated": report.closed_unevaluated},
        "staff_password": DEMO_PASSWORD,
        "staff": sorted(ctx["users"]),
        "proposer_codes": codes,
        "media_feed": feed_url,
        "organisation_members": [username for _, _, username in ORGANISATIONS],
        "system": SYSTEM.label,
        "consultation": consultation,
        "supervision": supervision,
        "evaluation": evaluation,
    }
