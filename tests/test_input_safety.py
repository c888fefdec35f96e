"""Hostile input: invisible characters, zip bombs, pandoc's limits, and failures of the disk,
the database and standard output, each one line and an exit code, never a traceback."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import sqlite3
import struct
import subprocess
import sys
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workplan.cli import cli
from workplan.errors import InputError
from workplan.formats import docx_in, pandoc
from workplan.model.text import INVISIBLE, check_file_text, clean_line, clean_text

PLAN = Path(__file__).parent / "fixtures" / "plan_small.md"

#: Every kind of invisible character the issue names, with its name as the error gives it.
INVISIBLES = [
    ("\u200b", "ZERO WIDTH SPACE"),
    ("\u200c", "ZERO WIDTH NON-JOINER"),
    ("\u200d", "ZERO WIDTH JOINER"),
    ("\u2060", "WORD JOINER"),
    ("\u2061", "FUNCTION APPLICATION"),
    ("\u2062", "INVISIBLE TIMES"),
    ("\u2063", "INVISIBLE SEPARATOR"),
    ("\u2064", "INVISIBLE PLUS"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ("\u00ad", "SOFT HYPHEN"),
    ("\U000e0001", "LANGUAGE TAG"),
    ("\U000e0041", "TAG LATIN CAPITAL LETTER A"),
    ("\U000e007f", "CANCEL TAG"),
    ("\u115f", "HANGUL CHOSEONG FILLER"),
    ("\u1160", "HANGUL JUNGSEONG FILLER"),
    ("\u3164", "HANGUL FILLER"),
    ("\uffa0", "HALFWIDTH HANGUL FILLER"),
    ("\ufff9", "INTERLINEAR ANNOTATION ANCHOR"),
    ("\ufffa", "INTERLINEAR ANNOTATION SEPARATOR"),
    ("\ufffb", "INTERLINEAR ANNOTATION TERMINATOR"),
    ("\u180e", "MONGOLIAN VOWEL SEPARATOR"),
    ("\u034f", "COMBINING GRAPHEME JOINER"),
    ("\ufe0f", "VARIATION SELECTOR-16"),
    ("\U000e0100", "VARIATION SELECTOR-17"),
    ("\u2800", "BRAILLE PATTERN BLANK"),
    ("\u206a", "INHIBIT SYMMETRIC SWAPPING"),
]
#: Refused as before, as forbidden (bidi controls and marks, noncharacters, private use).
FORBIDDEN = [
    ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
    ("\u2069", "POP DIRECTIONAL ISOLATE"),
    ("\u200e", "LEFT-TO-RIGHT MARK"),
    ("\u200f", "RIGHT-TO-LEFT MARK"),
    ("\u061c", "ARABIC LETTER MARK"),
    ("\ufffe", "noncharacter"),
    ("\uffff", "noncharacter"),
    ("\ue000", "private use"),
    ("\x00", "control"),
]


def _message(ch: str, name: str) -> str:
    if (ch, name) in FORBIDDEN:
        return f"forbidden character U+{ord(ch):04X} ({name})"
    return f"invisible character U+{ord(ch):04X} {name}"


# --- the model ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("ch", "name"), INVISIBLES + FORBIDDEN)
def test_each_character_is_refused_by_name_and_position(ch: str, name: str) -> None:
    text = "Adopt national plans" + ch + " now"
    with pytest.raises(InputError) as info:
        clean_text(text, "amendment text")
    assert str(info.value) == f"amendment text contains an {_message(ch, name)} at position 21" or (
        str(info.value) == f"amendment text contains a {_message(ch, name)} at position 21"
    )
    with pytest.raises(InputError, match=r"at position 3$"):
        clean_line("ab" + ch, "title")


def test_the_issue_example_reads_as_asked() -> None:
    with pytest.raises(InputError) as info:
        clean_text("Adopt, as appr\u200bopriate", "text")
    assert str(info.value) == (
        "text contains an invisible character U+200B ZERO WIDTH SPACE at position 15"
    )


def _refused(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or ch in INVISIBLE


_ALLOWED = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")).filter(
    lambda c: c not in INVISIBLE
)
_REFUSED = st.one_of(
    st.characters(categories=("Cc", "Cf", "Co", "Cn")).filter(lambda c: c not in "\t\n\r"),
    st.sampled_from([*sorted(INVISIBLE), "\u2028", "\u2029"]),
)


@settings(max_examples=300, deadline=None)
@given(before=st.text(_ALLOWED, max_size=30), bad=_REFUSED, after=st.text(_ALLOWED, max_size=30))
def test_any_text_holding_a_refused_character_is_refused(before: str, bad: str, after: str) -> None:
    with pytest.raises(InputError, match=f"U\\+{ord(bad):04X} .* at position {len(before) + 1}$"):
        clean_line(before + bad + after, "title")


@settings(max_examples=300, deadline=None)
@given(st.text(_ALLOWED, min_size=1, max_size=60))
def test_text_without_them_is_accepted_as_its_nfc(text: str) -> None:
    assert not any(_refused(c) for c in text)
    # NFC, and runs of spaces and tabs made one (as pasted text is: test_pasted_spaces.py)
    expected = re.sub(r"[ \t]+", " ", unicodedata.normalize("NFC", text)).strip()
    assert clean_line(text, "title") == expected


def test_a_file_places_the_character_by_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        check_file_text("first line\nsecond\u2060 line\n", "plan.md")
    assert str(info.value) == "plan.md:2:7: contains an invisible character U+2060 WORD JOINER"
    assert check_file_text("\ufeffone BOM at the start is an encoding mark", "f") == (
        "one BOM at the start is an encoding mark"
    )
    with pytest.raises(InputError, match=r"^f:1:1: contains an invisible character U\+FEFF"):
        check_file_text("\ufeff\ufefftwo are not", "f")


# --- through the CLI ---------------------------------------------------------------------------


@pytest.fixture
def wp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "wg.db"
    runner = CliRunner()
    monkeypatch.delenv("WORKPLAN_AS", raising=False)

    def run(*args: str, who: str | None = None):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return runner.invoke(cli, [*pre, *args], catch_exceptions=False)

    assert run("init", "--from-file", str(PLAN), who="SECRETARIAT").exit_code == 0
    run.db = db  # type: ignore[attr-defined]
    return run


def _one_line(r) -> str:
    lines = r.output.strip().splitlines()
    assert len(lines) == 1, r.output
    assert lines[0].startswith("workplan: "), r.output
    assert "Traceback" not in r.output
    return str(lines[0])


@pytest.mark.parametrize(("ch", "name"), INVISIBLES)
def test_amendments_reservations_metadata_refuse_each_character(wp, ch: str, name: str) -> None:
    before = wp("log", "--json").output
    text = "Looks the same" + ch
    for args, who, what in [
        (("amend", "OP1", "--text", text), "CAN", "text"),
        (("amend", "OP1", "--text", "Fine.", "--justification", text), "CAN", "justification"),
        (("reserve", "OP1", "--text", text), "JAM", "reservation text"),
        (("position", "OP1", "object", "--comment", text), "USA", "comment"),
        (("meta", "--title", text), "SECRETARIAT", "title"),
        (("meta", "--symbol", text), "SECRETARIAT", "symbol"),
        (("meta", "--language", text), "SECRETARIAT", "original language"),
    ]:
        r = wp(*args, who=who)
        assert r.exit_code == 65, (args, r.output)
        line = _one_line(r)
        assert what in line, line
        assert f"U+{ord(ch):04X} {name} at position 15" in line, line
    assert wp("log", "--json").output == before


def _draft(body: str) -> str:
    return (
        "---\nid: hidden\ntitle: Hidden\nsymbol: X\nperiod_start: 2025\nperiod_end: 2030\n"
        "original_language: English\nadopted: null\nderived_from: null\nnumbering: continuous\n"
        "---\n\n{#h-1 .operative}\n" + body + "\n"
    )


OAS = (
    "THE GENERAL ASSEMBLY,\n\nRECALLING the Work Plan;\n\nRECOMMEND:\n\n"
    "1.\tAdopt national plans against trafficking.\n"
)


@pytest.mark.parametrize(("ch", "name"), [*INVISIBLES[:9], ("\x00", "control")])
def test_imports_name_file_line_and_column(wp, tmp_path: Path, ch: str, name: str) -> None:
    draft = tmp_path / "hidden.md"
    draft.write_text(_draft("Adopt" + ch + " plans."), encoding="utf-8")
    oas = tmp_path / "hidden.txt"
    oas.write_text(OAS.replace("Adopt national", "Adopt national" + ch), encoding="utf-8")
    before = wp("docs", "--json").output
    for path, where in [(draft, "14:6"), (oas, "7:18")]:
        r = wp("import", str(path), who="SECRETARIAT")
        assert r.exit_code == 65, r.output
        line = _one_line(r)
        assert line.startswith(f"workplan: {path}:{where}: contains "), line
        assert f"U+{ord(ch):04X} " in line
        assert name in line
        assert "\ufffd" not in line
    assert wp("docs", "--json").output == before


def test_a_leading_bom_is_an_encoding_mark(wp, tmp_path: Path) -> None:
    draft = tmp_path / "bom.md"
    draft.write_bytes(b"\xef\xbb\xbf" + _draft("Adopt plans.").encode())
    assert wp("import", str(draft), who="SECRETARIAT").exit_code == 0
    oas = tmp_path / "bom.txt"
    oas.write_bytes(b"\xef\xbb\xbf" + OAS.encode())
    assert wp("import", str(oas), who="SECRETARIAT").exit_code == 0


# --- Word files: characters, bombs, pandoc's limits ----------------------------------------------


def _docx(tmp: Path, wp) -> bytes:
    """A real .docx written by our own export (all paragraphs)."""
    out = tmp / "real.docx"
    r = wp("export", "--format", "docx", "--include", "all", "-o", str(out))
    assert r.exit_code == 0, r.output
    return out.read_bytes()


def _rewrite(data: bytes, path: Path, change) -> Path:
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = change(body)
            z.writestr(info.filename, body)
    return path


@pytest.fixture
def real_docx(tmp_path: Path, wp) -> bytes:
    return _docx(tmp_path, wp)


@pytest.mark.parametrize(("ch", "name"), [INVISIBLES[0], INVISIBLES[9], ("\x00", "control")])
def test_a_word_file_names_the_paragraph(wp, tmp_path, real_docx, ch, name) -> None:
    path = _rewrite(
        real_docx,
        tmp_path / "hidden.docx",
        lambda b: b.replace(b"PERMANENT", b"PERM" + ch.encode() + b"ANENT", 1),
    )
    r = wp("import", str(path), who="SECRETARIAT")
    assert r.exit_code == 65, r.output
    line = _one_line(r)
    assert f"U+{ord(ch):04X} " in line, line
    assert name in line, line
    if ch != "\x00":
        assert "hidden.docx: paragraph 1: contains an invisible character" in line


def _no_pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a: object, **_k: object) -> bytes:
        raise AssertionError("pandoc must not see this file")

    monkeypatch.setattr(pandoc, "run_pandoc", fail)


def _import_refused(wp, path: Path, message: str) -> str:
    before = wp("docs", "--json").output
    start = time.monotonic()
    r = wp("import", str(path), who="SECRETARIAT")
    assert time.monotonic() - start < 60  # a bound, not a benchmark: bombs are refused early
    assert r.exit_code == 65, r.output
    line = _one_line(r)
    assert message in line, line
    assert wp("docs", "--json").output == before
    return line


def _streamed_bomb(path: Path, base: bytes, size: int) -> Path:
    """A Word file whose document.xml inflates to `size` bytes of one run (written in chunks)."""
    src = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, src.read(info))
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>')
            chunk = b"a" * (1 << 20)
            for _ in range(size >> 20):
                fh.write(chunk)
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def test_a_ratio_bomb_is_refused_before_pandoc(wp, tmp_path, real_docx, monkeypatch) -> None:
    bomb = _streamed_bomb(tmp_path / "bomb.docx", real_docx, 200 << 20)
    assert bomb.stat().st_size < 1 << 20
    _no_pandoc(monkeypatch)
    _import_refused(wp, bomb, "inflates 10")


def test_too_many_entries(wp, tmp_path, real_docx, monkeypatch) -> None:
    path = tmp_path / "many.docx"
    path.write_bytes(real_docx)
    with zipfile.ZipFile(path, "a") as z:
        for i in range(docx_in.MAX_ENTRIES):
            z.writestr(f"word/media/x{i}.bin", b"")
    _no_pandoc(monkeypatch)
    _import_refused(wp, path, "entries in the archive (at most 1000)")


def test_xml_and_total_caps_count_what_inflates(wp, tmp_path, real_docx, monkeypatch) -> None:
    # Eleven parts of 1 MB each, every one under the ratio floor: only the running count sees them.
    path = tmp_path / "wide.docx"
    path.write_bytes(real_docx)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        for i in range(11):
            z.writestr(f"word/part{i}.xml", b"<a/>" * (1 << 18))
    _no_pandoc(monkeypatch)
    _import_refused(wp, path, "its XML inflates to more than 10 MB")
    monkeypatch.setattr(docx_in, "MAX_XML_BYTES", 1 << 30)
    monkeypatch.setattr(docx_in, "MAX_TOTAL_BYTES", 5 << 20)
    _import_refused(wp, path, "its contents inflate to more than 5 MB")


def test_file_size_cap(wp, tmp_path, real_docx, monkeypatch) -> None:
    path = tmp_path / "big.docx"
    path.write_bytes(real_docx)
    monkeypatch.setattr(docx_in, "MAX_DOCX_BYTES", 1024)
    _no_pandoc(monkeypatch)
    _import_refused(wp, path, "larger than 0 MB")


def _raw_zip(entries: list[tuple[str, int]], data: bytes, flags: int = 0, method: int = 8) -> bytes:
    """One local entry holding `data` (deflated), and a central directory naming it once per
    (name, offset) in `entries`: several names pointing at one stream overlap."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = comp.compress(data) + comp.flush()
    crc = zlib.crc32(data)
    name0 = entries[0][0].encode()
    local = (
        struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            flags,
            method,
            0,
            0,
            crc,
            len(body),
            len(data),
            len(name0),
            0,
        )
        + name0
        + body
    )
    central = b""
    for name, offset in entries:
        n = name.encode()
        central += (
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                flags,
                method,
                0,
                0,
                crc,
                len(body),
                len(data),
                len(n),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + n
        )
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(local), 0
    )
    return local + central + end


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            _raw_zip(
                [("word/document.xml", 0)] + [(f"word/p{i}.xml", 0) for i in range(30)],
                b"<a/>" * 1000,
            ),
            "overlaps another entry",
        ),
        (_raw_zip([("word/document.xml", 0)], b"<a/>", flags=1), "is encrypted"),
        (_raw_zip([("word/document.xml", 0)], b"<a/>", method=12), "compression method 12"),
        (_raw_zip([("../evil.xml", 0)], b"<a/>"), "not a plain relative path"),
        (_raw_zip([("word/styles.xml", 0)], b"<a/>"), "no word/document.xml"),
        (b"PK\x03\x04 not really a zip", "damaged zip archive"),
    ],
    ids=["overlap", "encrypted", "method", "dotdot", "no-document", "damaged"],
)
def test_zip_oddities_are_refused(wp, tmp_path, monkeypatch, raw: bytes, message: str) -> None:
    path = tmp_path / "odd.docx"
    path.write_bytes(raw)
    _no_pandoc(monkeypatch)
    _import_refused(wp, path, message)


