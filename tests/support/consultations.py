"""Factories for consultations: a draft put to the public through the same actions organisers use."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from docx import Document
from sqlalchemy.orm import Session

from minyi.consultation.actions import do_create_consultation, do_open
from minyi.consultation.models import Consultation
from minyi.consultation.schemas import ConsultationIn
from minyi.db import utcnow
from tests.support.factories import Org

DRAFT = """# 第一条 目的
为规范老旧小区加装电梯工作，制定本办法。
# 第二条 费用
加装电梯费用由业主按楼层分摊，政府补贴每台二十万元。
# 第三条 施工
施工期间应保障居民出行安全。
"""


def consultation_in(org: Org, **overrides: Any) -> ConsultationIn:
    now = utcnow()
    data: dict[str, Any] = {
        "title": "老旧小区加装电梯管理办法（征求意见稿）",
        "background": "为回应群众诉求，拟出台本办法。",
        "kind": "major",
        "department_id": org.housing.id,
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=30),
        "draft": DRAFT,
    }
    data.update(overrides)
    return ConsultationIn(**data)


def make_consultation(session: Session, org: Org, *, open_it: bool = True, **overrides: Any) -> Consultation:
    actor = org.actor("housing-head")
    c = do_create_consultation(session, actor, consultation_in(org, **overrides))
    if open_it:
        do_open(session, c, actor)
    return c


def word_file() -> bytes:
    """A small draft as an organiser would type it in Word: a title, a preamble, headings and a numbered list."""
    d = Document()
    d.add_heading("老旧小区加装电梯管理办法（征求意见稿）", 0)
    d.add_paragraph("为回应群众诉求，拟出台本办法。")
    d.add_heading("第一条 目的", 1)
    d.add_paragraph("为规范加装电梯工作，制定本办法。")
    d.add_paragraph("第二条 费用由业主按楼层分摊。")
    d.add_paragraph("政府补贴每台二十万元。")
    d.add_paragraph("施工期间应保障居民出行安全。", style="List Number")
    d.add_heading("附则", 2)
    d.add_paragraph("本办法自发布之日起施行。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
