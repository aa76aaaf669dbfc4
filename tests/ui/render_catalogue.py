"""Draw every offer's guide and review to PNGs: each item and bundle of a site, its guide (what
to bring, the fee, the time limit, the result) and, for what is applied for here, its review
with the commitments (告知承诺) to tick. What these screens hold comes from the catalogue, so
this is where a long guide or many commitments would run under the header or below the fold.

``python -m tests.ui.render_catalogue OUT portrait|landscape [SITE]``: the street centre (it
offers the whole catalogue) unless SITE names another (``bank``), each screen in standard then
elder mode. ``python -m tests.ui.layout_audit OUT ORIENTATION catalogue`` checks them too.
"""

from __future__ import annotations

import sys
import tempfile
from functools import partial
from pathlib import Path

from kiosk.catalog.application import Application, application_for
from kiosk.catalog.model import Channel
from kiosk.config.settings import KioskConfig, load_config
from kiosk.messages import catalog_text
from kiosk.session.session import Step
from kiosk.terminal import Terminal
from tests.kiosk.catalog_answers import answer_for
from tests.kiosk.kiosk_support import write_config
from tests.ui.layout_states import at
from tests.ui.render_support import RenderStep, render


def site_config(site: str) -> KioskConfig:
    """The default configuration with ``config/sites/<site>.toml``."""
    return load_config(write_config(Path(tempfile.mkdtemp()), {"site": f"sites/{site}.toml"}))


def show_guide(chosen: str, terminal: Terminal, _app: object) -> None:
    """Back to the choose screen (the resident stays identified), then ``chosen``'s guide."""
    session = terminal.session
    while session.step is not Step.CHOOSE:
        session.back()
    session.choose(chosen)


def fill_in(terminal: Terminal, _app: object) -> None:
    """Every question answered as a resident would: the review, commitments not yet ticked."""
    session = terminal.session
    session.start_form()
    assert session.item is not None
    while session.step is Step.FORM:
        question = session.question
        assert session.answer(answer_for(question, session.item.asked_fields)), (question.id, session.error)


def _show_commitments(_terminal: Terminal, app: object) -> None:
    app.root.manager.current_screen.show_commitments()  # type: ignore[attr-defined]


def offer_steps(config: KioskConfig, only: tuple[str, ...] | None = None) -> list[RenderStep]:
    """For every offer of ``config`` (or those in ``only``): its guide, and for one applied for
    here (a counter item books a slot instead) its review, first page and the commitments' page."""
    offer = config.offer
    chosen = [(item.id, item.channel is not Channel.COUNTER) for item in offer.items]
    chosen += [(bundle.id, True) for bundle in offer.bundles]
    steps: list[RenderStep] = []
    for offer_id, has_form in chosen:
        if only is not None and offer_id not in only:
            continue
        steps.append(RenderStep(f"guide-{offer_id}", partial(show_guide, offer_id), at(Step.GUIDE)))
        if has_form:
            steps.append(RenderStep(f"review-{offer_id}", fill_in, at(Step.REVIEW)))
            if application_for(offer, offer_id).commitments:
                steps.append(RenderStep(f"commitments-{offer_id}", _show_commitments))
    return steps


def hardest_offers(config: KioskConfig) -> tuple[str, ...]:
    """The offers whose guide and review hold the most, by the catalogue's texts in English (the
    longest words, the tightest layouts): among the items the longest name, guide and commitment;
    among the bundles the longest guide and commitment."""
    offer = config.offer

    def length(*texts: str) -> int:
        return sum(len(catalog_text(text, "en")) for text in texts)

    def name_length(app: Application) -> int:
        return len(app.names.get("en"))

    def guide_length(app: Application) -> int:
        guide = app.guide
        return length(guide.who, *guide.conditions, *(m.name for m in guide.materials), guide.fee,
                      guide.promised_limit, guide.result, guide.result_delivery, guide.collect_at)

    def commitment_length(app: Application) -> int:  # the longest one: a page holds at least one
        return max((length(text) for text in app.commitments), default=0)

    items = [application_for(offer, item.id) for item in offer.items]
    bundles = [application_for(offer, bundle.id) for bundle in offer.bundles]
    picked = [max(items, key=measure).id for measure in (name_length, guide_length, commitment_length)]
    picked += [max(bundles, key=measure).id for measure in (guide_length, commitment_length)]
    return tuple(dict.fromkeys(picked))


if __name__ == "__main__":
    config = site_config(sys.argv[3] if len(sys.argv) > 3 else "street")
    sys.exit(render(config, sys.argv[2], Path(sys.argv[1]), offer_steps(config)))
