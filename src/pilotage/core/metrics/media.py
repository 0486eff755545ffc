"""Media delivery, budget and attribution-share metrics (spend, campaigns, orders)."""

from __future__ import annotations

from pilotage.core.metrics.metric import Metric, additive, ratio

MEDIA_METRICS: tuple[Metric, ...] = (
    additive(
        "paid_cost",
        ("Paid media cost", "Coût média payant"),
        "currency",
        "sum(spend.cost where channel is paid)",
        ("spend",),
        (
            "Cost of the paid channels (paid search, paid social, display, video, "
            "affiliate): the numerator of paid CAC.",
            "Coût des canaux payants (search et social payants, display, vidéo, "
            "affiliation) : numérateur du CAC payant.",
        ),
    ),
    additive(
        "engagements",
        ("Engagements", "Interactions"),
        "count",
        "sum(clicks + reactions + comments + shares + follows)",
        ("spend",),
        (
            "Clicks plus the reactions, comments, shares and follows a platform exports "
            "(LinkedIn); only clicks when the export has no such columns.",
            "Clics plus réactions, commentaires, partages et abonnements exportés par la "
            "plateforme (LinkedIn) ; seulement les clics sinon.",
        ),
    ),
    ratio(
        "engagement_rate",
        ("Engagement rate", "Taux d'engagement"),
        "percent",
        ("engagements", "impressions"),
        ("spend",),
        (
            "Engagements divided by impressions (LinkedIn's definition). Null without impressions.",
            "Interactions divisées par les impressions (définition LinkedIn). Vide sans "
            "impression.",
        ),
        num=(("engagements", 1.0),),
        den=(("impressions", 1.0),),
    ),
    additive(
        "platform_conversions",
        ("Platform-reported conversions", "Conversions déclarées par la plateforme"),
        "count",
        "sum(spend.platform_conversions)",
        ("spend",),
        (
            "Conversions the ad platform claims (its own attribution, often overlapping "
            "between platforms): shown beside tracked conversions, never added to them.",
            "Conversions revendiquées par la plateforme publicitaire (sa propre "
            "attribution, souvent en double entre plateformes) : à comparer aux conversions "
            "suivies, jamais à y ajouter.",
        ),
    ),
    additive(
        "platform_conversion_value",
        ("Platform-reported value", "Valeur déclarée par la plateforme"),
        "currency",
        "sum(spend.platform_conversion_value)",
        ("spend",),
        (
            "Conversion value the ad platform claims.",
            "Valeur de conversion revendiquée par la plateforme publicitaire.",
        ),
    ),
    additive(
        "impressions",
        ("Impressions", "Impressions"),
        "count",
        "sum(spend.impressions)",
        ("spend",),
        (
            "Times an ad was shown, as reported by the platform.",
            "Nombre d'affichages d'une annonce, tel que déclaré par la plateforme.",
        ),
    ),
    additive(
        "clicks",
        ("Clicks", "Clics"),
        "count",
        "sum(spend.clicks)",
        ("spend",),
        (
            "Clicks on ads, as reported by the platform.",
            "Clics sur les annonces, tels que déclarés par la plateforme.",
        ),
    ),
    ratio(
        "ctr",
        ("CTR", "CTR"),
        "percent",
        ("clicks", "impressions"),
        ("spend",),
        (
            "Click-through rate: summed clicks divided by summed impressions. Null without "
            "impressions.",
            "Taux de clic : somme des clics divisée par la somme des impressions. Vide sans "
            "impression.",
        ),
        num=(("clicks", 1.0),),
        den=(("impressions", 1.0),),
    ),
    ratio(
        "cpc",
        ("CPC", "CPC"),
        "currency",
        ("cost", "clicks"),
        ("spend",),
        (
            "Cost per click: summed cost divided by summed clicks. Null without clicks.",
            "Coût par clic : somme des coûts divisée par la somme des clics. Vide sans clic.",
        ),
        num=(("cost", 1.0),),
        den=(("clicks", 1.0),),
    ),
    ratio(
        "cpm",
        ("CPM", "CPM"),
        "currency",
        ("cost * 1000", "impressions"),
        ("spend",),
        (
            "Cost per thousand impressions: summed cost times 1,000 divided by summed "
            "impressions. Null without impressions.",
            "Coût pour mille impressions : somme des coûts fois 1 000 divisée par la somme des "
            "impressions. Vide sans impression.",
        ),
        num=(("cost", 1000.0),),
        den=(("impressions", 1.0),),
    ),
    additive(
        "budget",
        ("Budget", "Budget"),
        "currency",
        "sum(campaigns.budget)",
        ("campaigns",),
        (
            "Budget of the campaigns that declare one (their whole flight), in the reporting "
            "currency. Campaigns without a budget are left out.",
            "Budget des campagnes qui en déclarent un (sur toute leur durée), en devise de "
            "reporting. Les campagnes sans budget sont exclues.",
        ),
    ),
    ratio(
        "budget_used",
        ("Budget used", "Budget consommé"),
        "percent",
        ("cost of budgeted campaigns", "budget"),
        ("spend", "campaigns"),
        (
            "Spend of the campaigns that declare a budget, in the chosen period, divided by "
            "their budget. Null when no campaign has a budget.",
            "Dépense des campagnes dotées d'un budget, sur la période choisie, divisée par ce "
            "budget. Vide quand aucune campagne n'a de budget.",
        ),
    ),
    additive(
        "attributed_orders",
        ("Orders (last touch)", "Commandes (dernier contact)"),
        "count",
        "count(orders) credited to the last touch before each order",
        ("orders", "touchpoints"),
        (
            "Orders credited to the channel of the last touchpoint of the same person (or "
            "account) within the lookback window.",
            "Commandes attribuées au canal du dernier point de contact de la même personne (ou "
            "du même compte) dans la fenêtre d'attribution.",
        ),
    ),
    ratio(
        "revenue_share",
        ("Share of revenue", "Part du chiffre d'affaires"),
        "percent",
        ("revenue", "total revenue"),
        ("orders", "touchpoints"),
        (
            "A channel's last-touch revenue divided by the revenue of all channels "
            "(unattributed included) under the same filters.",
            "Chiffre d'affaires attribué au canal divisé par celui de tous les canaux (non "
            "attribué compris) avec les mêmes filtres.",
        ),
    ),
)
