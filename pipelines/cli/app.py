"""The `fqa` Typer app and what every command shares: the --db option, one-line errors, progress bars.

Errors a user can cause are one line naming the file or input, never a traceback. Command modules import this
one and register on `app`; `pipelines.cli` imports them all.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import SQLAlchemyError

from pipelines.text.read import BuildError, IngestError
from warehouse.db import DB_URL_ENV, WarehouseURLError, refuse_missing
from warehouse.query import NotFound

app = typer.Typer(
    name="fqa",
    help="Fengqiao Archive: build and query the archive of Fengqiao-style police station reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Click's plain help: Typer's Rich help prints a type beside every option, so flags read "--json <bool>" as if
    # they took a value (and "--help <bool>"); the plain layout shows flags bare and values with their type.
    rich_markup_mode=None,
)
console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])
STAGES = ("read", "clean", "simplify", "segment")
_DB_HELP = f"Warehouse URL (default: ${DB_URL_ENV} or sqlite:///fengqiao.db)."


def _fail(message: str) -> None:
    # escaped: a message quoting "[errno 13]" or a file name with brackets is text, not Rich markup to drop
    err_console.print(f"[bold red]fqa: error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _existing_warehouse(ctx: typer.Context, value: str | None) -> str | None:
    """A read command refuses a warehouse that is not there: a mistyped --db or the wrong folder would otherwise
    create an empty one and answer "0 matches". Checked when the command first opens the warehouse (after its
    own input checks), and only for this command."""
    if not ctx.resilient_parsing:
        ctx.call_on_close(refuse_missing())
    return value


# Read commands: the warehouse must exist. Only `build` and `ingest` take NewDbOption and may create one.
DbOption = Annotated[str | None, typer.Option("--db", help=_DB_HELP, show_default=False, callback=_existing_warehouse)]
NewDbOption = Annotated[str | None, typer.Option("--db", help=f"{_DB_HELP} Created if missing.", show_default=False)]


def _database_error(exc: SQLAlchemyError) -> str:
    return f"database: {str(exc.orig if getattr(exc, 'orig', None) else exc).splitlines()[0]}"


def clear_errors(func: F) -> F:
    """Turn the errors a user can cause into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (BuildError, WarehouseURLError, IngestError, NotFound, ValueError) as exc:
            _fail(str(exc))
        except SQLAlchemyError as exc:
            _fail(_database_error(exc))
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))

    return wrapper  # type: ignore[return-value]


def stage_progress() -> Progress:
    """Bars per stage on stderr, shown only on a terminal (so piped and tested output stays plain)."""
    return Progress(
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    )


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
