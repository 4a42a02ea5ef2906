"""QuickSelect writes the same options as Django's Select, escaped, with the choice selected;
QuickInputRenderer the same inputs as Django's templates."""

import re

import pytest
from django import forms

from core.forms import QuickSelect


class Both(forms.Form):
    plain = forms.ChoiceField(choices=[("", "全部"), ("x", "<b>X</b>"), ("7", "Y")],
                              required=False)
    quick = forms.ChoiceField(choices=[("", "全部"), ("x", "<b>X</b>"), ("7", "Y")],
                              required=False, widget=QuickSelect)


def _options(html):
    return re.findall(r"<option[^>]*>[^<]*</option>", html)


def test_quick_select_renders_what_select_renders():
    form = Both({"plain": "7", "quick": "7"})
    assert form.is_valid()
    assert _options(str(form["quick"])) == [o.strip() for o in _options(str(form["plain"]))]
    assert 'id="id_quick"' in str(form["quick"]) and 'name="quick"' in str(form["quick"])
    assert "&lt;b&gt;X&lt;/b&gt;" in str(form["quick"])
    assert '<option value="7" selected>Y</option>' in str(form["quick"])


@pytest.mark.django_db
def test_values_choice_field_matches_the_model_field_and_checks_the_choice(
        django_assert_num_queries):
    from core.forms import ValuesChoiceField
    from grid.models import County, LargeGrid, Town, large_grid_label

    county = County.objects.create(name="测试县", code="T1")
    town = Town.objects.create(county=county, name="测试镇", short_name="测试", code="T1-1")
    for n in (1, 2, 3):
        LargeGrid.objects.create(town=town, number=n, name=f"村{n}")
    queryset = LargeGrid.objects.filter(town=town)

    class Pair(forms.Form):
        model = forms.ModelChoiceField(queryset=queryset, required=False, widget=QuickSelect)
        values = ValuesChoiceField(queryset=queryset, required=False, widget=QuickSelect,
                                   label_fields=("number", "name"),
                                   option_label=large_grid_label)

    form = Pair()
    with django_assert_num_queries(1):
        values_html = str(form["values"])
    assert _options(values_html) == _options(str(form["model"]))
    assert len(_options(values_html)) == 4 and "第2大网格（村2）" in values_html
    chosen = queryset.get(number=2)
    bound = Pair({"values": str(chosen.pk)})
    assert bound.is_valid() and bound.cleaned_data["values"] == chosen
    assert not Pair({"values": "999999"}).is_valid()


def test_the_quick_input_renderer_writes_what_django_templates_write():
    """Each one-<input> widget, with values and attributes that need escaping, checked and
    unchecked boxes, a formatted date and boolean attributes: the same markup as Django's
    own template renderer."""
    import datetime

    from django.forms.renderers import DjangoTemplates

    from core.forms import QuickInputRenderer

    class Every(forms.Form):
        text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": '案号 "<x>" & y',
                                                             "autofocus": True,
                                                             "disabled": False}))
        number = forms.IntegerField()
        email = forms.EmailField()
        hidden = forms.CharField(widget=forms.HiddenInput)
        password = forms.CharField(widget=forms.PasswordInput(render_value=True))
        date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"},
                                                      format="%Y-%m-%d"))
        when = forms.DateTimeField()
        on = forms.BooleanField(required=False)
        off = forms.BooleanField(required=False)
        choice = forms.ChoiceField(choices=[("a", "甲"), ("b", "<乙>")])

    data = {"text": '<script>"x"</script>', "number": "12", "email": "a@b.cn",
            "hidden": "h&v", "password": "p'w", "date": "2026-12-01",
            "when": "2026-12-01 08:30", "on": "on", "choice": "b"}
    invalid = {**data, "number": "x", "email": "<no>", "text": ""}
    for form_data, initial in ((data, None), (invalid, None),
                               (None, {"date": datetime.date(2026, 1, 2), "on": True,
                                       "number": 0})):
        quick = Every(form_data, initial=initial, renderer=QuickInputRenderer())
        plain = Every(form_data, initial=initial, renderer=DjangoTemplates())
        for name in Every.base_fields:
            assert str(quick[name]) == str(plain[name]), name
            assert str(quick[name].errors) == str(plain[name].errors), name
        assert str(quick) == str(plain)
        assert str(quick.errors) == str(plain.errors)
        assert quick.errors.as_text() == plain.errors.as_text()
    assert str(Every(invalid, renderer=QuickInputRenderer())["number"].errors).startswith(
        '<ul class="errorlist"')
