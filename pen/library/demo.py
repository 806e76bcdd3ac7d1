"""Demo documents drawn from the network's newsletter: the PEN magazine in six languages,
guidelines, inventory reports, a group's minutes and an administrators' report.

``seed`` adds them only to a library that is empty, so it is safe on every
``make run``; the files are made on the fly (``samples``) and their text is
extracted at once, so search works as soon as the site is up.
"""

import io

from sqlalchemy import func, select

from ..auth.models import User
from ..extensions import db
from ..groups.models import Group
from ..members.models import ExpertiseArea
from . import extraction, samples, service
from .models import Document

MAGAZINE_PAGES = [
    "PEN magazine - Issue 1 - December 2010. PCB inventories: national experiences and "
    "lessons learned. Articles prepared by PEN members on the topic of PCB inventories "
    "include national experiences, regional overviews, step-by-step approaches on "
    "inventories, project updates and a PEN members' contact list.",
    "Step by step: planning a national PCB inventory. Identify owners of transformers and "
    "capacitors, visit sites, read nameplates, and sample the oil of equipment of unknown "
    "status. Record each item with its serial number, location and weight.",
    "National experience: the inventory in Viet Nam found PCB-containing transformers in "
    "distribution networks; sampling with chloride screening kits, confirmation by GC-ECD "
    "above 50 ppm.",
    "Regional overview: Africa, Asia-Pacific and Latin America. Interim storage of drained "
    "equipment and export for destruction remain the main challenges before 2028.",
]

# language, title, text of the edition (the magazine's other UN languages)
MAGAZINE_EDITIONS = [
    ("fr", "Magazine du PEN - Numéro 1 : les inventaires de PCB",
     ["Inventaires de PCB : expériences nationales et leçons apprises.",
      "Étape par étape : planifier un inventaire national des transformateurs et "
      "condensateurs contenant des PCB."]),
    ("es", "Revista PEN - Número 1: inventarios de PCB",
     ["Inventarios de PCB: experiencias nacionales y lecciones aprendidas.",
      "Paso a paso: cómo planificar un inventario nacional de transformadores."]),
    ("ar", "مجلة شبكة القضاء على مركبات PCB - العدد 1: جرد مركبات PCB",
     ["جرد مركبات ثنائي الفينيل متعدد الكلور: التجارب الوطنية والدروس المستفادة.",
      "خطوة بخطوة: تخطيط الجرد الوطني للمحولات والمكثفات."]),
    ("zh", "PEN 杂志 第1期：多氯联苯清单",  # noqa: RUF001 - on purpose
     ["多氯联苯清单：国家经验和教训。", "逐步规划变压器和电容器的国家清单。"]),  # noqa: RUF001 - on purpose
    ("ru", "Журнал PEN - Выпуск 1: инвентаризация ПХБ",
     ["Инвентаризация ПХБ: национальный опыт и извлечённые уроки.",
      "Шаг за шагом: планирование национальной инвентаризации трансформаторов."]),
]

# filename, metadata, pages (PDF) or paragraphs (DOCX) or text (TXT/MD)
DOCUMENTS = [
    ("nip-update-guidelines.pdf", {
        "title": "Guidelines for reviewing and updating National Implementation Plans",
        "doc_type": "guideline", "year": 2011, "authors": "Secretariat of the Stockholm "
        "Convention", "topics": ["Legislation and enforcement", "PCB inventories"],
        "description": "Developed with a GEF project: how Parties review and update their "
                       "NIPs after the **new POPs** amendments."},
     ["Reviewing and updating National Implementation Plans (NIPs).",
      "Step 1: assess the new POPs listed in the Convention in products and articles.",
      "Step 2: update the PCB inventory and the action plan for the elimination of PCBs in "
      "equipment by 2025 and their environmentally sound management by 2028.",
      "Step 3: report under Article 15 with the electronic reporting system."]),
    ("toolkit-dioxin-furan-2010.pdf", {
        "title": "Standardized Toolkit for Identification and Quantification of Dioxin and "
                 "Furan Releases: revised emission factors", "doc_type": "guideline",
        "year": 2010, "authors": "Expert meeting, Geneva, 1-3 December 2010",
        "topics": ["Sampling and analysis"],
        "description": "Revised general guidance on updating inventories and data quality "
                       "codes; new emission factors for metal industry, power generation, "
                       "mineral products and open burning."},
     ["The general guidance was revised to include the updating and revision of inventories "
      "and data quality codes.", "Dioxin emission factors were revised for source groups 2 "
      "(metal industry), 3 (power generation and heating), 4 (mineral products) and 6 (open "
      "burning processes)."]),
    ("panama-pops-inventory.docx", {
        "title": "Inventario de contaminantes orgánicos persistentes en Panamá",
        "doc_type": "case_study", "year": 2010, "country": "PA", "language": "es",
        "authors": "Centro Regional del Convenio de Estocolmo en Panamá",
        "topics": ["PCB inventories"],
        "description": "Caso presentado en el taller subregional de San Salvador (6-9 de "
                       "diciembre de 2010)."},
     ["Inventario de contaminantes orgánicos persistentes en Panamá.",
      "Se inspeccionaron transformadores de las empresas de distribución eléctrica y se "
      "tomaron muestras de aceite dieléctrico."]),
    ("viet-nam-pcb-inventory-2010.pdf", {
        "title": "National PCB inventory of Viet Nam: final report", "doc_type": "inventory",
        "year": 2010, "country": "VN", "authors": "Viet Nam Environment Administration",
        "topics": ["PCB inventories", "Transformers and capacitors"],
        "description": "Results of the national inventory of PCB-containing equipment."},
     ["Summary. 2,300 transformers were inspected in 2009 and 2010.",
      "Sampling: chloride screening kits, confirmation by gas chromatography above 50 ppm.",
      "Results: 12% of the sampled transformers contain more than 50 ppm of PCBs.",
      "Interim storage at Hai Phong; export for destruction planned."]),
    ("labelling-training.md", {
        "title": "Training: labelling PCB-containing equipment", "doc_type": "training",
        "year": 2011, "topics": ["Maintenance of PCB-containing equipment"],
        "description": "Slides notes for maintenance workshops."},
     "# Labelling PCB-containing equipment\n\n1. Read the nameplate.\n2. Sample the oil.\n"
     "3. Label the equipment *PCB*, *PCB-free* or *suspect* with the date of the test.\n"),
]

