"""Recipes: what an operator did to a list, as data, so next week's list is cleaned the same way.

Why by value and not by row: next week's export holds many of the same bad numbers in
other rows, beside new ones. So a recipe says *what* to do ("apply the suggested fixes
for invalid numbers", "drop the rows failing for a country not enabled") and keys
per-row edits and drops by the ORIGINAL phone cell they were made on. Every row holding
that original value gets the edit; a value not in the file is reported, never guessed.

The JSON is versioned and canonical (sorted keys, sets sorted, two-space indent), so the
same recipe always dumps to the same bytes and diffs well in review. ``build_recipe``
reads one from a working table's history; ``replay`` runs one on a working table as a
single undoable action, saying per step what it did and what it did not find.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from batchcall.api.models import PhoneNumber, TelephonyConfig
from batchcall.checks.duplicates import KEEP_CHOICES, resolve_duplicates
from batchcall.contacts.headers import PHONE_COLUMN
from batchcall.rules import Reason
from batchcall.work.exports import submission_csv, xlsx_bytes
from batchcall.work.table import Action, WorkTable

__all__ = [
    "RECIPE_FORMAT",
    "RECIPE_VERSION",
    "Recipe",
    "RecipeError",
    "Replayed",
    "apply_recipe",
    "build_recipe",
    "cleaned_bytes",
    "replay",
]

RECIPE_FORMAT = "batchcall-recipe"
RECIPE_VERSION = 1
MAX_RECIPE_BYTES = 10 * 1024 * 1024
"""As big as a contact file: a recipe embeds a do-not-call list, never more than a list."""
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_REASONS = ", ".join(str(reason) for reason in Reason)

Step = dict[str, Any]


class RecipeError(ValueError):
    """A recipe that can not be used: names the file, the step and what is wrong."""

    def __init__(self, source: str, problem: str, step: int | None = None, kind: str = "") -> None:
        where = f" step {step}" + (f" ({kind})" if kind else "") if step is not None else ""
        super().__init__(f"{source}{where}: {problem}")
        self.source, self.step, self.problem = source, step, problem


# ------------------------------------------------------------ step checks


def _reason(value: Any) -> str:
    if value not in {str(reason) for reason in Reason}:
        raise ValueError(f"reason {value!r} is not one of the platform's: {_REASONS}")
    return str(value)


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else check(value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text; write it in double quotes")
    return value


def _keep(value: Any) -> str:
    if value not in KEEP_CHOICES:
        raise ValueError(f"keep must be one of {', '.join(KEEP_CHOICES)}, not {value!r}")
    return str(value)


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValueError("expected a list of numbers in double quotes")
    return sorted({_text(item) for item in value})


def _e164s(value: Any) -> list[str]:
    numbers = _texts(value)
    bad = [number for number in numbers if not _E164.match(number)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not an E.164 number like +919876543210")
    return numbers


def _text_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError("expected an object of column names to variable names")
    return {_text(key): _text(item) for key, item in sorted(value.items())}


def _edits(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise ValueError("expected an object: original phone cell -> {column: new text}")
    edits = {}
    for key, cells in sorted(value.items()):
        if not isinstance(cells, dict) or not cells:
            raise ValueError(f"the edit of {key!r} is not an object of column -> new text")
        edits[key] = _text_map(cells)
    return edits


STEP_FIELDS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "apply_fixes": {"reason": _optional(_reason)},
    "drop_failing": {"reason": _reason, "country": _optional(_text)},
    "resolve_duplicates": {"keep": _keep},
    "suppress_dnc": {"numbers": _e164s},
    "map_columns": {"columns": _text_map},
    "edit_rows": {"edits": _edits},
    "drop_numbers": {"numbers": _texts},
}
"""Each step kind and its fields, each field's check (which also sorts it)."""
_OPTIONAL = {("apply_fixes", "reason"), ("drop_failing", "country")}


