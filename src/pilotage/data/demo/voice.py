"""Voice of the customer: NPS / CSAT / CES answers and community, advisory board, user group,
support and social conversations in French and English.

Each answer or post is about one theme with a valence (positive or negative); a theme's
valence moves the latent satisfaction by a known amount (THEME_EFFECT, NPS points), which
is the survey driver truth. Texts are assembled from per-theme sentences plus source-specific
openings and closings, so the same theme reads differently from one row to the next.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.data.demo.config import I64, US_PER_DAY, US_PER_HOUR, Calendar
from pilotage.data.demo.people import COUNTRIES
from pilotage.data.demo.tables import build_table, ids, labels

THEMES = ("pricing", "onboarding", "integrations", "reporting", "support", "performance", "ux")
# NPS points added to the latent score by a (negative, positive) experience of each theme.
THEME_EFFECT = {
    "pricing": (-2.0, 0.4),
    "onboarding": (-1.5, 0.6),
    "integrations": (-1.8, 1.0),
    "reporting": (-1.2, 1.2),
    "support": (-2.2, 0.8),
    "performance": (-2.5, 0.3),
    "ux": (-1.0, 0.7),
}
THEME_P = np.array([0.16, 0.14, 0.16, 0.2, 0.14, 0.1, 0.1])
NEGATIVE_P = 0.35
NPS_BASE, CSAT_BASE, CES_BASE = 7.4, 3.9, 5.2
_S: dict[tuple[str, str, bool], tuple[str, ...]] = {
    ("pricing", "fr", False): (
        "Le prix a encore augmenté au renouvellement, difficile à justifier auprès de notre DAF.",
        "La tarification par utilisateur devient chère dès qu'on ouvre l'outil aux commerciaux.",
    ),
    ("pricing", "fr", True): (
        "Le rapport qualité-prix est bon pour une équipe comme la nôtre.",
        "Le plan Starter est abordable et suffisant pour démarrer.",
    ),
    ("pricing", "en", False): (
        "The price went up again at renewal and is hard to justify to our CFO.",
        "Per-seat pricing gets expensive once sales join.",
    ),
    ("pricing", "en", True): (
        "Good value for money for a team our size.",
        "The Starter plan is affordable and enough to get going.",
    ),
    ("onboarding", "fr", False): (
        "L'onboarding a pris trois mois au lieu de trois semaines.",
        "Personne ne nous a expliqué comment paramétrer les canaux.",
    ),
    ("onboarding", "fr", True): (
        "La mise en route a été rapide, en deux semaines nous avions nos premiers tableaux.",
        "Le chargé d'onboarding était excellent.",
    ),
    ("onboarding", "en", False): (
        "Onboarding took three months instead of three weeks.",
        "Nobody explained how to set up the channel rules.",
    ),
    ("onboarding", "en", True): (
        "Setup was quick, we had our first dashboards within two weeks.",
        "Our onboarding manager was excellent.",
    ),
    ("integrations", "fr", False): (
        "Le connecteur Salesforce se désynchronise régulièrement.",
        "Il manque une intégration native avec notre ERP.",
    ),
    ("integrations", "fr", True): (
        "Les intégrations HubSpot et Google Ads marchent sans effort.",
        "Brancher notre entrepôt de données a pris une heure.",
    ),
    ("integrations", "en", False): (
        "The Salesforce connector keeps falling out of sync.",
        "A native integration with our ERP is missing.",
    ),
    ("integrations", "en", True): (
        "The HubSpot and Google Ads integrations just work.",
        "Connecting our data warehouse took an hour.",
    ),
    ("reporting", "fr", False): (
        "Les rapports sont trop rigides pour notre comité de direction.",
        "Impossible d'exporter le rapport mensuel dans notre format.",
    ),
    ("reporting", "fr", True): (
        "Les rapports ROI ont convaincu notre CFO en une réunion.",
        "Le tableau de bord CAC est devenu notre référence en comité.",
    ),
    ("reporting", "en", False): (
        "Reports are too rigid for our leadership meetings.",
        "We cannot export the monthly report in our format.",
    ),
    ("reporting", "en", True): (
        "The ROI reports convinced our CFO in one meeting.",
        "The CAC dashboard is now our reference in committee.",
    ),
    ("support", "fr", False): (
        "Le support met plusieurs jours à répondre aux tickets.",
        "On nous renvoie vers la documentation au lieu de nous aider.",
    ),
    ("support", "fr", True): (
        "Le support répond vite et connaît bien le produit.",
        "Ticket résolu en moins d'une heure, bravo à l'équipe.",
    ),
    ("support", "en", False): (
        "Support takes days to answer tickets.",
        "We keep being sent to the docs instead of getting help.",
    ),
    ("support", "en", True): (
        "Support answers fast and knows the product well.",
        "Ticket solved in under an hour, well done to the team.",
    ),
    ("performance", "fr", False): (
        "Les tableaux de bord sont lents dès qu'on dépasse un an de données.",
        "L'application plante pendant les exports lourds.",
    ),
    ("performance", "fr", True): (
        "Tout est rapide, même avec nos millions de points de contact.",
        "Les calculs d'attribution tournent en quelques secondes.",
    ),
    ("performance", "en", False): (
        "Dashboards are slow with more than a year of data.",
        "The app crashes during large exports.",
    ),
    ("performance", "en", True): (
        "Everything is fast, even with millions of touchpoints.",
        "Attribution runs in seconds.",
    ),
    ("ux", "fr", False): (
        "L'interface est confuse, on cherche toujours les filtres.",
        "Trop de clics pour retrouver une campagne.",
    ),
    ("ux", "fr", True): (
        "L'interface est claire, nos équipes l'ont adoptée sans formation.",
        "Très agréable à utiliser au quotidien.",
    ),
    ("ux", "en", False): (
        "The interface is confusing, we keep looking for the filters.",
        "Too many clicks to find a campaign.",
    ),
    ("ux", "en", True): (
        "The interface is clear, our teams adopted it without training.",
        "Pleasant to use every day.",
    ),
}
_OPEN: dict[str, dict[str, tuple[str, ...]]] = {
    "community": {
        "fr": ("Bonjour à tous,", "Question pour la communauté :", "Retour d'expérience :"),
        "en": ("Hi all,", "Question for the community:", "Sharing our experience:"),
    },
    "support_ticket": {
        "fr": ("Ticket client :", "Demande urgente :"),
        "en": ("Customer ticket:", "Urgent request:"),
    },
    "social_mention": {
        "fr": ("@Clairval", "Avis sur @Clairval :"),
        "en": ("@Clairval", "Quick take on @Clairval:"),
    },
    "user_group": {"fr": ("Notes du club utilisateurs :",), "en": ("User group notes:",)},
    "advisory_board": {
        "fr": ("Comité consultatif clients, compte rendu :",),
        "en": ("Customer advisory board minutes:",),
    },
}
_CLOSE = {
    "fr": ("Merci d'avance.", "Qu'en pensez-vous ?", "", "Bonne journée."),
    "en": ("Thanks in advance.", "Any thoughts?", "", "Cheers."),
}
SOURCES = ("community", "support_ticket", "social_mention", "user_group", "advisory_board")
SOURCE_P = np.array([0.4, 0.25, 0.15, 0.1, 0.1])
SURVEYS_PER_SCALE, CONVERSATIONS_PER_SCALE = 5_000, 2_000


def _sentence(rng: np.random.Generator, theme: int, lang: str, negative: bool) -> str:
    options = _S[(THEMES[theme], lang, not negative)]
    return options[int(rng.integers(len(options)))]


def _language(country: I64, rng: np.random.Generator) -> np.ndarray:
    french = np.isin(country, [COUNTRIES.index(c) for c in ("FR", "BE", "CH")])
    return np.where(french & (rng.random(len(country)) < 0.93), "fr", "en")


def build_surveys(
    cal: Calendar,
    rng: np.random.Generator,
    scale: float,
    person_account: I64,
    person_country: I64,
    person_created: I64,
) -> tuple[pa.Table, dict[str, Any]]:
    n = max(20, round(SURVEYS_PER_SCALE * scale))
    who = rng.choice(np.flatnonzero(person_account >= 0), n)
    kind = rng.choice(3, n, p=[0.45, 0.35, 0.2])  # nps, csat, ces
    theme = rng.choice(len(THEMES), n, p=THEME_P)
    negative = rng.random(n) < NEGATIVE_P
    effect = np.array([THEME_EFFECT[t] for t in THEMES])[theme, np.where(negative, 0, 1)]
    latent = effect + rng.normal(0, 1.3, n)
    score = np.select(
        [kind == 0, kind == 1],
        [
            np.clip(np.round(NPS_BASE + latent), 0, 10),
            np.clip(np.round(CSAT_BASE + latent / 2.2), 1, 5),
        ],
        np.clip(np.round(CES_BASE + latent / 1.6), 1, 7),
    )
    stages = ("relationship", "renewal", "support", "onboarding", "purchase", "integration")
    stage = np.select(
        [kind == 0, kind == 1],
        [rng.choice([0, 1], n, p=[0.8, 0.2]), rng.choice([2, 3, 4], n)],
        rng.choice([3, 5, 4], n),
    )
    start = np.maximum(person_created[who], cal.start_us) + US_PER_DAY
    at = start + (rng.random(n) * np.maximum(cal.end_us - start - US_PER_HOUR, 1)).astype(np.int64)
    lang = _language(person_country[who], rng)
    has_comment = rng.random(n) < 0.6
    comments = [
        _sentence(rng, int(theme[i]), str(lang[i]), bool(negative[i])) if has_comment[i] else None
        for i in range(n)
    ]
    order = np.argsort(at, kind="stable")
    table = build_table(
        "surveys",
        {
            "answered_at": at[order],
            "survey_type": labels(kind[order], ["nps", "csat", "ces"]),
            "score": score[order].astype(np.float64),
            "response_id": ids("R", np.arange(n, dtype=np.int64), 6),
            "person_id": ids("P", who[order], 7),
            "account_id": ids("A", person_account[who][order], 5),
            "comment": [comments[i] for i in order],
            "journey_stage": labels(stage[order], stages),
        },
        extras={"theme": labels(theme[order], THEMES)},
    )
    truth = {
        "nps_theme_effect_points": {
            t: {"negative": e[0], "positive": e[1]} for t, e in THEME_EFFECT.items()
        },
        "theme_share": dict(zip(THEMES, THEME_P.tolist(), strict=True)),
        "negative_share": NEGATIVE_P,
        "noise_sd_points": 1.3,
        "nps_score": f"clip(round({NPS_BASE} + effect + noise), 0, 10)",
        "csat_score": f"clip(round({CSAT_BASE} + (effect + noise) / 2.2), 1, 5)",
        "ces_score": f"clip(round({CES_BASE} + (effect + noise) / 1.6), 1, 7), 7 = easiest",
    }
    return table, truth


def build_conversations(
    cal: Calendar, rng: np.random.Generator, scale: float, person_account: I64, person_country: I64
) -> tuple[pa.Table, dict[str, Any]]:
    n = max(20, round(CONVERSATIONS_PER_SCALE * scale))
    source = rng.choice(len(SOURCES), n, p=SOURCE_P)
    who = rng.choice(np.flatnonzero(person_account >= 0), n)
    theme = rng.choice(len(THEMES), n, p=THEME_P)
    negative = rng.random(n) < np.where(source == 1, 0.7, NEGATIVE_P)  # tickets are complaints
    lang = _language(person_country[who], rng)
    at = np.sort(rng.integers(cal.start_us, cal.end_us, n))
    # Community replies join an earlier thread (about the same theme as its first post).
    reply = (source == 0) & (rng.random(n) < 0.45)
    thread = np.arange(n)
    roots = np.flatnonzero((source == 0) & ~reply)
    for i in np.flatnonzero(reply).tolist():
        earlier = int(np.searchsorted(roots, i))  # first posts before this reply
        if earlier:
            root = int(roots[earlier - 1 - int(rng.integers(min(5, earlier)))])
            thread[i], theme[i] = root, theme[root]
    texts: list[str] = []
    for i in range(n):
        src, lg = SOURCES[int(source[i])], str(lang[i])
        parts = [_sentence(rng, int(theme[i]), lg, bool(negative[i]))]
        if src in ("user_group", "advisory_board"):  # meeting notes cover several themes
            for other in rng.choice(len(THEMES), 2, replace=False).tolist():
                parts.append(_sentence(rng, int(other), lg, bool(rng.random() < NEGATIVE_P)))
        openings, closings = _OPEN[src][lg], _CLOSE[lg]
        opening = "" if reply[i] else openings[int(rng.integers(len(openings)))]
        closing = (
            closings[int(rng.integers(len(closings)))]
            if src in ("community", "support_ticket")
            else ""
        )
        texts.append(" ".join(p for p in (opening, *parts, closing) if p))
    social = source == 2
    author = np.where(social & (rng.random(n) < 0.5), -1, who)
    url = [
        f"https://communaute.clairval.fr/t/{thread[i]}"
        if source[i] == 0
        else f"https://www.linkedin.com/feed/update/urn:li:activity:{7000000 + i}"
        if social[i]
        else None
        for i in range(n)
    ]
    table = build_table(
        "conversations",
        {
            "posted_at": at,
            "source": labels(source, SOURCES),
            "text": texts,
            "conversation_id": ids("C", np.arange(n, dtype=np.int64), 6),
            "author_id": ids("P", author, 7),
            "account_id": ids("A", np.where(author >= 0, person_account[who], -1), 5),
            "language": pa.array(lang.tolist()),
            "url": url,
            "thread_id": ids("C", np.where(source == 0, thread, -1), 6),
        },
        extras={
            "theme": labels(theme, THEMES),
            "sentiment": labels(np.where(negative, 0, 1), ["negative", "positive"]),
        },
    )
    truth = {
        "sources": dict(zip(SOURCES, SOURCE_P.tolist(), strict=True)),
        "support_ticket_negative_share": 0.7,
        "other_negative_share": NEGATIVE_P,
        "french_share_in_fr_be_ch": 0.93,
    }
    return table, truth
