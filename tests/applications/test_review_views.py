"""The queue as reviewers and others see it, through the client."""

import pytest
from sqlalchemy import select

from pen.applications import review
from pen.applications.models import APPROVED, DECLINED, INFO_REQUESTED
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.groups.models import JoinRequest
from pen.mail import MailMessage
from pen.onboarding import service as rollout

from .conftest import ANSWER_LINK, applications, form_data, links, path_of


def test_the_queue_lists_confirmed_applications_with_counts(admin_client, confirmed):
    confirmed()
    confirmed(email="wanjiru@example.org", name="Wanjiru Kamau", country="KE")
    page = admin_client.get("/admin/applications/").get_data(as_text=True)
    assert "Ana María Pérez" in page and "Wanjiru Kamau" in page
    assert 'class="pen-count-waiting">2<' in page
    kenya = admin_client.get("/admin/applications/?status=waiting&country=KE")
    assert "Wanjiru Kamau" in kenya.get_data(as_text=True)
    assert "Ana María Pérez" not in kenya.get_data(as_text=True)


def test_a_possible_duplicate_shows_in_the_list_and_on_the_page(admin_client, make_user,
                                                                 confirmed):
    make_user(email="ana.perez@example.org", name="Ana Pérez")
    application = confirmed()
    flagged = admin_client.get("/admin/applications/?status=waiting&flagged=y")
    assert "possible duplicate" in flagged.get_data(as_text=True)
    page = admin_client.get(f"/admin/applications/{application.id}").get_data(as_text=True)
    assert "A member with the same email:" in page and "national PCB inventory" in page


def test_approving_through_the_page(admin, admin_client, confirmed, thematic_group):
    cohort = rollout.create_cohort(admin, "Applicants 2027")
    application = confirmed(group_ids=[thematic_group.id])
    page = admin_client.post(f"/admin/applications/{application.id}/approve",
                             data={"cohort": cohort.slug}, follow_redirects=True)
    assert "the invitation to ana.perez@example.org is on its way" in page.get_data(as_text=True)
    application = applications()[0]
    assert application.status == APPROVED and application.user.status == UserStatus.INVITED
    assert db.session.scalar(select(JoinRequest.group_id)) == thematic_group.id


def test_an_unknown_cohort_is_refused_and_nothing_is_created(admin_client, confirmed):
    application = confirmed()
    page = admin_client.post(f"/admin/applications/{application.id}/approve",
                             data={"cohort": "no-such-cohort"})
    assert page.status_code == 400
    assert "Choose a cohort from the list." in page.get_data(as_text=True)
    assert applications()[0].user_id is None


def test_declining_without_a_message_keeps_the_page_and_says_why(admin_client, confirmed):
    application = confirmed()
    page = admin_client.post(f"/admin/applications/{application.id}/decline",
                             data={"decline-message": ""})
    assert page.status_code == 400 and "Please fill in this field." in page.get_data(as_text=True)
    done = admin_client.post(f"/admin/applications/{application.id}/decline",
                             data={"decline-message": "Please apply through your OCP.",
                                   "confirmed": "1"},
                             follow_redirects=True)
    assert "the applicant has been told" in done.get_data(as_text=True)
    assert applications()[0].status == DECLINED


def test_asking_and_the_answer_page(admin_client, confirmed, app):
    application = confirmed()
    admin_client.post(f"/admin/applications/{application.id}/ask",
                      data={"ask-message": "Which ministry do you work for?"})
    assert applications()[0].status == INFO_REQUESTED
    [link] = links(ANSWER_LINK, "ana.perez@example.org")
    anonymous = app.test_client()
    form = anonymous.get(path_of(link)).get_data(as_text=True)
    assert "Which ministry do you work for?" in form
    long = anonymous.post(path_of(link), data={"answer": "x" * 10_000})
    assert long.status_code == 400 and "At most 3000 characters" in long.get_data(as_text=True)
    assert anonymous.post(path_of(link), data={"answer": "Environment."}).status_code == 200
    page = admin_client.get(f"/admin/applications/{application.id}").get_data(as_text=True)
    assert "Answer from the applicant" in page and "Environment." in page


def test_the_admin_dashboard_counts_applications_waiting(admin_client, confirmed):
    confirmed()
    page = admin_client.get("/admin/dashboard").get_data(as_text=True)
    assert "1 application waiting for a decision" in page


@pytest.mark.parametrize("path", ["/admin/applications/", "/admin/applications/{id}"])
def test_a_member_cannot_see_the_queue_or_an_application(member_client, confirmed, path):
    application = confirmed()
    answer = member_client.get(path.format(id=application.id))
    assert answer.status_code == (403 if path.endswith("/") else 404)
    assert "Ana María Pérez" not in answer.get_data(as_text=True)


def test_a_member_cannot_decide(member_client, confirmed):
    application = confirmed()
    for action, data in (("approve", {}), ("decline", {"decline-message": "no"}),
                         ("ask", {"ask-message": "why?"})):
        answer = member_client.post(f"/admin/applications/{application.id}/{action}", data=data)
        assert answer.status_code == 404
    assert applications()[0].status == "waiting"
    assert db.session.scalar(select(MailMessage).where(
        MailMessage.body_text.contains("why?"))) is None


@pytest.mark.parametrize("path", ["/admin/applications/", "/admin/applications/{id}"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, confirmed, path):
    application = confirmed()
    answer = client.get(path.format(id=application.id))
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_a_role_given_the_right_sees_the_queue(app, make_user, client_as, confirmed):
    application = confirmed()
    moderator = make_user(roles=("moderator",))
    assert client_as(moderator).get("/admin/applications/").status_code == 403
    app.config["APPLICATION_REVIEWER_ROLES"] = ["moderator"]
    reviewer = client_as(moderator)
    assert "Ana María Pérez" in reviewer.get("/admin/applications/").get_data(as_text=True)
    assert reviewer.get(f"/admin/applications/{application.id}").status_code == 200
    assert review.counts()["waiting"] == 1


def test_an_unconfirmed_application_is_seen_by_nobody(admin_client, client):
    client.post("/apply/", data=form_data())
    [application] = applications()
    listing = admin_client.get("/admin/applications/?status=").get_data(as_text=True)
    assert "Ana María Pérez" not in listing and "0 applications" in listing
    assert admin_client.get(f"/admin/applications/{application.id}").status_code == 404
    dashboard = admin_client.get("/admin/dashboard").get_data(as_text=True)
    assert "0 applications waiting for a decision" in dashboard


def test_declining_asks_first_and_carries_the_message_to_the_confirm_page(admin_client,
                                                                         confirmed):
    application = confirmed()
    page = admin_client.post(f"/admin/applications/{application.id}/decline",
                             data={"decline-message": "Please apply through your OCP."})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Decline the application of" in html
    assert 'name="decline-message" value="Please apply through your OCP."' in html
    assert applications()[0].status != DECLINED
