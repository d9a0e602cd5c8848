"""`nox -s downstream`: generate SDKs from the normalized document with the generators people use, prove each works.

Checks (``CHECKS``; ``--only`` picks some, ``--fast`` the quick ones pytest runs):

- ``openapi-typescript``: types from the 3.1 document, ``tsc --strict --noEmit``;
- ``datamodel-code-generator``: pydantic v2 models from the 3.1 document; the module imports and a minimal
  sample of every component schema validates against its model;
- ``og-python``: OpenAPI Generator ``python`` from the 3.0 twin; every module imports and one call reaches a
  local server on 127.0.0.1;
- ``og-typescript-fetch``: OpenAPI Generator ``typescript-fetch`` from the 3.0 twin, ``tsc --strict --noEmit``;
- ``hey-api``: @hey-api/openapi-ts from the 3.1 document, ``tsc --strict --noEmit``.

A warning a generator prints fails its check, except a warning it prints on a minimal valid document too
(``CONTROL``): that is the generator's own noise, which no document can avoid, and is listed as such.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .errors import PipelineError
from .node import SCRIPTS_DIR, node_tool
from .openapi30 import to_openapi30, validate_openapi30

REPO_ROOT: Final = SCRIPTS_DIR.parent
DEFAULT_SPEC: Final = REPO_ROOT / "openapi" / "dimescheduler.json"
DEFAULT_OUT: Final = REPO_ROOT / "build" / "downstream"
DOWNSTREAM_NODE_DIR: Final = SCRIPTS_DIR / "downstream"
TIMEOUT: Final = 900
# OpenAPI Generator's typescript-fetch writes duplicate imports for a `oneOf: [X, X[]]` model unless array
# schemas are models too, and cannot serialise a body whose entity has no documented fields with its
# runtime checks: both are template limits, not document problems (README, "For SDK maintainers").
TYPESCRIPT_FETCH_OPTIONS: Final = (
    "--generate-alias-as-model",
    "--additional-properties=withoutRuntimeChecks=true",
)
TSCONFIG: Final = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "es2022",
        "module": "esnext",
        "moduleResolution": "bundler",
        "lib": ["es2022", "dom", "dom.iterable"],
        "skipLibCheck": True,
    },
    "include": ["**/*.ts"],
}
CONTROL: Final = {
    "openapi": "3.0.3",
    "info": {"title": "control", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "operationId": "getA",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                    }
                },
            }
        }
    },
    "components": {"schemas": {"A": {"type": "object", "properties": {"name": {"type": "string"}}}}},
}
_SAMPLE_PATTERNS: Final = {
    "^#[0-9A-Fa-f]{6}$": "#3366FF",
    r"^-?(\d+\.)?\d{2}:\d{2}:\d{2}(\.\d{1,7})?$": "01:30:00",
}
_SAMPLE_FORMATS: Final = {
    "date-time": "2024-05-01T08:00:00Z",
    "date": "2024-05-01",
    "email": "planner@example.com",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uri": "https://example.com/",
    "duration": "PT1H",
}


@dataclass
class Result:
    name: str
    ok: bool
    seconds: float
    summary: str
    problems: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    spec: Path  # the 3.1 document
    spec30: Path  # its 3.0 twin
    document: dict[str, Any]
    out: Path


def run(
    command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[int, str]:
    proc = subprocess.run(
        list(command),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return proc.returncode, proc.stdout + proc.stderr


def warning_lines(output: str) -> list[str]:
    found = []
    for line in output.splitlines():
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
        if re.search(r"\bWARN(ING)?\b|⚠|Warning:", plain, re.IGNORECASE):
            found.append(plain)
    return found


def tsc(folder: Path) -> list[str]:
    (folder / "tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2), encoding="utf-8")
    code, output = run([downstream_tool("tsc"), "-p", str(folder)])
    errors = [line for line in output.splitlines() if "error TS" in line]
    return errors or ([f"tsc exited {code}: {output.strip()[-300:]}"] if code else [])


def exported(folder: Path) -> str:
    files = list(folder.rglob("*.ts"))
    pattern = re.compile(
        r"^export (?:interface|type|enum|class|const|function|async function) ", re.MULTILINE
    )
    names = sum(len(pattern.findall(path.read_text(encoding="utf-8"))) for path in files)
    return f"{len(files)} .ts files, {names} exported declarations,"


def downstream_tool(name: str) -> str:
    """A Node tool from scripts/downstream/package-lock.json, installed with `npm ci` on first use."""
    bin_dir = DOWNSTREAM_NODE_DIR / "node_modules" / ".bin"
    if not (bin_dir / "openapi-ts").exists() or not (bin_dir / "tsc").exists():
        npm = shutil.which("npm")
        if npm is None:
            raise PipelineError("npm not found: install Node.js 20+")
        code, output = run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
            cwd=DOWNSTREAM_NODE_DIR,
        )
        if code:
            raise PipelineError(f"npm ci in scripts/downstream failed: {output.strip()[-300:]}")
    return str(bin_dir / name)


def openapi_generator(ctx: Context, generator: str, spec: Path, out: Path, *options: str) -> tuple[int, str]:
    shutil.rmtree(out, ignore_errors=True)
    command = [str(Path(sys.executable).parent / "openapi-generator-cli"), "generate", "-g", generator]
    return run([*command, "-i", str(spec), "-o", str(out), *options])


def split_noise(
    ctx: Context, warnings: list[str], control: Callable[[Path], list[str]]
) -> tuple[list[str], list[str]]:
    """(warnings caused by the document, warnings the generator also prints on the control document)."""
    if not warnings:
        return [], []
    folder = ctx.out / "control"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "control.json"
    path.write_text(json.dumps(CONTROL), encoding="utf-8")
    known = set(control(path))
    return [w for w in warnings if w not in known], sorted({w for w in warnings if w in known})


# --- the checks ---------------------------------------------------------------------------------------


def check_openapi_typescript(ctx: Context) -> Result:
    folder = ctx.out / "openapi-typescript"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    code, output = run(
        [node_tool("openapi-typescript"), str(ctx.spec), "-o", str(folder / "schema.d.ts")], cwd=folder
    )
    problems = warning_lines(output) + [line for line in output.splitlines() if "error" in line.lower()]
    if code:
        problems.append(f"openapi-typescript exited {code}")
    problems += tsc(folder)
    return Result("openapi-typescript", not problems, 0, "types compile under tsc --strict", problems)


def check_datamodel_code_generator(ctx: Context) -> Result:
    folder = ctx.out / "datamodel-code-generator"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    module = folder / "dm_models.py"
    command = [
        str(Path(sys.executable).parent / "datamodel-codegen"),
        "--input", str(ctx.spec), "--input-file-type", "openapi",
        "--output-model-type", "pydantic_v2.BaseModel", "--target-python-version", "3.11",
        "--formatters", "builtin", "--output", str(module),
    ]  # fmt: skip
    code, output = run(command)
    problems = warning_lines(output)
    if code:
        return Result(
            "datamodel-code-generator", False, 0, "", [*problems, f"exited {code}: {output[-300:]}"]
        )
    samples = {name: minimal(ctx.document, schema) for name, schema in component_schemas(ctx.document)}
    (folder / "samples.json").write_text(json.dumps(samples), encoding="utf-8")
    code, output = run([sys.executable, "-c", _VALIDATE_MODELS, str(folder)])
    if code:
        problems += output.strip().splitlines()[-20:]
    classes = len(re.findall(r"^class ", module.read_text(encoding="utf-8"), re.MULTILINE))
    summary = f"{classes} classes import; {len(samples)} schema samples validate"
    return Result("datamodel-code-generator", not problems, 0, summary, problems)


_VALIDATE_MODELS: Final = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import dm_models
from pydantic import TypeAdapter
failed = []
for name, sample in json.loads((Path(sys.argv[1]) / "samples.json").read_text()).items():
    model = getattr(dm_models, name, None)
    if model is None:
        failed.append(f"{name}: no model")
        continue
    try:
        TypeAdapter(model).validate_python(sample)
    except Exception as exc:
        failed.append(f"{name}: {str(exc).splitlines()[0]} for {sample!r}"[:300])
for line in failed:
    print(line)
sys.exit(1 if failed else 0)
"""


