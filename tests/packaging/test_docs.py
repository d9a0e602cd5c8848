"""The README is a start page (short, quick start first, its two commands exactly as CI runs them) and the
documentation site in docs/ holds the rest, with true instructions and working links."""

from __future__ import annotations

import re
from pathlib import Path

import docpages
import yaml

REPO = docpages.REPO
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


def readme() -> str:
    return docpages.README.read_text(encoding="utf-8")


def test_the_readme_is_a_short_start_page() -> None:
    lines = readme().splitlines()
    assert len(lines) < 200, len(lines)
    # the quick start is on the first screen, after install
    assert any(line.startswith("## Quick start") for line in lines[:50]), lines[:50]


def test_the_readme_shows_the_two_commands_ci_runs_byte_for_byte() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.startswith("python3 -m venv .venv &&")]
    assert len(commands) == 2
    top = "\n".join(readme().splitlines()[:20])
    for command in commands:
        assert f"```sh\n{command}\n```" in top, command


def test_local_links_of_the_readme_and_the_docs_lead_to_files() -> None:
    generated = {"reference/accessors.md", "reference/operations.md", "reference/models.md", "changelog.md"}
    broken = []
    for page in docpages.pages():
        for target, _ in LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            resolved = (page.parent / target).resolve()
            relative = (
                resolved.relative_to(REPO / "docs").as_posix()
                if resolved.is_relative_to(REPO / "docs")
                else ""
            )
            if not resolved.exists() and relative not in generated:
                broken.append(f"{page.relative_to(REPO)} -> {target}")
    assert not broken, broken


def test_every_docs_page_is_in_the_site_navigation() -> None:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))

    def walk(node: object) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [page for value in node.values() for page in walk(value)]
        if isinstance(node, list):
            return [page for item in node for page in walk(item)]
        return []

    in_nav = set(walk(config["nav"]))
    on_disk = {p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md")}
    assert on_disk <= in_nav, on_disk - in_nav


def test_guides_start_with_one_title() -> None:
    for topic in [
        "auth",
        "environments",
        "reads-writes",
        "errors-retries",
        "bulk-imports",
        "cli",
        "regeneration",
        "drift",
        "sdk-maintainers",
        "migration",
    ]:
        text = (REPO / "docs" / "guides" / f"{topic}.md").read_text(encoding="utf-8")
        assert text.startswith("# "), topic
        prose = re.sub(r"```.*?```", "", text, flags=re.S)  # a `#` comment in a code block is no title
        assert len(re.findall(r"^# ", prose, re.M)) == 1, topic


def test_instructions_run_as_written() -> None:
    """Only `.venv/bin/python -m nox` exists after the README's commands, and checking out does not remove
    files a regeneration added."""
    for name in ("README.md", "docs/getting-started.md", "docs/guides/environments.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        # where a reader is told to start the mock, the command is one that exists after the README's two
        assert "nox -s mock" in text, name
        assert not re.search(r"(?<!\.venv/bin/python -m )nox -s mock", text), name
    shorthand = (REPO / "docs/development.md").read_text(encoding="utf-8")
    assert "`.venv/bin/python -m nox -s NAME` (`nox -s NAME` on these pages is short for it" in shorthand
    for page in docpages.pages():
        text = page.read_text(encoding="utf-8")
        if "git checkout -- openapi generated" in text:
            assert "git clean -fd -- openapi generated" in text, page
    assert "git clean -fd -- openapi generated" in (REPO / "docs/guides/regeneration.md").read_text("utf-8")


def test_the_readme_points_to_the_guides() -> None:
    text = readme()
    for topic in (
        "auth",
        "environments",
        "reads-writes",
        "errors-retries",
        "bulk-imports",
        "cli",
        "migration",
    ):
        assert f"(docs/guides/{topic}.md)" in text, topic
    assert Path(REPO / "LICENSE").exists() and "(LICENSE)" in text


def test_the_errors_reference_lists_every_error_with_its_parents() -> None:
    import dimescheduler_openapi

    page = (REPO / "docs" / "reference" / "errors.md").read_text(encoding="utf-8")
    rows = {
        cells[1].strip("` "): cells[2]
        for line in page.splitlines()
        if line.startswith("| `") and len(cells := line.split("|")) > 3
    }
    errors = [
        getattr(dimescheduler_openapi, name)
        for name in dimescheduler_openapi.__all__
        if isinstance(getattr(dimescheduler_openapi, name), type)
        and issubclass(getattr(dimescheduler_openapi, name), dimescheduler_openapi.DimeSchedulerError)
    ]
    assert len(errors) > 20
    for error in errors:
        assert error.__name__ in rows, error.__name__
        parents = [base.__name__ for base in error.__bases__]
        assert [p.strip("` ") for p in rows[error.__name__].split(",")] == parents, error.__name__
