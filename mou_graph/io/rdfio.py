"""Reading files: the strict gate every command goes through.

One place knows the formats and turns parser errors into :class:`InputError` with file,
line and column. Every file a command reads (RDF data, the shapes, the ``.rq`` files of the
catalogue, the source text) is read by :func:`read_bounded`: a regular file only (a FIFO,
a device or a folder is refused, and opening never blocks), at most the limit + 1 bytes.
Before a parser sees a byte of RDF:

* the file must be smaller than :func:`max_file_bytes` (``MOU_GRAPH_MAX_FILE_BYTES``, 256 MiB);
* it may hold no character that XML 1.0 cannot carry (the C0 controls but TAB, LF and CR,
  U+FFFE, U+FFFF), raw or escaped: exports to RDF/XML, GraphML and GEXF stay well-formed;
* RDF/XML and TriX must be UTF-8, detected as XML 1.0 Appendix F does (byte-order mark,
  the first four bytes, the encoding declaration), and hold no DOCTYPE, ENTITY or other
  markup declaration (no billion laughs, no ``file:///etc/passwd``), whatever the parser;
* JSON-LD must be plain JSON whose every ``@context`` (and ``@import``) is inline: a remote
  context is refused, so nothing is ever fetched; the package's own context is shipped in it;
* Turtle and TriG may nest ``[ ]``, ``( )`` and ``<< >>``, XML its elements, at most
  :func:`max_nesting` deep (``MOU_GRAPH_MAX_NESTING``), and one file may hold at most :func:`max_file_triples`
  (``MOU_GRAPH_MAX_FILE_TRIPLES``), one store :func:`max_triples` (``MOU_GRAPH_MAX_TRIPLES``):
  the parse is counted as it streams, and stopped at the limit.

pyoxigraph parses every format it knows. rdflib parses RDF/XML and JSON-LD a second time,
because there the two are independent designs (quick-xml vs Expat SAX; oxjsonld vs rdflib's
own) and each accepts things the other refuses (``rdf:bagID``, ``rdf:about`` on a property
element). For Turtle, N-Triples, N-Quads and TriG pyoxigraph refuses everything rdflib does
and more (``tests/test_security_input.py`` checks a sample), so a second parse there would
only cost time (about 0.3 s for the shipped data). TriX only rdflib reads.

Then literals are bounded (:func:`max_literal_chars`, ``MOU_GRAPH_MAX_LITERAL_CHARS``),
string values NFC-normalised and language tags lower-cased, once, here, at load.

>>> normalise_text("e\\u0301")
'é'
"""

from __future__ import annotations

import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Sized
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from mou_graph.errors import InputError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["FORMATS", "check_total", "format_for", "load_into", "max_file_bytes", "max_file_triples",
           "max_literal_chars", "max_nesting", "max_triples", "normalise_text", "parse_file", "read_bounded",
           "read_rdf", "read_text", "well_formed_xml", "xml_encoding", "xml_unsafe"]

# extension -> pyoxigraph format name ("TRIX": read by rdflib only)
FORMATS: dict[str, str] = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".trix": "TRIX",
}
_XML = frozenset({"RDF_XML", "TRIX"})
_SECOND_PARSER = {"RDF_XML": "xml", "JSON_LD": "json-ld", "TRIX": "trix"}  # rdflib's names
_POSITION = re.compile(r"line (\d+) column (\d+)")
_RDFLIB_POSITION = re.compile(r":(\d+):(\d+):\s*")
_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[)")
_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024
DEFAULT_MAX_LITERAL_CHARS = 1_000_000
# 10,000 agreements are about 1.25 M quads in two files of 0.55 M and 0.7 M: the defaults admit
# that with room, and bound a load to about 3 GiB (docs/security.md: ~750 bytes per quad at peak)
DEFAULT_MAX_FILE_TRIPLES = 2_000_000
DEFAULT_MAX_TRIPLES = 4_000_000
DEFAULT_MAX_NESTING = 64
# what XML 1.0 cannot carry (not even as a character reference): C0 controls but TAB, LF, CR;
# U+FFFE, U+FFFF (surrogates never reach a Python string from the parsers)
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_UNSAFE_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def _bi(en: str, th: str) -> str:
    """A message in English and Thai, on one line (the front ends print it as it is)."""
    return f"{en} / {th}"


