"""``batchcall`` on the command line (also ``python -m batchcall``): the library for the shell.

Commands are thin: they parse arguments, call the same functions the app uses and
print. Every failure is one line on stderr and an exit code, never a traceback:
0 when every row passes, 2 when some rows fail, 1 on an error.
"""

from batchcall.cli.main import main

__all__ = ["main"]
