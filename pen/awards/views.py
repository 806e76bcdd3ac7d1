"""Members' pages: cycles, nominating, one's nominations, documents, winners."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import confirm, files, i18n
from ..auth.models import User
from ..auth.permissions import is_member
from ..extensions import db
from ..members import countries
from ..members.service import member_zone
from . import clock, cycles, decisions, nominating, permissions
from .forms import ActionForm, nomination_form
from .models import AwardCycle, Nomination, NominationDocument, NomineeKind
from .review_panel import review_context
from .uploads import Upload, max_bytes

bp = Blueprint("awards", __name__, url_prefix="/awards")


@bp.context_processor
def award_helpers() -> dict:
    """Helpers the awards templates share: country names."""
    return {"country_name": countries.name}


def cycle_or_404(cycle_id: int) -> AwardCycle:
    """The cycle, or 404 if there is none or it is not open to the member yet."""
    cycle = db.session.get(AwardCycle, cycle_id)
    if cycle is None or not permissions.can_view_cycle(current_user, cycle):
        abort(404)
    return cycle


def nomination_or_404(nomination_id: int) -> Nomination:
    """The nomination, or 404 if there is none or the member may not see it."""
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or not permissions.can_view_nomination(current_user, nomination):
        abort(404)
    return nomination


def deadlines(cycle: AwardCycle) -> dict:
    """The published deadline in the cycle's zone, in UTC and on the member's own clock
    (``member`` is empty when their profile names no zone, or the cycle's zone)."""
    zone = member_zone(current_user)
    mine = zone.key if zone is not None and zone.key != cycle.time_zone else None
    return {"cycle_zone": i18n.format_moment(cycle.closes_at, cycle.time_zone),
            "utc": i18n.format_moment(cycle.closes_at, "UTC"),
            "member": i18n.format_moment(cycle.closes_at, mine) if mine else "",
            "member_has_zone": zone is not None,
            "opens": i18n.format_moment(cycle.opens_at, cycle.time_zone)}


@bp.get("/")
def index():
    """The award cycles the member may see."""
    return render_template("awards/index.html", cycles=cycles.visible_cycles(current_user),
                           phase=clock.phase, deadlines=deadlines)


@bp.get("/<int:cycle_id>")
def cycle(cycle_id: int):
    """A cycle: its call, categories, deadline, and the member's own nominations."""
    found = cycle_or_404(cycle_id)
    return render_template("awards/cycle.html", cycle=found, phase=clock.phase(found),
                           deadline=deadlines(found), mine=nominating.mine(current_user, found),
                           decision_of=decisions.decision_of)


def _form_data(nomination: Nomination) -> dict:
    """A nomination's current values for its edit form."""
    member = nomination.nominee_user.email if nomination.nominee_user_id and \
        nomination.nominee_kind == NomineeKind.MEMBER else ""
    data = {"category": nomination.category_id, "nominee_kind": nomination.nominee_kind,
            "nominee_member": member, "nominee_name": nomination.nominee_name,
            "nominee_organisation": nomination.nominee_organisation,
            "nominee_country": nomination.nominee_country or "",
            "nominee_email": nomination.nominee_email, "statement": nomination.statement}
    data.update({f"q{a.question_id}": a.value for a in nomination.answers})
    return data


def _input_from(form, cycle: AwardCycle) -> nominating.NominationInput:
    """What the member typed and attached, as the service takes it."""
    answers, uploads = {}, {}
    for question in cycle.questions:
        name = f"q{question.id}"
        if question.kind == "file":
            sent = request.files.get(name)
            if sent and sent.filename:
                uploads[question.id] = Upload(sent.filename, sent.read())
        else:
            answers[question.id] = request.form.get(name, "")
    return nominating.NominationInput(
        category_id=form.category.data, nominee_kind=form.nominee_kind.data or "",
        nominee_member=form.nominee_member.data or "", nominee_name=form.nominee_name.data or "",
        nominee_organisation=form.nominee_organisation.data or "",
        nominee_country=form.nominee_country.data or "",
        nominee_email=form.nominee_email.data or "", statement=form.statement.data or "",
        answers=answers, uploads=uploads)


def _save(form, cycle: AwardCycle, nomination: Nomination | None):
    """Run the service on a posted nomination form; the page again with errors if needed."""
    submit = bool(form.submit.data)
    try:
        saved = nominating.save(current_user, cycle, _input_from(form, cycle), nomination,
                                submit=submit)
    except nominating.NominationInvalid as exc:
        for name, message in exc.errors.items():
            form[name].errors = [message]
        return None
    if saved.submitted_at and (submit or nomination is not None):
        flash(_("Nomination submitted. A copy is on its way to your inbox."), "success")
    else:
        flash(_("Draft saved. It is not submitted until you press “Submit nomination”."),
              "info")
    return redirect(url_for(".nomination", nomination_id=saved.id))


def _form_page(form, cycle, nomination=None, status=200):
    return render_template("awards/nominate.html", form=form, cycle=cycle,
                           nomination=nomination, deadline=deadlines(cycle),
                           open=clock.is_open(cycle), max_mb=current_max_mb()), status


def current_max_mb() -> str:
    """The upload limit, for the form's hint."""
    return f"{max_bytes() / 2**20:g}"


def _member_prefill() -> dict | None:
    """``?member=<user id>`` (a link from the directory) fills in the member nominated."""
    member_id = request.args.get("member", type=int)
    user = db.session.get(User, member_id) if member_id else None
    if user is None or not is_member(user):
        return None
    return {"nominee_kind": NomineeKind.MEMBER.value, "nominee_member": user.email}


@bp.route("/<int:cycle_id>/nominate", methods=["GET", "POST"])
def nominate(cycle_id: int):
    """A new nomination; after the deadline the page says the call has closed."""
    found = cycle_or_404(cycle_id)
    form = nomination_form(found, _member_prefill())
    if request.method == "POST":
        if not permissions.can_nominate(current_user, found):
            raise nominating.deadline_refusal(found)
        if form.validate_on_submit():
            done = _save(form, found, None)
            if done is not None:
                return done
        return _form_page(form, found, status=400)
    return _form_page(form, found)


@bp.get("/n/<int:nomination_id>")
def nomination(nomination_id: int):
    """A nomination: its nominator's view, or the committee's with the review panel."""
    return nomination_page(nomination_or_404(nomination_id))


def nomination_page(nomination: Nomination, status: int = 200, **forms):
    """The nomination page (with a form's errors, ``forms``), the committee's panel for
    those who may see it."""
    return render_template("awards/nomination.html", nomination=nomination,
                           cycle=nomination.cycle, deadline=deadlines(nomination.cycle),
                           action=ActionForm(), decision=decisions.decision_of(nomination),
                           **review_context(nomination, **forms)), status


@bp.route("/n/<int:nomination_id>/edit", methods=["GET", "POST"])
def edit(nomination_id: int):
    """The nominator edits until the deadline; afterwards 403 with the deadline."""
    found = nomination_or_404(nomination_id)
    if not permissions.can_edit_nomination(current_user, found):
        nominating.check_may_write(current_user, found.cycle, found)
    form = nomination_form(found.cycle, None if request.method == "POST" else _form_data(found))
    if request.method == "POST":
        if form.validate_on_submit():
            done = _save(form, found.cycle, found)
            if done is not None:
                return done
        return _form_page(form, found.cycle, found, status=400)
    return _form_page(form, found.cycle, found)


@bp.route("/n/<int:nomination_id>/withdraw", methods=["GET", "POST"])
def withdraw(nomination_id: int):
    """The nominator withdraws a submitted nomination, once confirmed."""
    found = nomination_or_404(nomination_id)
    nominating.check_withdraw(current_user, found)
    page = confirm.ask(
        _("Withdraw your nomination of %(nominee)s?", nominee=found.nominee_name),
        _("The committee no longer considers it, and it cannot be submitted again."),
        url_for(".nomination", nomination_id=found.id), _("Withdraw the nomination"))
    if page is not None:
        return page
    if ActionForm().validate_on_submit():
        nominating.withdraw(current_user, found)
        flash(_("Your nomination was withdrawn."), "info")
    return redirect(url_for(".nomination", nomination_id=found.id))


@bp.route("/n/<int:nomination_id>/discard", methods=["GET", "POST"])
def discard(nomination_id: int):
    """The nominator deletes a draft, once confirmed."""
    found = nomination_or_404(nomination_id)
    nominating.check_discard(current_user, found)
    page = confirm.ask(
        _("Delete your draft nomination of %(nominee)s?", nominee=found.nominee_name),
        _("The draft and its documents are deleted for good."),
        url_for(".nomination", nomination_id=found.id), _("Delete the draft"))
    if page is not None:
        return page
    cycle_id = found.cycle_id
    if ActionForm().validate_on_submit():
        nominating.discard(current_user, found)
        flash(_("The draft was deleted."), "info")
    return redirect(url_for(".cycle", cycle_id=cycle_id))


@bp.get("/n/<int:nomination_id>/documents/<int:document_id>")
def document(nomination_id: int, document_id: int):
    """A supporting document, for those who may see the nomination."""
    found = nomination_or_404(nomination_id)
    doc = db.session.get(NominationDocument, document_id)
    if doc is None or doc.nomination_id != found.id:
        abort(404)
    kind = files.FILE_TYPES[doc.kind]
    response = send_file(files.path_of("awards", doc.stored_name), mimetype=kind.content_type,
                         as_attachment=True, download_name=doc.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/<int:cycle_id>/winners")
def winners(cycle_id: int):
    """The winners, for every member once announced."""
    found = cycle_or_404(cycle_id)
    if not permissions.can_view_winners(current_user, found):
        abort(404)
    return render_template("awards/winners.html", cycle=found,
                           winners=decisions.winners(found))