def _limit(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        n = int(value)
    except ValueError:
        raise InputError(_bi(f"{name} must be a whole number, not {value!r}",
                             f"{name} ต้องเป็นจำนวนเต็ม ไม่ใช่ {value!r}")) from None
    return n if n > 0 else default


def max_file_bytes() -> int:
    """The largest file read: ``MOU_GRAPH_MAX_FILE_BYTES`` or 256 MiB."""
    return _limit("MOU_GRAPH_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


def max_literal_chars() -> int:
    """The longest literal accepted: ``MOU_GRAPH_MAX_LITERAL_CHARS`` or one million characters."""
    return _limit("MOU_GRAPH_MAX_LITERAL_CHARS", DEFAULT_MAX_LITERAL_CHARS)


def max_file_triples() -> int:
    """The most triples (or quads) one file may hold: ``MOU_GRAPH_MAX_FILE_TRIPLES`` or 2,000,000."""
    return _limit("MOU_GRAPH_MAX_FILE_TRIPLES", DEFAULT_MAX_FILE_TRIPLES)


def max_triples() -> int:
    """The most quads one store may hold after a load: ``MOU_GRAPH_MAX_TRIPLES`` or 4,000,000."""
    return _limit("MOU_GRAPH_MAX_TRIPLES", DEFAULT_MAX_TRIPLES)


def max_nesting() -> int:
    """The deepest nesting of ``[ ]``, ``( )`` and ``<< >>`` in Turtle or TriG, and of elements in XML:
    ``MOU_GRAPH_MAX_NESTING`` or 64."""
    return _limit("MOU_GRAPH_MAX_NESTING", DEFAULT_MAX_NESTING)


def xml_unsafe(text: str) -> int:
    """The index of the first character no XML 1.0 document can carry, or -1.

    >>> xml_unsafe("tab\\tok"), xml_unsafe("esc\\x1b")
    (-1, 3)
    """
    found = _XML_UNSAFE.search(text)
    return found.start() if found else -1


def well_formed_xml(data: bytes, what: str) -> bytes:
    """``data``, an XML document just written, if it holds no character XML 1.0 cannot carry;
    else an :class:`InputError` (the graph holds a literal the gate would have refused).

    >>> well_formed_xml(b"<a>\\x00</a>", "GraphML")
    Traceback (most recent call last):
    mou_graph.errors.InputError: the graph holds the control character U+0000, ...
    """
    found = _XML_UNSAFE_BYTES.search(data)
    if found:
        code = ord(found.group().decode("utf-8"))
        raise InputError(_bi(f"the graph holds the control character U+{code:04X}, which no XML can carry: "
                             f"no {what} is written", f"กราฟมีอักขระควบคุม U+{code:04X} ซึ่ง XML ไม่รองรับ: "
                             f"ไม่ได้เขียน {what}"))
    return data


# -- reading files: regular files only, bounded ------------------------------------------
def read_bounded(path: Path, *, limit: int | None = None, what: str = "file") -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes (default
    :func:`max_file_bytes`). Opening never blocks (a FIFO without a writer is refused, not
    waited on), and at most ``limit + 1`` bytes are read, whatever the file claims."""
    limit = limit or max_file_bytes()
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(_bi("no such file", "ไม่พบไฟล์"), path=str(path)) from None
    except OSError as err:
        raise InputError(_bi(f"cannot open the {what}: {err.strerror}", f"เปิดไฟล์ไม่ได้: {err.strerror}"),
                         path=str(path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(_bi(f"not a regular file (a folder, FIFO, device or socket is refused: it could block "
                                 f"or never end); give the {what} as a file",
                                 "ไม่ใช่ไฟล์ปกติ (ไม่รับโฟลเดอร์ FIFO อุปกรณ์ หรือซ็อกเก็ต)"), path=str(path))
        if info.st_size > limit:
            raise _too_big(path, limit, info.st_size)
        chunks: list[bytes] = []
        left = limit + 1
        size = min(left, info.st_size + 1)  # the whole file in one read (and one copy), where it says true
        while left > 0:
            chunk = os.read(fd, max(min(left, 1 << 20), size))
            size = 0
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as err:
        raise InputError(_bi(f"cannot read the {what}: {err.strerror}", f"อ่านไฟล์ไม่ได้: {err.strerror}"),
                         path=str(path)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise _too_big(path, limit, None)
    return data


def _too_big(path: Path, limit: int, size: int | None) -> InputError:
    what = f"is {size} bytes" if size is not None else "grew while it was read and is"
    return InputError(_bi(f"the file {what}, larger than the limit of {limit} bytes; raise it with "
                          "MOU_GRAPH_MAX_FILE_BYTES", f"ไฟล์ใหญ่เกินขีดจำกัด {limit} ไบต์ "
                          "(ปรับได้ด้วย MOU_GRAPH_MAX_FILE_BYTES)"), path=str(path))


def read_text(path: Path, *, limit: int | None = None, what: str = "file") -> str:
    """:func:`read_bounded`, decoded as UTF-8 (an error names the file and the byte)."""
    data = read_bounded(path, limit=limit, what=what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(_bi(f"the {what} is not UTF-8 (at byte {err.start})",
                             f"ไฟล์ไม่ใช่ UTF-8 (ที่ไบต์ {err.start})"), path=str(path)) from None


def format_for(path: Path) -> pyoxigraph.RdfFormat:
    """The RDF format of a file pyoxigraph reads, from its extension.

    >>> format_for(Path("a.ttl")).name
    'Turtle'
    """
    import pyoxigraph

    name = _format_name(path)
    if name == "TRIX":
        raise InputError("pyoxigraph does not read TriX", path=str(path))
    fmt: pyoxigraph.RdfFormat = getattr(pyoxigraph.RdfFormat, name)
    return fmt


def _format_name(path: Path) -> str:
    name = FORMATS.get(path.suffix.lower())
    if name is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown RDF file extension {path.suffix!r} (known: {known})", path=str(path))
    return name


def normalise_text(text: str) -> str:
    """Unicode NFC (cheap when the text already is)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# -- the gate ------------------------------------------------------------------------------
def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# XML 1.0 Appendix F: the encoding family from a byte-order mark or the first four bytes
_XML_SIGNATURES = [
    (b"\x00\x00\xfe\xff", "UCS-4 (UTF-32BE) with a byte-order mark"),
    (b"\xff\xfe\x00\x00", "UCS-4 (UTF-32LE) with a byte-order mark"),
    (b"\x00\x00\xff\xfe", "UCS-4 (2143 order)"), (b"\xfe\xff\x00\x00", "UCS-4 (3412 order)"),
    (b"\x00\x00\x00\x3c", "UCS-4 (UTF-32BE)"), (b"\x3c\x00\x00\x00", "UCS-4 (UTF-32LE)"),
    (b"\x00\x00\x3c\x00", "UCS-4 (2143 order)"), (b"\x00\x3c\x00\x00", "UCS-4 (3412 order)"),
    (b"\xfe\xff", "UTF-16BE with a byte-order mark"), (b"\xff\xfe", "UTF-16LE with a byte-order mark"),
    (b"\x00\x3c\x00\x3f", "UTF-16BE without a byte-order mark"),
    (b"\x3c\x00\x3f\x00", "UTF-16LE without a byte-order mark"),
    (b"\x4c\x6f\xa7\x94", "EBCDIC"),
]


def xml_encoding(data: bytes) -> str | None:
    r"""The encoding an XML parser would read ``data`` in when it is not UTF-8 (XML 1.0
    Appendix F: byte-order mark, first four bytes, then the encoding declaration), or None.

    >>> xml_encoding('<?xml version="1.0"?><a/>'.encode("utf-16-le"))
    'UTF-16LE without a byte-order mark'
    >>> xml_encoding(b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?><a/>') is None
    True
    """
    for signature, name in _XML_SIGNATURES:
        if data.startswith(signature):
            return name
    head = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    declared = _ENCODING.match(head[:1024].decode("latin-1"))
    if declared and declared.group(1).strip().lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii",
                                                                                 "ascii"):
        return f"{declared.group(1)} (declared)"
    return None


def _check_xml(data: bytes, path: Path) -> None:
    encoding = xml_encoding(data)
    if encoding:
        said = (f"it declares encoding {encoding[:-11]!r}" if encoding.endswith(" (declared)") else
                f"this file is {encoding}")
        raise InputError(_bi(f"XML input must be UTF-8, but {said}; convert it to UTF-8 "
                             "(another encoding could hide a DOCTYPE from the check)",
                             f"XML ต้องเป็น UTF-8 แต่ไฟล์นี้เป็น {encoding} โปรดแปลงเป็น UTF-8"),
                         path=str(path), line=1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(_bi(f"XML input must be UTF-8 (it is not, at byte {err.start}); no other encoding is read",
                             f"XML ต้องเป็น UTF-8 (ไม่ใช่ ที่ไบต์ {err.start})"), path=str(path)) from None
    found = _DECLARATION.search(text)
    if found:
        line, column = _line_col(text, found.start())
        raise InputError(_bi("XML with a DOCTYPE, ENTITY or other markup declaration is refused (entity expansion "
                             "and external entities are attacks); remove the declaration",
                             "ไม่รับ XML ที่มี DOCTYPE, ENTITY หรือการประกาศอื่น (การขยาย entity เป็นการโจมตี) "
                             "โปรดลบการประกาศนั้น"), path=str(path), line=line, column=column)


_C0_BUT_TAB_LF_CR = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20))
# The Turtle family's punctuation (:func:`_punctuation`): the bytes that can end an object, open
# or close a term or a bracket, or may not be in an IRI; the rest (letters, digits, UTF-8...) is
# dropped, white space becomes one space and a control character no XML can carry becomes 01
_KEEP = b'<>"\'{}|^`\\.;,][('
_PUNCTUATION = bytes.maketrans(_C0_BUT_TAB_LF_CR + b"\t\n\r", b"\x01" * len(_C0_BUT_TAB_LF_CR) + b"   ")
_DROP = bytes(b for b in range(0x21, 256) if b not in _KEEP)
# an IRI in the punctuation: every dropped byte may be in an IRI, so a match spans the same
# bytes before and after the drop, and it cannot cross a quote, a space or a control
_REDUCED_IRI = re.compile(rb'<[^<>"\'{}|^`\\ \x01]*>')


