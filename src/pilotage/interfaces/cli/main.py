"""The ``pilotage`` command: thin wrappers over services, one error-to-exit-code mapping."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
import typer

from pilotage.errors import PilotageError
from pilotage.interfaces.cli import commands_data, commands_kpis, commands_serve

app = typer.Typer(
    name="pilotage",
    help="Pilotage: prove and steer the return of every marketing euro.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
commands_data.register(app)
commands_kpis.register(app)
commands_serve.register(app)

#: Bad input, bad options, missing workspace: the user can fix it.
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


def fail(error: PilotageError) -> NoReturn:
    print(f"error: {error}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def main(argv: list[str] | None = None) -> int:
    try:
        result = app(args=argv, standalone_mode=False)
    except PilotageError as error:
        fail(error)
    except click.exceptions.UsageError as error:
        error.show(file=sys.stderr)
        return EXIT_BAD_INPUT
    except click.exceptions.Abort:
        print("aborted", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        return 130
    return result if isinstance(result, int) else 0
