"""Masking of personal data for viewers who have no need to see it in full."""


def mask_id_number(number: str) -> str:
    """Keep the region code and the last four characters: 110***********1234."""
    if not number:
        return ""
    if len(number) <= 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits: 138****5678."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