def _punctuation(data: bytes) -> bytes:
    """The punctuation of a Turtle-family text, in one pass at memory speed: what the control,
    nesting and triple checks read instead of the whole file.

    >>> _punctuation(b'<http://a.b/c> <d> "x, y" .\\n')
    b'<.> <> ", " . '
    """
    return data.translate(_PUNCTUATION, _DROP)


def _check_controls(data: bytes, path: Path, punctuation: bytes | None = None) -> None:
    """Refuse a raw character no XML can carry, anywhere in the file (the exports must stay well-formed).
    Scans at memory speed decide the usual case (none there; ``punctuation`` shows them as 01);
    the regular expression, ten times slower, only finds where the first one is."""
    if punctuation is not None:
        clean = b"\x01" not in punctuation
    else:
        clean = len(data.translate(None, _C0_BUT_TAB_LF_CR)) == len(data)
    if clean and b"\xef\xbf" not in data:
        return
    found = _XML_UNSAFE_BYTES.search(data)
    if found:
        start = found.start()
        line = data.count(b"\n", 0, start) + 1
        column = len(data[data.rfind(b"\n", 0, start) + 1:start].decode("utf-8", "replace")) + 1
        raise InputError(_control_message(ord(found.group().decode("utf-8"))), path=str(path), line=line,
                         column=column)


