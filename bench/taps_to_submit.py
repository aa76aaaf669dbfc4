"""Taps from the card to submit, for the ten items a site lists first (its most used).

Counted on the flow as the screens build it: the tile, 开始办理, each question (a choice is one
tap; typed answers their keys and 下一步, with the sample answers of the catalogue walk; a
date or a multi-choice one tap and 下一步), one tick for all the commitments, 提交. The goal (issue 11)
is at most 5 taps beyond the questions the card cannot answer; the overhead printed is the
total less one tap per such question, against that goal as the baseline. The last column is
the same walk logged in with the app's code, whose verified mobile number is confirmed with one
tap (是 139****5678 吗？) instead of eleven digits and 下一步. A site with a document camera adds
two taps a paper photographed (拍照, 使用这张), or one left for the counter.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.catalog.application import application_for
from kiosk.catalog.fields import FieldKind, Keyboard
from kiosk.catalog.model import Channel, Field
from kiosk.config.settings import SOURCE_CONFIG, load_config
from kiosk.session.questions import asked_questions
from tests.kiosk.catalog_answers import answer_for

GOAL_OVERHEAD = 5


def question_taps(question: Field, later: tuple[Field, ...]) -> int:
    keyboard = question.spec.keyboard
    if keyboard is Keyboard.OPTIONS:
        return 1
    if keyboard in (Keyboard.MULTI, Keyboard.DATE):
        return 2
    if keyboard is Keyboard.REGION:
        return question.region_levels + 1
    if question.kind in (FieldKind.NAME, FieldKind.TEXT, FieldKind.ADDRESS):
        return 2 * len(answer_for(question, later)) + 1  # about two taps a character (bench pinyin_keyboard)
    return len(answer_for(question, later)) + 1


def main() -> None:
    config = load_config(SOURCE_CONFIG)
    worst = 0
    print(f"{'item':36} {'questions':>9} {'taps':>5} {'overhead':>8} {'app code':>8}")
    for site in sorted((SOURCE_CONFIG.parent / "sites").glob("*.toml")):
        offer = config.catalog.for_site(*_lists(site))
        items = [i for i in offer.items if i.channel is not Channel.COUNTER][:10]
        print(f"-- {site.stem}")
        for item in items:
            application = application_for(config.catalog, item.id)
            answers: dict[str, str] = {}
            for question in asked_questions(application, answers):  # answer as the walk does
                answers[question.id] = answer_for(question, application.asked_fields)
            asked = asked_questions(application, answers)
            taps = 2 + sum(question_taps(q, application.asked_fields) for q in asked)
            taps += (1 if application.commitments else 0) + 1  # one tick for all commitments, 提交
            overhead = taps - sum(question_taps(q, application.asked_fields) for q in asked)
            worst = max(worst, overhead)
            known = taps - sum(question_taps(q, application.asked_fields) - 1 for q in asked
                               if q.kind is FieldKind.PHONE)
            print(f"{item.id:36} {len(asked):9d} {taps:5d} {overhead:8d} {known:8d}")
    print(f"worst overhead {worst} taps; goal ≤ {GOAL_OVERHEAD} (ratio {worst / GOAL_OVERHEAD:.2f})")


def _lists(site: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    import tomllib

    data = tomllib.loads(site.read_text(encoding="utf-8"))
    return tuple(data["items"]), tuple(data.get("bundles", ()))


if __name__ == "__main__":
    main()
