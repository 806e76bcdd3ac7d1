"""Translations that read as written: whole sentences, one term per concept, direction.

A sentence assembled from translated pieces reads wrong in other languages (French
gave "même pays que le auteur de la candidature"); a restriction lost in a translation
changes the rule a member reads; "cohort" and "group" must stay two words in Arabic and
"nomination" one in Russian; Arabic mail says which way it reads.
"""

import re

from flask_babel import force_locale

from pen import bidi, mail
from pen.auth.models import UserStatus
from pen.auth.system import SYSTEM
from pen.awards import conflicts
from pen.onboarding import sending
from pen.types import utcnow
from tests.i18n.test_catalogues import _catalogue, _entries

RLM = "\u200f"
HELLO = "\u0645\u0631\u062d\u0628\u0627"  # "hello" in Arabic


def _strings(code: str) -> dict[str, str]:
    """msgid -> msgstr of a catalogue; a plural entry gives each of its forms."""
    return {f"{ids[0]} [{index}]" if index else ids[0]: text
            for _, ids, strings in _entries(_catalogue(code))
            for index, text in enumerate(strings)}


def test_conflict_flags_are_whole_phrases(app):
    with app.test_request_context(), force_locale("fr"):
        words = [conflicts.describe(flag) for flag in conflicts.FLAG_WORDS]
    assert "même pays que l'auteur de la candidature" in words
    assert not [w for w in words if re.search(r"\b(le|la) [aeiouéè]", w)], words


def test_no_fragment_msgids_are_left_to_assemble_sentences():
    ids = _strings("fr")
    for fragment in ("Did you mean", "in", "nominee", "nominator",
                     "same country as the %(who)s"):
        assert fragment not in ids, fragment
    assert ids["Did you mean %(suggestion)s?"] == "Vouliez-vous dire %(suggestion)s ?"


def test_a_link_inside_a_translated_sentence_stays_a_link(app):
    template = app.jinja_env.from_string(
        '{% set link %}<a href="/members/?q=Hidden">Hidden</a>{% endset %}'
        '{{ _("Did you mean %(suggestion)s?", suggestion=link) }}')
    with app.test_request_context(), force_locale("fr"):
        assert template.render() == (
            'Vouliez-vous dire <a href="/members/?q=Hidden">Hidden</a> ?')


def test_the_chinese_discard_rule_keeps_its_restriction():
    text = _strings("zh")["Only drafts can be discarded, by their nominator."]
    assert "只能删除草稿" in text and "提名人" in text  # only drafts, only by the nominator


def test_cohort_and_group_are_two_words_in_arabic():
    for msgid, text in _strings("ar").items():
        lowered = msgid.lower()
        if "cohort" in lowered or "test group" in lowered:
            assert "دفع" in text and "فريق" not in text, msgid
        elif re.search(r"\bgroups?\b", lowered):
            assert "دفع" not in text, msgid


def test_nomination_is_one_word_in_russian():
    for msgid, text in _strings("ru").items():
        if re.search(r"(?<!self-)\bnominations?\b", msgid, re.IGNORECASE):
            assert re.search(r"заяв(к|ок)", text.lower()), (msgid, text)
            assert not re.search(r"выдвижени|кандидатур[аыу] на", text.lower()), (msgid, text)


def test_arabic_mail_carries_its_direction(app, make_user):
    user = make_user(email="fatima@example.org", name="Fatima Al-Sayed",
                     status=UserStatus.INVITED)
    with app.test_request_context():
        message = sending.issue(None, user, SYSTEM, utcnow(), locale="ar").mail
        with force_locale("ar"):
            latin = mail.queue("a@example.org", "PEN: تذكير", "PEN\n" + HELLO + "\n")
        with force_locale("en"):
            english = mail.queue("b@example.org", "PEN: reminder", "PEN\nhello\n")
    assert 'dir="rtl"' in message.body_html
    link_lines = [line for line in message.body_text.splitlines()
                  if line.lstrip(RLM).startswith("http")]
    assert link_lines and all(line.startswith(RLM) for line in link_lines)
    assert latin.subject.startswith(RLM) and latin.body_text == f"{RLM}PEN\n{HELLO}\n"
    assert RLM not in english.subject + english.body_text


def test_direction_marks_only_lines_that_start_in_latin():
    assert bidi.mark_lines(f"{HELLO}\nhttps://pen.example\n\n") == (
        f"{HELLO}\n{RLM}https://pen.example\n\n")
    assert bidi.mark(bidi.mark("PEN")) == f"{RLM}PEN"