def test_a_lying_directory_is_refused(wp, tmp_path, real_docx, monkeypatch) -> None:
    # The central directory claims document.xml is 100 bytes; the local header knows better.
    data = bytearray(real_docx)
    name = b"word/document.xml"
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, at + 24, 100)
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(data))
    _no_pandoc(monkeypatch)
    _import_refused(wp, path, "sizes disagree with the directory")


def test_pandoc_runs_under_a_memory_cap(wp, tmp_path, real_docx, monkeypatch) -> None:
    para = b"<w:p><w:r><w:t>Adopt national plans against trafficking.</w:t></w:r></w:p>"
    path = _rewrite(
        real_docx,
        tmp_path / "heavy.docx",
        lambda b: b.replace(b"<w:body>", b"<w:body>" + para * 9000, 1),
    )
    monkeypatch.setattr(pandoc, "PANDOC_MEMORY", "64m")
    _import_refused(wp, path, "pandoc needs more than 64m of memory to convert it; refused")


def test_pandoc_runs_under_a_time_limit(wp, tmp_path, real_docx, monkeypatch) -> None:
    path = tmp_path / "slow.docx"
    path.write_bytes(real_docx)
    monkeypatch.setattr(pandoc, "PANDOC_TIMEOUT", 0.001)
    _import_refused(wp, path, "pandoc took more than 0.001 s to convert it; refused")


