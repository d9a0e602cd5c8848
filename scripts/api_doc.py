"""Write api.md (the API reference at the repository root) from the overlay's own accessor documentation.

    python scripts/api_doc.py            # rewrite api.md
    python scripts/api_doc.py --check    # exit 1 (and say so) when api.md is not what the code says

Every accessor of `DimeSchedulerClient`, in declaration order, with each method's signature (concrete model
names of `dimescheduler_openapi.models`), route, what it sends, what it returns and what it raises: the
same facts `help(client.<accessor>)` shows, read from `_resources._docs.method_docs`. A test runs `--check`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
API_MD = REPO / "api.md"

for _path in (REPO / "generated", REPO / "overlay"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from dimescheduler_openapi import DimeSchedulerClient  # noqa: E402
from dimescheduler_openapi._resources import RAW_ONLY, SyncResources, declared_operations  # noqa: E402
from dimescheduler_openapi._resources._docs import (  # noqa: E402
    COMMON_ERRORS,
    MUTATION_RETURNS,
    MethodDoc,
    method_docs,
)

HEADER = """\
# API reference

<!-- Written by `python scripts/api_doc.py` from the overlay's code; do not edit by hand (a test runs
`python scripts/api_doc.py --check`). -->

Every accessor of `DimeSchedulerClient` (`client.<accessor>.<method>(...)`), its methods, the API route
each sends, what it takes and what it returns. `AsyncDimeSchedulerClient` has the same accessors and
methods: `await` them (`iter_all` is an async iterator there). `help(client.<accessor>)` shows the same.

- Models: the names below are in `dimescheduler_openapi.models`, bound to the route they are used with
  (`<Entity>` the `POST`/`PUT` body, `<Entity>ListItem` the `GET` answer, `<Entity>Delete` the `DELETE`
  body). Wherever a model is taken, a dict in the API's JSON casing is too (`Mapping[str, Any]`), and
  wherever one or several are, a list of them (models and dicts mixed).
- Writes return `MutationResult`: {mutation}.
- Reads are lenient: an answer of the documented shape always becomes the typed model (fields it leaves out
  are `UNSET`, null is `None`, unknown keys stay in `additional_properties`, a value of another type is kept
  as received with a `ResponseValueWarning`); `strict_responses=True` on the client, or a
  `with dimescheduler_openapi.strict_responses():` block, raises `UnexpectedResponseError` naming the field.
- A route the vendor document no longer has raises `UnsupportedOperationError` before anything is sent; a
  route the vendor documents but generation left out is still sent, with untyped JSON (said at the method).
- Every method also takes keyword-only `timeout` (seconds per network wait, or an `httpx.Timeout`) and
  `deadline` (seconds for the whole call, retries included); they are left out of the signatures below.
- Errors every method can raise ("the usual errors" below): {common}.
  All are in `dimescheduler_openapi`, under `DimeSchedulerError`.
- Raw-only operations (no accessor; use `dimescheduler_raw.api`): {raw}.
"""


def _title(accessor: str) -> str:
    return " ".join(part.title() for part in accessor.split("_"))


def _short_signature(doc: MethodDoc) -> str:
    """The signature without `timeout` and `deadline` (and the bare `*` left behind by them)."""
    head, _, returns = doc.signature.rpartition(" -> ")
    params = [p for p in _split_params(head[1:-1]) if not p.startswith(("timeout:", "deadline:"))]
    while params and params[-1] == "*":
        params.pop()
    return f"({', '.join(params)}) -> {returns}"


def _split_params(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def _raises(doc: MethodDoc) -> str:
    extra = doc.raises.removesuffix(COMMON_ERRORS).rstrip("; ")
    return f"{extra}; the usual errors" if extra else "the usual errors"


def render() -> str:
    raw = ", ".join(f"`{e.method} {e.path}` ({why})" for e, why in RAW_ONLY.items())
    common = COMMON_ERRORS.replace("; ", ", ")
    lines = [HEADER.format(mutation=MUTATION_RETURNS.split(": ", 1)[1], common=common, raw=raw)]
    client = DimeSchedulerClient(api_key="api-doc", environment="http://127.0.0.1:9")
    try:
        for accessor in declared_operations(SyncResources):
            docs = method_docs(type(getattr(client, accessor)))
            types = sorted({name for doc in docs for name in doc.types})
            lines.append(f"## {_title(accessor)}: `client.{accessor}`\n")
            if types:
                lines.append("Types:\n")
                lines.append(f"```python\nfrom dimescheduler_openapi.models import {', '.join(types)}\n```\n")
            lines.append("Methods:\n")
            for doc in docs:
                route = f"{doc.endpoint.method} {doc.endpoint.path}"
                returns = "`MutationResult`" if doc.returns.startswith("`MutationResult`") else doc.returns
                lines.append(
                    f"- `client.{accessor}.{doc.name}{_short_signature(doc)}`  \n"
                    f"  **{route}**. {doc.summary}  \n"
                    f"  Sends: {doc.sends}.  \n"
                    f"  Returns: {returns}.  \n"
                    f"  Raises: {_raises(doc)}."
                )
            lines.append("")
    finally:
        client.close()
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write api.md from the overlay's accessor documentation.")
    parser.add_argument("--check", action="store_true", help="fail when api.md is stale; write nothing")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = API_MD.read_text(encoding="utf-8") if API_MD.exists() else ""
        if current != text:
            print("api.md is stale: run `python scripts/api_doc.py` and commit the result", file=sys.stderr)
            return 1
        print("api.md is up to date")
        return 0
    API_MD.write_text(text, encoding="utf-8")
    print(f"wrote {API_MD.relative_to(REPO)} ({text.count(chr(10))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
