"""Outcomes by uploaded variable: counts, connect rate, blanks, Other, and their chart.

Every calls table is built by hand, so each expected number can be counted on the fingers.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from batchcall.api.batches import Call
from batchcall.charts import outcomes as charts
from batchcall.charts.progress import STATUS_COLORS
from batchcall.charts.style import OTHER_COLOR
from batchcall.insight.outcomes import outcome_columns, outcomes_by, status_columns
from batchcall.insight.progress import calls_table


def calls(rows: list[tuple[str, float | None, dict[str, object]]]) -> pd.DataFrame:
    """A calls table shaped like ``calls_table``: (status, duration, variables) per call."""
    names = list(dict.fromkeys(name for *_, variables in rows for name in variables))
    return pd.DataFrame(
        [
            {
                "row": i + 2,
                "to_phone_number": f"+9198765{i:05d}",
                "status": status,
                "duration_seconds": duration,
                "end_reason": None,
                "ended_at": None,
                **{name: variables.get(name) for name in names},
            }
            for i, (status, duration, variables) in enumerate(rows)
        ]
    )


LOANS = calls(
    [
        ("completed", 60, {"product": "Home loan", "city": "Pune"}),
        ("completed", 120, {"product": "Home loan", "city": "Pune"}),
        ("no-answer", 0, {"product": "Home loan", "city": "Delhi"}),
        ("no_answer", None, {"product": "Home loan", "city": "Delhi"}),
        ("busy", 0, {"product": "Car loan", "city": "Delhi"}),
        ("completed", 45, {"product": "Car loan", "city": ""}),
        ("queued", None, {"product": "Gold loan", "city": None}),
        ("cancelled", None, {"product": "Gold loan", "city": "  "}),
        ("failed", 0, {"product": "", "city": "Pune"}),
    ]
)


def by_value(table: pd.DataFrame) -> dict[str, dict[str, object]]:
    return table.set_index(table.columns[0]).to_dict("index")


def test_counts_rate_and_duration_per_value() -> None:
    table = outcomes_by(LOANS, "product")
    assert list(table["product"]) == ["Home loan", "Car loan", "Gold loan", "(blank)"]
    rows = by_value(table)
    home = rows["Home loan"]
    assert (home["calls"], home["completed"], home["no_answer"], home["dialled"]) == (4, 2, 2, 4)
    assert home["connect_rate"] == pytest.approx(0.5)
    assert home["mean_duration_s"] == pytest.approx(90.0)  # completed only: (60 + 120) / 2
    car = rows["Car loan"]
    assert (car["busy"], car["dialled"], car["connect_rate"]) == (1, 2, 0.5)
    assert car["mean_duration_s"] == pytest.approx(45.0)
    assert rows["(blank)"]["failed"] == 1 and rows["(blank)"]["connect_rate"] == 0.0


def test_status_columns_merge_spellings_and_keep_the_lifecycle_order() -> None:
    table = outcomes_by(LOANS, "product")
    assert status_columns(table) == [
        "queued", "completed", "no_answer", "busy", "failed", "cancelled",
    ]  # fmt: skip
    assert "no-answer" not in table.columns
    # Every call lands in exactly one status column, so the row adds up to its calls.
    assert (table[status_columns(table)].sum(axis=1) == table["calls"]).all()


def test_nothing_dialled_has_no_rate_rather_than_zero() -> None:
    gold = by_value(outcomes_by(LOANS, "product"))["Gold loan"]
    assert gold["dialled"] == 0  # one queued, one cancelled: neither was placed
    assert math.isnan(gold["connect_rate"])
    assert math.isnan(gold["mean_duration_s"])


def test_empty_missing_and_whitespace_cells_are_one_blank_row() -> None:
    rows = by_value(outcomes_by(LOANS, "city"))
    assert rows["(blank)"]["calls"] == 3  # "", None and "  "
    assert set(rows) == {"Pune", "Delhi", "(blank)"}


def test_values_past_top_are_one_other_row_last_with_recomputed_numbers() -> None:
    rows = [("completed", 10, {"branch": "big"})] * 5
    rows += [("no_answer", 0, {"branch": "mid"})] * 3
    rows += [("completed", 30, {"branch": f"tiny{i}"}) for i in range(3)]
    rows += [("busy", 0, {"branch": "tiny3"}), ("queued", None, {"branch": None})]
    table = outcomes_by(calls(rows), "branch", top=2)
    assert list(table["branch"]) == ["big", "mid", "(blank)", "Other (4 values)"]
    other = by_value(table)["Other (4 values)"]
    assert (other["calls"], other["completed"], other["busy"], other["dialled"]) == (4, 3, 1, 4)
    assert other["connect_rate"] == pytest.approx(0.75)
    assert other["mean_duration_s"] == pytest.approx(30.0)


def test_a_single_value_past_top_is_shown_by_name() -> None:
    rows = [("completed", 10, {"branch": b}) for b in ("a", "a", "b", "c")]
    assert list(outcomes_by(calls(rows), "branch", top=2)["branch"]) == ["a", "b", "c"]


def test_ties_are_ordered_by_value() -> None:
    rows = [("completed", 10, {"city": c}) for c in ("Pune", "Agra", "Pune", "Agra", "Goa")]
    assert list(outcomes_by(calls(rows), "city")["city"]) == ["Agra", "Pune", "Goa"]


def test_a_variable_named_like_an_output_column_does_not_collide() -> None:
    table = outcomes_by(calls([("completed", 5, {"completed": "yes"})]), "completed")
    assert list(table.columns[:2]) == ["completed (value)", "calls"]
    assert table.loc[0, "completed"] == 1


def test_empty_table_and_unknown_column() -> None:
    assert outcomes_by(LOANS.iloc[:0], "product").empty
    with pytest.raises(KeyError, match="region"):
        outcomes_by(LOANS, "region")
    with pytest.raises(ValueError, match="top"):
        outcomes_by(LOANS, "product", top=0)


def test_outcomes_read_a_real_calls_table() -> None:
    records = [
        {"id": "a", "position": 2, "status": "no-answer", "metadata": {"plan": "gold"}},
        {"id": "b", "position": 3, "status": "completed", "duration_seconds": 42,
         "metadata": {"plan": "gold"}},
        {"id": "c", "position": 4, "status": "completed", "metadata": {"plan": None}},
    ]  # fmt: skip
    table = calls_table([Call.model_validate(r) for r in records])
    rows = by_value(outcomes_by(table, "plan"))
    assert rows["gold"]["connect_rate"] == pytest.approx(0.5)
    assert rows["gold"]["mean_duration_s"] == pytest.approx(42.0)
    assert math.isnan(rows["(blank)"]["mean_duration_s"])  # completed, but no duration given


def test_outcome_columns_offer_categories_not_identifiers() -> None:
    assert outcome_columns(LOANS) == ["product", "city"]
    many = calls(
        [
            ("completed", 1, {"name": f"Person {i}", "city": ("Pune", "Delhi")[i % 2],
                              "loan_id": f"L{i // 2 if i < 4 else i}", "note": ""})
            for i in range(60)
        ]
    )  # fmt: skip
    # 60 calls: every name distinct, loan ids nearly so (two repeats), note always empty.
    assert outcome_columns(many) == ["city"]
    assert outcome_columns(many.iloc[:10]) == ["name", "city", "loan_id"]


def test_outcomes_bar_stacks_one_bar_per_value_in_status_colours() -> None:
    table = outcomes_by(LOANS, "product")
    fig = charts.outcomes_bar(table, "product")
    bars = [t for t in fig.data if t.type == "bar"]
    assert fig.layout.barmode == "stack"
    assert [t.name for t in bars] == [
        "Queued", "Completed", "No answer", "Busy", "Failed", "Cancelled",
    ]  # fmt: skip
    assert [t.marker.color for t in bars] == [
        STATUS_COLORS[s] for s in ("queued", "completed", "no_answer", "busy", "failed")
    ] + [STATUS_COLORS["cancelled"]]
    assert all(list(t.y) == ["Home loan", "Car loan", "Gold loan", "(blank)"] for t in bars)
    assert list(bars[1].x) == [2, 1, 0, 0]  # completed per product
    assert all(t.orientation == "h" for t in bars)
    assert fig.layout.legend.traceorder == "normal"  # legend reads as the stack, left to right


def test_outcomes_bar_shows_the_connect_rate_at_the_bar_end_and_in_hover() -> None:
    fig = charts.outcomes_bar(outcomes_by(LOANS, "product"), "product")
    (ends,) = [t for t in fig.data if t.type == "scatter"]
    assert [s.strip() for s in ends.text] == ["50%", "50%", "—", "0%"]
    assert list(ends.x) == [4, 2, 2, 1]  # at each bar's total
    assert "Connect rate" in fig.data[0].hovertemplate
    assert fig.data[0].customdata[0][2] == "50% of 4 dialled"
    assert fig.data[0].customdata[2][2].startswith("—")


def test_outcomes_bar_keeps_numeric_values_as_labels_and_grows_with_rows() -> None:
    few = calls([("completed", 1, {"zone": str(z)}) for z in (10, 2, 2)])
    fig = charts.outcomes_bar(outcomes_by(few, "zone"), "zone")
    assert fig.layout.yaxis.type == "category"
    assert list(fig.data[0].y) == ["2", "10"]
    many = calls([("completed", 1, {"zone": f"z{z}"}) for z in range(40)])
    tall = charts.outcomes_bar(outcomes_by(many, "zone", top=40), "zone")
    taller = charts.outcomes_bar(outcomes_by(many, "zone", top=10), "zone")
    assert fig.layout.height < taller.layout.height < tall.layout.height <= charts.MAX_HEIGHT


def test_outcomes_bar_of_an_unknown_status_uses_the_other_colour() -> None:
    table = outcomes_by(calls([("voicemail", 3, {"zone": "a"})]), "zone")
    (bar,) = [t for t in charts.outcomes_bar(table, "zone").data if t.type == "bar"]
    assert (bar.name, bar.marker.color) == ("Voicemail", OTHER_COLOR)


def test_outcomes_bar_of_no_calls_is_the_empty_figure() -> None:
    fig = charts.outcomes_bar(outcomes_by(LOANS.iloc[:0], "product"), "product")
    assert fig.data == ()
    assert fig.layout.annotations[0].text == "No calls yet."
