"""Entry point of `nox -s spec`: validate and lint openapi/dimescheduler.json, write its YAML twin."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from specpipe.spec_check import main

if __name__ == "__main__":
    sys.exit(main())
