"""The pieces behind ``scripts/make_sample_data.py``, one module per output file.

Each sample file is small to describe but long to spell out (name tables, the row-by-row
catalogue of messy phone cells, the workspace contract), so each gets its own module:

- ``contacts``        — the seeded faker and the tables every file draws customers from.
- ``loan_csv``        — ``loan_followup.csv``.
- ``spreadsheet``     — what the two workbook builders share.
- ``messy_workbook``  — the source of ``messy_contacts.xlsx`` and its sanity check.
- ``legacy_workbook`` — the source of ``legacy_contacts.xls`` and its sanity check.
- ``libreoffice``     — the LibreOffice conversion that turns the sources into the samples.
- ``workspace``       — ``workspace.json``.
"""
