"""The read-only web archive: HTML pages and the same data as JSON under /api (OpenAPI at /openapi.json).

Every page is rendered from exactly the dict its `/api/…` twin returns. Safety: Jinja2 autoescapes everything
(a `<script>` stored in an article shows as text), a Content-Security-Policy allows only our own static script,
only GET/HEAD are answered (anything else is 405 before any handler runs; HEAD wherever GET is), a path or
query string with a NUL, another control character or invalid UTF-8 is 400, an id past the database's integer
range is 404, query strings, page sizes and bounds are checked by the parameter declarations below (422), and
every response, error pages included, carries the security headers.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import Annotated, Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, Field, field_validator
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from casebook.notes import category_label, citation, figure_line
from warehouse.archive import Archive, confident_only
from warehouse.db import get_engine, resolve_url
from warehouse.filters import Filters
from warehouse.query import NotFound
from warehouse.wording import count
from webapp import queries
from webapp.queries import MAX_PAGE_SIZE, Page

MAX_QUERY_CHARS = 200
MAX_NAME_CHARS = 64
READ_METHODS = {"GET", "HEAD"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

MAX_ID = 2**63 - 1  # BIGINT's upper end; SQLite's INTEGER too. Larger ids name nothing (404, not an overflow)
PageNumber = Annotated[int, Query(ge=1, le=10_000, description="1-based page number")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"items per page, at most {MAX_PAGE_SIZE}")]
Name = Annotated[str | None, Query(max_length=MAX_NAME_CHARS)]
ShowAll = Annotated[bool, Query(description="also figures below the confidence bar (left out and counted by default)")]


class FilterParams(BaseModel):
    """The CLI's filters, as query parameters; an unknown parameter name is refused (422), not ignored."""

    model_config = {"extra": "forbid"}

    station: str | None = Field(None, max_length=MAX_NAME_CHARS)
    province: str | None = Field(None, max_length=MAX_NAME_CHARS)
    city: str | None = Field(None, max_length=MAX_NAME_CHARS)
    county: str | None = Field(None, max_length=MAX_NAME_CHARS)
    category: str | None = Field(None, max_length=MAX_NAME_CHARS)
    metric: str | None = Field(None, max_length=MAX_NAME_CHARS)
    min: float | None = Field(None, allow_inf_nan=False, description="a finite number; nan and inf are refused")
    max: float | None = Field(None, allow_inf_nan=False, description="a finite number; nan and inf are refused")
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    script: str | None = Field(None, max_length=16)
    all: bool = Field(False, description="also figures below the confidence bar (left out and counted by default)")

    @field_validator(*Filters.names(), mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:  # noqa: ANN401 - any query value
        """An HTML form sends every field, empty ones as ""; those mean "no filter"."""
        return None if isinstance(value, str) and not value.strip() else value

    def given(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump(include=set(Filters.names())).items() if v not in (None, "")}


class ListParams(FilterParams):
    page: int = Field(1, ge=1, le=10_000, description="1-based page number")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"items per page, at most {MAX_PAGE_SIZE}")


class SearchParams(ListParams):
    q: str = Field("", max_length=MAX_QUERY_CHARS, description='words or a "quoted phrase", either script')


def secure(response: Response) -> Response:
    """The security headers every response carries, error pages included."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


class ReadOnly(BaseHTTPMiddleware):
    """No write endpoint exists; this makes sure none can appear by accident (and answers 405 uniformly)."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.method not in READ_METHODS:
            refused = PlainTextResponse("the archive is read-only", status_code=405, headers={"Allow": "GET, HEAD"})
            return secure(refused)
        problem = invalid_input(request.scope)
        if problem:
            if request.url.path.startswith("/api/"):
                return secure(JSONResponse({"detail": problem}, status_code=400))
            return secure(PlainTextResponse(problem, status_code=400))
        return secure(await call_next(request))


def invalid_input(scope: dict[str, Any]) -> str | None:
    """Why a request's path or query string is unusable (invalid UTF-8, NUL or another control character), or
    None. Such text is refused with 400 before any handler runs: PostgreSQL would reject a NUL deep in a query."""
    raw_path = scope.get("raw_path") or scope.get("path", "").encode()
    for part, raw in (("path", raw_path), ("query string", scope.get("query_string", b""))):
        try:
            text = unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return f"the {part} is not valid UTF-8"
        if any(unicodedata.category(ch) == "Cc" for ch in text):
            return f"the {part} contains a NUL or another control character"
    return None


