"""The Secretariat's decisions, through the service: approve, decline, ask; duplicates."""

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pen import audit
from pen.applications import review, service
from pen.applications.models import (
    APPROVED,
    DECLINED,
    INFO_REQUESTED,
    UNCONFIRMED,
    WAITING,
    Application,
)
from pen.auth import service as accounts
from pen.auth.models import UserStatus
from pen.auth.system import SYSTEM
from pen.errors import NotFound, ValidationError
from pen.extensions import db
from pen.groups.models import PENDING, JoinRequest
from pen.members import service as members
from pen.members.models import DesignationRequest
from pen.onboarding import cohorts
from pen.onboarding import service as rollout
from pen.onboarding.models import CohortMember, Invitation

from .conftest import ANSWER_LINK, applications, links, submission, token_of


def test_unconfirmed_applications_are_not_in_the_queue(app, admin):
    service.submit(submission())
    assert db.session.scalars(review.queue_query()).all() == []
    assert review.counts()["waiting"] == 0
    with pytest.raises(NotFound):
        review.get_for(admin, applications()[0].id)


def test_approving_creates_the_invited_account_as_the_rollout_would(
        app, admin, confirmed, thematic_group):
    cohort = rollout.create_cohort(admin, "Latin America 2027")
    application = confirmed(group_ids=[thematic_group.id], expertise_ids=[])
    user = review.approve(admin, application, cohort)

    assert user.status == UserStatus.INVITED and user.email == "ana.perez@example.org"
    profile = members.profile_of(user)
    assert (profile.organisation, profile.country, profile.region, profile.locale) == (
        "Ministerio del Ambiente", "EC", "Latin America and the Caribbean", "es")
    assert profile.convention_role == "expert" and profile.languages == ["en", "es"]
    assert db.session.get(CohortMember, (cohort.id, user.id)) is not None
    invitation = db.session.scalar(select(Invitation).where(Invitation.user_id == user.id))
    assert invitation is not None and invitation.mail.to_addr == user.email
    [request] = db.session.scalars(select(JoinRequest).where(JoinRequest.user_id == user.id))
    assert request.group_id == thematic_group.id and request.status == PENDING
    assert application.status == APPROVED and application.user_id == user.id
    entry = audit.for_target(application)[0]
    assert entry.action == "application.approve" and entry.actor_id == admin.id
    assert entry.detail["groups"] == [thematic_group.name]


def test_a_designation_asked_for_awaits_the_secretariats_verification(app, admin, confirmed):
    user = review.approve(admin, confirmed(convention_role="ocp"), None)
    [asked] = db.session.scalars(select(DesignationRequest).where(
        DesignationRequest.user_id == user.id))
    assert (asked.kind, asked.country) == ("ocp", "EC")
    assert members.profile_of(user).convention_role is None


def test_a_decided_application_cannot_be_decided_again(app, admin, confirmed):
    application = confirmed()
    review.decline(admin, application, "PEN is for people working on PCBs.")
    with pytest.raises(ValidationError):
        review.approve(admin, application, None)
    assert application.status == DECLINED
    assert accounts.find_by_email(application.email) is None


def test_declining_needs_a_message_and_is_audited(app, admin, confirmed):
    application = confirmed()
    with pytest.raises(ValidationError) as refused:
        review.decline(admin, application, "   ")
    assert refused.value.field == "message"
    review.decline(admin, application, "Please apply through your OCP.")
    assert application.decision_message == "Please apply through your OCP."
    assert audit.for_target(application)[0].action == "application.decline"


def test_asking_for_more_and_the_answer_that_brings_it_back(app, admin, confirmed):
    application = confirmed()
    review.ask(admin, application, "Which ministry do you work for?")
    assert application.status == INFO_REQUESTED
    assert review.counts()["info_requested"] == 1
    [link] = links(ANSWER_LINK, application.email)
    with pytest.raises(ValidationError):
        service.answer(token_of(link), "x" * 10_000)
    service.answer(token_of(link), "The Ministry of Environment of Ecuador.")
    assert application.status == WAITING
    assert [m.kind for m in application.messages] == ["question", "answer"]
    assert service.answer(token_of(link), "again") is None  # the link worked once
    assert [e.action for e in audit.for_target(application)][:2] == [
        "application.answer", "application.ask"]


