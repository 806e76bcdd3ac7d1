"""The member directory, profiles, profile editing, exports and the vocabulary."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import avatars, files, i18n
from ..auth.access import public, safe_next
from ..auth.models import User
from ..errors import ValidationError
from ..extensions import db
from ..vocabulary import label as vocab
from . import cards, designations, directory, exports, permissions, service, side_panel
from .forms import ExpertiseTermForm, ProfileForm, changes_from, form_values
from .models import ExpertiseArea

bp = Blueprint("members", __name__, url_prefix="/members")

#: Panels higher layers add to a profile: ``provider(viewer, profile)`` returns
#: ``(title, [(label, url or None), …])`` or None (thematic groups list the member's
#: groups; the forums recent topics, replies and reactions; the library documents).
_SECTIONS_KEY = "pen.members.profile_sections"


def register_profile_section(app, provider) -> None:
    """Let a higher layer add a titled list of links to every profile page of ``app``."""
    sections = app.extensions.setdefault(_SECTIONS_KEY, [])
    if provider not in sections:
        sections.append(provider)


def profile_sections(viewer, profile) -> list:
    """The extra panels ``viewer`` sees on ``profile`` (empty ones left out)."""
    providers = current_app.extensions.get(_SECTIONS_KEY, [])
    found = (provider(viewer, profile) for provider in providers)
    return [section for section in found if section and section[1]]


def get_visible_profile_or_404(user_id: int):
    """The member's profile, or 404 if there is no such member or it is not open to you."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    profile = service.profile_of(user)
    if not permissions.can_view_profile(current_user, profile):
        abort(404)
    return profile


@bp.get("/")
def index():
    """The directory: free text, facets with counts, sorting, pages, and a chart."""
    params = directory.Params.from_args(request.args, current_user)
    result = directory.search_members(current_user, params)
    list_filters = directory.list_filter_options(current_user)
    labels = directory.facet_labels(result, list_filters)
    profiles = directory.profiles_for(result.hits, cards=True)
    return render_template("members/directory.html", params=params, result=result,
                           cards=cards.cards(profiles, result.hits, current_user.id),
                           labels=labels, facet_links=directory.facet_links(
                               url_for(".index"), params, result, labels),
                           facet_titles=directory.facet_titles(),
                           list_filters=list_filters,
                           side_panel=side_panel.side_panel(current_user))


@bp.get("/export.csv")
def export():
    """The directory, or the filtered part of it, as CSV (administrators)."""
    if not permissions.can_export_members(current_user):
        abort(403)
    params = directory.Params.from_args(request.args, current_user)
    profiles = directory.all_matching_profiles(current_user, params)
    return Response(exports.directory_csv(profiles), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=pen-members.csv"})


@bp.get("/<int:user_id>")
def profile(user_id: int):
    """One member's profile, showing the contact fields the viewer may see."""
    found = get_visible_profile_or_404(user_id)
    return render_template("members/profile.html", profile=found,
                           designations=designations.in_force(found.user_id),
                           sections=profile_sections(current_user, found))


@bp.get("/<int:user_id>.vcf")
def vcard(user_id: int):
    """The member as a vCard for an address book."""
    found = get_visible_profile_or_404(user_id)
    return Response(exports.vcard(found, current_user), mimetype="text/vcard",
                    headers={"Content-Disposition": f"attachment; filename=member-{user_id}.vcf"})


@bp.get("/<int:user_id>/photo")
def photo(user_id: int):
    """The member's photo, to members who may see the profile."""
    found = get_visible_profile_or_404(user_id)
    if not found.photo:
        abort(404)
    return send_file(files.path_of(service.PHOTO_AREA, found.photo), mimetype="image/jpeg",
                     max_age=3600, conditional=True)


@bp.get("/<int:user_id>/avatar/<int:size>/<photo>")
def avatar(user_id: int, size: int, photo: str):
    """A thumbnail of the member's photo, to members who may see the profile. The URL
    names the photo, so a new photo gets a new URL and browsers may keep this one forever."""
    found = get_visible_profile_or_404(user_id)
    if size not in avatars.SIZES or not found.photo or photo != found.photo:
        abort(404)
    thumb = avatars.ensure_thumbnail(
        files.path_of(service.PHOTO_AREA, found.photo),
        files.path_of(service.AVATAR_AREA, avatars.thumbnail_name(found.photo, size)), size)
    response = send_file(thumb, mimetype="image/jpeg", conditional=True)
    # private: the picture is only for members allowed to see the profile
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@bp.route("/me/edit", methods=["GET", "POST"])
def edit_mine():
    """Edit one's own profile."""
    return edit(current_user.id)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    """Edit a profile (one's own, or anyone's for administrators)."""
    found = get_visible_profile_or_404(user_id)
    if not permissions.can_edit_profile(current_user, found):
        abort(403)
    form = ProfileForm(data=None if request.method == "POST" else form_values(found))
    form.expertise.choices = [(term.id, vocab("expertise", term.id, term.name))
                              for term in service.vocabulary()]
    if form.validate_on_submit() and _save(found, form):
        flash(_("Profile saved."), "success")
        return redirect(url_for(".profile", user_id=found.user_id))
    status = 400 if request.method == "POST" else 200
    return render_template("members/edit.html", profile=found, form=form), status


def _save(found, form: ProfileForm) -> bool:
    """Save the form through the service; put its complaints beside the fields."""
    try:
        service.update_profile(current_user, found, changes_from(form))
        upload = form.photo.data
        if upload and getattr(upload, "filename", ""):
            service.set_photo(current_user, found, upload.read())
        elif form.remove_photo.data and found.photo:
            service.remove_photo(current_user, found)
    except ValidationError as exc:
        db.session.rollback()
        getattr(form, exc.field or "display_name").errors.append(exc.message)
        return False
    return True


@bp.route("/expertise", methods=["GET", "POST"])
def vocabulary():
    """The expertise vocabulary: list, add (administrators)."""
    if not permissions.can_edit_vocabulary(current_user):
        abort(403)
    form = ExpertiseTermForm()
    if form.validate_on_submit():
        try:
            service.add_expertise(current_user, form.name.data)
        except ValidationError as exc:
            form.name.errors.append(exc.message)
        else:
            flash(_("“%(name)s” added.", name=form.name.data.strip()), "success")
            return redirect(url_for(".vocabulary"))
    return render_template("members/vocabulary.html", form=form, terms=service.vocabulary(),
                           usage=directory.expertise_usage())


@bp.post("/expertise/<int:term_id>")
def change_term(term_id: int):
    """Rename or delete a vocabulary term (administrators)."""
    if not permissions.can_edit_vocabulary(current_user):
        abort(403)
    term = db.get_or_404(ExpertiseArea, term_id)
    if request.form.get("action") == "delete":
        service.delete_expertise(current_user, term)
        flash(_("Term deleted."), "success")
        return redirect(url_for(".vocabulary"))
    try:
        service.rename_expertise(current_user, term, request.form.get("name", ""))
    except ValidationError as exc:
        flash(exc.message, "danger")
    return redirect(url_for(".vocabulary"))


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """Switch the interface language: kept in the session, and on the profile of a member."""
    code = request.form.get("locale", "")
    if code not in i18n.LANGUAGES:
        abort(400)
    session[i18n.SESSION_KEY] = code
    if current_user.is_authenticated:
        service.set_locale(current_user, code)
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
