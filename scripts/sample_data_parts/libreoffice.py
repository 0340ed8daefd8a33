"""Turn the openpyxl sources into the committed workbooks with LibreOffice Calc.

The samples should look like files a real spreadsheet program saved, and formula cells
need cached values that only a spreadsheet program computes; openpyxl writes neither.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .legacy_workbook import build_legacy_source, check_legacy
from .messy_workbook import build_messy_source, check_messy


def find_soffice() -> str | None:
    """LibreOffice's command line: ``$SOFFICE``, else ``soffice``/``libreoffice`` on PATH."""
    explicit = os.environ.get("SOFFICE")
    if explicit:
        return explicit
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(soffice: str, source: Path, target: Path, filter_name: str, work: Path) -> None:
    """Have LibreOffice Calc open ``source`` and save it as ``target``."""
    outdir = work / f"out-{target.suffix.lstrip('.')}"
    outdir.mkdir(exist_ok=True)
    profile = (work / "profile").as_uri()  # private profile: no clash with a running Office
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        f"{target.suffix.lstrip('.')}:{filter_name}",
        "--outdir",
        str(outdir),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    produced = outdir / f"{source.stem}{target.suffix}"
    if result.returncode != 0 or not produced.exists():
        raise SystemExit(
            f"LibreOffice could not convert {source.name}:\n{result.stdout}{result.stderr}"
        )
    shutil.move(produced, target)


def write_workbooks(out: Path, soffice: str) -> None:
    """Write ``messy_contacts.xlsx`` and ``legacy_contacts.xls`` into ``out``."""
    with tempfile.TemporaryDirectory(prefix="sample-data-") as tmp:
        work = Path(tmp)
        messy_src = work / "messy_contacts.xlsx"
        legacy_src = work / "legacy_contacts.xlsx"
        build_messy_source(messy_src)
        build_legacy_source(legacy_src)
        convert(soffice, messy_src, out / "messy_contacts.xlsx", "Calc MS Excel 2007 XML", work)
        convert(soffice, legacy_src, out / "legacy_contacts.xls", "MS Excel 97", work)
    check_messy(out / "messy_contacts.xlsx")
    check_legacy(out / "legacy_contacts.xls")
