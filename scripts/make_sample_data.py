"""Regenerate the shipped samples (``lib/batchcall/samples/``) deterministically.

Writes:

- ``loan_followup.csv``   — ~250 clean Indian loan follow-up contacts (every row valid
  for the IN route ``+912234567890``).
- ``messy_contacts.xlsx`` — a messy operator export: a "Notes" sheet first (no
  ``phone_number`` column), then "Contacts" with every kind of bad or foreign number.
- ``legacy_contacts.xls`` — an Excel 97-2003 workbook with numeric phone cells.
- ``workspace.json``      — the sandbox workspace (agents, numbers, telephony config).

The two workbooks are written by LibreOffice Calc: the script builds a source
workbook with openpyxl (to control cell types: numeric vs text, dates, formulas) and
converts it with ``soffice --headless --convert-to``, so the final files come from a
real spreadsheet program and formula cells carry cached values. That step needs
LibreOffice (Debian: ``apt-get install libreoffice-calc-nogui``); without ``soffice``
on PATH (or in ``$SOFFICE``) the script stops with a message, unless
``--no-workbooks`` is given. Cell contents are deterministic; the workbook bytes still
carry LibreOffice's save timestamp.

Each file's tables and builder live in ``scripts/sample_data_parts/``, one module per
file; this script only wires them to the command line.

Usage: ``python scripts/make_sample_data.py [--out DIR] [--no-workbooks]``
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from sample_data_parts.libreoffice import find_soffice, write_workbooks
from sample_data_parts.loan_csv import write_loan_followup
from sample_data_parts.workspace import write_workspace

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "lib" / "batchcall" / "samples"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument(
        "--no-workbooks",
        action="store_true",
        help="write only the CSV and workspace.json (no LibreOffice needed)",
    )
    return parser.parse_args(argv)


def _report(paths: Iterator[Path]) -> None:
    for path in paths:
        print(f"wrote {path.name} ({path.stat().st_size:,} bytes)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    soffice = None
    if not args.no_workbooks:
        soffice = find_soffice()
        if soffice is None:
            print(
                "make_sample_data: LibreOffice's `soffice` was not found. The .xlsx/.xls "
                "samples are written by LibreOffice Calc; install it (Debian: "
                "apt-get install libreoffice-calc-nogui), set $SOFFICE to its path, or run "
                "with --no-workbooks to regenerate only the CSV and workspace.json.",
                file=sys.stderr,
            )
            return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_loan_followup(out / "loan_followup.csv")
    write_workspace(out / "workspace.json")
    written = ["loan_followup.csv", "workspace.json"]
    if soffice is not None:
        write_workbooks(out, soffice)
        written += ["messy_contacts.xlsx", "legacy_contacts.xls"]
    _report(out / name for name in written)
    return 0


if __name__ == "__main__":
    sys.exit(main())
