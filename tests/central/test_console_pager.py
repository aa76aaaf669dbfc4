"""The console's pager macro: links only where there is a page to go to."""

from __future__ import annotations

from types import SimpleNamespace

from central.console.rendering import TEMPLATES

PAGE = TEMPLATES.env.from_string(
    '{% from "_pager.html" import pager %}{{ pager(listed, "/console/cases?", q) }}')


def _render(page: int, pages: int) -> str:
    return PAGE.render(listed=SimpleNamespace(page=page, pages=pages), q=lambda n: f"page={n}")


def test_a_middle_page_links_both_ways() -> None:
    html = _render(2, 3)
    assert '<a href="/console/cases?page=1">上一页</a>' in html
    assert '<a href="/console/cases?page=3">下一页</a>' in html
    assert "第 2 / 3 页" in html


def test_the_ends_link_one_way_and_one_page_shows_no_pager() -> None:
    assert "上一页" not in _render(1, 3) and "下一页" in _render(1, 3)
    assert "下一页" not in _render(3, 3) and "上一页" in _render(3, 3)
    assert "pager" not in _render(1, 1)
