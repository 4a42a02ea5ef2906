"""``{% query_code_block code %}``: the query code and its QR code on a printed notice."""

from django import template

from casework.querycode import qr_svg, query_url

register = template.Library()


@register.inclusion_tag("casework/_query_code.html")
def query_code_block(code):
    return {"code": code, "query_qr": qr_svg(code) if code else "",
            "query_url": query_url(code) if code else ""}
