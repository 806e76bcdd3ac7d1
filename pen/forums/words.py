"""The words a forum page repeats for every post or topic, translated once per page.

``_()`` in a template looks up the request's language and catalogue on every call
(tens of microseconds): a topic page said "Quote", "Bookmark", "Report"… 60 times.
Here the catalogue is looked up once and every word taken from it; each comes out as
``Markup``, as ``_()`` gives it in a template (a translation is not escaped), and the
sentences with values are patterns whose values *are* escaped when put in
(``pattern % {...}``), as ``_("…", name=…)`` does.
"""

from types import SimpleNamespace

from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup

from ..i18n import catalogue

_LABELS_KEY = "forums.labels"  # app.extensions: {(language, kinds' id): labels}


class Counted:
    """A sentence with a count (``ngettext``), worked out once per distinct count."""

    __slots__ = ("say", "seen")

    def __init__(self, say):
        """``say(n)``: the sentence for ``n``, translated."""
        self.say, self.seen = say, {}

    def __call__(self, n: int) -> Markup:
        """The sentence for ``n`` (a translation and a number: nothing to escape)."""
        text = self.seen.get(n)
        if text is None:
            text = self.seen[n] = Markup(self.say(n) % {"num": n})  # noqa: S704 - see above
        return text


def _marked(**words: str) -> SimpleNamespace:
    """The translated words, each as ``Markup``."""
    return SimpleNamespace(**{name: Markup(text) for name, text in words.items()})  # noqa: S704


def post_words() -> SimpleNamespace:
    """What a topic page says of each post (``forums/topic.html``)."""
    _ = catalogue().gettext  # one catalogue for the page
    return _marked(
        edited=_("edited"), deleted=_("Deleted"), hidden=_("Hidden by a moderator"),
        accepted=_("Accepted answer"), quote=_("Quote"), someone=_("Someone"),
        former=_("a former member"), edit=_("Edit"), restore=_("Restore"),
        restore_topic=_("Restore topic"), message=_("Message the author"),
        bookmarked=_("Bookmarked"), bookmark=_("Bookmark"), report=_("Report"),
        unmark=_("Unmark as answer"), mark=_("Mark as accepted answer"),
        show=_("Show again"), reason_for=_("Reason for hiding"), reason=_("Reason"),
        hide=_("Hide"), split=_("Split into a new topic"), reactions=_("Reactions"),
        who_reacted=_("Who reacted"), quote_head=_("> **%(name)s** [wrote](%(link)s):"))


def table_words() -> SimpleNamespace:
    """What a topic table says of each topic (``forums/_topic_table.html``)."""
    found = catalogue()
    _, ngettext = found.gettext, found.ngettext
    words = _marked(new=_("new"), by=_("by %(name)s"))
    words.unread = Counted(lambda n: ngettext("%(num)d unread", "%(num)d unread", n))
    words.reactions = Counted(lambda n: ngettext("%(num)d reaction", "%(num)d reactions", n))
    return words


def labels(kinds: dict[str, tuple[str, object]]) -> dict[str, tuple[str, Markup]]:
    """Lazily translated labels (reactions: kind -> sign, label), put in words once per
    language and kept on the app: a lazy string looks its catalogue up each time it is
    read, and every topic page shows them."""
    locale = str(get_locale())
    kept = current_app.extensions.setdefault(_LABELS_KEY, {})
    key = (locale, id(kinds))
    if key not in kept:
        kept[key] = {kind: (sign, Markup(str(label)))  # noqa: S704 - a translation
                     for kind, (sign, label) in kinds.items()}
    return kept[key]
