"""Recipes: canonical JSON, refusals that name the file and step, built from a table's
history and replayed by original number on a table whose rows moved."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from batchcall.contacts import read_contacts
from batchcall.samples import sample_path
from batchcall.work.recipe import (
    Recipe,
    RecipeError,
    apply_recipe,
    build_recipe,
    cleaned_bytes,
    replay,
)
from batchcall.work.table import WorkTable

WORKSPACE = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
ROUTE = next(n for n in WORKSPACE["phone_numbers"] if n["phone_number"] == "+912234567890")
CONFIG = WORKSPACE["telephony_config"]


def messy() -> pd.DataFrame:
    return read_contacts(sample_path("messy_contacts.xlsx"))


def contacts(rows: dict[int, tuple[str, str]]) -> pd.DataFrame:
    """A small list: row -> (phone cell, name), indexed as read_contacts indexes."""
    frame = pd.DataFrame(
        {"phone_number": [p for p, _ in rows.values()], "name": [n for _, n in rows.values()]},
        index=pd.Index(list(rows), name="row"),
        dtype=object,
    )
    return frame


def test_the_same_recipe_always_dumps_to_the_same_bytes_whatever_order_it_was_given_in() -> None:
    one = Recipe(
        (
            {"step": "suppress_dnc", "numbers": ["+919876543211", "+919876543210"]},
            {"step": "edit_rows", "edits": {"b": {"name": "B"}, "a": {"phone_number": "1"}}},
        )
    )
    other = Recipe(
        (
            {
                "numbers": ["+919876543210", "+919876543211", "+919876543210"],
                "step": "suppress_dnc",
            },
            {"edits": {"a": {"phone_number": "1"}, "b": {"name": "B"}}, "step": "edit_rows"},
        )
    )
    assert one.dumps() == other.dumps()
    assert Recipe.loads(one.dumps()) == one
    text = one.dumps().decode()
    assert text.index('"step"') < text.index('"numbers"')  # the kind of step reads first
    assert text.index("+919876543210") < text.index("+919876543211")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("{not json", "week.json: is not valid JSON (line 1, column 2"),
        ('{"format": "other", "version": 1, "steps": []}', "is not a batchcall recipe"),
        (
            '{"format": "batchcall-recipe", "version": 9, "steps": []}',
            "newer workbench (version 9)",
        ),
        (
            '{"format": "batchcall-recipe", "version": 1, "steps": [{"step": "apply_fixes"}, '
            '{"step": "drop_failing", "reason": "bad_luck"}]}',
            "week.json step 2 (drop_failing): reason: reason 'bad_luck' is not one of the "
            "platform's: invalid_phone_number",
        ),
        (
            '{"format": "batchcall-recipe", "version": 1, "steps": [{"step": "shuffle"}]}',
            "week.json step 1: unknown step 'shuffle'; known steps: apply_fixes",
        ),
        (
            '{"format": "batchcall-recipe", "version": 1, "steps": '
            '[{"step": "suppress_dnc", "numbers": ["98765 43210"]}]}',
            "step 1 (suppress_dnc): numbers: '98765 43210' is not an E.164 number",
        ),
        (
            '{"format": "batchcall-recipe", "version": 1, '
            '"steps": [{"step": "resolve_duplicates"}]}',
            "step 1 (resolve_duplicates): the field 'keep' is missing",
        ),
    ],
)
def test_a_bad_recipe_is_refused_naming_the_file_the_step_and_what_is_wrong(
    body: str, said: str
) -> None:
    with pytest.raises(RecipeError) as refused:
        Recipe.loads(body.encode(), "week.json")
    assert said in str(refused.value)


def test_loading_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match=r"nothing\.json: can not be read"):
        Recipe.load(tmp_path / "nothing.json")


def test_a_recipe_built_from_the_history_replays_the_same_work_as_one_undo() -> None:
    table = WorkTable(messy(), ROUTE, CONFIG)
    table.apply_fixes("invalid_phone_number")
    table.edit({12: {"phone_number": "9812345678"}}, "Edit in grid")
    table.drop_reason("unsupported_destination_country")
    table.drop([18], "Drop 1 row(s)")
    recipe = build_recipe(table, rename={"city": "town"})
    kinds = [step["step"] for step in recipe.steps]
    assert kinds == ["apply_fixes", "edit_rows", "drop_failing", "drop_numbers", "map_columns"]
    assert recipe.steps[1]["edits"] == {"12345": {"phone_number": "9812345678"}}

    again = WorkTable(messy(), ROUTE, CONFIG)
    done = replay(again, Recipe.loads(recipe.dumps()), "Apply recipe week.json")
    assert again.edits == table.edits and again.dropped == table.dropped
    assert done.rename == {"city": "town"}
    assert "1 edit applied (1 row), 0 not found in this file" in done.lines
    assert [action.label for action in again.history] == ["Apply recipe week.json"]
    again.undo()
    assert again.edits == {} and again.dropped == set()


def test_a_replayed_recipe_keeps_its_steps_in_the_next_recipe() -> None:
    recipe = Recipe(({"step": "apply_fixes", "reason": None},))
    table = apply_recipe(messy(), recipe, ROUTE, CONFIG)
    assert build_recipe(table).steps == recipe.steps


def test_work_restored_from_a_draft_comes_first_as_edits_and_drops() -> None:
    table = WorkTable(messy(), ROUTE, CONFIG)
    table.apply_draft({"edits": {"12": {"phone_number": "9812345678"}}, "dropped": [45]})
    table.drop_reason("unsupported_prefix")
    steps = build_recipe(table).steps
    assert steps[0] == {"step": "edit_rows", "edits": {"12345": {"phone_number": "9812345678"}}}
    assert steps[1] == {"step": "drop_numbers", "numbers": ["N/A"]}
    assert steps[2]["step"] == "drop_failing"


def test_edits_find_their_rows_by_original_number_after_the_rows_moved() -> None:
    first = contacts({2: ("98765x43210", "Asha"), 3: ("+919812345678", "Ravi")})
    table = WorkTable(first, ROUTE, CONFIG)
    table.edit({2: {"phone_number": "+919876543210", "name": "Asha K"}}, "Edit in grid")
    recipe = Recipe.loads(build_recipe(table).dumps())

    moved = contacts(
        {2: ("+919800000001", "New"), 3: ("+919812345678", "Ravi"), 4: ("98765x43210", "Asha")}
    )
    again = WorkTable(moved, ROUTE, CONFIG)
    done = replay(again, recipe)
    assert again.edits == {4: {"phone_number": "+919876543210", "name": "Asha K"}}
    assert done.edits_applied == 1 and done.edits_not_found == 0
    assert again.failing_count == 0

    elsewhere = WorkTable(contacts({2: ("+919800000001", "New")}), ROUTE, CONFIG)
    assert "0 edits applied (0 rows), 1 not found in this file" in replay(elsewhere, recipe).lines


def test_a_drop_of_one_copy_of_a_shared_number_is_left_out_not_widened() -> None:
    table = WorkTable(
        contacts({2: ("+919812345678", "A"), 3: ("+919812345678", "B")}), ROUTE, CONFIG
    )
    table.drop([3])
    recipe = build_recipe(table)
    assert recipe.steps == () and recipe.left_out == (3,)


def test_duplicates_keep_the_last_copy_and_the_dnc_list_matches_by_e164() -> None:
    rows = {
        2: ("+919812345678", "first"),
        3: ("09812345678", "second"),
        4: ("98123 45678", "third"),
        5: ("+91 98765 43210", "on the list"),
    }
    recipe = Recipe(
        (
            {"step": "resolve_duplicates", "keep": "last"},
            {"step": "suppress_dnc", "numbers": ["+919876543210"]},
        )
    )
    table = apply_recipe(contacts(rows), recipe, ROUTE, CONFIG)
    assert sorted(table.dropped) == [2, 3, 5]


def test_columns_are_mapped_only_to_names_no_other_column_holds() -> None:
    table = WorkTable(contacts({2: ("+919812345678", "A")}), ROUTE, CONFIG)
    steps = ({"step": "map_columns", "columns": {"name": "customer", "city": "town"}},)
    done = replay(table, Recipe(steps))
    assert done.rename == {"name": "customer"}
    assert "not in this file: city" in done.lines[0]


def test_the_cleaned_xlsx_has_no_clock_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    table = apply_recipe(messy(), Recipe(({"step": "apply_fixes", "reason": None},)), ROUTE, CONFIG)
    first = cleaned_bytes(table, ".xlsx", {"city": "town"})
    later = (2031, 7, 4, 13, 37, 58, 0, 0, 0)
    monkeypatch.setattr("time.localtime", lambda *_: later)  # the zip writer's clock
    assert cleaned_bytes(table, ".xlsx", {"city": "town"}) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.testzip() is None
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    cleaned = read_contacts(first, "cleaned.xlsx")
    assert "town" in cleaned.columns and len(cleaned) == len(table.active)


def test_edits_after_a_replayed_recipe_do_not_rewrite_the_recipe_it_kept() -> None:
    first = contacts({2: ("98765x43210", "Asha"), 3: ("98123x45678", "Ravi")})
    steps = ({"step": "edit_rows", "edits": {"98765x43210": {"phone_number": "+919876543210"}}},)
    table = apply_recipe(first, Recipe(steps), ROUTE, CONFIG)
    table.edit({3: {"phone_number": "+919812345678"}}, "Edit in grid")
    built = build_recipe(table)
    assert built.steps[0]["edits"] == {
        "98765x43210": {"phone_number": "+919876543210"},
        "98123x45678": {"phone_number": "+919812345678"},
    }
    assert table.history[0].steps == Recipe(steps).steps  # the replayed action is unchanged
    assert build_recipe(table) == built
