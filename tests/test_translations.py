"""The Simplified Chinese catalogue is complete, keeps its placeholders and is compiled.

The .po is read with a small parser (standard library only) so that a missing translation, a
forgotten fuzzy flag, a mangled placeholder or a stale .mo fails here rather than on a page.
"""

import ast
import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

PORTAL_NAME = "老干部工作服务平台"
CJK = re.compile(r"[\u4e00-\u9fff]")
# Python %-style placeholders (what blocktranslate produces too); %% is a literal percent sign.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]")
# Django template variables must never reach the catalogue: blocktranslate turns them into %(x)s.
TEMPLATE_VARIABLE = re.compile(r"\{\{.*?\}\}")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[i] for i in sorted(self.msgstr)]


def _unquote(text: str, lineno: int) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise AssertionError(f"django.po:{lineno}: expected a quoted string, got {text!r}")
    # PO strings use C escapes (\n, \t, \", \\), which a Python string literal reads the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Return the entries of a .po file, the header included, obsolete (#~) entries left out."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal entry, target
        if entry.msgstr or entry.msgid or entry.msgid_plural is not None:
            entries.append(entry)
        entry, target = Entry(), None

    keywords = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if entry.msgstr:  # a new entry begins without a blank line before it
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        match = keywords.match(line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3), lineno)
            if keyword in ("msgctxt", "msgid") and entry.msgstr:
                finish()
            if not entry.line:
                entry.line = lineno
            if keyword == "msgctxt":
                entry.msgctxt, target = value, ("msgctxt", None)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid", None)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", None)
            else:
                number = int(index) if index is not None else 0
                entry.msgstr[number] = value
                target = ("msgstr", number)
            continue
        if line.startswith('"') and target is not None:
            value = _unquote(line, lineno)
            name, number = target
            if name == "msgstr":
                entry.msgstr[number] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue
        raise AssertionError(f"django.po:{lineno}: cannot read {raw!r}")
    finish()
    return entries


def _messages() -> list[Entry]:
    return [entry for entry in parse_po(PO_PATH) if not entry.is_header]


def _label(entry: Entry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"django.po:{entry.line} {context}{entry.msgid!r}"


def test_it_reads_a_catalogue_with_a_chinese_header():
    entries = parse_po(PO_PATH)
    headers = [entry for entry in entries if entry.is_header]
    assert len(headers) == 1
    header = headers[0].msgstr[0]
    assert "Language: zh_Hans\n" in header
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header
    assert "Content-Type: text/plain; charset=UTF-8\n" in header
    assert "fuzzy" not in headers[0].flags
    assert len(entries) > 200


def test_it_translates_every_message_and_leaves_none_fuzzy():
    messages = _messages()
    untranslated = [_label(e) for e in messages if not e.msgstr or not all(s.strip() for s in e.translations)]
    fuzzy = [_label(e) for e in messages if "fuzzy" in e.flags]
    assert not untranslated, "untranslated: " + "; ".join(untranslated)
    assert not fuzzy, "fuzzy: " + "; ".join(fuzzy)


def test_it_gives_plural_messages_exactly_one_chinese_form():
    plurals = [e for e in _messages() if e.msgid_plural is not None]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == [0], _label(entry)


def test_it_keeps_every_placeholder_in_the_translation():
    problems = []
    for entry in _messages():
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural is not None else [])
        for source in sources:
            if TEMPLATE_VARIABLE.search(source):
                problems.append(f"{_label(entry)}: template variable in the msgid")
        # With one Chinese form, msgstr[0] stands for the plural too: it must carry its placeholders.
        expected = Counter(PLACEHOLDER.findall(sources[-1]))
        for translated in entry.translations:
            if TEMPLATE_VARIABLE.search(translated):
                problems.append(f"{_label(entry)}: template variable in the msgstr {translated!r}")
            found = Counter(PLACEHOLDER.findall(translated))
            if found != expected:
                problems.append(f"{_label(entry)}: placeholders {dict(found)} instead of {dict(expected)}")
        if entry.msgid_plural is not None:
            missing = set(PLACEHOLDER.findall(entry.msgid)) - set(PLACEHOLDER.findall(entry.msgid_plural))
            if missing:
                problems.append(f"{_label(entry)}: singular placeholders {missing} absent from the plural")
    assert not problems, "\n".join(problems)


def test_it_compiles_the_mo_in_step_with_the_po():
    assert MO_PATH.exists(), "run: python manage.py compilemessages -l zh_Hans --ignore=.venv"
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _messages():
        if entry.msgid_plural is not None:
            for n in (1, 2):
                if entry.msgctxt is not None:
                    got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                if got != entry.msgstr[0]:
                    stale.append(f"{_label(entry)} (n={n}): .mo has {got!r}, .po has {entry.msgstr[0]!r}")
        else:
            if entry.msgctxt is not None:
                got = compiled.pgettext(entry.msgctxt, entry.msgid)
            else:
                got = compiled.gettext(entry.msgid)
            if got != entry.msgstr[0]:
                stale.append(f"{_label(entry)}: .mo has {got!r}, .po has {entry.msgstr[0]!r}")
    assert not stale, "recompile the catalogue:\n" + "\n".join(stale)


def test_it_serves_chinese_to_chinese_users_and_english_to_english_users():
    with translation.override("zh-hans"):
        chinese = translation.gettext("Cadre registry")
    with translation.override("en"):
        english = translation.gettext("Cadre registry")
    assert CJK.search(chinese), chinese
    assert english == "Cadre registry"


@pytest.mark.django_db
def test_it_renders_the_login_page_in_chinese_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert PORTAL_NAME in page
    assert "Veteran Cadre Service Portal" not in page