GROUP_MINUTES = ("minutes-panama-2011.docx", {
    "title": "Minutes of the first meeting of the Thematic Group on Maintenance (Panama City, "
             "15-18 February 2011)", "doc_type": "case_study", "year": 2011, "country": "PA",
    "access": "group", "topics": ["Maintenance of PCB-containing equipment"],
    "description": "Draft minutes, for the members of the group."},
    ["Participants agreed the work plan of the Thematic Group.",
     "Maintenance workshops will test transformer oil before servicing."])

ADMIN_REPORT = ("advisory-committee-2010.txt", {
    "title": "Report of the second meeting of the PEN Advisory Committee (29 November - 1 "
             "December 2010)", "doc_type": "legal", "year": 2010, "access": "admins",
    "description": "Endorsed the work plan of the thematic groups and the PEN Awards."},
    "The meeting endorsed the work plan for the thematic groups and decided on further "
    "activities of the Network. A PEN Awards function will be held at COP-5 in April 2011.")


def seed() -> int:
    """Add the demo documents to an empty library and extract their text; how many."""
    if db.session.scalar(select(func.count()).select_from(Document)):
        return 0
    admin = db.session.scalar(select(User).where(User.email == "admin@pen.example"))
    member = db.session.scalar(select(User).where(User.email == "member@pen.example"))
    if admin is None or member is None:
        return 0
    count = _seed_magazine(admin)
    for filename, values, content in DOCUMENTS:
        _share(member if values["doc_type"] == "inventory" else admin, filename, values, content)
        count += 1
    group = db.session.scalar(select(Group).where(Group.slug == "pcb-maintenance"))
    if group is not None:
        filename, values, content = GROUP_MINUTES
        _share(admin, filename, values | {"group_id": group.id}, content)
        count += 1
    _share(admin, *ADMIN_REPORT)
    while extraction.run_pending(20):
        pass
    return count + 1


def _seed_magazine(admin) -> int:
    """The magazine's first issue in English (PDF) and its other language editions."""
    english = _share(admin, "pen-magazine-1-en.pdf", {
        "title": "PEN magazine - Issue 1: PCB inventories", "doc_type": "magazine",
        "year": 2010, "authors": "PCBs Elimination Network",
        "topics": ["PCB inventories", "Awareness raising"],
        "description": "Launched in December 2010. National experiences and lessons learned, "
                       "regional overviews and step-by-step approaches on **PCB inventories**."},
        MAGAZINE_PAGES)
    for language, title, paragraphs in MAGAZINE_EDITIONS:
        service.add_edition(admin, english, language, title, "",
                            f"pen-magazine-1-{language}.docx",
                            io.BytesIO(samples.make_docx(paragraphs, title)))
    return 1 + len(MAGAZINE_EDITIONS)


def _share(actor, filename: str, values: dict, content) -> Document:
    """Upload one demo file with its metadata."""
    names = values.get("topics", [])
    topic_ids = list(db.session.scalars(select(ExpertiseArea.id)
                                        .where(ExpertiseArea.name.in_(names))))
    meta = service.Metadata(
        title=values["title"], description=values.get("description", ""),
        authors=values.get("authors", ""), doc_type=values["doc_type"],
        language=values.get("language", "en"), year=values.get("year"), topic_ids=topic_ids,
        country=values.get("country"), access=values.get("access", "network"),
        group_id=values.get("group_id"))
    return service.upload(actor, meta, filename, io.BytesIO(_file(filename, content)),
                          allow_duplicate=True)


def _file(filename: str, content) -> bytes:
    """The bytes of a demo file: a PDF of pages, a DOCX of paragraphs, or text."""
    if filename.endswith(".pdf"):
        return samples.make_pdf(content, roman_front=1 if len(content) > 2 else 0)
    if filename.endswith(".docx"):
        return samples.make_docx(content)
    return content.encode("utf-8")