class HeadAsGet:
    """HEAD answered wherever GET is: routed as GET, the body dropped, the headers (length included) kept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _templates() -> Environment:
    env = Environment(loader=PackageLoader("webapp", "templates"), autoescape=select_autoescape(default=True))
    env.globals.update(
        category_label=category_label,
        figure_line=figure_line,
        citation=citation,
        sentence_link=queries.sentence_link,
        count=count,
    )
    return env


def create_app(db_url: str | None = None) -> FastAPI:
    url = resolve_url(db_url)
    engine = get_engine(url)
    archive = Archive(engine=engine)
    templates = _templates()
    app = FastAPI(
        title="Fengqiao Archive",
        description="Read-only archive of Fengqiao-style police station reports: search, stations, practices, "
        "comparisons and articles. Every figure carries the sentence and article it came from.",
        version="1.0",
        docs_url=None,  # FastAPI's Swagger/ReDoc pages load their scripts from a CDN; /api lists the endpoints
        redoc_url=None,
    )
    app.add_middleware(HeadAsGet)  # inside ReadOnly, which sees (and allows) the HEAD itself
    app.add_middleware(ReadOnly)
    app.mount("/static", StaticFiles(packages=[("webapp", "static")]), name="static")

    def page(name: str, request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = templates.get_template(name).render(request=request, path=request.url.path, **context)
        return HTMLResponse(html, status_code=status_code)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(ValueError)  # FilterError and the casebook's "no station matches"
    async def bad_input(request: Request, exc: ValueError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(Exception)  # runs outside the middleware: the headers are added here
    async def server_error(request: Request, exc: Exception) -> Response:
        return _error(request, 500, "internal error: the archive could not answer this request")

    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return secure(JSONResponse({"detail": message}, status_code=status))
        return secure(page("error.html", request, status_code=status, status=status, message=message))

    def known_id(value: int, kind: str) -> int:
        """An id beyond the database's integer range cannot exist: 404 like any unknown id."""
        if not 1 <= value <= MAX_ID:
            raise NotFound(f"no {kind} with id {value}")
        return value

    # --- data, shared by the pages and the API ----------------------------------------------------------

    def search_data(q: str, filters: FilterParams, page_no: int, size: int) -> dict[str, Any]:
        if not q.strip():
            return {"query": q, "filters": filters.given(), "hits": [], "paging": Page(1, size, 0).json()}
        result = archive.search(q, page=page_no, limit=size, **filters.given())
        data = jsonable_encoder(dataclasses.asdict(result))
        hits = data["hits"]
        seqs = queries.sentence_seqs(engine, [h["sentence_id"] for h in hits])
        for hit in hits:
            hit["seq"] = seqs.get(hit["sentence_id"])
            hit["snippet_parts"] = queries.snippet_parts(hit["snippet_text"], hit["highlights"])
        total = data["total"]
        return {"query": q, "filters": filters.given(), "hits": hits, "paging": Page(page_no, size, total).json()}

    def stations_data(filters: FilterParams, page_no: int, size: int) -> dict[str, Any]:
        rows = archive.stations(**filters.given())
        paging = Page(page_no, size, len(rows))
        shown = rows[paging.offset : paging.offset + size]
        return {"filters": filters.given(), "paging": paging.json(), "stations": jsonable_encoder(list(shown))}

    def station_data(station_id: int, show_all: bool = False) -> dict[str, Any]:
        profile = queries.station(engine, known_id(station_id, "station"), show_all)
        figures, profile["hidden_statistics"] = confident_only(
            archive.statistics(station=profile["name"], province=profile["province"]), show_all
        )
        profile["statistics"] = [
            {
                **row,
                "link": queries.sentence_link(
                    {
                        "article_id": row["article_id"],
                        "seq": queries.sentence_seq(engine, row["article_id"], row["sentence"]),
                    }
                ),
            }
            for row in jsonable_encoder(list(figures))
        ]
        profile["sources"] = queries.number_sources(profile)
        return profile

    def compare_data(metric: str | None, filters: FilterParams) -> dict[str, Any]:
        metrics = queries.metrics(engine)
        if not metric:
            return {"metric": None, "metrics": metrics, "rows": []}
        given = {k: v for k, v in filters.given().items() if k != "metric"}
        comparison = archive.compare(metric, all=filters.all, **given)
        rows = jsonable_encoder(list(comparison.rows))
        for row in rows:
            row["link"] = queries.sentence_link(
                {
                    "article_id": row["article_id"],
                    "seq": queries.sentence_seq(engine, row["article_id"], row["sentence"]),
                }
            )
        return {"metric": metric, "metrics": metrics, "rows": rows, "hidden": comparison.hidden}

    # --- JSON API ---------------------------------------------------------------------------------------

    @app.get("/api/search", tags=["api"], summary="Full-text search in either script, with the CLI's filters")
    def api_search(
        filters: Annotated[SearchParams, Query()],
    ) -> dict[str, Any]:
        return search_data(filters.q, filters, filters.page, filters.page_size)

    @app.get("/api/stations", tags=["api"], summary="Stations, filtered and paginated")
    def api_stations(filters: Annotated[ListParams, Query()]) -> dict[str, Any]:
        return stations_data(filters, filters.page, filters.page_size)

    @app.get("/api/stations/{station_id}", tags=["api"], summary="A station's profile with sources")
    def api_station(station_id: int, all: ShowAll = False) -> dict[str, Any]:  # noqa: A002
        return station_data(station_id, all)

    @app.get("/api/practices", tags=["api"], summary="Named practices with station and article counts")
    def api_practices(category: Name = None, page: PageNumber = 1, page_size: PageSize = 20) -> dict[str, Any]:
        return queries.practices(engine, category, page, page_size)

    @app.get("/api/practices/{practice_id}", tags=["api"], summary="A practice's card at every station")
    def api_practice(practice_id: int) -> dict[str, Any]:
        return queries.practice(engine, known_id(practice_id, "practice"))

    @app.get("/api/compare", tags=["api"], summary="One metric across stations, with comparability flags")
    def api_compare(
        filters: Annotated[FilterParams, Query()],
    ) -> dict[str, Any]:
        return compare_data(filters.metric, filters)

    @app.get("/api/articles/{article_id}", tags=["api"], summary="An article, sentence by sentence")
    def api_article(article_id: Annotated[str, PathParam(max_length=64)]) -> dict[str, Any]:
        return queries.article(engine, article_id)

    @app.get("/api/map", tags=["api"], summary="Stations per province (tile-grid cartogram)")
    def api_map() -> dict[str, Any]:
        return queries.province_map(engine)

    # --- pages ------------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, filters: Annotated[SearchParams, Query()]) -> HTMLResponse:
        data = search_data(filters.q, filters, filters.page, filters.page_size)
        return page(
            "search.html",
            request,
            data=data,
            filter_names=Filters.names(),
            metrics=queries.metrics(engine),
            categories=queries.categories(engine),
        )

    @app.get("/stations", response_class=HTMLResponse, include_in_schema=False)
    def stations_page(request: Request, filters: Annotated[ListParams, Query()]) -> HTMLResponse:
        return page(
            "stations.html",
            request,
            data=stations_data(filters, filters.page, filters.page_size),
            map=queries.province_map(engine),
        )

    @app.get("/stations/{station_id}", response_class=HTMLResponse, include_in_schema=False)
    def station_page(request: Request, station_id: int, all: ShowAll = False) -> HTMLResponse:  # noqa: A002
        return page("station.html", request, s=station_data(station_id, all))

    @app.get("/practices", response_class=HTMLResponse, include_in_schema=False)
    def practices_page(
        request: Request,
        category: Name = None,
        page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
        page_size: PageSize = 20,
    ) -> HTMLResponse:
        return page(
            "practices.html", request, data=queries.practices(engine, category, page_no, page_size), category=category
        )

    @app.get("/practices/{practice_id}", response_class=HTMLResponse, include_in_schema=False)
    def practice_page(request: Request, practice_id: int) -> HTMLResponse:
        return page("practice.html", request, p=queries.practice(engine, known_id(practice_id, "practice")))

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(
        request: Request,
        filters: Annotated[FilterParams, Query()],
    ) -> HTMLResponse:
        return page("compare.html", request, data=compare_data(filters.metric, filters))

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_index(request: Request) -> HTMLResponse:
        """The JSON endpoints and their parameters, read off the OpenAPI description (served at /openapi.json)."""
        return page("api.html", request, spec=app.openapi())

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(
        request: Request,
        article_id: str,
        s: Annotated[int | None, Query(ge=0, le=100_000)] = None,
        original: bool = False,
    ) -> HTMLResponse:
        return page("article.html", request, a=queries.article(engine, article_id), highlight=s, original=original)

    return app
