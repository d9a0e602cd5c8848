"""Sessions: generate (main job), tests (whole suite), lint, spec, drift, downstream, mock, bench, docs.

See docs/development.md. Tools come from the PEP 735 dependency groups of pyproject.toml (never published).
"""

from __future__ import annotations

from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
EXTRAS = PYPROJECT["project"]["optional-dependencies"]
RUNTIME = PYPROJECT["project"]["dependencies"]


def group(*names: str) -> tuple[str, ...]:
    """The requirements of dependency groups of pyproject.toml (`[dependency-groups]`, PEP 735)."""
    return nox.project.dependency_groups(PYPROJECT, *names)


nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True


@nox.session
def generate(session: nox.Session) -> None:
    """Fetch the vendor document, normalize it, regenerate generated/ (offline: pinned copy, with a warning)."""
    session.install(*RUNTIME, *group("generate"))
    session.run("python", "scripts/generate.py", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy --strict on the overlay, the scripts and the noxfile."""
    session.install(*RUNTIME, *group("generate", "test", "lint"))
    session.install("-e", ".", "--no-deps")
    session.run("ruff", "check", "overlay", "scripts", "tests", "examples", "noxfile.py")
    session.run("ruff", "format", "--check", "overlay", "scripts", "tests", "examples", "noxfile.py")
    session.run(
        "mypy",
        "overlay/dimescheduler_openapi",
        "scripts/specpipe",
        "scripts/generate.py",
        "scripts/drift.py",
        "scripts/spec.py",
        "scripts/downstream.py",
        "scripts/bench",
        "scripts/build_pinned_spec.py",
        "scripts/build_import_table.py",
        "scripts/examples/quickstart.py",
        "scripts/api_doc.py",
        "scripts/docs_reference.py",
        "scripts/mock.py",
        "examples",
    )


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite: lint, then pytest (local servers on 127.0.0.1, Prism from scripts/package-lock.json)."""
    lint(session)
    # tests/pipeline/test_downstream.py runs the quick downstream checks
    session.install(*group("downstream"))
    session.run(
        "python",
        "-c",
        "import sys; sys.path.insert(0, 'scripts'); from specpipe.node import ensure_node_tools; ensure_node_tools()",
    )
    # Two workers (pytest-xdist; each starts its own Prism on a free port); the 10 slowest tests are listed.
    session.run("pytest", "-n", "2", "--durations=10", *session.posargs)


@nox.session
def drift(session: nox.Session) -> None:
    """Rate the drift between the live vendor document and openapi/ for clients (reports in build/drift/).

    Fails on breaking drift or when a document cannot be checked; `-- --fail-on any|never`, `-- --url URL`,
    `-- --base FILE_OR_URL` (any two documents), `-- --format text|markdown|json|githubactions|junit`.
    Writes nothing under openapi/ or generated/.
    """
    session.install(*RUNTIME, *group("generate"))
    session.run("python", "scripts/drift.py", *session.posargs)


@nox.session
def spec(session: nox.Session) -> None:
    """Validate and lint openapi/dimescheduler.json, check its conventions, write openapi/dimescheduler.yaml."""
    session.install(*RUNTIME, *group("generate"))
    session.run("python", "scripts/spec.py", *session.posargs)


@nox.session
def downstream(session: nox.Session) -> None:
    """Generate SDKs from openapi/ with eleven other generators, default options only; prove each (Java 11+).

    OpenAPI Generator (python, typescript-fetch, typescript-axios), openapi-python-generator,
    datamodel-code-generator, @hey-api/openapi-ts, openapi-typescript, orval, swagger-typescript-api, oazapfts,
    openapi-typescript-codegen; a warning beyond what a generator prints on a minimal document fails.
    `-- --spec PATH`, `-- --only NAME,...`, `-- --fast`, `-- --jobs N`.
    """
    session.install(*RUNTIME, *group("generate", "downstream"))
    session.run("python", "scripts/downstream.py", *session.posargs)


@nox.session
def mock(session: nox.Session) -> None:
    """A local mock of the API: Prism on the pinned document at http://127.0.0.1:4010 until Ctrl-C or SIGTERM.

    `-- --port N`, `-- --host H`, `-- --spec PATH`. Any API key works; answers are the document's examples.
    """
    session.install(*RUNTIME, *group("generate"))
    session.run("python", "scripts/mock.py", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: per-call overhead, decode/encode, cold import, bulk import, regeneration.

    Prints a table (goal vs measured, PASS/MISS per row) and writes build/bench/bench.json; always exits 0
    on MISS (it reports, it does not gate). `-- --rounds N`, `-- --only decode,calls,startup,bulk,regenerate`.
    """
    session.install(*RUNTIME, *group("generate", "bench"), *EXTRAS["cli"])
    session.run("python", "scripts/bench/run.py", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site (MkDocs Material, mkdocstrings) into build/site/, strict.

    A broken link, a missing anchor or a reference mkdocstrings cannot resolve fails the build. The reference
    pages of the route table, the models and the operations are written by scripts/docs_reference.py.
    """
    session.install(*RUNTIME, *group("docs"), *EXTRAS["cli"])
    session.install("-e", ".", "--no-deps")
    quiet = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}  # a banner, not a build problem
    session.run("mkdocs", "build", "--strict", *session.posargs, env=quiet)
