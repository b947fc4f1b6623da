from core.masking import mask_id_number, mask_phone


def test_it_masks_an_id_number_keeping_region_and_last_four():
    assert mask_id_number("110105194912310021") == "110***********0021"


def test_it_masks_a_phone_keeping_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_it_masks_short_values_entirely_and_leaves_empty_ones_empty():
    assert mask_phone("12345") == "*****"
    assert mask_id_number("") == ""
