"""The demo city holds last year's evaluation with published results and this year's in progress."""

from __future__ import annotations

from tests.web.pages_support import *  # noqa: F403


def test_the_demo_has_an_evaluation_in_progress_and_a_published_one(client, db) -> None:  # type: ignore[no-untyped-def]
    periods = client.get("/api/v1/evaluations").json()
    assert [p["state"] for p in periods] == ["open", "closed"]
    closed = client.get(f"/api/v1/evaluations/{periods[1]['id']}").json()
    published = [d for d in closed["results"] if d["published"]]
    assert published and all(sum(d["criteria"][0]["counts"].values()) == d["raters"] for d in published)
    current = client.get(f"/api/v1/evaluations/{periods[0]['id']}").json()
    assert sum(d["raters"] for d in current["results"]) > 0
    page = client.get(f"/evaluation/{periods[0]['id']}").text
    assert "评议进行中" in page and 'id="rate-form"' in page
    assert "很满意" in client.get(f"/evaluation/{periods[1]['id']}").text
