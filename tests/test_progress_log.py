"""The Progress page's history of status counts: dedupe, order, bound, table shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from batchcall.api.batches import Call
from batchcall.insight.progress import ProgressLog, Sample, calls_table, log_for

START = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def at(seconds: int) -> datetime:
    return START + timedelta(seconds=seconds)


def test_identical_consecutive_samples_are_kept_once() -> None:
    log = ProgressLog()
    assert log.add(at(0), {"queued": 3}) is True
    assert log.add(at(1), {"queued": 3}) is False
    assert log.add(at(2), {"queued": 2, "in_progress": 1}) is True
    assert log.add(at(3), {"queued": 3}) is True  # not consecutive: a real change back
    assert [s.at for s in log.samples] == [at(0), at(2), at(3)]


def test_a_sample_older_than_the_latest_is_ignored() -> None:
    log = ProgressLog()
    log.add(at(5), {"queued": 3})
    assert log.add(at(4), {"queued": 2}) is False
    assert log.latest == Sample(at(5), {"queued": 3})


def test_the_log_keeps_its_own_copy_of_the_counts() -> None:
    counts = {"queued": 3}
    log = ProgressLog()
    log.add(at(0), counts)
    counts["queued"] = 0
    assert log.samples[0].counts == {"queued": 3}


def test_past_the_cap_the_log_halves_keeping_first_and_latest() -> None:
    log = ProgressLog(max_samples=4)
    for second in range(5):
        log.add(at(second), {"completed": second})
    # 5 samples > 4: keep 0, 2 (every other of the older ones) and the latest, 4.
    assert [s.counts["completed"] for s in log.samples] == [0, 2, 4]
    for second in range(5, 7):
        log.add(at(second), {"completed": second})
    # 0, 2, 4, 5, 6 is 5 again: keep 0, 4 and the latest, 6.
    assert [s.counts["completed"] for s in log.samples] == [0, 4, 6]


def test_the_log_never_exceeds_its_cap_over_a_long_run() -> None:
    log = ProgressLog(max_samples=100)
    for second in range(10_000):
        log.add(at(second), {"completed": second})
        assert len(log) <= 100
    assert log.samples[0].at == at(0)
    assert log.samples[-1].at == at(9_999)
    assert [s.at for s in log.samples] == sorted(s.at for s in log.samples)


def test_a_cap_below_two_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        ProgressLog(max_samples=1)


def test_frame_is_wide_with_zero_for_statuses_absent_from_a_sample() -> None:
    log = ProgressLog()
    log.add(at(0), {"queued": 2})
    log.add(at(1), {"queued": 1, "completed": 1})
    expected = pd.DataFrame({"t": [at(0), at(1)], "queued": [2, 1], "completed": [0, 1]}).astype(
        {"queued": "int64", "completed": "int64"}
    )
    pd.testing.assert_frame_equal(log.frame(), expected)


def test_frame_of_an_empty_log_has_only_the_time_column() -> None:
    assert list(ProgressLog().frame().columns) == ["t"]
    assert ProgressLog().frame().empty


def test_long_frame_has_one_row_per_sample_and_status() -> None:
    log = ProgressLog()
    log.add(at(0), {"queued": 2, "completed": 0})
    log.add(at(1), {"queued": 1, "completed": 1})
    long = log.long_frame()
    assert list(long.columns) == ["t", "status", "count"]
    assert long.to_dict("records") == [
        {"t": at(0), "status": "queued", "count": 2},
        {"t": at(1), "status": "queued", "count": 1},
        {"t": at(0), "status": "completed", "count": 0},
        {"t": at(1), "status": "completed", "count": 1},
    ]


def test_log_for_creates_one_log_per_batch_and_reuses_it() -> None:
    logs: dict[str, ProgressLog] = {}
    first = log_for(logs, "batch_1")
    assert log_for(logs, "batch_1") is first
    assert log_for(logs, "batch_2") is not first
    assert set(logs) == {"batch_1", "batch_2"}


def test_frame_feeds_the_status_area_chart() -> None:
    from batchcall.charts.progress import status_area

    log = ProgressLog()
    log.add(at(0), {"queued": 2, "in-progress": 0})
    log.add(at(1), {"queued": 1, "in-progress": 1})
    figure = status_area(log.frame())
    assert [trace.name for trace in figure.data] == ["Queued", "In progress"]
    assert list(figure.data[0].y) == [2, 1]


def call(
    position: int | None, status: str, metadata: dict | None = None, **variables: object
) -> Call:
    return Call.model_validate(
        {
            "id": f"call_{position}",
            "position": position,
            "to_phone_number": f"+9198765432{position or 0:02d}",
            "status": status,
            "duration_seconds": 30,
            "end_reason": "user_disconnected" if status == "completed" else None,
            "ended_at": "2024-03-01T10:01:00.000Z" if status == "completed" else None,
            "metadata": {**(metadata or {}), **variables},
        }
    )


def test_calls_table_maps_rows_to_the_original_file_and_flattens_variables() -> None:
    calls = [call(3, "in-progress", customer_name="Rahul"), call(2, "completed", city="Delhi")]
    table = calls_table(calls, row_map={2: 2, 3: 5})
    fixed = ["row", "to_phone_number", "status", "duration_seconds", "end_reason", "ended_at"]
    assert list(table.columns) == [*fixed, "customer_name", "city"]
    assert table["row"].tolist() == [2, 5]
    assert table["status"].tolist() == ["completed", "in_progress"]
    assert table["customer_name"].fillna("").tolist() == ["", "Rahul"]
    assert table["city"].fillna("").tolist() == ["Delhi", ""]
    assert table.loc[0, "ended_at"] == datetime(2024, 3, 1, 10, 1, tzinfo=UTC)


def test_calls_table_without_a_row_map_keeps_the_submitted_rows() -> None:
    table = calls_table([call(4, "queued"), call(None, "queued")])
    assert list(table.columns[:1]) == ["submitted_row"]
    assert table["submitted_row"].tolist()[0] == 4
    assert table["submitted_row"].isna().tolist() == [False, True]


def test_calls_table_prefixes_variables_that_clash_with_fixed_columns() -> None:
    table = calls_table([call(2, "completed", {"status": "VIP", "row": "x"})], row_map={2: 9})
    assert table.loc[0, "status"] == "completed"
    assert table.loc[0, "var_status"] == "VIP"
    assert table.loc[0, "var_row"] == "x"
    assert table.loc[0, "row"] == 9


def test_calls_table_of_no_calls_has_the_fixed_columns() -> None:
    assert list(calls_table([], row_map={}).columns) == [
        "row",
        "to_phone_number",
        "status",
        "duration_seconds",
        "end_reason",
        "ended_at",
    ]
