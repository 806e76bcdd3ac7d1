"""Keyboard only, in Chromium: the skip link, the landmarks, a visible focus, two tasks.

No clicks and no ``focus()`` calls: the member presses Tab, Shift+Tab, Enter and Space
and types, the way someone who cannot use a mouse works. Pages are opened by address,
as typed in the address bar. Each task ends on what the member sees.
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pen.admin import demo
from pen.events.models import Event
from pen.extensions import db
from pen.forums.models import Topic

pytestmark = pytest.mark.browser

MEMBER = "member@pen.example"
OPEN_EVENT = "PEN webinar: labelling PCB-containing equipment"  # open registration, upcoming
MOST_STOPS = 150

#: what the focused element looks like: a ring is an outline of 2 px or more, or a shadow
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const text = (el.innerText || el.name || el.id || '').slice(0, 40);
    return {tag: el.tagName.toLowerCase(), text,
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
            shadow: style.boxShadow !== 'none', inMain: !!el.closest('main'),
            inFooter: !!el.closest('footer')};
}"""


def _focused_matches(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)",
                         selector)


def tab_to(page, selector: str, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab backwards) until the focused element matches ``selector``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MOST_STOPS):
        page.keyboard.press(key)
        if _focused_matches(page, selector):
            return
    raise AssertionError(f"{selector} never received the focus with {key}")


def sign_in_by_keyboard(page, email: str, password: str) -> None:
    """The sign-in form, filled and sent from the keyboard."""
    page.goto("/auth/login")
    tab_to(page, "input[type=email]")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert _focused_matches(page, "input[type=password]")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.locator("header nav a[href='/messages/']").first).to_be_visible()


def _ids(server) -> tuple[int, int]:
    """An open topic outside the groups, and the upcoming webinar that takes registrations."""
    with server.app.app_context():
        topic = db.session.scalar(select(Topic.id).where(
            Topic.group_id.is_(None), Topic.locked.is_(False), Topic.deleted.is_(False))
            .order_by(Topic.id))
        event = db.session.scalar(select(Event.id).where(Event.title == OPEN_EVENT))
        db.session.remove()
    return topic, event


def test_skip_link_landmarks_and_a_visible_focus(page, demo_server):
    sign_in_by_keyboard(page, MEMBER, demo.DEMO_PASSWORD)
    for role in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("navigation").first).to_be_visible()

    page.goto("/forums/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, f"the skip link is off screen: {box}"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_STYLE)["inMain"], "Tab after the skip link leaves the main part"

    page.goto("/forums/")  # every stop from the top, header included, to the footer
    unringed = []
    for _ in range(MOST_STOPS):
        page.keyboard.press("Tab")
        seen = page.evaluate(FOCUS_STYLE)
        if not (seen["outline"] or seen["shadow"]):
            unringed.append(seen)
        if seen["inFooter"]:
            break
    assert seen["inFooter"], "Tab never reached the footer"
    assert not unringed, f"focused without a visible ring: {unringed}"


def test_a_member_replies_to_a_topic_by_keyboard(page, demo_server):
    topic_id, _ = _ids(demo_server)
    sign_in_by_keyboard(page, MEMBER, demo.DEMO_PASSWORD)
    page.goto(f"/forums/t/{topic_id}")
    tab_to(page, "textarea[name=body]")
    page.keyboard.type("Our inventory is ready; sharing it next week.")
    tab_to(page, "[type=submit][name=submit]")
    tab_to(page, "textarea[name=body]", backwards=True)  # back to re-read, then on again
    tab_to(page, "[type=submit][name=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("article").filter(
        has_text="Our inventory is ready; sharing it next week.")).to_be_visible()


def test_a_member_registers_for_an_event_by_keyboard(page, demo_server):
    _, event_id = _ids(demo_server)
    sign_in_by_keyboard(page, MEMBER, demo.DEMO_PASSWORD)
    page.goto(f"/events/{event_id}")
    tab_to(page, "textarea[name=note]")
    page.keyboard.type("I run the labelling scheme in our ministry.")
    tab_to(page, "form[action$='/register'] button[type=submit]")
    page.keyboard.press("Space")
    expect(page.get_by_role("status").or_(page.get_by_role("alert"))).to_contain_text(
        "Your registration:")
    expect(page.get_by_role("button", name="Cancel my registration")).to_be_visible()
