"""`nox -s downstream`: run the generators SDK maintainers pick, each with its DEFAULT options, on openapi/.

Every generator reads the 3.0 twin (``openapi/dimescheduler.openapi-3.0.json``, the document made for
generators); the three that read OpenAPI 3.1 read the client's own 3.1 document too (``GENERATORS``). Each
SDK is then proven:

- TypeScript ones (openapi-typescript, @hey-api/openapi-ts, orval, swagger-typescript-api, oazapfts,
  openapi-typescript-codegen, OpenAPI Generator typescript-fetch and typescript-axios) compile under
  ``tsc --strict``: one program over every SDK folder, each error charged to the SDK whose file it is in;
- Python ones (OpenAPI Generator python, openapi-python-generator, datamodel-code-generator) import every
  module and pass ``mypy --strict`` on a two-line use typed after the document (the list an operation
  answers, or one model); OpenAPI Generator python also makes that call against a server on 127.0.0.1, and
  a minimal sample of every component schema validates against its datamodel-code-generator model.

A line a generator prints counts as a warning unless it prints the same line (paths, title, numbers and
durations aside) on a minimal valid document (``CONTROL``, run each time to derive that baseline) or it is
a progress line (OpenAPI Generator's ``INFO``): such lines are the generator's own noise and are listed.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

from .errors import PipelineError
from .node import SCRIPTS_DIR, node_tool
from .openapi30 import openapi30_twin

REPO_ROOT: Final = SCRIPTS_DIR.parent
DEFAULT_SPEC: Final = REPO_ROOT / "openapi" / "dimescheduler.json"
DEFAULT_OUT: Final = REPO_ROOT / "build" / "downstream"
DOWNSTREAM_NODE_DIR: Final = SCRIPTS_DIR / "downstream"
NODE_BINS: Final = ("tsc", "openapi-ts", "orval", "swagger-typescript-api", "oazapfts", "openapi")
TIMEOUT: Final = 600
# Generation runs are short: the client compiler alone (C1) and the serial collector halve the JVM's CPU
# time. They are JVM options; OpenAPI Generator's own options stay at their defaults.
JVM_OPTIONS: Final = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
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
}
CONTROL: Final = {
    "openapi": "3.0.3",
    "info": {"title": "control", "version": "1"},
    "paths": {
        "/a": {
            "get": {
                "operationId": "getA",
                "tags": ["A"],
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
# Warnings our document causes that the twin does not shape away yet: printed as such, never silently.
# Empty: the one OpenAPI Generator's TypeScript generators printed (`Failed to get the schema name: null`,
# from list bodies of entities without documented fields) is shaped away by openapi30._free_form_list.
ACCEPTED: Final[dict[str, set[str]]] = {}  # generator lines caused by the document and not yet shaped away
_ANSI: Final = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PROGRESS: Final = re.compile(r"^\[[\w-]+\]\s+INFO\b")  # OpenAPI Generator's log lines at INFO level


@dataclass(frozen=True)
class Generator:
    """One generator: how to run it with its defaults, what it writes, which documents it reads."""

    name: str
    language: str  # "typescript" or "python"
    command: Callable[[Path, Path], list[str]]  # (document, output folder) -> argv, run in the folder
    reads_31: bool = False
    package: str = ""  # Python: the package or module the SDK is imported as


@dataclass
class Result:
    name: str
    ok: bool = True
    seconds: float = 0.0
    summary: str = ""
    problems: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    generated: bool = True  # False when the generator failed: there is no SDK to prove


@dataclass(frozen=True)
class Run:
    """One generator on one document: ``name`` is the generator's, with ``@3.1`` for the 3.1 document."""

    name: str
    generator: Generator
    spec: Path
    folder: Path
    document: dict[str, Any]


@dataclass(frozen=True)
class Context:
    spec: Path  # the 3.1 document
    spec30: Path  # its 3.0 twin, as `nox -s generate` writes it
    document: dict[str, Any]
    twin: dict[str, Any]
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


_INSTALL_LOCK = threading.Lock()


def downstream_tool(name: str) -> str:
    """A Node tool from scripts/downstream/package-lock.json, installed with `npm ci` on first use.

    Generators run on threads (and pytest on several processes): one `npm ci` at a time, under a thread lock
    and an advisory file lock, since two at once delete each other's node_modules (ENOTEMPTY).
    """
    bin_dir = DOWNSTREAM_NODE_DIR / "node_modules" / ".bin"
    with _INSTALL_LOCK, _file_lock(DOWNSTREAM_NODE_DIR):
        if not all((bin_dir / tool).exists() for tool in NODE_BINS):
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


