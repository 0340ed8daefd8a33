"""The submitted-row -> original-row map: the same answers as a dict, in one array."""

from __future__ import annotations

import pytest
from batchcall.work.row_map import RowMap


def test_a_row_map_answers_as_the_dict_it_replaces() -> None:
    originals = [2, 3, 5, 8, 13]
    as_dict = {position + 2: row for position, row in enumerate(originals)}
    compact = RowMap(originals)
    assert compact == as_dict and dict(compact.items()) == as_dict
    assert compact[4] == 5 and compact.get(6) == 13 and compact.get(7) is None
    assert list(compact) == [2, 3, 4, 5, 6] and len(compact) == 5
    assert 1 not in compact and 7 not in compact
    with pytest.raises(KeyError):
        compact[0]


def test_only_a_map_without_gaps_becomes_an_array() -> None:
    assert isinstance(RowMap.of({2: 10, 3: 11, 4: 40}), RowMap)
    gappy = {2: 10, 4: 40}
    assert RowMap.of(gappy) is gappy
    assert RowMap.of({}) == {}
