"""Demo member profiles: people of the kind the PEN contact list holds (all fictional)."""

from datetime import date

from sqlalchemy import select

from ..auth import service as accounts
from ..auth.models import UserStatus
from ..extensions import db
from ..members import designations
from ..members import service as members
from ..members.models import DESIGNATION_KINDS, ExpertiseArea, Profile
from ..members.vocabulary import DEFAULT_EXPERTISE

# name, email, country, organisation, type, Convention role, expertise, languages, bio
PEOPLE = [
    ("Ana González", "ana.gonzalez@etesa.example", "PA", "Empresa de Transmisión Eléctrica",
     "utility", "nfp", ["PCB inventories", "Transformers and capacitors"], ["es", "en"],
     "Led the inventory of 4,200 transformers for the national grid; hosted the first "
     "meeting of the Thematic Group on Maintenance of PCB-containing equipment."),
    ("Moussa Ouédraogo", "moussa.ouedraogo@environnement.example", "BF",
     "Ministère de l'Environnement", "government", "ocp",
     ["PCB inventories", "Legislation and enforcement"], ["fr"],
     "Point de contact officiel. Inventaire national des PCB et projet de décret."),
    ("Awa Ndiaye", "awa.ndiaye@pan-africa.example", "SN", "PAN Africa", "ngo", "expert",
     ["Awareness raising", "Waste management"], ["fr", "en"],
     "Campaigns with workers of small repair shops handling old transformers in Dakar."),
    ("Ingrid Larsen", "ingrid.larsen@nilu.example", "NO", "Norwegian Institute for Air Research",
     "academia", "expert", ["Sampling and analysis"], ["en", "sv"],
     "PCB congener analysis; trains laboratories in GC-ECD screening methods."),
    ("Zhang Wei 张伟", "zhang.wei@brcc.example", "CN",
     "Basel Convention Regional Centre for Asia and the Pacific", "regional_centre", "expert",
     ["Environmentally sound disposal", "Sampling and analysis"], ["zh", "en"],
     "Regional training on environmentally sound management of PCB wastes."),
    ("Fatima Al-Sayed فاطمة السيد", "fatima.alsayed@env-jo.example", "JO",
     "Ministry of Environment", "government", "dna", ["Legislation and enforcement"],
     ["ar", "en"], "Drafting the national regulation on PCB phase-out by 2025."),
    ("Dmitri Volkov", "dmitri.volkov@rc-moscow.example", "RU",
     "Stockholm Convention Regional Centre in Moscow", "regional_centre", "expert",
     ["Decontamination", "Co-processing in cement kilns"], ["ru", "en"],
     "Dechlorination of PCB oils; pilot plant commissioning."),
    ("Carmen Rodríguez", "carmen.rodriguez@crs-panama.example", "PA",
     "Centro Regional del Convenio de Estocolmo", "regional_centre", "expert",
     ["Maintenance of PCB-containing equipment", "Awareness raising"], ["es"],
     "Guías de mantenimiento para equipos que pueden contener PCB."),
    ("Kofi Mensah", "kofi.mensah@ecg.example", "GH", "Electricity Company of Ghana", "utility",
     "expert", ["Maintenance of PCB-containing equipment", "Transformers and capacitors"],
     ["en"], "Runs the transformer workshop; labelling and segregation of PCB equipment."),
    ("Priya Raman", "priya.raman@cpcb.example", "IN", "Central Pollution Control Board",
     "government", "nfp", ["PCB inventories", "Customs and illegal trade"], ["en", "hi"],
     "Inventory methodology for industrial users of capacitors."),
    ("Hans Weber", "hans.weber@umwelt.example", "DE", "Federal Environment Agency", "government",
     "expert", ["Alternatives to PCBs", "Environmentally sound disposal"], ["de", "en", "fr"],
     "Experience of the German phase-out; high-temperature incineration capacity."),
    ("Mariana Silva", "mariana.silva@cetesb.example", "BR", "CETESB", "government", "expert",
     ["Sampling and analysis", "Decontamination"], ["pt", "es", "en"],
     "Laboratory network for PCB testing of mineral oils."),
    ("Youssef Benali", "youssef.benali@onee.example", "MA", "Office National de l'Électricité",
     "utility", "expert", ["Transformers and capacitors", "PCB inventories"], ["fr", "ar"],
     "Campagne de tests au kit colorimétrique sur 12 000 transformateurs."),
    ("Olena Kovalenko", "olena.kovalenko@ecology.example", "UA",
     "Ministry of Ecology and Natural Resources", "government", "ocp",
     ["Legislation and enforcement", "Waste management"], ["uk", "ru", "en"],
     "Coordinates the national implementation plan update."),
    ("Nguyen Van Minh", "nguyen.minh@evn.example", "VN", "Electricity of Viet Nam", "utility",
     "expert", ["Maintenance of PCB-containing equipment"], ["vi", "en"],
     "Maintenance procedures for substations; oil sampling during servicing."),
    ("Grace Banda", "grace.banda@zema.example", "ZM", "Zambia Environmental Management Agency",
     "government", "nfp", ["PCB inventories", "Awareness raising"], ["en"],
     "National PCB inventory with the mining sector."),
    ("Jean-Pierre Dubois", "jp.dubois@unep.example", "CH", "UNEP Chemicals and Waste Branch",
     "intergovernmental", "expert", ["Environmentally sound disposal", "PCB inventories"],
     ["fr", "en", "es"], "Supports GEF projects on PCB management in Africa."),
    ("Sofía Herrera", "sofia.herrera@ute.example", "UY", "UTE", "utility", "expert",
     ["Decontamination", "Transformers and capacitors"], ["es"],
     "Descontaminación de transformadores con aceite mineral contaminado."),
    ("Ahmed Hassan", "ahmed.hassan@eeaa.example", "EG", "Egyptian Environmental Affairs Agency",
     "government", "ocp", ["Customs and illegal trade", "Legislation and enforcement"],
     ["ar", "en"], "Customs controls on imports of used electrical equipment."),
    ("Tanaka Hiroshi", "tanaka.hiroshi@jesco.example", "JP", "JESCO", "industry", "expert",
     ["Environmentally sound disposal", "Decontamination"], ["ja", "en"],
     "Chemical treatment facilities for high-concentration PCB wastes."),
]


