"""Translations: source strings (msgids) are Simplified Chinese; ``locale/en`` translates every
one of them into English and ``locale/zh_Hans`` is an identity catalogue (msgstr = msgid).

Checked here, without polib or any other third-party .po library:

* the English catalogue has no untranslated and no fuzzy entry, keeps every placeholder and
  declares English plural forms; the zh_Hans catalogue is the identity with one plural form;
* each committed .mo is the compilation of its committed .po (same entries, same strings);
* the catalogue covers the source: ``makemessages`` over a copy of the source finds no msgid
  that the English catalogue lacks (skipped where GNU gettext is not installed);
* pages speak English with the language cookie and Chinese without it.
"""

from __future__ import annotations

import ast
import gettext
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"

# The same directories the documented makemessages command leaves out.
NOT_SOURCE = {".venv", "var", "staticfiles", "tests", "locale", "node_modules"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # what makemessages reads for the "django" domain

# %(name)s, %s, %d, %%: the python-format tokens a translation must keep.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")


# --------------------------------------------------------------------------------------------
# A minimal .po reader: enough for the catalogues makemessages writes.
# --------------------------------------------------------------------------------------------
@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # {0: …} or {0: …, 1: …}
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        """How gettext (and a .mo file) names the entry."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


def read_po(path: Path) -> list[Entry]:
    """Entries of a .po file, the header first; obsolete (``#~``) entries are left out."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int | None] | None = None  # the field continuation lines extend

    def flush():
        nonlocal current, target
        if current.msgid is not None:
            entries.append(current)
        current, target = Entry(), None

    def unquote(text: str, lineno: int) -> str:
        text = text.strip()
        if not (text.startswith('"') and text.endswith('"')):
            raise ValueError(f"{path}:{lineno}: expected a quoted string, got {text!r}")
        return ast.literal_eval(text)

    def append(value: str):
        name, index = target
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + value
        else:
            setattr(current, name, (getattr(current, name) or "") + value)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if current.msgstr:  # a comment after a msgstr starts the next entry
                flush()
            if line.startswith("#,"):
                current.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue  # other comments, previous msgids (#|) and obsolete entries (#~)
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{lineno}: continuation line outside an entry")
            append(unquote(line, lineno))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and current.msgstr:
            flush()
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            if keyword == "msgid":
                current.line = lineno
            setattr(current, keyword, "")
            target = (keyword, None)
        elif keyword == "msgstr":
            target = ("msgstr", 0)
            current.msgstr[0] = ""
        elif m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            target = ("msgstr", int(m.group(1)))
            current.msgstr[target[1]] = ""
        else:
            raise ValueError(f"{path}:{lineno}: unexpected line {raw!r}")
        append(unquote(rest, lineno))
    flush()
    return entries


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = entries[0]
    assert header.is_header, "the catalogue should start with its header entry"
    fields = {}
    for line in header.msgstr[0].splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if not e.is_header]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def where(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid!r}"


def mo_keys(path: Path) -> set[str]:
    """The msgids a compiled .mo holds (for a plural entry, its singular msgid)."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _revision, count, originals = struct.unpack(order + "III", data[4:16])
    keys = set()
    for i in range(count):
        length, offset = struct.unpack(order + "II", data[originals + 8 * i: originals + 8 * i + 8])
        keys.add(data[offset:offset + length].decode("utf-8").split("\0")[0])
    return keys


# --------------------------------------------------------------------------------------------
# The catalogues themselves
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def en_entries():
    return read_po(EN_PO)


@pytest.fixture(scope="module")
def zh_entries():
    return read_po(ZH_PO)


def test_en_catalogue_declares_english_plural_forms(en_entries):
    fields = header_fields(en_entries)
    assert fields["Language"] == "en"
    assert fields["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert "fuzzy" not in en_entries[0].flags, "a fuzzy header is not a finished catalogue"


def test_en_catalogue_translates_every_entry(en_entries):
    entries = messages(en_entries)
    assert len(entries) > 400, "the English catalogue looks truncated"
    untranslated = [where(e) for e in entries
                    if e.msgid and not all(s.strip() for s in e.msgstr.values())]
    assert not untranslated, "untranslated entries in locale/en:\n" + "\n".join(untranslated)
    fuzzy = [where(e) for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy (unchecked) entries in locale/en:\n" + "\n".join(fuzzy)
    plurals = [e for e in entries if e.msgid_plural is not None]
    wrong_forms = [where(e) for e in plurals if sorted(e.msgstr) != [0, 1]]
    assert not wrong_forms, "English plural entries need msgstr[0] and msgstr[1]:\n" + "\n".join(
        wrong_forms)


def test_en_catalogue_is_english(en_entries):
    """Every msgid is Chinese, so a msgstr still containing Han characters was not translated
    (the few that quote a Chinese example, such as a document number, are listed here)."""
    han = re.compile(r"[\u4e00-\u9fff]")
    quotes_chinese = {"用于文书编号，例如“黄寨人调〔2026〕42号”中的“黄寨”。"}
    leftovers = [where(e) for e in messages(en_entries)
                 if e.msgid not in quotes_chinese and any(han.search(s) for s in e.msgstr.values())]
    assert not leftovers, "English msgstrs with Chinese left in them:\n" + "\n".join(leftovers)


def test_translations_keep_placeholders(en_entries, zh_entries):
    broken = []
    for path, entries in ((EN_PO, en_entries), (ZH_PO, zh_entries)):
        for e in messages(entries):
            for index, text in e.msgstr.items():
                source = e.msgid_plural if index > 0 and e.msgid_plural is not None else e.msgid
                if placeholders(text) != placeholders(source):
                    broken.append(f"{path.parent.parent.name} {where(e)} msgstr[{index}] {text!r}")
    assert not broken, "placeholders changed:\n" + "\n".join(broken)


def test_zh_hans_catalogue_is_the_identity(zh_entries, en_entries):
    fields = header_fields(zh_entries)
    assert fields["Language"] == "zh_Hans"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "fuzzy" not in zh_entries[0].flags
    not_identity = [where(e) for e in messages(zh_entries)
                    if e.msgstr != {0: e.msgid} or "fuzzy" in e.flags]
    assert not not_identity, "zh_Hans entries that are not msgstr = msgid (re-run msgen):\n" + (
        "\n".join(not_identity))
    assert {e.key for e in messages(zh_entries)} == {e.key for e in messages(en_entries)}, (
        "the zh_Hans and en catalogues should hold the same msgids (run makemessages for both)")


@pytest.mark.parametrize("po_path", [EN_PO, ZH_PO], ids=["en", "zh_Hans"])
def test_mo_is_compiled_from_the_committed_po(po_path):
    """The committed .mo holds exactly the .po's entries with the .po's strings: a .po edited
    without ``compilemessages`` fails here."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run manage.py compilemessages"
    entries = read_po(po_path)
    translated = [e for e in messages(entries)
                  if all(e.msgstr.values()) and "fuzzy" not in e.flags]
    assert mo_keys(mo_path) == {""} | {e.key for e in translated}, (
        f"{mo_path.name} and {po_path.name} hold different entries: run compilemessages")

    with mo_path.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for e in translated:
        if e.msgid_plural is not None:
            got = {i: catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                   if e.msgctxt is not None else catalogue.ngettext(e.msgid, e.msgid_plural, n)
                   for i, n in ((0, 1), (1, 2)) if i in e.msgstr}
        else:
            got = {0: catalogue.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None
                   else catalogue.gettext(e.msgid)}
        if got != e.msgstr:
            stale.append(where(e))
    assert not stale, f"{mo_path.name} is older than {po_path.name}:\n" + "\n".join(stale[:20])


def test_english_mo_translates_known_strings():
    with (EN_PO.with_suffix(".mo")).open("rb") as fh:
        en = gettext.GNUTranslations(fh)
    assert en.gettext("大网格") == "Large grid"
    assert en.gettext("登录") == "Log in"
    assert en.gettext("乡镇矛盾纠纷多元化解平台") == "Township Dispute Resolution Platform"
    assert en.ngettext("%(n)s 个小网格", "%(n)s 个小网格", 1) == "%(n)s small grid"
    assert en.ngettext("%(n)s 个小网格", "%(n)s 个小网格", 3) == "%(n)s small grids"


def test_django_uses_the_catalogues():
    with translation.override("en"):
        assert translation.gettext("小网格") == "Small grid"
        assert translation.ngettext("共 %(n)s 件", "共 %(n)s 件", 1) % {"n": 1} == (
            "1 case in total")
        assert translation.ngettext("共 %(n)s 件", "共 %(n)s 件", 7) % {"n": 7} == (
            "7 cases in total")
    with translation.override("zh-hans"):
        assert translation.gettext("小网格") == "小网格"


# --------------------------------------------------------------------------------------------
# The catalogue covers the source
# --------------------------------------------------------------------------------------------
def _copy_source(destination: Path) -> None:
    """Copy the files makemessages reads (py, html, txt), as the documented command sees
    them: without .venv, var, staticfiles, tests and the committed locale/."""

    def ignore(directory, names):
        top = Path(directory) == BASE_DIR
        skipped = []
        for name in names:
            path = Path(directory) / name
            if path.is_dir():
                if name.startswith(".") or name == "__pycache__" or (top and name in NOT_SOURCE):
                    skipped.append(name)
            elif path.suffix not in SOURCE_SUFFIXES:
                skipped.append(name)
        return skipped

    shutil.copytree(BASE_DIR, destination, ignore=ignore, symlinks=False)


def _locale_fingerprint() -> dict[str, str]:
    return {str(p.relative_to(LOCALE_DIR)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(LOCALE_DIR.rglob("*")) if p.is_file()}


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msguniq", "msgmerge")),
    reason="needs GNU gettext (xgettext, msguniq, msgmerge): apt-get install gettext",
)
def test_catalogue_covers_every_msgid_in_the_source(tmp_path, en_entries):
    """Run makemessages over a copy of the source into a scratch locale/ and check that the
    committed English catalogue translates every msgid it finds: a string added to the code
    or a template without a translation fails here. The committed locale/ is not touched."""
    before = _locale_fingerprint()
    source = tmp_path / "src"
    _copy_source(source)
    (source / "locale").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    # Without settings, makemessages writes into ./locale, here the scratch copy's.
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete",
         *(f"--ignore={name}" for name in sorted(NOT_SOURCE))],
        cwd=source, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = read_po(source / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(messages(fresh)) > 400, "makemessages found suspiciously few strings"

    committed = {e.key for e in messages(en_entries)
                 if all(s.strip() for s in e.msgstr.values()) and "fuzzy" not in e.flags}
    missing = [where(e) for e in messages(fresh) if e.key not in committed]
    assert not missing, (
        "msgids in the source without an English translation: run `make messages`, translate "
        "them in locale/en/LC_MESSAGES/django.po, then `make compilemessages`:\n"
        + "\n".join(missing))
    assert _locale_fingerprint() == before, "the committed locale/ was modified"


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------
@pytest.fixture
def keep_active_language():
    """Requests activate their language in this thread; put back what was active."""
    with translation.override(translation.get_language()):
        yield


def test_login_page_in_english_with_the_language_cookie(keep_active_language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Username" in html and "Password" in html
    assert "Township Dispute Resolution Platform" in html
    assert "登录" not in html


def test_login_page_in_chinese_without_the_cookie(keep_active_language):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "用户名" in html
    assert "Log in" not in html
