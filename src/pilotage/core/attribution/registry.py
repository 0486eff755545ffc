"""Attribution models by name, with the definition each result carries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from pilotage.core.attribution import rules
from pilotage.core.attribution.credits import Credits
from pilotage.core.attribution.markov import markov
from pilotage.core.attribution.options import (
    FULL_PATH,
    POSITION,
    U_SHAPED,
    W_SHAPED,
    ModelOptions,
    PositionWeights,
)
from pilotage.core.attribution.paths import PathCounts
from pilotage.core.attribution.shapley import shapley, shapley_ordered, shapley_simplified
from pilotage.errors import UsageError

ModelName = Literal[
    "first",
    "last",
    "last_non_direct",
    "linear",
    "time_decay",
    "position",
    "u_shaped",
    "w_shaped",
    "full_path",
    "custom",
    "markov",
    "shapley",
    "shapley_simplified",
    "shapley_ordered",
]
MODEL_NAMES: tuple[ModelName, ...] = get_args(ModelName)
#: What ``all`` runs, in display order (custom needs weights, so it is asked by name).
ALL_MODELS: tuple[ModelName, ...] = tuple(m for m in MODEL_NAMES if m != "custom")

ModelFunction = Callable[[PathCounts, ModelOptions], Credits]


@dataclass(frozen=True)
class Model:
    name: ModelName
    definition: str
    compute: ModelFunction
    weights: PositionWeights | None = None
    #: Credits come from the data (a zero is a finding to report, not a rule's design).
    data_driven: bool = False
    #: Reads each touch's age (days before the conversion); journeys without ages have
    #: fewer distinct paths, so they are built only for the models that need them.
    uses_ages: bool = False


def _weighted(weights: PositionWeights) -> ModelFunction:
    def compute(paths: PathCounts, options: ModelOptions) -> Credits:
        return rules.by_position(paths, weights)

    return compute


def _custom(paths: PathCounts, options: ModelOptions) -> Credits:
    if options.weights is None:
        raise UsageError("the custom model needs weights", fix="pass --weights first=0.5,last=0.5")
    return rules.by_position(paths, options.weights)


_TAGS = "touches tagged [lead], [opp], [won] in the path"
MODELS: dict[ModelName, Model] = {
    m.name: m
    for m in (
        Model("first", "All the credit to the first touch.", rules.first_touch),
        Model("last", "All the credit to the last touch.", rules.last_touch),
        Model(
            "last_non_direct",
            "All the credit to the last touch that is not direct.",
            rules.last_non_direct,
        ),
        Model("linear", "Equal credit to every touch of the path.", rules.linear),
        Model(
            "time_decay",
            "Credit proportional to 2^(-days before conversion / half-life), default half-life "
            "7 days, normalised per path.",
            rules.time_decay,
            uses_ages=True,
        ),
        Model(
            "position",
            "40% first touch, 40% last touch, 20% shared by the touches between (one touch: "
            "100%, two touches: 50/50).",
            _weighted(POSITION),
            POSITION,
        ),
        Model(
            "u_shaped",
            f"50% first touch, 50% lead-creation touch ({_TAGS}).",
            _weighted(U_SHAPED),
            U_SHAPED,
        ),
        Model(
            "w_shaped",
            "30% each to first touch, lead creation and opportunity creation, 10% shared by "
            f"the other touches ({_TAGS}).",
            _weighted(W_SHAPED),
            W_SHAPED,
        ),
        Model(
            "full_path",
            "22.5% each to first touch, lead creation, opportunity creation and closed-won, "
            f"10% shared by the other touches ({_TAGS}).",
            _weighted(FULL_PATH),
            FULL_PATH,
        ),
        Model(
            "custom",
            "Your weights on first, lead, opp, won, last and rest (the other touches), "
            "normalised per path over the roles the path has.",
            _custom,
        ),
        Model(
            "markov",
            "Removal effect of each channel in the Markov chain of order K (states: the last "
            "K channels), solved exactly; credits proportional to removal effects.",
            markov,
            data_driven=True,
        ),
        Model(
            "shapley",
            "Exact Shapley value over channel coalitions of the game v(S) = sum of the "
            "observed conversion rates of the channel sets inside S; credits proportional.",
            shapley,
            data_driven=True,
        ),
        Model(
            "shapley_simplified",
            "Simplified Shapley (Zhao et al. 2018): each channel set's conversions shared "
            "equally by its distinct channels.",
            shapley_simplified,
            data_driven=True,
        ),
        Model(
            "shapley_ordered",
            "Ordered Shapley (Zhao et al. 2018): the simplified credit split by the rank of "
            "the channel's first touch; totals equal the simplified model.",
            shapley_ordered,
            data_driven=True,
        ),
    )
}


def model(name: str) -> Model:
    if name not in MODELS:
        raise UsageError(
            f"unknown attribution model {name!r}",
            fix="use one of " + ", ".join(MODEL_NAMES) + " or all",
        )
    return MODELS[name]


def weights_of(chosen: Model, options: ModelOptions) -> PositionWeights | None:
    """The position weights a model applies (None for models that are not position-based)."""
    return options.weights if chosen.name == "custom" else chosen.weights