# The official contact point of every country the demo's members come from (a country
# without one would send its members' event registrations to the Secretariat instead).
# Viet Nam's is the demo account ocp@pen.example; Burkina Faso's, Ukraine's and Egypt's
# are among the people above.
OCPS = {
    "PA": ("Luis Batista", "luis.batista@miambiente-pa.example", "Ministerio de Ambiente"),
    "SN": ("Mamadou Sow", "mamadou.sow@environnement-sn.example",
           "Direction de l'Environnement et des Établissements classés"),
    "NO": ("Kari Nordmann", "kari.nordmann@miljodir.example", "Norwegian Environment Agency"),
    "CN": ("Li Na 李娜", "li.na@mee-cn.example", "Ministry of Ecology and Environment"),
    "JO": ("Omar Khalil عمر خليل", "omar.khalil@moenv-jo.example", "Ministry of Environment"),
    "RU": ("Irina Sokolova", "irina.sokolova@mnr-ru.example",
           "Ministry of Natural Resources and Environment"),
    "GH": ("Abena Owusu", "abena.owusu@epa-gh.example", "Environmental Protection Agency"),
    "IN": ("Arjun Mehta", "arjun.mehta@moefcc.example",
           "Ministry of Environment, Forest and Climate Change"),
    "DE": ("Katrin Vogel", "katrin.vogel@bmuv.example", "Federal Ministry for the Environment"),
    "BR": ("Rafael Costa", "rafael.costa@mma-br.example", "Ministério do Meio Ambiente"),
    "MA": ("Nadia El Amrani", "nadia.elamrani@environnement-ma.example",
           "Département de l'Environnement"),
    "ZM": ("Chanda Mwale", "chanda.mwale@mgee-zm.example", "Ministry of Green Economy"),
    "CH": ("Beat Keller", "beat.keller@bafu.example", "Federal Office for the Environment"),
    "UY": ("Lucía Pereira", "lucia.pereira@ambiente-uy.example", "Ministerio de Ambiente"),
    "JP": ("Sato Yuki", "sato.yuki@env-jp.example", "Ministry of the Environment"),
    "SE": ("Erik Johansson", "erik.johansson@naturvardsverket.example",
           "Swedish Environmental Protection Agency"),
    "PL": ("Agnieszka Zielińska", "agnieszka.zielinska@gdos.example",
           "General Directorate for Environmental Protection"),
}


def ensure_vocabulary() -> dict[str, ExpertiseArea]:
    """The default expertise terms (added if missing), by name."""
    have = {term.name: term for term in members.vocabulary()}
    for name in DEFAULT_EXPERTISE:
        if name not in have:
            have[name] = ExpertiseArea(name=name)
            db.session.add(have[name])
    db.session.flush()
    return have


def _designate(system, user, role: str | None, country: str) -> None:
    """Record the demo's OCPs, NFPs and DNAs as the Secretariat would (since 2010)."""
    if role in DESIGNATION_KINDS:
        designations.record(system, user, role, country, date(2010, 1, 1))
    elif role:
        members.profile_of(user).convention_role = role


def fill_profile(system, user, person: tuple) -> bool:
    """Give ``user`` the profile ``person`` describes (a ``PEOPLE`` row without name and
    email), unless the profile already names a country: what someone changed is kept."""
    country, org, org_type, role, expertise, langs, bio = person
    profile = members.profile_of(user)
    if profile.country:
        return False
    terms = ensure_vocabulary()
    changes = members.ProfileChanges(
        display_name=user.display_name, organisation=org, organisation_type=org_type,
        country=country, expertise_ids=[terms[t].id for t in expertise], languages=langs,
        bio=bio)
    members.update_profile(system, profile, changes)
    _designate(system, user, role, country)
    return True


def seed_people(system) -> int:
    """Create the demo members that are missing; return how many were created."""
    created = 0
    for name, email, *person in PEOPLE:
        if accounts.find_by_email(email):
            continue
        user = accounts.create_user(email, name, None, status=UserStatus.ACTIVE)
        fill_profile(system, user, tuple(person))
        created += 1
    db.session.commit()
    return created + seed_ocps(system)


def demo_countries() -> set[str]:
    """The countries on the demo members' profiles."""
    return {country for country in db.session.scalars(
        select(Profile.country).where(Profile.country.is_not(None)))}


def seed_ocps(system) -> int:
    """An official contact point for every demo country that has none in force."""
    created = 0
    for country in sorted(demo_countries()):
        if country not in OCPS or designations.holders("ocp", country):
            continue
        name, email, org = OCPS[country]
        user = accounts.find_by_email(email) or accounts.create_user(
            email, name, None, status=UserStatus.ACTIVE)
        fill_profile(system, user, (country, org, "government", "ocp",
                                    ["Legislation and enforcement"], [], ""))
        if not designations.is_current(user, "ocp", country):
            _designate(system, user, "ocp", country)
        created += 1
    db.session.commit()
    return created
