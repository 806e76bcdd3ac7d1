"""The header's main links, drawn once per language and section, not on every page.

Every signed-in page shows the same links (Home, Members, Forums… and Administration or
Applications for those who may): nine macro calls, router lookups and translations a
page, drawn in the row and repeated in the Menu. They differ only by the language, the
script root, the section the page belongs to and which of the two extra links the
member gets, so ``main_nav`` renders ``_main_nav.html`` once per such combination (a
few hundred at most) and keeps the HTML on the app. The section of an endpoint is
decided here, once (``section``).
"""

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

_CACHE_KEY = "pen.layout.main_nav"

#: (section, how an endpoint belongs to it): a name ending in "." is a prefix
SECTIONS = (("home", ("home.index",)), ("members", ("members.",)), ("forums", ("forums.",)),
            ("groups", ("groups.",)), ("library", ("library.",)), ("awards", ("awards.",)),
            ("events", ("events.",)), ("admin", ("admin.", "home.admin_dashboard")),
            ("applications", ("application_review.",)))


def section(endpoint: str | None) -> str | None:
    """The header section ``endpoint`` belongs to, if any."""
    for name, matches in SECTIONS:
        if any(endpoint == m or (m.endswith(".") and (endpoint or "").startswith(m))
               for m in matches):
            return name
    return None


def main_nav(endpoint: str | None, manages_users: bool, reviews_applications: bool) -> Markup:
    """The ``<li>`` links of the header for a page of ``endpoint`` (its section marked
    current), with Administration or Applications as the member may."""
    key = (str(get_locale() or ""), request.script_root, section(endpoint),
           bool(manages_users), bool(reviews_applications) and not manages_users)
    drawn = current_app.extensions.setdefault(_CACHE_KEY, {})
    html = drawn.get(key)
    if html is None:
        html = Markup(render_template("_main_nav.html", active=key[2], admin=key[3],  # noqa: S704
                                      reviewer=key[4]))
        if not current_app.debug:  # in development a changed template shows at once
            drawn[key] = html
    return html
