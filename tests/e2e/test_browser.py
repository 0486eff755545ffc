"""The dashboard in a real browser (Debian's Chromium through Playwright), against the real
server process: sign in through the form, walk every page the navigation links to in
French and English (no console error, no CSP violation, every chart drawn), change a filter,
sign out; a viewer gets no upload form. A full-page screenshot of each page is saved.

Pages are discovered from the navigation, so a page added to the menu is covered here
without touching this file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LANGS = ("fr", "en")
TIMEOUT_MS = 15_000
CHART_TIMEOUT_MS = 15_000
#: The links of the shell that lead to pages: the main navigation and the account link.
SHELL_LINKS = "header nav a[href], header .who a[href]"
#: Reports a CSP violation on the console, where the console listener sees it (the init
#: script runs outside the page's CSP).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || "?"}:${e.lineNumber}`);
});
"""
_CHARTS_SETTLED = """() => [...document.querySelectorAll("[data-chart-spec]")].every(
  (el) => ["rendered", "error", "unavailable"].includes(el.getAttribute("data-chart-state")))"""
_CHART_STATES = """(els) => els.map((el) => ({
  id: el.id, state: el.getAttribute("data-chart-state"), text: el.textContent.slice(0, 300)}))"""


class Problems:
    """Console errors, uncaught exceptions and CSP violations of a page, as they happen."""

    def __init__(self, page: Any) -> None:
        self.items: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.items.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)
        self._page = page

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.items.append(f"console: {message.text} ({message.location.get('url', '')})")

    def _failed(self, request: Any) -> None:
        self.items.append(f"request failed: {request.method} {request.url} {request.failure}")

    def take(self) -> list[str]:
        taken, self.items = self.items, []
        return taken


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[[], tuple[Any, Problems]]]:
    contexts: list[Any] = []

    def make() -> tuple[Any, Problems]:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        page = context.new_page()
        return page, Problems(page)

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, role: str, lang: str = "fr") -> None:
    from pilotage.services.demo import demo_logins

    login = next(d for d in demo_logins() if d.role == role)
    page.goto(f"/login?lang={lang}")
    page.fill("input[name=email]", login.email)
    page.fill("input[name=password]", login.password)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    assert urlsplit(page.url).path == "/", f"{role} was not signed in: at {page.url}"


def shell_paths(page: Any, origin: str) -> list[str]:
    """The paths of this site that the page's shell links to, in order."""
    hrefs: list[str] = page.eval_on_selector_all(SHELL_LINKS, "els => els.map(e => e.href)")
    paths: list[str] = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin and parts.path not in paths:
            paths.append(parts.path)
    return paths


def discover(page: Any, origin: str) -> list[str]:
    """Every page reachable through the shell's links, breadth first from the overview."""
    found, queue = ["/"], ["/"]
    while queue:
        path = queue.pop(0)
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        for linked in shell_paths(page, origin):
            if linked not in found:
                found.append(linked)
                queue.append(linked)
    return found


def wait_for_charts(page: Any, label: str) -> int:
    """Wait until every chart on the page is drawn; fail naming the ones that aren't."""
    try:
        page.wait_for_function(_CHARTS_SETTLED, timeout=CHART_TIMEOUT_MS)
    except Exception as exc:  # playwright's TimeoutError: report the states instead
        states = page.eval_on_selector_all("[data-chart-spec]", _CHART_STATES)
        pytest.fail(f"{label}: charts not drawn in {CHART_TIMEOUT_MS} ms: {states} ({exc})")
    states = page.eval_on_selector_all("[data-chart-spec]", _CHART_STATES)
    failed = [s for s in states if s["state"] != "rendered"]
    assert not failed, f"{label}: charts not rendered: {failed}"
    return len(states)


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "overview"