def test_pandoc_is_started_with_the_cap(monkeypatch) -> None:
    seen: list[list[str]] = []

    def fake_run(cmd, **kw):
        seen.append(cmd)
        assert kw["timeout"] == pandoc.PANDOC_TIMEOUT
        return subprocess.CompletedProcess(cmd, 0, b"out", b"")

    monkeypatch.setattr(subprocess, "run", fake_run)
    assert pandoc.run_pandoc(["--version"], "x") == b"out"
    assert seen[0][1:4] == ["+RTS", f"-M{pandoc.PANDOC_MEMORY}", "-RTS"]


def test_text_files_are_capped(wp, tmp_path: Path, monkeypatch) -> None:
    from workplan.service import documents

    path = tmp_path / "huge.txt"
    path.write_text(OAS, encoding="utf-8")
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 64)
    monkeypatch.setattr(documents.read_file, "__kwdefaults__", {"max_bytes": 64})
    _import_refused(wp, path, "too large (more than 0 MB)")


# --- the record, the disk and standard output -----------------------------------------------------


def test_yaml_nested_100000_deep_is_one_line(wp, tmp_path: Path) -> None:
    path = tmp_path / "deep.md"
    path.write_text("---\nmetadata: " + "[" * 100_000 + "]" * 100_000 + "\n---\n", encoding="utf-8")
    line = _import_refused(wp, path, "front matter nested too deep")
    assert f"{path}:2: " in line
    path.write_text("---\nid: a\ntitle: &t T\nsymbol: *t\n---\n", encoding="utf-8")
    _import_refused(wp, path, "front matter may not use YAML anchors or aliases")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("amend", "OP" + "9" * 5000, "--text", "x"), 66, "no paragraph 'OP9999"),
        (("amend", "9" * 5000, "--text", "x"), 66, "no paragraph '9999"),
        (("show", "--rev", "9" * 5000), 66, "has no revision 9999"),
        (("show", "--rev", "9" * 25), 66, "has no revision 9999"),
        (("diff", "9" * 5000, "draft"), 66, "has no revision 9999"),
        (("silence", "OP1", "--until", "+" + "9" * 5000 + "h"), 65, "is too far away"),
        (("silence", "OP1", "--until", "+" + "9" * 25 + "d"), 65, "is too far away"),
    ],
)
def test_huge_numbers_are_one_line(wp, args, code: int, message: str) -> None:
    who = "CHAIR" if args[0] == "silence" else "CAN"
    r = wp(*args, who=who)
    assert r.exit_code == code, r.output
    line = _one_line(r)
    assert message in line, line
    assert len(line) < 200, line


