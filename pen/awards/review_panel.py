"""The committee's panel on a nomination page: reviews, conflicts, discussion, decision.

Template context only, shared by the nomination page (``views.py``) and the
committee's pages that re-render it with a form's errors (``review_views.py``).
"""

from flask_login import current_user

from ..auth.permissions import is_committee
from . import conflicts, permissions, reviewing
from .forms import ConflictForm, DecisionForm, DiscussionForm, review_form


def review_context(nomination, form=None, discussion_form=None) -> dict:
    """What the nomination page shows the committee and administrators (nothing to others)."""
    user = current_user._get_current_object()
    if not (permissions.can_manage_awards(user) or
            (is_committee(user) and permissions.can_declare_conflict(user, nomination))):
        return {"committee_view": False}
    own = reviewing.own_review(user, nomination)
    data = None if own is None else {
        "comment": own.comment, **{f"c{s.criterion_id}": str(s.score) for s in own.scores}}
    can_discuss = permissions.can_view_discussion(user, nomination)
    return {
        "committee_view": True, "own_review": own,
        "conflict": conflicts.state(nomination, user.id),
        "review_form": form or review_form(nomination.cycle, data),
        "can_review": permissions.can_review(user, nomination),
        "reviews": reviewing.visible_reviews(user, nomination),
        "conflict_form": ConflictForm(formdata=None),
        "can_discuss": can_discuss,
        "posts": reviewing.discussion(nomination) if can_discuss else [],
        "discussion_form": discussion_form or DiscussionForm(formdata=None),
        "panel": _admin_panel(user, nomination),
    }


def _admin_panel(user, nomination) -> dict | None:
    """For administrators: every committee member's conflict state, and the decision."""
    if not permissions.can_manage_awards(user):
        return None
    members = reviewing.committee_members()
    states = conflicts.states([nomination], [m.id for m in members])
    return {"committee": [(m, states[(nomination.id, m.id)]) for m in members],
            "decision_form": DecisionForm(formdata=None, decision=nomination.decision or "")}
