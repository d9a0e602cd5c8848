"""Entry point of `nox -s downstream`: generate SDKs from openapi/ with other generators and prove they work."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from specpipe.downstream import main

if __name__ == "__main__":
    sys.exit(main())
