"""Entry point of `nox -s generate`: regenerate generated/dimescheduler_raw from the vendor document."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from specpipe.generate import main

if __name__ == "__main__":
    sys.exit(main())
