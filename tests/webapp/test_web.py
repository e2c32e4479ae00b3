"""The read-only web archive through FastAPI's test client, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from lxml import html
from typer.testing import CliRunner

from pipelines.cli import app as cli_app
from tests.casebook_warehouse import load_seed_warehouse
from warehouse.db import get_engine
from warehouse.query import get_article
from warehouse.wording import count
from webapp.app import MAX_QUERY_CHARS, create_app


@pytest.fixture
def client(db_url: str) -> TestClient:
    load_seed_warehouse(db_url)
    return TestClient(create_app(db_url))


def _station_id(client: TestClient, name: str) -> int:
    rows = client.get("/api/stations", params={"station": name}).json()["stations"]
    return next(r["station_id"] for r in rows if r["name"] == name)


def test_search_finds_the_same_articles_in_either_script(client: TestClient) -> None:
    simplified = client.get("/api/search", params={"q": "调解", "page_size": 100}).json()
    traditional = client.get("/api/search", params={"q": "調解", "page_size": 100}).json()
    ids = [h["article_id"] for h in simplified["hits"]]
    assert len(ids) >= 4 and ids == [h["article_id"] for h in traditional["hits"]]
    page = html.fromstring(client.get("/", params={"q": "調解"}).text)
    assert [m.text for m in page.xpath("//li[@class='hit']//mark")][:1] == ["调解"]
    links = page.xpath("//li[@class='hit']/a[@class='title']/@href")
    assert all(re.fullmatch(r"/articles/[0-9a-f]{32}\?s=\d+#s\d+", link) for link in links)
    _search_filters_and_pagination(client)


def _search_filters_and_pagination(client: TestClient) -> None:
    one = client.get("/api/search", params={"q": "调解", "page_size": 1}).json()
    assert one["paging"]["pages"] == one["paging"]["total"] >= 4 and len(one["hits"]) == 1
    second = client.get("/api/search", params={"q": "调解", "page_size": 1, "page": 2}).json()
    assert second["hits"][0]["article_id"] != one["hits"][0]["article_id"]
    page = html.fromstring(client.get("/", params={"q": "调解", "page_size": 1}).text)
    assert page.xpath("//a[@rel='next']/@href")[0].endswith("page=2&page_size=1")
    guangxi = client.get("/api/search", params={"q": "调解", "province": "廣西"}).json()
    guangxi_stations = {"东兴边境派出所", "玉洞派出所"}
    assert guangxi["hits"] and all(guangxi_stations & set(h["stations"]) for h in guangxi["hits"])
    assert len(guangxi["hits"]) < one["paging"]["total"]
    form = client.get("/", params={"q": "调解", "station": "", "min": "", "year_from": "", "script": ""})
    assert form.status_code == 200 and "调解" in form.text  # the form's empty fields mean "no filter"
    bad = client.get("/api/search", params={"q": "调解", "metric": "no_such_metric"})
    assert bad.status_code == 400 and "unknown metric" in bad.json()["detail"]


def test_station_profile_links_every_figure_to_its_highlighted_sentence(client: TestClient) -> None:
    station_id = _station_id(client, "东兴边境派出所")
    data = client.get(f"/api/stations/{station_id}").json()
    assert data["where"] == "广西壮族自治区防城港市东兴市" and data["honours"]
    figure = next(f for f in data["statistics"] if f["text"] == "700余起")
    assert figure["shown"] == "700+" or "700" in figure["shown"]
    page = html.fromstring(client.get(f"/stations/{station_id}").text)
    assert page.xpath("//h1")[0].text == "东兴边境派出所"
    hrefs = page.xpath("//a[@class='figure']/@href")
    assert figure["link"] in hrefs and len(hrefs) >= len(data["statistics"])
    article = html.fromstring(client.get(figure["link"].split("#")[0]).text)
    marked = article.xpath("//mark[@class='hl']")
    assert len(marked) == 1 and "700余起" in marked[0].text_content()
    assert marked[0].get("id") == "s" + figure["link"].split("#s")[1]
    _practice_and_compare_pages(client)
    _province_map_counts_stations(client)


def _practice_and_compare_pages(client: TestClient) -> None:
    listing = client.get("/api/practices", params={"category": "mediation", "page_size": 100}).json()
    team = next(p for p in listing["practices"] if p["name"] == "百人调解团")
    practice = client.get(f"/api/practices/{team['id']}").json()
    card = practice["stations"][0]["card"]
    assert practice["stations"][0]["station"] == "东兴边境派出所" and "律师" in [t["term"] for t in card["actors"]]
    assert all(f["source"]["link"].startswith("/articles/") for f in card["outcomes"])
    assert "百人调解团" in client.get(f"/practices/{team['id']}").text
    comparison = client.get("/api/compare", params={"metric": "mediation_success_rate"}).json()
    stations = {r["station"] for r in comparison["rows"]}
    assert {"东兴边境派出所", "玉洞派出所", "祥哥警务室"} <= stations or {"东兴边境派出所", "玉洞派出所"} <= stations
    assert all(re.fullmatch(r"/articles/[0-9a-f]{32}\?s=\d+#s\d+", r["link"]) for r in comparison["rows"])
    page = html.fromstring(client.get("/compare", params={"metric": "mediation_success_rate"}).text)
    assert page.xpath("//svg[@id='chart']") and page.xpath("//script[@src='/static/chart.js']")
    assert len(page.xpath("//table[@id='comparison']/tbody/tr")) == len(comparison["rows"])


def _province_map_counts_stations(client: TestClient) -> None:
    cells = {c["province"]: c for c in client.get("/api/map").json()["cells"]}
    guangxi = client.get("/api/stations", params={"province": "广西", "page_size": 100}).json()
    assert cells["广西"]["count"] == guangxi["paging"]["total"] >= 2
    assert cells["西藏"]["count"] == 0
    page = html.fromstring(client.get("/stations").text)
    assert page.xpath("//div[@id='province-map']//a[contains(@href, 'province=')]")


def _stored_markup_is_shown_as_text(client: TestClient) -> None:
    station_id = _station_id(client, "清水河边境派出所")
    for url in (f"/stations/{station_id}", "/?q=" + quote("人民調解員"), "/?q=script"):
        body = client.get(url).text
        assert "<script>window" not in body and "<img src=x" not in body
        assert "&lt;" in body
        tree = html.fromstring(body)
        assert "<script>window.__pwned = 1" in tree.text_content()
        assert not [s for s in tree.xpath("//script") if not s.get("src")]
        assert not tree.xpath("//img")
    hits = client.get("/api/search", params={"q": "onerror"}).json()["hits"]
    article = client.get(f"/articles/{hits[0]['article_id']}").text
    assert "&lt;img src=x onerror=" in article and "<img" not in article


def test_the_archive_is_read_only_bounded_and_escaped(client: TestClient) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for url in ("/", "/api/search", "/api/stations", "/api/stations/1", "/articles/x", "/nowhere"):
            assert client.request(method, url).status_code == 405, (method, url)
    spec = client.get("/openapi.json").json()
    assert {
        "/api/search",
        "/api/stations",
        "/api/stations/{station_id}",
        "/api/practices",
        "/api/compare",
        "/api/articles/{article_id}",
        "/api/map",
    } <= set(spec["paths"])
    assert {m for ops in spec["paths"].values() for m in ops} == {"get"}
    index = html.fromstring(client.get("/api").text)
    assert len(index.xpath("//table[@id='endpoints']/tbody/tr")) == len(spec["paths"])
    assert client.get("/docs").status_code == 404  # Swagger UI would load its scripts from a CDN
    assert client.get("/api/search", params={"q": "调" * (MAX_QUERY_CHARS + 1)}).status_code == 422
    assert client.get("/api/search", params={"q": "调解", "page_size": 101}).status_code == 422
    assert client.get("/api/stations", params={"colour": "red"}).status_code == 422
    assert client.get("/api/search", params={"q": "' OR 1=1; --"}).status_code == 200
    missing = client.get("/api/stations/99999")
    assert missing.status_code == 404 and "no station" in missing.json()["detail"]
    assert client.get("/stations/99999").status_code == 404
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]
    _stored_markup_is_shown_as_text(client)


def test_serve_binds_loopback_by_default(monkeypatch: pytest.MonkeyPatch, db_url: str) -> None:
    import uvicorn

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs))
    get_engine(db_url)  # serve refuses a warehouse that does not exist
    result = CliRunner().invoke(cli_app, ["serve", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8000)
    CliRunner().invoke(cli_app, ["serve", "--db", db_url, "--host", "0.0.0.0", "--port", "8123"])
    assert (seen["host"], seen["port"]) == ("0.0.0.0", 8123)
    bad = CliRunner().invoke(cli_app, ["serve", "--db", "mysql://nobody@127.0.0.1/x"])
    assert bad.exit_code == 1 and "unsupported database" in bad.output


def test_article_page_keeps_the_paragraphs_and_headings_of_the_text(client: TestClient, db_url: str) -> None:
    station_id = _station_id(client, "东兴边境派出所")
    article_id = client.get(f"/api/stations/{station_id}").json()["statistics"][0]["article_id"]
    data = client.get(f"/api/articles/{article_id}").json()
    stored = get_article(get_engine(db_url), article_id).simplified_text
    lines = [line for line in stored.splitlines() if line.strip()]
    page = html.fromstring(client.get(f"/articles/{article_id}").text)
    blocks = page.xpath("//article[@id='article-text']/*")
    assert [b.tag for b in blocks].count("p") > 10 and len(blocks) == len(lines)
    assert [b.text_content().strip() for b in blocks] == [line.strip() for line in lines]
    headings = [h.text_content() for h in page.xpath("//article[@id='article-text']/h2")]
    sections = ("以情以理", "巧为矛盾化解人"), ("群治群力", "共当边境守护者"), ("用心用情", "善做群众贴心人")
    assert {"\u2002".join(parts) for parts in sections} <= set(headings)
    assert all(len(h) <= 40 and not h.endswith("。") for h in headings)
    assert len(page.xpath("//article[@id='article-text']//*[starts-with(@id, 's')]")) == len(data["sentences"])
    original = html.fromstring(client.get(f"/articles/{article_id}", params={"original": "true"}).text)
    assert len(original.xpath("//article[@id='article-text']/*")) == len(lines)


def test_station_page_lists_each_source_once_and_cites_it_by_number(client: TestClient) -> None:
    station_id = _station_id(client, "东兴边境派出所")
    data = client.get(f"/api/stations/{station_id}").json()
    [source] = data["sources"]
    assert source["url"].startswith("http") and source["note"] == 1
    text = client.get(f"/stations/{station_id}").text
    assert text.count(source["url"]) == 2  # the link and its text, in the list of sources only
    page = html.fromstring(text)
    assert [li.get("id") for li in page.xpath("//ol[@id='sources']/li")] == ["source-1"]
    cites = page.xpath("//a[@class='cite']")
    assert len(cites) > len(data["statistics"]) and {c.text for c in cites} == {"[1]"}
    assert all(c.get("href").startswith(f"/articles/{source['article_id']}?s=") for c in cites)
    assert page.text_content().count("中国长安网, 2023-12-20") == 1  # once, not beside every row


def test_web_counts_agree_in_number(client: TestClient) -> None:
    one = html.fromstring(client.get("/", params={"q": "北仑河卫士"}).text)
    assert one.xpath("//p[@id='result-count']")[0].text_content().startswith("1 article for")
    many = html.fromstring(client.get("/", params={"q": "调解"}).text)
    assert re.match(r"\d+ articles for", many.xpath("//p[@id='result-count']")[0].text_content())
    station_id = _station_id(client, "东兴边境派出所")
    hidden = client.get(f"/api/stations/{station_id}").json()["hidden_statistics"]
    note = html.fromstring(client.get(f"/stations/{station_id}").text).xpath("//p[@class='hidden-note']")
    wanted = count(hidden, "less confident figure")  # "1 less confident figure", "2 less confident figures"
    assert hidden >= 1 and " ".join(note[0].text_content().split()).startswith(f"{wanted} not shown")