def og_python_control(path: Path) -> list[str]:
    out = path.parent / "og-python"
    shutil.rmtree(out, ignore_errors=True)
    command = [str(Path(sys.executable).parent / "openapi-generator-cli"), "generate", "-g", "python"]
    return warning_lines(run([*command, "-i", str(path), "-o", str(out), "--package-name", "control"])[1])


def check_og_python(ctx: Context) -> Result:
    folder = ctx.out / "og-python"
    code, output = openapi_generator(ctx, "python", ctx.spec30, folder, "--package-name", "dimescheduler_og")
    problems, noise = split_noise(ctx, warning_lines(output), og_python_control)
    if code:
        return Result("og-python", False, 0, "", [*problems, f"exited {code}: {output[-300:]}"], noise)
    call = call_target(ctx.document)
    code, output = run([sys.executable, "-c", _IMPORT_AND_CALL, str(folder), *call])
    if code:
        problems += output.strip().splitlines()[-20:]
    summary = output.strip().splitlines()[-1] if output.strip() else ""
    return Result("og-python", not problems, 0, summary, problems, noise)


def call_target(document: dict[str, Any]) -> tuple[str, str, str]:
    """(API class, method, path) of the first parameterless GET answering an array: the one call made."""
    for path, item in document.get("paths", {}).items():
        operation = item.get("get")
        if not operation or operation.get("parameters") or "{" in path:
            continue
        schema = (
            operation["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema")
        )
        if isinstance(schema, dict) and schema.get("type") == "array":
            tag = re.sub(r"[^A-Za-z0-9]", "", operation["tags"][0])
            method = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", operation["operationId"]).lower()
            return f"{tag[:1].upper()}{tag[1:]}Api", method, path
    raise PipelineError("the document has no parameterless GET answering an array to call")


