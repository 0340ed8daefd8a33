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
import logging
from functools import cache
from importlib import resources

import streamlit as st

log = logging.getLogger(__name__)

ELEMENTS = (
    *("PlotlyChart", "DataFrame", "Metric", "PageLink", "Progress", "loadVegaEmbed"),
    *("Selectbox", "Multiselect", "NumberInput", "TextInput", "TextArea", "Checkbox", "Radio"),
    *("ButtonGroup", "DateInput", "TimeInput", "DownloadButton", "Spinner", "Table", "Toast"),
)
"""The front-end modules of what the workbench's pages draw after the first page: charts
and tables, and the widgets of Fix rows, Submit and Progress (a first visit to Submit
otherwise fetched the checkbox's and the spinner's code while the server was busiest)."""
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


# The Streamlit glue that pages import: loaded with the server, not on a first page view.
PAGE_MODULES = (
    "batchcall.ui.layout",
    "batchcall.ui.uploading",
    "batchcall.ui.profile_view",
    "batchcall.ui.grid",
    "batchcall.ui.downloads",
    "batchcall.ui.preflight_view",
    "batchcall.ui.prechecks_view",
    "batchcall.ui.estimate_view",
    "batchcall.ui.submitting",
    "batchcall.ui.progress_view",
    "batchcall.ui.results_view",
)
WARM_SAMPLE = "loan_followup.csv"


def warm_server() -> None:
    """Pay once, as the server starts, what the first operator's first pages would.

    Loading the pages' modules, the phone metadata of the sample's countries, the time
    zone tables and plotly's figure validators takes about 30 MB and a second. Done
    here, that memory is part of the idle server (it is never freed, whoever pays for
    it), and the first upload on a fresh server is as fast as the next one. Never fatal:
    a failure only means the first page view does the work instead.
    """
    try:
        _warm_pipeline()
    except Exception:  # a warm-up must never stop the server
        log.warning("Server warm-up skipped", exc_info=True)


def _warm_pipeline() -> None:
    import importlib

    from batchcall.charts import destinations as destination_charts
    from batchcall.charts import profile as profile_charts
    from batchcall.checks import precheck
    from batchcall.contacts import read_contacts
    from batchcall.insight.destinations import network_groups_table
    from batchcall.insight.profile import profile_contacts
    from batchcall.samples import sample_bytes, sample_path
    from batchcall.work.table import WorkTable

    for module in PAGE_MODULES:
        importlib.import_module(module)
    workspace = json.loads(sample_path("workspace.json").read_text(encoding="utf-8"))
    route, config = workspace["phone_numbers"][0], workspace["telephony_config"]
    table = WorkTable(read_contacts(sample_bytes(WARM_SAMPLE), WARM_SAMPLE), route, config)
    report = table.report
    table.failing_rows()
    table.cleaned_csv()
    profile = profile_contacts(table.active, report)
    precheck(table.active, table.route, table.config)
    network_groups_table(report, table.config)
    figures = [
        profile_charts.verdict_donut(profile),
        profile_charts.formats_bar(profile.formats),
        profile_charts.fill_rate_bar(profile.columns),
        destination_charts.destinations_map(report, table.route, table.config),
        destination_charts.contacts_by_country(report),
        destination_charts.network_groups_figure(report, table.config),
    ]
    for figure in figures:
        figure.to_json()
