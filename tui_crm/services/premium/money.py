"""Rounding of money and display of rates: Decimal only, ROUND_HALF_UP to the fen."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def to_fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def money_text(amount: Decimal) -> str:
    """'1045.00' — two decimals, no thousands separator (the CLI contract)."""
    return f"{to_fen(amount):.2f}"


def rate_text(value: Decimal) -> str:
    """A factor or rate with at least two decimals and no trailing noise: 0.9 → '0.90',
    0.0065 → '0.0065', 1 → '1.00'."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 2)
    return f"{value:.{places}f}"


def percent_text(value: Decimal) -> str:
    """-0.10 → '-10%', 0.3 → '+30%', 0 → '0%'."""
    pct = (value * 100).normalize()
    text = f"{pct:f}"
    if value > 0:
        text = "+" + text
    return text + "%"


def tidy(value: Decimal) -> Decimal:
    """Drop the storage scale without going scientific: 950.000000 → 950, 0.500000 → 0.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
