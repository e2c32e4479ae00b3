"""The web archive in a real browser: Debian's headless Chromium driven by Playwright (no browser download).

Runs on SQLite and PostgreSQL like every warehouse test. Outside CI, a machine without /usr/bin/chromium skips
with the reason; in CI (`CI` set) that is a failure, since `.ci/run` installs chromium.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn

from tests.casebook_warehouse import load_seed_warehouse
from webapp.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
# As the machine notes advise: no sandbox as root, and no background traffic to hosts this network cannot reach.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests; .ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def site(db_url: str) -> Iterator[str]:
    """The web archive over the seed warehouse (plus the hostile article), served on a loopback port."""
    load_seed_warehouse(db_url)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web archive did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser, site: str) -> Iterator[object]:  # noqa: ANN001 - playwright Browser
    context = browser.new_context(base_url=site)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    yield tab
    context.close()


def _search_in_both_scripts_then_open_a_station(page) -> None:  # noqa: ANN001
    results = {}
    for query in ("调解", "調解"):
        page.goto("/")
        page.fill("input[name=q]", query)
        page.click("form.search button[type=submit]")
        page.wait_for_selector("#result-count")
        results[query] = page.locator("li.hit a.title").evaluate_all("links => links.map(a => a.href)")
        assert page.locator("li.hit mark").first.inner_text() == "调解"
    assert len(results["调解"]) >= 4 and results["调解"] == results["調解"]
    page.goto("/stations")
    page.click("#stations a:text-is('东兴边境派出所')")
    page.wait_for_selector("#station-name")
    assert page.locator("#station-name").inner_text() == "东兴边境派出所"
    assert "广西壮族自治区防城港市东兴市" in page.locator("p.where").inner_text()
    assert page.locator("section.practice h3", has_text="百人调解团").count() == 1


def _a_figure_leads_to_its_highlighted_sentence_and_the_chart_renders(page) -> None:  # noqa: ANN001
    page.goto("/stations")
    page.click("#stations a:text-is('东兴边境派出所')")
    page.locator("#figures tr", has_text="700余起").locator("a.figure").click()
    page.wait_for_url("**/articles/**")
    highlighted = page.locator("mark.hl")
    assert highlighted.count() == 1 and "700余起" in highlighted.inner_text()
    assert page.evaluate("location.hash") == "#" + highlighted.get_attribute("id")
    assert highlighted.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"

    page.goto("/compare?metric=mediation_success_rate")
    page.wait_for_selector("#chart[data-rendered]")
    assert page.locator("#chart").get_attribute("data-rendered") not in ("error", "0")
    bars = page.locator("#chart rect.bar[data-station]")
    rows = page.locator("#comparison tbody tr")
    assert bars.count() == rows.count() >= 2
    assert bars.first.bounding_box()["width"] > 1
    stations = set(bars.evaluate_all("bars => bars.map(b => b.dataset.station)"))
    assert {"东兴边境派出所", "玉洞派出所"} <= stations
    page.locator("#chart a.bar-link").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("mark.hl").count() == 1
    assert page.errors == []


def _stored_script_stays_inert(page) -> None:  # noqa: ANN001
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/?q=" + quote("人民調解員"))
    link = page.locator("li.hit a.title").first
    assert "<script>window.__pwned = 1" in page.locator("li.hit").first.inner_text()
    link.click()
    page.wait_for_url("**/articles/**")
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__pwned = 1" in text and '<img src=x onerror="window.__pwned = 2">' in text
    assert page.locator("#article-text script, #article-text img").count() == 0
    page.goto("/stations?station=" + quote("清水河边境派出所"))
    page.click("#stations a:text-is('清水河边境派出所')")
    page.wait_for_selector("#station-name")
    assert "<script>window.__pwned" in page.locator("main").inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned" and dialogs == []


def test_a_reader_searches_browses_follows_a_figure_and_meets_no_script(page) -> None:  # noqa: ANN001
    """One server and warehouse per database for the whole journey (each costs seconds to set up)."""
    _search_in_both_scripts_then_open_a_station(page)
    _a_figure_leads_to_its_highlighted_sentence_and_the_chart_renders(page)
    _stored_script_stays_inert(page)
