"""The commands: ``check`` (the platform's verdict per row), ``fix`` (safe repairs),
``submit`` / ``watch`` / ``calls`` (``cli.batches``) and ``sandbox``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from batchcall.api.errors import ApiError
from batchcall.cli.batches import add_commands, read_limit
from batchcall.cli.workspace import CommandError, Workspace, load_workspace
from batchcall.contacts import ContactFileError, read_contacts
from batchcall.rules import ValidationReport, validate
from batchcall.work.recipe import Recipe, RecipeError, cleaned_bytes, replay
from batchcall.work.table import WorkTable

OK, FAILED, ERROR = 0, 2, 1


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:  # its own options, passed through as they are
        return _serve(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (CommandError, ContactFileError, ApiError) as exc:
        print(f"batchcall {args.command}: {exc}", file=sys.stderr)
        return ERROR
    except OSError as exc:
        print(f"batchcall {args.command}: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
        return ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="batchcall", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="the platform's verdict on every row")
    _file_options(check)
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(run=run_check)
    fix = commands.add_parser("fix", help="apply the safe suggested fixes, write the file")
    _file_options(fix)
    fix.add_argument("-o", "--output", required=True, type=Path, help="a .csv or .xlsx file")
    fix.add_argument("--drop-failing", action="store_true", help="leave out rows still failing")
    fix.add_argument(
        "--recipe", type=Path, help="replay this recipe (JSON) instead of the suggested fixes"
    )
    fix.set_defaults(run=run_fix)
    add_commands(commands, _file_options)
    commands.add_parser("sandbox", help="serve the sandbox on this machine (see its --help)")
    return parser


def _serve(options: list[str]) -> int:
    from batchcall.sandbox.serve import serve  # uvicorn is imported only to serve

    return serve(options)


def _file_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", type=Path, help="a CSV, XLSX or XLS contact list")
    command.add_argument("--from-number", required=True, help="the number that places the calls")
    command.add_argument("--sheet", help="the workbook's sheet (default: the first)")
    command.add_argument("--phone-column", help="the column of phone numbers")
    command.add_argument(
        "--max-file-mb",
        type=float,
        metavar="N",
        help="read a list of up to N MB (at most 100); over 10 MB, submit sends it in parts",
    )


def _load(args: argparse.Namespace) -> tuple[WorkTable, Workspace]:
    contacts = read_contacts(
        args.file, sheet=args.sheet, phone_column=args.phone_column, max_bytes=read_limit(args)
    )
    space = load_workspace()
    return WorkTable(contacts, space.route(args.from_number), space.config), space


def run_check(args: argparse.Namespace) -> int:
    table, _ = _load(args)
    report = validate(table.active, table.route, table.config)
    summary = check_summary(args.file, report)
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"{args.file.name}: {summary['rows']:,} rows, {summary['passing']:,} pass")
        for group in summary["groups"]:
            where = f" ({group['country']})" if group.get("country") else ""
            rows = ", ".join(map(str, group["rows"][:20]))
            more = " …" if group["count"] > 20 else ""
            noun = "row" if group["count"] == 1 else "rows"
            print(f"  {group['reason']}{where}: {group['count']:,} {noun} ({rows}{more})")
    return OK if report.ok else FAILED


def check_summary(file: Path, report: ValidationReport) -> dict[str, object]:
    """``{"file", "rows", "passing", "groups": [{"reason", "count", "rows", "country"}]}``."""
    groups = [
        {"reason": str(g.reason), "count": g.count, "rows": list(g.rows), "country": g.country}
        for g in report.groups
    ]
    return {
        "file": str(file),
        "rows": report.total,
        "passing": report.total - report.failed_count,
        "groups": groups,
    }


def run_fix(args: argparse.Namespace) -> int:
    """Safe suggested fixes, or a recipe replayed; the same file and recipe, the same bytes."""
    suffix = args.output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CommandError(f"{args.output}: write a .csv or an .xlsx file")
    try:
        recipe = Recipe.load(args.recipe) if args.recipe else None
    except RecipeError as exc:
        raise CommandError(str(exc)) from None
    table, _ = _load(args)
    rename: dict[str, str] = {}
    if recipe is None:
        done = f"{table.apply_fixes():,} fixed"
    else:
        replayed = replay(table, recipe, f"Recipe {args.recipe.name}")
        for line in replayed.lines:
            print(f"  {line}", file=sys.stderr)
        rename, done = replayed.rename, f"recipe {args.recipe.name} replayed"
    failing = list(table.failing_rows().index)
    if args.drop_failing and failing:
        table.drop([int(row) for row in failing], "Drop rows still failing", bulk=True)
    args.output.write_bytes(cleaned_bytes(table, suffix, rename))
    left = table.failing_count
    dropped = len(failing) if args.drop_failing else 0
    print(
        f"{args.output}: {len(table.active):,} rows written, {done}, "
        f"{dropped:,} dropped, {left:,} still failing",
        file=sys.stderr,
    )
    return OK if left == 0 else FAILED
