"""Committee packs as people read them: sentences, French numbers, definitions, a real PDF."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from html import unescape

import pytest
from PIL import Image

from pilotage.data.workspace import open_workspace
from pilotage.interfaces.cli.main import main
from pilotage.interfaces.reports.pack_view import build_pack_view
from pilotage.interfaces.reports.render import render_pack_html
from pilotage.services.report_periods import parse_period
from pilotage.services.reports import build_report
from pilotage.services.workspaces import analytics, metadata

NBSP, NNBSP = "\u00a0", "\u202f"
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(scope="module")
def april(pack_workspace):
    ws = open_workspace(pack_workspace)
    with analytics(ws) as store, metadata(ws) as meta:
        return {
            lang: build_report(store, ws.settings, parse_period("monthly", "2026-04"), lang, meta)
            for lang in ("fr", "en")
        }


def html_of(data, lang):
    """The document's text with entities decoded (Jinja escapes apostrophes)."""
    return unescape(render_pack_html(build_pack_view(data, lang, TODAY)))


def test_french_pack_says_what_moved_in_french_numbers(april):
    html = html_of(april["fr"], "fr")
    assert "Dossier du comité mensuel" in html and "acme · avril 2026" in html
    assert f"Coût total 170{NBSP}€, chiffre d'affaires attribué 300{NBSP}€, ROI 76{NBSP}%." in html
    assert f"le coût évolue de -15{NBSP}% et le chiffre d'affaires attribué de -52{NBSP}%" in html
    assert f"par rapport à 2025-04), le chiffre d'affaires attribué évolue de +50{NBSP}%" in html
    assert f"Meilleur retour : paid_search, avec un ROI de 650{NBSP}%." in html
    assert "Moins bon retour : display" in html
    assert f"21{NBSP}% du chiffre d'affaires n'a aucun point de contact" in html
    assert "Canaux qui dépensent sans chiffre d'affaires attribué : display, email." in html


def test_french_pack_lists_decisions_definitions_and_coverage(april):
    html = html_of(april["fr"], "fr")
    assert f"Vérifier le suivi de display ou suspendre ses dépenses : 80{NBSP}€" in html
    assert "Étudier un renforcement de paid_search" in html
    assert "Initiative « Webinar series » (lancée, cmo@acme.example)" in html
    assert "Décision du comité monthly du 20/04/2026 : « Cut display by half »." in html
    for formula in ("sum(spend.cost)", "(attributed_revenue - cost) / cost", "revenue / cost"):
        assert formula in html
    assert "Définitions" in html and "ROI marketing" in html
    assert "Couverture des données" in html and "2025-04-10" in html and "2026-04-07" in html
    assert html.count("<svg") == 1 and "<script" not in html


def test_english_pack(april):
    html = html_of(april["en"], "en")
    assert "Monthly committee pack" in html and "acme · April 2026" in html
    assert "Total cost €170, attributed revenue €300, ROI 76%." in html
    assert "Best return: paid_search, with an ROI of 650%." in html
    assert "Check the tracking of email or pause its spend: €50 spent" in html
    assert "Decisions to take" in html and "Definitions" in html and "Data coverage" in html


def test_comparison_table_has_deltas_in_money_points_and_percent(april):
    view = build_pack_view(april["fr"], "fr", TODAY)
    assert view.compare_headers[1:3] == ("2026-04", "2026-03")
    total = view.groups[0]
    assert total.title == "Total"
    cost = total.rows[0]
    assert cost == (
        "Coût",
        f"170{NBSP}€",
        f"200{NBSP}€",
        f"-30{NBSP}€",
        f"-15{NBSP}%",
        f"100{NBSP}€",
        f"+70{NBSP}€",
        f"+70{NBSP}%",
    )
    assert total.rows[2][3].endswith(f"{NBSP}pts")
    assert [g.title for g in view.groups][-1] == "non attribué"


def test_trend_covers_six_months(april):
    assert [p.period for p in april["fr"].trend] == [
        "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04"
    ]  # fmt: skip
    assert april["fr"].trend[-1].cost == 170.0


def test_pdf_is_a4_and_not_blank(pack_workspace, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: run 'make system-deps' (installs poppler-utils)")
    pdf = tmp_path / "pack.pdf"
    args = ["report", "--kind", "monthly", "--period", "2026-04", "--format", "pdf"]
    assert main([*args, "--out", str(pdf), "-w", str(pack_workspace)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p-*.png"))
    with Image.open(png) as image:
        width, height = image.size
        grey = image.convert("L")
        dark = sum(grey.histogram()[:200])
    assert abs(height / width - 297 / 210) < 0.02
    assert dark / (width * height) > 0.01  # text, tables and the chart are drawn
