"""The face step's rules (``kiosk.session.face_step``): when it is offered, how it moves, and that
the pictures go; and the catalogue's ``face_check`` flag."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from contract.vocabulary import IdType
from drivers.idcard import samples
from kiosk.catalog.application import application_for
from kiosk.catalog.export import site_document
from kiosk.catalog.loading import catalog_from_document
from kiosk.config.settings import KioskConfig, load_config
from kiosk.errors import ConfigError
from kiosk.messages import MessageId
from kiosk.session.assistance import NOT_ASSISTED, WAITING, Assistance
from kiosk.session.face_step import Delivery, FaceGate, FaceProgress, FaceState, OtherWay, age_on, face_gate
from kiosk.session.identity import Identity, identity_from_card, identity_from_login_code
from tests.kiosk.kiosk_support import write_config
from tests.support.face_kiosk import FACE_ITEM, PLAIN_ITEM, card_with_photo, child_card

TODAY = date(2026, 12, 1)


@pytest.fixture
def card() -> Identity:
    return identity_from_card(card_with_photo(), TODAY)


def gate(config: KioskConfig, item: str, identity: Identity, assistance: Assistance = NOT_ASSISTED,
         camera: bool = True) -> FaceGate:
    return face_gate(application_for(config.catalog, item), identity, assistance, TODAY, camera=camera)


def test_the_shipped_catalogue_asks_for_a_face_check_on_the_pension_certification(shipped_config: KioskConfig) -> None:
    asking = {item.id for item in shipped_config.catalog.items if item.face_check}
    assert asking == {"pension-qualification", "unemployment-insurance-benefit"}
    bundle = next(b for b in shipped_config.catalog.bundles if "unemployment-insurance-benefit" in b.item_ids)
    assert application_for(shipped_config.catalog, bundle.id).face_check  # a bundle asks when one item does


def test_a_card_holder_is_offered_the_face_check_only_where_the_item_asks(shipped_config: KioskConfig,
                                                                         card: Identity) -> None:
    assert gate(shipped_config, FACE_ITEM, card) is FaceGate.OFFER
    assert gate(shipped_config, PLAIN_ITEM, card) is FaceGate.NOT_ASKED


def test_a_qr_login_or_a_member_of_staff_has_verified_the_person_already(shipped_config: KioskConfig,
                                                                         card: Identity) -> None:
    login = identity_from_login_code({"name": "张三丰", "id_number": samples.RESIDENT.id_number})
    assert gate(shipped_config, FACE_ITEM, login) is FaceGate.NOT_ASKED
    assert gate(shipped_config, FACE_ITEM, card, Assistance(staff_no="0427")) is FaceGate.NOT_ASKED
    assert gate(shipped_config, FACE_ITEM, card, WAITING) is FaceGate.OFFER  # no staff known yet


def test_a_child_is_never_offered_the_camera(shipped_config: KioskConfig) -> None:
    child = identity_from_card(child_card(), date.today())
    assert face_gate(application_for(shipped_config.catalog, FACE_ITEM), child, NOT_ASSISTED, date.today(),
                     camera=True) is FaceGate.CHILD
    progress = FaceProgress.begin(FaceGate.CHILD, FACE_ITEM, b"\x89PNG\r\n\x1a\n")
    assert progress.state is FaceState.CHILD and progress.ways == (OtherWay.ASSISTED,)
    assert not progress.can_start and progress.card_photo is None


def test_without_a_camera_or_a_card_photo_only_the_other_ways_remain(shipped_config: KioskConfig,
                                                                     card: Identity) -> None:
    assert gate(shipped_config, FACE_ITEM, card, camera=False) is FaceGate.UNAVAILABLE
    no_photo = identity_from_card(samples.RESIDENT, TODAY)  # a reader that gives no photo
    assert gate(shipped_config, FACE_ITEM, no_photo) is FaceGate.UNAVAILABLE
    progress = FaceProgress.begin(FaceGate.OFFER, FACE_ITEM, None)  # the photo could not be decoded here
    assert progress.state is FaceState.UNAVAILABLE and not progress.can_start
    assert progress.ways == (OtherWay.QR_LOGIN, OtherWay.ASSISTED)
    assert progress.words.id is MessageId.FACE_UNAVAILABLE


@pytest.mark.parametrize(("born", "age"), [("20121202", 13), ("20121201", 14), ("19450312", 81), ("2012", None)])
def test_age_on_a_day(born: str, age: int | None) -> None:
    assert age_on(born, TODAY) == age


def test_the_step_moves_from_the_notice_to_the_capture_and_gives_the_pair_up_once() -> None:
    progress = FaceProgress.begin(FaceGate.OFFER, FACE_ITEM, b"photo")
    assert progress.state is FaceState.NOTICE and progress.words.id is MessageId.FACE_NOTICE
    progress.started()
    assert progress.state is FaceState.GUIDING and progress.words.id is MessageId.FACE_LOOK_AT_SCREEN
    assert progress.hinted(MessageId.FACE_BLINK) and not progress.hinted(MessageId.FACE_BLINK)
    assert progress.words.id is MessageId.FACE_BLINK
    progress.failed(camera_lost=False)
    assert progress.state is FaceState.TIMED_OUT and progress.can_start  # try again
    assert not progress.hinted(MessageId.FACE_BLINK)  # a late hint is not for now
    progress.started()
    assert progress.attempts == 2
    progress.captured(b"\xff\xd8\xffjpeg")
    assert progress.state is FaceState.CAPTURED
    assert progress.take_pair() == (b"\xff\xd8\xffjpeg", b"photo")
    assert progress.capture is None and progress.card_photo is None and progress.take_pair() is None
    assert progress.delivery is None  # nothing was there to send the second time
    progress.delivered(False)
    assert progress.delivery is Delivery.NOT_SENT and progress.receipt_line is not None
    assert progress.receipt_line.id is MessageId.FACE_NOT_SENT


def test_a_lost_camera_offers_the_other_ways_only_and_wipe_drops_the_pictures() -> None:
    progress = FaceProgress.begin(FaceGate.OFFER, FACE_ITEM, b"photo")
    progress.started()
    progress.failed(camera_lost=True)
    assert progress.state is FaceState.CAMERA_LOST and not progress.can_start
    progress.captured(b"jpeg")
    progress.wipe()
    assert progress.capture is None and progress.card_photo is None
    assert "photo" not in repr(progress) and "jpeg" not in repr(progress)


def test_the_card_photo_stays_out_of_an_identitys_repr_and_equality(card: Identity) -> None:
    assert card.from_card and card.card_photo and str(bytes(card.card_photo[:8])) not in repr(card)
    assert card == dataclasses.replace(card, card_photo=b"", from_card=False)
    assert card.id_type is IdType.RESIDENT


def test_face_check_is_a_flag_on_intake_items_and_survives_the_centres_copy(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, {"site": "sites/street.toml"}))
    document = site_document(config.catalog, config.site.item_ids, config.site.bundle_ids)
    again = catalog_from_document(document, "centre")
    assert {i.id for i in again.items if i.face_check} == {"pension-qualification", "unemployment-insurance-benefit"}
    counter = next(item for item in document["items"] if item["channel"] == "counter")
    counter["face_check"] = True
    with pytest.raises(ConfigError, match="face_check.*intake items"):
        catalog_from_document(document, "centre")
    counter["face_check"] = "yes"
    with pytest.raises(ConfigError, match="face_check.*true or false"):
        catalog_from_document(document, "centre")
