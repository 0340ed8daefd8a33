"""Fix rows' "Replay a cleaning": what this operator did as a recipe, and a recipe applied.

Why on Fix rows and not Upload: a recipe is cleaning, and Fix rows is where an operator
cleans, sees the result at once and can undo it; the page says so under its title.
A recipe is applied as ONE undoable action, and the file that carried it is taken once
(the uploader gets a new key), so a rerun never applies it twice.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import streamlit as st

from batchcall.ui.downloads import files_wanted
from batchcall.ui.fix_outcome import remember
from batchcall.ui.session import save_draft
from batchcall.ui.state import Session
from batchcall.work.recipe import MAX_RECIPE_BYTES, Recipe, RecipeError, build_recipe, replay

JSON_MIME = "application/json"


def current_recipe(session: Session) -> Recipe:
    """The operator's work on this table (and Submit's column mapping), built once per state."""
    table, upload = session.table, session.upload
    assert table is not None and upload is not None
    rename = dict(session.submit.variable_map)
    key: Hashable = (upload.digest, id(table), table.version, tuple(sorted(rename.items())))
    return session.caches.recipe.get(key, lambda: build_recipe(table, rename=rename))


def show_recipe_tools(session: Session) -> None:
    """Download this cleaning as a recipe; apply one made on an earlier list."""
    st.subheader("Replay a cleaning")
    st.caption(
        "Cleaning the same kind of list every week? Download what you did here as a recipe, "
        "and next time apply it to the new list in one step. Edits and drops are matched by "
        "the original phone number, so they find their rows even when the rows have moved."
    )
    left, right = st.columns(2)
    with left:
        _download(session)
    with right:
        _upload(session)
    if session.replay.recipe_error:
        st.error(session.replay.recipe_error, icon=":material/error:")


def _download(session: Session) -> None:
    if not files_wanted(session):
        st.caption("Press **Prepare the downloads** below to build the recipe as well.")
        return
    recipe = current_recipe(session)
    if not recipe.steps:
        st.caption("Nothing to put in a recipe yet: fix, edit or drop rows first.")
        return
    upload = session.upload
    assert upload is not None
    count = len(recipe.steps)
    st.download_button(
        f"Download recipe (JSON, {count} step{'s' if count != 1 else ''})",
        recipe.dumps(),
        f"{Path(upload.filename).stem}_recipe.json",
        JSON_MIME,
        key="fix-download-recipe",
        on_click="ignore",
    )
    if recipe.left_out:
        rows = ", ".join(map(str, recipe.left_out[:20])) + (
            " …" if len(recipe.left_out) > 20 else ""
        )
        st.caption(
            f"Not in the recipe: your changes to rows {rows}. Their original phone cell is "
            "empty, or another row you kept has the same number, so a number can not name them."
        )


def _upload(session: Session) -> None:
    uploaded = st.file_uploader(
        "Apply a recipe (JSON)",
        type=["json"],
        max_upload_size=MAX_RECIPE_BYTES // 2**20,
        key=f"fix-recipe-{session.replay.generation}",
        help="A recipe downloaded from this page, for this list or an earlier one.",
    )
    if uploaded is not None:
        apply_recipe_file(session, uploaded.name, uploaded.getvalue())


def apply_recipe_file(session: Session, name: str, data: bytes) -> None:
    """Replay the recipe in ``data`` on the working table, or say why the file is refused."""
    table = session.table
    assert table is not None
    session.replay.generation += 1  # the uploader is emptied: this file is taken once
    session.replay.recipe_error = session.replay.corrections_error = None
    try:
        recipe = Recipe.loads(data, name)
    except RecipeError as exc:
        session.replay.recipe_error = f"{exc}. Nothing was changed."
        st.rerun()
    done = replay(table, recipe, f"Apply recipe {name}")
    session.submit.variable_map.update(done.rename)
    save_draft(session)
    lines = "\n".join(f"- {line}" for line in done.lines)
    remember(session, "success", f"Recipe **{name}** applied (one step to undo):\n{lines}")
    st.rerun()