def test_an_existing_members_email_is_flagged_and_approval_refused(app, admin, make_user,
                                                                    confirmed):
    member = make_user(email="ana.perez@example.org", name="Ana Perez")
    application = confirmed()
    assert application.flagged
    assert application.duplicates == [{"kind": "member", "id": member.id, "why": "email"}]
    with pytest.raises(ValidationError):
        review.approve(admin, application, None)


def test_the_same_name_and_country_is_flagged_whatever_the_accents_and_case(
        app, make_user, confirmed):
    member = make_user(email="aperez@ambiente.gob.ec", name="ANA MARIA  PEREZ")
    members.profile_of(member).country = "EC"
    db.session.commit()
    application = confirmed()
    assert {"kind": "member", "id": member.id, "why": "name"} in application.duplicates
    assert review.counts()["flagged"] == 1


def test_a_second_application_under_another_email_flags_both(app, confirmed):
    first = confirmed()
    second = confirmed(email="ana.maria@example.net")
    assert second.duplicates == [{"kind": "application", "id": first.id, "why": "name"}]
    assert first.flagged and {"kind": "application", "id": second.id,
                              "why": "name"} in first.duplicates


def test_applying_again_after_a_decision_is_a_new_application_flagged(app, admin, confirmed):
    first = confirmed()
    review.decline(admin, first, "Not now.")
    second = confirmed()
    assert second.id != first.id
    assert {"kind": "application", "id": first.id, "why": "email"} in second.duplicates


def test_filters_of_the_queue(app, admin, confirmed):
    ecuador = confirmed()
    kenya = confirmed(email="wanjiru@example.org", name="Wanjiru Kamau", country="KE",
                      organisation_type="ngo")
    review.decline(admin, kenya, "Not now.")

    def ids(**filters):
        return [a.id for a in db.session.scalars(review.queue_query(**filters))]

    assert ids() == [ecuador.id, kenya.id]
    assert ids(status=WAITING) == [ecuador.id]
    assert ids(country="KE") == [kenya.id]
    assert ids(organisation_type="government") == [ecuador.id]
    assert ids(flagged=True) == []


def test_only_reviewers_decide(app, make_user, confirmed):
    application = confirmed()
    moderator = make_user(roles=("moderator",))
    for decide in (lambda: review.approve(moderator, application, None),
                   lambda: review.decline(moderator, application, "no"),
                   lambda: review.ask(moderator, application, "why?")):
        with pytest.raises(NotFound):
            decide()
    assert application.status == WAITING


def test_reviewer_roles_come_from_the_settings(app, make_user, confirmed):
    application = confirmed()
    moderator = make_user(roles=("moderator",))
    app.config["APPLICATION_REVIEWER_ROLES"] = ["moderator"]
    assert review.get_for(moderator, application.id) is application
    review.ask(moderator, application, "Which ministry?")
    assert application.status == INFO_REQUESTED


def test_unconfirmed_applications_are_forgotten_once_their_link_expired(app):
    service.submit(submission())
    service.submit(submission(email="other@example.org"))
    first = applications()[0]
    first.token_expires_at = first.created_at
    db.session.commit()
    assert service.purge_unconfirmed() == 1
    assert [a.email for a in applications()] == ["other@example.org"]
    assert not service.purge_unconfirmed()  # nothing left: `worker --once` may stop


def test_the_test_group_can_be_chosen(app, admin, confirmed):
    group = rollout.ensure_test_group()
    db.session.commit()
    user = review.approve(admin, confirmed(), cohorts.find_cohort(group.slug))
    assert user.id in cohorts.member_ids(group)


def test_the_database_keeps_one_open_application_per_address(app, confirmed):
    first = confirmed()
    db.session.add(Application(
        status=UNCONFIRMED, name="Ana", email=first.email, person_key="ana|EC",
        organisation="X", organisation_type="ngo", country="EC", convention_role="expert",
        motivation="x", locale="en"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    review.decline(SYSTEM, db.session.get(Application, first.id), "Not now.")
    service.submit(submission())  # decided: a new application from the address is welcome
    assert len(applications()) == 2