def _control_message(code: int, where: str = "") -> str:
    return _bi(f"the control character U+{code:04X}{where} is refused: no XML can carry it (of the C0 controls "
               "only TAB, LF and CR are allowed); remove it",
               f"ไม่รับอักขระควบคุม U+{code:04X}{where} (อนุญาตเฉพาะ TAB, LF และ CR) โปรดลบออก")


# Turtle / TriG tokens inside which brackets are text, not structure. An escape outside a
# string (``ex:a\#``) is consumed first, so that its character starts nothing.
_OPAQUE = re.compile(
    rb'\\.'
    rb'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n\r]|\\.)*"'
    rb"|'(?:[^'\\\n\r]|\\.)*'"
    rb'|<[^<>"{}|^`\\\x00-\x20]*>'
    rb"|#[^\n\r]*", re.S)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[](<)>")
_DEPTH = {ord("["): 1, ord("("): 1, ord("<"): 1, ord("]"): -1, ord(")"): -1, ord(">"): -1}


def _check_nesting(data: bytes, path: Path, punctuation: bytes | None = None) -> None:
    """Refuse Turtle / TriG nested deeper than :func:`max_nesting`: the parser keeps a frame
    per open ``[``, ``(`` or ``<<`` before any triple is made (2 M open brackets, 30 MB, cost
    it 1.1 GB). Counted on the text outside strings, IRIs and comments (first, on the
    ``punctuation`` where given, how many there are at most: every bracket of the text is there)."""
    limit = max_nesting()
    text = punctuation if punctuation is not None else data
    if text.count(b"[") + text.count(b"(") + 2 * text.count(b"<<") <= limit:
        return
    brackets = _OPAQUE.sub(b" ", data).translate(None, _NOT_BRACKETS)
    depth = max(accumulate(map(_DEPTH.__getitem__, brackets), initial=0))
    if depth > limit:
        raise InputError(_bi(f"brackets ([ ], ( ) or << >>) nested {depth} deep, deeper than the limit of {limit}; "
                             "raise it with MOU_GRAPH_MAX_NESTING",
                             f"วงเล็บซ้อนกันลึก {depth} ชั้น เกินขีดจำกัด {limit} (ปรับได้ด้วย MOU_GRAPH_MAX_NESTING)"),
                         path=str(path))


_XML_OPAQUE = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_XML_EMPTY = re.compile(rb"""<[^>"'!?/](?:[^>"']|"[^"]*"|'[^']*')*/>""")
_XML_END = re.compile(rb"</[^>]*>")
_XML_START = re.compile(rb"""<[^>"'!?/](?:[^>"']|"[^"]*"|'[^']*')*>""")
_NOT_MARKS = bytes(b for b in range(256) if b not in b"\x01\x02")


def _check_xml_nesting(data: bytes, path: Path) -> None:
    """Refuse XML whose elements nest deeper than :func:`max_nesting`: 200,000 nested
    property elements (6 MB) kept the parsers busy for over 5 minutes. Counted on the tags
    outside comments, CDATA and processing instructions (there is no DTD: see _check_xml);
    run after :func:`_check_controls`, so the bytes 01 and 02 used as marks are not in the text."""
    limit = max_nesting()
    if data.count(b"<") <= limit:
        return
    text = _XML_END.sub(b"\x02", _XML_EMPTY.sub(b"", _XML_OPAQUE.sub(b"", data)))
    marks = _XML_START.sub(b"\x01", text).translate(None, _NOT_MARKS)
    depth = max(accumulate((1 if m == 1 else -1 for m in marks), initial=0))
    if depth > limit:
        raise InputError(_bi(f"XML elements nested {depth} deep, deeper than the limit of {limit}; "
                             "raise it with MOU_GRAPH_MAX_NESTING",
                             f"อีลีเมนต์ XML ซ้อนกันลึก {depth} ชั้น เกินขีดจำกัด {limit} "
                             "(ปรับได้ด้วย MOU_GRAPH_MAX_NESTING)"), path=str(path))


