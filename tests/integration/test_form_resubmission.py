"""A submit form posted twice at once (double click, two tabs) creates one case."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, func, select
from starlette.datastructures import FormData

from minyi.cases.models import Case
from minyi.db import session_factory
from minyi.web.forms import new_submit_token, submit_once
from tests.support.factories import make_org, submission


def test_two_simultaneous_posts_of_one_form_create_one_case(engine: Engine) -> None:
    with session_factory(engine)() as s:
        make_org(s)
    form = FormData({"submit_token": new_submit_token()})
    barrier, codes, failures = threading.Barrier(2), [], []

    def post() -> None:
        with session_factory(engine)() as s:
            barrier.wait()
            try:
                codes.append(submit_once(s, submission(), form).tracking_code)
            except Exception as exc:  # pragma: no cover - reported below
                failures.append(exc)

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures and len(codes) == 2 and codes[0] == codes[1]
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1
