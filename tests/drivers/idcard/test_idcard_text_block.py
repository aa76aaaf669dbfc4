"""The 256-byte text block of all four card types, and the GB 11643 number checks.

The frames here are built field by field from the offset tables of hardware.md §1.6, not
with the encoder under test, and wrapped in a full 1295-byte 30 01 response.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.errors import CardDataInvalid, DriverError
from drivers.idcard import protocol as p
from drivers.idcard import samples
from drivers.idcard.id_number import (
    PROBLEM_BIRTH_MISMATCH,
    PROBLEM_CHECK_DIGIT,
    PROBLEM_FORM,
    PROBLEM_GENDER_MISMATCH,
    check_character,
    with_check_character,
)
from drivers.idcard.record import CardType, IdCardRecord
from drivers.idcard.text_block import NATIONS, decode_text_block, encode_text_block


def block(*fields: tuple[int, str]) -> bytes:
    """A text block of spaces with each (offset, text) written in UTF-16LE."""
    data = bytearray(" ".encode("utf-16-le") * 128)
    for offset, text in fields:
        raw = text.encode("utf-16-le")
        data[offset : offset + len(raw)] = raw
    return bytes(data)


def read_frame(text: bytes, photo: bytes = b"\x57" * 1024) -> bytes:
    body = bytes.fromhex("0100 0400") + text + photo
    return p.encode_frame(b"\x00\x00\x90" + body)


def decode_frame(frame: bytes) -> IdCardRecord:
    info = p.parse_base_info(p.decode_response(frame).data)
    return decode_text_block(info.text, info.photo)


RESIDENT_FRAME = read_frame(
    block(
        (0, "刘䶮"),
        (30, "1"),
        (32, "03"),
        (36, "19900307"),
        (52, "广东省广州市越秀区中山路1号"),
        (122, "440104199003071239"),
        (158, "广州市公安局越秀分局"),
        (188, "20200101"),
        (204, "长期"),
    )
)
HMT_FRAME = read_frame(
    block(
        (0, "陳嘉儀"),
        (30, "2"),
        (36, "19900718"),
        (52, "江苏省南京市栖霞区仙林大道163号"),
        (122, "810000199007180027"),
        (158, "南京市公安局"),
        (188, "20230101"),
        (204, "20280101"),
        (220, "H60123456"),
        (238, "01"),
        (248, "J"),
    )
)
FOREIGN_2017_FRAME = read_frame(
    block(
        (0, "MUELLER, ANNA"),
        (120, "2"),
        (122, "DEU320080022401"),
        (152, "DEU"),
        (158, "安娜"),
        (188, "20190510"),
        (204, "20290510"),
        (220, "19800224"),
        (236, "01"),
        (240, "1500"),
        (248, "I"),
    )
)
LONG_ENGLISH = "WOLFESCHLEGELSTEINHAUSENBERGERDORFF, HUBERT BLAINE"[:46]
FOREIGN_2023_FRAME = read_frame(
    block(
        (0, "约翰"),
        (30, "1"),
        (32, "00"),
        (36, "19751105"),
        (52, LONG_ENGLISH[:35]),
        (122, "932840197511050015"),
        (188, "20240301"),
        (204, "20340301"),
        (220, LONG_ENGLISH[35:]),
        (242, "USA"),
        (248, "Y"),
        (250, "A12"),
    )
)


def test_resident_card() -> None:
    record = decode_frame(RESIDENT_FRAME)
    assert record.card_type is CardType.RESIDENT
    assert record.name == "刘䶮"  # a rare character inside UCS-2 (CJK Extension A)
    assert (record.gender, record.nation, record.birth_date) == ("男", "回", "19900307")
    assert record.address == "广东省广州市越秀区中山路1号"
    assert record.id_number == "440104199003071239"
    assert record.issuer == "广州市公安局越秀分局"
    assert (record.valid_from, record.valid_to) == ("20200101", "长期")
    assert record.photo_wlt == b"\x57" * 1024
    assert record.valid, record.problems


def test_hmt_residence_permit() -> None:
    record = decode_frame(HMT_FRAME)
    assert record.card_type is CardType.HMT_RESIDENCE_PERMIT
    assert (record.name, record.gender, record.nation) == ("陳嘉儀", "女", "")
    assert (record.pass_number, record.issue_count) == ("H60123456", "01")
    assert record.valid_to == "20280101"
    assert record.valid


def test_foreign_permanent_2017() -> None:
    record = decode_frame(FOREIGN_2017_FRAME)
    assert record.card_type is CardType.FOREIGN_PERMANENT_2017
    assert (record.name, record.english_name) == ("安娜", "MUELLER, ANNA")
    assert (record.id_number, record.nationality) == ("DEU320080022401", "DEU")
    assert (record.birth_date, record.card_version, record.issuer) == ("19800224", "01", "1500")
    assert record.valid


def test_foreign_permanent_2023_joins_the_english_name() -> None:
    record = decode_frame(FOREIGN_2023_FRAME)
    assert record.card_type is CardType.FOREIGN_PERMANENT_2023
    assert record.english_name == LONG_ENGLISH
    assert (record.name, record.nationality, record.issue_count) == ("约翰", "USA", "00")
    assert record.previous_number == "A12"
    assert record.valid


@pytest.mark.parametrize("sample", samples.ALL, ids=lambda r: r.card_type.value)
def test_samples_encode_and_decode_back(sample: IdCardRecord) -> None:
    text = encode_text_block(sample)
    assert len(text) == 256
    assert decode_text_block(text) == sample


@pytest.mark.parametrize("code", sorted(NATIONS))
def test_every_nation_code(code: str) -> None:
    record = decode_text_block(block((30, "1"), (32, code), (36, "19450312"), (122, "320111194503120010")))
    assert record.nation == NATIONS[code]


def test_unknown_nation_and_gender_codes_are_kept_readable() -> None:
    record = decode_text_block(block((30, "7"), (32, "57"), (122, "320111194503120010")))
    assert (record.nation, record.gender) == ("57", "未知")


def test_gender_codes() -> None:
    genders = [decode_text_block(block((30, c))).gender for c in "0129"]
    assert genders == ["未知", "男", "女", "未说明"]


def test_trailing_padding_is_stripped_inner_spaces_kept() -> None:
    text = bytearray(block((0, "MUELLER ANNA"), (248, "I")))
    text[26:28] = b"\x00\x00"  # a NUL pad after the name
    assert decode_text_block(bytes(text)).english_name == "MUELLER ANNA"


def test_wrong_check_digit_is_reported() -> None:
    record = decode_text_block(block((30, "1"), (36, "19450312"), (122, "320111194503120011")))
    assert PROBLEM_CHECK_DIGIT in record.problems
    assert not record.valid


def test_birth_date_must_match_the_number() -> None:
    number = with_check_character("32011119450313001")
    record = decode_text_block(block((30, "1"), (36, "19450312"), (122, number)))
    assert record.problems == (PROBLEM_BIRTH_MISMATCH,)


def test_gender_digit_must_match() -> None:
    record = decode_text_block(block((30, "2"), (36, "19450312"), (122, "320111194503120010")))
    assert record.problems == (PROBLEM_GENDER_MISMATCH,)


@pytest.mark.parametrize("number", ["", "32011119450312001", "3201111945031200X0", "ABC"])
def test_malformed_numbers(number: str) -> None:
    record = decode_text_block(block((30, "1"), (36, "19450312"), (122, number)))
    assert PROBLEM_FORM in record.problems


def test_x_check_character() -> None:
    assert check_character("11010519491231002") == "X"


def test_foreign_2017_number_and_date_checked() -> None:
    record = decode_text_block(block((122, "DEU320080022501"), (220, "19800224"), (248, "I")))
    assert record.problems == (PROBLEM_BIRTH_MISMATCH,)


def test_problems_never_contain_the_number() -> None:
    number = "320111194503120011"
    record = decode_text_block(block((30, "2"), (36, "19450313"), (122, number)))
    assert len(record.problems) >= 2
    assert not any(number[:6] in problem or "1945" in problem for problem in record.problems)


def test_unknown_marker_is_card_data_invalid() -> None:
    with pytest.raises(CardDataInvalid):
        decode_text_block(block((248, "Z")))
    with pytest.raises(CardDataInvalid):
        decode_text_block(bytes(255))


def test_lone_surrogate_does_not_crash() -> None:
    text = bytearray(block((30, "1")))
    text[0:2] = b"\x00\xd8"
    assert decode_text_block(bytes(text)).name == "\ufffd"


def test_repr_and_str_are_masked() -> None:
    record = decode_frame(RESIDENT_FRAME)
    for shown in (repr(record), str(record), f"{record}", repr([record])):
        assert "刘䶮" not in shown and "440104199003071239" not in shown
        assert "广州" not in shown


def test_as_dict_masks_unless_revealed() -> None:
    record = decode_frame(HMT_FRAME)
    masked, revealed = record.as_dict(), record.as_dict(reveal=True)
    assert masked["id_number"] == "810000********0027"
    assert masked["name"] == "陳*儀"
    assert "H60123456" not in str(masked) and "仙林" not in str(masked)
    assert revealed["pass_number"] == "H60123456" and revealed["name"] == "陳嘉儀"


# --- property: any record that fits the card survives encode → decode -------------------

BMP_CJK = st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF)  # incl. Extension A
ASCII_ALNUM = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def text(alphabet: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet, max_size=max_size)


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=size, max_size=size)


@st.composite
def records(draw: st.DrawFn) -> IdCardRecord:
    card_type = draw(st.sampled_from(list(CardType)))
    common = {
        "card_type": card_type,
        "name": draw(text(BMP_CJK, 15)),
        "gender": draw(st.sampled_from(["男", "女", "未知", "未说明"])),
        "birth_date": draw(digits(8)),
        "valid_from": draw(digits(8)),
        "valid_to": draw(st.one_of(digits(8), st.just("长期"))),
    }
    if card_type is CardType.FOREIGN_PERMANENT_2017:
        return IdCardRecord(
            **common,
            english_name=draw(st.text(st.sampled_from("ABCDEFG ,"), max_size=60)).rstrip(),
            id_number=draw(text(ASCII_ALNUM, 15)),
            nationality=draw(text(ASCII_ALNUM, 3)),
            card_version=draw(digits(2)),
            issuer=draw(digits(4)),
        )
    number = draw(text(ASCII_ALNUM, 18))
    if card_type is CardType.FOREIGN_PERMANENT_2023:
        return IdCardRecord(
            **common,
            id_number=number,
            english_name=draw(st.text(st.sampled_from("XYZ ,-"), max_size=46)).rstrip(),
            nationality=draw(text(ASCII_ALNUM, 3)),
            issue_count=draw(digits(2)),
            previous_number=draw(text(ASCII_ALNUM, 3)),
        )
    extra = {}
    if card_type is CardType.HMT_RESIDENCE_PERMIT:
        extra = {"pass_number": draw(text(ASCII_ALNUM, 9)), "issue_count": draw(digits(2))}
    else:
        extra = {"nation": draw(st.sampled_from(sorted(NATIONS.values())))}
    return IdCardRecord(
        **common,
        id_number=number,
        address=draw(text(BMP_CJK, 35)),
        issuer=draw(text(BMP_CJK, 15)),
        **extra,
    )


@settings(max_examples=300, deadline=None)
@given(records())
def test_round_trip_of_any_record(record: IdCardRecord) -> None:
    decoded = decode_text_block(encode_text_block(record))
    assert decoded == IdCardRecord(**{**record.__dict__, "problems": decoded.problems})


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=256, max_size=256))
def test_any_block_decodes_or_raises_a_driver_error(data: bytes) -> None:
    try:
        decode_text_block(data)
    except DriverError:
        pass
