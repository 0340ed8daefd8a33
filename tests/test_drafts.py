"""Drafts: one operator's work on one file, by its own id, never another's, never lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batchcall.digests import digest
from batchcall.work.drafts import (
    Draft,
    FileDraftStore,
    StaleDraftError,
    UnreadableDraftError,
    new_draft_id,
)

DATA = b"phone_number\n9876543210\n"
FILE = digest(DATA)


def draft(owner: str = "browser-a", **fields: object) -> Draft:
    values: dict = {"edits": {"2": {"phone_number": "1"}}, "dropped": [3], **fields}
    return Draft(id=new_draft_id(), digest=FILE, filename="list.csv", owner=owner, **values)


def test_a_draft_round_trips_by_its_own_id(tmp_path: Path) -> None:
    store = FileDraftStore(tmp_path)
    store.save_source(FILE, DATA)
    saved = store.save(draft())
    assert saved.saved_at and saved.version == 1
    loaded = store.load(saved.id)
    assert loaded == saved and loaded.has_work
    assert store.load_source(FILE) == DATA
    assert store.load(new_draft_id()) is None


def test_every_cell_text_and_field_reads_back_exactly_after_a_save_and_an_archive(
    tmp_path: Path,
) -> None:
    store = FileDraftStore(tmp_path)
    odd = ["Zoë", "名前", "😀 emoji", 'quote " and \\ slash', "line\nbreak", "\t", "", "\x00"]
    edits = {str(row): {"phone_number": f"+91 98765 {row:05d}", "name": odd[row % len(odd)]}
             for row in range(2, 2_000)}  # fmt: skip
    history = [{"label": "Drop rows", "rows": list(range(2, 500))}, {"label": "Edit", "x": None}]
    made = draft(
        edits=edits,
        dropped=list(range(3, 30_000, 7)),
        history=history,
        sheet="Feuille 1",
        phone_column="Téléphone",
        route_number="+4930000000",
    )
    saved = store.save(made)
    assert store.load(saved.id) == saved
    store.archive(saved.id)
    archived = store.load(saved.id)
    assert archived is not None and archived.archived
    assert (archived.edits, archived.dropped, archived.history) == (edits, made.dropped, history)


def test_two_operators_on_one_file_each_get_their_own(tmp_path: Path) -> None:
    store = FileDraftStore(tmp_path)
    mine, theirs = store.save(draft("browser-a")), store.save(draft("browser-b", dropped=[9]))
    assert mine.id != theirs.id
    assert store.latest(FILE, "browser-a") == mine
    assert store.latest(FILE, "browser-b") == theirs
    assert store.latest(FILE, "browser-c") is None


def test_of_two_drafts_saved_in_the_same_second_the_later_is_offered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileDraftStore(tmp_path)
    clock = iter([1_700_000_000_100_000_000, 1_700_000_000_900_000_000])
    monkeypatch.setattr("batchcall.work.drafts.time.time_ns", lambda: next(clock))
    first = store.save(draft(dropped=[4]))
    second = store.save(draft(dropped=[5]))  # the same second on the clock
    assert first.saved_at == second.saved_at
    assert store.latest(FILE, "browser-a") == second


def test_an_upload_reads_only_the_drafts_of_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileDraftStore(tmp_path)
    for n in range(40):  # other files' drafts, as a long-lived server gathers them
        other = Draft(id=new_draft_id(), digest=digest(b"%d" % n), filename="x.csv", dropped=[2])
        store.save(other)
    mine = store.save(draft())
    assert store.latest(FILE, "browser-a") == mine
    read: list[Path] = []
    original = FileDraftStore._read
    monkeypatch.setattr(
        FileDraftStore, "_read", lambda self, path: read.append(path) or original(self, path)
    )
    assert store.latest(FILE, "browser-a") == mine
    assert read == [tmp_path / f"{mine.id}.json"]
    store.archive(mine.id)  # "Start fresh": set aside, and no longer read for this file
    read.clear()
    assert store.latest(FILE, "browser-a") is None and read == []


def test_drafts_saved_before_they_were_filed_by_file_are_still_offered(tmp_path: Path) -> None:
    older = draft()
    older.version, older.saved_at = 3, "2026-01-02T03:04:05+00:00"
    fields = {name: getattr(older, name) for name in Draft.__dataclass_fields__}
    (tmp_path / f"{older.id}.json").write_text(json.dumps(fields, indent=1))
    (tmp_path / "sources").mkdir()
    store = FileDraftStore(tmp_path)
    assert store.latest(FILE, "browser-a") == older
    assert store.latest(FILE, "browser-b") is None
    again = store.save(older)
    assert again.version == 4 and FileDraftStore(tmp_path).latest(FILE, "browser-a") == again


def test_a_second_tab_can_not_overwrite_newer_work(tmp_path: Path) -> None:
    store = FileDraftStore(tmp_path)
    first = store.save(draft())
    tab_a, tab_b = store.load(first.id), store.load(first.id)
    assert tab_a is not None and tab_b is not None
    tab_a.dropped = [3, 4]
    store.save(tab_a)
    tab_b.dropped = []
    with pytest.raises(StaleDraftError):
        store.save(tab_b)
    assert store.load(first.id).dropped == [3, 4]


def test_start_fresh_archives_and_nothing_is_offered_again(tmp_path: Path) -> None:
    store = FileDraftStore(tmp_path)
    saved = store.save(draft())
    store.archive(saved.id)
    assert store.latest(FILE, "browser-a") is None
    assert store.load(saved.id).archived
    assert store.latest(FILE, "browser-a") is None
    assert store.save(draft(edits={}, dropped=[])).has_work is False
    assert store.latest(FILE, "browser-a") is None  # no work: nothing to offer


@pytest.mark.parametrize(
    "content",
    ["{not json", "null", "[]", '"text"', json.dumps({"id": 5}), "{}"],
)
def test_a_damaged_draft_is_reported_not_crashed_on(tmp_path: Path, content: str) -> None:
    store = FileDraftStore(tmp_path)
    saved = store.save(draft())
    (tmp_path / f"{saved.id}.json").write_text(content)
    with pytest.raises(UnreadableDraftError):
        store.load(saved.id)
    assert store.latest(FILE, "browser-a") is None  # damaged drafts are not offered


@pytest.mark.parametrize(
    "field",
    [
        {"edits": None},
        {"edits": {"2": "x"}},
        {"edits": {"2": {"phone_number": 5}}},
        {"dropped": "3"},
        {"dropped": [True]},
        {"version": "1"},
        {"filename": None},
        {"history": {"label": "x"}},
    ],
)
def test_fields_of_the_wrong_type_make_a_draft_unreadable(tmp_path: Path, field: dict) -> None:
    store = FileDraftStore(tmp_path)
    saved = store.save(draft())
    stored = json.loads((tmp_path / f"{saved.id}.json").read_text())
    (tmp_path / f"{saved.id}.json").write_text(json.dumps({**stored, **field}))
    with pytest.raises(UnreadableDraftError):
        store.load(saved.id)


def test_the_undo_history_is_kept_and_an_old_draft_without_it_still_loads(
    tmp_path: Path,
) -> None:
    store = FileDraftStore(tmp_path)
    action = {"label": "Edit in grid", "previous_edits": {"2": None}}
    saved = store.save(draft(history=[action]))
    loaded = store.load(saved.id)
    assert loaded is not None and loaded.history == [action]
    assert loaded.work() == {"edits": loaded.edits, "dropped": [3], "history": [action]}
    stored = json.loads((tmp_path / f"{saved.id}.json").read_text())
    del stored["history"]  # as drafts were written before they kept their history
    (tmp_path / f"{saved.id}.json").write_text(json.dumps(stored))
    old = store.load(saved.id)
    assert old is not None and old.history == [] and old.edits == {"2": {"phone_number": "1"}}


@pytest.mark.parametrize("name", ["", "../etc", "zzzzzzzzzz", "abc", "a" * 64, "../" + "a" * 29])
def test_paths_are_never_built_from_input(tmp_path: Path, name: str) -> None:
    assert FileDraftStore(tmp_path).load(name) is None
    with pytest.raises(ValueError):
        FileDraftStore(tmp_path).save_source("../" + "0" * 61, b"x")


def test_row_maps_are_kept_by_checked_batch_ids(tmp_path: Path) -> None:
    from batchcall.work.submission import RowMapStore

    store = RowMapStore(tmp_path)
    store.save("batch_abc123", {2: 5, 3: 7})
    assert store.load("batch_abc123") == {2: 5, 3: 7}
    assert store.load("batch_unknown") is None
    store.save("../escape", {2: 2})
    assert not list(tmp_path.parent.glob("escape.json")) and store.load("../escape") is None
    (tmp_path / "batch_bad.json").write_text("null")
    assert store.load("batch_bad") is None


def test_a_whole_batchs_row_map_is_kept_as_its_list_of_rows(tmp_path: Path) -> None:
    from batchcall.work.row_map import RowMap
    from batchcall.work.submission import RowMapStore

    store = RowMapStore(tmp_path)
    originals = list(range(5, 120_005, 1))[::-1]  # every row, the last first
    store.save("batch_big", RowMap(originals))
    assert len((tmp_path / "batch_big.json").read_bytes()) < 8 * len(originals)
    loaded = store.load("batch_big")
    assert dict(loaded) == {2 + i: row for i, row in enumerate(originals)}
    store.save("batch_dict", {2: 9, 3: 4})  # a plain dict whose rows run from 2: compact too
    assert dict(store.load("batch_dict")) == {2: 9, 3: 4}
    (tmp_path / "batch_old.json").write_text('{"2": 11, "3": 12}')  # as written before
    assert store.load("batch_old") == {2: 11, 3: 12}
    (tmp_path / "batch_cut.json").write_text('{"first": 2}')
    assert store.load("batch_cut") is None
