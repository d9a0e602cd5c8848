"""Entry point of `nox -s drift`: rate the drift between the live vendor document and the pinned copy."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from specpipe.drift import main

if __name__ == "__main__":
    sys.exit(main())
