"""Streamlit glue shared by the pages: session state, layout, hosting the sandbox.

The only part of ``lib`` that imports streamlit; everything it calls is plain
library code that the tests and notebooks use directly.
"""
