"""Library search: full text, languages, facets, snippets with pages, sorting, access."""

import io

from pen import search
from pen.library import browse, samples, service, snippets
from pen.library.service import KIND
from tests.library.conftest import meta


def ids(results) -> list[int]:
    """The ids of the hits, in order."""
    return [hit.id for hit in results.hits]


def test_full_text_finds_the_page_of_the_hit(member, share, pdf_bytes, extract):
    document = share(member, "inventory.pdf", pdf_bytes)
    extract()
    found = browse.find(member, browse.Params(q="askarel"))
    assert ids(found.results) == [document.id]
    hit = found.results.hits[0]
    assert "<mark>askarel</mark>" in str(hit.snippet)
    assert found.pages[document.id] == "2"  # page labels: i, 1, 2, 3


def test_language_decides_the_stemmer_and_chinese_is_split_in_bigrams(member, share, extract):
    french = share(member, "guide.txt", "Les transformateurs contaminés sont éliminés.".encode(),
                   language="fr", title="Guide d'élimination")
    chinese = share(member, "report.txt", "多氯联苯的环境无害化管理".encode(), language="zh",
                    title="报告")
    extract()
    assert ids(search.search(KIND, member, "transformateur")) == [french.id]
    assert ids(search.search(KIND, member, "联苯")) == [chinese.id]


def test_facets_count_only_documents_the_member_may_open(admin, member, coordinator, group,
                                                        share, pdf_bytes, extract, topics):
    share(member, "a.txt", b"PCB inventory in Ghana", title="Ghana", topic_ids=[topics[0].id])
    share(admin, "b.txt", b"PCB inventory in Panama", title="Panama", access="group",
          group_id=group.id, doc_type="guideline", language="es")
    share(admin, "c.txt", b"PCB inventory for admins", title="Admins", access="admins",
          year=2011)
    extract()
    outsider = browse.find(member, browse.Params(q="inventory"))
    assert outsider.results.total == 1
    assert outsider.results.facets["doc_type"] == [("inventory", 1)]
    assert outsider.results.facets["language"] == [("en", 1)]
    assert outsider.results.facets["group"] == []
    assert outsider.labels["topic"] == {str(topics[0].id): "PCB inventories"}
    insider = browse.find(coordinator, browse.Params(q="inventory"))
    assert insider.results.total == 2
    assert dict(insider.results.facets["group"]) == {str(group.id): 1}
    assert insider.labels["group"] == {str(group.id): group.name}
    everything = browse.find(admin, browse.Params(q="inventory"))
    assert everything.results.total == 3


def test_snippets_never_come_from_documents_one_cannot_open(admin, member, share, extract):
    share(admin, "secret.txt", b"Confidential askarel seizure at the border", access="admins",
          title="Seizure")
    extract()
    results = search.search(KIND, member, "askarel")
    assert results.total == 0 and results.hits == []
    unified = search.search_all(member, "askarel", kinds=[KIND])[KIND]
    assert unified.hits == [] and "Confidential" not in str(unified)
    assert all(counts == [] for counts in unified.facets.values())
    assert search.search(KIND, member, "seizur").suggestion is None


def test_filters_and_sorting(member, share, extract):
    old = share(member, "old.txt", b"transformer labelling", title="Old", year=2005)
    new = share(member, "new.txt", b"transformer disposal", title="New", year=2011,
                doc_type="guideline")
    extract()
    by_year = browse.find(member, browse.Params(sort="year"))
    assert ids(by_year.results) == [new.id, old.id]
    only_guidelines = browse.find(member, browse.Params(filters={"doc_type": ["guideline"]}))
    assert ids(only_guidelines.results) == [new.id]
    by_date = browse.find(member, browse.Params(sort="newest"))
    assert ids(by_date.results)[0] == new.id


def test_the_index_follows_a_new_version_and_a_change_of_access(member, admin, share, extract):
    document = share(member, "notes.txt", b"capacitor labelling", title="Notes")
    extract()
    service.add_version(member, document, "notes.txt", io.BytesIO(b"dechlorination plant"))
    extract()
    assert ids(search.search(KIND, member, "dechlorination")) == [document.id]
    assert ids(search.search(KIND, member, "capacitor")) == []
    service.update_metadata(admin, document, meta(title="Notes", access="admins"))
    extract()
    assert ids(search.search(KIND, member, "dechlorination")) == []


def test_more_like_this_suggests_related_visible_documents(member, admin, share, extract):
    base = share(member, "a.txt", b"transformer oil sampling chlorine screening kits laboratory",
                 title="Sampling transformer oil")
    related = share(member, "b.txt", b"screening kits for transformer oil in the laboratory",
                    title="Screening kits")
    share(admin, "c.txt", b"transformer oil screening kits laboratory chlorine sampling",
          title="Hidden", access="admins")
    share(member, "d.txt", b"awards ceremony in Geneva", title="Awards")
    extract()
    similar = browse.more_like_this(member, base)
    assert [d.id for d in similar] == [related.id]


