"""experiment commands: analyze an A/B test (from a file or the workspace), plan one, link
it to the initiative it tests, and list the saved lifts."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from pilotage.core.experiments.options import (
    Alternative,
    AnalysisSettings,
    Correction,
    Method,
    MetricKind,
    Prior,
)
from pilotage.data.metadata.audit import cli_actor
from pilotage.errors import UsageError
from pilotage.interfaces.cli.options import FormatOption, WorkspaceOption, emit, workspace_of
from pilotage.interfaces.cli.output import OutputFormat
from pilotage.interfaces.formatting import Lang
from pilotage.services.experiment_plan import plan as plan_experiment
from pilotage.services.experiment_results import link_experiment, save_lifts, stored_lifts
from pilotage.services.experiments import ExperimentAnalysis, analyze_file, analyze_workspace
from pilotage.services.workspaces import analytics, metadata

experiment_app = typer.Typer(
    help="A/B tests: analyze, plan, link to an initiative, saved lifts.", no_args_is_help=True
)
_VARIANT_COLUMNS = [
    "variant",
    "units",
    "mean",
    "lift_abs",
    "lift_rel",
    "ci_low",
    "ci_high",
    "p_value",
    "chance_to_win",
    "risk",
]
_LIFT_COLUMNS = [
    "id",
    "experiment_id",
    "variant",
    "metric",
    "method",
    "lift_abs",
    "lift_rel",
    "ci_low",
    "ci_high",
    "p_value",
    "decision",
    "initiative_id",
    "channel",
]


def register(app: typer.Typer) -> None:
    app.add_typer(experiment_app, name="experiment")


def parse_shares(text: str | None) -> dict[str, float]:
    """``A=0.5,B=0.5`` -> {"A": 0.5, "B": 0.5}."""
    if not text:
        return {}
    shares: dict[str, float] = {}
    for part in text.split(","):
        name, _, number = part.partition("=")
        try:
            shares[name.strip()] = float(number)
        except ValueError:
            raise UsageError(
                f"cannot read the planned share {part.strip()!r}",
                fix="write --planned-share A=0.5,B=0.5 (one share per variant)",
            ) from None
    return shares


@experiment_app.command("analyze")
def analyze(
    file: Annotated[
        Path | None,
        typer.Option(help="Experiment file (CSV, JSON or Parquet): unit or aggregate rows."),
    ] = None,
    experiment: Annotated[
        str | None,
        typer.Option(help="experiment_id in the workspace (or in a file holding several)."),
    ] = None,
    metric: Annotated[
        MetricKind, typer.Option(help="conversion, mean (value per unit), ratio, count.")
    ] = "conversion",
    control: Annotated[
        str | None, typer.Option(help="Control variant [first in the file; workspace: A-Z].")
    ] = None,
    method: Annotated[Method, typer.Option(help="frequentist, bayesian or sequential.")] = (
        "frequentist"
    ),
    relative: Annotated[
        bool, typer.Option("--relative", help="Interval on the relative lift (delta method).")
    ] = False,
    alternative: Annotated[
        Alternative, typer.Option(help="two-sided, greater or less (one-sided).")
    ] = "two-sided",
    alpha: Annotated[float, typer.Option(help="Error rate; intervals at 1 - alpha.")] = 0.05,
    correction: Annotated[
        Correction, typer.Option(help="Across variants: holm, bh (Benjamini-Hochberg), none.")
    ] = "holm",
    prior_mean: Annotated[
        float, typer.Option(help="Bayesian: prior mean of the lift (its scale).")
    ] = 0.0,
    prior_sd: Annotated[
        float | None,
        typer.Option(help="Bayesian: prior sd of the lift (e.g. 0.3 relative); none = flat."),
    ] = None,
    cuped: Annotated[
        bool, typer.Option("--cuped/--no-cuped", help="Adjust on pre_value when present.")
    ] = True,
    planned_share: Annotated[
        str | None, typer.Option(help="Planned split, e.g. A=0.5,B=0.5 [planned_share column].")
    ] = None,
    tuning: Annotated[
        float, typer.Option(help="Sequential: units at which the sequence is tightest.")
    ] = 5000.0,
    save: Annotated[
        bool, typer.Option("--save", help="Store the lifts in the workspace (mix model).")
    ] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Readout language: fr or en.")] = "en",
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Lift of every variant over the control, interval, p-value, chance to win, risk, a
    sample-ratio check and a plain-language readout."""
    settings = AnalysisSettings(
        method=method,
        alternative=alternative,
        difference="relative" if relative else "absolute",
        alpha=alpha,
        prior=Prior(prior_mean, prior_sd),
        correction=correction,
        cuped=cuped,
        tuning=tuning,
    )
    shares = parse_shares(planned_share)
    if file is None and experiment is None:
        raise UsageError("no experiment given", fix="give --file FILE or --experiment ID")
    if file is not None:
        if save:
            raise UsageError(
                "--save stores workspace experiments", fix="load the file, then --experiment ID"
            )
        done = analyze_file(
            file,
            metric,
            settings,
            experiment_id=experiment,
            control=control,
            lang=lang,
            shares=shares,
        )
    else:
        assert experiment is not None
        ws = workspace_of(workspace)
        with analytics(ws) as store:
            done = analyze_workspace(
                store, experiment, metric, settings, control=control, lang=lang, shares=shares
            )
        if save:
            with metadata(ws) as meta:
                saved = save_lifts(meta, done, cli_actor(getpass.getuser()))
            print(f"saved {len(saved.results)} lift(s)", file=sys.stderr)
    _show(done, fmt)


