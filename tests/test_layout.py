"""The layout's promises: imports run one way between the packages, no module import circle, and the pipeline's
top level holds only the Dagster entry point and sub-packages."""

from __future__ import annotations

import subprocess
import sys

import grimp

from tests.conftest import REPO

PACKAGES = ("pipelines", "warehouse", "models", "casebook", "webapp")


def test_import_contracts_hold():
    """pyproject.toml's [tool.importlinter] contracts: cli/definitions → defs → batch → extract → text, and
    warehouse, models, casebook and webapp never import the CLI, the Dagster wiring or Dagster itself."""
    # In a child process: import-linter configures logging and would silence this process's loggers.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def test_no_module_imports_itself_in_a_circle():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    circles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported != importer and graph.find_shortest_chain(imported=importer, importer=imported):
                circles.append(f"{importer} ⇄ {imported}")
    assert not circles, circles


def test_pipelines_top_level_holds_only_the_entry_point_and_packages():
    top = sorted(p.name for p in (REPO / "pipelines").iterdir() if p.name != "__pycache__")
    modules = [name for name in top if name.endswith(".py")]
    assert modules == ["__init__.py", "definitions.py"], modules
    for folder in (REPO / "pipelines" / name for name in top if not name.endswith(".py")):
        assert (folder / "__init__.py").is_file(), f"{folder} is not a package"
        assert (folder / "__init__.py").read_text(encoding="utf-8").startswith('"""'), f"{folder} has no docstring"


def test_tests_mirror_the_packages():
    """A module's tests sit in the folder named after its package (tests/text/test_segment.py …)."""
    for package in ("text", "extract", "batch", "defs", "cli"):
        assert any((REPO / "tests" / package).glob("test_*.py")), f"tests/{package}/ has no tests"
    loose = sorted(p.name for p in (REPO / "tests").glob("test_*.py") if p.name != "test_layout.py")
    assert not loose, f"tests outside a package folder: {loose}"
