"""Chinese text breaks between lines where a reader expects it (``screens.line_breaking``)."""

from __future__ import annotations

import pytest

from screens.line_breaking import (
    MARKUP_PARTS,
    NO_LINE_END,
    NO_LINE_START,
    break_lines,
    break_markup,
    pieces,
    plain_text,
)

FACE_OTHER_WAYS = "不想刷脸？您可以改用政务服务App扫码登录，或请工作人员协助办理。"


def width(text: str) -> tuple[float, float]:
    """A font where a Han character is 2 wide and anything else 1."""
    return float(sum(2 if ord(c) > 0x2E80 else 1 for c in text)), 1.0


def test_a_latin_word_and_closing_punctuation_stay_whole() -> None:
    assert pieces("改用App扫码，或请") == ["改", "用", "App", "扫", "码，", "或", "请"]
    assert pieces("请（在窗口）办理") == ["请", "（在", "窗", "口）", "办", "理"]
    assert pieces("第 3 页") == ["第", " ", "3", " ", "页"]


@pytest.mark.parametrize("line_width", range(6, 60))
def test_no_line_cuts_a_word_starts_with_a_closing_mark_or_ends_with_an_opening_one(line_width: int) -> None:
    text = FACE_OTHER_WAYS + "请带上（身份证原件）和 2 份复印件。"
    lines = break_lines(text, line_width, width).split("\n")
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost but spaces at line ends
    assert all(width(line)[0] <= line_width for line in lines)
    assert "App" in "\n".join(lines) and not any(line.endswith(("A", "Ap")) for line in lines)
    assert not any(line[:1] in NO_LINE_START for line in lines[1:])
    assert not any(line[-1:] in NO_LINE_END for line in lines)


def test_text_that_fits_and_lines_given_are_left_as_they_are() -> None:
    assert break_lines("办理成功", 100, width) == "办理成功"
    assert break_lines("第一行\n第二行", 100, width) == "第一行\n第二行"
    assert break_lines("江苏省 南京市 浦口区", 14, width) == "江苏省 南京市\n浦口区"  # the space at the end goes


def test_markup_breaks_where_its_shown_text_does_and_keeps_every_tag() -> None:
    markup = "[b]改用[/b]政务服务App[color=1F5FAD]扫码 &bl;登录&br;，[/color]或请"
    shown, where = plain_text(markup)
    assert shown == "改用政务服务App扫码 [登录]，或请"
    assert [markup[i] for i in where] == [c if c not in "[]" else "&" for c in shown]
    for line_width in range(8, 40):
        broken = break_markup(markup, line_width, width)
        assert MARKUP_PARTS.findall(broken) == MARKUP_PARTS.findall(markup)  # no tag lost or cut
        lines = plain_text(broken)[0].split("\n")
        assert lines == break_lines(shown, line_width, width).split("\n")
        assert not any(line.endswith(("A", "Ap", "&")) for line in lines)
