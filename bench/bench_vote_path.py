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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--votes", type=int, default=600)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    url = f"sqlite:///{tempfile.mkdtemp()}/votes.sqlite3"
    os.environ.update(MINYI_SECRET_KEY="bench-secret-" + "x" * 32, MINYI_DATABASE_URL=url)
    from bench_votes import open_consultation
    from minyi.accounts.actor import CITIZEN
    from minyi.consultation import participation as part
    from minyi.consultation.queries import access_consultation, access_participant
    from minyi.db import make_engine, session_factory

    people_n, statements_n = 100, 30
    cid, ids, tokens = open_consultation(url, people_n, statements_n)
    engine = make_engine(url)
    factory = session_factory(engine)

    try:  # what the route does: one action with the signed id (this tree), or the access checks and the action
        from minyi.consultation.voting import do_cast_vote
    except ImportError:  # an older tree
        do_cast_vote = None

    def vote(i: int) -> None:
        statement_id, value = ids[(i // people_n) % statements_n], (1, -1, 0)[i % 3]
        with factory() as s:
            if do_cast_vote is not None:
                do_cast_vote(s, cid, tokens[i % people_n], statement_id=statement_id, value=value)
                return
            found = access_consultation(s, CITIZEN, cid)
            p = access_participant(s, found, tokens[i % people_n])
            part.do_vote(s, found, p, statement_id=statement_id, value=value)

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
        pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "30"))
        )


if __name__ == "__main__":
    main()
