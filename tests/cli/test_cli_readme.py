"""The documented command-line examples, copied as a user would, run against Prism serving the pinned document.

Each `dimescheduler-openapi ...` line of the `sh` blocks of the README's "Command line" section and of the
command-line guide (docs/guides/cli.md) runs in a folder that holds the files it names (`jobs.json`,
`jobs.csv`); `-e sandbox` is pointed at the test's Prism instead.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner
from dimescheduler_openapi._cli import cli
from prism import free_port, prism_url  # noqa: F401  (session fixture)

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
GUIDE = REPO / "docs" / "guides" / "cli.md"
JOB = {"sourceApp": "BC", "sourceType": "SO", "jobNo": "J1", "shortDescription": "Boiler"}


def readme_commands() -> list[list[str]]:
    section = README.read_text(encoding="utf-8").split("## Command line", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert blocks, "no sh block in the README's Command line section"
    blocks += re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    lines = [line.split("  #", 1)[0].strip() for block in blocks for line in block.splitlines()]
    commands = [shlex.split(line)[1:] for line in lines if line.startswith("dimescheduler-openapi ")]
    return list({tuple(args): args for args in commands}.values())


def verb(args: list[str]) -> str:
    """The command's first two words, global options (`-e NAME`) left out: "categories get-all"."""
    words = [arg for index, arg in enumerate(args) if arg != "-e" and (index == 0 or args[index - 1] != "-e")]
    return " ".join(words[:2])


def test_the_readme_shows_the_main_commands() -> None:
    shown = {verb(args) for args in readme_commands()}
    assert {"categories get-all", "jobs get", "categories create", "jobs create", "import jobs.csv"} <= shown


@pytest.mark.node
@pytest.mark.parametrize("args", readme_commands(), ids=lambda args: " ".join(args)[:60])
def test_readme_command_runs_against_prism(
    args: list[str],
    prism_url: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "jobs.json").write_text(json.dumps([JOB, {**JOB, "jobNo": "J2"}]), encoding="utf-8")
    (tmp_path / "jobs.csv").write_text(
        "sourceApp,sourceType,jobNo,shortDescription\nBC,SO,J1,Boiler\nBC,SO,J2,Pump\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    env = {"DIMESCHEDULER_API_KEY": "readme-key", "DIMESCHEDULER_ENVIRONMENT": prism_url}
    args = [prism_url if arg == "sandbox" else arg for arg in args]
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "readme-key" not in result.output
    if "--failed" in args:
        failed = tmp_path / args[args.index("--failed") + 1]
        assert not failed.exists() or failed.read_text(encoding="utf-8").count("\n") <= 1
