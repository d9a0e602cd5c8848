"""`nox -s drift`: compare the live vendor document with the pinned copy and rate the drift for clients.

The live document is found and fetched exactly as `nox -s generate` does it (``--url``, else
``$DIMESCHEDULER_DOCS_URL``, else the vendor's docs page; docs pages are searched for the document link),
then parsed, converted and normalized with the same fix-ups. It is compared with the pinned
``openapi/dimescheduler.json`` by ``redocly diff`` (pinned @redocly/cli) and by the pipeline's own check
(`drift_compare`), merged into one list of `Change`s. The client is then regenerated from the live
document into a temporary folder and its public API compared with the committed
``generated/dimescheduler_raw``; overlay accessor methods whose operation disappeared are listed.
Nothing under ``openapi/`` or ``generated/`` is ever written.

Exit status: 1 when the live document cannot be fetched, parsed or validated (status ``unavailable``,
whatever ``--fail-on`` says: a check that did not run never passes), 1 when the drift reaches
``--fail-on`` (``breaking``, the default: breaking drift; ``overlay``: breaking drift for an overlay
method (renamed raw models and functions alone pass); ``any``: any drift; ``never``: report only),
else 0.

``drift-report.json`` (``schema_version`` 1; keys are only ever added within a schema version)::

    {
      "schema_version": 1,
      "status": "none" | "non-breaking" | "breaking" | "unavailable",
      "error": null | "<one line: why the live document could not be checked>",
      "live": {
        "source": "<URL or path the document came from, secrets masked>" | null,
        "via": "direct" | "file" | "well-known" | "<link kind on a docs page>" | null,
        "sha256": "<SHA-256 of the normalized live document as `nox -s generate` would write
                   openapi/dimescheduler.json: equal to pinned.sha256 iff regenerating changes nothing>",
        "upstream_sha256": "<SHA-256 of the live document as openapi/upstream.json would hold it,
                            comparable with openapi/upstream.meta.json>"
      },
      "pinned": {"path": "<pinned document>", "sha256": "<SHA-256 of its bytes>" | null},
      "summary": {"breaking": <int>, "non_breaking": <int>},   # over the three lists below
      "changes": [                         # the document comparison, breaking first
        {"class": "<see below>", "severity": "breaking" | "non-breaking",
         "location": "<JSON pointer, e.g. #/components/schemas/Job/properties/jobNo>",
         "message": "<one line>", "source": "redocly" | "pipeline"}
      ],
      "python_api": [                      # public API of the regenerated dimescheduler_raw vs generated/
        {"kind": "removed" | "changed" | "added", "severity": "breaking" | "non-breaking",
         "object": "<dotted name>", "message": "<one line>"}
      ],
      "overlay": [                         # accessor methods the live document breaks (drift_overlay.py)
        {"accessor": "<accessor.method, e.g. jobs.get_all>", "operation": "<METHOD /path>",
         "kind": "route-removed" | "left-out" | "model-removed" | "field-removed" | "field-changed",
         "severity": "breaking", "message": "<one line>"}
      ],
      "left_out": [                        # operations `nox -s generate` would leave out of the client
        {"method": "<METHOD>", "path": "<path template>", "reason": "<one line>"}
      ],
      "notes": ["<one line: a check that could not run, a skipped step>"]
    }

``status`` is ``breaking`` if any entry of the three lists is breaking, ``non-breaking`` if there are
entries but none breaking, ``none`` if all three are empty. Change classes, breaking unless marked
(``*`` means: breaking or not depending on the direction the schema travels):

- paths and operations: ``path-removed``, ``operation-removed``, ``operation-id-changed`` (the Python
  function is renamed), ``path-added`` / ``operation-added`` (non-breaking)
- parameters: ``parameter-removed`` (also renamed or moved), ``parameter-became-required`` (also a new
  required one), ``parameter-serialization-changed``, ``parameter-added`` / ``parameter-no-longer-required``
  (non-breaking)
- bodies and responses: ``request-body-removed``, ``request-body-became-required``, ``response-removed``,
  ``response-header-removed``, ``media-type-removed``, ``request-body-added`` / ``response-added`` /
  ``media-type-added`` (non-breaking)
- schemas: ``schema-removed``, ``property-removed`` (also renamed), ``type-changed`` (also nullability and
  a changed ``$ref``), ``format-changed``, ``constraint-changed`` (tightened, as redocly rates it),
  ``combinator-changed``, ``enum-values-removed``, ``enum-values-added`` (* breaking when the schema is
  read from responses), ``property-became-required`` (* breaking when sent in requests),
  ``property-no-longer-required`` (* breaking when read from responses), ``schema-added`` /
  ``property-added`` (non-breaking)
- ``security-changed`` (requirements or a scheme), ``servers-changed`` (a server removed or changed;
  only added: non-breaking), ``security-scheme-added`` (non-breaking)
- ``generation-failed``: the client cannot be generated from the live document
- ``other`` (non-breaking): an operation, component or top-level section (``info``, ``tags``, ...)
  differs without any of the above inside it (descriptions, examples, extensions)
- ``redocly:<rule-id>``: a verdict of a redocly rule this version does not know
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

from .drift_changes import BREAKING, Change, merge, sort_changes
from .drift_compare import compare_documents
from .drift_other import other_differences
from .drift_overlay import declared_overlay_operations, overlay_impact
from .drift_python_api import compare_api, read_api
from .drift_redocly import located, redocly_diff
from .drift_report import DriftReport, render_json, render_markdown
from .errors import PipelineError, SpecError
from .fetch import DEFAULT_DOCS_URL, display_url
from .generate import (
    NORMALIZED,
    PACKAGE,
    REPO_ROOT,
    build_client,
    finish_package,
    positive_seconds,
    prepare,
    resolve_source,
    sha256,
    write_generator_config,
)
from .routes import write_route_modules

FAIL_ON: Final = ("breaking", "overlay", "any", "never")
REPORT_JSON: Final = "drift-report.json"
REPORT_MD: Final = "drift-report.md"


@dataclass(frozen=True)
class Options:
    url: str | None
    pinned: Path
    generated: Path
    overlay: Path
    out: Path
    fail_on: str
    timeout: float


def check(options: Options) -> DriftReport:
    """Run every check; failures to get the live document end up in ``report.error``, not as exceptions."""
    report = DriftReport(pinned_path=_shown_path(options.pinned))
    # the same choice resolve_source makes; shown in the report even when the fetch fails
    report.live_source = display_url(
        options.url or os.environ.get("DIMESCHEDULER_DOCS_URL") or DEFAULT_DOCS_URL
    )
    try:
        pinned_bytes = options.pinned.read_bytes()
        report.pinned_sha256 = hashlib.sha256(pinned_bytes).hexdigest()
        pinned = _json_object(pinned_bytes, options.pinned)
        source = resolve_source(
            options.url,
            offline=False,
            strict=True,
            timeout=options.timeout,
            openapi_dir=options.pinned.parent,
        )
        report.live_source = display_url(source.url or source.label)
        report.live_via = source.via
        prepared = prepare(source)
    except OSError as exc:
        report.error = f"cannot read the pinned document {options.pinned}: {exc.strerror or exc}"
        return report
    except PipelineError as exc:
        report.error = str(exc)
        return report
    report.live_sha256 = sha256(prepared.normalized_text)
    report.live_upstream_sha256 = sha256(prepared.upstream_text)
    live = prepared.normalized
    identical = prepared.normalized_text.encode("utf-8") == pinned_bytes
    with tempfile.TemporaryDirectory(prefix="specpipe-drift-") as tmp:
        live_path = Path(tmp) / NORMALIZED
        live_path.write_text(prepared.normalized_text, encoding="utf-8")
        report.changes = _document_changes(options.pinned, live_path, pinned, live, report.notes)
        if identical:
            report.notes.append(
                "the live document is byte-identical to the pinned copy: client not regenerated"
            )
        else:
            _python_api(options, prepared.normalized_text, Path(tmp), report)
    _overlay(options, pinned, live, report)
    return report


def _document_changes(
    pinned_path: Path, live_path: Path, pinned: dict[str, Any], live: dict[str, Any], notes: list[str]
) -> list[Change]:
    own = compare_documents(pinned, live)
    try:
        found_by_redocly = located(redocly_diff(pinned_path, live_path), pinned, live)
    except PipelineError as exc:
        notes.append(f"redocly diff did not run, only the pipeline's own comparison was made: {exc}")
        found_by_redocly = []
    merged = merge(found_by_redocly, own)
    return sort_changes([*merged, *other_differences(pinned, live, merged)])


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
    parser.add_argument("--url", help="docs page, document URL or local file (default: as `nox -s generate`)")
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
    return Options(args.url, args.pinned, args.generated, args.overlay, args.out, args.fail_on, args.timeout)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    report = check(options)
    json_path, md_path = write_reports(report, options.out)
    summary = report.to_json()["summary"]
    print(
        f"drift:    {report.status} ({summary['breaking']} breaking, {summary['non_breaking']} non-breaking)"
    )
    print(f"live:     {report.live_source or '-'}")
    print(f"reports:  {json_path}, {md_path}")
    if report.error is not None:
        print(f"error: {report.error}", file=sys.stderr)
    code = exit_code(report, options.fail_on)
    if code and report.error is None:
        print(
            f"error: {report.status} drift fails --fail-on {options.fail_on}; see {md_path}", file=sys.stderr
        )
    return code
