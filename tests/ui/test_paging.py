"""Cutting a list into pages that fit (``screens.paging.cut_into_pages``)."""

from __future__ import annotations

from screens.paging import cut_into_pages


def test_rows_fill_a_page_until_the_next_row_would_not_fit() -> None:
    # Two columns, rows 100 tall, 20 apart: three rows need 340, a fourth 460.
    pages = cut_into_pages([100.0] * 9, cols=2, room=400, gap=20)
    assert pages == [range(0, 6), range(6, 9)]


def test_a_row_is_as_tall_as_its_tallest_widget() -> None:
    pages = cut_into_pages([100, 250, 100, 100], cols=2, room=300, gap=20)
    assert pages == [range(0, 2), range(2, 4)]


def test_everything_fits_on_one_page() -> None:
    assert cut_into_pages([50.0, 50.0], cols=1, room=500, gap=10) == [range(0, 2)]


def test_a_row_taller_than_the_room_still_gets_its_own_page() -> None:
    pages = cut_into_pages([50, 900, 50], cols=1, room=300, gap=10)
    assert pages == [range(0, 1), range(1, 2), range(2, 3)]


def test_an_empty_list_is_one_empty_page() -> None:
    assert cut_into_pages([], cols=2, room=300, gap=10) == [range(0, 0)]


def test_every_widget_is_on_exactly_one_page() -> None:
    heights = [float(80 + (i * 37) % 90) for i in range(53)]
    pages = cut_into_pages(heights, cols=2, room=700, gap=20)
    assert [i for page in pages for i in page] == list(range(53))
    for page in pages:
        rows = [max(heights[r:r + 2]) for r in range(page.start, page.stop, 2)]
        assert sum(rows) + 20 * (len(rows) - 1) <= 700
