"""``batchcall fix --recipe`` in real processes: a recipe made on one list, replayed on the
next (rows moved, new rows, the same bad numbers), gives the same bytes every run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from batchcall.contacts import read_contacts
from batchcall.samples import sample_path
from batchcall.work.exports import submission_csv
from batchcall.work.recipe import build_recipe
from batchcall.work.table import WorkTable

from tests.test_cli import ROUTE, batchcall

WORKSPACE = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
ROUTE_DATA = next(n for n in WORKSPACE["phone_numbers"] if n["phone_number"] == ROUTE)
MESSY = sample_path("messy_contacts.xlsx")


@pytest.fixture(scope="module")
def recipe_and_next_week(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Last week's work on the messy sample as a recipe, and this week's list as a CSV:
    the same contacts reversed, two new ones, row 12's bad number '12345' kept."""
    folder = tmp_path_factory.mktemp("weeks")
    table = WorkTable(read_contacts(MESSY), ROUTE_DATA, WORKSPACE["telephony_config"])
    table.apply_fixes("invalid_phone_number")
    table.edit({12: {"phone_number": "+919812345678", "city": "Pune"}}, "Edit in grid")
    table.drop_reason("unsupported_destination_country")
    recipe = folder / "week1_recipe.json"
    build_recipe(table, rename={"customer_name": "name"}).dump(recipe)

    week2 = read_contacts(MESSY).iloc[::-1]
    new = pd.DataFrame(
        [["+919800011122", "Nila New", *[""] * 4], ["+447400999888", "Gb New", *[""] * 4]],
        columns=week2.columns,
    )
    listed = folder / "week2.csv"
    listed.write_bytes(submission_csv(pd.concat([week2, new], ignore_index=True)))
    return recipe, listed


def test_a_recipe_replays_on_next_weeks_list_byte_for_byte(
    tmp_path: Path, recipe_and_next_week: tuple[Path, Path]
) -> None:
    recipe, listed = recipe_and_next_week
    outputs = []
    for run in ("one", "two"):
        for suffix in (".csv", ".xlsx"):
            out = tmp_path / f"{run}{suffix}"
            done = batchcall("fix", str(listed), "--from-number", ROUTE, "-o", str(out),
                             "--recipe", str(recipe))  # fmt: skip
            assert done.returncode == 2, done.stderr  # the recipe leaves some rows failing
            assert "Traceback" not in done.stderr
            outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]

    cleaned = read_contacts(tmp_path / "one.csv")
    assert "name" in cleaned.columns and "customer_name" not in cleaned.columns
    by_name = cleaned.set_index("name")
    edited = read_contacts(MESSY).at[12, "customer_name"]  # row 12 last week, moved since
    assert by_name.at[edited, "phone_number"] == "+919812345678"
    assert by_name.at[edited, "city"] == "Pune"
    assert "Gb New" not in by_name.index  # a new row failing for a country is dropped too
    assert by_name.at["Nila New", "phone_number"] == "+919800011122"
    assert read_contacts(tmp_path / "one.xlsx").equals(cleaned)
    assert "1 edit applied (1 row), 0 not found in this file" in done.stderr


@pytest.mark.parametrize(
    ("recipe_text", "said"),
    [
        ("{", "is not valid JSON (line 1, column 2"),
        (
            '{"format": "batchcall-recipe", "version": 1, "steps": [{"step": "apply_fixes", '
            '"reason": "wrong"}]}',
            "step 1 (apply_fixes): reason: reason 'wrong' is not one of the platform's",
        ),
    ],
)
def test_a_bad_recipe_is_one_line_on_stderr_and_exit_1(
    tmp_path: Path, recipe_text: str, said: str
) -> None:
    recipe = tmp_path / "bad_recipe.json"
    recipe.write_text(recipe_text, encoding="utf-8")
    out = tmp_path / "out.csv"
    done = batchcall("fix", str(MESSY), "--from-number", ROUTE, "-o", str(out),
                     "--recipe", str(recipe))  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"batchcall fix: {recipe}") and said in line
    assert not out.exists()


def test_a_missing_recipe_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    done = batchcall("fix", str(MESSY), "--from-number", ROUTE, "-o", str(tmp_path / "o.csv"),
                     "--recipe", str(missing))  # fmt: skip
    assert done.returncode == 1
    assert f"{missing}: can not be read" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
