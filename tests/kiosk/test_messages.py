"""Resident wording lives in one table keyed by message id, complete and well-formed."""

from __future__ import annotations

import string

import pytest

from kiosk.errors import CardNotAccepted, CentreUnreachable, ConfigError, OutboxFull
from kiosk.messages import WORDING, MessageId, message, say, template_fields


@pytest.mark.parametrize("language", sorted(WORDING))
def test_every_message_has_words_in_every_language(language: str) -> None:
    missing = [message_id for message_id in MessageId if not WORDING[language].get(message_id, "").strip()]
    assert missing == []


@pytest.mark.parametrize("message_id", list(MessageId))
def test_every_template_parses_and_names_only_plain_fields(message_id: MessageId) -> None:
    for language, table in WORDING.items():
        for _, name, spec, conversion in string.Formatter().parse(table[message_id]):
            assert name is None or name.isidentifier(), (language, message_id)
            assert not spec and not conversion, (language, message_id)
        # a translation may not ask for parameters the default words do not give
        assert template_fields(message_id, language) <= template_fields(message_id), (language, message_id)


def test_parameters_and_nested_ids_are_rendered_in_the_same_language() -> None:
    text = say(message(MessageId.LOOKUP_RESULT, case_number="202612020010001", status=MessageId.CASE_ACCEPTED))
    assert text == "已受理\n受理编号 202612020010001"
    assert say(message(MessageId.DIGITS_LENGTH, label="邮编", low=6, high=6)) == "邮编请填写6到6位数字"
    assert say(None) == ""


def test_errors_carry_a_message_id_and_keep_details_for_technicians() -> None:
    assert CardNotAccepted(MessageId.CARD_EXPIRED).message.id is MessageId.CARD_EXPIRED
    full = OutboxFull()
    assert full.message.id is MessageId.OUTBOX_FULL and str(full) == say(MessageId.OUTBOX_FULL)
    down = CentreUnreachable(detail="timeout: read timed out")
    assert down.message.id is MessageId.CENTRE_UNREACHABLE and down.detail == "timeout: read timed out"
    broken = ConfigError("kiosk.toml: [ui] font: no such file")
    assert broken.message.id is MessageId.CONFIGURATION_BROKEN  # what a resident would be told
    assert str(broken) == "kiosk.toml: [ui] font: no such file"  # what the technician reads
