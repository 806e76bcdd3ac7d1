"""Reactions: the toggle (a plain form; JSON for the page's script) and who reacted."""

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import ValidationError
from . import reactions
from .views import bp, post_or_404


def _wants_json() -> bool:
    """The page's script asks for JSON; a plain form post wants the page back."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


@bp.post("/p/<int:post_id>/react")
def react(post_id: int):
    """Give or take back a reaction (404 for a post one cannot see, 403 where one may
    not react, 400 for a kind not offered)."""
    post = post_or_404(post_id)
    kind = request.form.get("kind", "")
    try:
        given = reactions.toggle(current_user, post, kind)
    except ValidationError as exc:
        if _wants_json():
            return jsonify(error=exc.message), 400
        abort(400, description=exc.message)
    if _wants_json():
        tally = next(t for t in reactions.tallies(current_user, [post.id])[post.id]
                     if t.kind == kind)
        return jsonify(kind=kind, given=given, count=tally.count, names=tally.names)
    return redirect(url_for(".post_link", post_id=post.id))


@bp.get("/p/<int:post_id>/reactions")
def reactions_page(post_id: int):
    """Who reacted to a post, kind by kind."""
    post = post_or_404(post_id)
    return render_template("forums/reactions.html", post=post, labels=reactions.LABELS,
                           tallies=reactions.tallies(current_user, [post.id])[post.id])
