"""The resident session as a state machine: flow, Back/Home, review changes, inactivity, wipe."""

from __future__ import annotations

from datetime import date

import pytest

from contract.wire import Delivery
from drivers.idcard import samples
from kiosk.config.settings import KioskConfig
from kiosk.errors import CardNotAccepted, SessionError
from kiosk.messages import MessageId, message, say
from kiosk.session.identity import identity_from_card
from kiosk.session.outcome import PrintState, SubmittedCase
from kiosk.session.session import Session, Step
from tests.kiosk.kiosk_support import FakeClock


@pytest.fixture(scope="session")
def config(shipped_config: KioskConfig) -> KioskConfig:
    return shipped_config


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock, config: KioskConfig) -> Session:
    return Session(config.offer, config.timeouts, clock=clock)


def identify(session: Session) -> None:
    session.begin()
    session.identified(identity_from_card(samples.RESIDENT, date(2026, 11, 23)))


def fill_residence_permit(session: Session) -> None:
    identify(session)
    session.choose("residence-permit")
    session.start_form()
    assert session.answer("13812345678")
    assert session.answer("合法稳定就业")
    assert session.answer("租赁住房")
    assert session.answer(Delivery.PICKUP)  # stored as the enum; the screen shows its label


def test_whole_flow_reaches_review_with_prefilled_rows_not_asked(session: Session) -> None:
    fill_residence_permit(session)
    assert session.step is Step.REVIEW
    rows = {row.key: row for row in session.rows()}
    assert rows["name"].value == "张三丰" and not rows["name"].changeable
    assert rows["id_number"].value == "320111194503120010" and not rows["id_number"].changeable
    assert rows["phone"].changeable
    assert "name" not in [q.id for q in session.questions]
    assert session.delivery is Delivery.PICKUP


def test_one_question_per_step_with_progress(session: Session) -> None:
    identify(session)
    session.choose("residence-permit")
    session.start_form()
    seen = []
    while session.step is Step.FORM:
        seen.append(session.question.id)
        session.answer(session.question.options[0] if session.question.options else "13812345678")
    assert seen == ["phone", "basis", "housing", "delivery"]


def test_wrong_answer_stays_with_a_message_saying_what_to_do(session: Session) -> None:
    identify(session)
    session.choose("residence-permit")
    session.start_form()
    assert not session.answer("12345")
    assert session.step is Step.FORM and session.question.id == "phone"
    assert "11位手机号码" in session.error
    assert session.answer("13812345678")
    assert session.error == ""


def test_change_from_review_returns_to_review(session: Session) -> None:
    fill_residence_permit(session)
    session.change("housing")
    assert session.step is Step.FORM and session.question.id == "housing"
    session.answer("单位宿舍")
    assert session.step is Step.REVIEW
    assert session.answers["housing"] == "单位宿舍"
    with pytest.raises(SessionError):
        session.change("name")  # from the card: not changeable


def test_commitments_must_be_accepted_before_submit(session: Session) -> None:
    fill_residence_permit(session)
    assert not session.ready_to_submit()
    assert "承诺" in session.error
    session.set_commitment(0, True)
    assert session.ready_to_submit()


def test_one_tick_accepts_every_commitment_and_a_second_takes_them_back(session: Session) -> None:
    fill_residence_permit(session)
    session.commitments = [False, False, False]  # as an item with three commitment letters holds
    session.accept_commitments(True)
    assert session.commitments == [True, True, True] and session.ready_to_submit()
    session.accept_commitments(False)
    assert session.commitments == [False, False, False] and not session.ready_to_submit()


def test_back_walks_the_flow_backwards_and_home_wipes(session: Session) -> None:
    fill_residence_permit(session)
    session.back()
    assert session.step is Step.FORM and session.question.id == "delivery"
    for _ in range(4):
        session.back()
    assert session.step is Step.GUIDE
    session.back()
    assert session.step is Step.CHOOSE and session.item is None
    session.home()
    assert session.step is Step.ATTRACT and session.identity is None


def submitted(session: Session) -> None:
    fill_residence_permit(session)
    session.set_commitment(0, True)
    session.submitted(
        SubmittedCase("202611230010001", "居住证申领", "2026-11-23 10:00", Delivery.PICKUP, "https://x/?case=1")
    )


def test_home_is_refused_while_printing_and_back_is_not_offered(session: Session) -> None:
    submitted(session)
    session.print_update(PrintState.PRINTING)
    session.home()
    session.back()
    assert session.step is Step.RECEIPT
    session.print_update(PrintState.PRINTED)
    session.home()
    assert session.step is Step.ATTRACT