def test_log_limit_past_sqlite_integers(wp) -> None:
    r = wp("log", "-n", "9" * 25, "--json")
    assert r.exit_code == 0
    assert json.loads(r.output)


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_output_names_up_to_255_bytes_work_and_longer_are_refused(wp, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a" * 255, "é" * 127):  # 255 and 254 bytes
        r = wp("export", "-o", str(out / name))
        assert r.exit_code == 0, r.output
    r = wp("export", "-o", str(out / ("b" * 300)))
    assert r.exit_code == 65
    assert "the file name is too long (300 bytes, at most 255)" in _one_line(r)
    assert _leftovers(out) == []


def test_disk_full_while_writing_a_file_leaves_no_temp_file(wp, tmp_path, monkeypatch) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    r = wp("export", "-o", str(tmp_path / "plan.md"))
    assert r.exit_code == 74
    assert "No space left on device; nothing was written" in _one_line(r)
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / "plan.md").exists()


def _sqlite_error(message: str) -> sqlite3.OperationalError:
    """The error SQLite raises with `message`, carrying its name as a real one does."""
    names = {
        "database or disk is full": "SQLITE_FULL",
        "attempt to write a readonly database": "SQLITE_READONLY",
        "disk I/O error": "SQLITE_IOERR",
    }
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorname = names[message]
    return exc


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        ("database or disk is full", 74, "is full; nothing was written"),
        ("attempt to write a readonly database", 77, "is read-only for this account"),
        ("disk I/O error", 74, "cannot use the database"),
    ],
)
def test_sqlite_failures_mid_write_are_one_line(
    wp, monkeypatch, error: str, code: int, message: str
) -> None:
    from workplan.store import rows

    before = wp("log", "--json").output

    def fail(*_a: object, **_k: object) -> None:
        raise _sqlite_error(error)

    monkeypatch.setattr(rows, "put", fail)
    r = wp("amend", "OP1", "--text", "New text.", who="CAN")
    assert r.exit_code == code, r.output
    assert message in _one_line(r)
    monkeypatch.undo()
    assert wp("log", "--json").output == before


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        ("database or disk is full", 74, "is full; nothing was written"),
        ("disk I/O error", 74, "disk I/O error"),
    ],
)
def test_a_full_disk_while_opening_the_record_is_74_not_bad_data(
    wp, monkeypatch, error: str, code: int, message: str
) -> None:
    """A full disk (SQLite cannot make its -shm file) is no fault of the record's data."""
    from workplan.store import kind

    def fail(_conn: sqlite3.Connection) -> str:
        raise _sqlite_error(error)

    monkeypatch.setattr(kind, "record_kind", fail)
    r = wp("status")
    assert r.exit_code == code, r.output
    assert message in _one_line(r)


