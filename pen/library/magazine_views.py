"""The PEN magazine's pages: a member's choices, and an issue's mailing list (routes of
the library blueprint)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from . import magazine, permissions
from .forms import MagazineForm
from .views import bp, document_or_404
from .vocabulary import UN_LANGUAGES, language_name


def _form(reader, formdata=None) -> MagazineForm:
    """The choices form, filled from the member's row unless a form was posted."""
    form = MagazineForm(formdata=formdata, obj=None if formdata else reader)
    form.print_language.choices = [("", "—")] + [(c, language_name(c)) for c in UN_LANGUAGES]
    return form


@bp.route("/magazine", methods=["GET", "POST"])
def magazine_choices():
    """Be told of new issues in one's languages; printed copies at a postal address."""
    reader = magazine.reader_of(current_user)
    form = _form(reader, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            magazine.save(current_user, magazine.Choices(
                notify=form.notify.data, wants_print=form.wants_print.data,
                print_language=form.print_language.data or "",
                postal_address=form.postal_address.data or ""))
        except ValidationError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(_("Your choices about the magazine are saved."), "success")
            return redirect(url_for(".magazine_choices"))
    status = 400 if request.method == "POST" else 200
    return render_template("library/magazine.html", form=form), status


@bp.get("/<int:document_id>/mailing-list.csv")
def magazine_mailing_list(document_id: int):
    """Who gets this issue printed, in its language (administrators)."""
    document = document_or_404(document_id)
    if document.work.doc_type != magazine.MAGAZINE:
        abort(404)
    if not permissions.can_export_mailing_list(current_user):
        abort(403)
    body = magazine.mailing_list_csv(current_user, document)
    name = f"magazine-{document.id}-{document.language}-mailing-list.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
