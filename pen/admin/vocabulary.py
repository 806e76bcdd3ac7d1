"""Administrators' labels of the vocabulary (``pen.vocabulary``): who may change them."""

from collections.abc import Mapping

from flask_babel import gettext as _

from .. import vocabulary
from ..auth import permissions
from ..errors import Forbidden


def save_labels(actor, kind: vocabulary.Kind, values: Mapping[tuple[str, str], str]) -> int:
    """Set a kind's labels (administrators only); see ``vocabulary.save``."""
    if not permissions.is_admin(actor):
        raise Forbidden(_("Only administrators edit the vocabulary."))
    return vocabulary.save(actor, kind, values)


def typed(kind: vocabulary.Kind, form: Mapping) -> dict[tuple[str, str], str]:
    """The grid's cells as posted, ``{(key, locale): text}`` (absent cells left out)."""
    cells = {}
    for key, _english in kind.terms():
        for locale in vocabulary.LOCALES:
            name = field_name(key, locale)
            if name in form:
                cells[(key, locale)] = form[name]
    return cells


def field_name(key: str, locale: str) -> str:
    """The name of a cell's input."""
    return f"label-{key}-{locale}"
