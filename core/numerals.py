"""Chinese numerals for counts written out in official documents (一式三份)."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """0–99 in Chinese numerals (3 → 三, 10 → 十, 12 → 十二, 40 → 四十); larger numbers stay
    in Arabic digits."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return (DIGITS[tens] if tens > 1 else "") + "十" + (DIGITS[ones] if ones else "")
