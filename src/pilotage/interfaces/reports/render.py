"""Committee packs as documents: view model -> HTML string -> PDF bytes (WeasyPrint)."""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from typing import Literal, get_args

from jinja2 import Environment, select_autoescape

from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.reports.pack_view import PackView, build_pack_view
from pilotage.services.reports import ReportData

ReportFormat = Literal["html", "pdf"]
REPORT_FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)
MEDIA_TYPES: dict[ReportFormat, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def render_pack_html(view: PackView) -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    template_text = (
        files("pilotage.interfaces.reports") / "templates" / "pack_report.html"
    ).read_text(encoding="utf-8")
    return env.from_string(template_text).render(v=view)


def html_to_pdf(html: str) -> bytes:
    """An A4 PDF of a self-contained HTML document (charts are inline SVG)."""
    # Imported here: WeasyPrint loads Pango when imported, which HTML-only callers never need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # The document references nothing outside itself; refusing every protocol but data:
    # keeps a crafted name from making the renderer read files or call the network.
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf


def render_pack(data: ReportData, lang: Lang, fmt: ReportFormat, generated_on: date) -> bytes:
    """The pack as the bytes of an HTML (UTF-8) or PDF document."""
    html = render_pack_html(build_pack_view(data, lang, generated_on))
    return html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")