def _too_many(path: Path, limit: int, env: str, where: str) -> InputError:
    return InputError(_bi(f"more than {limit} triples {where}; raise the limit with {env}",
                          f"มีทริเพิลเกิน {limit} รายการ{' ในไฟล์เดียว' if env.endswith('FILE_TRIPLES') else ''} "
                          f"(ปรับได้ด้วย {env})"), path=str(path))


def _counted(quads: Any, path: Path) -> list[Any]:
    """The quads of a streaming parse, stopped one past :func:`max_file_triples`."""
    limit = max_file_triples()
    out: list[Any] = []
    for quad in quads:
        out.append(quad)
        if len(out) > limit:
            raise _too_many(path, limit, "MOU_GRAPH_MAX_FILE_TRIPLES", "in one file")
    return out


def _remote_contexts(node: Any, key: str | None = None) -> list[str]:
    """Every context in a JSON-LD document that is not inline (a string: an IRI to fetch)."""
    found: list[str] = []
    if key in ("@context", "@import"):
        values = node if isinstance(node, list) else [node]
        found += [str(v) for v in values if not isinstance(v, (dict, type(None)))]
    if isinstance(node, dict):
        for k, v in node.items():
            found += _remote_contexts(v, k)
    elif isinstance(node, list):
        for v in node:
            found += _remote_contexts(v, None)
    return found


