"""The ``pilotage`` command: thin wrappers over services, one error-to-exit-code mapping."""

from __future__ import annotations

import sys

import typer

from pilotage.errors import PilotageError
from pilotage.interfaces.cli import (
    commands_accounts,
    commands_attribution,
    commands_audit,
    commands_budget,
    commands_clv,
    commands_data,
    commands_experiments,
    commands_governance,
    commands_journey,
    commands_kpis,
    commands_mmm,
    commands_plan,
    commands_reports,
    commands_scenario,
    commands_serve,
    commands_users,
    commands_voice,
)

app = typer.Typer(
    name="pilotage",
    help="Pilotage: prove and steer the return of every marketing euro.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
commands_accounts.register(app)
commands_attribution.register(app)
commands_clv.register(app)
commands_audit.register(app)
commands_budget.register(app)
commands_data.register(app)
commands_experiments.register(app)
commands_governance.register(app)
commands_journey.register(app)
commands_kpis.register(app)
commands_mmm.register(app)
commands_plan.register(app)
commands_reports.register(app)
commands_scenario.register(app)
commands_serve.register(app)
commands_users.register(app)
commands_voice.register(app)

#: Bad input, bad options, missing workspace: the user can fix it. Typer uses 2 for
#: usage errors too, so every "fix your input" case exits the same way.
EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    try:
        app(args=argv, prog_name="pilotage")
    except PilotageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        print(done.code, file=sys.stderr)
        return 1
    return 0
