"""A recipe as data: its steps, each step's fields and checks, and its canonical JSON.

Why its own module: loading and checking a recipe needs no working table, so the
refusals (which name the file, the step and the field) and the byte-for-byte stable
dump live here, apart from building one from history or replaying one on a table.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from batchcall.checks.duplicates import KEEP_CHOICES
from batchcall.rules import Reason

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
