"""Screens keep no words of their own: every text they show is a message id in kiosk/messages.py.

Read without a window: the screens' .py files through their syntax tree (docstrings and
comments may quote Chinese, string literals may not), the .kv files line by line.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from kiosk.messages import ZH_HANS, MessageId
from kiosk.session.outcome import LOW_RATING_REASONS, RATINGS
from screens.rating import LEVEL_WORDS, REASON_WORDS

SCREENS = Path(__file__).resolve().parents[2] / "screens"
PY_FILES = sorted(SCREENS.rglob("*.py"))  # screens/form_inputs/ too
KV_FILES = sorted(SCREENS.rglob("*.kv"))
# CJK ideographs (basic block, Extension A, compatibility, Extensions B and beyond) and CJK
# punctuation and full-width forms: any of them in a literal is wording that belongs in the table.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
# Literals allowed to hold CJK, as (file name, text): none today. A rare-character sample for
# a glyph demonstration would go here, with the reason.
ALLOWED: set[tuple[str, str]] = {
    # punctuation a line may not start or end with (避头尾): typography, not words
    ("line_breaking.py", "，。、；：？！）」』》〉】〕］｝…—～%’”,.;:?!)]}·"),
    ("line_breaking.py", "（「『《〈【〔［｛‘“([{"),
}


def docstrings(tree: ast.Module) -> set[int]:
    """The ids of the nodes that are docstrings (of the module, classes and functions)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def py_literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal in a .py file but its docstrings, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def kv_literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal in a .kv file's values (comments and directives are not values)."""
    found = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        value = stripped.partition(":")[2].strip()
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(value).readline))
        except (tokenize.TokenError, SyntaxError):
            found.append((lineno, value))  # cannot tell strings from the rest: judge all of it
            continue
        found += [(lineno, token.string) for token in tokens if token.type == tokenize.STRING]
    return found


@pytest.mark.parametrize("path", PY_FILES + KV_FILES, ids=lambda p: p.name)
def test_no_screen_file_has_words_of_its_own(path: Path) -> None:
    literals = py_literals(path) if path.suffix == ".py" else kv_literals(path)
    left = [
        f"{path.name}:{line}: {text!r}"
        for line, text in literals
        if CJK.search(text) and (path.name, text) not in ALLOWED
    ]
    assert left == [], "move these into kiosk/messages.py as ui.* message ids"


def test_the_check_sees_literals_and_skips_docstrings_and_comments(tmp_path: Path) -> None:
    py = tmp_path / "sample.py"
    py.write_text('"""首页 docstring."""\n# 注释\nx = f"第 {1} 步"\ny = "ok"\n', encoding="utf-8")
    assert [text for _, text in py_literals(py) if CJK.search(text)] == ["第 ", " 步"]
    kv = tmp_path / "sample.kv"
    kv.write_text('#:import M kiosk.messages.MessageId\n# 注释\n<X>:\n    text: "提交" if a else b\n', encoding="utf-8")
    assert [text for _, text in kv_literals(kv) if CJK.search(text)] == ['"提交"']


def test_kv_rules_name_real_ids_and_follow_the_language() -> None:
    for path in KV_FILES:
        source = path.read_text(encoding="utf-8")
        for name in re.findall(r"MessageId\.(\w+)", source):
            assert name in MessageId.__members__, f"{path.name}: no MessageId.{name}"
        for call in re.finditer(r"app\.say\(", source):
            # Kivy re-evaluates a rule when a property named in it changes: name the language.
            line = source[call.start() : source.index("\n", call.start())]
            assert "app.language" in line, f"{path.name}: {line.strip()}"


def test_every_screen_id_is_used_by_a_screen() -> None:
    sources = "".join(p.read_text(encoding="utf-8") for p in PY_FILES + KV_FILES)
    unused = [m for m in MessageId if m.value.startswith("ui.") and f"MessageId.{m.name}" not in sources]
    assert unused == []


def test_ui_ids_follow_the_naming_scheme() -> None:
    for message_id in MessageId:
        if message_id.name.startswith("UI_"):
            assert re.fullmatch(r"ui\.[a-z_]+(\.[a-z_0-9]+)+", message_id.value), message_id


def test_rating_words_match_the_levels_and_reasons_the_session_keeps() -> None:
    # The centre receives the session's values; in the default language a resident reads the same.
    assert [ZH_HANS[m] for m in LEVEL_WORDS] == list(RATINGS)
    assert [ZH_HANS[m] for m in REASON_WORDS] == list(LOW_RATING_REASONS)