@contextlib.contextmanager
def _file_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock named after ``folder`` (in the temp folder; none where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the thread lock alone
        yield
        return
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"dimescheduler-npm-ci-{digest}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def python_tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def openapi_generator(generator: str) -> Callable[[Path, Path], list[str]]:
    def command(spec: Path, out: Path) -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise PipelineError("java not found: OpenAPI Generator needs Java 11+ (install a JRE)")
        jar = resources.files("openapi_generator_cli") / "openapi-generator.jar"
        return [java, *JVM_OPTIONS, "-jar", str(jar), "generate", "-g", generator, "-i", str(spec), "-o", "."]

    return command


GENERATORS: Final = (
    Generator(
        "openapi-python-generator",
        "python",
        lambda spec, out: [python_tool("openapi-python-generator"), str(spec), "opg_client"],
        package="opg_client",
    ),
    Generator("og-python", "python", openapi_generator("python"), package="openapi_client"),
    Generator("og-typescript-fetch", "typescript", openapi_generator("typescript-fetch")),
    Generator("og-typescript-axios", "typescript", openapi_generator("typescript-axios")),
    Generator(
        "datamodel-code-generator",
        "python",
        lambda spec, out: [python_tool("datamodel-codegen"), "--input", str(spec), "--output", "models.py"],
        reads_31=True,
        package="models",
    ),
    Generator(
        "swagger-typescript-api",
        "typescript",
        lambda spec, out: [downstream_tool("swagger-typescript-api"), "generate", "-p", str(spec), "-o", "."],
    ),
    Generator(
        "hey-api",
        "typescript",
        lambda spec, out: [downstream_tool("openapi-ts"), "-i", str(spec), "-o", "client"],
        reads_31=True,
    ),
    Generator(
        "orval",
        "typescript",
        lambda spec, out: [downstream_tool("orval"), "--input", str(spec), "--output", "api.ts"],
    ),
    Generator(
        "openapi-typescript",
        "typescript",
        lambda spec, out: [node_tool("openapi-typescript"), str(spec), "-o", "schema.d.ts"],
        reads_31=True,
    ),
    Generator("oazapfts", "typescript", lambda spec, out: [downstream_tool("oazapfts"), str(spec), "api.ts"]),
    Generator(
        "openapi-typescript-codegen",
        "typescript",
        lambda spec, out: [downstream_tool("openapi"), "--input", str(spec), "--output", "client"],
    ),
)
BY_NAME: Final = {generator.name: generator for generator in GENERATORS}
FAST: Final = ("openapi-typescript", "datamodel-code-generator", "og-python")
JAVA: Final = frozenset({"og-python", "og-typescript-fetch", "og-typescript-axios"})


# --- generating, and telling warnings from noise ----------------------------------------------------


def generate(item: Run, title: str) -> tuple[int, list[str]]:
    """Run the generator in a fresh ``item.folder``: (exit code, its output lines normalized)."""
    shutil.rmtree(item.folder, ignore_errors=True)
    item.folder.mkdir(parents=True)
    code, output = run(item.generator.command(item.spec, item.folder), cwd=item.folder)
    return code, normalized_lines(output, (str(item.spec), str(item.folder)), title)


def normalized_lines(output: str, paths: Sequence[str], title: str) -> list[str]:
    """Output lines without colours, progress lines, paths, the title, numbers and durations."""
    lines = []
    for raw in output.splitlines():
        line = _ANSI.sub("", raw).strip()
        if not line or _PROGRESS.match(line):
            continue
        for path in sorted(paths, key=len, reverse=True):
            line = line.replace(path, "<path>")
        if title:
            line = line.replace(title, "<title>")
        line = re.sub(r"\b\d+(\.\d+)?\s*(ms|s|m)\b", "<time>", line)
        lines.append(re.sub(r"\d+", "0", line))
    return lines


def control_lines(ctx: Context, item: Run) -> set[str]:
    """What the generator prints on a minimal valid document of the same OpenAPI version."""
    version = "3.1" if item.name.endswith("@3.1") else "3.0"
    spec = ctx.out / "control" / f"control-{version}.json"
    control = json.loads(spec.read_text(encoding="utf-8"))
    _, lines = generate(
        Run(item.name, item.generator, spec, ctx.out / "control" / item.name, control), "control"
    )
    return set(lines)


def write_controls(out: Path) -> None:
    """The minimal documents, 3.0 and 3.1, written once before the generators run in parallel."""
    (out / "control").mkdir(parents=True, exist_ok=True)
    for version, openapi in (("3.0", "3.0.3"), ("3.1", "3.1.0")):
        control = dict(copy.deepcopy(CONTROL), openapi=openapi)
        (out / "control" / f"control-{version}.json").write_text(json.dumps(control), encoding="utf-8")


def generate_and_compare(ctx: Context, item: Run) -> Result:
    started = time.monotonic()
    result = Result(item.name)
    code, lines = generate(item, str(item.document.get("info", {}).get("title", "")))
    known = control_lines(ctx, item)
    accepted = ACCEPTED.get(item.name, set())
    new = [line for line in dict.fromkeys(lines) if line not in known]
    result.problems = [f"generator said: {line}" for line in new if line not in accepted]
    result.noise = sorted({line for line in lines if line in known})
    result.noise += [
        f"{line} (caused by the document, accepted for now: ACCEPTED)" for line in new if line in accepted
    ]
    if code:
        result.problems.append(f"{item.generator.name} exited {code}")
        result.generated = False
    result.ok = not result.problems
    result.seconds = time.monotonic() - started
    return result


# --- proving the TypeScript SDKs: one tsc program ---------------------------------------------------


def tsc_all(ctx: Context, items: Sequence[Run]) -> dict[str, list[str]]:
    """``tsc --strict`` over every folder at once: each SDK's errors (a run with no folder gets all)."""
    if not items:
        return {}
    config = dict(TSCONFIG, include=[f"{item.folder.relative_to(ctx.out)}/**/*.ts" for item in items])
    (ctx.out / "tsconfig.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    link = ctx.out / "node_modules"  # the SDKs import axios and @oazapfts/runtime from there
    if not link.exists():
        link.symlink_to(DOWNSTREAM_NODE_DIR / "node_modules", target_is_directory=True)
    code, output = run([downstream_tool("tsc"), "-p", str(ctx.out)], cwd=ctx.out)
    errors: dict[str, list[str]] = {item.name: [] for item in items}
    for line in output.splitlines():
        if "error TS" not in line:
            continue
        owner = next((i.name for i in items if line.startswith(f"{i.folder.relative_to(ctx.out)}/")), None)
        for name in [owner] if owner else list(errors):
            errors[name].append(line)
    if code and not any(errors.values()):
        for name in errors:
            errors[name].append(f"tsc exited {code}: {output.strip()[-300:]}")
    return errors


def exported(folder: Path) -> str:
    files = list(folder.rglob("*.ts"))
    pattern = re.compile(
        r"^export (?:declare )?(?:interface|type|enum|class|const|function|async function|namespace) ",
        re.MULTILINE,
    )
    names = sum(len(pattern.findall(path.read_text(encoding="utf-8"))) for path in files)
    return f"{len(files)} .ts files, {names} exported declarations, compile under tsc --strict"


# --- proving the Python SDKs ------------------------------------------------------------------------


def call_target(document: dict[str, Any]) -> tuple[str, str, str, str]:
    """(tag, operationId, path, item schema) of the first parameterless GET answering an array of a model."""
    for path, item in document.get("paths", {}).items():
        operation = item.get("get")
        if not operation or operation.get("parameters") or "{" in path or not operation.get("operationId"):
            continue
        schema = (
            operation["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema")
        )
        if isinstance(schema, dict) and schema.get("type") == "array" and "$ref" in schema.get("items", {}):
            model = schema["items"]["$ref"].rsplit("/", 1)[-1]
            return operation["tags"][0], operation["operationId"], path, model
    raise PipelineError("the document has no parameterless GET answering an array of a model to call")


def defining_module(folder: Path, package: str, pattern: str) -> str:
    """The dotted module of ``package`` (in ``folder``) whose source matches ``pattern``: where a name is."""
    regex = re.compile(pattern, re.MULTILINE)
    for path in sorted((folder / package).rglob("*.py")):
        if regex.search(path.read_text(encoding="utf-8")):
            return ".".join(path.relative_to(folder).with_suffix("").parts).removesuffix(".__init__")
    raise PipelineError(f"no module of {package} in {folder.name} matches {pattern!r}")


def two_line_use(ctx: Context, item: Run) -> str:
    """Two lines a user writes, typed after the document: the list one operation answers, or one model."""
    _, operation_id, _, model = call_target(item.document)
    folder, package = item.folder, item.generator.package
    if item.generator.name == "datamodel-code-generator":
        sample = json.dumps(minimal(item.document, item.document["components"]["schemas"][model]))
        return f"from models import {model}\nrecord: {model} = {model}.model_validate({sample})\n"
    if item.generator.name == "og-python":
        method = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", operation_id).lower()
        api = defining_module(folder, package, rf"^    def {method}\(")
        source = (folder / Path(*api.split("."))).with_suffix(".py").read_text(encoding="utf-8")
        api_class = re.search(r"^class (\w+)", source, re.MULTILINE)
        if api_class is None:
            raise PipelineError(f"no class in {api}")
        model_module = defining_module(folder, package, rf"^class {model}\(")
        return (
            f"from {api} import {api_class.group(1)}; from {model_module} import {model}\n"
            f"items: list[{model}] = {api_class.group(1)}().{method}()\n"
        )
    service = defining_module(folder, package, rf"^def {operation_id}\(")
    model_module = defining_module(folder, package, rf"^class {model}\(")
    return (
        f"from {service} import {operation_id}; from {model_module} import {model}\n"
        f"items: list[{model}] = {operation_id}()\n"
    )


def prove_python(ctx: Context, item: Run) -> Result:
    """Import every module, run mypy --strict on a two-line use, and the generator's own extra proof."""
    started = time.monotonic()
    result = Result(item.name)
    package = item.generator.package
    code, output = run([sys.executable, "-c", _IMPORT_ALL, str(item.folder), package])
    if code:
        result.problems += output.strip().splitlines()[-20:]
    modules = output.strip().splitlines()[-1] if not code and output.strip() else "?"
    use = item.folder / "use.py"
    use.write_text(two_line_use(ctx, item), encoding="utf-8")
    code, output = run(
        [python_tool("mypy"), "--strict", "--follow-imports=silent", "--no-incremental", "use.py"],
        cwd=item.folder,
        env=dict(os.environ, MYPYPATH=str(item.folder)),
    )
    if code:
        result.problems += [line for line in output.strip().splitlines() if line][-20:]
    summary = f"{modules} modules import; mypy --strict passes on a two-line use"
    if item.generator.name == "og-python":
        tag, operation_id, path, _ = call_target(item.document)
        method = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", operation_id).lower()
        api = re.sub(r"[^A-Za-z0-9]", "", tag)
        code, output = run(
            [sys.executable, "-c", _CALL, str(item.folder), f"{api[:1].upper()}{api[1:]}Api", method, path]
        )
        if code:
            result.problems += output.strip().splitlines()[-20:]
        else:
            summary += f"; {output.strip().splitlines()[-1]}"
    if item.generator.name == "datamodel-code-generator":
        samples = {name: minimal(item.document, schema) for name, schema in component_schemas(item.document)}
        (item.folder / "samples.json").write_text(json.dumps(samples), encoding="utf-8")
        code, output = run([sys.executable, "-c", _VALIDATE_MODELS, str(item.folder)])
        if code:
            result.problems += output.strip().splitlines()[-20:]
        else:
            summary += f"; {len(samples)} schema samples validate"
    result.ok = not result.problems
    result.summary = summary
    result.seconds = time.monotonic() - started
    return result


_IMPORT_ALL: Final = r"""
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
names = [m.name for m in pkgutil.walk_packages(getattr(package, "__path__", []), sys.argv[2] + ".")]
for name in names:
    importlib.import_module(name)
print(len(names) + 1)
"""

_CALL: Final = r"""
import sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
sys.path.insert(0, sys.argv[1])
import openapi_client
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
config = openapi_client.Configuration(host=f"http://127.0.0.1:{server.server_address[1]}")
config.api_key["ApiKey"] = "k"
with openapi_client.ApiClient(config) as client:
    result = getattr(getattr(openapi_client, api_class)(client), method)()
server.shutdown()
assert result == [], result
assert seen and seen[0][0] == path, seen
print(f"{api_class}.{method}() -> GET {path} on 127.0.0.1 answered")
"""

_VALIDATE_MODELS: Final = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import models
from pydantic import TypeAdapter
failed = []
for name, sample in json.loads((Path(sys.argv[1]) / "samples.json").read_text()).items():
    model = getattr(models, name, None)
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
    spec30 = out / "openapi-3.0.json"
    spec30.write_text(openapi30_twin(document), encoding="utf-8")
    twin = json.loads(spec30.read_text(encoding="utf-8"))
    write_controls(out)
    return Context(spec.resolve(), spec30.resolve(), document, twin, out.resolve())


def plan(ctx: Context, names: Sequence[str]) -> list[Run]:
    """The runs for ``names``, the slowest generators first: every one on the twin, 3.1 readers on 3.1."""
    runs = []
    for generator in GENERATORS:
        if generator.name not in names:
            continue
        runs.append(Run(generator.name, generator, ctx.spec30, ctx.out / generator.name, ctx.twin))
        if generator.reads_31:
            name = f"{generator.name}@3.1"
            runs.append(Run(name, generator, ctx.spec, ctx.out / name, ctx.document))
    return runs


def run_checks(spec: Path, out: Path, names: Sequence[str], jobs: int = 2) -> list[Result]:
    """Generate with every generator in ``names`` (``jobs`` at a time), then prove each SDK."""
    ctx = prepare(spec, out)
    runs = plan(ctx, names)

    def guarded(step: Callable[[Context, Run], Result], item: Run) -> Result:
        started = time.monotonic()
        try:
            return step(ctx, item)
        except (PipelineError, subprocess.TimeoutExpired, OSError) as exc:
            problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return Result(item.name, False, time.monotonic() - started, "", [problem], generated=False)

    with ThreadPoolExecutor(max_workers=max(jobs, 1)) as pool:
        done = pool.map(lambda item: guarded(generate_and_compare, item), runs)
        generated = {result.name: result for result in done}
        made = [item for item in runs if generated[item.name].generated]
        typescript = [item for item in made if item.generator.language == "typescript"]
        python = [item for item in made if item.generator.language == "python"]
        started = time.monotonic()
        tsc_future = pool.submit(tsc_all, ctx, typescript)
        proofs = {
            result.name: result for result in pool.map(lambda item: guarded(prove_python, item), python)
        }
        tsc_errors = tsc_future.result()
        tsc_seconds = time.monotonic() - started
    results = []
    for item in runs:
        result = generated[item.name]
        if item.name in proofs:
            proof = proofs[item.name]
            result.problems += proof.problems
            result.summary, result.seconds = proof.summary, result.seconds + proof.seconds
        elif item.name in tsc_errors:
            errors = tsc_errors[item.name]
            result.problems += errors[:20] + (
                [f"... {len(errors)} tsc errors in all"] if len(errors) > 20 else []
            )
            result.summary = exported(item.folder)
            result.seconds += tsc_seconds / max(len(typescript), 1)
        result.ok = not result.problems
        results.append(result)
    return results


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="normalized OpenAPI 3.1 document")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="work folder (default build/downstream)"
    )
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(BY_NAME)}")
    parser.add_argument("--fast", action="store_true", help=f"only {', '.join(FAST)}")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 2, help="generators run at once (default: CPU count)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(FAST) if args.fast else [n for n in args.only.split(",") if n] or list(BY_NAME)
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        print(
            f"error: unknown generator(s) {', '.join(unknown)}; known: {', '.join(BY_NAME)}", file=sys.stderr
        )
        return 2
    if JAVA & set(names) and shutil.which("java") is None:
        print(
            "error: java not found: OpenAPI Generator needs Java 11+ (install a JRE, or pass --only)",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    try:
        results = run_checks(args.spec, args.out, names, args.jobs)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for result in results:
        status = "ok  " if result.ok else "FAIL"
        print(f"{status} {result.name:<31} {result.seconds:5.1f} s  {result.summary}")
        for line in result.noise:
            kind = (
                "accepted" if line.endswith("ACCEPTED)") else "generator noise (also on a minimal document)"
            )
            print(f"       {kind}: {line}")
        for line in result.problems:
            print(f"       {line}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"took: {time.monotonic() - started:.0f} s wall, "
        f"{children.ru_utime + children.ru_stime:.0f} s CPU in the generators and checkers"
    )
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(f"error: {len(failed)} downstream check(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(
        f"{len(results)} SDK(s) from {len({r.name.split('@')[0] for r in results})} generator(s) with default "
        "options: no warning beyond a minimal document's but those ACCEPTED lists; every one imports or compiles"
    )
    return 0