def _show(done: ExperimentAnalysis, fmt: OutputFormat) -> None:
    summary = done.summary()
    rows: list[dict[str, Any]] = [v.model_dump() for v in summary.variants]
    emit(summary, fmt, rows, _VARIANT_COLUMNS)
    if fmt == "table":
        sys.stdout.write(f"\n{summary.readout}\n")


@experiment_app.command("plan")
def plan(
    baseline: Annotated[
        float, typer.Option(help="Control conversion rate (0-1), or mean with --sd.")
    ],
    mde: Annotated[
        float | None, typer.Option(help="Minimum detectable effect (absolute unless --relative).")
    ] = None,
    relative: Annotated[
        bool, typer.Option("--relative", help="The MDE is a share of the baseline.")
    ] = False,
    alpha: Annotated[float, typer.Option(help="False-win rate.")] = 0.05,
    power: Annotated[float, typer.Option(help="Chance to detect the MDE.")] = 0.8,
    daily_units: Annotated[
        float | None, typer.Option(help="Units entering the test per day (all variants).")
    ] = None,
    variants: Annotated[int, typer.Option(help="Variants, control included.")] = 2,
    sd: Annotated[
        float | None, typer.Option(help="Standard deviation per unit (a mean metric).")
    ] = None,
    alternative: Annotated[Alternative, typer.Option(help="two-sided, greater or less.")] = (
        "two-sided"
    ),
    units_per_variant: Annotated[
        int | None, typer.Option(help="Without --mde: the MDE these units detect.")
    ] = None,
    days: Annotated[
        int | None, typer.Option(help="Without --mde: the MDE of this many days of traffic.")
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Warning language: fr or en.")] = "en",
    fmt: FormatOption = "table",
) -> None:
    """Units per variant and days for an MDE (or the MDE a traffic can detect)."""
    details = plan_experiment(
        baseline,
        mde=mde,
        relative=relative,
        alpha=alpha,
        power=power,
        daily_units=daily_units,
        variants=variants,
        sd=sd,
        alternative=alternative,
        units=units_per_variant,
        days=days,
    )
    print(details.warning_fr if lang == "fr" else details.warning_en, file=sys.stderr)
    if mde is not None:
        shown = details.summary()
        emit(shown, fmt, [shown.model_dump()], ["units_per_variant", "days"])
    else:
        columns = ["units_per_variant", "days", "mde_abs", "mde_rel", "power"]
        emit(details, fmt, [details.model_dump()], columns)


@experiment_app.command("link")
def link(
    experiment_id: Annotated[str, typer.Argument(help="The experiment_id in the data.")],
    initiative: Annotated[int, typer.Option(help="Id of the initiative the test measures.")],
    channel: Annotated[
        str | None, typer.Option(help="Channel it measures (calibrates the mix model).")
    ] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Link an experiment to the initiative it tests."""
    with metadata(workspace_of(workspace)) as meta:
        done = link_experiment(
            meta, experiment_id, initiative, channel, cli_actor(getpass.getuser())
        )
    emit(done, fmt, [done.model_dump()], ["experiment_id", "initiative_id", "channel"])


@experiment_app.command("results")
def results(
    experiment: Annotated[str | None, typer.Option(help="One experiment [all].")] = None,
    workspace: WorkspaceOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Saved lifts (analyze --save), as the marketing mix model reads them."""
    with metadata(workspace_of(workspace)) as meta:
        done = stored_lifts(meta, experiment)
    emit(done, fmt, [r.model_dump() for r in done.results], _LIFT_COLUMNS)
