"""The search synonym list: groups of terms a search treats as one (``pen.search.synonyms``)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from ..extensions import db
from ..search import synonyms
from ..search.models import SearchSynonym
from .forms import SynonymForm
from .views import bp


def _page(new_form=None, failed=None, status: int = 200):
    """The list with an edit form per group (``failed``: the refused one, as typed)."""
    forms = {}
    for group in synonyms.groups():
        if failed is not None and failed[0] == group.id:
            forms[group.id] = failed[1]
        else:
            forms[group.id] = SynonymForm(formdata=None, terms="\n".join(group.term_list),
                                          prefix=f"g{group.id}")
    return render_template("admin/synonyms.html", groups=synonyms.groups(), forms=forms,
                           new_form=new_form or SynonymForm(prefix="new")), status


@bp.get("/synonyms")
def synonyms_page():
    """Every group, editable, and a form for a new one."""
    return _page()


@bp.post("/synonyms")
def add_synonyms():
    """Add a group; refused input is shown again, as typed, with the reason."""
    form = SynonymForm(prefix="new")
    try:
        if not form.validate():
            raise ValidationError(" ".join(form.terms.errors), "terms")
        synonyms.save(current_user, form.terms.data)
    except ValidationError as error:
        form.terms.errors = [error.message]
        return _page(new_form=form, status=400)
    flash(_("The synonyms were added; searches use them within a minute."), "success")
    return redirect(url_for(".synonyms_page"))


@bp.post("/synonyms/<int:synonym_id>")
def edit_synonyms(synonym_id: int):
    """Replace a group's terms."""
    group = db.get_or_404(SearchSynonym, synonym_id)
    form = SynonymForm(prefix=f"g{group.id}")
    try:
        if not form.validate():
            raise ValidationError(" ".join(form.terms.errors), "terms")
        synonyms.save(current_user, form.terms.data, group)
    except ValidationError as error:
        form.terms.errors = [error.message]
        return _page(failed=(group.id, form), status=400)
    flash(_("The synonyms were saved; searches use them within a minute."), "success")
    return redirect(url_for(".synonyms_page", _anchor=f"synonyms-{group.id}"))


@bp.post("/synonyms/<int:synonym_id>/delete")
def delete_synonyms(synonym_id: int):
    """Remove a group."""
    synonyms.delete(current_user, db.get_or_404(SearchSynonym, synonym_id))
    flash(_("The group of synonyms was removed."), "success")
    return redirect(url_for(".synonyms_page"))
