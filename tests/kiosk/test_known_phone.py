"""The mobile number a login code brings (``Identity.phone``): kept only when it is a mainland
mobile number, never in the identity's text (logs print identities)."""

from __future__ import annotations

import pytest

from kiosk.session.identity import identity_from_login_code

PERSON = {"name": "李四", "id_number": "320111194503120010"}


def test_a_verified_mobile_number_comes_with_the_login() -> None:
    identity = identity_from_login_code({**PERSON, "phone": "13912345678"})
    assert identity.phone == "13912345678"
    assert "13912345678" not in repr(identity) and "13912345678" not in str(identity)


@pytest.mark.parametrize("phone", ["", "1391234567", "23912345678", "139123456789", "+8613912345678",
                                   "１３９１２３４５６７８"])
def test_anything_but_a_mobile_number_is_left_out_and_the_login_still_works(phone: str) -> None:
    identity = identity_from_login_code({**PERSON, "phone": phone})
    assert identity.phone == "" and identity.name == "李四"
