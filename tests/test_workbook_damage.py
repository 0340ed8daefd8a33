"""Damaged workbooks: the refusal says what to do, in the operator's words."""

from __future__ import annotations

import re

import pytest
from batchcall.contacts import UnreadableFileError, read_contacts

from tests.xlsx_support import xlsx


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_a_truncated_xlsx_is_refused_without_library_jargon(keep: float):
    data = xlsx([[("9876543210", None)] * 200])
    cut = data[: int(len(data) * keep)]
    with pytest.raises(UnreadableFileError) as refused:
        read_contacts(cut, "leads.xlsx")
    message = str(refused.value)
    assert message.startswith("leads.xlsx")
    assert "save it again" in message
    assert not re.search(r"\b[A-Z][a-z]+(?:Error|Exception)\b", message), message
