"""`fqa COMMAND --help` reads as a user expects: a flag is shown bare (`--json`), never as taking a value
(`--json <bool>`) or with a negative twin nobody asked for (`--json / --no-json`); an option that takes a value
still says what kind."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from pipelines.cli import app

runner = CliRunner()
COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_checked():
    assert {"articles", "search", "station", "ingest", "changes", "train", "export", "casebook"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_flags_read_as_flags(command: str):
    text = _help(command)
    assert "<bool>" not in text and "--no-" not in text, text
    flags = [
        param.opts[0]
        for param in _command(command).params
        if getattr(param, "is_flag", False) and param.opts and param.opts[0].startswith("--")
    ]
    for flag in [*flags, "--help"]:
        assert re.search(rf"^\s+{re.escape(flag)}(\s{{2,}}|$)", text, re.MULTILINE), (flag, text)


def test_options_with_a_value_still_name_its_type():
    text = _help("search")
    assert re.search(r"--limit <int>", text) and re.search(r"--province <str>", text), text
    assert re.search(r"^\s+--json\s{2,}Print JSON", text, re.MULTILINE), text


def test_the_top_level_help_lists_the_commands():
    text = _help()
    assert "--help" in text and "<bool>" not in text
    assert all(command in text for command in COMMANDS)


def _command(name: str):  # noqa: ANN202 - a click command
    import typer.main

    return typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
