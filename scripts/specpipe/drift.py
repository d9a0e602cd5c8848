"""`nox -s drift`: compare two OpenAPI documents and rate the drift for code built on the pinned client.

Revision (``--url``): found and fetched exactly as `nox -s generate` does it (``--url``, else
``$DIMESCHEDULER_DOCS_URL``, else the vendor's docs page; docs pages are searched for the document link), then
parsed, converted and normalized with the same fix-ups (a document failing OpenAPI validation is still
compared; the failure is a note). Base: ``--base FILE_OR_URL``, prepared the same way; by default the pinned
``openapi/upstream.json`` normalized as generation did it, so operations generation left out of the client
(``left_out`` of ``openapi/upstream.meta.json``) are compared like any other and said to be left out; without
an upstream copy, the pinned ``openapi/dimescheduler.json``. Documents identical once normalized are ``none``.

The comparison (`drift_compare`) names each finding with a rule of `drift_rules.RULES`: oasdiff's rule ID
where one matches, a level (breaking / warning / info) decided from what the generated Python client and
the overlay do, direction-aware (a request accepting more and a response promising more do not break).
For the pinned pair only, the client is also regenerated from the revision into a temporary folder and its
public API compared with the committed ``generated/dimescheduler_raw``, and overlay accessor methods whose
operation is broken are listed. Nothing under ``openapi/`` or ``generated/`` is ever written.

Output: ``drift-report.json`` and ``drift-report.md`` in ``--out`` always (the Markdown also appended to
``$GITHUB_STEP_SUMMARY``); ``--format`` picks what is printed: ``text`` (a summary, default), ``markdown``,
``json``, ``githubactions`` (workflow commands: ``::error`` / ``::warning`` / ``::notice`` per finding,
titled with the rule ID) or ``junit`` (also written to ``drift-report.xml``; breaking findings fail).

Exit status: 1 when either document cannot be fetched or parsed (status ``unavailable``, whatever
``--fail-on`` says: a check that did not run never passes), 1 when the drift reaches ``--fail-on``
(``breaking``, the default; ``overlay``: breaking drift for an overlay method; ``any``: any finding;
``never``: report only), else 0.

``drift-report.json`` (``schema_version`` 1; keys are only ever added within a schema version)::

    {
      "schema_version": 1,
      "status": "none" | "non-breaking" | "breaking" | "unavailable",
      "error": null | "<one line: why a document could not be checked>",
      "live": {"source": "<revision URL or path, secrets masked>" | null, "via": "<how it was found>" | null,
               "sha256": "<SHA-256 of the normalized revision>",
               "upstream_sha256": "<SHA-256 of the revision as openapi/upstream.json would hold it>"},
      "pinned": {"path": "<base document>", "sha256": "<SHA-256 of its bytes (--base: normalized)>" | null},
      "summary": {"breaking": <int>, "non_breaking": <int>},   # over the three lists below
      "changes": [                         # the document comparison, breaking first
        {"id": "<rule ID, e.g. response-property-became-optional>", "class": "<the same rule ID>",
         "level": "breaking" | "warning" | "info", "severity": "breaking" | "non-breaking",
         "location": "<JSON pointer into the document the thing lives in>",
         "message": "<one line, old -> new where a value changed>", "source": "pipeline"}
      ],
      "python_api": [{"kind": "removed" | "changed" | "added", "severity": ..., "object": "<dotted name>",
                      "message": "<one line>"}],   # pinned pair only
      "overlay": [{"accessor": "<accessor.method>", "operation": "<METHOD /path>", "kind": "...",
                   "severity": "breaking", "message": "<one line>"}],   # pinned pair only
      "left_out": [{"method": "<METHOD>", "path": "<path template>", "reason": "<one line>"}],
      "notes": ["<one line: a check that could not run, a skipped step>"]
    }

``status`` is ``breaking`` if any entry of the three lists is breaking, ``non-breaking`` if there are
entries but none breaking, ``none`` if all three are empty. The rules, their levels and why: drift_rules.py
and docs/guides/drift.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .drift_changes import BREAKING, Change, sort_changes
from .drift_ci import render_github_actions, render_junit
from .drift_compare import compare_documents
from .drift_other import other_differences
from .drift_overlay import declared_overlay_operations, overlay_impact
from .drift_python_api import compare_api, read_api
from .drift_report import DriftReport, render_json, render_markdown
from .errors import PipelineError, SpecError
from .fetch import DEFAULT_DOCS_URL, display_url
from .generate import (
    NORMALIZED,
    PACKAGE,
    REPO_ROOT,
    UPSTREAM,
    UPSTREAM_META,
    Prepared,
    Source,
    build_client,
    dump_json,
    finish_package,
    positive_seconds,
    prepare,
    read_meta,
    resolve_source,
    sha256,
    write_generator_config,
)
from .loader import ensure_openapi3, parse_document
from .normalize import normalize
from .routes import write_route_modules

FAIL_ON: Final = ("breaking", "overlay", "any", "never")
FORMATS: Final = ("text", "markdown", "json", "githubactions", "junit")
REPORT_JUNIT: Final = "drift-report.xml"
REPORT_JSON: Final = "drift-report.json"
REPORT_MD: Final = "drift-report.md"


@dataclass(frozen=True)
class Options:
    url: str | None
    base: str | None
    format: str
    pinned: Path
    generated: Path
    overlay: Path
    out: Path
    fail_on: str
    timeout: float


def check(options: Options) -> DriftReport:
    """Run every check; failures to get either document end up in ``report.error``, not as exceptions.

    Without ``--base`` the base is the pinned upstream document normalized as `nox -s generate` did it
    (so operations generation left out of the client are compared too), else the pinned document."""
    report = DriftReport(pinned_path=options.base or _shown_path(options.pinned))
    # the same choice resolve_source makes; shown in the report even when the fetch fails
    report.live_source = display_url(
        options.url or os.environ.get("DIMESCHEDULER_DOCS_URL") or DEFAULT_DOCS_URL
    )
    left_out: dict[tuple[str, str], str] = {}
    try:
        if options.base is not None:
            base_source = resolve_source(
                options.base,
                offline=False,
                strict=True,
                timeout=options.timeout,
                openapi_dir=options.pinned.parent,
            )
            report.pinned_path = display_url(base_source.url or base_source.label)
            base_prepared = _prepare(base_source, report.notes)
            base, base_text = base_prepared.normalized, base_prepared.normalized_text
            report.pinned_sha256 = sha256(base_text)
        else:
            pinned_bytes = options.pinned.read_bytes()
            report.pinned_sha256 = hashlib.sha256(pinned_bytes).hexdigest()
            base = _json_object(pinned_bytes, options.pinned)
            base_text = pinned_bytes.decode("utf-8")
            base, left_out = _pinned_base(options.pinned, base)
        source = resolve_source(
            options.url,
            offline=False,
            strict=True,
            timeout=options.timeout,
            openapi_dir=options.pinned.parent,
        )
        report.live_source = display_url(source.url or source.label)
        report.live_via = source.via
        prepared = _prepare(source, report.notes)
    except OSError as exc:
        report.error = f"cannot read the pinned document {options.pinned}: {exc.strerror or exc}"
        return report
    except PipelineError as exc:
        report.error = str(exc)
        return report
    except UnicodeDecodeError:
        report.error = f"the pinned document {options.pinned} is not UTF-8"
        return report
    report.live_sha256 = sha256(prepared.normalized_text)
    report.live_upstream_sha256 = sha256(prepared.upstream_text)
    live = prepared.normalized
    if prepared.normalized_text == base_text or live == base:
        report.notes.append("the documents are identical once normalized: nothing to compare")
        return report
    report.changes = _document_changes(base, live, left_out)
    if options.base is not None:
        report.notes.append(
            "--base given: the Python API and the overlay are compared only for the pinned pair"
        )
        return report
    with tempfile.TemporaryDirectory(prefix="specpipe-drift-") as tmp:
        _python_api(options, prepared.normalized_text, Path(tmp), report)
    for operation in report.left_out:
        left_out.setdefault((operation["method"], operation["path"]), operation["reason"])
    report.changes = _document_changes(base, live, left_out)
    _overlay(options, base, live, report)
    return report


def _prepare(source: Source, notes: list[str]) -> Prepared:
    """`generate.prepare`, except that a document failing OpenAPI validation is still compared (as strict
    as the contract, no stricter): the failure becomes a note."""
    try:
        return prepare(source)
    except SpecError as exc:
        if "is not valid OpenAPI" not in str(exc):
            raise
        notes.append(f"{exc}; compared anyway")
    upstream = parse_document(source.content, source.label)
    openapi3, _ = ensure_openapi3(upstream, source.label)
    normalized, fixups = normalize(openapi3)
    return Prepared(
        upstream_text=dump_json(upstream),
        normalized_text=dump_json(normalized),
        normalized_yaml="",
        normalized=normalized,
        fixups=fixups,
        notes=[],
    )


def _pinned_base(pinned: Path, document: dict[str, Any]) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """The pinned upstream document normalized, with the operations generation left out of the client
    (from upstream.meta.json), or the pinned document itself when there is no upstream copy beside it."""
    upstream = pinned.parent / UPSTREAM
    meta = read_meta(pinned.parent / UPSTREAM_META) or {}
    left_out = {
        (str(op.get("method")), str(op.get("path"))): str(op.get("reason", ""))
        for op in meta.get("left_out", [])
        if isinstance(op, dict)
    }
    try:
        text = upstream.read_bytes()
    except OSError:
        return document, left_out
    openapi3, _ = ensure_openapi3(parse_document(text, str(upstream)), str(upstream))
    normalized, _ = normalize(openapi3)
    return normalized, left_out


def _document_changes(
    base: dict[str, Any], live: dict[str, Any], left_out: dict[tuple[str, str], str]
) -> list[Change]:
    own = compare_documents(base, live, left_out)
    return sort_changes([*own, *other_differences(base, live, own)])


def _python_api(options: Options, live_text: str, workdir: Path, report: DriftReport) -> None:
    if not options.generated.is_dir():
        report.notes.append(
            f"no committed package at {_shown_path(options.generated)}: Python API not compared"
        )
        return
    try:
        built = build_client(json.loads(live_text), workdir, "the live document")
        config = write_generator_config(workdir, built.binary_media_types)
        write_route_modules(built.package, built.document, config)
        finish_package(built.package)
    except PipelineError as exc:
        report.changes = sort_changes(
            [
                *report.changes,
                Change("generation-failed", BREAKING, "#", f"Cannot generate the client: {exc}", "pipeline"),
            ]
        )
        return
    report.left_out = [operation.as_dict() for operation in built.left_out]
    report.python_api = compare_api(read_api(options.generated), read_api(built.package))


def _overlay(options: Options, pinned: dict[str, Any], live: dict[str, Any], report: DriftReport) -> None:
    try:
        operations = declared_overlay_operations([options.overlay, REPO_ROOT / "generated"])
    except PipelineError as exc:
        report.notes.append(f"overlay not checked: {exc}")
        return
    left_out = {(op["method"], op["path"]): op["reason"] for op in report.left_out}
    report.overlay = overlay_impact(operations, pinned, live, left_out)


def _json_object(data: bytes, path: Path) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise SpecError(f"the pinned document {path} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise SpecError(f"the pinned document {path} is not a JSON object")
    return document


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def write_reports(report: DriftReport, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / REPORT_JSON, out / REPORT_MD
    markdown = render_markdown(report)
    json_path.write_text(render_json(report), encoding="utf-8")
    md_path.write_text(markdown, encoding="utf-8")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    return json_path, md_path


def exit_code(report: DriftReport, fail_on: str) -> int:
    status = report.status
    if status == "unavailable":
        return 1
    if fail_on == "breaking":
        return 1 if status == "breaking" else 0
    if fail_on == "overlay":
        return 1 if any(change.severity == BREAKING for change in report.overlay) else 0
    if fail_on == "any":
        return 1 if status != "none" else 0
    return 0


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        prog="nox -s drift --", description="Compare the live vendor document with the pinned copy."
    )
    parser.add_argument(
        "--url", help="revision: docs page, document URL or local file (default: as `nox -s generate`)"
    )
    parser.add_argument(
        "--base",
        help="base document (URL or local file) to compare with instead of the pinned one; the Python API "
        "and overlay checks then do not run",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="what to print: a short summary (text, default), the Markdown or JSON report, GitHub Actions "
        "workflow commands (githubactions) or JUnit XML (junit, also written to drift-report.xml)",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "build" / "drift", help="report folder (default build/drift)"
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="breaking",
        help="drift that makes the run fail (default: breaking)",
    )
    parser.add_argument(
        "--timeout", type=positive_seconds, default=20.0, help="network timeout in seconds (default 20)"
    )
    parser.add_argument(
        "--pinned", type=Path, default=REPO_ROOT / "openapi" / NORMALIZED, help="pinned document"
    )
    parser.add_argument(
        "--generated",
        type=Path,
        default=REPO_ROOT / "generated" / PACKAGE,
        help="committed package to compare with",
    )
    parser.add_argument("--overlay", type=Path, default=REPO_ROOT / "overlay", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return Options(
        args.url,
        args.base,
        args.format,
        args.pinned,
        args.generated,
        args.overlay,
        args.out,
        args.fail_on,
        args.timeout,
    )


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    report = check(options)
    json_path, md_path = write_reports(report, options.out)
    if options.format == "text":
        summary = report.to_json()["summary"]
        print(
            f"drift:    {report.status} ({summary['breaking']} breaking, {summary['non_breaking']} non-breaking)"
        )
        print(f"base:     {report.pinned_path or '-'}")
        print(f"live:     {report.live_source or '-'}")
        print(f"reports:  {json_path}, {md_path}")
    elif options.format == "junit":
        xml = render_junit(report)
        (options.out / REPORT_JUNIT).write_text(xml, encoding="utf-8")
        print(xml, end="")
    else:
        renderers = {"markdown": render_markdown, "json": render_json, "githubactions": render_github_actions}
        print(renderers[options.format](report), end="")
    if report.error is not None:
        print(f"error: {report.error}", file=sys.stderr)
    code = exit_code(report, options.fail_on)
    if code and report.error is None:
        print(
            f"error: {report.status} drift fails --fail-on {options.fail_on}; see {md_path}", file=sys.stderr
        )
    return code
