"""Destinations & routes: where the calls go, and what each route allows."""

import streamlit as st
from batchcall.charts import destinations as charts
from batchcall.insight.destinations import network_groups_table, unblock_suggestions
from batchcall.insight.display import network_groups_display, plural
from batchcall.insight.preflight import route_label, route_problem
from batchcall.ui.layout import chart, next_step, page_frame
from batchcall.ui.session import ensure_route, pick_route, workspace

session = page_frame()
st.title("Destinations & routes")
space = workspace(session)
if space is None:
    st.stop()
if not space.numbers:
    st.warning("This workspace lists no phone numbers. Type the number that will place the calls.")

numbers = {n.phone_number: n for n in space.numbers}
labels = {number: route_label(route) for number, route in numbers.items()}
pick_route(
    session,
    list(numbers),
    "Outbound number (the route)",
    format_func=labels.get,  # not a lambda: it would keep this page's globals (the table) alive
    help="SIP routes check the number's format only; PSTN routes also check Telephony Config.",
)
if (chosen := numbers.get(session.route_number or "")) and (problem := route_problem(chosen)):
    st.warning(f"{problem} Submit stays disabled on this route.", icon=":material/phone_disabled:")

table = session.table
if table is None:
    st.info("Upload a contact list to see where its calls would go.")
    next_step("upload", "Start here")
    st.stop()
ensure_route(session)
route, config, report = table.route, table.config, table.report

if route.is_sip or config.sip_byoc_enabled:
    st.success("This route checks the number's format only: every valid number can be called.")
cols = st.columns(3)
cols[0].metric("Contacts", f"{report.total:,}")
cols[1].metric("Allowed", f"{report.total - report.failed_count:,}")
cols[2].metric("Blocked or invalid", f"{report.failed_count:,}")

chart(charts.destinations_map(report, route, config))
chart(charts.contacts_by_country(report))

st.subheader("Network groups in Telephony Config")
groups = network_groups_display(network_groups_table(report, config))
st.dataframe(
    groups,
    hide_index=True,
    # What decides a row first: on a phone the prefixes are the part left to scroll to.
    column_order=["Country", "Network group", "Enabled", "Contacts", "Prefixes"],
    column_config={
        "Enabled": st.column_config.CheckboxColumn(width="small"),
        "Contacts": st.column_config.NumberColumn(format="localized", width="small"),
    },
)
chart(charts.network_groups_figure(report, config))

suggestions = unblock_suggestions(report, route, config, [n for n in space.numbers if n.is_sip])
if suggestions:
    st.subheader("What would let blocked rows through")
    for suggestion in suggestions:
        st.markdown(f"- {suggestion}")

if report.failed_count:
    next_step("fix", f"Fix or drop {plural(report.failed_count, 'row')}")
else:
    next_step("submit", "Every row passes")
