"""Pinned Node tools (see scripts/package.json and its lock file), installed on first use."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import PipelineError

SCRIPTS_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = SCRIPTS_DIR / "node_modules"
# npm has been seen to stall on a registry fetch for good; a bounded attempt that is retried beats a hang.
NPM_ATTEMPTS = 3
NPM_ATTEMPT_SECONDS = 600


def ensure_node_tools() -> Path:
    """Install the locked Node tools into scripts/node_modules unless they are there; return its .bin."""
    bin_dir = NODE_MODULES / ".bin"
    if not (bin_dir / "prism").exists() or not (bin_dir / "redocly").exists():
        npm = shutil.which("npm")
        if npm is None:
            raise PipelineError("npm not found: install Node.js 20+ to use the pinned Node tools")
        command = [
            npm,
            "ci",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--fetch-timeout=60000",
            "--loglevel=error",
        ]
        problem = "no attempt made"
        for _ in range(NPM_ATTEMPTS):
            try:
                proc = subprocess.run(
                    command,
                    cwd=SCRIPTS_DIR,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    text=True,
                    timeout=NPM_ATTEMPT_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                problem = f"no answer within {NPM_ATTEMPT_SECONDS} s"
                continue
            if proc.returncode == 0:
                break
            problem = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        else:
            raise PipelineError(f"npm ci in scripts/ failed {NPM_ATTEMPTS} times: {problem}")
    return bin_dir


def node_tool(name: str) -> str:
    """Absolute path of one pinned Node tool's executable (prism, redocly, swagger2openapi, ...)."""
    path = ensure_node_tools() / name
    if not path.exists():
        raise PipelineError(f"Node tool {name!r} is not in scripts/package.json")
    return str(path)
