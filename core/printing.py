"""Printed ledgers: landscape A4, columns of fixed widths that wrap (static/css/print.css)."""

from __future__ import annotations


def print_columns(headers, widths) -> list[dict]:
    """Each column's header and its share of the page width in percent, from the relative
    widths the .xlsx uses: a long word then wraps inside its column instead of pushing the
    table off the page."""
    total = sum(widths)
    return [{"header": header, "percent": round(100 * width / total, 2)}
            for header, width in zip(headers, widths, strict=True)]
