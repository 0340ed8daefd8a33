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

from batchcall.work.recipe_build import Timeline as Timeline
from batchcall.work.recipe_build import build_recipe
from batchcall.work.recipe_format import MAX_RECIPE_BYTES as MAX_RECIPE_BYTES
from batchcall.work.recipe_format import RECIPE_FORMAT, RECIPE_VERSION, Recipe, RecipeError
from batchcall.work.recipe_format import STEP_FIELDS as STEP_FIELDS
from batchcall.work.recipe_format import Step as Step
from batchcall.work.recipe_format import checked_step as checked_step
from batchcall.work.recipe_replay import Replayed, apply_recipe, cleaned_bytes, replay

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
