"""The article's facts, one by one, asked of the graph through SPARQL.

Expected values are written here from the source article (data/source/), not read back
from data/: each test is a claim about the article that the graph must hold.
"""

from __future__ import annotations

import pytest

from .conftest import BASE, ROOT

P = f"""
PREFIX id: <{BASE}>
PREFIX mou: <https://w3id.org/mou-graph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""
MOU = f"<{BASE}mou/th-la-digital-2022>"


def _solutions(store, body):
    result = store.query(P + body)
    names = [v.value for v in result.variables]
    for sol in result:
        yield {n: (sol[n].value if sol[n] is not None else None) for n in names}


def values(store, body: str, var: str = "x") -> set[str]:
    return {r[var] for r in _solutions(store, body)}


def label(store, iri: str, lang: str) -> set[str]:
    return values(store, f'SELECT ?x WHERE {{ <{iri}> rdfs:label|skos:prefLabel ?x FILTER(lang(?x) = "{lang}") }}')


def test_the_mou_is_a_memorandum_with_labels_in_both_languages(store):
    assert store.ask(P + f"ASK {{ {MOU} a mou:MemorandumOfUnderstanding }}")
    (th,) = label(store, MOU[1:-1], "th")
    (en,) = label(store, MOU[1:-1], "en")
    assert "บันทึกความเข้าใจ" in th
    assert "Memorandum of Understanding" in en


def test_two_parties_the_two_ministries_with_their_countries(store):
    got = {(r["th"], r["en"], r["cth"]) for r in _solutions(store, f"""
        SELECT ?th ?en ?cth WHERE {{ {MOU} mou:party ?m . ?m a mou:Ministry ;
          rdfs:label ?th, ?en ; mou:country ?c . ?c rdfs:label ?cth .
          FILTER(lang(?th) = "th" && lang(?en) = "en" && lang(?cth) = "th") }}""")}
    assert len(got) == 2
    names = {th for th, _, _ in got}
    assert "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม" in names
    assert any("กระทรวงเทคโนโลยีและการสื่อสาร" in n for n in names)
    en = {e for _, e, _ in got}
    assert "Ministry of Digital Economy and Society" in en
    assert any("Ministry of Technology and Communications" in e for e in en)
    countries = {c for _, _, c in got}
    assert any("ไทย" in c for c in countries)
    assert "สาธารณรัฐประชาธิปไตยประชาชนลาว" in countries


@pytest.mark.parametrize(("given_th", "family_th", "honorific_th", "honorific_en", "name_en", "ministry_th"), [
    ("ชัยวุฒิ", "ธนาคมานุสรณ์", "นาย", "Mr.", "Chaiwut Thanakamanusorn", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม"),
    ("บ่อเวียงคำ", "วงดาลา", "ศ.ดร.", "Prof. Dr.", "Boviengkham Vongdara", "กระทรวงเทคโนโลยีและการสื่อสาร"),
])
def test_each_minister_signed_holds_a_post_in_a_party_and_keeps_the_honorific_apart(
        store, given_th, family_th, honorific_th, honorific_en, name_en, ministry_th):
    found = list(_solutions(store, f"""
        SELECT ?p ?label ?en ?hth ?hen ?ministry WHERE {{
          {MOU} mou:signatory ?p ; mou:party ?m .
          ?p a schema:Person ; schema:givenName "{given_th}"@th ; schema:familyName "{family_th}"@th ;
             rdfs:label ?label, ?en ; schema:honorificPrefix ?hth, ?hen ;
             org:holds ?post . ?post org:postIn ?m . ?m rdfs:label ?ministry .
          FILTER(lang(?label) = "th" && lang(?en) = "en" && lang(?hth) = "th" && lang(?hen) = "en"
                 && lang(?ministry) = "th") }}"""))
    assert len(found) == 1, found
    r = found[0]
    assert r["label"] == f"{given_th} {family_th}"  # the name, without the honorific
    assert r["hth"] == honorific_th and r["hen"] == honorific_en
    assert r["en"] == name_en
    assert r["ministry"].startswith(ministry_th)


def test_signing_and_entry_into_force_on_7_november_2022(store):
    (r,) = _solutions(store, f"SELECT ?s ?e WHERE {{ {MOU} mou:signingDate ?s ; mou:entryIntoForceDate ?e }}")
    assert r == {"s": "2022-11-07", "e": "2022-11-07"}


@pytest.mark.parametrize(("prop", "start", "end", "duration", "automatic"), [
    ("initialTerm", "2022-11-07", "2027-11-07", "P5Y", None),
    ("extensionTerm", "2027-11-07", "2030-11-07", "P3Y", "true"),
    ("totalTerm", "2022-11-07", "2030-11-07", "P8Y", None),
])
def test_terms_five_years_then_three_by_automatic_extension_eight_in_all(store, prop, start, end, duration,
                                                                        automatic):
    (r,) = _solutions(store, f"""SELECT ?s ?e ?d ?a WHERE {{ {MOU} mou:{prop} ?t .
        ?t a mou:Term ; schema:startDate ?s ; schema:endDate ?e ; time:hasXSDDuration ?d .
        OPTIONAL {{ ?t mou:automatic ?a }} }}""")
    assert (r["s"], r["e"], r["d"]) == (start, end, duration)
    if automatic:
        assert r["a"] == automatic


def test_principles_equality_reciprocity_mutual_benefit_and_the_law(store):
    th = values(store, f"""SELECT ?x WHERE {{ {MOU} mou:principle ?p . ?p a mou:Principle ;
        rdfs:label ?x FILTER(lang(?x) = "th") }}""")
    joined = " | ".join(th)
    for word in ("เท่าเทียม", "ต่างตอบแทน", "ผลประโยชน์ร่วมกัน", "กฎหมายและระเบียบ"):
        assert word in joined, word
    en = " | ".join(values(store, f"""SELECT ?x WHERE {{ {MOU} mou:principle ?p .
        ?p rdfs:label ?x FILTER(lang(?x) = "en") }}""")).lower()
    for word in ("equality", "reciprocity", "mutual benefit", "laws and regulations"):
        assert word in en, word


def test_objectives(store):
    th = " | ".join(values(store, f"""SELECT ?x WHERE {{ {MOU} mou:objective ?o . ?o a mou:Objective ;
        rdfs:label ?x FILTER(lang(?x) = "th") }}"""))
    for words in ("การค้า", "เทคนิค", "เศรษฐกิจ", "สังคม", "วัฒนธรรม", "ระยะยาว"):
        assert words in th, words


def test_scope_is_the_four_sectors(store):
    en = {x.lower() for x in values(store, f"""SELECT ?x WHERE {{ {MOU} mou:scope ?a .
        ?a skos:prefLabel ?x FILTER(lang(?x) = "en") }}""")}
    assert len(en) == 4
    joined = " | ".join(en)
    for word in ("postal", "telecommunications", "information and communication", "digital technology"):
        assert word in joined, word


AREAS_TH = [
    "รัฐบาลดิจิทัล", "เศรษฐกิจดิจิทัล", "เมืองอัจฉริยะ", "ทักษะด้านดิจิทัล", "ธุรกรรมทางอิเล็กทรอนิกส์",
    "ความมั่นคงปลอดภัยทางไซเบอร์", "ฮาร์ดแวร์", "ซอฟต์แวร์", "ดิจิทัลคอนเทนต์", "บรอดแบนด์",
    "ข้อมูลขนาดใหญ่", "อินเทอร์เน็ตเพื่อสรรพสิ่ง", "คลาวด์คอมพิวติ้ง", "การรู้เท่าทันดิจิทัล",
    "การพาณิชย์อิเล็กทรอนิกส์", "การพัฒนาทรัพยากรมนุษย์", "อีคอมเมิร์ซไร้พรมแดน", "แลกเปลี่ยนความรู้และประสบการณ์",
    "วิสาหกิจ", "การวิจัย", "สาขาอื่น ๆ",
]


@pytest.mark.parametrize("word", AREAS_TH)
def test_every_area_the_article_names_is_an_area_of_the_mou(store, word):
    found = values(store, f"""SELECT ?x WHERE {{ {MOU} mou:area ?a . ?a a mou:CooperationArea ;
        skos:inScheme ?scheme ; skos:prefLabel ?x FILTER(lang(?x) = "th") }}""")
    squeezed = {x.replace(" ", "") for x in found}
    assert any(word.replace(" ", "") in x for x in squeezed), word


@pytest.mark.parametrize(("parent", "children"), [
    ("นวัตกรรม", {"ข้อมูลขนาดใหญ่", "อินเทอร์เน็ตเพื่อสรรพสิ่ง", "คลาวด์คอมพิวติ้ง"}),
    ("อุตสาหกรรม", {"ฮาร์ดแวร์", "ซอฟต์แวร์", "ดิจิทัลคอนเทนต์"}),
    # "โอกาสด้านดิจิทัล เช่น A, B และการพาณิชย์อิเล็กทรอนิกส์": the pattern that puts cloud computing under innovation
    ("โอกาสด้านดิจิทัล", {"การรู้เท่าทันดิจิทัล", "การพาณิชย์อิเล็กทรอนิกส์"}),
    # "ไอที ดิจิทัลการค้าในรูปแบบของการซื้อขายสินค้าอีคอมเมิร์ซไร้พรมแดน": trade, in the form of borderless e-commerce
    ("การค้า", {"การซื้อขายสินค้าอีคอมเมิร์ซไร้พรมแดน"}),
])
def test_area_hierarchy_as_the_article_groups_it(store, parent, children):
    found = {(r["p"], r["c"].replace(" ", "")) for r in _solutions(store, """
        SELECT ?p ?c WHERE { ?child skos:broader ?parent .
          ?parent skos:prefLabel ?p FILTER(lang(?p) = "th") ?child skos:prefLabel ?c FILTER(lang(?c) = "th") }""")}
    for child in children:
        assert any(parent in p and child in c for p, c in found), (parent, child)


def _squeezed_source(store) -> str:
    return store.settings.source.read_text(encoding="utf-8").replace("\u00a0", " ")


def test_e_commerce_is_an_example_of_digital_opportunity_not_a_top_concept(store):
    assert not store.ask(P + """ASK { ?a skos:prefLabel "การพาณิชย์อิเล็กทรอนิกส์"@th ; skos:topConceptOf ?s }""")
    assert store.ask(P + """ASK { ?a skos:prefLabel "การพาณิชย์อิเล็กทรอนิกส์"@th ; skos:broader ?p .
        ?p skos:prefLabel "โอกาสด้านดิจิทัล"@th }""")
    (quote,) = values(store, """SELECT ?x WHERE { ?e mou:about ?a ; mou:property skos:broader ; mou:quote ?x .
        ?a skos:prefLabel "การพาณิชย์อิเล็กทรอนิกส์"@th }""")
    assert quote.replace("\u00a0", " ").startswith("โอกาสด้านดิจิทัล เช่น") and quote.endswith("(e - Commerce)")


def test_the_closing_statement_reads_it_and_digital_then_trade_not_digital_trade(store):
    assert not values(store, """SELECT ?x WHERE { ?a skos:prefLabel ?x FILTER(LCASE(STR(?x)) = "digital trade") }""")
    mentioned = values(store, f"""SELECT ?x WHERE {{ {MOU} mou:statement ?s . ?s mou:quotation ?q ; mou:mentions ?a .
        ?a skos:prefLabel ?x FILTER(lang(?x) = "en") FILTER(CONTAINS(STR(?q), "ดิจิทัลการค้า")) }}""")
    assert {"Information technology", "Digital technology", "Trade"} <= mentioned
    (t,) = values(store, """SELECT ?x WHERE { ?s mou:quotation ?q ; mou:translation ?x
        FILTER(CONTAINS(STR(?q), "ดิจิทัลการค้า")) }""")
    assert "IT and digital; trade in the form of borderless e-commerce" in t
    assert "digital trade" not in t.lower()
    # the other reading is kept as a search form
    assert "การค้าดิจิทัล" in values(store, """SELECT ?x WHERE { ?a skos:prefLabel "การค้า"@th ; skos:altLabel ?x }""")


def test_other_fields_is_an_area_and_the_enterprise_definition_adds_no_word(store):
    assert store.ask(P + f"""ASK {{ {MOU} mou:area ?a . ?a skos:prefLabel "สาขาอื่น ๆ"@th , "Other fields"@en }}""")
    (d,) = values(store, """SELECT ?x WHERE { ?a skos:prefLabel "การส่งเสริมและอำนวยความสะดวกให้แก่วิสาหกิจ"@th ;
        skos:definition ?x FILTER(lang(?x) = "th") }""")
    assert d in _squeezed_source(store), d
    assert "สาขาอื่น" not in d


def test_the_headlines_purpose_is_an_objective(store):
    th = values(store, f"""SELECT ?x WHERE {{ {MOU} mou:objective ?o . ?o rdfs:label ?x FILTER(lang(?x) = "th") }}""")
    assert "รองรับการพัฒนาดิจิทัลและอีคอมเมิร์ซ" in th


def test_cloud_computing_is_found_by_its_search_forms(store):
    alt = values(store, """SELECT ?x WHERE { ?a skos:prefLabel ?en ; skos:altLabel|skos:prefLabel ?x .
        FILTER(LCASE(STR(?en)) = "cloud computing") }""")
    assert "คลาวด์คอมพิวติ้ง" in alt


ACTIVITIES_EN = ["information", "visits", "meetings", "consultations", "experts", "representatives",
                 "joint projects", "start-up", "exhibitions", "training", "workshops", "seminars", "other"]


@pytest.mark.parametrize("word", ACTIVITIES_EN)
def test_every_activity(store, word):
    en = values(store, f"""SELECT ?x WHERE {{ {MOU} mou:activity ?a . ?a a mou:CooperationActivity ;
        rdfs:label ?x FILTER(lang(?x) = "en") }}""")
    assert any(word in x.lower() for x in en), (word, en)


def test_statements_are_verbatim_quotations_with_translations(store):
    text = (store.settings.source).read_text(encoding="utf-8")
    found = list(_solutions(store, f"""SELECT ?s ?q ?t ?who WHERE {{ {MOU} mou:statement ?s .
        ?s mou:quotation ?q ; mou:translation ?t ; mou:speaker ?p . ?p rdfs:label ?who FILTER(lang(?who) = "en") }}"""))
    assert len(found) >= 3
    for r in found:
        assert r["q"] in text, "a quotation is not verbatim"
        assert len(r["t"]) > 40
    assert {r["who"] for r in found} == {"Chaiwut Thanakamanusorn", "Boviengkham Vongdara"}


@pytest.mark.parametrize(("clause", "ends"), [
    ("กล่าวว่า", "ออกไปอีก\u00a03\u00a0ปี"),            # the main paragraph: the signing, the terms
    ("กล่าวต่อไปอีกว่า", "สาขาอื่น\u00a0ๆ"),  # the framework list, to its last item
])
def test_chaiwuts_reported_speech_is_a_statement_with_the_words_after_the_reporting_clause(store, clause, ends):
    text = store.settings.source.read_text(encoding="utf-8")
    found = list(_solutions(store, f"""SELECT ?q ?t WHERE {{ {MOU} mou:statement ?s . ?s mou:directQuote false ;
        mou:quotation ?q ; mou:translation ?t ; mou:speaker ?p . ?p rdfs:label "Chaiwut Thanakamanusorn"@en }}"""))
    mine = [r for r in found if r["q"].endswith(ends)]
    assert len(mine) == 1, [r["q"][:40] for r in found]
    q = mine[0]["q"]
    at = text.index(q)
    assert text[:at].rstrip(" \u00a0").endswith(clause)  # the words right after "... กล่าวว่า"
    assert len(mine[0]["t"]) > 300


def test_the_framework_list_is_attributed_to_chaiwut(store):
    areas = values(store, """SELECT ?x WHERE { ?s mou:quotation ?q ; mou:mentions ?a ; mou:speaker ?p .
        ?p rdfs:label "Chaiwut Thanakamanusorn"@en . ?a skos:prefLabel ?x FILTER(lang(?x) = "en")
        FILTER(STRSTARTS(STR(?q), "กรอบความร่วมมือของทั้งสองฝ่าย")) }""")
    for area in ("Digital government", "Smart city", "Cloud computing", "E-commerce", "Other fields"):
        assert area in areas, area


def test_contact_points_are_marked_personal(store):
    people = list(_solutions(store, f"""SELECT ?p ?tel WHERE {{ {MOU} mou:contactPoint ?p .
        ?p mou:personalData true ; schema:telephone ?tel }}"""))
    assert len(people) == 5
    assert any(r["tel"].replace("-", "").replace(" ", "") == "0830981034" for r in people)


def test_source_article_is_described(store):
    (r,) = _solutions(store, """SELECT ?url ?date ?lang ?sha WHERE { ?d a mou:SourceDocument ; schema:url ?url ;
        dcterms:issued ?date ; dcterms:language ?lang ; mou:sha256 ?sha }""".replace(
        "SELECT", "PREFIX dcterms: <http://purl.org/dc/terms/>\nSELECT", 1))
    assert r["url"] == "https://www.thaigov.go.th/news/contents/details/61364"
    assert r["date"] == "2022-11-07" and r["lang"] == "th"
    assert r["sha"] == "2b1790cfa6cad125b6cea962002de3de84d37d8983fdf974ded309d0ced813fd"


def test_every_fact_has_evidence_and_every_quote_is_in_its_sentence(store):
    missing = list(_solutions(store, """
        SELECT DISTINCT ?s ?p WHERE {
          GRAPH ?g { ?s ?p ?o }
          VALUES ?g { <https://w3id.org/mou-graph/graph/data> <https://w3id.org/mou-graph/graph/areas>
                      <https://w3id.org/mou-graph/graph/personal> }
          FILTER (?p != rdf:type)
          FILTER NOT EXISTS { ?s a mou:Claim }
          FILTER NOT EXISTS { ?ont mou:editorialProperty ?p }
          FILTER NOT EXISTS { ?e a mou:Evidence ; mou:about ?s ; mou:property ?p }
          FILTER NOT EXISTS { ?c a mou:Claim ; rdf:subject ?s ; rdf:predicate ?p ; mou:support ?sup }
        }""".replace("SELECT", "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nSELECT", 1)))
    assert missing == []
    bad = list(_solutions(store, """SELECT ?e ?q WHERE { ?e a mou:Evidence ; mou:quote ?q .
        FILTER NOT EXISTS { ?e prov:wasDerivedFrom ?s . ?s nif:anchorOf ?t FILTER(CONTAINS(STR(?t), STR(?q))) } }"""))
    assert bad == []
    # a quotation (ontology 0.2) is the text between its offsets, inside the sentences it is derived from
    spans = list(_solutions(store, """SELECT ?q ?b ?e ?sb ?se WHERE { ?x a mou:Quotation ; mou:quote ?q ;
        nif:beginIndex ?b ; nif:endIndex ?e ; prov:wasDerivedFrom ?s . ?s nif:beginIndex ?sb ; nif:endIndex ?se }"""))
    assert spans
    text = (ROOT / "data/source/thaigov-61364.th.txt").read_text(encoding="utf-8")
    for r in spans:
        b, e = int(r["b"]), int(r["e"])
        assert text[b:e] == r["q"] and int(r["sb"]) < e and b < int(r["se"]), r


def test_nothing_the_article_does_not_say(store):
    # no place of signing (of the 2022 MoU: other records place theirs where a report does), no external
    # identifiers, no facts in the ontology's name
    assert not store.ask(P + f"""ASK {{ {{ {MOU} (mou:event/mou:place)|schema:location|prov:atLocation ?o }}
        UNION {{ ?s owl:sameAs ?o }} }}""".replace("ASK", "PREFIX owl: <http://www.w3.org/2002/07/owl#>\nASK", 1))
    assert store.ask(P + "ASK { ?e mou:place ?o }")  # the check can see a place where there is one


def test_thai_labels_are_clean_and_typos_corrected(store):
    labels = values(store, """SELECT ?x WHERE { ?s rdfs:label|skos:prefLabel|skos:altLabel ?x }""")
    for text in labels:
        assert "\u00a0" not in text and "  " not in text and text == text.strip(), repr(text)
        for typo in ("เอชน", "ความมั่งคง", "ความร่วมยังมี"):
            assert typo not in text


# ບໍ່ວຽງຄຳ ວົງດາລາ, with ຳ (U+0EB3)
LAO_NAME = "\u0e9a\u0ecd\u0ec8\u0ea7\u0ebd\u0e87\u0e84\u0eb3 \u0ea7\u0ebb\u0e87\u0e94\u0eb2\u0ea5\u0eb2"


@pytest.mark.parametrize(("iri", "prop", "lao"), [
    ("person/boviengkham-vongdara", "rdfs:label", LAO_NAME),
    ("person/boviengkham-vongdara", "skos:altLabel", LAO_NAME.replace("\u0eb3", "\u0ecd\u0eb2")),  # ໍ + າ, as typed
    ("post/mtc-lao-minister", "rdfs:label", "ລັດຖະມົນຕີ ກະຊວງເຕັກໂນໂລຊີ ແລະ ການສື່ສານ"),
    ("org/mtc-lao", "skos:altLabel", "ຕສ"),
    ("country/lao-pdr", "skos:altLabel", "ສປປ ລາວ"),
])
def test_lao_labels_are_as_the_lao_press_writes_them_and_cite_it(store, iri, prop, lao):
    s = f"<{BASE}{iri}>"
    assert lao in values(store, f'SELECT ?x WHERE {{ {s} {prop} ?x FILTER(lang(?x) = "lo") }}')
    seen = values(store, f"SELECT ?x WHERE {{ {s} rdfs:seeAlso ?x }}")
    assert any(u.startswith("https://pasaxon.org.la/") for u in seen), seen
    notes = {lang: values(store, f'SELECT ?x WHERE {{ {s} skos:editorialNote ?x FILTER(lang(?x) = "{lang}") }}')
             for lang in ("th", "en")}
    for lang, found in notes.items():
        assert any("Pasaxon" in n and "pasaxon.org.la" in n for n in found), (lang, found)


def test_the_mous_sides_are_participants_not_parties(store):
    assert label(store, "https://w3id.org/mou-graph/ontology#party", "en") == {"participant"}
    assert label(store, "https://w3id.org/mou-graph/ontology#party", "th") == {"ผู้เข้าร่วม"}
    assert "ผู้เข้าร่วมทั้งสองฝ่าย" in _squeezed_source(store)


@pytest.mark.parametrize(("iri", "lang", "want"), [
    ("area/internet-security", "en", "Internet security"),
    ("area/regulatory-practices-and-policy", "en", "Regulatory practices and policies"),
    ("mou/th-la-digital-2022/term/total", "en", "Total cooperation period of 8 years"),
    ("scheme/areas", "th", "สาขาความร่วมมือ"),  # one Thai word for the notion: the ontology's CooperationArea
])
def test_labels_in_the_words_the_project_settled_on(store, iri, lang, want):
    assert label(store, BASE + iri, lang) == {want}


def test_one_thai_word_for_a_cooperation_area(store):
    assert label(store, "https://w3id.org/mou-graph/ontology#CooperationArea", "th") == {"สาขาความร่วมมือ"}
    notes = " ".join(values(store, """SELECT ?x WHERE { ?a a mou:CooperationArea ; skos:editorialNote ?x }"""))
    assert "ด้านความร่วมมือ" not in notes


def test_statement_labels_keep_the_speakers_honorific(store):
    rows = list(_solutions(store, f"""SELECT ?th ?en ?hth ?hen WHERE {{ {MOU} mou:statement ?s .
        ?s rdfs:label ?th, ?en ; mou:speaker ?p . ?p schema:honorificPrefix ?hth, ?hen
        FILTER(lang(?th) = "th" && lang(?en) = "en" && lang(?hth) = "th" && lang(?hen) = "en") }}"""))
    assert len(rows) == 5
    for r in rows:
        assert r["hth"] in r["th"] and r["en"].startswith(r["hen"] + " "), r


def test_the_lao_ministry_is_written_with_a_space_before_spp_lao(store):
    alt = values(store, f"""SELECT ?x WHERE {{ <{BASE}org/mtc-lao> skos:altLabel ?x FILTER(lang(?x) = "th") }}""")
    assert "กระทรวงเทคโนโลยีและการสื่อสารแห่ง สปป.ลาว" in alt
    labels = values(store, """SELECT ?x WHERE { ?s rdfs:label|skos:prefLabel|skos:altLabel ?x }""")
    assert not any("แห่งสปป" in x for x in labels)


def test_the_source_has_an_english_title(store):
    (t,) = values(store, """PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?x WHERE { ?d a mou:SourceDocument ; dcterms:title ?x FILTER(lang(?x) = "en") }""")
    assert t.startswith("DES and the Lao PDR's Ministry of Technology and Communications")


def test_the_translation_says_how_it_reads_the_misspelt_word(store):
    (t,) = values(store, """SELECT ?x WHERE { ?s mou:quotation ?q ; mou:translation ?x
        FILTER(CONTAINS(STR(?q), "ความมั่งคง")) }""")
    assert "security" in t and "misspelt" in t and "prosperity" in t
