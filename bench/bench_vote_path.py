"""The vote path in process, without HTTP: CPU and wall time a vote (access checks, the write, its record).

Usage: PYTHONPATH=src .venv/bin/python bench/bench_vote_path.py [--votes N] [--profile]
Run it against two source trees in turn (PYTHONPATH=old/src, then new/src) to compare them in one session.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import tempfile
import time
from datetime import timedelta


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--votes", type=int, default=600)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/votes.sqlite3"
    os.environ.update(MINYI_SECRET_KEY="bench-secret-" + "x" * 32, MINYI_DATABASE_URL=url)
    from minyi.accounts.actor import CITIZEN, Actor
    from minyi.accounts.roles import Role
    from minyi.consultation import participation as part
    from minyi.consultation.actions import do_create_consultation, do_open
    from minyi.consultation.participants import participant_token
    from minyi.consultation.queries import access_consultation, access_participant
    from minyi.consultation.schemas import ConsultationIn
    from minyi.db import make_engine, session_factory, utcnow
    from minyi.migrate import upgrade
    from minyi.uow import write

    engine = make_engine(url)
    upgrade(engine)
    admin = Actor(Role.admin, "bench")
    people_n, statements_n = 100, 30
    with session_factory(engine)() as s:
        body = ConsultationIn(title="基准", committee="bench", opens_at=utcnow() - timedelta(hours=1),
                              closes_at=utcnow() + timedelta(days=30), draft="第一条 基准。")  # fmt: skip
        c = do_create_consultation(s, admin, body)
        do_open(s, c, admin)
        people = [part.do_join(s, c) for _ in range(people_n)]
        ids = [
            part.do_write_statement(s, c, people[i % people_n], text=f"观点{i}").id
            for i in range(statements_n)
        ]
        with write(s, admin, bookkeeping="benchmark set-up: rate limits afresh"):
            for p in people:
                p.last_write_at, p.writes_in_window = None, 0
        tokens = [participant_token(c.id, p.pseudonym) for p in people]
        cid = c.id
    factory = session_factory(engine)

    def vote(i: int) -> None:  # what the route does: the two access checks, then the action
        with factory() as s:
            found = access_consultation(s, CITIZEN, cid)
            p = access_participant(s, found, tokens[i % people_n])
            part.do_vote(
                s, found, p, statement_id=ids[(i // people_n) % statements_n], value=(1, -1, 0)[i % 3]
            )

    for i in range(50):
        vote(i)
    profile = cProfile.Profile()
    wall, cpu = time.perf_counter(), time.process_time()
    if args.profile:
        profile.enable()
    for i in range(50, 50 + args.votes):
        vote(i)
    profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{args.votes} votes: {args.votes / wall:.0f} votes/s wall, {cpu / args.votes * 1000:.2f} ms CPU a vote"
    )
    if args.profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