_IMPORT_AND_CALL: Final = r"""
import importlib, json, pkgutil, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, sys.argv[1])
import dimescheduler_og
modules = [m.name for m in pkgutil.walk_packages(dimescheduler_og.__path__, "dimescheduler_og.")]
for name in modules:
    importlib.import_module(name)
seen = []
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        seen.append((self.path, self.headers.get("X-API-KEY")))
        body = b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
api_class, method, path = sys.argv[2:5]
config = dimescheduler_og.Configuration(host=f"http://127.0.0.1:{server.server_address[1]}")
config.api_key["ApiKey"] = "k"
with dimescheduler_og.ApiClient(config) as client:
    result = getattr(getattr(dimescheduler_og, api_class)(client), method)()
server.shutdown()
assert result == [], result
assert seen and seen[0][0] == path, seen
print(f"{len(modules)} modules import; {api_class}.{method}() -> GET {path} on 127.0.0.1 answered")
"""


def og_typescript_control(path: Path) -> list[str]:
    out = path.parent / "og-typescript-fetch"
    shutil.rmtree(out, ignore_errors=True)
    command = [
        str(Path(sys.executable).parent / "openapi-generator-cli"),
        "generate",
        "-g",
        "typescript-fetch",
    ]
    return warning_lines(run([*command, "-i", str(path), "-o", str(out), *TYPESCRIPT_FETCH_OPTIONS])[1])


def check_og_typescript_fetch(ctx: Context) -> Result:
    folder = ctx.out / "og-typescript-fetch"
    code, output = openapi_generator(ctx, "typescript-fetch", ctx.spec30, folder, *TYPESCRIPT_FETCH_OPTIONS)
    problems, noise = split_noise(ctx, warning_lines(output), og_typescript_control)
    if code:
        return Result(
            "og-typescript-fetch", False, 0, "", [*problems, f"exited {code}: {output[-300:]}"], noise
        )
    errors = tsc(folder)
    problems += errors[:20] + ([f"... {len(errors)} tsc errors in all"] if len(errors) > 20 else [])
    return Result(
        "og-typescript-fetch",
        not problems,
        0,
        f"{exported(folder)} compile under tsc --strict",
        problems,
        noise,
    )


