"""The PEN Awards, end to end in a real Chromium, with a real SMTP server on loopback.

The admin opens "PEN Awards 2011" (entered on Zurich's clocks), two members
nominate (one with a PDF), the deadline passes (the awards' clock is moved, no
sleeping), two committee members review (one is flagged in conflict with a
nomination and kept out of it), the ranking is checked, the admin marks the
winner, publishes the winners and the nominators are emailed.
"""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from pen import mail
from pen.auth import service as accounts
from pen.extensions import db
from pen.members.service import profile_of
from tests.browser.test_login_flow import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
pytest_plugins = ["tests.fixtures_mail"]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PEOPLE = {  # email: (name, roles, organisation, country)
    "amina.diallo@example.org": ("Amina Diallo", ("admin",), "Secretariat", "CH"),
    "kofi.mensah@ecg.example": ("Kofi Mensah", (), "Electricity Company of Ghana", "GH"),
    "zhang.wei@brcc.example": ("Zhang Wei", (), "Basel Convention Regional Centre", "CN"),
    "ingrid.larsen@nilu.example": ("Ingrid Larsen", ("committee",), "NILU", "NO"),
    "tran.minh@hus.example": ("Tran Van Minh", ("committee",), "Hanoi University", "VN"),
}


class MovableClock:
    """The awards' "now" on the live server, moved by the test."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def awards_site(live_server, smtp_server):
    """The live site: its mail to the SMTP server, the people of the story, a clock."""
    app = live_server.app
    clock = MovableClock(datetime(2011, 1, 20, 9, 0, tzinfo=UTC))
    app.config.update(MAIL_URL=smtp_server.url, AWARDS_CLOCK=clock)
    with app.app_context():
        for email, (name, roles, organisation, country) in PEOPLE.items():
            user = accounts.create_user(email, name, PASSWORD, roles)
            profile = profile_of(user)
            profile.organisation, profile.country = organisation, country
        profile = profile_of(accounts.find_by_email(live_server.member_email))
        profile.organisation, profile.country = "Viet Nam Environment Administration", "VN"
        db.session.commit()
        db.session.remove()
    return live_server, clock


def as_user(browser, site, email):
    """A fresh browser page signed in as ``email``."""
    page = browser.new_context(base_url=site.base_url).new_page()
    sign_in(page, email, PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def open_cycle(page) -> str:
    """The admin opens the 2011 cycle with a category, a file question and a rubric."""
    page.goto("/awards/new")
    page.get_by_label("Name").fill("PEN Awards 2011")
    page.get_by_label("Call for nominations").fill("Nominate those who eliminate PCBs.")
    page.get_by_label("Time zone").fill("Europe/Zurich")  # a list to search, typed into
    page.get_by_label("Opens").fill("2011-01-15T00:00")
    page.get_by_label("Closes").fill("2011-03-01T23:59")
    page.get_by_role("button", name="Create the cycle").click()
    expect(page.get_by_role("heading", name="Set up PEN Awards 2011")).to_be_visible()
    expect(page.get_by_text("closes 1 Mar 2011, 23:59 (Europe/Zurich)")).to_be_visible()
    page.get_by_label("Category name").fill("PCB inventories")
    page.get_by_label("What it rewards").fill("Outstanding national PCB inventories.")
    page.get_by_role("button", name="Add category").click()
    page.get_by_label("Question", exact=True).fill("Supporting document")
    page.get_by_label("Answer").select_option("file")
    page.get_by_role("button", name="Add question").click()
    for name, weight in (("Impact on PCB elimination", "3"), ("Innovation", "1")):
        page.get_by_label("Criterion", exact=True).fill(name)
        page.get_by_label("Weight").fill(weight)
        page.get_by_role("button", name="Add criterion").click()
    expect(page.get_by_text("Innovation · weight 1")).to_be_visible()
    return page.url.rsplit("/", 1)[0]


def nominate(page, cycle_url, statement, member=None, person=None, attachment=None):
    """Fill the nomination form and submit it."""
    page.goto(cycle_url)
    page.get_by_role("link", name="Nominate someone").click()
    expect(page.get_by_text("Deadline: 1 Mar 2011, 23:59 (Europe/Zurich)")).to_be_visible()
    expect(page.get_by_text("That is 1 Mar 2011, 22:59 (UTC).")).to_be_visible()
    if member:
        page.get_by_label("The member").fill(member)
    else:
        page.get_by_label("A person outside the network").check()
        page.get_by_label("Name of the person or organisation").fill(person)
        page.get_by_label("Country").select_option("GH")
    page.get_by_label("Why they deserve the award").fill(statement)
    if attachment:
        page.get_by_label("Supporting document").set_input_files(files=[attachment])
    page.get_by_role("button", name="Submit nomination").click()
    expect(page.get_by_text("Nomination submitted.")).to_be_visible()


def review(page, nominee, impact, innovation, comment):
    """Open a nomination from the ranking and score it."""
    page.get_by_role("link", name=nominee).first.click()
    page.get_by_label("Impact on PCB elimination").fill(impact)
    page.get_by_label("Innovation").fill(innovation)
    page.get_by_label("Comment for the committee").fill(comment)
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("Your review is saved.")).to_be_visible()


def test_the_whole_awards_cycle(browser, awards_site, smtp_server, console, page):
    site, clock = awards_site
    admin = as_user(browser, site, "amina.diallo@example.org")
    cycle_url = open_cycle(admin)

    lan = as_user(browser, site, site.member_email)  # Nguyen Thi Lan, Viet Nam
    nominate(lan, cycle_url, "Ran Ghana's transformer inventory.", person="Ama Owusu",
             attachment={"name": "inventory.pdf", "mimeType": "application/pdf",
                         "buffer": PDF})
    kofi = as_user(browser, site, "kofi.mensah@ecg.example")
    nominate(kofi, cycle_url, "Built the regional PCB database.", member="zhang.wei@brcc.example")
    with site.app.app_context():
        mail.deliver_due()
    receipts = [m.message for m in smtp_server.envelopes]
    assert sorted(m["To"] for m in receipts) == ["kofi.mensah@ecg.example",
                                                 "lan.nguyen@example.org"]
    assert any("inventory.pdf" in m.get_content() for m in receipts)

    clock.moment = datetime(2011, 3, 2, 8, 0, tzinfo=UTC)  # past the deadline and its grace
    lan.goto(cycle_url + "/nominate")
    expect(lan.get_by_text("closed on 1 Mar 2011, 23:59 (Europe/Zurich)")).to_be_visible()

    ingrid = as_user(browser, site, "ingrid.larsen@nilu.example")
    ingrid.goto(cycle_url + "/ranking")
    review(ingrid, "Ama Owusu", "5", "3", "A model inventory.")             # 4.5
    ingrid.goto(cycle_url + "/ranking")
    review(ingrid, "Zhang Wei", "3", "5", "Useful, less original.")         # 3.5
    expect(ingrid.get_by_role("cell", name="Useful, less original.")).to_be_visible()

    # Tran Van Minh works in Viet Nam, like Lan, who nominated Ama Owusu: flagged, kept out.
    minh = as_user(browser, site, "tran.minh@hus.example")
    minh.goto(cycle_url + "/ranking")
    minh.get_by_role("link", name="Ama Owusu").click()
    expect(minh.get_by_text("Likely conflict of interest: same country as the nominator"))\
        .to_be_visible()
    expect(minh.get_by_role("button", name="Submit review")).to_have_count(0)
    expect(minh.get_by_text("A model inventory.")).to_have_count(0)
    minh.goto(cycle_url + "/ranking")
    review(minh, "Zhang Wei", "2", "2", "Not convinced.")                   # 2.0

    minh.goto(cycle_url + "/ranking")
    rows = minh.locator("table.pen-ranking tbody tr")
    expect(rows.nth(0)).to_contain_text("Zhang Wei")
    expect(rows.nth(0).locator(".pen-mean")).to_have_text("2.75")  # (3.5 + 2.0) / 2
    expect(rows.nth(0)).to_contain_text("1.50")                    # spread 3.5 - 2.0
    expect(rows.nth(1)).to_contain_text("Ama Owusu")  # his conflict: no scores for him
    expect(rows.nth(1)).to_contain_text("conflict of interest")
    expect(rows.nth(1).locator(".pen-mean")).to_have_count(0)

    admin.goto(cycle_url + "/decisions")
    ranked = admin.locator("table.pen-ranking tbody tr")
    expect(ranked.nth(0)).to_contain_text("Ama Owusu")
    expect(ranked.nth(0).locator(".pen-mean")).to_have_text("4.50")  # Ingrid's alone
    ranked.nth(0).get_by_label("Decision on Ama Owusu").select_option("winner")
    ranked.nth(0).get_by_role("button", name="Save").click()
    admin.locator("table.pen-ranking tbody tr").nth(1).get_by_label(
        "Decision on Zhang Wei").select_option("not_selected")
    admin.locator("table.pen-ranking tbody tr").nth(1).get_by_role("button", name="Save").click()
    admin.get_by_role("button", name="Publish the winners").click()
    expect(admin.get_by_text("The winners are published.")).to_be_visible()
    admin.get_by_role("button", name="Email the nominators their decisions").click()
    expect(admin.get_by_text("2 nominators will be emailed.")).to_be_visible()

    smtp_server.reset()
    with site.app.app_context():
        assert mail.deliver_due().sent == 2
    told = {m.message["To"]: m.message for m in smtp_server.envelopes}
    assert "won a PEN Awards 2011 award" in told["lan.nguyen@example.org"]["Subject"]
    assert "Ama Owusu" in told["lan.nguyen@example.org"].get_content()
    assert "not selected" in told["kofi.mensah@ecg.example"].get_content()
    for message in told.values():
        assert "A model inventory." not in message.get_content()  # comments stay inside

    lan.goto(cycle_url)
    lan.get_by_role("link", name="Winners").click()
    expect(lan.get_by_role("heading", name="Winners of PEN Awards 2011")).to_be_visible()
    expect(lan.get_by_text("Ama Owusu")).to_be_visible()
    expect(lan.get_by_text("Zhang Wei")).to_have_count(0)
    console.assert_clean()
