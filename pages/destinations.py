"""Destinations & routes: where the calls go, and what each route allows."""

import streamlit as st
from batchcall.insight.display import plural
from batchcall.insight.preflight import route_label, route_problem
from batchcall.ui.destinations_view import destinations_view
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
route, config = table.route, table.config
view = destinations_view(session, space)

if route.is_sip or config.sip_byoc_enabled:
    st.success("This route checks the number's format only: every valid number can be called.")
cols = st.columns(3)
cols[0].metric("Contacts", f"{view.total:,}")
cols[1].metric("Allowed", f"{view.total - view.failed:,}")
cols[2].metric("Blocked or invalid", f"{view.failed:,}")

chart(view.world_map)
chart(view.by_country)

st.subheader("Network groups in Telephony Config")
st.dataframe(
    view.groups,
    hide_index=True,
    # What decides a row first: on a phone the prefixes are the part left to scroll to.
    column_order=["Country", "Network group", "Enabled", "Contacts", "Prefixes"],
    column_config={
        "Enabled": st.column_config.CheckboxColumn(width="small"),
        "Contacts": st.column_config.NumberColumn(format="localized", width="small"),
    },
)
chart(view.groups_figure)

if view.suggestions:
    st.subheader("What would let blocked rows through")
    for suggestion in view.suggestions:
        st.markdown(f"- {suggestion}")

if view.failed:
    next_step("fix", f"Fix or drop {plural(view.failed, 'row')}")
else:
    next_step("submit", "Every row passes")