def _check_jsonld(data: bytes, path: Path) -> None:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise InputError(f"JSON-LD input must be UTF-8 (it is not, at byte {err.start})", path=str(path)) from None
    except json.JSONDecodeError as err:
        raise InputError(f"syntax error: {err.msg}", path=str(path), line=err.lineno, column=err.colno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", path=str(path)) from None
    try:
        remote = _remote_contexts(doc)
    except RecursionError:
        raise InputError("JSON nested too deeply", path=str(path)) from None
    if remote:
        raise InputError(f"remote JSON-LD context refused: {', '.join(sorted(set(remote)))}; nothing is fetched "
                         "from the network: put the context inline (the package's is mou_graph/context.jsonld)",
                         path=str(path))


def _syntax_error(err: SyntaxError, path: Path) -> InputError:
    line, column = err.lineno, err.offset
    found = _POSITION.search(str(err.msg or err))
    if found and line is None:
        line, column = int(found.group(1)), int(found.group(2))
    message = re.sub(r"^Parser error at line \d+ column \d+: ", "", str(err.msg or err))
    return InputError(f"syntax error: {message}", path=str(path), line=line, column=column)


def _second_parse(data: bytes, name: str, path: Path, base: str) -> list[Any]:
    """Parse with rdflib (under the network guard); its triples (quads for TriX) as pyoxigraph quads."""
    import logging

    import rdflib

    from mou_graph.io.netguard import no_network

    fmt = _SECOND_PARSER[name]
    graph = rdflib.Dataset() if name == "TRIX" else rdflib.Graph()
    quiet = logging.getLogger("rdflib")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with no_network():
            graph.parse(data=data, format=fmt, publicID=base)
    except Exception as err:  # noqa: BLE001 - rdflib raises many kinds; each is a refusal
        line = getattr(err, "getLineNumber", lambda: None)()
        column = getattr(err, "getColumnNumber", lambda: None)()
        message = str(err)
        found = _RDFLIB_POSITION.search(message)
        if found:
            line, column = line or int(found.group(1)), column or int(found.group(2))
            message = message[found.end():]
        raise InputError(f"syntax error (rdflib): {message}", path=str(path), line=line, column=column) from None
    finally:
        quiet.setLevel(level)
    if name != "TRIX":
        return []
    import pyoxigraph

    return list(pyoxigraph.parse(graph.serialize(format="nquads", encoding="utf-8"),
                                 format=pyoxigraph.RdfFormat.N_QUADS))


def _triple_term_line(data: bytes) -> int | None:
    """The line of the first ``<<`` or ``{|`` of ``data`` outside a one-line string (for the message only:
    the refusal itself is decided by the parsed terms).

    >>> _triple_term_line(b'<a> <b> "<<" .\\n<c> <d> <<( <e> <f> <g> )>> .\\n')
    2
    """
    lines = []
    for mark in (b"<<", b"{|"):  # a triple term, or a Turtle annotation (which makes one)
        pos = data.find(mark)
        while pos >= 0:
            start = data.rfind(b"\n", 0, pos) + 1
            before = data[start:pos]
            if before.count(b'"') % 2 == 0 and before.count(b"'") % 2 == 0:
                lines.append(data.count(b"\n", 0, pos) + 1)
                break
            pos = data.find(mark, pos + 2)
    return min(lines, default=None)


def _refuse_triple_term(quad: pyoxigraph.Quad, path: Path, data: bytes) -> None:
    """Refuse an RDF 1.2 triple term (``<< >>``, ``<<( )>>``, ``{| |}``, ``rdf:reifies``): the model has
    no use for one and the exports (rdflib, GraphML, GEXF, networkx) cannot carry it (docs/model.md)."""
    raise InputError(_bi(f"an RDF 1.2 triple term is not accepted (subject {quad.subject}, predicate "
                         f"{quad.predicate}): write the statement with rdf:Statement or a claim node (docs/model.md)",
                         "ไม่รับ triple term ของ RDF 1.2 (<< >>, <<( )>>, rdf:reifies): "
                         "เขียนข้อความด้วย rdf:Statement หรือโหนด claim แทน (ดู docs/model.md)"),
                     path=str(path), line=_triple_term_line(data))


def _normalised(quad: pyoxigraph.Quad, graph: pyoxigraph.NamedNode, limit: int, path: Path,
                data: bytes = b"") -> pyoxigraph.Quad:
    import pyoxigraph

    obj = quad.object
    if isinstance(obj, pyoxigraph.Triple) or isinstance(quad.subject, pyoxigraph.Triple):
        _refuse_triple_term(quad, path, data)
    if isinstance(obj, pyoxigraph.Literal):
        value = obj.value
        if len(value) > limit:
            raise InputError(_bi(f"a literal of {len(value)} characters is longer than the limit of {limit} "
                                 f"(MOU_GRAPH_MAX_LITERAL_CHARS); subject {quad.subject}",
                                 f"ข้อความยาว {len(value)} อักขระ เกินขีดจำกัด {limit} "
                                 f"(ปรับได้ด้วย MOU_GRAPH_MAX_LITERAL_CHARS)"), path=str(path))
        bad = xml_unsafe(value)
        if bad >= 0:  # written as an escape (\u001B, \b, &#27;...): the raw text had none
            raise InputError(_control_message(ord(value[bad]), f" (in a literal of {quad.subject})"), path=str(path))
        text = normalise_text(value)
        lang = obj.language
        if text != value or (lang and lang != lang.lower()):
            obj = (pyoxigraph.Literal(text, language=lang.lower()) if lang else
                   pyoxigraph.Literal(text, datatype=obj.datatype))
    name = graph if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name
    if obj is quad.object and name is quad.graph_name:
        return quad
    return pyoxigraph.Quad(quad.subject, quad.predicate, obj, name)


def read_rdf(path: Path) -> bytes:
    """The bytes of an RDF file, through every check the gate makes before a parser runs
    (for a parser that is not this module's, as pySHACL's rdflib reading of the shapes)."""
    return _read_rdf(path)[1]


def _read_rdf(path: Path) -> tuple[str, bytes]:
    """The format name and the bytes of an RDF file, through every check made before a parser runs."""
    name, data, _ = _read_checked(Path(path))
    return name, data


def _read_checked(path: Path) -> tuple[str, bytes, bytes | None]:
    """:func:`_read_rdf`, and the :func:`_punctuation` of a Turtle, TriG or N-Triples file."""
    name = _format_name(path)
    data = read_bounded(path, what="RDF file")
    punctuation = _punctuation(data) if name in ("TURTLE", "TRIG", "N_TRIPLES") else None
    if name in _XML:
        _check_xml(data, path)
    _check_controls(data, path, punctuation)
    if name == "JSON_LD":
        _check_jsonld(data, path)
    elif name in ("TURTLE", "TRIG"):
        _check_nesting(data, path, punctuation)
    elif name in _XML:
        _check_xml_nesting(data, path)
    return name, data, punctuation


def parse_file(path: Path, *, base: str, graph: str) -> list[pyoxigraph.Quad]:
    """Read ``path`` through the gate: the quads it holds, triples put in the named graph
    ``graph``, literals bounded and normalised. Raises :class:`InputError`."""
    path = Path(path)
    name, data = _read_rdf(path)
    return _parse(data, name, path, base=base, graph=graph)


def _parse(data: bytes, name: str, path: Path, *, base: str, graph: str) -> list[pyoxigraph.Quad]:
    import pyoxigraph

    if name == "TRIX":
        quads = _counted(_second_parse(data, name, path, base), path)
    else:
        try:
            quads = _counted(pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, name), base_iri=base), path)
        except SyntaxError as err:
            raise _syntax_error(err, path) from None
        except ValueError as err:
            raise InputError(str(err), path=str(path)) from None
        if name in _SECOND_PARSER:
            _second_parse(data, name, path, base)
    target = pyoxigraph.NamedNode(graph)
    chars = max_literal_chars()
    return [_normalised(q, target, chars, path, data) for q in quads]