def test_magazine_editions_are_found_in_their_own_language(member, share, extract):
    english = share(member, "pen-en.pdf", samples.make_pdf(["PCB inventories: lessons learned"]),
                    title="PEN magazine no. 1", doc_type="magazine")
    service.add_edition(member, english, "es", "Revista PEN no. 1", "",
                        "pen-es.docx", io.BytesIO(samples.make_docx(["Inventarios de PCB"])))
    extract()
    found = browse.find(member, browse.Params(q="inventarios"))
    assert [found.documents[h.id].language for h in found.results.hits] == ["es"]


def test_snippet_of_a_long_text_shows_the_hit_and_its_page_even_without_accents(member, share,
                                                                                extract):
    pages = [f"Page {n}: inventaire des équipements et des transformateurs. " * 30
             for n in range(1, 9)]
    pages[6] += "La décontamination des condensateurs a eu lieu à Dakar."
    document = share(member, "rapport.pdf", samples.make_pdf(pages), language="fr",
                     title="Rapport national")
    extract()
    found = browse.find(member, browse.Params(q="decontamination dakar"))
    assert ids(found.results) == [document.id]
    assert "<mark>décontamination</mark>" in str(found.results.hits[0].snippet)
    assert found.pages[document.id] == "7"


def test_snippet_shows_the_passage_with_the_query_words_and_its_page(member, share, extract):
    # "finalists" and "finality" share the first letters of "finalize" but are other words:
    # the snippet and the page label are those of the passage the query's words are in.
    pages = [f"Page {n}: inventory of transformers and capacitors in service. " * 30
             for n in range(1, 8)]
    pages[1] += "The finalists of the award were announced; the finality of the list was clear."
    pages[4] += "Countries must finalize the disposal plan for their PCB inventory by 2028."
    document = share(member, "plan.pdf", samples.make_pdf(pages), language="en",
                     title="National plan")
    extract()
    found = browse.find(member, browse.Params(q="finalize disposal"))
    assert ids(found.results) == [document.id]
    snippet = str(found.results.hits[0].snippet)
    assert "<mark>finalize</mark>" in snippet and "<mark>disposal</mark>" in snippet
    assert "finalists" not in snippet
    assert found.pages[document.id] == "5"
    alone = browse.find(member, browse.Params(q="finalize"))
    assert "<mark>finalize</mark>" in str(alone.results.hits[0].snippet)
    assert alone.pages[document.id] == "5"  # the word itself before "finality" (same stem)


CHINESE_PAGES = ["库存清单的管理和处置。" * 40 for _ in range(8)]
CHINESE_PAGES[1] += "变压器的维护。"
CHINESE_PAGES[5] += "含多氯联苯的变压器已经处置。"


def test_a_chinese_snippet_shows_the_passage_with_every_query_word(member, share, extract):
    # Chinese has no spaces: the passage is where the query's words are, each matched as
    # written, not the first place one of them appears.
    document = share(member, "zh.txt", "".join(CHINESE_PAGES).encode(), language="zh",
                     title="国家计划")
    extract()
    found = browse.find(member, browse.Params(q="多氯联苯 变压器"))
    assert ids(found.results) == [document.id]
    snippet = str(found.results.hits[0].snippet)
    assert "<mark>多氯联苯</mark>" in snippet and "<mark>变压器</mark>" in snippet


def test_a_chinese_passage_gets_the_label_of_its_page():
    text, offsets = "", []
    for number, page in enumerate(CHINESE_PAGES, start=1):
        offsets.append((len(text), str(number)))
        text += page
    with snippets.tracking("多氯联苯 变压器") as pages:
        window = snippets.window(7, text, offsets)
    assert "含多氯联苯的变压器" in window
    assert pages == {7: "6"}


def test_the_reader_s_edition_of_a_work_comes_first(member, share, extract):
    english = share(member, "inv.txt", b"PCB inventory. PCB transformers. PCB oil.",
                    title="PCB inventory guidelines")
    russian = service.add_edition(member, english, "ru", "Руководство по инвентаризации",
                                  "", "inv-ru.txt",
                                  io.BytesIO("Инвентаризация PCB.".encode()))
    other = share(member, "caps.txt", b"PCB capacitors, PCB drums.", title="PCB capacitors")
    extract()
    english_reader = ids(search.search(KIND, member, "PCB", prefer_lang="en"))
    assert english_reader.index(english.id) < english_reader.index(russian.id)
    russian_reader = ids(search.search(KIND, member, "PCB", prefer_lang="ru"))
    assert russian_reader.index(russian.id) < russian_reader.index(english.id)
    assert set(russian_reader) == {english.id, russian.id, other.id}
