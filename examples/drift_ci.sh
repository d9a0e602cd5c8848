#!/usr/bin/env bash
# Contract drift in CI: fail the job when the live vendor document changed in a way that breaks clients.
# Copy into any CI (GitHub Actions: see drift-ci.yml beside this file). Needs Python 3.11+ and Node 20+.
#   bash examples/drift_ci.sh                 # fails on breaking drift or an unreachable document
#   bash examples/drift_ci.sh --fail-on any   # also fails on non-breaking drift
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q "nox==2026.10.20"
status=0
.venv/bin/python -m nox -s drift -- "$@" || status=$?
# Reports land in build/drift/: drift-report.md for people, drift-report.json for tools.
if [ -f build/drift/drift-report.md ]; then
  head -n 40 build/drift/drift-report.md
fi
exit "$status"
