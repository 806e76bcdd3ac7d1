"""The vocabulary's labels per language: ``/admin/vocabulary`` (``pen.vocabulary``)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from .. import vocabulary
from ..i18n import LANGUAGES
from .views import bp
from .vocabulary import field_name, save_labels, typed


@bp.get("/vocabulary")
def vocabulary_index():
    """The lists whose terms have labels per language."""
    kinds = vocabulary.kinds()
    return render_template("admin/vocabulary_index.html", kinds=kinds,
                           counts={name: len(vocabulary.stored(name)) for name in kinds})


def _kind_or_404(name: str) -> vocabulary.Kind:
    """The registered kind, or 404."""
    kind = vocabulary.kind_for(name)
    if kind is None:
        abort(404)
    return kind


def _grid(kind: vocabulary.Kind, values: dict, errors: dict, status: int = 200):
    """The grid of terms by languages, with ``values`` (stored, or as typed) and errors."""
    return render_template(
        "admin/vocabulary.html", kind=kind, terms=kind.terms(), values=values, errors=errors,
        placeholders=vocabulary.defaults(kind), locales=vocabulary.LOCALES,
        language_names=LANGUAGES, field_name=field_name), status


@bp.get("/vocabulary/<kind_name>")
def vocabulary_kind(kind_name: str):
    """One list: each term's label in each language."""
    kind = _kind_or_404(kind_name)
    return _grid(kind, vocabulary.stored(kind.name), {})


@bp.post("/vocabulary/<kind_name>")
def save_vocabulary(kind_name: str):
    """Save the grid; refused labels are shown again as typed, with the reason."""
    kind = _kind_or_404(kind_name)
    cells = typed(kind, request.form)
    try:
        changed = save_labels(current_user, kind, cells)
    except vocabulary.LabelErrors as error:
        return _grid(kind, {**vocabulary.stored(kind.name), **cells}, error.errors, 400)
    flash(ngettext("%(num)d label changed.", "%(num)d labels changed.", changed), "success")
    return redirect(url_for(".vocabulary_kind", kind_name=kind.name))