def checked_step(data: Any, source: str, number: int) -> Step:
    """``data`` as a canonical step; RecipeError naming the step and the field."""
    if not isinstance(data, dict):
        raise RecipeError(source, 'is not an object like {"step": "apply_fixes"}', number)
    kind = data.get("step")
    if kind not in STEP_FIELDS:
        known = ", ".join(STEP_FIELDS)
        raise RecipeError(source, f"unknown step {kind!r}; known steps: {known}", number)
    fields = STEP_FIELDS[kind]
    extra = sorted(set(data) - set(fields) - {"step"})
    if extra:
        raise RecipeError(source, f"unknown field {extra[0]!r}", number, kind)
    step: Step = {"step": kind}
    for name, check in fields.items():
        if name not in data and (kind, name) not in _OPTIONAL:
            raise RecipeError(source, f"the field {name!r} is missing", number, kind)
        try:
            step[name] = check(data.get(name))
        except ValueError as exc:
            raise RecipeError(source, f"{name}: {exc}", number, kind) from None
    return step


# ------------------------------------------------------------ the recipe


@dataclass(frozen=True)
class Recipe:
    """An ordered list of steps; ``left_out`` (never saved) lists rows whose changes could
    not be keyed by their original number when the recipe was built."""

    steps: tuple[Step, ...] = ()
    left_out: tuple[int, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        canonical = tuple(checked_step(s, "recipe", n) for n, s in enumerate(self.steps, 1))
        object.__setattr__(self, "steps", canonical)

    def to_json(self) -> dict[str, Any]:
        return {"format": RECIPE_FORMAT, "version": RECIPE_VERSION, "steps": list(self.steps)}

    def dumps(self) -> bytes:
        """Canonical UTF-8 JSON: the same recipe always gives the same bytes.

        Not ``sort_keys``: every object is already built in one fixed order (``step``
        first, then its fields as ``STEP_FIELDS`` lists them, maps and sets sorted).
        """
        text = json.dumps(self.to_json(), indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")

    def dump(self, path: str | os.PathLike[str]) -> None:
        Path(path).write_bytes(self.dumps())

    @classmethod
    def loads(cls, data: bytes | str, source: str = "recipe") -> Recipe:
        """A recipe from its JSON; RecipeError naming ``source`` and what is wrong."""
        if len(data) > MAX_RECIPE_BYTES:
            raise RecipeError(source, f"is over {MAX_RECIPE_BYTES // 2**20} MB: not a recipe")
        try:
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
            body = json.loads(text)
        except UnicodeDecodeError:
            raise RecipeError(source, "is not UTF-8 text: not a recipe file") from None
        except json.JSONDecodeError as exc:
            problem = f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            raise RecipeError(source, problem) from None
        if not isinstance(body, dict) or body.get("format") != RECIPE_FORMAT:
            problem = f'is not a batchcall recipe (no "format": "{RECIPE_FORMAT}")'
            raise RecipeError(source, problem + "; download one from Fix rows")
        version = body.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise RecipeError(source, f"has no valid version (found {version!r})")
        if version > RECIPE_VERSION:
            problem = f"was made by a newer workbench (version {version}); this one reads "
            raise RecipeError(source, problem + f"version {RECIPE_VERSION}: update batchcall")
        steps = body.get("steps")
        if not isinstance(steps, list):
            raise RecipeError(source, 'has no list of "steps"')
        return cls(tuple(checked_step(s, source, n) for n, s in enumerate(steps, 1)))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Recipe:
        source = str(path)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise RecipeError(source, f"can not be read ({exc.strerror or exc})") from None
        return cls.loads(data, source)


# ------------------------------------------------------------ from a table's history


def build_recipe(
    table: WorkTable,
    *,
    rename: Mapping[str, str] | None = None,
    keep: str | None = None,
    dnc_numbers: Iterable[str] | None = None,
) -> Recipe:
    """The operator's work on ``table`` as a recipe, in the order it was done.

    Actions that were more than their cells ("apply fixes for a reason", a replayed
    recipe) are kept as those steps; plain edits and drops become ``edit_rows`` and
    ``drop_numbers`` keyed by each row's original phone cell. Work restored from a
    draft has no history, so it comes first, as edits and drops. ``rename``, ``keep``
    and ``dnc_numbers`` are Submit's choices, added at the end when given.
    """
    steps: list[Step] = []
    left_out: set[int] = set()
    original = table.original
    phones = original[PHONE_COLUMN]
    before, after_edits, after_drops = _timeline(table)
    counts: dict[str, dict[str, int]] = {}  # built on the first drop: most recipes have none

    def shared_with_kept_row(value: str) -> bool:
        if not counts:
            counts["all"] = phones.value_counts().to_dict()
            counts["dropped"] = phones.loc[sorted(table.dropped)].value_counts().to_dict()
        return counts["all"].get(value) != counts["dropped"].get(value)

    def add_edits(changes: Mapping[int, Mapping[str, str]]) -> None:
        edits: dict[str, dict[str, str]] = {}
        for row, cells in sorted(changes.items()):
            if cells and phones.at[row] == "":
                left_out.add(row)
            elif cells:
                edits.setdefault(phones.at[row], {}).update(cells)
        if edits and steps and steps[-1]["step"] == "edit_rows":
            for key, cells in edits.items():
                steps[-1]["edits"].setdefault(key, {}).update(cells)
        elif edits:
            steps.append({"step": "edit_rows", "edits": edits})

    def add_drops(rows: Iterable[int]) -> None:
        numbers = []
        for row in rows:
            value = phones.at[row]
            if value == "" or shared_with_kept_row(value):
                left_out.add(row)  # dropping by value would take rows the operator kept
            else:
                numbers.append(value)
        if numbers and steps and steps[-1]["step"] == "drop_numbers":
            steps[-1]["numbers"].extend(numbers)
        elif numbers:
            steps.append({"step": "drop_numbers", "numbers": numbers})

    base_edits, base_drops = before
    add_edits(base_edits)
    add_drops(sorted(base_drops & table.dropped))
    for number, action in enumerate(table.history):
        if action.steps:
            steps.extend(copy.deepcopy(step) for step in action.steps)  # later merges edit them
            continue
        changes: dict[int, dict[str, str]] = {}
        for row, previous in action.previous_edits.items():
            was, now = previous or {}, after_edits[number][row] or {}
            for column in set(was) | set(now):
                value = now.get(column, original.at[row, column])
                if value != was.get(column, original.at[row, column]):
                    changes.setdefault(row, {})[column] = value
        add_edits(changes)
        dropped = after_drops[number]
        add_drops(r for r, was in sorted(action.previous_dropped.items()) if dropped[r] and not was)
    if keep is not None and keep != "all":
        steps.append({"step": "resolve_duplicates", "keep": keep})
    if dnc_numbers:
        steps.append({"step": "suppress_dnc", "numbers": list(dnc_numbers)})
    if rename:
        steps.append({"step": "map_columns", "columns": dict(rename)})
    return Recipe(tuple(steps), left_out=tuple(sorted(left_out)))


Timeline = tuple[
    tuple[dict[int, dict[str, str]], set[int]],
    list[dict[int, dict[str, str] | None]],
    list[dict[int, bool]],
]


def _timeline(table: WorkTable) -> Timeline:
    """(edits and drops before the first action, each action's edits after it, its drops after).

    Why walk backwards: an action records each row's state *before* it, so a row's state
    after action i is its state before the next action touching it (or the table's now).
    """
    history = table.history
    later_edits: dict[int, dict[str, str] | None] = {}
    later_drops: dict[int, bool] = {}
    after_edits: list[dict[int, dict[str, str] | None]] = [{} for _ in history]
    after_drops: list[dict[int, bool]] = [{} for _ in history]
    for number in reversed(range(len(history))):
        action = history[number]
        for row in action.previous_edits:
            after_edits[number][row] = (
                later_edits[row] if row in later_edits else table.edits.get(row)
            )
        for row in action.previous_dropped:
            after_drops[number][row] = later_drops.get(row, row in table.dropped)
        later_edits.update(action.previous_edits)
        later_drops.update(action.previous_dropped)
    base_edits = {row: cells for row, cells in table.edits.items() if row not in later_edits}
    base_edits.update({row: cells for row, cells in later_edits.items() if cells})
    base_drops = {row for row in table.dropped if row not in later_drops}
    base_drops |= {row for row, dropped in later_drops.items() if dropped}
    return (base_edits, base_drops), after_edits, after_drops


# ------------------------------------------------------------ replaying


@dataclass
class Replayed:
    """What a replay did, step by step, in the operator's words, and the columns to rename."""

    lines: list[str] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)
    edits_applied: int = 0
    edits_not_found: int = 0


def replay(table: WorkTable, recipe: Recipe, label: str = "Apply recipe") -> Replayed:
    """Run ``recipe`` on ``table`` as ONE undoable action; a value not in the file is counted.

    The action keeps the recipe's steps, so a recipe built from this table later holds
    them as they were, not the cells they happened to change here.
    """
    before = len(table.history)
    done = Replayed()
    for step in recipe.steps:
        done.lines.append(_STEPS[step["step"]](table, step, done))
    actions = table.history[before:]
    if actions:
        merged = Action(label, bulk=True, steps=recipe.steps)
        for action in actions:  # each row's state before the first action that touched it
            for row, previous in action.previous_edits.items():
                merged.previous_edits.setdefault(row, previous)
            for row, was in action.previous_dropped.items():
                merged.previous_dropped.setdefault(row, was)
        table.history[before:] = [merged]
    return done


def apply_recipe(
    contacts: pd.DataFrame,
    recipe: Recipe,
    route: PhoneNumber | dict[str, Any],
    config: TelephonyConfig | dict[str, Any],
) -> WorkTable:
    """A working table of ``contacts`` (as ``read_contacts`` returns them) with ``recipe``
    replayed; ``replay`` on your own table gives the summary and the columns to rename."""
    table = WorkTable(contacts, route, config)
    replay(table, recipe)
    return table


def _apply_fixes(table: WorkTable, step: Step, done: Replayed) -> str:
    reason = step.get("reason")
    fixed = table.apply_fixes(reason)
    return f"Suggested fixes ({_title(reason)}): {_rows(fixed)} fixed"


def _drop_failing(table: WorkTable, step: Step, done: Replayed) -> str:
    dropped = table.drop_reason(step["reason"], step.get("country"))
    where = f" ({step['country']})" if step.get("country") else ""
    return f"Rows failing for {_title(step['reason'])}{where}: {_rows(dropped)} dropped"


def _resolve_duplicates(table: WorkTable, step: Step, done: Replayed) -> str:
    e164 = table.report.rows["e164"].dropna()
    firsts = pd.Series(e164.index, index=e164.index).groupby(e164.to_numpy()).transform("first")
    repeats = firsts[firsts != firsts.index]
    frame = pd.DataFrame({"duplicate_of": repeats}).reindex(table.report.rows.index)
    dropped = table.drop(resolve_duplicates(frame, step["keep"]), "Drop repeated numbers")
    return f"Repeated numbers, keeping {step['keep']}: {_rows(dropped)} dropped"


def _suppress_dnc(table: WorkTable, step: Step, done: Replayed) -> str:
    e164 = table.report.rows["e164"]
    listed = [int(row) for row in e164.index[e164.isin(step["numbers"])]]
    dropped = table.drop(listed, "Drop do-not-call numbers")
    return f"Do-not-call list ({len(step['numbers']):,} numbers): {_rows(dropped)} dropped"


def _map_columns(table: WorkTable, step: Step, done: Replayed) -> str:
    """Only columns this file has, and only to names no other column already holds."""
    columns = set(table.original.columns)
    usable = {c: name for c, name in step["columns"].items() if c in columns and c != PHONE_COLUMN}
    clash = {c for c, name in usable.items() if name in columns - {c}}
    found = {column: name for column, name in usable.items() if column not in clash}
    done.rename.update(found)
    mapped = ", ".join(f"{column} → {{{{{name}}}}}" for column, name in found.items())
    text = f"Columns mapped to variables: {mapped or 'none'}"
    missing = [column for column in step["columns"] if column not in columns]
    if missing:
        text += f"; not in this file: {', '.join(missing)}"
    if clash:
        text += f"; not mapped, another column has that name: {', '.join(sorted(clash))}"
    return text


def _edit_rows(table: WorkTable, step: Step, done: Replayed) -> str:
    phones = table.original[PHONE_COLUMN]
    matched = phones[phones.isin(list(step["edits"]))]
    columns, skipped = set(table.original.columns), set()
    changes: dict[int, dict[str, str]] = {}
    for row, value in matched.items():
        for column, text in step["edits"][value].items():
            if column in columns:
                changes.setdefault(int(row), {})[column] = text
            else:
                skipped.add(column)
    table.edit(changes, "Edit rows by number")
    found = set(matched)
    done.edits_applied += len(found)
    done.edits_not_found += len(step["edits"]) - len(found)
    missing = len(step["edits"]) - len(found)
    noun = "edit" if len(found) == 1 else "edits"
    text = (
        f"{len(found):,} {noun} applied ({_rows(len(matched))}), {missing:,} not found in this file"
    )
    return text + (f"; columns not in this file: {', '.join(sorted(skipped))}" if skipped else "")


def _drop_numbers(table: WorkTable, step: Step, done: Replayed) -> str:
    phones = table.original[PHONE_COLUMN]
    matched = phones[phones.isin(step["numbers"])]
    dropped = table.drop([int(row) for row in matched.index], "Drop rows by number")
    missing = len(step["numbers"]) - matched.nunique()
    return f"Rows dropped by number: {_rows(dropped)} dropped, {missing:,} not found in this file"


_STEPS: dict[str, Callable[[WorkTable, Step, Replayed], str]] = {
    "apply_fixes": _apply_fixes,
    "drop_failing": _drop_failing,
    "resolve_duplicates": _resolve_duplicates,
    "suppress_dnc": _suppress_dnc,
    "map_columns": _map_columns,
    "edit_rows": _edit_rows,
    "drop_numbers": _drop_numbers,
}


def _title(reason: str | None) -> str:
    return Reason(reason).title if reason else "every reason"


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


# ------------------------------------------------------------ the file a replay writes


def cleaned_bytes(table: WorkTable, suffix: str, rename: Mapping[str, str] | None = None) -> bytes:
    """The active rows as ``.csv`` (exactly what Submit sends) or ``.xlsx``, headers renamed
    as the recipe maps them: the same file and recipe give these same bytes every time."""
    rows = table.active.rename(columns=dict(rename or {}))
    if suffix == ".csv":
        return submission_csv(rows)
    return _fixed_zip_times(xlsx_bytes(rows))


_DOS_1980_01_01 = 33  # ((1980 - 1980) << 9) | (1 << 5) | 1; the time is 00:00:00


def _fixed_zip_times(data: bytes) -> bytes:
    """The workbook with every member dated 1980-01-01 00:00, its only varying bytes.

    Why patch: the zip writer stamps each part with the clock, so two runs a second apart
    differed. The dates sit at fixed offsets of each local header and central directory
    entry, outside every checksum, so this is exact and touches no compressed data.
    """
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entry = archive.start_dir
        for info in archive.infolist():
            struct.pack_into("<HH", patched, info.header_offset + 10, 0, _DOS_1980_01_01)
            struct.pack_into("<HH", patched, entry + 12, 0, _DOS_1980_01_01)
            name, extra, comment = struct.unpack_from("<HHH", patched, entry + 28)
            entry += 46 + name + extra + comment
    return bytes(patched)
