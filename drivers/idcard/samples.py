"""Sample cards of all four types for simulators, the developer panel and tests.

The people are invented; the numbers carry valid GB 11643 check digits.
"""

from __future__ import annotations

from drivers.idcard.record import CardType, IdCardRecord

RESIDENT = IdCardRecord(
    card_type=CardType.RESIDENT,
    name="张三丰",
    gender="男",
    nation="汉",
    birth_date="19450312",
    address="江苏省南京市江北新区浦珠路12号3幢502室",
    id_number="320111194503120010",
    issuer="南京市公安局江北新区分局",
    valid_from="20150601",
    valid_to="长期",
)

HMT_RESIDENCE_PERMIT = IdCardRecord(
    card_type=CardType.HMT_RESIDENCE_PERMIT,
    name="陳嘉儀",
    gender="女",
    birth_date="19900718",
    address="江苏省南京市栖霞区仙林大道163号",
    id_number="810000199007180027",
    issuer="南京市公安局",
    valid_from="20230101",
    valid_to="20280101",
    pass_number="H60123456",
    issue_count="01",
)

FOREIGN_PERMANENT_2017 = IdCardRecord(
    card_type=CardType.FOREIGN_PERMANENT_2017,
    name="安娜",
    english_name="MUELLER, ANNA",
    gender="女",
    birth_date="19800224",
    id_number="DEU320080022401",
    nationality="DEU",
    issuer="1500",
    valid_from="20190510",
    valid_to="20290510",
    card_version="01",
)

FOREIGN_PERMANENT_2023 = IdCardRecord(
    card_type=CardType.FOREIGN_PERMANENT_2023,
    name="约翰",
    english_name="SMITH, JOHN",
    gender="男",
    birth_date="19751105",
    id_number="932840197511050015",
    nationality="USA",
    valid_from="20240301",
    valid_to="20340301",
    issue_count="00",
)

ALL = (RESIDENT, HMT_RESIDENCE_PERMIT, FOREIGN_PERMANENT_2017, FOREIGN_PERMANENT_2023)

# Rare characters (生僻字) that UCS-2 holds: 䶮 U+4DAE and 㙟 U+365F are CJK Extension A.
# Not in ALL: the developer panel and simwire://?card=rare pick it explicitly.
RARE_CHARACTERS = IdCardRecord(
    card_type=CardType.RESIDENT,
    name="邓䶮",
    gender="女",
    nation="壮",
    birth_date="19881224",
    address="广东省广州市越秀区㙟头街8号",
    id_number="440102198812240023",
    issuer="广州市公安局越秀分局",
    valid_from="20180101",
    valid_to="20380101",
)
