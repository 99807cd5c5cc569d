"""The demo city carries a consultation a newcomer can take part in, with an opinion map."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.pages_support import *  # noqa: F403


def test_the_demo_has_an_open_consultation_with_comments_and_an_opinion_map(client: TestClient) -> None:
    listing = client.get("/consultations")
    match = re.search(r'href="/consultations/(\d+)"', listing.text)
    assert match, listing.text
    page = client.get(f"/consultations/{match.group(1)}")
    assert page.status_code == 200
    assert "加装电梯" in page.text and 'name="statement_id"' in page.text
    assert "代表性观点" in page.text and "<blockquote>" in page.text
