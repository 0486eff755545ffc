"""Settings of the attribution models: frozen, validated, saying what is allowed."""

from __future__ import annotations

from dataclasses import dataclass, fields

from pilotage.core.attribution.paths import DIRECT
from pilotage.errors import UsageError

#: Highest Markov order: states are the last K channels, so their number grows like n^K.
MAX_ORDER = 4


@dataclass(frozen=True)
class PositionWeights:
    """Share of a path's credit given to touches by role (each weight >= 0).

    ``first`` and ``last`` are the first and last touches; ``lead``, ``opp`` and ``won`` the
    touches tagged as creating the lead, the opportunity and the closed-won deal; ``rest`` is
    shared equally by the touches that hold none of the roles weighted above zero. A touch
    holding several roles adds their weights. Roles absent from a path (no tagged touch, no
    remaining touch) give their weight to the others in proportion, so every path's credit
    sums to one.
    """

    first: float = 0.0
    lead: float = 0.0
    opp: float = 0.0
    won: float = 0.0
    last: float = 0.0
    rest: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            weight = getattr(self, f.name)
            if not weight >= 0 or weight == float("inf"):
                raise UsageError(
                    f"weight {f.name}={weight} is not allowed", fix="give weights >= 0"
                )
        if self.first + self.last + self.rest <= 0:
            raise UsageError(
                "custom weights need a weight on first, last or rest",
                fix="every path has a first and a last touch; weight one of them, e.g. first=0.4",
            )

    @property
    def uses_milestones(self) -> bool:
        return self.lead + self.opp + self.won > 0

    @classmethod
    def parse(cls, text: str) -> PositionWeights:
        """Weights written ``first=0.4,last=0.4,rest=0.2`` (roles first lead opp won last rest)."""
        names = {f.name for f in fields(cls)}
        values: dict[str, float] = {}
        for part in text.split(","):
            name, _, number = part.partition("=")
            name = name.strip()
            if name not in names or not number.strip():
                raise UsageError(
                    f"cannot read the weight {part.strip()!r}",
                    fix="write weights as role=number separated by commas, roles among "
                    + ", ".join(sorted(names)),
                )
            try:
                values[name] = float(number)
            except ValueError as exc:
                raise UsageError(
                    f"weight {name} is not a number ({number.strip()!r})", fix="write e.g. 0.3"
                ) from exc
        return cls(**values)


POSITION = PositionWeights(first=0.4, last=0.4, rest=0.2)
U_SHAPED = PositionWeights(first=0.5, lead=0.5)
W_SHAPED = PositionWeights(first=0.3, lead=0.3, opp=0.3, rest=0.1)
FULL_PATH = PositionWeights(first=0.225, lead=0.225, opp=0.225, won=0.225, rest=0.1)


@dataclass(frozen=True)
class ModelOptions:
    """Options shared by the models; each model reads the ones it needs.

    ``order``: Markov order (1 to 4). ``ignore_nulls``: leave non-converting journeys out of
    the data-driven models. ``half_life_days``: time decay, a touch this many days before
    the conversion weighs half a touch on the day. ``weights``: the custom position model.
    ``direct``: the channel that alone on a path leaves it unattributed and that
    last_non_direct skips.
    """

    order: int = 1
    ignore_nulls: bool = False
    half_life_days: float = 7.0
    weights: PositionWeights | None = None
    direct: str = DIRECT

    def __post_init__(self) -> None:
        if not 1 <= self.order <= MAX_ORDER:
            raise UsageError(
                f"Markov order {self.order} is not available", fix=f"use 1 to {MAX_ORDER}"
            )
        if not self.half_life_days > 0:
            raise UsageError(
                f"half-life {self.half_life_days} days is not allowed", fix="use a number > 0"
            )
