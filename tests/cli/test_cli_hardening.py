"""Input nested too deeply for the JSON reader is a one-line usage error (exit 2), never a traceback."""

from __future__ import annotations

from pathlib import Path

from clihelp import run

DEEP = "[" * 100_000 + "]" * 100_000


def test_deep_json_on_stdin_is_a_usage_error() -> None:
    result = run(["categories", "create", "--json", "-"], "http://127.0.0.1:9", input=DEEP)
    assert result.exit_code == 2
    assert "nested too deeply" in result.output and "Traceback" not in result.output


def test_a_deep_json_import_file_is_a_usage_error(tmp_path: Path) -> None:
    for name, text in (("deep.json", "[" + DEEP + "]"), ("deep.ndjson", DEEP + "\n")):
        source = tmp_path / name
        source.write_text(text)
        result = run(["import", str(source), "-p", "pin.append"], "http://127.0.0.1:9")
        assert result.exit_code == 2, result.output
        assert "nested too deeply" in result.output and "Traceback" not in result.output
