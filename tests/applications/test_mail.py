"""The applicant's mail through a real SMTP server, in the language they chose."""


from pen.applications import review
from pen.onboarding import service as rollout
from tests.onboarding.conftest import LINK as INVITATION_LINK
from tests.onboarding.conftest import deliver

from .conftest import ANSWER_LINK, CONFIRM_LINK, form_data, path_of

pytest_plugins = ["tests.fixtures_mail"]


def _received(smtp_server, to: str) -> list[tuple[str, str]]:
    """(subject, text) of each message delivered to ``to``, in order."""
    return [(m["Subject"], m.get_body(preferencelist=("plain",)).get_content())
            for m in smtp_server.messages if m["To"] == to]


def test_apply_confirm_approve_in_french(smtp_app, smtp_server, client, admin):
    client.post("/apply/", data=form_data(email="claire@example.fr", locale="fr"))
    deliver()
    [(subject, text)] = _received(smtp_server, "claire@example.fr")
    assert subject == "Confirmez votre candidature à PEN"
    [link] = CONFIRM_LINK.findall(text)
    client.post(path_of(link))
    deliver()
    assert _received(smtp_server, "claire@example.fr")[-1][0] == (
        "Votre candidature à PEN a bien été reçue")

    application = review.get_for(admin, 1)
    review.approve(admin, application, rollout.ensure_test_group())
    deliver()
    subjects = [s for s, _t in _received(smtp_server, "claire@example.fr")]
    assert "Votre candidature à PEN est acceptée" in subjects
    invitation = [t for s, t in _received(smtp_server, "claire@example.fr")
                  if s == "Votre invitation au Réseau pour l'élimination des PCB"]
    assert invitation and INVITATION_LINK.findall(invitation[0])


def test_a_question_and_a_refusal_in_spanish(smtp_app, smtp_server, client, admin, confirmed):
    application = confirmed()  # locale "es"
    review.ask(admin, application, "¿En qué ministerio trabaja?")
    deliver()
    subject, text = _received(smtp_server, "ana.perez@example.org")[-1]
    assert "Secretaría" in subject and "¿En qué ministerio trabaja?" in text
    [link] = ANSWER_LINK.findall(text)
    assert client.post(path_of(link), data={"answer": "Ambiente."}).status_code == 200
    review.decline(admin, application, "Por favor, escriba a su punto de contacto oficial.")
    deliver()
    subject, text = _received(smtp_server, "ana.perez@example.org")[-1]
    assert subject == "Su candidatura a PEN"
    assert "Por favor, escriba a su punto de contacto oficial." in text