def test_a_full_disk_during_a_backup_is_74(wp, tmp_path: Path, monkeypatch) -> None:
    real = sqlite3.connect

    class Full(sqlite3.Connection):
        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if "journal_mode = DELETE" in sql:
                raise _sqlite_error("database or disk is full")
            return super().execute(sql, *args)  # type: ignore[arg-type]

    def connect(path, *args, **kwargs):
        if str(path).endswith(".partial"):
            kwargs["factory"] = Full
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    r = wp("backup", str(tmp_path / "copy.db"))
    assert r.exit_code == 74, r.output
    assert "cannot back up" in _one_line(r)
    assert "full" in _one_line(r)
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize(
    ("err", "code", "message"),
    [
        (errno.EACCES, 77, "Permission denied"),
        (errno.EROFS, 77, "Read-only file system"),
        (errno.ENOSPC, 74, "no space left on the device"),
        (errno.ENAMETOOLONG, 65, "a file name is too long"),
    ],
)
def test_os_errors_anywhere_are_one_line(
    wp, monkeypatch, err: int, code: int, message: str
) -> None:
    from workplan import cli as cli_module

    def fail(_self, *_a, **_k):
        raise OSError(err, os.strerror(err), "somewhere/wg.db")

    monkeypatch.setattr(cli_module.Context, "service", fail)
    r = wp("status")
    assert r.exit_code == code, r.output
    line = _one_line(r)
    assert line.startswith("workplan: somewhere/wg.db: "), line
    assert message in line, line


def _process(db: Path, *args: str, stdout: int) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "workplan", "--db", str(db), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )


def test_stdout_to_dev_full_is_one_line_exit_74(wp) -> None:
    with open("/dev/full", "wb") as full:
        for args in (("show",), ("log", "--json"), ("export",)):
            p = _process(wp.db, *args, stdout=full.fileno())
            err = p.stderr.decode()
            assert p.returncode == 74, err
            assert err == "workplan: cannot write to standard output: No space left on device\n"


def test_a_closed_pipe_ends_quietly(wp) -> None:
    r, w = os.pipe()
    os.close(r)  # the reader is gone before anything is written (`| head` after its line)
    try:
        p = _process(wp.db, "log", stdout=w)
    finally:
        os.close(w)
    assert p.returncode == 1
    assert p.stderr == b""
