"""The message catalogues: every string of the interface translated, placeholders intact.

`make translations` extracts the wrapped strings into messages.pot and merges them
into each language's catalogue; these tests fail when a string was added or changed
and nobody translated it, or when a translation would break at run time.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pen.i18n import LANGUAGES

TRANSLATIONS = Path(__file__).resolve().parents[2] / "pen" / "translations"
TRANSLATED = sorted(code for code in LANGUAGES if code != "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
MARKUP = re.compile(r"</?[a-z][^>]*>|\{\{|\}\}|\*\*")


def _catalogue(code: str):
    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=code)


def _template_ids() -> set:
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return {message.id if isinstance(message.id, str) else message.id[0]
                for message in read_po(handle) if message.id}


def _entries(catalogue):
    """(msgid, [msgstr…]) for every real entry of a catalogue (plural entries too)."""
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        yield message, ids, strings


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_of_the_interface_is_translated(code):
    catalogue = _catalogue(code)
    missing = [ids[0] for message, ids, strings in _entries(catalogue)
               if not all(s.strip() for s in strings) or message.fuzzy]
    assert missing == [], f"{len(missing)} untranslated or fuzzy in {code}: {missing[:10]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_follows_the_template(code):
    """Run `make translations` after changing strings: no entry missing, none obsolete."""
    have = {ids[0] for _message, ids, _strings in _entries(_catalogue(code))}
    wanted = _template_ids()
    assert sorted(wanted - have) == [] and sorted(have - wanted) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_placeholders_and_markup(code):
    """A translation that drops %(name)s or adds one would raise or lose the value."""
    broken = []
    for message, ids, strings in _entries(_catalogue(code)):
        for string in strings:
            if string and not _same_slots(ids, string, message.pluralizable):
                broken.append((ids[0], string))
    assert broken == []


def _same_slots(ids: list[str], string: str, plural: bool) -> bool:
    """Same placeholders and markup as the English; a plural form may leave the
    number out ("one reply", Arabic's dual) but may not invent a placeholder."""
    named = set(PLACEHOLDER.findall(string))
    if plural:
        return named <= {name for msgid in ids for name in PLACEHOLDER.findall(msgid)}
    return (sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(ids[0]))
            and sorted(MARKUP.findall(string)) == sorted(MARKUP.findall(ids[0])))


@pytest.mark.parametrize("code", TRANSLATED)
def test_plural_entries_have_every_form_of_the_language(code):
    catalogue = _catalogue(code)
    short = [ids[0] for message, ids, strings in _entries(catalogue)
             if message.pluralizable and len(strings) != catalogue.num_plurals]
    assert short == []
