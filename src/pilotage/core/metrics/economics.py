"""Revenue, margin, new customers, CAC (paid, blended, fully loaded), ROI, MER, LTV,
LTV:CAC and CAC payback."""

from __future__ import annotations

from collections.abc import Mapping

from pilotage.core.metrics.metric import Metric, additive, derived, ratio, safe_ratio

_ORDERS = ("orders", "touchpoints", "people", "accounts")
_CUSTOMERS = ("orders", "touchpoints", "people", "accounts")


def _payback(v: Mapping[str, float]) -> float | None:
    """CAC / monthly margin per customer = (cost / N) / (cohort_margin / customer_months)."""
    monthly_margin = safe_ratio(v["cohort_margin"], v["customer_months"])
    return safe_ratio(safe_ratio(v["cost"], v["new_customers"]), monthly_margin)


ECONOMICS_METRICS: tuple[Metric, ...] = (
    additive(
        "attributed_revenue",
        ("Attributed revenue", "Chiffre d'affaires attribué"),
        "currency",
        "sum(orders.amount × credit) over credited touches",
        _ORDERS,
        (
            "Order revenue credited to touches under the chosen attribution model (default "
            "last touch), within the lookback window; orders with no touch before them are "
            "left out (they are in revenue, as unattributed).",
            "Chiffre d'affaires des commandes attribué aux contacts selon le modèle choisi "
            "(dernier contact par défaut), dans la fenêtre d'attribution ; les commandes sans "
            "contact antérieur en sont exclues (elles sont « non attribuées »).",
        ),
    ),
    additive(
        "margin",
        ("Gross margin", "Marge brute"),
        "currency",
        "sum(orders.gross_margin as an amount)",
        _ORDERS,
        (
            "Gross margin of the orders: amount × gross_margin when it is a ratio, else the "
            "margin amount. Orders without a margin count as zero margin.",
            "Marge brute des commandes : montant × gross_margin quand c'est un taux, sinon le "
            "montant de marge. Les commandes sans marge comptent pour zéro.",
        ),
    ),
    additive(
        "attributed_margin",
        ("Attributed gross margin", "Marge brute attribuée"),
        "currency",
        "sum(margin × credit) over credited touches",
        _ORDERS,
        (
            "Gross margin of the orders credited to touches (unattributed orders left out).",
            "Marge brute des commandes attribuées à des contacts (hors non attribuées).",
        ),
    ),
    additive(
        "orders",
        ("Orders", "Commandes"),
        "count",
        "count(orders)",
        _ORDERS,
        (
            "Orders (refunds included), credited to touches when sliced by channel.",
            "Commandes (remboursements compris), attribuées aux contacts par canal.",
        ),
    ),
    additive(
        "refunds",
        ("Refunds", "Remboursements"),
        "currency",
        "sum(orders.amount where amount < 0)",
        _ORDERS,
        (
            "Negative orders (refunds, credit notes), already deducted from revenue.",
            "Commandes négatives (remboursements, avoirs), déjà déduites du chiffre d'affaires.",
        ),
    ),
    ratio(
        "roi_margin",
        ("Marketing ROI (gross margin)", "ROI marketing (marge brute)"),
        "ratio",
        ("attributed_margin - cost", "cost"),
        ("spend", *_ORDERS),
        (
            "Return on investment on a gross-margin basis (the CFO's basis): attributed gross "
            "margin minus cost, divided by cost. Null when there is no cost.",
            "Retour sur investissement sur la base de la marge brute (celle du DAF) : marge "
            "attribuée moins le coût, divisée par le coût. Vide sans coût.",
        ),
        num=(("attributed_margin", 1.0), ("cost", -1.0)),
        den=(("cost", 1.0),),
    ),
    ratio(
        "mer",
        ("MER", "MER"),
        "ratio",
        ("revenue", "cost"),
        ("spend", "orders"),
        (
            "Marketing efficiency ratio: all revenue (attributed or not) per euro of media "
            "cost; break-even MER is 1 / gross margin rate. Null without cost.",
            "Ratio d'efficacité marketing : tout le chiffre d'affaires (attribué ou non) par "
            "euro de coût média ; le point mort est 1 / taux de marge. Vide sans coût.",
        ),
        num=(("revenue", 1.0),),
        den=(("cost", 1.0),),
    ),
    additive(
        "new_customers",
        ("New customers", "Nouveaux clients"),
        "count",
        "count(customers whose first order is in the period)",
        _CUSTOMERS,
        (
            "Customers (accounts, else people) whose first order falls in the period, "
            "credited to the touches before that order under the chosen model.",
            "Clients (comptes, sinon personnes) dont la première commande tombe dans la "
            "période, attribués aux contacts précédant cette commande selon le modèle choisi.",
        ),
    ),
    additive(
        "new_customers_paid",
        ("New customers from paid media", "Nouveaux clients issus du payant"),
        "count",
        "new_customers credited to paid channels",
        _CUSTOMERS,
        (
            "New customers credited to paid channels (paid search, paid social, display, "
            "video, affiliate).",
            "Nouveaux clients attribués aux canaux payants (search et social payants, "
            "display, vidéo, affiliation).",
        ),
    ),
    ratio(
        "cac_paid",
        ("Paid CAC", "CAC payant"),
        "currency",
        ("paid_cost", "new_customers_paid"),
        ("spend", *_CUSTOMERS),
        (
            "Paid customer acquisition cost: cost of paid channels divided by the new "
            "customers credited to them. Null without such customers.",
            "Coût d'acquisition payant : coût des canaux payants divisé par les nouveaux "
            "clients qui leur sont attribués. Vide sans client.",
        ),
        num=(("paid_cost", 1.0),),
        den=(("new_customers_paid", 1.0),),
    ),
    ratio(
        "cac_blended",
        ("Blended CAC", "CAC global"),
        "currency",
        ("cost", "new_customers"),
        ("spend", *_CUSTOMERS),
        (
            "Blended customer acquisition cost: all media cost divided by all new customers "
            "(paying customers, never leads). Null without new customers.",
            "Coût d'acquisition global : tout le coût média divisé par tous les nouveaux "
            "clients (payants, jamais des leads). Vide sans nouveau client.",
        ),
        num=(("cost", 1.0),),
        den=(("new_customers", 1.0),),
    ),
    additive(
        "overhead_cost",
        ("Team and tool costs", "Coûts équipe et outils"),
        "currency",
        "sum(costs.amount)",
        ("costs",),
        (
            "Monthly team, tool and agency costs (the costs table), on the first day of "
            "their month; costs given no channel read 'unallocated'.",
            "Coûts mensuels d'équipe, d'outils et d'agences (table costs), au premier jour "
            "de leur mois ; sans canal ils sont « non ventilés ».",
        ),
    ),
    ratio(
        "cac_fully_loaded",
        ("Fully loaded CAC", "CAC complet"),
        "currency",
        ("cost + overhead_cost", "new_customers"),
        ("spend", "costs", *_CUSTOMERS),
        (
            "Fully loaded customer acquisition cost: media cost plus team and tool costs, "
            "divided by new customers. Null without new customers.",
            "Coût d'acquisition complet : coût média plus coûts d'équipe et d'outils, divisé "
            "par les nouveaux clients. Vide sans nouveau client.",
        ),
        num=(("cost", 1.0), ("overhead_cost", 1.0)),
        den=(("new_customers", 1.0),),
    ),
    additive(
        "cohort_revenue",
        ("Cohort revenue to date", "Chiffre d'affaires de la cohorte à date"),
        "currency",
        "sum(orders.amount) of customers acquired in the period, up to the end date",
        _CUSTOMERS,
        (
            "All revenue to date (up to the end of the chosen window) of the customers "
            "acquired in the period.",
            "Tout le chiffre d'affaires à date (jusqu'à la fin de la fenêtre) des clients "
            "acquis sur la période.",
        ),
    ),
    additive(
        "cohort_margin",
        ("Cohort margin to date", "Marge de la cohorte à date"),
        "currency",
        "sum(margin) of customers acquired in the period, up to the end date",
        _CUSTOMERS,
        (
            "All gross margin to date of the customers acquired in the period.",
            "Toute la marge brute à date des clients acquis sur la période.",
        ),
    ),
    additive(
        "customer_months",
        ("Customer-months", "Mois-clients"),
        "months",
        "sum(months from first order to the end date)",
        _CUSTOMERS,
        (
            "Months each customer acquired in the period has been a customer, up to the end "
            "of the window (30.4375-day months), summed.",
            "Mois écoulés depuis la première commande de chaque client acquis sur la période, "
            "jusqu'à la fin de la fenêtre (mois de 30,4375 jours), additionnés.",
        ),
    ),
    ratio(
        "ltv_revenue",
        ("Historical LTV (revenue)", "LTV historique (CA)"),
        "currency",
        ("cohort_revenue", "new_customers"),
        _CUSTOMERS,
        (
            "Revenue to date per customer acquired in the period (historical, per "
            "acquisition cohort; young cohorts have had less time). Null without customers.",
            "Chiffre d'affaires à date par client acquis sur la période (historique, par "
            "cohorte d'acquisition ; les cohortes récentes ont eu moins de temps).",
        ),
        num=(("cohort_revenue", 1.0),),
        den=(("new_customers", 1.0),),
    ),
    ratio(
        "ltv_margin",
        ("Historical LTV (margin)", "LTV historique (marge)"),
        "currency",
        ("cohort_margin", "new_customers"),
        _CUSTOMERS,
        (
            "Gross margin to date per customer acquired in the period. Null without customers.",
            "Marge brute à date par client acquis sur la période. Vide sans client.",
        ),
        num=(("cohort_margin", 1.0),),
        den=(("new_customers", 1.0),),
    ),
    ratio(
        "ltv_cac",
        ("LTV:CAC", "LTV:CAC"),
        "ratio",
        ("ltv_margin", "cac_blended"),
        ("spend", *_CUSTOMERS),
        (
            "Historical margin LTV divided by blended CAC, for the same customers "
            "(= cohort margin to date / media cost); 3 or more is the usual benchmark.",
            "LTV historique en marge divisée par le CAC global, pour les mêmes clients "
            "(= marge de la cohorte à date / coût média) ; 3 ou plus est la référence.",
        ),
        num=(("cohort_margin", 1.0),),
        den=(("cost", 1.0),),
    ),
    derived(
        "cac_payback_months",
        ("CAC payback", "Retour sur CAC"),
        "months",
        "cac_blended / (cohort_margin / customer_months)",
        ("cost", "new_customers", "cohort_margin", "customer_months"),
        _payback,
        ("spend", *_CUSTOMERS),
        (
            "Months of gross margin needed to earn back the blended CAC: CAC divided by the "
            "average monthly margin per customer of the cohort so far. Null without margin.",
            "Mois de marge brute nécessaires pour rembourser le CAC global : CAC divisé par "
            "la marge mensuelle moyenne par client de la cohorte à ce jour.",
        ),
    ),
)
