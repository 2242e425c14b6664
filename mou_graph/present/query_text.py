"""The user-interface texts of the query page (server and static site), Thai and English; merged into
:data:`mou_graph.present.pages.MESSAGES`. Texts the page's script fills in carry ``{name}`` slots."""

from __future__ import annotations

__all__ = ["QUERY_MESSAGES"]

QUERY_MESSAGES: dict[str, dict[str, str]] = {
    "query": {"th": "ถามข้อมูล", "en": "Ask the data"},
    "q_title": {"th": "คำถามสำหรับนักวิเคราะห์", "en": "Questions for analysts"},
    "q_intro": {"th": "เลือกคำถาม กรอกหรือเลือกค่า แล้วกด ค้น ผลลัพธ์แสดงใต้คำถามนั้น วันที่ใส่เป็น ค.ศ. หรือ พ.ศ. ก็ได้ "
                      "(ปีตั้งแต่ 2400 อ่านเป็น พ.ศ. และหักออก 543)",
                "en": "Pick a question, fill in or pick its values and press Run; the answer appears under the "
                      "question. Dates may be Common Era or Buddhist Era (a year of 2400 or more is read as "
                      "Buddhist Era: 543 is subtracted)."},
    "q_catalogue": {"th": "คลังคำถาม", "en": "Catalogue"},
    "q_run": {"th": "ค้น", "en": "Run"},
    "q_show": {"th": "ดู SPARQL", "en": "Show SPARQL"},
    "q_free": {"th": "คำค้น SPARQL", "en": "SPARQL query"},
    "q_free_label": {"th": "ข้อความคำค้น SPARQL", "en": "SPARQL query text"},
    "q_results": {"th": "ผลลัพธ์", "en": "Results"},
    "q_choices": {"th": "เลือกจากรายการ หรือพิมพ์ชื่อ", "en": "pick from the list, or type a name"},
    "q_type_date": {"th": "วันที่ ค.ศ. หรือ พ.ศ. (ปี-เดือน-วัน)", "en": "date, CE or BE (year-month-day)"},
    "q_type_iri": {"th": "สิ่งในกราฟ (ชื่อหรือ IRI)", "en": "a thing in the graph (name or IRI)"},
    "q_type_string": {"th": "ข้อความ", "en": "text"},
    "q_type_integer": {"th": "จำนวนเต็ม", "en": "whole number"},
    "q_offline": {"th": "สำเนาออฟไลน์: คำถามทำงานในหน้านี้ด้วย Oxigraph (WebAssembly) บนข้อมูลของสำเนานี้",
                  "en": "Offline copy: the questions run in this page with Oxigraph (WebAssembly) on this copy's data"},
    # filled in by the page's script
    "q_running": {"th": "กำลังค้น…", "en": "Running…"},
    "q_loading": {"th": "กำลังเตรียมข้อมูล…", "en": "Loading the data…"},
    "q_rows": {"th": "{n} แถว", "en": "{n} rows"},
    "q_triples": {"th": "{n} ทริเพิล", "en": "{n} triples"},
    "q_true": {"th": "จริง", "en": "true"},
    "q_false": {"th": "เท็จ", "en": "false"},
    "q_download": {"th": "ดาวน์โหลด", "en": "Download"},
    "q_error": {"th": "ค้นไม่สำเร็จ", "en": "The query failed"},
    "q_table": {"th": "ตารางผลลัพธ์ (เลื่อนดูด้านข้างได้)", "en": "Results table (scrolls sideways)"},
    "q_be_note": {"th": "{param}: {given} อ่านเป็นวันที่แบบพุทธศักราช (พ.ศ. {be} = ค.ศ. {ce}): {iso}",
                  "en": "{param}: {given} was read as a Buddhist-Era date (year {be} BE = {ce} CE): {iso}"},
    "q_label_note": {"th": "{param}: '{given}' คือ {iri}", "en": "{param}: '{given}' was read as the entity {iri}"},
    "q_not_date": {"th": "{param}: '{given}' ไม่ใช่วันที่ (ปี-เดือน-วัน เช่น 2026-12-01 หรือ 2569-12-01 แบบพุทธศักราช)",
                   "en": "{param}: '{given}' is not a date (YYYY-MM-DD)"},
    "q_no_label": {"th": "{param}: ไม่มีสิ่งใดในกราฟที่มีชื่อ '{given}' (ใส่ชื่อเต็ม หรือ IRI)",
                   "en": "{param}: no entity of the graph is labelled '{given}' (give its label in full, or its IRI)"},
    "q_many_labels": {"th": "{param}: '{given}' เป็นชื่อของหลายสิ่ง ({iris}) โปรดระบุ IRI",
                      "en": "{param}: '{given}' is the label of several entities ({iris}): give the IRI"},
    "q_not_iri": {"th": "{param}: '{given}' ไม่ใช่ IRI", "en": "{param}: '{given}' is not an IRI"},
    "q_not_integer": {"th": "{param}: '{given}' ไม่ใช่จำนวนเต็ม", "en": "{param}: '{given}' is not an integer"},
    "q_not_value": {"th": "{param}: '{given}' ไม่ใช่ค่าที่ใช้ได้ ({values})",
                    "en": "{param}: '{given}' is not one of {values}"},
    "q_missing": {"th": "ขาดค่าของ {param}", "en": "missing parameter {param}"},
}
