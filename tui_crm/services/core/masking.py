"""Masking of personal data (PIPL): done in the services so every front end gets it."""


def mask_id_number(value: str | None) -> str | None:
    """330402199001011234 → 330402********1234; short or odd values keep only a tail."""
    if not value:
        return value
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 4:
        return "*" * (len(value) - 4) + value[-4:]
    return "*" * len(value)


def mask_phone(value: str | None) -> str | None:
    """13812345678 → 138****5678; landlines keep the area code and the last 4 digits."""
    if not value:
        return value
    digits = value
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if len(digits) > 8:
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    return "*" * max(0, len(digits) - 4) + digits[-4:]


def mask_name(value: str | None) -> str | None:
    """张三丰 → 张**: for exports of individuals when names must not travel."""
    if not value:
        return value
    return value[0] + "*" * (len(value) - 1)
