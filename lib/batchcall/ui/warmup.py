"""Warm a new browser's script cache while the operator is still choosing a file.

Streamlit's front end loads the code of each kind of element (charts, tables,
metrics) the first time a page shows one. In a fresh browser, the first profile
drawn after an upload waited on some thirty such downloads, about 1.3 s of the
2.5 s from upload to profile. This module asks the browser to load those modules
in the background on the first page it draws, so they are in its module map by
the time the profile needs them. The file names come from the installed Streamlit
(they carry a hash per release), and the script resolves them against the page's
own bundle, so a path prefix or another Streamlit release still finds them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import streamlit as st

ELEMENTS = ("PlotlyChart", "DataFrame", "Metric", "PageLink", "Progress", "loadVegaEmbed")
"""The front-end modules of what the workbench's pages draw after the first page."""
STYLES = ("DataFrame",)

_SCRIPT = """<script>
(() => {
  const bundle = [...document.scripts]
    .map((s) => s.src)
    .find((s) => /static\\/js\\/index\\./.test(s));
  if (!bundle) return;
  for (const name of %(modules)s) import(new URL("./" + name, bundle).href).catch(() => {});
  for (const name of %(styles)s) {
    const link = document.createElement("link");
    link.rel = "prefetch";
    link.href = new URL("../css/" + name, bundle).href;
    document.head.appendChild(link);
  }
})();
</script>"""


@cache
def _files() -> tuple[list[str], list[str]]:
    """The installed Streamlit's module and style file names for ``ELEMENTS``/``STYLES``."""
    static = resources.files("streamlit") / "static" / "static"
    try:
        scripts = [entry.name for entry in (static / "js").iterdir()]
        styles = [entry.name for entry in (static / "css").iterdir()]
    except OSError:
        return [], []
    modules = [name for name in scripts for element in ELEMENTS if _is(name, element, ".js")]
    sheets = [name for name in styles for element in STYLES if _is(name, element, ".css")]
    return sorted(modules), sorted(sheets)


def _is(name: str, element: str, suffix: str) -> bool:
    stem, _, rest = name.partition(".")
    return stem == element and rest.endswith(suffix) and rest.count(".") == 1


def warm_browser(done: bool) -> bool:
    """Draw the (invisible) warm-up once per browser session; returns True once drawn."""
    if done:
        return True
    modules, styles = _files()
    if not modules:
        return True
    script = _SCRIPT % {"modules": json.dumps(modules), "styles": json.dumps(styles)}
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True, width="content")
    return True
