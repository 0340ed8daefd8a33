"""The Submit page's pure checks: placeholders, coverage, prompt preview, keys, row mapping."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest
from batchcall.api.errors import BatchValidationError, FailedRow, ValidationGroup
from batchcall.api.models import PhoneNumber
from batchcall.insight.preflight import (
    Coverage,
    _is_blank,
    coverage,
    escape_markdown,
    highlight_placeholders,
    launch_blockers,
    placeholders,
    preflight_summary,
    render_prompt,
    route_label,
    route_problem,
)
from batchcall.work.submission import (
    RejectedGroup,
    idempotency_key,
    map_rejected_rows,
    rejected_rows,
)
from batchcall.work.table import WorkTable

PROMPT = "Namaste {{customer_name}} ji, Rs {{ loan_amount }} due {{due_date}}; {{customer_name}}!"


def contacts(rows: dict[int, dict[str, str]]) -> pd.DataFrame:
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "row"
    return table


def test_placeholders_in_order_of_first_appearance_once_each() -> None:
    assert placeholders(PROMPT) == ["customer_name", "loan_amount", "due_date"]


def test_placeholders_accept_inner_spaces_and_ignore_empty_or_single_braces() -> None:
    assert placeholders("{{  city}} {{}} {single} {{ first name }}") == ["city", "first name"]
    assert placeholders("") == []


def test_coverage_reports_missing_unused_and_empty_cells() -> None:
    table = contacts(
        {
            2: {
                "phone_number": "9876543210",
                "customer_name": "Priya",
                "loan_amount": "",
                "city": "X",
            },
            3: {"phone_number": "9123456789", "customer_name": " ", "loan_amount": "", "city": "Y"},
            4: {
                "phone_number": "9123456780",
                "customer_name": "Ravi",
                "loan_amount": "9",
                "city": "",
            },
        }
    )
    assert coverage(PROMPT, table) == Coverage(
        used=["customer_name", "loan_amount", "due_date"],
        missing=["due_date"],
        unused=["city"],
        empty_counts={"customer_name": 1, "loan_amount": 2},
    )


@pytest.mark.parametrize("seed", range(3))
def test_an_empty_cell_is_counted_as_the_preview_marks_it(seed: int) -> None:
    # The count is taken over whole columns, the preview's mark cell by cell: both must
    # call the same cells empty, whatever spaces they hold (every str.isspace character).
    rng = random.Random(seed)
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    alphabet = [*spaces, "a", "7", "\u200b", "\ufeff", "_"]  # zero-width: not a space
    cells: list[object] = [
        "".join(rng.choices(alphabet if rng.random() < 0.5 else spaces, k=rng.randint(0, 4)))
        for _ in range(400)
    ]
    cells += [None, float("nan"), 0, 12.5]
    table = pd.DataFrame({"phone_number": "9876543210", "note": pd.Series(cells, dtype=object)})
    found = coverage("{{note}}", table)
    assert found.empty_counts == {"note": sum(_is_blank(cell) for cell in cells)}
    assert found.empty_counts["note"] > 100


def test_phone_number_is_not_a_variable() -> None:
    table = contacts({2: {"phone_number": "9876543210"}})
    assert coverage("Call {{phone_number}}", table).missing == ["phone_number"]
    assert coverage("Hello", table).unused == []


def test_render_prompt_substitutes_and_marks_blank_or_absent_values() -> None:
    row = {"customer_name": "Priya", "loan_amount": "", "phone_number": "98"}
    assert render_prompt(PROMPT, row) == (
        "Namaste Priya ji, Rs ⟦missing: loan_amount⟧ due ⟦missing: due_date⟧; Priya!"
    )


def test_render_prompt_formats_are_configurable() -> None:
    row = {"customer_name": "Priya", "loan_amount": float("nan")}
    rendered = render_prompt(
        "{{customer_name}}/{{loan_amount}}", row, filled="**{value}**", missing="?{name}?"
    )
    assert rendered == "**Priya**/?loan_amount?"


def test_highlight_placeholders_escapes_markdown_and_codes_variables() -> None:
    assert highlight_placeholders("Pay $5 *now*, {{ name }}.") == (
        "Pay \\$5 \\*now\\*, `{{name}}`\\."
    )
    assert escape_markdown("a_b") == "a\\_b"


KEY_FIELDS = {
    "file_digest": "f" * 64,
    "content_digest": "c" * 64,
    "agent_id": "agt_abc123",
    "from_phone_number": "+912234567890",
    "name": "loan_followup 2024-05-01",
    "scheduled_at": None,
    "max_concurrent_calls": 10,
    "retry_config": {"retry_interval_minutes": 60, "max_retries": 2},
}


def test_idempotency_key_is_deterministic_and_order_insensitive_for_retry() -> None:
    first = idempotency_key(**KEY_FIELDS)
    reordered = {**KEY_FIELDS, "retry_config": {"max_retries": 2, "retry_interval_minutes": 60}}
    assert first == idempotency_key(**reordered)
    assert first.startswith("wb-")
    assert len(first) == 43


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("file_digest", "e" * 64),
        ("content_digest", "d" * 64),
        ("agent_id", "agt_emi456"),
        ("from_phone_number", "+14155550123"),
        ("name", "other"),
        ("scheduled_at", datetime(2030, 1, 1, 9, 30, tzinfo=UTC)),
        ("max_concurrent_calls", 11),
        ("retry_config", None),
    ],
)
def test_idempotency_key_changes_with_every_field(field: str, value: object) -> None:
    assert idempotency_key(**{**KEY_FIELDS, field: value}) != idempotency_key(**KEY_FIELDS)


def test_idempotency_key_same_moment_in_any_zone_is_the_same_schedule() -> None:
    naive = {**KEY_FIELDS, "scheduled_at": datetime(2030, 1, 1, 9, 30)}
    aware = {**KEY_FIELDS, "scheduled_at": datetime(2030, 1, 1, 9, 30, tzinfo=UTC)}
    assert idempotency_key(**naive) == idempotency_key(**aware)


def test_map_rejected_rows_translates_submitted_rows_to_original_rows() -> None:
    # Original row 3 was dropped: submitted rows 2, 3, 4 are original rows 2, 4, 5.
    row_map = {2: 2, 3: 4, 4: 5}
    groups = [
        ValidationGroup("invalid_phone_number", [3], 1),
        ValidationGroup("unsupported_destination_country", [2, 4], 2, country="GB"),
    ]
    assert map_rejected_rows(groups, row_map) == [
        RejectedGroup("invalid_phone_number", None, [4]),
        RejectedGroup("unsupported_destination_country", "GB", [2, 5]),
    ]


def test_map_rejected_rows_fills_truncated_groups_from_the_error_rows() -> None:
    error = BatchValidationError(
        "3 of 4 rows failed",
        groups=[ValidationGroup("invalid_phone_number", [2], 3)],
        rows=[
            FailedRow(2, "invalid_phone_number"),
            FailedRow(3, "invalid_phone_number"),
            FailedRow(5, "invalid_phone_number"),
        ],
        status_code=400,
    )
    mapped = map_rejected_rows(error, {2: 10, 3: 11, 4: 12, 5: 13})
    assert mapped == [RejectedGroup("invalid_phone_number", None, [10, 11, 13])]


def test_map_rejected_rows_leaves_out_rows_the_file_does_not_have() -> None:
    groups = [ValidationGroup("invalid_phone_number", [2, 99], 2)]
    assert map_rejected_rows(groups, {2: 7}) == [RejectedGroup("invalid_phone_number", None, [7])]


def test_rejected_rows_flattens_groups() -> None:
    groups = [RejectedGroup("a", None, [5, 2]), RejectedGroup("b", "GB", [2, 9])]
    assert rejected_rows(groups) == [2, 5, 9]


def test_preflight_summary_blocks_while_rows_fail(in_route: dict, config: dict) -> None:
    table = WorkTable(
        contacts(
            {
                2: {"phone_number": "9876543210"},
                3: {"phone_number": "12"},
                4: {"phone_number": "9123456789"},
            }
        ),
        in_route,
        config,
    )
    assert preflight_summary(table) == {
        "rows": 3,
        "to_call": 2,
        "dropped": 0,
        "failing": 1,
        "ready": False,
    }
    table.drop([3])
    assert preflight_summary(table) == {
        "rows": 3,
        "to_call": 2,
        "dropped": 1,
        "failing": 0,
        "ready": True,
    }


def test_preflight_summary_blocks_an_empty_submission(in_route: dict, config: dict) -> None:
    table = WorkTable(contacts({2: {"phone_number": "9876543210"}}), in_route, config)
    table.drop([2])
    assert preflight_summary(table)["ready"] is False


def test_render_prompt_escapes_text_values_and_names_for_markdown() -> None:
    rendered = render_prompt(
        "Pay $ {{loan_amount}} {{due_date}}",
        {"loan_amount": "5*2"},
        filled="**{value}**",
        missing=":red[{name}]",
        escape=escape_markdown,
    )
    assert rendered == "Pay \\$ **5\\*2** :red[due\\_date]"


def test_empty_braces_are_left_as_text() -> None:
    assert render_prompt("a {{ }} b", {}) == "a {{ }} b"


def test_route_problem_names_a_number_the_platform_will_refuse() -> None:
    base = {"phone_number": "+911140001234", "country": "IN"}
    inactive = PhoneNumber.model_validate({**base, "status": "inactive", "outbound_agent_id": "a"})
    problem = route_problem(inactive)
    assert problem is not None
    assert "+911140001234 is inactive" in problem and "Destinations" in problem
    no_agent = PhoneNumber.model_validate({**base, "status": "active", "outbound_agent_id": None})
    problem = route_problem(no_agent)
    assert problem is not None
    assert "no outbound agent" in problem and "assign" in problem.lower()


def test_route_problem_passes_a_callable_number_or_one_whose_agent_is_not_reported() -> None:
    ready = PhoneNumber.model_validate({"phone_number": "+1", "outbound_agent_id": "agt"})
    assert route_problem(ready) is None
    # A platform whose listing leaves the field out says nothing about it: no guess.
    assert route_problem(PhoneNumber.model_validate({"phone_number": "+1"})) is None


def test_launch_blockers_name_every_reason_and_none_when_ready() -> None:
    route = PhoneNumber.model_validate(
        {"phone_number": "+912234567890", "status": "inactive", "outbound_agent_id": "agt_1"}
    )
    ready = {"failing": 0, "to_call": 5}
    blockers = launch_blockers(
        {"failing": 2, "to_call": 3},
        agent_id="",
        schedule_ok=False,
        file_bytes=11 * 2**20,
        route=route,
        missing_variables=["emi_amount"],
        acknowledged=False,
    )
    assert len(blockers) == 6
    assert blockers[0].startswith("2 rows would be refused")
    assert any("is inactive" in b for b in blockers)
    assert any("{{emi_amount}}" in b for b in blockers)
    assert any("11.0 MB" in b for b in blockers)
    active = route.model_copy(update={"status": "active"})
    launchable: dict[str, Any] = {"agent_id": "agt_1", "schedule_ok": True, "route": active}
    assert launch_blockers(ready, file_bytes=10, **launchable) == []
    nothing = launch_blockers({"failing": 0, "to_call": 0}, file_bytes=0, **launchable)
    assert nothing == ["No rows left to call: restore some rows or upload another file."]


def test_route_labels_say_kind_country_and_what_is_wrong() -> None:
    base = {"phone_number": "+912234567890", "country": "IN", "outbound_agent_id": "agt_1"}
    assert route_label(PhoneNumber.model_validate({**base, "status": "active"})) == (
        "+912234567890 · PSTN · IN"
    )
    inactive = PhoneNumber.model_validate({**base, "status": "inactive"})
    assert route_label(inactive).endswith(" · inactive")
    no_agent = PhoneNumber.model_validate({**base, "status": "active", "outbound_agent_id": None})
    assert route_label(no_agent).endswith(" · no outbound agent")
