"""Text for the network-scale generator: six UN languages, Zipf-distributed words.

Each language mixes the domain words of the PEN (the same terms as the demo and the
per-area benches) with a few thousand generated filler words drawn by Zipf's law, so
that the index sees many frequent words, a long tail of rare ones, and a few fixed
phrases. Deterministic: the filler words come from a fixed seed.
"""

import itertools
import random

from bench.library import WORDS as LIBRARY_WORDS

DOMAIN = {
    **LIBRARY_WORDS,
    "ar": """جرد المحولات المكثفات التخلص إزالة التلوث أخذ العينات تحليل التشريعات الصيانة
        المعدات الزيت الإدارة السليمة بيئيا التخلص التدريجي وضع العلامات التخزين الحرق
        الجمارك التوعية ورشة عمل المرافق المختبر اتفاقية ستوكهولم النفايات الخطرة""".split(),
    "zh": """多氯联苯 清单 变压器 电容器 处置 去污 采样 分析 立法 维护 设备 油 环境无害化
        管理 逐步淘汰 标签 储存 焚烧 脱氯 海关 宣传 讲习班 电力公司 实验室 斯德哥尔摩公约
        危险废物""".split(),
}
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
LANGUAGE_WEIGHTS = (50, 15, 15, 7, 7, 6)
# Phrases put into some pages, so that a phrase query has real hits.
PHRASES = {
    "en": "environmentally sound management", "fr": "gestion écologiquement rationnelle",
    "es": "gestión ambientalmente racional", "ar": "الإدارة السليمة بيئيا",
    "ru": "экологически обоснованное регулирование", "zh": "环境无害化管理",
}
SYLLABLES = {
    "en": "ka lo mi ne tra po ru de sa vi con ter".split(),
    "fr": "la ré mo ti que eau pon dé vin cha ber".split(),
    "es": "ra do me lla cor ten pa si ga bu zo".split(),
    "ar": "با تا سا لا ما نا را كا دي مو في".split(),
    "ru": "ка ло ми не тра по ру де са ви стр".split(),  # noqa: RUF001 - Cyrillic
    "zh": "安 北 城 大 东 方 国 河 华 金 京 林 南 平".split(),
}
FILLER_WORDS = 3000
RARE_RANK = 2900  # a filler word this far down the Zipf list is found in few documents


def _vocabulary(language: str) -> tuple[list[str], list[float]]:
    """Words of one language and their cumulative Zipf weights (computed once: ``choices``
    would add up 3,000 weights on every call); domain words among the frequent ones."""
    rng = random.Random(f"pen-{language}")
    syllables = SYLLABLES[language]
    filler: set[str] = set()
    while len(filler) < FILLER_WORDS:
        filler.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    words = sorted(filler)
    rng.shuffle(words)
    for i, word in enumerate(DOMAIN[language]):
        words.insert(3 + i * 7, word)
    return words, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))


VOCABULARIES = {language: _vocabulary(language) for language in LANGUAGES}


def rare_word(language: str = "en") -> str:
    """A word of the long tail: in a handful of documents."""
    return VOCABULARIES[language][0][RARE_RANK]


def common_word(language: str = "en") -> str:
    """A frequent domain word."""
    return DOMAIN[language][0]


def words(rng: random.Random, language: str, count: int) -> list[str]:
    """``count`` words of ``language`` drawn by frequency."""
    vocabulary, cumulative = VOCABULARIES[language]
    return rng.choices(vocabulary, cum_weights=cumulative, k=count)


def page(rng: random.Random, language: str, chars: int) -> str:
    """About ``chars`` characters of sentences; one page in ten holds the fixed phrase."""
    per_word = 3 if language == "zh" else 8
    joiner = "" if language == "zh" else " "
    stop = "。" if language == "zh" else ". "
    sentences, size = [], 0
    while size < chars:
        sentence = joiner.join(words(rng, language, rng.randint(8, 20)))
        if rng.random() < 0.1 / max(1, chars // (per_word * 14)):
            sentence += joiner + PHRASES[language]
        sentences.append(sentence)
        size += len(sentence) + len(stop)
    return stop.join(sentences) + stop.strip()


def pages(rng: random.Random, language: str, count: int, chars: int) -> tuple[str, str]:
    """A document's text and its page offsets as stored in ``pages_json``."""
    parts, offsets, at = [], [], 0
    for number in range(1, count + 1):
        text = page(rng, language, chars)
        offsets.append(f"[{at}, \"{number}\"]")
        parts.append(text)
        at += len(text) + 2
    return "\n\n".join(parts), "[" + ", ".join(offsets) + "]"


def title(rng: random.Random, language: str) -> str:
    """A document title from the frequent words."""
    vocabulary = DOMAIN[language]
    joiner = "" if language == "zh" else " "
    return joiner.join(rng.sample(vocabulary, min(len(vocabulary), rng.randint(3, 6)))).title()
