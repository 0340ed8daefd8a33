"""``python -m batchcall``: the command line (see :mod:`batchcall.cli`)."""

import sys

from batchcall.cli import main

if __name__ == "__main__":
    sys.exit(main())
