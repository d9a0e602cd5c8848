"""Drift findings for CI: GitHub Actions workflow commands and JUnit XML (as ``oasdiff --format``).

GitHub Actions: one ``::error`` (breaking), ``::warning`` (warning) or ``::notice`` (info) line per
document finding, titled with its rule ID, then one per Python API and overlay finding.
JUnit: one test suite ``drift``; one test case per finding, failed when breaking; a run that could not
compare the documents is one test case with an error.
"""

from __future__ import annotations

from xml.etree import ElementTree

from .drift_changes import BREAKING
from .drift_report import DriftReport

_COMMANDS = {"breaking": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github_actions(report: DriftReport) -> str:
    """Workflow commands, one per line (https://docs.github.com/actions/reference/workflow-commands)."""
    lines: list[str] = []
    if report.error is not None:
        lines.append(f"::error title=drift unavailable::{_escape_data(report.error)}")
    for change in report.changes:
        title = _escape_property(f"{change.cls} ({change.level})")
        message = _escape_data(f"{change.message} [{change.location}]")
        lines.append(f"::{_COMMANDS.get(change.level, 'notice')} title={title}::{message}")
    for api in report.python_api:
        command = "error" if api.severity == BREAKING else "notice"
        title = _escape_property(f"python-api-{api.kind}")
        lines.append(f"::{command} title={title}::{_escape_data(api.message)}")
    for overlay in report.overlay:
        title = _escape_property(f"overlay-{overlay.kind}")
        lines.append(f"::error title={title}::{_escape_data(overlay.message)}")
    return "".join(line + "\n" for line in lines)


def render_junit(report: DriftReport) -> str:
    """A JUnit XML document: breaking findings are failures, the rest pass (their level in the name)."""
    suite = ElementTree.Element("testsuite", name="drift")
    failures = errors = tests = 0
    if report.error is not None:
        case = ElementTree.SubElement(suite, "testcase", classname="drift", name="compare documents")
        ElementTree.SubElement(case, "error", message=report.error)
        tests, errors = 1, 1
    rows: list[tuple[str, str, str, bool]] = [
        (change.cls, change.level, f"{change.message} [{change.location}]", change.level == BREAKING)
        for change in report.changes
    ]
    rows += [
        (f"python-api-{c.kind}", c.severity, c.message, c.severity == BREAKING) for c in report.python_api
    ]
    rows += [(f"overlay-{c.kind}", c.severity, c.message, c.severity == BREAKING) for c in report.overlay]
    for rule_id, level, message, failed in rows:
        tests += 1
        case = ElementTree.SubElement(suite, "testcase", classname=rule_id, name=f"{level}: {message}")
        if failed:
            failures += 1
            failure = ElementTree.SubElement(case, "failure", message=message, type=rule_id)
            failure.text = message
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    ElementTree.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suite, encoding="unicode") + "\n"
