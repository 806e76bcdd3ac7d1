"""The demo's vocabulary in the five other languages: expertise terms, forum categories
and tags, award categories (``pen.vocabulary``), and three tags on the demo's topics."""

from sqlalchemy import select

from .. import vocabulary
from ..auth import service as accounts
from ..errors import ValidationError
from ..extensions import db
from ..forums import tags
from ..forums.models import Tag, Topic

# English name -> (ar, es, fr, ru, zh); a name used by several lists is translated once.
LABELS: dict[str, tuple[str, str, str, str, str]] = {
    "PCB inventories": (
        "جرد ثنائيات الفينيل متعددة الكلور", "Inventarios de PCB", "Inventaires de PCB",
        "Инвентаризация ПХБ", "多氯联苯清单编制"),
    "Maintenance of PCB-containing equipment": (
        "صيانة المعدات المحتوية على ثنائيات الفينيل متعددة الكلور",
        "Mantenimiento de equipos que contienen PCB",
        "Entretien des équipements contenant des PCB",
        "Техническое обслуживание оборудования, содержащего ПХБ", "含多氯联苯设备的维护"),
    "Transformers and capacitors": (
        "المحولات والمكثفات", "Transformadores y condensadores",
        "Transformateurs et condensateurs", "Трансформаторы и конденсаторы", "变压器和电容器"),
    "Environmentally sound disposal": (
        "التخلص السليم بيئيا", "Eliminación ambientalmente racional",
        "Élimination écologiquement rationnelle", "Экологически обоснованное удаление",
        "环境无害化处置"),
    "Decontamination": (
        "إزالة التلوث", "Descontaminación", "Décontamination", "Обеззараживание", "去污"),
    "Sampling and analysis": (
        "أخذ العينات والتحليل", "Muestreo y análisis", "Échantillonnage et analyse",
        "Отбор проб и анализ", "采样与分析"),
    "Legislation and enforcement": (
        "التشريعات وإنفاذها", "Legislación y control del cumplimiento",
        "Législation et contrôle de son application", "Законодательство и правоприменение",
        "立法与执法"),
    "Customs and illegal trade": (
        "الجمارك والاتجار غير المشروع", "Aduanas y comercio ilícito",
        "Douanes et commerce illicite", "Таможня и незаконная торговля", "海关与非法贸易"),
    "Waste management": (
        "إدارة النفايات", "Gestión de residuos", "Gestion des déchets", "Обращение с отходами",  # noqa: RUF001
        "废物管理"),
    "Co-processing in cement kilns": (
        "المعالجة المشتركة في أفران الأسمنت", "Coprocesamiento en hornos cementeros",
        "Co-traitement dans les fours à ciment", "Совместная переработка в цементных печах",
        "水泥窑协同处置"),
    "Alternatives to PCBs": (
        "بدائل ثنائيات الفينيل متعددة الكلور", "Alternativas a los PCB",
        "Solutions de remplacement des PCB", "Альтернативы ПХБ", "多氯联苯替代品"),
    "Awareness raising": (
        "التوعية", "Sensibilización", "Sensibilisation", "Повышение осведомлённости",
        "提高认识"),
    "Legislation and the Stockholm Convention": (
        "التشريعات واتفاقية استكهولم", "Legislación y Convenio de Estocolmo",
        "Législation et Convention de Stockholm", "Законодательство и Стокгольмская конвенция",
        "立法与《斯德哥尔摩公约》"),
    "Environmentally sound management of PCBs": (
        "الإدارة السليمة بيئيا لثنائيات الفينيل متعددة الكلور",
        "Gestión ambientalmente racional de los PCB",
        "Gestion écologiquement rationnelle des PCB",
        "Экологически обоснованное регулирование ПХБ", "多氯联苯的环境无害化管理"),
    "transformers": ("محولات", "transformadores", "transformateurs", "трансформаторы", "变压器"),
    "sampling": ("أخذ العينات", "muestreo", "échantillonnage", "отбор проб", "采样"),
    "disposal": ("التخلص", "eliminación", "élimination", "удаление", "处置"),
}

# tag name -> a word of the titles of the demo topics it goes on
TAGS = {"transformers": "transformer", "sampling": "testing", "disposal": "waste"}


def seed() -> int:
    """Tag the demo topics, then give every registered list's demo terms their labels
    (those they lack); how many labels were added."""
    _seed_tags()
    added = 0
    for kind in vocabulary.kinds().values():
        if kind.fixed:
            continue  # organisation types and roles: the message catalogues translate them
        found = {key: dict(zip(vocabulary.LOCALES, LABELS[english], strict=True))
                 for key, english in kind.terms() if english in LABELS}
        added += vocabulary.seed(kind.name, found)
    db.session.commit()
    return added


def _seed_tags() -> None:
    """Three tags, each on the demo topics whose title holds its word."""
    admin = accounts.find_by_email("admin@pen.example")
    if admin is None:
        return
    for name, word in TAGS.items():
        tag = db.session.scalar(select(Tag).where(Tag.name == name))
        if tag is not None:
            continue
        try:
            tag = tags.create(admin, name)
        except ValidationError:
            continue
        for topic in db.session.scalars(select(Topic).where(Topic.title.ilike(f"%{word}%"))):
            have = [t.id for t in tags.by_topic([topic.id]).get(topic.id, [])]
            tags.set_for_topic(admin, topic, [*have, tag.id])