def check_hey_api(ctx: Context) -> Result:
    folder = ctx.out / "hey-api"
    shutil.rmtree(folder, ignore_errors=True)
    code, output = run([downstream_tool("openapi-ts"), "-i", str(ctx.spec), "-o", str(folder)], cwd=ctx.out)
    problems = warning_lines(output)
    if code:
        return Result("hey-api", False, 0, "", [*problems, f"exited {code}: {output[-300:]}"])
    errors = tsc(folder)
    problems += errors[:20]
    return Result("hey-api", not problems, 0, f"{exported(folder)} compile under tsc --strict", problems)


CHECKS: Final[dict[str, Callable[[Context], Result]]] = {
    "openapi-typescript": check_openapi_typescript,
    "datamodel-code-generator": check_datamodel_code_generator,
    "og-python": check_og_python,
    "og-typescript-fetch": check_og_typescript_fetch,
    "hey-api": check_hey_api,
}
FAST: Final = ("openapi-typescript", "datamodel-code-generator", "og-python")
JAVA_CHECKS: Final = frozenset({"og-python", "og-typescript-fetch"})


# --- minimal samples ------------------------------------------------------------------------------


def component_schemas(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    schemas = document.get("components", {}).get("schemas", {})
    return [(name, schema) for name, schema in schemas.items() if isinstance(schema, dict)]


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def minimal(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The smallest value ``schema`` accepts: required properties only, first enum value, empty arrays."""
    schema = resolve(document, schema)
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("oneOf", "anyOf", "allOf"):
        members = [resolve(document, m) for m in schema.get(key, [])]
        members = [m for m in members if m.get("type") != "null"]
        if members:
            return minimal(document, members[0])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: minimal(document, properties.get(name, {})) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal(document, schema.get("items", {})) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        if "pattern" in schema:
            sample = _SAMPLE_PATTERNS.get(schema["pattern"])
            if sample is None:
                raise PipelineError(f"no sample for the string pattern {schema['pattern']!r}")
            return sample
        return _SAMPLE_FORMATS.get(schema.get("format", ""), "X")
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    return True if kind == "boolean" else None


# --- main ---------------------------------------------------------------------------------------------


def prepare(spec: Path, out: Path) -> Context:
    document = json.loads(spec.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    twin = to_openapi30(document)
    validate_openapi30(twin)
    spec30 = out / "openapi-3.0.json"
    spec30.write_text(json.dumps(twin, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Context(spec.resolve(), spec30, document, out)


def run_checks(spec: Path, out: Path, names: Sequence[str]) -> list[Result]:
    ctx = prepare(spec, out)
    results = []
    for name in names:
        started = time.monotonic()
        try:
            result = CHECKS[name](ctx)
        except (PipelineError, subprocess.TimeoutExpired, OSError) as exc:
            result = Result(name, False, 0, "", [str(exc)])
        result.seconds = time.monotonic() - started
        results.append(result)
    return results


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="normalized OpenAPI 3.1 document")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="work folder (default build/downstream)"
    )
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(CHECKS)}")
    parser.add_argument("--fast", action="store_true", help=f"only {', '.join(FAST)}")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(FAST) if args.fast else [n for n in args.only.split(",") if n] or list(CHECKS)
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        print(f"error: unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECKS)}", file=sys.stderr)
        return 2
    if JAVA_CHECKS & set(names) and shutil.which("java") is None:
        print(
            "error: java not found: OpenAPI Generator needs Java 11+ (install a JRE, or pass --only)",
            file=sys.stderr,
        )
        return 2
    try:
        results = run_checks(args.spec, args.out, names)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for result in results:
        status = "ok  " if result.ok else "FAIL"
        print(f"{status} {result.name:<26} {result.seconds:5.1f} s  {result.summary}")
        for line in result.noise:
            print(f"       generator noise (also on a minimal document): {line}")
        for line in result.problems:
            print(f"       {line}")
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(f"error: {len(failed)} downstream check(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"{len(results)} generator(s): every SDK generates without warnings and imports or compiles")
    return 0
