"""The directory's side column: members by region and the countries with most members.

Its counts are the same for a minute (``service.count_by_region``/``count_by_country``,
cached per app and per what the viewer may see), so the drawing is too: it is rendered
once per language, URL prefix and counts, and every page in between prints the same
HTML (a chart of seven bars and fifteen country names no longer translated and
escaped on every page). The counts are the key, so a drawing never outlives them.
"""

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from . import charts, service

_KEY = "pen.members.side_panels"
MAX_KEPT = 64  # languages x kinds of viewer x minutes: cleared when full


def side_panel(viewer) -> Markup:
    """The side column as ``viewer`` sees it, in the reader's language."""
    by_region = service.count_by_region(viewer)
    top = service.count_by_country(viewer)
    key = (str(get_locale() or "en"), request.script_root, tuple(by_region), tuple(top))
    kept = current_app.extensions.setdefault(_KEY, {})
    html = kept.get(key)
    if html is None:
        # an autoescaped template's output: every value in it was escaped there
        html = Markup(render_template("members/_side.html",  # noqa: S704
                                      region_chart=charts.region_bars(by_region),
                                      top_countries=top))
        if len(kept) >= MAX_KEPT:
            kept.clear()
        kept[key] = html
    return html
