"""A small world for the Open311 tests: public cases in several states, hidden ones, a client application."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from minyi.accounts.actor import CITIZEN, SYSTEM
from minyi.cases import actions as act
from minyi.cases.rules import Evaluation
from minyi.db import session_factory
from minyi.opendata.actions import do_register_client
from minyi.opendata.schemas import ClientIn
from tests.support.factories import Org, submit


@dataclass
class World:
    open_id: int
    closed_id: int
    hidden_ids: list[int]
    key: str
    client_name: str = "街坊通"


def make_world(engine: Engine, org: Org) -> World:
    with session_factory(engine)() as s:
        intake, handler = org.actor("intake"), org.actor("housing-handler")
        opened = submit(s, title="路灯不亮", body="幸福路的路灯坏了三天", topic_code="01.01")
        act.do_accept(s, opened, intake)
        closed = submit(s, kind="inquiry", title="公积金怎么取", body="请问公积金提取要什么材料")
        act.do_accept(s, closed, intake)
        act.do_assign(s, closed, intake, department_id=org.housing.id)
        act.do_sign_for(s, closed, handler)
        act.do_reply(s, closed, handler, text="请携带身份证到窗口办理。")
        act.do_evaluate(s, closed, CITIZEN, evaluation=Evaluation.satisfied)
        registered = submit(s, title="刚登记的", body="尚未受理")
        private = submit(s, title="私密", body="不公开的诉求", visibility="private")
        act.do_accept(s, private, intake)
        secret = submit(s, kind="report", title="举报", body="举报某干部", visibility="confidential")
        act.do_accept(s, secret, org.actor("admin"))
        _, key = do_register_client(s, SYSTEM, ClientIn(name="街坊通", contact="dev@example.org"))
        return World(opened.id, closed.id, [registered.id, private.id, secret.id], key)
