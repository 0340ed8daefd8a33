"""batchcall.ui.sidebar_fates without a page: which counts the sidebar trusts, and when.

Submit's fates are made here as Submit makes them (``precheck`` then ``row_fates``) and
put in the session's cache under a key shaped like Submit's; nothing is drawn.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from batchcall.checks import Disposition, precheck
from batchcall.checks.fates import row_fates
from batchcall.ui.sidebar_fates import fate_counts, keyed_on, platform_split, table_token
from batchcall.ui.state import Session

from tests.test_pages_lookalikes import PLATFORM_REFUSED, REPEAT, ROWS, indian_list_session

AT = datetime(2025, 3, 12, 6, 0, tzinfo=UTC)


@pytest.fixture
def session() -> Session:
    return indian_list_session()


def submit_checks(session: Session, *, keep: str = "first") -> None:
    """What Submit leaves in the cache after its checks: every row's fate for this table."""
    table, upload = session.table, session.upload
    assert table is not None and upload is not None
    report = precheck(table.active, table.route, table.config, at=AT)
    fates = row_fates(report, table.original.index, keep=keep, leave_out_outside_hours=False)
    base = (upload.digest, id(table), table.version, table.route.phone_number, None, False)
    session.caches.fates.get(((base, report.window, AT), keep, False), lambda: fates)


def test_a_key_names_this_table_only_with_its_id_and_version_side_by_side(session):
    table = session.table
    token = table_token(table)
    assert keyed_on(((("digest", id(table), table.version, "+91"), "window"), "first"), token)
    assert keyed_on((id(table), table.version), token)
    assert not keyed_on((id(table), table.version + 1), token)
    assert not keyed_on((table.version, id(table)), token)
    assert not keyed_on(None, token)
    assert not keyed_on((id(table), "x", table.version), token)


def test_without_a_file_there_is_nothing_to_count():
    assert fate_counts(Session()) is None


def test_before_submit_the_split_the_table_knows_adds_up_to_the_file(session):
    counts = fate_counts(session)
    assert counts is not None and not counts.complete
    assert dict(counts.counts) == {
        Disposition.TO_CALL: ROWS - len(PLATFORM_REFUSED),
        Disposition.INVALID_PHONE_NUMBER: 1,
        Disposition.UNSUPPORTED_DESTINATION_COUNTRY: 1,
    }
    assert counts.total == ROWS
    assert fate_counts(session) is counts  # built once per table version


def test_dropped_rows_are_counted_and_zeros_left_out(session):
    session.table.drop([2, 3])
    counts = dict(platform_split(session.table).counts)
    assert counts[Disposition.DROPPED] == 2
    assert counts[Disposition.TO_CALL] == ROWS - len(PLATFORM_REFUSED) - 2
    assert 0 not in counts.values()
    assert sum(counts.values()) == ROWS


def test_submits_fates_are_shown_to_call_first_and_outlive_submits_caches(session):
    submit_checks(session)
    fates = session.caches.fates.value
    counts = fate_counts(session)
    assert counts is not None and counts.complete
    assert dict(counts.counts) == {d: n for d, n in fates.counts.items() if n}
    assert counts.counts[0][0] is Disposition.TO_CALL
    assert dict(counts.counts)[Disposition.DUPLICATE] == 1
    assert fates.dispositions[REPEAT] == Disposition.DUPLICATE.value
    assert sum(n for _, n in counts.counts) == ROWS
    assert counts.lines()[0] == f"To call: **{dict(counts.counts)[Disposition.TO_CALL]:,}**"

    session.drop_checks()  # a launch lets them go
    assert session.caches.fates.value is None
    assert fate_counts(session) is counts


def test_another_choice_on_submit_gives_other_counts(session):
    submit_checks(session)
    first = fate_counts(session)
    submit_checks(session, keep="all")
    every = fate_counts(session)
    assert Disposition.DUPLICATE in dict(first.counts)
    assert Disposition.DUPLICATE not in dict(every.counts)


def test_a_change_to_the_table_falls_back_to_what_the_table_knows(session):
    submit_checks(session)
    assert fate_counts(session).complete
    session.table.drop([REPEAT])
    counts = fate_counts(session)
    assert not counts.complete  # Submit's fates were for the table before the drop
    assert dict(counts.counts)[Disposition.DROPPED] == 1


def test_fates_of_another_version_are_never_shown(session):
    session.table.drop([2])
    submit_checks(session)
    session.table.undo()
    assert not fate_counts(session).complete
