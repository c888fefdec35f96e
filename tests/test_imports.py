"""Imports: OAS Word-converted text, our own plain text, Word files; reports and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workplan.cli import cli
from workplan.formats.oas_text import parse_oas_text
from workplan.model import ParagraphKind, member_states

SAMPLE = Path(__file__).parent / "fixtures" / "oas_sample.txt"


def test_parse_sample_counts_and_reservations() -> None:
    r = parse_oas_text(SAMPLE.read_text(encoding="utf-8"), "sample", member_states())
    kinds = [p.kind for p in r.paragraphs]
    assert kinds.count(ParagraphKind.PREAMBULAR) == 3
    assert kinds.count(ParagraphKind.OPERATIVE) == 3
    assert kinds.count(ParagraphKind.FOLLOW_UP) == 3
    assert kinds.count(ParagraphKind.OTHER) == 2
    assert [p.printed_number for p in r.paragraphs if p.kind == "follow-up"] == ["1", "1", "1"]
    assert r.footnotes == 7
    by_key = {x.key: x for x in r.reservations}
    assert [by_key[k].delegation for k in ("R1", "R2", "R3")] == ["PRY", "JAM", "LCA"]
    jam = by_key["R2"].text
    assert "wishes to place on record its reservation" in jam  # the cut body is rejoined
    assert jam.endswith("\n\nJamaica remains committed to protecting the rights of all victims.")
    assert by_key["R1"].printed == [1, 4, 7]
    assert r.paragraphs[1].reservations == ["R1", "R2", "R3"]
    assert "“joint investigations”" in r.paragraphs[2].text


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace("[8: .\tIdem 1]", "[8: .\tIdem 9]"), "Idem 9"),
        (lambda t: t.replace(" [8: .\tIdem 1]", ""), "footnote 7 is called but has no text"),
        (
            lambda t: t.replace("Saint Lucia joins the consensus.]", "Saint Lucia joins"),
            "not closed",
        ),
    ],
)
def test_broken_files_exit_65_and_write_nothing(tmp_path: Path, mutate, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(mutate(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    db = tmp_path / "x.db"
    r = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(bad)])
    assert r.exit_code == 65, r.output
    assert message in r.output
    assert "bad.txt:" in r.output
    docs = CliRunner().invoke(cli, ["--db", str(db), "docs", "--json"])
    assert json.loads(docs.output) == []


def _run(db: Path, *args: str) -> object:
    r = CliRunner().invoke(
        cli, ["--db", str(db), "--as", "SECRETARIAT", *args], catch_exceptions=False
    )
    assert r.exit_code == 0, r.output
    return r


def _shape(db: Path, doc: str) -> list[tuple[str, str, list[tuple[str | None, str]]]]:
    show = json.loads(CliRunner().invoke(cli, ["--db", str(db), "show", doc, "--json"]).output)
    res = json.loads(
        CliRunner().invoke(cli, ["--db", str(db), "reservations", "--doc", doc, "--json"]).output
    )
    out = []
    for p in show["paragraphs"]:
        attached = [(r["delegation"], r["text"]) for r in res if p["uid"] in r["paragraphs"]]
        out.append((p["kind"], p["text"], attached))
    return out


def test_import_report_and_txt_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    r = CliRunner().invoke(
        cli,
        [
            "--db",
            str(db),
            "--as",
            "SECRETARIAT",
            "import",
            str(SAMPLE),
            "--id",
            "sample",
            "--agreed",
            "--json",
        ],
    )
    report = json.loads(r.output)
    assert report["paragraphs"] == {"other": 2, "preambular": 3, "operative": 3, "follow-up": 3}
    assert [x["delegation"] for x in report["reservations"]] == ["PRY", "JAM", "LCA"]
    assert report["reservations"][0]["paragraphs"] == ["PP1", "OP1", "OP3"]
    assert any("follow-up" in w for w in report["warnings"])
    out = tmp_path / "sample-out.txt"
    _run(db, "export", "sample", "--format", "txt", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "victim of trafficking;1/2/3/" in text
    assert "4. Idem 1" in text
    assert "5. Idem 2" in text
    _run(db, "import", str(out), "--id", "again", "--agreed")
    assert _shape(db, "again") == _shape(db, "sample")


def test_word_file_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    _run(db, "import", str(SAMPLE), "--id", "sample", "--agreed")
    word = tmp_path / "sample.docx"
    _run(db, "export", "sample", "--format", "docx", "-o", str(word))
    r = _run(db, "import", str(word), "--id", "from-word", "--agreed", "--json")
    report = json.loads(r.output)  # type: ignore[attr-defined]
    assert report["format"] == "docx"
    assert [x["delegation"] for x in report["reservations"]] == ["PRY", "JAM", "LCA"]
    assert [k for k, _, _ in _shape(db, "from-word")] == [k for k, _, _ in _shape(db, "sample")]
    assert _shape(db, "from-word") == _shape(db, "sample")


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(conn.execute(f"SELECT * FROM [{n}]").fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def _zip(path: Path, members: dict[str, bytes]) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


@pytest.fixture(scope="module")
def word_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real .docx (the sample exported through pandoc), for truncating."""
    tmp = tmp_path_factory.mktemp("word")
    db = tmp / "w.db"
    _run(db, "import", str(SAMPLE), "--id", "sample", "--agreed")
    _run(db, "export", "sample", "--format", "docx", "-o", str(tmp / "sample.docx"))
    return (tmp / "sample.docx").read_bytes()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda p, _w: p.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 40), id="not-a-zip"
        ),
        pytest.param(lambda p, w: p.write_bytes(w[: len(w) // 2]), id="truncated"),
        pytest.param(lambda p, _w: _zip(p, {"hello.txt": b"hello"}), id="zip-without-document"),
        pytest.param(
            lambda p, _w: _zip(
                p,
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w:document><w:body><w:p>unclosed",
                },
            ),
            id="broken-document-xml",
        ),
        pytest.param(lambda p, _w: p.write_bytes(b""), id="empty"),
    ],
)
def test_malformed_word_file_exit_65_one_line_nothing_written(
    tmp_path: Path, word_file: bytes, make
) -> None:
    db = tmp_path / "x.db"
    _run(db, "import", str(SAMPLE), "--id", "sample", "--agreed")
    before = _tables(db)
    bad = tmp_path / "bad.docx"
    make(bad, word_file)
    for fmt in ([], ["--format", "docx"]):
        r = CliRunner().invoke(
            cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(bad), *fmt]
        )
        assert r.exit_code == 65, r.output
        lines = r.output.strip().splitlines()
        assert len(lines) == 1
        assert lines[0].startswith("workplan: ")
        assert "bad.docx" in lines[0]
        assert _tables(db) == before


@pytest.mark.parametrize(("name", "what"), [("fake.docx", "a Word file"), ("fake.pdf", "a PDF")])
def test_a_text_file_named_as_a_binary_format_is_refused(
    tmp_path: Path, name: str, what: str
) -> None:
    path = tmp_path / name
    path.write_text("1. To promote shelters run with survivors.\n", encoding="utf-8")
    db = tmp_path / "x.db"
    r = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(path)])
    assert r.exit_code == 65
    assert f"named {path.suffix} but not {what}" in r.output
    assert (
        not db.exists() or "fake" not in CliRunner().invoke(cli, ["--db", str(db), "docs"]).output
    )
