"""Batch Call Workbench: page setup and routing only.

``streamlit run app.py`` imports this file to build the server (``app``), then
runs it as the script of every page view (``__main__``). In sandbox mode the
server also mounts the simulated platform at ``/sandbox``.
"""

import os
from pathlib import Path

# Arrow's C++ side picks its allocator once, when pyarrow loads: the system heap, which
# hands a freed table's memory back, instead of a pool that keeps it for the process's
# life (about 100 MB more after each 10 MB file). Set before anything imports pyarrow.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import streamlit as st
from batchcall.api.settings import read_secrets_files, sandbox_wanted
from batchcall.ui.hosting import server_routes
from batchcall.ui.layout import PAGES
from batchcall.ui.warmup import warm_server
from streamlit.runtime.pages_manager import PagesManager

SECRETS = [
    Path.home() / ".streamlit" / "secrets.toml",
    Path(__file__).parent / ".streamlit" / "secrets.toml",
]

if __name__ == "__main__":
    st.set_page_config(page_title="Batch Call Workbench", page_icon="📞", layout="wide")
    pages = [st.Page(path, title=title, icon=icon) for path, title, icon in PAGES.values()]
    st.navigation(pages).run()
else:
    # Every page is routed by st.navigation. Say so before the first visit, which may be a
    # deep link (/fix_rows): otherwise Streamlit treats pages/ as a legacy folder of pages.
    PagesManager.uses_pages_directory = False
    use_sandbox = sandbox_wanted(os.environ, read_secrets_files(SECRETS))
    app = st.App(__file__, routes=server_routes(use_sandbox))
    warm_server()
