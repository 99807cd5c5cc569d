"""Open311 reads on both databases: the filters and paging of public requests, submissions recorded."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.cases import actions as act
from minyi.cases.models import Case, CaseEvent
from minyi.db import utcnow
from minyi.opendata.actions import do_register_client, do_submit_open311, get_client_by_key
from minyi.opendata.requests import RequestFilter, find_request, find_requests
from minyi.opendata.schemas import ClientIn, Open311Submission
from tests.support.factories import make_org, submit


def test_find_requests_filters_and_pages_public_cases(session: Session) -> None:
    org = make_org(session)
    intake = org.actor("intake")
    cases = [submit(session, title=f"第{i}件", body="路面坑洼", topic_code="01") for i in range(5)]
    for c in cases[:4]:
        act.do_accept(session, c, intake)
    now = utcnow() + timedelta(minutes=1)
    ids = lambda f: {int(r["service_request_id"]) for r in find_requests(session, f, now)}  # noqa: E731
    assert ids(RequestFilter()) == {c.id for c in cases[:4]}
    assert ids(RequestFilter(service_codes=("complaint.01",))) == {c.id for c in cases[:4]}
    assert ids(RequestFilter(service_codes=("inquiry.01",))) == set()
    assert ids(RequestFilter(statuses=("closed",))) == set()
    assert ids(RequestFilter(ids=(cases[4].id, cases[0].id))) == {cases[0].id}
    assert ids(RequestFilter(start=now - timedelta(days=200), end=now - timedelta(days=100))) == set()
    pages = [ids(RequestFilter(page=p, page_size=3)) for p in (1, 2)]
    assert len(pages[0]) == 3 and len(pages[1]) == 1 and not pages[0] & pages[1]
    assert find_request(session, cases[4].id) is None


def test_a_registered_client_submits_and_the_record_names_it(session: Session) -> None:
    make_org(session)
    client, key = do_register_client(session, SYSTEM, ClientIn(name="街坊通"))
    assert get_client_by_key(session, key) is not None and get_client_by_key(session, key + "x") is None
    assert client.key_hash != key
    case = do_submit_open311(
        session, client, Open311Submission(service_code="suggestion.02", description="建议延长办事大厅时间")
    )
    event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
    assert event is not None and event.data["via"] == "Open311 client: 街坊通"
    assert session.get(Case, case.id).kind == "suggestion"  # type: ignore[union-attr]


def test_feeds_filter_by_department_region_and_topic(session: Session) -> None:
    import feedparser

    from minyi.opendata.feeds import FeedFilter, build_feed

    org = make_org(session)
    intake = org.actor("intake")
    roads = submit(session, title="路面坑洼", body="路面坑洼", topic_code="01.01")
    act.do_accept(session, roads, intake)
    act.do_assign(session, roads, intake, department_id=org.housing.id)
    act.do_accept(session, submit(session, title="公交太挤", body="公交太挤", topic_code="02"), intake)

    def titles(f: FeedFilter) -> list[str]:
        return [e.title for e in feedparser.parse(build_feed(session, "cases", f, "http://x")).entries]

    assert sorted(titles(FeedFilter())) == ["公交太挤", "路面坑洼"]
    assert titles(FeedFilter(department=org.housing.id)) == ["路面坑洼"]
    assert titles(FeedFilter(topic="01")) == ["路面坑洼"] and titles(FeedFilter(topic="02")) == ["公交太挤"]
    assert len(titles(FeedFilter(region="99"))) == 2 and titles(FeedFilter(region="98")) == []