def test_cmo_walks_every_page_in_french_and_english(
    new_page: Callable[[], tuple[Any, Problems]],
    live_server: Any,
    screenshots: Path,
    record_property: Callable[[str, object], None],
) -> None:
    record_property("screenshots", str(screenshots))
    print(f"screenshots: {screenshots}")
    page, problems = new_page()
    sign_in(page, "cmo")
    paths = discover(page, live_server.url)
    assert {"/", "/data"} <= set(paths), f"the navigation lost core pages: {paths}"
    problems.take()  # discovery visited the pages once; the walk below checks each one
    report: list[str] = []
    for lang in LANGS:
        for path in paths:
            label = f"{path}?lang={lang}"
            response = page.goto(label)
            assert response is not None, label
            assert response.status == 200, f"{label}: HTTP {response.status}"
            assert urlsplit(page.url).path == path, f"{label} went to {page.url}"
            assert page.get_attribute("html", "lang") == lang, f"{label}: wrong language"
            charts = wait_for_charts(page, label)
            page.screenshot(path=str(screenshots / f"{slug(path)}-{lang}.png"), full_page=True)
            found = problems.take()
            assert not found, f"{label}: " + "\n".join(found)
            report.append(f"{label}: {charts} chart(s)")
    print("\n".join(report))
    # The language switch leads to the same page in the other language.
    page.goto("/?lang=fr")
    with page.expect_navigation():
        page.click("header .lang a")
    assert parse_qs(urlsplit(page.url).query).get("lang") == ["en"]
    assert page.get_attribute("html", "lang") == "en"
    # Sign out: back to the form, and the pages are closed again.
    with page.expect_navigation():
        page.click("form[action='/logout'] button")
    assert urlsplit(page.url).path == "/login", page.url
    page.goto("/data")
    assert urlsplit(page.url).path == "/login", f"signed out, yet /data opened: {page.url}"
    assert not problems.take()


def spend_dates(page: Any) -> tuple[dt.date, dt.date]:
    """First and last day of spend in the workspace, read through the API as the user."""
    response = page.request.get("/api/v1/tables")
    assert response.ok, response.text()
    tables = {t["table"]: t for t in json.loads(response.text())["tables"]}
    spend = tables["spend"]
    return dt.date.fromisoformat(spend["min_date"][:10]), dt.date.fromisoformat(
        spend["max_date"][:10]
    )


def figures(page: Any) -> str:
    """What the page shows, without its filter form: tiles, tables, notes."""
    text: str = page.eval_on_selector(
        "main",
        """(main) => { const copy = main.cloneNode(true);
          copy.querySelectorAll("form").forEach((f) => f.remove());
          return copy.innerText; }""",
    )
    return text


def test_period_filter_lives_in_the_url_and_changes_the_figures(
    new_page: Callable[[], tuple[Any, Problems]], screenshots: Path
) -> None:
    page, problems = new_page()
    sign_in(page, "cmo", lang="en")
    form = page.locator("main form[method=get]:has(input[name=start])").first
    assert form.count() == 1, "the overview has no period filter"
    wait_for_charts(page, "overview")
    before = figures(page)
    first, last = spend_dates(page)
    start = first + (last - first) / 2
    form.locator("input[name=start]").fill(start.isoformat())
    form.locator("input[name=end]").fill(last.isoformat())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("start") == [start.isoformat()], page.url
    assert query.get("end") == [last.isoformat()], page.url
    assert page.input_value("main form[method=get] input[name=start]") == start.isoformat()
    wait_for_charts(page, "overview, filtered")
    after = figures(page)
    assert after != before, "the figures did not change with the period"
    # The filter follows the user through the navigation.
    links = page.eval_on_selector_all("header nav a[href]", "els => els.map(e => e.href)")
    assert links and all(f"start={start.isoformat()}" in link for link in links), links
    page.screenshot(path=str(screenshots / "overview-filtered-en.png"), full_page=True)
    assert not problems.take()


def test_viewer_sees_no_upload_form(new_page: Callable[[], tuple[Any, Problems]]) -> None:
    upload = "main form[action^='/data/upload'], main input[type=file]"
    page, problems = new_page()
    sign_in(page, "cmo")
    page.goto("/data")
    assert page.locator(upload).count() > 0, "the CMO (write) should see the upload form"
    page, problems = new_page()
    sign_in(page, "viewer")
    response = page.goto("/data")
    assert response is not None and response.status == 200
    assert page.locator(upload).count() == 0, "a viewer must not be offered the upload form"
    assert not problems.take()
