"""The audit's checks as data: id, weight, what they measure, and their words in FR and EN.

A check flags rows of one table. Its ``share`` of the table is counted in rows, or in money
(``measure="money"``: the table's money column, e.g. spend by cost) where a few large rows
matter more than many small ones. The trust score of a table loses ``weight * share * 100``
points per check (see :mod:`pilotage.core.quality.trust`); weights are stated here, and
shown beside every check in the audit's output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Lang = Literal["en", "fr"]
Measure = Literal["rows", "money"]

#: The column that weighs a table's rows by money, for checks measured in money.
MONEY_COLUMNS: Mapping[str, str] = MappingProxyType(
    {"spend": "cost", "orders": "amount", "opportunities": "amount"}
)

#: Tables whose rows may not be dated after today (planned campaigns and experiments may).
DATED_TABLES = ("spend", "people", "touchpoints", "orders", "opportunities", "conversions")


@dataclass(frozen=True)
class CheckSpec:
    """One check. Texts are (English, French). ``affected`` says what a table's score lost:
    ``{share}`` is the share flagged, and a finding's parameters may be used too (stale
    tables: ``{days}``, ``{limit}``)."""

    id: str
    weight: float
    measure: Measure
    title: tuple[str, str]
    explanation: tuple[str, str]
    fix: tuple[str, str]
    affected: tuple[str, str]

    def __post_init__(self) -> None:
        if not 0 <= self.weight <= 1:
            raise ValueError(f"check {self.id}: weight {self.weight} is not between 0 and 1")

    def text(self, part: Literal["title", "explanation", "fix", "affected"], lang: Lang) -> str:
        english, french = getattr(self, part)
        return str(french if lang == "fr" else english)


def _check(
    check_id: str,
    weight: float,
    measure: Measure,
    title: tuple[str, str],
    explanation: tuple[str, str],
    fix: tuple[str, str],
    affected: tuple[str, str],
) -> CheckSpec:
    return CheckSpec(check_id, weight, measure, title, explanation, fix, affected)


CHECKS: Mapping[str, CheckSpec] = MappingProxyType(
    {
        c.id: c
        for c in (
            _check(
                "dq_spend_unknown_campaign",
                1.0,
                "money",
                ("Spend with an unknown campaign", "Dépenses sur une campagne inconnue"),
                (
                    "Spend rows whose campaign_id is missing from the campaigns table: their "
                    "cost counts, but it has no program, budget or initiative.",
                    "Lignes de dépense dont le campaign_id manque dans la table des campagnes : "
                    "leur coût compte, mais sans programme, budget ni initiative.",
                ),
                (
                    "Load the missing campaigns (pilotage load campaigns FILE), or correct "
                    "the campaign_id in the spend export.",
                    "Chargez les campagnes manquantes (pilotage load campaigns FICHIER) ou "
                    "corrigez le campaign_id de l'export des dépenses.",
                ),
                ("{share} of cost has no campaign", "{share} du coût n'a pas de campagne"),
            ),
            _check(
                "dq_spend_untracked",
                0.5,
                "money",
                ("Spending without tracking", "Dépenses sans suivi"),
                (
                    "Spend on campaigns whose campaign_id never appears in the touchpoints: "
                    "the money is spent, but no click, visit or form can be tied to it, so "
                    "its return reads as zero.",
                    "Dépenses sur des campagnes dont le campaign_id n'apparaît dans aucun point "
                    "de contact : l'argent est dépensé, mais aucun clic, visite ni formulaire "
                    "ne s'y rattache, donc son retour paraît nul.",
                ),
                (
                    "Tag the campaign's links so that its touchpoints carry its campaign_id, "
                    "and load them; or fix the id that differs between the two exports.",
                    "Balisez les liens de la campagne pour que ses points de contact portent "
                    "son campaign_id, puis chargez-les ; ou corrigez l'identifiant qui diffère "
                    "entre les deux exports.",
                ),
                (
                    "{share} of cost has no tracked touchpoint",
                    "{share} du coût n'a aucun point de contact suivi",
                ),
            ),
            _check(
                "dq_unassigned_touches",
                0.8,
                "rows",
                ("Unmapped source / medium", "Source / support non classés"),
                (
                    "Touchpoints the channel rules could not classify (channel 'unassigned'): "
                    "the revenue they win is credited to no real channel.",
                    "Points de contact que les règles de canal n'ont pas classés (canal "
                    "« unassigned ») : le chiffre d'affaires qu'ils remportent ne va à aucun "
                    "canal réel.",
                ),
                (
                    "Add a [[channel_rules]] entry to pilotage.toml for each source / medium "
                    "listed, then load the touchpoints again.",
                    "Ajoutez une règle [[channel_rules]] à pilotage.toml pour chaque source / "
                    "support listé, puis rechargez les points de contact.",
                ),
                ("{share} of touches have no channel", "{share} des contacts n'ont pas de canal"),
            ),
            _check(
                "dq_conversions_without_touch",
                0.5,
                "rows",
                ("Conversions with no prior touch", "Conversions sans contact préalable"),
                (
                    "Conversions whose person (or account) has no touchpoint at or before the "
                    "conversion: no channel can get credit for them.",
                    "Conversions dont la personne (ou le compte) n'a aucun point de contact "
                    "avant ou au moment de la conversion : aucun canal ne peut en recevoir le "
                    "crédit.",
                ),
                (
                    "Check that touchpoints and conversions use the same person_id (CRM id "
                    "vs web id), and load the touchpoints of the period.",
                    "Vérifiez que points de contact et conversions utilisent le même "
                    "person_id (id CRM ou id web) et chargez les contacts de la période.",
                ),
                (
                    "{share} of conversions have no prior touch",
                    "{share} des conversions n'ont aucun contact",
                ),
            ),
            _check(
                "dq_opportunities_without_amount",
                1.0,
                "rows",
                ("Opportunities without amount", "Opportunités sans montant"),
                (
                    "Opportunities whose amount is empty or zero: the pipeline they stand for "
                    "is worth nothing in every figure.",
                    "Opportunités au montant vide ou nul : le pipeline qu'elles représentent "
                    "ne vaut rien dans les chiffres.",
                ),
                (
                    "Fill the amount in the CRM (or the export) and load the opportunities again.",
                    "Renseignez le montant dans le CRM (ou l'export) et rechargez les "
                    "opportunités.",
                ),
                (
                    "{share} of opportunities have no amount",
                    "{share} des opportunités n'ont pas de montant",
                ),
            ),
            _check(
                "dq_opportunities_unknown_account",
                0.8,
                "money",
                ("Opportunities with an unknown account", "Opportunités sur un compte inconnu"),
                (
                    "Opportunities whose account_id is missing from the accounts table: their "
                    "pipeline can't be tied to a target account, a segment or a country.",
                    "Opportunités dont l'account_id manque dans la table des comptes : leur "
                    "pipeline ne se rattache à aucun compte cible, segment ni pays.",
                ),
                (
                    "Load the missing accounts (pilotage load accounts FILE).",
                    "Chargez les comptes manquants (pilotage load accounts FICHIER).",
                ),
                (
                    "{share} of pipeline has no known account",
                    "{share} du pipeline n'a pas de compte connu",
                ),
            ),
            _check(
                "dq_orders_without_buyer",
                1.0,
                "money",
                ("Orders with no person nor account", "Commandes sans personne ni compte"),
                (
                    "Orders that can never be attributed because nobody placed them.",
                    "Commandes impossibles à attribuer car sans acheteur.",
                ),
                (
                    "Export the orders with the buyer's person_id or account_id.",
                    "Exportez les commandes avec le person_id ou l'account_id de l'acheteur.",
                ),
                (
                    "{share} of revenue has no buyer",
                    "{share} du chiffre d'affaires n'a pas d'acheteur",
                ),
            ),
            _check(
                "dq_duplicate_people",
                0.5,
                "rows",
                ("Duplicate people", "Personnes en double"),
                (
                    "People sharing the same account and e-mail (trimmed, lower-case) under "
                    "different person_ids: their journeys are split in two. Checked only "
                    "when the people table has an email column.",
                    "Personnes partageant le même compte et le même e-mail (sans espaces, en "
                    "minuscules) sous des person_id différents : leur parcours est coupé en "
                    "deux. Contrôlé seulement si la table people a une colonne email.",
                ),
                (
                    "Merge the duplicates in the CRM, then load the people again.",
                    "Fusionnez les doublons dans le CRM, puis rechargez les personnes.",
                ),
                ("{share} of people are duplicates", "{share} des personnes sont des doublons"),
            ),
            _check(
                "dq_duplicate_accounts",
                0.5,
                "rows",
                ("Duplicate accounts", "Comptes en double"),
                (
                    "Accounts with the same web domain (without http, www and path), or the "
                    "same name (without case, punctuation and legal form) when they have no "
                    "domain: their pipeline and revenue are split.",
                    "Comptes au même domaine web (sans http, www ni chemin), ou au même nom "
                    "(sans casse, ponctuation ni forme juridique) quand ils n'ont pas de "
                    "domaine : leur pipeline et leur chiffre d'affaires sont éclatés.",
                ),
                (
                    "Merge the duplicates in the CRM, then load the accounts again.",
                    "Fusionnez les doublons dans le CRM, puis rechargez les comptes.",
                ),
                ("{share} of accounts are duplicates", "{share} des comptes sont des doublons"),
            ),
            _check(
                "dq_stale_table",
                0.3,
                "rows",
                ("Stale table", "Table pas à jour"),
                (
                    "The table's latest date is older than its freshness limit: recent "
                    "figures are missing from it, not low.",
                    "La date la plus récente de la table dépasse sa limite de fraîcheur : les "
                    "chiffres récents y manquent, ils ne sont pas faibles.",
                ),
                (
                    "Load the latest export (or schedule it), or check that the connector "
                    "still runs.",
                    "Chargez le dernier export (ou planifiez-le), ou vérifiez que le "
                    "connecteur tourne encore.",
                ),
                (
                    "no new row for {days} days (limit {limit})",
                    "aucune ligne nouvelle depuis {days} jours (limite {limit})",
                ),
            ),
            _check(
                "dq_missing_fx_rate",
                1.0,
                "rows",
                ("Currencies without exchange rate", "Devises sans taux de change"),
                (
                    "Rows in another currency than the reporting one with no fx_rates row "
                    "on or before their date, so their amounts are not converted. 'pilotage "
                    "load' refuses such rows, so a non-zero count means the table was written "
                    "another way (a warehouse table, direct SQL).",
                    "Lignes dans une autre devise que celle de reporting sans taux (fx_rates) "
                    "à leur date ou avant : leurs montants ne sont pas convertis. « pilotage "
                    "load » refuse ces lignes : un compte non nul signifie que la table a été "
                    "écrite autrement (table d'entrepôt, SQL direct).",
                ),
                (
                    "Load the rates (pilotage load fx_rates FILE: date, currency, "
                    "rate_to_reporting) from the first date of these rows.",
                    "Chargez les taux (pilotage load fx_rates FICHIER : date, currency, "
                    "rate_to_reporting) depuis la première date de ces lignes.",
                ),
                (
                    "{share} of rows have no exchange rate",
                    "{share} des lignes n'ont pas de taux de change",
                ),
            ),
            _check(
                "dq_future_rows",
                1.0,
                "money",
                ("Rows dated in the future", "Lignes datées dans le futur"),
                (
                    "Rows whose date (the table's time column) is after today in the "
                    "workspace's time zone: usually a time-zone or date-format error.",
                    "Lignes dont la date (colonne de temps de la table) est après aujourd'hui "
                    "dans le fuseau de l'espace : souvent une erreur de fuseau ou de format.",
                ),
                (
                    "Check the date format (--date-order dmy|mdy) and the time zone of the "
                    "export, then load the file again.",
                    "Vérifiez le format de date (--date-order dmy|mdy) et le fuseau de "
                    "l'export, puis rechargez le fichier.",
                ),
                (
                    "{share} of the table is dated in the future",
                    "{share} de la table est daté dans le futur",
                ),
            ),
        )
    }
)


def _default_days() -> Mapping[str, int | None]:
    # An experiments table ends with its last test: it is not a feed that goes stale.
    return MappingProxyType({"spend": 7, "touchpoints": 7, "orders": 35, "experiments": None})


@dataclass(frozen=True)
class AuditSettings:
    """Freshness limits in days per table (``default_days`` for the others; None: never
    stale) and how many example values each check shows (0 to 50)."""

    freshness_days: Mapping[str, int | None] = field(default_factory=_default_days)
    default_days: int = 60
    examples: int = 5

    def __post_init__(self) -> None:
        days = {**self.freshness_days, "(default)": self.default_days}
        bad = {k: v for k, v in days.items() if v is not None and not 1 <= v <= 3650}
        if bad:
            raise ValueError(f"freshness limits must be 1 to 3650 days (or None), got {bad}")
        if not 0 <= self.examples <= 50:
            raise ValueError(f"examples must be 0 to 50, got {self.examples}")

    def days(self, table: str) -> int | None:
        """How many days old a table's latest date may be before the table is stale."""
        return self.freshness_days.get(table, self.default_days)


DEFAULT_AUDIT = AuditSettings()
