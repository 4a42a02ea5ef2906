"""Parties' personal data: 11-digit mobiles, 18-character resident IDs (GB 11643 check digit),
and the masks that lists and exports show."""

import pytest
from django.core.exceptions import ValidationError

from core.masking import mask_id_number, mask_name, mask_phone
from core.validators import resident_id_check_char, validate_mobile, validate_resident_id

from .factories import ID_NUMBER, ID_NUMBER_X, PHONE


@pytest.mark.parametrize("value", [PHONE, "19912345678", "15000000000", ""])
def test_mobile_accepts_eleven_digit_mainland_numbers_and_blank(value):
    validate_mobile(value)


@pytest.mark.parametrize("value", [
    "1381234567",      # 10 digits
    "138123456789",    # 12 digits
    "12812345678",     # second digit 2 is not a mobile prefix
    "23812345678",     # does not start with 1
    "138-1234-567",
    "+8613812345678",
    "1381234567a",
])
def test_mobile_rejects_wrong_length_or_shape_in_chinese(value):
    with pytest.raises(ValidationError) as exc:
        validate_mobile(value)
    assert exc.value.code == "invalid_mobile"
    assert "11位手机号码" in exc.value.messages[0]


@pytest.mark.parametrize("value", [ID_NUMBER, ID_NUMBER_X, ID_NUMBER_X.lower(), ""])
def test_resident_id_accepts_correct_check_digit_lowercase_x_and_blank(value):
    validate_resident_id(value)


def test_resident_id_check_digit_follows_gb11643():
    assert resident_id_check_char("11010519491231002") == "X"
    assert resident_id_check_char(ID_NUMBER[:17]) == ID_NUMBER[17]


@pytest.mark.parametrize("value", [
    ID_NUMBER[:17],            # 17 characters
    ID_NUMBER + "1",           # 19 characters
    "62082319800101123",       # 15-digit era length, not accepted
    "62082319800101X239",      # X not in last place
    "6208231980010112 9",
])
def test_resident_id_rejects_wrong_length_or_shape(value):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(value)
    assert exc.value.code == "invalid_id_format"
    assert "18位" in exc.value.messages[0]


@pytest.mark.parametrize("value", ["620823198001011230", "110105194912310021"])
def test_resident_id_rejects_a_wrong_check_digit(value):
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(value)
    assert exc.value.code == "invalid_id_checksum"
    assert "校验位" in exc.value.messages[0]


@pytest.mark.parametrize(("name", "masked"), [
    ("张三丰", "张*丰"), ("张三", "张*"), ("欧阳小明", "欧**明"), ("张", "张"), ("", ""),
])
def test_names_are_masked_keeping_first_and_last_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812341234", "138****1234"), ("", ""), ("12345", "*****"),
])
def test_phones_are_masked_to_first_three_and_last_four(phone, masked):
    assert mask_phone(phone) == masked


def test_resident_ids_are_masked_to_first_and_last_four():
    assert mask_id_number(ID_NUMBER) == "6208**********1239"
    assert mask_id_number("") == ""
