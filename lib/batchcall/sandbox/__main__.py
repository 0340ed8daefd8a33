"""``python -m batchcall.sandbox``: see :mod:`batchcall.sandbox.serve`."""

import sys

from batchcall.sandbox.serve import serve

if __name__ == "__main__":
    sys.exit(serve())