def test_rating_one_per_case_with_reasons_only_for_low_levels(session: Session, config: KioskConfig) -> None:
    submitted(session)
    session.to_rating()
    session.rate(5, ("设备故障",))
    assert session.step is Step.FAREWELL
    assert session.rating is not None and session.rating.level == 5 and session.rating.reasons == ("设备故障",)
    with pytest.raises(SessionError):
        session.rate(1)  # one rating per case
    with pytest.raises(SessionError):
        Session(config.offer, config.timeouts).rate(1)


def test_rating_can_be_skipped_and_reasons_dropped_for_a_good_level(session: Session) -> None:
    submitted(session)
    session.to_rating()
    session.rate(1, ("设备故障",))
    assert session.rating is not None and session.rating.reasons == ()


def test_inactivity_warns_with_a_countdown_then_wipes(session: Session, clock: FakeClock, config: KioskConfig) -> None:
    identify(session)
    limit, warning = config.timeouts.default, config.timeouts.warning
    clock.advance(limit - 1)
    session.tick()
    assert session.countdown() is None and session.step is Step.CHOOSE
    clock.advance(1)
    assert session.countdown() == warning
    clock.advance(warning - 1)
    session.tick()
    assert session.countdown() == 1 and session.step is Step.CHOOSE
    clock.advance(1)
    session.tick()
    assert session.step is Step.ATTRACT and session.identity is None


def test_one_tap_extends_the_countdown_at_least_ten_times(
    session: Session, clock: FakeClock, config: KioskConfig
) -> None:
    identify(session)
    for _ in range(config.timeouts.max_extensions):
        clock.advance(config.timeouts.default + 5)
        assert session.countdown() is not None
        session.touched()
        assert session.countdown() is None
    clock.advance(config.timeouts.default + 5)
    session.touched()  # no more extensions
    clock.advance(config.timeouts.warning)
    session.tick()
    assert session.step is Step.ATTRACT


def test_forms_get_the_longer_idle_limit(session: Session, clock: FakeClock, config: KioskConfig) -> None:
    identify(session)
    session.choose("residence-permit")
    session.start_form()
    clock.advance(config.timeouts.default + 1)
    assert session.countdown() is None
    clock.advance(config.timeouts.form - config.timeouts.default)
    assert session.countdown() is not None


def test_no_timeout_on_attract_or_while_printing(session: Session, clock: FakeClock) -> None:
    clock.advance(10_000)
    session.tick()
    assert session.countdown() is None
    submitted(session)
    session.print_update(PrintState.PRINTING)
    clock.advance(10_000)
    session.tick()
    assert session.step is Step.RECEIPT


def test_farewell_wipes_by_itself(session: Session, clock: FakeClock) -> None:
    submitted(session)
    session.to_rating()
    session.rate(None)
    clock.advance(9)
    session.tick()
    assert session.step is Step.ATTRACT


def test_wipe_forgets_everything_including_elder_mode(session: Session) -> None:
    submitted(session)
    session.toggle_elder_mode()
    session.wipe()
    assert (session.identity, session.item, session.case, session.rating) == (None, None, None, None)
    assert session.answers == {} and session.commitments == [] and not session.elder_mode
    assert "张三丰" not in repr(session) and "320111194503120010" not in repr(session)


def test_identification_failure_is_shown_on_identify(session: Session) -> None:
    session.identification_failed(message(MessageId.CARD_READ_FAILED))
    assert session.step is Step.IDENTIFY and session.error == say(MessageId.CARD_READ_FAILED)


def test_expired_card_is_refused_in_words() -> None:
    expired = samples.HMT_RESIDENCE_PERMIT  # valid to 2028-01-01
    with pytest.raises(CardNotAccepted, match="有效期"):
        identity_from_card(expired, date(2028, 1, 2))
    assert identity_from_card(samples.RESIDENT, date(2099, 1, 1)).name == "张三丰"  # 长期


def test_actions_out_of_order_are_refused(session: Session) -> None:
    with pytest.raises(SessionError):
        session.choose("residence-permit")
    with pytest.raises(SessionError):
        session.to_rating()


def test_masked_repr_of_identity() -> None:
    identity = identity_from_card(samples.RESIDENT, date(2026, 1, 1))
    assert repr(identity) == "Identity(resident, 张*丰, 320111********0010)"
