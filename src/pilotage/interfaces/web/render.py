"""Render a page: the shell (navigation, language switch, who is signed in) around a template."""

from __future__ import annotations

from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pilotage.interfaces.formatting import Lang
from pilotage.interfaces.web import wording
from pilotage.interfaces.web.assets import charts_available

NAV = (
    ("overview", "/"),
    ("channels", "/channels"),
    ("attribution", "/attribution"),
    ("journey", "/journey"),
    ("journey_map", "/journey-map"),
    ("engagement", "/engagement"),
    ("voice", "/voice"),
    ("accounts", "/accounts"),
    ("clv", "/clv"),
    ("budget", "/budget"),
    ("experiments", "/experiments"),
    ("initiatives", "/initiatives"),
    ("objectives", "/objectives"),
    ("alerts", "/alerts"),
    ("committee", "/committee"),
    ("data", "/data"),
    ("definitions", "/definitions"),
)
#: Query parameters that are filters: they follow the user from page to page in the URL.
FILTERS = ("start", "end", "channel", "segment", "grain")

_env = Environment(
    loader=FileSystemLoader(str(files("pilotage.interfaces.web") / "templates")),
    autoescape=select_autoescape(default=True),
)


def render(
    request: Request,
    template: str,
    page: str,
    lang: Lang,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    other = "en" if lang == "fr" else "fr"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in FILTERS and v]
    html = _env.get_template(template).render(
        lang=lang,
        page=page,
        nav=[(key, f"{href}?{urlencode([*kept, ('lang', lang)])}") for key, href in NAV],
        t=lambda key: wording.text(key, lang),
        title=wording.text(page, lang),
        switch_lang_url=f"{request.url.path}?{urlencode([*params, ('lang', other)])}",
        query_without_lang=urlencode(params),
        charts_available=charts_available(),
        principal=getattr(request.state, "principal", None),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)
