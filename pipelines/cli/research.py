"""`fqa search`, `fqa stations`, `fqa station`, `fqa compare`, `fqa export`: the archive for researchers.

Thin wrappers over `warehouse.Archive`: options become filters, rows become rich tables (Chinese aligns: rich
measures wide characters as two cells), or JSON/CSV on request. Text from the archive is printed as
`rich.text.Text`, never as markup, so a title containing "[bold]" stays a title.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from pipelines.cli.app import DbOption, app, clear_errors, console
from warehouse.archive import Archive, ArticleRef, StationProfile
from warehouse.export import FORMATS, KINDS
from warehouse.export import export as write_export
from warehouse.filters import SCRIPTS
from warehouse.wording import count

StationOpt = Annotated[str | None, typer.Option("--station", help="Station name, in either script.")]
ProvinceOpt = Annotated[str | None, typer.Option("--province", help="Province (a prefix is enough: 广西).")]
CityOpt = Annotated[str | None, typer.Option("--city", help="City or prefecture.")]
CountyOpt = Annotated[str | None, typer.Option("--county", help="County or district.")]
CategoryOpt = Annotated[str | None, typer.Option("--category", help="Practice category.")]
MetricOpt = Annotated[str | None, typer.Option("--metric", help="Metric, e.g. mediation_success_rate.")]
MinOpt = Annotated[float | None, typer.Option("--min", help="Metric value at least this (needs --metric).")]
MaxOpt = Annotated[float | None, typer.Option("--max", help="Metric value at most this (needs --metric).")]
YearFromOpt = Annotated[int | None, typer.Option("--from-year", help="Articles published in or after this year.")]
YearToOpt = Annotated[int | None, typer.Option("--to-year", help="Articles published in or before this year.")]
ScriptOpt = Annotated[str | None, typer.Option("--script", help=f"Script of the original: {', '.join(SCRIPTS)}.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
AllOpt = Annotated[
    bool, typer.Option("--all", help="Also show figures below the confidence bar (hidden by default, and counted).")
]


def _filters(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _cell(value: Any) -> str:  # noqa: ANN401
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def _jsonable(value: Any) -> Any:  # noqa: ANN401
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _print_machine(records: list[dict[str, Any]], as_csv: bool) -> None:
    records = [{k: _jsonable(v) for k, v in r.items()} for r in records]
    if not as_csv:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return
    buffer = io.StringIO()
    if records:
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
        writer.writeheader()
        for record in records:
            writer.writerow({k: _cell(v) if isinstance(v, list) else v for k, v in record.items()})
    print(buffer.getvalue(), end="")


def _say_hidden(hidden: int) -> None:
    if hidden:
        console.print(f"{count(hidden, 'less confident figure')} not shown (--all shows them)", highlight=False)


def _one_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise ValueError("choose one of --json and --csv")


@app.command()
@clear_errors
def search(
    query: Annotated[str, typer.Argument(help='Words or a "quoted phrase", in Simplified or Traditional.')],
    db: DbOption = None,
    station: StationOpt = None,
    province: ProvinceOpt = None,
    city: CityOpt = None,
    county: CountyOpt = None,
    category: CategoryOpt = None,
    metric: MetricOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    from_year: YearFromOpt = None,
    to_year: YearToOpt = None,
    script: ScriptOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="Articles per page.")] = 20,
    page: Annotated[int, typer.Option("--page", help="Page number, from 1.")] = 1,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Full-text search in either script: articles ranked by their best sentence, hits highlighted."""
    _one_format(as_json, as_csv)
    result = Archive(db).search(
        query,
        page=page,
        limit=limit,
        **_filters(
            station=station,
            province=province,
            city=city,
            county=county,
            category=category,
            metric=metric,
            min=min_value,
            max=max_value,
            year_from=from_year,
            year_to=to_year,
            script=script,
        ),
    )
    if as_json or as_csv:
        _print_machine([hit.to_dict() for hit in result.hits], as_csv)
        return
    capped = f" (only the first {result.sentences:,} matching sentences were ranked)" if result.capped else ""
    console.print(
        Text(
            f"{count(result.total, 'article')} matching {result.simplified!r} (terms: {' · '.join(result.terms)}); "
            f"page {result.page} of {result.pages}{capped}"
        )
    )
    table = Table(show_lines=True)
    for column, justify in (
        ("#", "right"),
        ("score", "right"),
        ("date", "left"),
        ("station", "left"),
        ("title", "left"),
        ("snippet", "left"),
    ):
        table.add_column(column, justify=justify, overflow="fold")
    for rank, hit in enumerate(result.hits, start=(result.page - 1) * result.limit + 1):
        snippet = Text(hit.snippet_text)
        for start, end in hit.highlights:
            snippet.stylize("bold reverse", start, end)
        title = Text(hit.title or "(untitled)")
        if hit.also_published_by:
            title.append(f"\nalso published by {', '.join(hit.also_published_by)}", style="dim")
        table.add_row(str(rank), f"{hit.score:.2f}", _cell(hit.published), Text(hit.station or "—"), title, snippet)
    if result.hits:
        console.print(table)


