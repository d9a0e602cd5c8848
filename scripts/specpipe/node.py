"""Pinned Node tools (see scripts/package.json and its lock file), installed on first use."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import PipelineError

SCRIPTS_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = SCRIPTS_DIR / "node_modules"


def ensure_node_tools() -> Path:
    """Install the locked Node tools into scripts/node_modules unless they are there; return its .bin."""
    bin_dir = NODE_MODULES / ".bin"
    if not (bin_dir / "prism").exists() or not (bin_dir / "redocly").exists():
        npm = shutil.which("npm")
        if npm is None:
            raise PipelineError("npm not found: install Node.js 20+ to use the pinned Node tools")
        proc = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=SCRIPTS_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise PipelineError(f"npm ci in scripts/ failed: {last}")
    return bin_dir


def node_tool(name: str) -> str:
    """Absolute path of one pinned Node tool's executable (prism, redocly, swagger2openapi, ...)."""
    path = ensure_node_tools() / name
    if not path.exists():
        raise PipelineError(f"Node tool {name!r} is not in scripts/package.json")
    return str(path)
