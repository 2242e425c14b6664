"""``mou-graph review DRAFT``: a local page to review a draft (127.0.0.1 only).

The page shows the article with each proposal's words highlighted, beside the proposals (kind, value,
rule, confidence); the reviewer accepts, rejects or edits each and saves: ``POST /save`` applies the
decisions (:func:`mou_graph.ingest.review.apply_decisions`, all or nothing) and writes the draft back in
one rename. Only JSON from the page's own origin is taken (a form on another site cannot send it, and a
request whose ``Host`` or ``Origin`` is not this server's is refused), and the draft file is the only
thing it writes.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from ..lang import INGEST_LANGUAGES, pick

__all__ = ["create_review_app"]

TEXTS: dict[str, dict[str, str]] = {
    "title": {"th": "ตรวจร่างบันทึก", "en": "Review a draft record"},
    "article": {"th": "ข่าว", "en": "The release"},
    "proposals": {"th": "ข้อเสนอ", "en": "Proposals"},
    "accept": {"th": "ยอมรับ", "en": "Accept"},
    "reject": {"th": "ปฏิเสธ", "en": "Reject"},
    "undecided": {"th": "ยังไม่ตัดสิน", "en": "Undecided"},
    "save": {"th": "บันทึกลงไฟล์", "en": "Save to the file"},
    "rule": {"th": "เหตุผล", "en": "Rule"},
    "confidence": {"th": "ความมั่นใจ", "en": "Confidence"},
    "quote": {"th": "ถ้อยคำ", "en": "Words"},
    "state": {"th": "สถานะ", "en": "State"},
    "proposed": {"th": "เสนอ", "en": "proposed"},
    "accepted": {"th": "ยอมรับแล้ว", "en": "accepted"},
    "rejected": {"th": "ปฏิเสธแล้ว", "en": "rejected"},
    "saved": {"th": "บันทึกแล้ว", "en": "Saved"},
    "language": {"th": "English", "en": "ภาษาไทย"},
    "file": {"th": "ไฟล์", "en": "File"},
}


KINDS_TH = {"dateline": "วันที่ของข่าว", "instrument title": "ชื่อตราสาร", "party": "ภาคี", "term: initial": "ระยะเวลาเริ่มต้น",
            "term: extension": "ระยะเวลาขยาย", "term: total": "ระยะเวลารวม", "person: role": "บุคคล: บทบาท",
            "area": "สาขาความร่วมมือ", "activity": "กิจกรรม", "organisation": "หน่วยงาน", "new area": "สาขาความร่วมมือใหม่",
            "person: name": "บุคคล: ชื่อ", "person: honorific": "บุคคล: คำนำหน้า", "person: posts": "บุคคล: ตำแหน่ง",
            "date: signing": "วันที่: ลงนาม", "date: approval": "วันที่: อนุมัติ",
            "date: entry-into-force": "วันที่: มีผลบังคับใช้", "date: expiry": "วันที่: สิ้นสุด", "date: exchange": "วันที่: แลกเปลี่ยน"}


def _t(key: str, lang: str) -> str:
    return pick(TEXTS[key], lang) or key


def _kind(kind: str, lang: str) -> str:
    return KINDS_TH.get(kind, kind) if lang == "th" else kind


def create_review_app(path: Path, *, lang: str = "th") -> Any:
    """The review app for the draft at ``path`` (a Starlette app with the project's security headers)."""
    import jinja2
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    from ..errors import MouGraphError
    from ..ingest.draft import draft_text, draft_yaml, load_draft
    from ..ingest.review import apply_decisions, pieces, proposals
    from ..io.atomic import write_bytes
    from ..present.pages import STATIC, TEMPLATES
    from .app import SECURITY_HEADERS

    def answer(body: dict[str, Any], status: int = 200) -> Any:
        return JSONResponse(body, status_code=status, headers=SECURITY_HEADERS)

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    lock = asyncio.Lock()
    path = Path(path)

    def same_origin(request: Request) -> bool:
        host = request.headers.get("host", "")
        if not host.startswith(("127.0.0.1:", "localhost:")) and host not in ("127.0.0.1", "localhost"):
            return False
        origin = request.headers.get("origin")
        return origin is None or origin == f"http://{host}"

    async def page(request: Request) -> Response:
        if not same_origin(request):
            return Response("forbidden", status_code=403, headers=SECURITY_HEADERS)
        code = request.query_params.get("lang", lang)
        code = code if code in INGEST_LANGUAGES else lang
        doc = load_draft(path)
        text = draft_text(doc)
        props = proposals(doc)
        html = env.get_template("review.html").render(
            lang=code, other="en" if code == "th" else "th", t=lambda k: _t(k, code), file=str(path),
            kind=lambda k: _kind(k, code),
            text_lang=doc["sources"][doc["draft"]["source"]].get("language", "th"),
            pieces=pieces(text, props), props=props, text=text,
            quote=lambda p: " … ".join(text[s:e] for s, e in p.spans[:3]))
        return HTMLResponse(html, headers=SECURITY_HEADERS)

    async def save(request: Request) -> Response:
        if not same_origin(request) or request.headers.get("content-type", "").split(";")[0] != "application/json":
            return answer({"error": "JSON from this page only / เฉพาะ JSON จากหน้านี้"}, 403)
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return answer({"error": "ไม่ใช่ JSON / not JSON"}, 400)
        if not isinstance(body, dict) or not isinstance(body.get("decisions"), list):
            return answer({"error": "ต้องมี decisions / decisions missing"}, 400)
        async with lock:
            try:
                doc = load_draft(path)
                n = apply_decisions(doc, body["decisions"])
            except MouGraphError as err:
                return answer({"error": str(err)}, 400)
            write_bytes(path, draft_yaml(doc).encode("utf-8"))
        return answer({"saved": n, "file": str(path), "review": doc["draft"]["review"]})

    routes = [Route("/", page), Route("/save", save, methods=["POST"]),
              Mount("/static", StaticFiles(directory=str(STATIC)), name="static")]
    return Starlette(routes=routes)
