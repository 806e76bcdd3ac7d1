"""The bell and the composer in Chromium: what only a browser running the scripts shows."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pen.auth import service as accounts
from pen.auth.models import User
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.forums import service
from pen.forums.models import Topic
from tests.browser.test_login_flow import sign_in

pytestmark = pytest.mark.browser


def _topic_with_reply(app, member_email: str) -> tuple[int, int]:
    """A topic of the live member's with one reply by Ana: (topic id, Ana's id)."""
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == member_email))
        ana = accounts.create_user("ana@example.org", "Ana González", "x" * 16, ())
        category = service.create_category(SYSTEM, "Inventories")
        topic = service.create_topic(member, category, "Inventory forms", "Which form?")
        service.reply(ana, topic, "The **UNEP** template.")
        ids = topic.id, ana.id
        db.session.remove()
    return ids


def _reply_again(app, topic_id: int, ana_id: int) -> None:
    with app.app_context():
        service.reply(db.session.get(User, ana_id), db.session.get(Topic, topic_id),
                      "And the Basel one.")
        db.session.remove()


def test_the_bell_opens_in_place_marks_read_and_polls(page, live_server, console):
    topic_id, ana_id = _topic_with_reply(live_server.app, live_server.member_email)
    sign_in(page, live_server.member_email, live_server.password)
    page.goto("/forums/")
    page.evaluate("window.stillThisPage = true")
    bell = page.locator(".pen-bell")
    expect(bell.locator(".pen-bell-count")).to_contain_text("1")
    bell.click()
    panel = page.locator("#pen-bell-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Inventory forms")
    expect(panel).to_contain_text("The UNEP template.")  # plain words, no **
    expect(bell.locator(".pen-bell-count")).to_have_count(0)  # marked read
    expect(bell).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    _reply_again(live_server.app, topic_id, ana_id)
    page.evaluate("window.dispatchEvent(new Event('focus'))")  # a poll, without waiting
    expect(bell.locator(".pen-bell-count")).to_contain_text("1")
    assert page.evaluate("window.stillThisPage") is True
    console.assert_clean()


def test_a_reply_being_written_survives_a_reload(page, live_server, console):
    topic_id, _ana = _topic_with_reply(live_server.app, live_server.member_email)
    sign_in(page, live_server.member_email, live_server.password)
    page.goto(f"/forums/t/{topic_id}")
    box = page.get_by_label("Your message")
    box.fill("We sampled 40 transformers and")
    box.blur()  # autosaved on blur, without a button
    expect(page.locator(".pen-draft")).to_have_text("Draft saved")
    page.reload()
    expect(page.get_by_label("Your message")).to_have_value("We sampled 40 transformers and")
    expect(page.locator(".pen-draft")).to_contain_text("You have a draft here")
    console.assert_clean()


def test_the_composer_previews_quotes_a_selection_and_suggests_mentions(page, live_server,
                                                                       console):
    topic_id, _ana = _topic_with_reply(live_server.app, live_server.member_email)
    sign_in(page, live_server.member_email, live_server.password)
    page.goto(f"/forums/t/{topic_id}")
    page.evaluate("window.stillThisPage = true")
    box = page.get_by_label("Your message")
    box.fill("Our **field kit** results")
    preview = page.locator(".pen-live-preview .pen-post-body")
    expect(preview.locator("strong")).to_have_text("field kit")  # the server's rendering
    # select "UNEP" in Ana's reply, then Quote: it lands in the box, on this page
    page.evaluate("""() => {
      const body = [...document.querySelectorAll('.pen-post-body')]
        .find((el) => el.textContent.includes('UNEP'));
      const text = [...body.querySelectorAll('strong')][0].firstChild;
      const range = document.createRange();
      range.setStart(text, 0); range.setEnd(text, 4);
      getSelection().removeAllRanges(); getSelection().addRange(range);
    }""")
    page.locator("#p2 a.pen-quote, .pen-post:has-text('UNEP') a.pen-quote").first.click()
    expect(box).to_have_value(
        "Our **field kit** results\n\n> **Ana González** [wrote](/forums/p/2):\n>\n> UNEP\n\n")
    box.press("End")
    box.type("Thanks @ana")
    option = page.get_by_role("option", name="Ana González (@AnaGonzález)")
    expect(option).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value(re.compile(r"Thanks @AnaGonzález $"))
    assert page.evaluate("window.stillThisPage") is True
    console.assert_clean()


DROP = """async ([name, type, base64]) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  const box = document.querySelector("textarea[name=body]");
  const drop = { dataTransfer: transfer, bubbles: true, cancelable: true };
  box.dispatchEvent(new DragEvent("drop", drop));
}"""


def test_an_image_dropped_into_the_text_is_uploaded_and_an_svg_refused(page, live_server,
                                                                       console):
    import base64
    import io

    from PIL import Image

    topic_id, _ana = _topic_with_reply(live_server.app, live_server.member_email)
    sign_in(page, live_server.member_email, live_server.password)
    page.goto(f"/forums/t/{topic_id}")
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    page.evaluate(DROP, ["red square.png", "image/png",
                         base64.b64encode(out.getvalue()).decode()])
    box = page.get_by_label("Your message")
    expect(box).to_have_value(
        re.compile(r"^!\[red square\]\(/forums/images/[0-9a-f]{32}\.png\)$"))
    expect(page.locator(".pen-live-preview img")).to_be_visible()
    page.wait_for_function("document.querySelector('.pen-live-preview img').naturalWidth > 0")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    page.evaluate(DROP, ["evil.svg", "image/svg+xml", base64.b64encode(svg).decode()])
    expect(page.locator(".pen-composer-error")).to_contain_text("SVG images are not accepted")
    # the refusal is a 400, which Chromium logs; nothing else may be on the console
    assert [p for p in console.problems if "/forums/images'" not in p] == []
    page.get_by_role("button", name="Post reply").click()  # the image goes with its post
    posted = page.locator('.pen-post-body img[src*="/forums/images/"]').last
    expect(posted).to_be_visible()
    assert posted.evaluate("img => img.complete && img.naturalWidth") == 64
