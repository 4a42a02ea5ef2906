"""``{% load personal_data %}``: ``{{ p.phone|mask_phone }}``, ``{{ p.id_number|mask_id_number }}``."""

from django import template

from core import masking

register = template.Library()
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_id_number", masking.mask_id_number)
register.filter("mask_name", masking.mask_name)