def _most_triples(punctuation: bytes) -> int | None:
    """An upper bound of the triples a Turtle text makes, or None where this gives none (a
    collection ``(`` makes two triples an item; ``<<`` and ``{|`` are left to the counting parse).

    Every triple has an object, and the first token after each object is one of ``,`` ``;``
    ``.`` ``]`` ``}`` (a token follows one object at most): their number, outside IRIs, bounds
    the triples. IRIs are blanked by what cannot cross a quote or a space (any match of
    :data:`_REDUCED_IRI`: the usual few shapes by ``bytes.replace``, the rest by the pattern
    where there are many), so only an IRI, or text inside one string or comment, is ever
    blanked; what is left of strings, comments, IRIs, decimals and directives only makes the
    bound larger. (Where blanking joins two pieces into a new match, the raw text there has a
    ``<`` inside an IRI, a syntax error: the parser stops before it.)

    >>> _most_triples(_punctuation(b'<a> <b.c> "x. y", "z" ; <c> <d> .'))  # 3 triples; the "." in the string counts
    4
    >>> _most_triples(_punctuation(b"<a> <b> (1 2 3) .")) is None
    True
    """
    if b"(" in punctuation or b"<<" in punctuation or b"{|" in punctuation:
        return None
    reduced = punctuation
    for iri in (b"<...>", b"<..>", b"<.>", b"<>"):  # the usual IRIs, blanked at memory speed
        reduced = reduced.replace(iri, b"")
    if reduced.count(b"<") > len(reduced) // 100:
        reduced = _REDUCED_IRI.sub(b"", reduced)
    return sum(reduced.count(c) for c in b".;,]}")


def _lines_at_most(data: bytes, chars: int) -> bool:
    """Whether no line of ``data`` is longer than ``chars`` bytes (one ``rfind`` a ``chars`` bytes).

    >>> _lines_at_most(b"ab\\ncd\\n", 2), _lines_at_most(b"ab\\ncde\\n", 2)
    (True, False)
    """
    pos, end = 0, len(data)
    while end - pos > chars:
        last = data.rfind(b"\n", pos, pos + chars + 1)
        if last < 0:
            return False
        pos = last + 1
    return True


def _is_nfc(data: bytes, chunk: int = 1 << 20) -> bool:
    """Whether UTF-8 ``data`` is valid and in NFC, decoded a chunk of about ``chunk`` bytes at a
    time (the text of a whole file would add twice its size to a load's peak). Chunks end after a
    line feed: a starter that composes with nothing, so no composition or reordering crosses it,
    and no UTF-8 sequence is cut.

    >>> _is_nfc("a\\u0301\\nb\\n".encode(), chunk=2), _is_nfc("\\u00e1\\n\\u0301".encode(), chunk=2)
    (False, True)
    >>> _is_nfc(b"\\xe0\\x00\\n")
    False
    """
    view, pos, end = memoryview(data), 0, len(data)
    try:
        while pos < end:
            stop = data.rfind(b"\n", pos, pos + chunk) + 1 if end - pos > chunk else end
            if stop <= pos:  # a line longer than a chunk
                stop = data.find(b"\n", pos + chunk) + 1 or end
            if not unicodedata.is_normalized("NFC", str(view[pos:stop], "utf-8")):
                return False
            pos = stop
    except UnicodeDecodeError:
        return False
    finally:
        view.release()
    return True


def _fast_facts(data: bytes, name: str, punctuation: bytes | None) -> tuple[int | None, bool] | None:
    """What :func:`_fast_load` reads in the file's punctuation: None where the fast path may not be
    taken (not Turtle or N-Triples, an escape that builds text, a triple term), else (the bound of its
    triples, or None for none, whether it has a long string). The punctuation (a tenth of the file)
    is then not held while the engine loads the file."""
    if name not in ("TURTLE", "N_TRIPLES"):
        return None
    # the bytes these checks look for are all kept in the punctuation, side by side as in the text
    # (what is dropped between two kept bytes can only add a match: the slow path, never a miss)
    marks = punctuation if punctuation is not None else _punctuation(data)
    if b"\\" in marks and re.search(rb"\\[uUbf]", data):
        return None
    # a triple term is written with "<<" (and in Turtle also made by an annotation "{|" or a reifier "~"):
    # where one may be, the slow path checks each parsed term
    if b"<<" in marks or (name == "TURTLE" and (b"{|" in marks or b"~" in data)):
        return None
    bound = len(data) if len(data) <= max_file_triples() else _most_triples(marks)
    return bound, b'"""' in marks or b"'''" in marks


