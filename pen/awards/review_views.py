"""The committee's pages: the review panel, conflicts, the discussion, the ranking."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from . import permissions, reviewing
from .forms import ConflictForm, DiscussionForm, review_form
from .views import bp, cycle_or_404, deadlines, nomination_or_404, nomination_page


@bp.post("/n/<int:nomination_id>/review")
def review(nomination_id: int):
    """Submit or revise one's review; a score outside the scale is shown beside its field."""
    found = nomination_or_404(nomination_id)
    form = review_form(found.cycle)
    if not form.validate_on_submit():
        return nomination_page(found, 400, form=form)
    scores = {c.id: request.form.get(f"c{c.id}", "") for c in found.cycle.criteria}
    try:
        reviewing.save_review(current_user, found, scores, form.comment.data or "")
    except reviewing.ScoresInvalid as exc:
        for name, message in exc.errors.items():
            form[name].errors = [message]
        return nomination_page(found, 400, form=form)
    flash(_("Your review is saved. You can revise it until the review closes."), "success")
    return redirect(url_for(".nomination", nomination_id=found.id, _anchor="reviews"))


@bp.post("/n/<int:nomination_id>/conflict")
def declare_conflict(nomination_id: int):
    """A committee member declares a conflict of interest."""
    found = nomination_or_404(nomination_id)
    form = ConflictForm()
    if form.validate_on_submit():
        reviewing.declare_conflict(current_user, found, form.reason.data or "")
        flash(_("Conflict declared: you will not review this nomination."), "info")
    return redirect(url_for(".nomination", nomination_id=found.id))


@bp.post("/n/<int:nomination_id>/discussion")
def discuss(nomination_id: int):
    """A message in the committee's thread on a nomination."""
    found = nomination_or_404(nomination_id)
    if not permissions.can_view_discussion(current_user, found):
        abort(403)
    form = DiscussionForm()
    if form.validate_on_submit():
        try:
            reviewing.post_discussion(current_user, found, form.body.data or "")
        except ValidationError as exc:
            form.body.errors = [exc.message]
            return nomination_page(found, 400, discussion_form=form)
    return redirect(url_for(".nomination", nomination_id=found.id, _anchor="discussion"))


@bp.get("/<int:cycle_id>/ranking")
def ranking(cycle_id: int):
    """Per category: weighted mean, spread, number of reviews (committee and admins)."""
    found = cycle_or_404(cycle_id)
    if not permissions.can_view_ranking(current_user, found):
        abort(403)
    table = reviewing.ranking(found, current_user._get_current_object())
    mine = reviewing.reviewed_ids(current_user, found)
    return render_template("awards/ranking.html", cycle=found, table=table, mine=mine,
                           deadline=deadlines(found))
