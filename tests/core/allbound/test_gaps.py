"""Coverage gaps of one account from its activity in the scoring window."""

from __future__ import annotations

import pytest

from pilotage.core.allbound.gaps import GAP_DEFINITIONS, GAPS, gaps_of
from pilotage.core.allbound.scoring import Activity

SEEN = Activity(1, 1.0, 0.0)
#: Only an open opportunity carried from before: a state, not an activity.
STATE_ONLY = Activity(1, 1.0, 1.0)


@pytest.mark.parametrize(
    ("activity", "people", "gaps"),
    [
        ({}, 0, ["no_contacts", "not_engaged", "no_marketing_touch", "no_open_opportunity"]),
        ({"webinar": SEEN}, 3, ["no_sales_touch", "no_open_opportunity"]),
        ({"sales_call": SEEN}, 1, ["no_marketing_touch", "no_open_opportunity"]),
        ({"other_touch": SEEN, "sales_meeting": SEEN, "opportunity_open": SEEN}, 2, []),
        ({"opportunity_open": STATE_ONLY}, 2, ["not_engaged", "no_marketing_touch"]),
        ({"product_event": SEEN}, 1, ["no_marketing_touch", "no_open_opportunity"]),
        (
            {"webinar": Activity(0, 0.0, 0.4)},
            1,
            ["not_engaged", "no_marketing_touch", "no_open_opportunity"],
        ),
    ],
)
def test_gaps_of_an_account(activity: dict[str, Activity], people: int, gaps: list[str]) -> None:
    assert gaps_of(activity, people) == gaps  # type: ignore[arg-type]


def test_every_gap_is_defined_in_both_languages() -> None:
    assert set(GAP_DEFINITIONS) == set(GAPS)
    assert all(en and fr for en, fr in GAP_DEFINITIONS.values())
