"""The browser warm-up names modules the installed Streamlit really serves."""

from __future__ import annotations

from importlib import resources

from batchcall.ui import warmup


def test_every_element_the_pages_draw_has_its_module_found() -> None:
    modules, styles = warmup._files()
    found = {name.partition(".")[0] for name in modules}
    assert found == set(warmup.ELEMENTS)
    served = resources.files("streamlit") / "static" / "static"
    assert all((served / "js" / name).is_file() for name in modules)
    assert all((served / "css" / name).is_file() for name in styles) and styles
