"""The README cannot drift from the product: commands, adapters and make targets it names."""

from __future__ import annotations

from pathlib import Path

import typer.main

from pilotage.data.adapters.registry import ADAPTERS
from pilotage.interfaces.cli.main import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def cli_commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        names += [f"{name} {sub}" for sub in subcommands] if subcommands else [name]
    return sorted(names)


def test_every_command_is_in_the_readme():
    missing = [c for c in cli_commands() if f"pilotage {c}" not in README]
    assert not missing, f"README.md does not show: {missing}"


def test_every_adapter_is_in_the_readme():
    missing = sorted({s for s, _ in ADAPTERS if f"`{s}`" not in README})
    assert not missing, f"README.md does not list the adapters: {missing}"


def test_the_two_commands_are_in_the_readme_and_the_makefile():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo", "test", "setup"):
        assert f"make {target}" in README
        assert f"\n{target}:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
