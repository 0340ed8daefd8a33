"""Batch Call Workbench: the entry point only sets up the page and routes."""

import streamlit as st

st.set_page_config(page_title="Batch Call Workbench", page_icon="📞", layout="wide")

st.title("Batch Call Workbench")
st.write(
    "Upload a contact list, check it against your workspace's routes, fix failing rows "
    "and launch an outbound voice-agent batch."
)
