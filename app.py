"""Batch Call Workbench: page setup and routing only.

``streamlit run app.py`` imports this file to build the server (``app``), then
runs it as the script of every page view (``__main__``). In sandbox mode the
server also mounts the simulated platform at ``/sandbox``.
"""

import os

import streamlit as st

from lib.connection import workspace_from_settings
from lib.ui.hosting import server_routes
from lib.ui.layout import PAGES

if __name__ == "__main__":
    st.set_page_config(page_title="Batch Call Workbench", page_icon="📞", layout="wide")
    pages = [st.Page(path, title=title, icon=icon) for path, title, icon in PAGES.values()]
    st.navigation(pages).run()
else:
    app = st.App(__file__, routes=server_routes(workspace_from_settings(os.environ) is None))
