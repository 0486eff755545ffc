"""Pipeline created, sourced and influenced, win rate, deal size, cycle and velocity."""

from __future__ import annotations

from collections.abc import Mapping

from pilotage.core.metrics.metric import Metric, additive, derived, ratio, safe_ratio

_OPPS = ("opportunities", "touchpoints", "people", "accounts")
_SOURCED = (
    "pipeline_sourced_field",
    "pipeline_sourced_first_touch",
    "pipeline_sourced_pre_sales",
)


def _velocity(v: Mapping[str, float]) -> float | None:
    """opportunities × average deal size × win rate / cycle days."""
    deal = safe_ratio(v["won_amount"], v["won_deals"])
    win = safe_ratio(v["won_deals"], v["won_deals"] + v["lost_deals"])
    cycle = safe_ratio(v["cycle_days_won"], v["won_deals"])
    if deal is None or win is None:
        return None
    return safe_ratio(v["opportunities_created"] * deal * win, cycle)


def _gap(v: Mapping[str, float]) -> float:
    values = [v[m] for m in _SOURCED]
    return max(values) - min(values)


def _amount(metric_id: str, names: tuple[str, str], rule: tuple[str, str]) -> Metric:
    return additive(
        metric_id,
        names,
        "currency",
        f"sum(opportunities.amount where {metric_id.removeprefix('pipeline_')})",
        _OPPS,
        (
            f"Amount of the opportunities created in the period {rule[0]}",
            f"Montant des opportunités créées sur la période {rule[1]}",
        ),
    )


SALES_METRICS: tuple[Metric, ...] = (
    additive(
        "pipeline_created",
        ("Pipeline created", "Pipeline créé"),
        "currency",
        "sum(opportunities.amount by created_at)",
        _OPPS,
        (
            "Amount of the opportunities created in the period; by channel, credited to the "
            "touches of the account (and its people) before creation under the chosen model.",
            "Montant des opportunités créées sur la période ; par canal, attribué aux "
            "contacts du compte (et de ses personnes) avant la création selon le modèle.",
        ),
    ),
    additive(
        "opportunities_created",
        ("Opportunities created", "Opportunités créées"),
        "count",
        "count(opportunities by created_at)",
        _OPPS,
        ("Opportunities created in the period.", "Opportunités créées sur la période."),
    ),
    _amount(
        "pipeline_sourced_field",
        ("Sourced pipeline (source field)", "Pipeline sourcé (champ source)"),
        (
            "whose CRM source field says marketing.",
            "dont le champ source du CRM indique le marketing.",
        ),
    ),
    _amount(
        "pipeline_sourced_first_touch",
        ("Sourced pipeline (first touch)", "Pipeline sourcé (premier contact)"),
        (
            "whose account's first touch ever (before creation) was a marketing touch "
            "(neither sales, direct nor unassigned).",
            "dont le tout premier contact du compte (avant la création) est un contact "
            "marketing (ni commercial, ni direct, ni non classé).",
        ),
    ),
    _amount(
        "pipeline_sourced_pre_sales",
        ("Sourced pipeline (before sales)", "Pipeline sourcé (avant les ventes)"),
        (
            "where, within the lookback window, a marketing touch came before the first "
            "sales activity on the account.",
            "où, dans la fenêtre d'attribution, un contact marketing a précédé la première "
            "action commerciale sur le compte.",
        ),
    ),
    _amount(
        "pipeline_influenced",
        ("Influenced pipeline", "Pipeline influencé"),
        (
            "with any marketing touch on the account within the lookback window before creation.",
            "avec au moins un contact marketing sur le compte dans la fenêtre d'attribution "
            "avant la création.",
        ),
    ),
    derived(
        "sourced_definition_gap",
        ("Gap between sourced definitions", "Écart entre définitions du sourcé"),
        "currency",
        "max - min of the three sourced pipeline definitions",
        _SOURCED,
        _gap,
        _OPPS,
        (
            "How much the three definitions of marketing-sourced pipeline (source field, "
            "first touch, before sales) disagree: the largest minus the smallest.",
            "Désaccord entre les trois définitions du pipeline sourcé (champ source, premier "
            "contact, avant les ventes) : la plus grande moins la plus petite.",
        ),
    ),
    additive(
        "won_amount",
        ("Won", "Gagné"),
        "currency",
        "sum(opportunities.amount where is_won, by closed_at)",
        _OPPS,
        (
            "Amount of the opportunities won and closed in the period.",
            "Montant des opportunités gagnées et clôturées sur la période.",
        ),
    ),
    additive(
        "won_deals",
        ("Deals won", "Affaires gagnées"),
        "count",
        "count(opportunities where is_won, by closed_at)",
        _OPPS,
        ("Opportunities won in the period.", "Opportunités gagnées sur la période."),
    ),
    additive(
        "lost_deals",
        ("Deals lost", "Affaires perdues"),
        "count",
        "count(opportunities closed and not won, by closed_at)",
        _OPPS,
        ("Opportunities lost in the period.", "Opportunités perdues sur la période."),
    ),
    additive(
        "cycle_days_won",
        ("Days to win (sum)", "Jours jusqu'au gain (somme)"),
        "days",
        "sum(closed_at - created_at of won opportunities)",
        _OPPS,
        (
            "Days from creation to close of the deals won in the period, summed.",
            "Jours entre création et clôture des affaires gagnées sur la période, additionnés.",
        ),
    ),
    ratio(
        "win_rate",
        ("Win rate", "Taux de gain"),
        "percent",
        ("won_deals", "won_deals + lost_deals"),
        _OPPS,
        (
            "Won divided by won plus lost, among deals closed in the period (open ones "
            "excluded). Null when none closed.",
            "Gagnées divisées par gagnées plus perdues, parmi les affaires clôturées sur la "
            "période (ouvertes exclues). Vide sans clôture.",
        ),
        num=(("won_deals", 1.0),),
        den=(("won_deals", 1.0), ("lost_deals", 1.0)),
    ),
    ratio(
        "avg_deal_size",
        ("Average deal size", "Panier moyen des affaires"),
        "currency",
        ("won_amount", "won_deals"),
        _OPPS,
        (
            "Amount won divided by deals won in the period. Null without a win.",
            "Montant gagné divisé par le nombre d'affaires gagnées. Vide sans gain.",
        ),
        num=(("won_amount", 1.0),),
        den=(("won_deals", 1.0),),
    ),
    ratio(
        "sales_cycle_days",
        ("Sales cycle", "Cycle de vente"),
        "days",
        ("cycle_days_won", "won_deals"),
        _OPPS,
        (
            "Average days from creation to close of the deals won in the period.",
            "Durée moyenne en jours entre création et clôture des affaires gagnées.",
        ),
        num=(("cycle_days_won", 1.0),),
        den=(("won_deals", 1.0),),
    ),
    derived(
        "pipeline_velocity",
        ("Pipeline velocity", "Vélocité du pipeline"),
        "currency",
        "opportunities_created × avg_deal_size × win_rate / sales_cycle_days",
        ("opportunities_created", "won_amount", "won_deals", "lost_deals", "cycle_days_won"),
        _velocity,
        _OPPS,
        (
            "Revenue the pipeline produces per day: opportunities created × average deal "
            "size × win rate / sales cycle in days.",
            "Chiffre d'affaires produit par jour par le pipeline : opportunités créées × "
            "panier moyen × taux de gain / cycle de vente en jours.",
        ),
    ),
)
