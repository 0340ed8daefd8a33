"""The platform's rules, written once: reasons, ``validate`` and the report.

The pre-flight pages, the sandbox's 400, the command line and the tests all judge
rows through here.
"""

from batchcall.rules.reasons import Reason
from batchcall.rules.report import DistinctCells, FailureGroup, ValidationReport
from batchcall.rules.validate import (
    ROW_COLUMNS,
    Verdict,
    distinct_cells,
    judge,
    judge_rows,
    validate,
)

__all__ = [
    "ROW_COLUMNS",
    "DistinctCells",
    "FailureGroup",
    "Reason",
    "ValidationReport",
    "Verdict",
    "distinct_cells",
    "judge",
    "judge_rows",
    "validate",
]
