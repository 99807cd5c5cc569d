"""Department-routing accuracy of the suggestion on the demo city (a throwaway SQLite file).

The demo's cases are assigned to the department of their true first-level topic; the report scores the
stored suggestion and the text-only one (the routing table applied to the model's topic), split by triage.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from minyi.db import make_engine, session_factory
from minyi.demo.load import load_demo
from minyi.learning.routing import routing_report
from minyi.migrate import upgrade


def main() -> None:
    """Build the demo city with --cases cases and print the routing report as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        upgrade(engine)
        load_demo(engine, n_cases=args.cases, seed=args.seed)
        with session_factory(engine)() as session:
            print(json.dumps(routing_report(session), ensure_ascii=False, indent=2))
        engine.dispose()


if __name__ == "__main__":
    main()
