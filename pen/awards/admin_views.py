"""Administrators' pages: cycles and their setup, conflicts, decisions, announcing, exports."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from ..members.service import member_zone
from . import cycles, decisions, exports, permissions, reviewing
from .forms import ActionForm, CategoryForm, CriterionForm, CycleForm, DecisionForm, QuestionForm
from .models import AwardCategory, FormQuestion, RubricCriterion
from .views import bp, cycle_or_404, deadlines, nomination_or_404


def _require_admin() -> None:
    if not permissions.can_manage_awards(current_user):
        abort(403)


def _cycle_input(form: CycleForm) -> cycles.CycleInput:
    return cycles.CycleInput(
        name=form.name.data or "", description=form.description.data or "",
        time_zone=form.time_zone.data or "UTC", opens_local=form.opens.data,
        closes_local=form.closes.data, grace_minutes=form.grace_minutes.data)


def _show_error(form, exc: ValidationError) -> None:
    if exc.field and exc.field in form:
        form[exc.field].errors = [exc.message]
    else:
        form.form_errors.append(exc.message)


@bp.route("/new", methods=["GET", "POST"])
def new_cycle():
    """Open a new award cycle."""
    _require_admin()
    form = CycleForm()
    if request.method == "GET":  # a new cycle starts on the administrator's clock
        zone = member_zone(current_user)
        form.time_zone.data = zone.key if zone else "UTC"
    if form.validate_on_submit():
        try:
            created = cycles.create_cycle(current_user, _cycle_input(form))
        except ValidationError as exc:
            _show_error(form, exc)
        else:
            flash(_("Cycle created. Add its categories, questions and rubric."), "success")
            return redirect(url_for(".setup", cycle_id=created.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("awards/cycle_form.html", form=form, cycle=None), status


def _setup_page(cycle, status=200, **forms):
    names = ("cycle_form", "category_form", "question_form", "criterion_form")
    defaults = {"cycle_form": CycleForm(formdata=None, obj=None, **_cycle_values(cycle)),
                "category_form": CategoryForm(formdata=None),
                "question_form": QuestionForm(formdata=None),
                "criterion_form": CriterionForm(formdata=None)}
    chosen = {name: forms.get(name) or defaults[name] for name in names}
    return render_template("awards/setup.html", cycle=cycle, action=ActionForm(),
                           deadline=deadlines(cycle), **chosen), status


def _cycle_values(cycle) -> dict:
    local = cycles.local_times(cycle)
    return {"name": cycle.name, "description": cycle.description, "time_zone": cycle.time_zone,
            "opens": local["opens"], "closes": local["closes"],
            "grace_minutes": cycle.grace_minutes}


@bp.route("/<int:cycle_id>/setup", methods=["GET", "POST"])
def setup(cycle_id: int):
    """A cycle's settings, categories, questions and rubric."""
    _require_admin()
    found = cycle_or_404(cycle_id)
    if request.method == "GET":
        return _setup_page(found)
    form = CycleForm()
    if form.validate_on_submit():
        try:
            cycles.update_cycle(current_user, found, _cycle_input(form))
        except ValidationError as exc:
            _show_error(form, exc)
        else:
            flash(_("Cycle saved."), "success")
            return redirect(url_for(".setup", cycle_id=found.id))
    return _setup_page(found, 400, cycle_form=form)


def _add(cycle_id: int, form_class, form_name: str, create):
    """Post one of the setup page's "add" forms to the service ``create``."""
    _require_admin()
    found = cycle_or_404(cycle_id)
    form = form_class()
    if form.validate_on_submit():
        try:
            create(found, form)
        except ValidationError as exc:
            _show_error(form, exc)
        else:
            return redirect(url_for(".setup", cycle_id=found.id))
    return _setup_page(found, 400, **{form_name: form})


@bp.post("/<int:cycle_id>/categories")
def add_category(cycle_id: int):
    """Add a category."""
    return _add(cycle_id, CategoryForm, "category_form", lambda c, f: cycles.add_category(
        current_user, c, f.name.data or "", f.description.data or "", f.eligibility.data or "",
        bool(f.allow_self.data)))


@bp.post("/<int:cycle_id>/questions")
def add_question(cycle_id: int):
    """Add a question to the nomination form."""
    return _add(cycle_id, QuestionForm, "question_form", lambda c, f: cycles.add_question(
        current_user, c, f.label.data or "", f.kind.data, f.choices.data or "",
        bool(f.required.data)))


@bp.post("/<int:cycle_id>/criteria")
def add_criterion(cycle_id: int):
    """Add a rubric criterion."""
    return _add(cycle_id, CriterionForm, "criterion_form", lambda c, f: cycles.add_criterion(
        current_user, c, f.name.data or "", f.description.data or "", f.weight.data or 0))


REMOVABLE = {"categories": (AwardCategory, cycles.remove_category),
             "questions": (FormQuestion, cycles.remove_question),
             "criteria": (RubricCriterion, cycles.remove_criterion)}


