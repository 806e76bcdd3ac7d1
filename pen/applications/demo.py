"""Demo applications: two waiting in the Secretariat's queue, one of them a possible duplicate.

Added only when the queue has never had any, so a demo that was used is left alone.
"""

from sqlalchemy import func, select

from ..extensions import db
from ..types import utcnow
from . import service
from .models import WAITING, Application

DEMO = (
    dict(name="Wanjiru Kamau", email="wanjiru.kamau@nema.example", country="KE",
         organisation="National Environment Management Authority",
         organisation_type="government", convention_role="expert", languages=["en", "sw"],
         locale="en", motivation="I coordinate Kenya's inventory of PCB-containing "
         "transformers and would like to compare methods with other countries."),
    dict(name="Carlos Mendoza", email="moderator@pen.example", country="PA",
         organisation="Empresa de Transmisión Eléctrica", organisation_type="utility",
         convention_role="expert", languages=["es"], locale="es",
         motivation="Quiero compartir nuestra experiencia de mantenimiento de equipos."),
)


def seed() -> int:
    """Add the demo applications if there have never been any; return how many."""
    if db.session.scalar(select(func.count()).select_from(Application)):
        return 0
    for values in DEMO:
        application = Application(status=WAITING, confirmed_at=utcnow(), **values,
                                  person_key=service.person_key(values["name"],
                                                                values["country"]))
        db.session.add(application)
        db.session.flush()
        service.flag_duplicates(application)
    db.session.commit()
    return len(DEMO)
