"""Confirmation before a destructive action: a page without JavaScript, a dialog with it.

A destructive form posts to its view as before. The view does its own lookups and
permission checks first (so a member without the right meets the same refusal as
before), then calls ``ask``: unless the request carries ``confirmed=1``, the answer is
a page saying what will happen, with a button that posts the same fields again plus
``confirmed=1``, and a way back. The view's URL also answers GET with that page.

With JavaScript, ``static/js/confirm.js`` asks in a dialog instead, for every form
the ``confirm_form`` macro (``macros/confirm.html``) marks, and adds ``confirmed=1``
itself; without it, nothing is lost: the server's page asks.
"""

from flask import render_template, request

FIELD = "confirmed"
#: form fields never carried over to the confirm page's own form
NOT_CARRIED = {FIELD, "csrf_token"}


def is_confirmed() -> bool:
    """Whether this request is the confirmed one (a POST carrying ``confirmed=1``)."""
    return request.method == "POST" and request.form.get(FIELD) == "1"


def ask(question: str, consequence: str, cancel_url: str, button: str,
        defaults: dict[str, str] | None = None):
    """None when confirmed (go ahead); otherwise the confirm page to return.

    ``defaults`` are fields the page carries when the request did not send them (a GET
    of the action's URL: the date an ending takes effect, say)."""
    if is_confirmed():
        return None
    carried = [(name, value) for name, value in request.form.items(multi=True)
               if name not in NOT_CARRIED] if request.method == "POST" else []
    sent = {name for name, _value in carried}
    carried += [(name, value) for name, value in (defaults or {}).items() if name not in sent]
    return render_template("confirm.html", question=question, consequence=consequence,
                           cancel_url=cancel_url, button=button, carried=carried)