def _removal_question(kind: str, item) -> str:
    """What the confirmation asks before removing ``item``."""
    if kind == "categories":
        return _("Remove the category %(name)s?", name=item.name)
    if kind == "questions":
        return _("Remove the question %(name)s?", name=item.label)
    return _("Remove the criterion %(name)s?", name=item.name)


BOTH = ["GET", "POST"]


@bp.route("/<int:cycle_id>/categories/<int:item_id>/delete", methods=BOTH,
          defaults={"kind": "categories"})
@bp.route("/<int:cycle_id>/questions/<int:item_id>/delete", methods=BOTH,
          defaults={"kind": "questions"})
@bp.route("/<int:cycle_id>/criteria/<int:item_id>/delete", methods=BOTH,
          defaults={"kind": "criteria"})
def remove_item(cycle_id: int, kind: str, item_id: int):
    """Remove a category, question or criterion nothing depends on yet, once confirmed."""
    _require_admin()
    found = cycle_or_404(cycle_id)
    model, remove = REMOVABLE[kind]
    item = db.session.get(model, item_id)
    if item is None or item.cycle_id != found.id:
        abort(404)
    page = confirm.ask(_removal_question(kind, item),
                       _("It leaves this cycle's setup; you can add it again later."),
                       url_for(".setup", cycle_id=found.id), _("Remove"))
    if page is not None:
        return page
    if ActionForm().validate_on_submit():
        try:
            remove(current_user, item)
        except ValidationError as exc:
            flash(exc.message, "error")
    return redirect(url_for(".setup", cycle_id=found.id))


@bp.post("/<int:cycle_id>/open-review", defaults={"step": "open"})
@bp.post("/<int:cycle_id>/close-review", defaults={"step": "close"})
def review_step(cycle_id: int, step: str):
    """Open the review before the deadline, or close it."""
    _require_admin()
    found = cycle_or_404(cycle_id)
    if ActionForm().validate_on_submit():
        try:
            (cycles.open_review if step == "open" else cycles.close_review)(current_user, found)
        except ValidationError as exc:
            flash(exc.message, "error")
    return redirect(request.referrer or url_for(".decisions", cycle_id=found.id))


@bp.post("/n/<int:nomination_id>/conflicts/<int:reviewer_id>/clear")
def clear_conflict(nomination_id: int, reviewer_id: int):
    """Clear a flagged conflict of interest."""
    _require_admin()
    found = nomination_or_404(nomination_id)
    reviewer = db.get_or_404(User, reviewer_id)
    if ActionForm().validate_on_submit():
        try:
            reviewing.clear_conflict(current_user, found, reviewer)
        except ValidationError as exc:
            flash(exc.message, "error")
    return redirect(url_for(".nomination", nomination_id=found.id, _anchor="conflicts"))


@bp.post("/n/<int:nomination_id>/decision")
def decide(nomination_id: int):
    """Record a decision on a nomination."""
    _require_admin()
    found = nomination_or_404(nomination_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            decisions.decide(current_user, found, form.decision.data or None)
        except ValidationError as exc:
            flash(exc.message, "error")
    return redirect(request.referrer or url_for(".decisions", cycle_id=found.cycle_id))


@bp.get("/<int:cycle_id>/decisions", endpoint="decisions")
def decisions_page(cycle_id: int):
    """The ranking with a decision per nomination, notifying, announcing, exports."""
    _require_admin()
    found = cycle_or_404(cycle_id)
    table = reviewing.ranking(found)
    choices = DecisionForm(formdata=None).decision.choices
    return render_template("awards/decisions.html", cycle=found, table=table, choices=choices,
                           action=ActionForm(), exports=exports.KINDS,
                           deadline=deadlines(found))



@bp.post("/<int:cycle_id>/notify")
def notify(cycle_id: int):
    """Email each nominator the decision on their nomination."""
    _require_admin()
    found = cycle_or_404(cycle_id)
    if ActionForm().validate_on_submit():
        told = decisions.notify_nominators(current_user, found)
        flash(_("%(count)d nominators will be emailed.", count=told), "success")
    return redirect(url_for(".decisions", cycle_id=found.id))


@bp.post("/<int:cycle_id>/announce")
def announce(cycle_id: int):
    """Publish the winners to every member."""
    _require_admin()
    found = cycle_or_404(cycle_id)
    if ActionForm().validate_on_submit():
        try:
            decisions.announce(current_user, found)
        except ValidationError as exc:
            flash(exc.message, "error")
        else:
            flash(_("The winners are published."), "success")
    return redirect(url_for(".decisions", cycle_id=found.id))


@bp.get("/<int:cycle_id>/export/<kind>.csv")
def export(cycle_id: int, kind: str):
    """Nominations, reviews or decisions as CSV."""
    _require_admin()
    found = cycle_or_404(cycle_id)
    if kind not in exports.EXPORTS:
        abort(404)
    body = exports.EXPORTS[kind](found)
    filename = f"pen-awards-{found.id}-{kind}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
