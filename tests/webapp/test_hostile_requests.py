"""Issue 20 item 10: hostile ids, bytes and bounds get 4xx answers that say why, never a 500, on SQLite and
PostgreSQL; error pages carry the security headers; HEAD is answered wherever GET is."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pipelines.cli import app as cli_app
from tests.casebook_warehouse import load_seed_warehouse
from webapp.app import create_app

HUGE = "99999999999999999999999"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture
def seeded(db_url: str) -> str:
    load_seed_warehouse(db_url)
    return db_url


@pytest.fixture
def client(seeded: str) -> TestClient:
    return TestClient(create_app(seeded), raise_server_exceptions=False)


def _secured(response) -> bool:  # noqa: ANN001 - httpx.Response
    return all(name in response.headers for name in SECURITY_HEADERS)


def test_out_of_range_ids_are_not_found(client: TestClient) -> None:
    for url in (f"/api/stations/{HUGE}", f"/stations/{HUGE}", f"/api/practices/{HUGE}", f"/practices/{HUGE}",
                f"/api/stations/{2**63}", "/api/stations/0"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, (url, response.text[:200])
        assert _secured(response), url
    assert "no station with id" in client.get(f"/api/stations/{HUGE}").json()["detail"]


def test_nul_control_characters_and_bad_utf8_are_refused_with_400(client: TestClient) -> None:
    for url, params in (
        ("/api/search", {"q": "调\x00解"}),
        ("/", {"q": "调\x00解"}),
        ("/api/stations", {"province": "广\x00西"}),
        ("/api/stations", {"station": "东兴\x07"}),
        ("/api/compare", {"metric": "mediation_success_rate", "city": "\x00"}),
        ("/api/articles/ab%00cd", None),
        ("/articles/ab%00cd", None),
        ("/api/articles/ab%FFcd", None),
        ("/api/search?q=%C3%28", None),
    ):
        response = client.get(url, params=params)
        assert response.status_code == 400, (url, params, response.status_code, response.text[:200])
        assert _secured(response), url
    assert "NUL" in client.get("/api/search", params={"q": "\x00"}).json()["detail"]


def test_error_pages_carry_the_security_headers(client: TestClient) -> None:
    client.app.add_api_route("/api/boom", lambda: 1 / 0)  # an unforeseen failure inside a handler
    client.app.add_api_route("/boom", lambda: 1 / 0)
    for method, url, status in (
        ("GET", "/nowhere", 404),
        ("GET", "/api/stations/abc", 422),
        ("DELETE", "/api/stations", 405),
        ("GET", "/api/boom", 500),
        ("GET", "/boom", 500),
    ):
        response = client.request(method, url)
        assert response.status_code == status, (method, url, response.status_code)
        assert _secured(response), (method, url, dict(response.headers))
    assert "ZeroDivisionError" not in client.get("/boom").text


def test_head_is_answered_wherever_get_is(client: TestClient) -> None:
    station_id = client.get("/api/stations").json()["stations"][0]["station_id"]
    for url in ("/", "/api/search?q=调解", "/api/stations", f"/api/stations/{station_id}", f"/stations/{station_id}",
                "/api/map", "/compare", "/openapi.json", "/static/style.css"):  # fmt: skip
        get, head = client.get(url), client.head(url)
        assert get.status_code == 200 and head.status_code == 200, (url, head.status_code)
        assert head.content == b"" and head.headers["content-length"] == get.headers["content-length"], url
        assert _secured(head), url
    assert client.head(f"/api/stations/{HUGE}").status_code == 404


def test_non_finite_bounds_are_a_422_in_the_api(client: TestClient) -> None:
    for bound in ("nan", "inf", "-inf", "1e309", "NaN", "Infinity"):
        for name in ("min", "max"):
            params = {"metric": "mediation_success_rate", name: bound}
            response = client.get("/api/compare", params=params)
            assert response.status_code == 422, (params, response.status_code, response.text[:200])
            assert "finite" in response.text, params
            assert client.get("/api/stations", params=params).status_code == 422


@pytest.mark.parametrize("bound", ["nan", "inf", "1e309", "-inf"])
def test_non_finite_bounds_are_refused_on_the_command_line(seeded: str, bound: str) -> None:
    result = CliRunner().invoke(cli_app, ["compare", "mediation_success_rate", "--min", bound, "--db", seeded])
    assert result.exit_code == 1, result.output
    assert "finite number" in result.output and "Traceback" not in result.output


def test_an_unknown_province_or_city_is_reported_like_an_unknown_station(client: TestClient, seeded: str) -> None:
    for name, value in (("station", "火星派出所"), ("province", "火星省"), ("city", "火星市"), ("county", "火星县")):
        response = client.get("/api/stations", params={name: value})
        assert response.status_code == 400, (name, response.text[:200])
        assert response.json()["detail"] == f"no {name} named {value!r} in the warehouse"
        assert client.get("/api/search", params={"q": "调解", name: value}).status_code == 400
    assert client.get("/api/stations", params={"province": "廣西"}).json()["stations"]  # known, in either script
    result = CliRunner().invoke(cli_app, ["stations", "--province", "火星省", "--db", seeded])
    assert result.exit_code == 1 and "no province named '火星省'" in result.output, result.output
