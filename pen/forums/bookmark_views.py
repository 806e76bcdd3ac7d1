"""Bookmarks: keep a topic or a post for later, with a reminder day, and the "My
bookmarks" page."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import ValidationError
from ..i18n import format_day
from ..types import utcnow
from . import bookmarks, reminders
from .views import bp, post_or_404, topic_or_404


@bp.post("/t/<int:topic_id>/bookmark")
def bookmark_topic(topic_id: int):
    """Bookmark a topic one can see, or remove the bookmark."""
    found = topic_or_404(topic_id)
    kept = bookmarks.toggle_topic(current_user, found)
    flash(_("Topic bookmarked.") if kept else _("Bookmark removed."), "success")
    return redirect(url_for(".topic", topic_id=found.id))


@bp.post("/p/<int:post_id>/bookmark")
def bookmark_post(post_id: int):
    """Bookmark a post one can see, or remove the bookmark."""
    post = post_or_404(post_id)
    kept = bookmarks.toggle_post(current_user, post)
    flash(_("Post bookmarked.") if kept else _("Bookmark removed."), "success")
    return redirect(url_for(".post_link", post_id=post.id))


@bp.get("/bookmarks")
def my_bookmarks():
    """The member's bookmarked topics, or posts (``?of=posts``), that they still see."""
    of = "posts" if request.args.get("of") == "posts" else "topics"
    page = request.args.get("page", 1, type=int)
    found = (bookmarks.posts if of == "posts" else bookmarks.topics)(current_user, page)
    return render_template("forums/bookmarks.html", of=of, page=found, today=utcnow().date(),
                           reminders=bookmarks.reminder_days(current_user, of,
                                                             [i.id for i in found.items]))


@bp.post("/bookmarks/remind")
def remind():
    """Set or clear a bookmark's reminder day."""
    of = "posts" if request.form.get("of") == "posts" else "topics"
    raw = request.form.get("remind_on", "").strip()
    try:
        day = date.fromisoformat(raw) if raw else None
        reminders.set_reminder(current_user, of, request.form.get("id", 0, type=int), day)
    except ValueError:
        flash(_("Give the day as a date (year-month-day)."), "danger")
    except ValidationError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("We will remind you on %(day)s.", day=format_day(day)) if day
              else _("Reminder removed."), "success")
    return redirect(url_for(".my_bookmarks", of=of))