def _fast_load(store: pyoxigraph.Store, path: Path, data: bytes, name: str, facts: tuple[int | None, bool], *,
               base: str, graph: str) -> bool:
    """Load a Turtle or N-Triples file with the engine's bulk loader, without a Python pass over
    its quads, when that gives the same store as :func:`parse_file` would: the text holds no
    ``\\u``, ``\\U``, ``\\b`` or ``\\f`` escapes (a scan of the raw bytes for a backslash decides
    most files) and is NFC (so every literal is NFC and free of control characters; the parser
    lower-cases language tags), and the target graph is empty, so that anything refused after
    the load (a syntax error part-way, a literal over the length limit, a text not in NFC) is undone
    by clearing the graph: all or nothing still. The triples are bounded before the load, so that a
    file past the limit is never held: by counting the file's punctuation (:func:`_most_triples`),
    and only where that bound is over the limit by a streaming parse. The NFC check runs while the
    engine loads (it releases the GIL): the load waits for neither. Returns False to take the slow
    path."""
    import threading

    import pyoxigraph

    target = pyoxigraph.NamedNode(graph)
    if next(iter(store.quads_for_pattern(None, None, None, target)), None) is not None:
        return False
    bound, long_strings = facts
    fmt = getattr(pyoxigraph.RdfFormat, name)
    limit = max_file_triples()
    try:
        before = len(store)  # (counted, not stored, by the engine: once)
        if bound is None or bound > limit or before + bound > max_triples():
            count = 0
            for _ in pyoxigraph.parse(data, format=fmt, base_iri=base):
                count += 1
                if count > limit:
                    raise _too_many(path, limit, "MOU_GRAPH_MAX_FILE_TRIPLES", "in one file")
            check_total(store, count, path)
    except SyntaxError as err:
        raise _syntax_error(err, path) from None
    except ValueError as err:
        raise InputError(str(err), path=str(path)) from None
    failed: list[BaseException] = []

    def load() -> None:
        try:
            store.bulk_load(data, format=fmt, base_iri=base, to_graph=target)
        except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
            failed.append(err)

    loader = threading.Thread(target=load, name="mou-graph bulk load")
    loader.start()
    try:
        normal = data.isascii() or _is_nfc(data)
    except BaseException:  # (a MemoryError, an interrupt): what the engine loaded meanwhile is undone
        loader.join()
        store.clear_graph(target)
        raise
    loader.join()
    if not normal:  # the slow path normalises the text, or names the bad byte
        store.clear_graph(target)
        return False
    if failed:
        store.clear_graph(target)
        if isinstance(failed[0], SyntaxError):
            raise _syntax_error(failed[0], path) from None
        if isinstance(failed[0], ValueError):
            raise InputError(str(failed[0]), path=str(path)) from None
        raise failed[0]
    chars = max_literal_chars()
    # a literal is no longer than its bytes (escapes only shrink); without long strings it is within a line
    short = len(data) <= chars or (not long_strings and _lines_at_most(data, chars))
    too_long = "SELECT ?limit WHERE { ?s ?p ?o FILTER (isLiteral(?o) && STRLEN(STR(?o)) > ?limit) } LIMIT 1"
    if not short and list(cast("pyoxigraph.QuerySolutions", store.query(
            too_long, default_graph=target, substitutions={pyoxigraph.Variable("limit"): pyoxigraph.Literal(chars)}))):
        store.clear_graph(target)
        return False  # parse_file names the subject and gives the message
    return True


def serialized(items: Iterable[Any], fmt: pyoxigraph.RdfFormat, **options: Any) -> bytes:
    """``pyoxigraph.serialize`` to bytes (typed ``bytes | None``: None only when it writes to an output)."""
    import pyoxigraph

    data = pyoxigraph.serialize(items, format=fmt, **options)
    if data is None:  # pragma: no cover - no output was given
        raise AssertionError("pyoxigraph.serialize returned no bytes")
    return data


def check_total(store: Sized, adding: int, path: Path) -> None:
    """Refuse a load that would leave more than :func:`max_triples` quads in ``store``."""
    limit = max_triples()
    if len(store) + adding > limit:
        raise _too_many(path, limit, "MOU_GRAPH_MAX_TRIPLES", "in the store with this file")


def load_into(store: pyoxigraph.Store, path: Path, *, base: str, graph: str) -> None:
    """Parse ``path`` through the gate into the named graph ``graph`` of ``store``, all or nothing
    (also past :func:`max_triples` in the store)."""
    path = Path(path)
    name, data, punctuation = _read_checked(path)
    facts = _fast_facts(data, name, punctuation)
    del punctuation  # not held while the engine loads the file
    if facts is not None and _fast_load(store, path, data, name, facts, base=base, graph=graph):
        return
    quads = _parse(data, name, path, base=base, graph=graph)
    check_total(store, len(quads), path)
    store.extend(quads)
