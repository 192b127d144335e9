"""convivial's side of bench/service.py: every team's Service metrics, and nothing else.

Runs what `convivial report` runs for the "Service" section (the window, every team's scope,
`metrics.service.service_metrics`) over a workspace whose messages are labelled, and prints
[{"team", "window", "metrics"}, ...] as JSON like bench/baseline_service.py.
Usage: python bench/service_metrics.py WORKSPACE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from convivial.metrics.scope import scope_of
from convivial.metrics.service import service_metrics
from convivial.metrics.window import default_window
from convivial.workspace import Workspace


def main() -> None:
    ws = Workspace(Path(sys.argv[1]))
    config = ws.config()
    with ws.open_store() as store:
        con = store.ibis()
        teams = [name for name, *_ in store.teams()]
        window = default_window(con, config.window_days, None, None)
        kept = store.kept_scope()
        assigned = None if kept is not None else store.kept_message_teams()
        scope = scope_of(con, teams, window, assigned, kept=kept)
        results = service_metrics(scope)
        scope.release()
    out = [
        {"team": team, "window": window.as_json(), "metrics": results[team].values}
        for team in teams
    ]
    json.dump(out, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