@app.command()
@clear_errors
def stations(
    db: DbOption = None,
    station: StationOpt = None,
    province: ProvinceOpt = None,
    city: CityOpt = None,
    county: CountyOpt = None,
    category: CategoryOpt = None,
    metric: MetricOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    from_year: YearFromOpt = None,
    to_year: YearToOpt = None,
    script: ScriptOpt = None,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """Stations in the archive: place, honours, and how many articles, practices and statistics each has."""
    _one_format(as_json, as_csv)
    rows = Archive(db).stations(
        **_filters(
            station=station,
            province=province,
            city=city,
            county=county,
            category=category,
            metric=metric,
            min=min_value,
            max=max_value,
            year_from=from_year,
            year_to=to_year,
            script=script,
        )
    )
    if as_json or as_csv:
        _print_machine(rows.to_dicts(), as_csv)
        return
    table = Table(title=count(len(rows), "station"), title_justify="left")
    for column in ("station", "place", "honours", "articles", "practices", "statistics"):
        table.add_column(
            column, overflow="fold", justify="right" if column in ("articles", "practices", "statistics") else "left"
        )
    for row in rows:
        table.add_row(
            Text(row.name),
            Text(row.place),
            Text("\n".join(row.honours) or "—"),
            str(row.articles),
            str(row.practices),
            str(row.statistics),
        )
    console.print(table)


def _cited_sources(profile: StationProfile) -> dict[str, ArticleRef]:
    """Every article the profile cites, once, in the order the sources table lists them: the station's articles,
    then any other article a practice or figure comes from. Rows cite them by number, not by repeating the URL."""
    sources = {a.article_id: a for a in profile.articles}
    for row in (*profile.practices, *profile.statistics):
        if row.article_id not in sources:
            sources[row.article_id] = ArticleRef(
                row.article_id, row.title, row.published, getattr(row, "publisher", None), row.url
            )
    return sources


@app.command()
@clear_errors
def station(
    name: Annotated[str, typer.Argument(help="Station name or alias, as written in either script.")],
    db: DbOption = None,
    province: ProvinceOpt = None,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """One station's profile: place, honours, practices with their sentences, statistics with sources."""
    profile = Archive(db).station(name, province=province, all=show_all)
    s = profile.station
    if as_json:
        print(
            json.dumps(
                {
                    "station": {k: _jsonable(v) for k, v in s.__dict__.items()},
                    "aliases": profile.aliases,
                    "honours": profile.honours,
                    "practices": [{k: _jsonable(v) for k, v in p.items()} for p in profile.practices.to_dicts()],
                    "statistics": [{k: _jsonable(v) for k, v in p.items()} for p in profile.statistics.to_dicts()],
                    "articles": [{k: _jsonable(v) for k, v in a.__dict__.items()} for a in profile.articles],
                    "hidden_statistics": profile.hidden_statistics,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    console.rule(Text(f"{s.name} ({s.kind})"))
    meta = Table(show_header=False, box=None)
    meta.add_column(style="bold")
    meta.add_column(overflow="fold")
    meta.add_row("place", Text(s.place))
    meta.add_row("aliases", Text("、".join(profile.aliases) or "—"))
    honours = [h.get("text", "") + (f" ({h['year']})" if h.get("year") else "") for h in profile.honours]
    meta.add_row("honours", Text("\n".join(honours) or "—"))
    meta.add_row(
        "counts",
        f"{count(s.articles, 'article')}, {count(s.practices, 'practice')}, {count(s.statistics, 'statistic')}",
    )
    console.print(meta)
    sources = _cited_sources(profile)
    number = {article_id: Text(f"[{n}]") for n, article_id in enumerate(sources, start=1)}
    articles = Table(title="sources (cited by number below)", title_justify="left")
    for column in ("#", "article", "date", "publisher", "title", "url"):
        articles.add_column(column, overflow="fold", justify="right" if column == "#" else "left")
    for article_id, a in sources.items():
        publisher = a.publisher or "—"
        if a.also_published_by:
            publisher += f" (also: {', '.join(a.also_published_by)})"
        articles.add_row(
            number[article_id],
            article_id[:12],
            _cell(a.published),
            Text(publisher),
            Text(a.title or "(untitled)"),
            Text(a.url or "—"),
        )
    console.print(articles)
    practices = Table(title="practices", title_justify="left")
    for column in ("practice", "category", "sentence", "source"):
        practices.add_column(column, overflow="fold")
    for p in profile.practices:
        practices.add_row(Text(p.name), Text(p.category), Text(p.sentence), number[p.article_id])
    console.print(practices)
    stats = Table(title="statistics", title_justify="left")
    for column in ("metric", "value", "as written", "period", "counted", "source"):
        stats.add_column(column, overflow="fold")
    for r in profile.statistics:
        stats.add_row(
            r.metric, r.shown, Text(r.text), Text(r.period or "not stated"), Text(r.subject), number[r.article_id]
        )
    console.print(stats)
    _say_hidden(profile.hidden_statistics)


@app.command()
@clear_errors
def compare(
    metric: Annotated[str, typer.Argument(help="Metric to compare, e.g. mediation_success_rate.")],
    db: DbOption = None,
    station: StationOpt = None,
    province: ProvinceOpt = None,
    city: CityOpt = None,
    county: CountyOpt = None,
    category: CategoryOpt = None,
    from_year: YearFromOpt = None,
    to_year: YearToOpt = None,
    script: ScriptOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw a bar chart to this PNG file.")] = None,
    show_all: AllOpt = False,
    as_json: JsonOpt = False,
    as_csv: CsvOpt = False,
) -> None:
    """One row per station for a metric: figure with its qualifier, period and source; differences flagged."""
    _one_format(as_json, as_csv)
    result = Archive(db).compare(
        metric,
        all=show_all,
        **_filters(
            station=station,
            province=province,
            city=city,
            county=county,
            category=category,
            year_from=from_year,
            year_to=to_year,
            script=script,
            min=min_value,
            max=max_value,
        ),
    )
    if plot is not None:
        from warehouse.plot import plot_comparison

        plot_comparison(metric, result.rows, plot)
    if as_json or as_csv:
        _print_machine(result.rows.to_dicts(), as_csv)
        return
    table = Table(title=f"{metric}: {count(len(result.rows), 'station')}", title_justify="left")
    table.add_column("station", overflow="fold")
    for column in ("value", "text", "period", "comparable", "source"):
        table.add_column(column, overflow="fold")
    for r in result.rows:
        verdict = Text("yes") if r.comparable else Text(f"no: {r.note}", style="yellow")
        more = f" +{r.other_figures} more" if r.other_figures else ""
        source = f"{r.title or '(untitled)'} ({_cell(r.published)}){more}"
        table.add_row(Text(r.station), r.shown, Text(r.text), Text(r.period), verdict, Text(source))
    console.print(table)
    _say_hidden(result.hidden)
    if plot is not None:
        console.print(Text(f"plot: {plot}"))


@app.command("export")
@clear_errors
def export_command(
    kind: Annotated[str, typer.Argument(help=f"What to export: {', '.join(KINDS)}.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")] = "csv",
    db: DbOption = None,
    station: StationOpt = None,
    province: ProvinceOpt = None,
    city: CityOpt = None,
    county: CountyOpt = None,
    category: CategoryOpt = None,
    metric: MetricOpt = None,
    min_value: MinOpt = None,
    max_value: MaxOpt = None,
    from_year: YearFromOpt = None,
    to_year: YearToOpt = None,
    script: ScriptOpt = None,
) -> None:
    """Write articles, stations, practices or statistics to a CSV, JSON or Parquet file."""
    written = write_export(
        Archive(db),
        kind,
        fmt,
        output,
        _filters(
            station=station,
            province=province,
            city=city,
            county=county,
            category=category,
            metric=metric,
            min=min_value,
            max=max_value,
            year_from=from_year,
            year_to=to_year,
            script=script,
        ),
    )
    console.print(Text(f"wrote {count(written, kind.removesuffix('s'))} to {output} ({fmt})"))
