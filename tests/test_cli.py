"""The command line: every command documented, user errors as one clear line."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from cli import _report_crawl, app

README = Path(__file__).resolve().parent.parent / "README.md"
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
runner = CliRunner()


def test_the_expected_commands_exist() -> None:
    assert {
        "crawl",
        "parse",
        "query",
        "search",
        "stats",
        "export",
        "extract",
        "import",
        "demo",
    } <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    summary = (command.help or "").strip().splitlines()[0]
    assert summary.endswith("."), f"{name}: one-line summary missing"
    assert "Example: blogcorpus " + name in (command.help or ""), f"{name}: no Example"
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    text = README.read_text(encoding="utf-8")
    assert re.search(rf"\|\s*`{name}`\s*\|", text), f"{name} missing from the command reference"


def test_every_db_command_takes_db_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "nothing.duckdb"
    monkeypatch.setenv("BLOGCORPUS_DB", str(missing))
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 1
    assert "no corpus at" in str(result.exception) or "no corpus at" in result.output


def test_user_errors_are_one_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import subprocess
    import sys

    missing = tmp_path / "none.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", "import cli; cli.main()", "stats", "--db", str(missing)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("blogcorpus: no corpus at"), proc.stderr


def test_bad_seed_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import cli; cli.main()",
            "crawl",
            "ftp://x.example/",
            "--db",
            str(tmp_path / "c.duckdb"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("blogcorpus: not an http(s) URL"), proc.stderr
    # Refused before anything is written: no empty corpus is left behind.
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["search", "word", "--limit", "-1"],
        ["crawl", "http://a.example/", "--concurrency", "0"],
        ["crawl", "http://a.example/", "--delay", "-1"],
        ["crawl", "http://a.example/", "--max-pages", "0"],
        ["crawl", "http://a.example/", "--parse-workers", "-2"],
    ],
)
def test_out_of_range_numbers_are_refused_in_one_line(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--db", str(tmp_path / "c.duckdb")])
    assert result.exit_code == 2
    assert "Invalid value" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_query_formats(tmp_path: Path) -> None:
    db = tmp_path / "q.duckdb"
    from corpus.db import open_corpus

    open_corpus(db).close()
    as_csv = runner.invoke(app, ["query", "--db", str(db), "-f", "csv", "SELECT 1 AS a, 'é' AS b"])
    assert as_csv.exit_code == 0 and as_csv.output.splitlines() == ["a,b", "1,é"]
    as_json = runner.invoke(app, ["query", "--db", str(db), "-f", "json", "SELECT 42 AS n"])
    assert '"n": 42' in as_json.output
    table = runner.invoke(app, ["query", "--db", str(db), "-f", "table", "SELECT 42 AS n"])
    assert "(1 row)" in table.output


def test_query_is_read_only(tmp_path: Path) -> None:
    db = tmp_path / "ro.duckdb"
    from corpus.db import open_corpus

    open_corpus(db).close()
    result = runner.invoke(app, ["query", "--db", str(db), "DELETE FROM posts"])
    assert result.exit_code != 0
    assert isinstance(result.exception, duckdb.Error | typer.Exit | SystemExit)


def test_the_crawl_summary_says_a_coverage_of_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    site = {
        "site": "http://a.example/", "posts": 0, "comments": 0, "authors": 0, "links": 0,
        "requests_this_run": 12, "queued": 0, "coverage": 0.0,
    }  # fmt: skip
    summary = {
        "stopped_early": False, "fetched": 12, "seconds": 1.0, "changed": 12, "not_modified": 0,
        "sites": [site, {**site, "site": "http://b.example/", "coverage": None}], "errors": {},
    }  # fmt: skip
    _report_crawl(summary)
    lines = capsys.readouterr().err.splitlines()
    assert lines[1].endswith("coverage 0%")
    assert "coverage" not in lines[2]
