"""Placeholder page."""

from lib.ui.layout import page_frame

page_frame()
