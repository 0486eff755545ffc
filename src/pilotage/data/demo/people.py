"""Accounts (companies) and people (identified prospects with their company and role)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.data.demo.config import F64, I64, US_PER_DAY, Bools, Calendar
from pilotage.data.demo.journeys import Journeys

COUNTRIES = ("FR", "BE", "CH", "DE", "ES", "IT", "UK")
COUNTRY_P = np.array([0.55, 0.10, 0.07, 0.08, 0.07, 0.06, 0.07])
SEGMENTS = ("SMB", "mid-market", "enterprise")
INDUSTRIES = (
    "Logiciel",
    "Industrie",
    "Services financiers",
    "Distribution",
    "Santé",
    "Conseil",
    "Télécoms",
    "Énergie",
    "Transport et logistique",
    "Agroalimentaire",
    "Éducation",
    "Assurance",
)
ROLES = (
    "CMO",
    "Directeur marketing",
    "Responsable marketing digital",
    "Growth manager",
    "Marketing ops",
    "Data analyst",
    "Chef de produit",
    "CEO",
    "CFO",
    "DSI",
    "Responsable commercial",
)
ROLE_P = np.array([4, 8, 16, 12, 12, 9, 8, 5, 3, 4, 8], dtype=np.float64)
SALES_REPS = {
    "FR": ("Antoine Leroy", "Claire Fournier", "Hugo Girard"),
    "BE": ("Nathalie Peeters",),
    "CH": ("Marc Favre",),
    "DE": ("Katrin Vogel",),
    "ES": ("Lucía Romero",),
    "IT": ("Marco Rossi",),
    "UK": ("Oliver Hughes",),
}
ABM_OWNERS = ("Léa Dubois", "Maxime Roux")
ACCOUNTS_PER_SCALE = 2_000
TARGET_ACCOUNTS = (50, 100, 150)  # tier 1, 2, 3 at scale 1
P_ACCOUNT = {"lead": 0.93, "signup": 0.55}  # share of people matched to a company
_ROOTS = (
    "Lumi",
    "Nova",
    "Atlan",
    "Vertic",
    "Solen",
    "Arde",
    "Mistra",
    "Orpe",
    "Quadri",
    "Sirio",
    "Talis",
    "Ubi",
    "Valo",
    "Wexa",
    "Zenit",
    "Alpi",
    "Brio",
    "Cassio",
    "Delta",
    "Elio",
    "Ferro",
    "Galen",
    "Helio",
    "Ivor",
    "Jura",
    "Kalo",
    "Lorin",
    "Marbel",
    "Nerio",
    "Ostra",
    "Pavo",
    "Rhôna",
    "Saphi",
    "Terra",
    "Ulma",
    "Verda",
    "Xéno",
    "Ysal",
    "Azur",
    "Boréa",
)
_ENDINGS = (
    "tec",
    "via",
    "lys",
    "gen",
    "sys",
    "data",
    "nova",
    "line",
    "pharm",
    "log",
    "bat",
    "fin",
    "com",
    "ia",
    "trans",
    "agri",
    "med",
    "soft",
    "print",
    "energ",
)
_LEGAL = {"FR": "SAS", "BE": "SA", "CH": "SA", "DE": "GmbH", "ES": "SL", "IT": "SpA", "UK": "Ltd"}
_TLD = {"FR": "fr", "BE": "be", "CH": "ch", "DE": "de", "ES": "es", "IT": "it", "UK": "co.uk"}


@dataclass(frozen=True)
class Accounts:
    n: int
    name: list[str]
    domain: list[str]
    country: I64  # index into COUNTRIES
    segment: I64  # index into SEGMENTS
    industry: I64
    employees: I64
    tier: I64  # 1..3 for target accounts, 0 otherwise
    sales_owner: list[str]
    marketing_owner: list[str | None]
    created_at: I64  # us; updated to precede the account's first person


@dataclass(frozen=True)
class People:
    n: int
    account: I64  # account index or -1
    created_at: I64  # identification time (us)
    country: I64
    segment: I64  # -1 when no company
    role: I64
    acquisition_channel: I64  # channel of the first touch
    self_serve: Bools


def build_accounts(cal: Calendar, rng: np.random.Generator, scale: float) -> Accounts:
    n = max(60, round(ACCOUNTS_PER_SCALE * scale))
    country = rng.choice(len(COUNTRIES), n, p=COUNTRY_P)
    segment = rng.choice(3, n, p=[0.5, 0.35, 0.15])
    low = np.array([10, 250, 2_500])[segment]
    high = np.array([249, 2_499, 60_000])[segment]
    employees = np.round(np.exp(rng.uniform(np.log(low), np.log(high)))).astype(np.int64)
    # Target accounts: mostly mid-market and enterprise (weights 1 : 6 : 12).
    n_target = [max(2, round(t * scale)) for t in TARGET_ACCOUNTS]
    weights = np.array([1.0, 6.0, 12.0])[segment]
    chosen = rng.choice(n, sum(n_target), replace=False, p=weights / weights.sum())
    tier = np.zeros(n, dtype=np.int64)
    tier[chosen] = np.repeat([1, 2, 3], n_target)
    names, domains = [], []
    seen: set[str] = set()
    combos = rng.permutation(len(_ROOTS) * len(_ENDINGS))
    for i in range(n):
        combo = int(combos[i % len(combos)])
        base = _ROOTS[combo // len(_ENDINGS)] + _ENDINGS[combo % len(_ENDINGS)]
        if i >= len(combos):
            base += f" {INDUSTRIES[i % len(INDUSTRIES)].split()[0]} {i // len(combos)}"
        ctry = COUNTRIES[country[i]]
        name = f"{base} {_LEGAL[ctry]}"
        while name in seen:
            name += "+"
        seen.add(name)
        names.append(name)
        slug = "".join(ch for ch in base.lower() if ch.isalnum() or ch == " ").replace(" ", "-")
        domains.append(f"{slug}.{_TLD[ctry]}")
    reps = [SALES_REPS[COUNTRIES[c]] for c in country]
    sales_owner = [r[int(k) % len(r)] for r, k in zip(reps, rng.integers(0, 6, n), strict=True)]
    marketing_owner = [ABM_OWNERS[i % 2] if tier[i] else None for i in range(n)]
    history = 3 * 365 * US_PER_DAY  # the CRM holds companies from up to 3 years before
    created = np.where(
        rng.random(n) < 0.6,
        cal.start_us - rng.integers(1, history, n),
        cal.start_us + rng.integers(0, cal.end_us - cal.start_us, n),
    )
    return Accounts(
        n,
        names,
        domains,
        country,
        segment,
        rng.choice(len(INDUSTRIES), n),
        employees,
        tier,
        sales_owner,
        marketing_owner,
        created.astype(np.int64),
    )


def account_weights(acc: Accounts) -> F64:
    """Relative chance that a new person belongs to each account (bigger and targeted
    companies have more contacts)."""
    w = acc.employees.astype(np.float64) ** 0.5 * np.where(acc.tier > 0, 2.5, 1.0)
    return np.asarray(w / w.sum(), dtype=np.float64)


def build_people(
    rng: np.random.Generator,
    acc: Accounts,
    journeys: Journeys,
    initiative_people: dict[str, tuple[Bools, float]],
) -> People:
    """People from identified prospects. ``initiative_people`` maps an initiative to
    (its people, share of them sent to target accounts): the Lyon event and the targeted
    webinar series meet people from target accounts far more often."""
    n = len(journeys.prospect)
    ss = journeys.self_serve
    has = rng.random(n) < np.where(ss, P_ACCOUNT["signup"], P_ACCOUNT["lead"])
    account = np.where(has, rng.choice(acc.n, n, p=account_weights(acc)), -1)
    targets = np.flatnonzero(acc.tier > 0)
    lyon_pool = targets[acc.country[targets] == COUNTRIES.index("FR")]
    for name, (members, share) in initiative_people.items():
        pool = lyon_pool if name == "INIT-LYON" and len(lyon_pool) else targets
        move = members & (rng.random(n) < share)
        account[move] = pool[rng.integers(0, len(pool), int(move.sum()))]
    created = journeys.identified_at
    # A company enters the CRM no later than its first person.
    first_seen = np.full(acc.n, np.iinfo(np.int64).max)
    np.minimum.at(first_seen, account[account >= 0], created[account >= 0])
    np.minimum(acc.created_at, first_seen - US_PER_DAY, out=acc.created_at)
    country = np.where(
        account >= 0,
        acc.country[np.maximum(account, 0)],
        rng.choice(len(COUNTRIES), n, p=COUNTRY_P),
    )
    segment = np.where(account >= 0, acc.segment[np.maximum(account, 0)], -1)
    return People(
        n,
        account.astype(np.int64),
        created,
        country.astype(np.int64),
        segment.astype(np.int64),
        rng.choice(len(ROLES), n, p=ROLE_P / ROLE_P.sum()),
        journeys.arrival_channel[journeys.prospect],
        ss,
    )
