#!/usr/bin/env python3
"""Read spanmark's exports of the hard-Unicode fixture with each peer tool's own library and
check that every span's text at its offsets equals the article's.

Usage: check_exports.py EXPECTED_JSON EXPORT_ROOT

EXPORT_ROOT holds one folder per format, as `spanmark export FIXTURE --to FORMAT --out
EXPORT_ROOT/FORMAT` writes them: brat/, label-studio/, xmi/, doccano/, csv/, qdpx/.
EXPECTED_JSON (tests/peers/hard-unicode.expected.json) lists the article text and each
span's label and text; a Rust test keeps it in step with the fixture project.

Readers: bratly (+ bratly-io-fs) for brat, label-studio-sdk's LabelInterface and Converter
for Label Studio, dkpro-cassis for UIMA XMI, Python's json with UTF-16 indexing for doccano,
pandas and csv for CSV, pyrefiqda for REFI-QDA. Exit status 1 when any reader rejects an
export or finds a span whose text differs.
"""

import csv
import io
import json
import sys
import tempfile
from collections import Counter
from importlib.metadata import version
from pathlib import Path

FAILURES = []


def check(fmt, reader, got, expected, text_ok=True, extra=None):
    """Compare the (label, text) pairs a reader found with the expected ones."""
    want = Counter(expected)
    have = Counter(got)
    if not text_ok:
        FAILURES.append(f"{fmt}: the article text read by {reader} differs from the fixture's")
    if have != want:
        missing = list((want - have).elements())
        surplus = list((have - want).elements())
        FAILURES.append(f"{fmt}: {reader} found other spans; missing {missing!r}, unexpected {surplus!r}")
        return
    for problem in extra or []:
        FAILURES.append(f"{fmt}: {reader}: {problem}")
    if text_ok and not extra:
        print(f"ok  {fmt:13} {reader}: {len(got)} spans, every text exact")


def utf16_slice(text, start, end):
    units = text.encode("utf-16-le")
    # strict decoding fails on an offset inside a surrogate pair
    return units[2 * start : 2 * end].decode("utf-16-le", errors="strict")


def brat(root, name, expected, article):
    from bratly.io import read_and_load_txt_file
    from bratly import AttributeAnnotation, EntityAnnotation, NoteAnnotation

    reader = f"bratly {version('bratly')}"
    txt = root / f"{name}.txt"
    doc = read_and_load_txt_file(str(txt), str(root / f"{name}.ann"))
    content = doc.get_txt_content()
    raw = txt.read_bytes()
    extra = []
    if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
        extra.append("the .txt has a BOM or CR")
    if not doc.check_ann_compatibility_with_txt():
        extra.append("bratly's check_ann_compatibility_with_txt() says the .ann does not match the .txt")
    conf = (root / "annotation.conf").read_text(encoding="utf-8")
    if "<OVERLAP>" not in conf:
        extra.append("annotation.conf has no <OVERLAP> rule")
    got = []
    (collection,) = doc.annotation_collections
    for ann in collection.get_annotations(descendant_type=EntityAnnotation):
        frags = ann.fragments
        got.append((ann.label, content[frags[0].start : frags[-1].end]))
        for frag in frags:
            if "\n" in content[frag.start : frag.end]:
                extra.append(f"{ann.id}: a fragment holds a line break")
    notes = [n.value for n in collection.get_annotations(descendant_type=NoteAnnotation)]
    attrs = [a.label for a in collection.get_annotations(descendant_type=AttributeAnnotation)]
    if "first line second line" not in notes:
        extra.append(f"the flattened note is missing: {notes!r}")
    if attrs != ["NeedsReview"]:
        extra.append(f"expected one NeedsReview attribute, found {attrs!r}")
    check("brat", reader, got, expected, content == article, extra)


def label_studio(root, name, expected, article):
    from label_studio_sdk.converter import Converter
    from label_studio_sdk.label_interface import LabelInterface

    reader = f"label-studio-sdk {version('label-studio-sdk')}"
    config = (root / f"{name}.config.xml").read_text(encoding="utf-8")
    tasks = json.loads((root / f"{name}.json").read_text(encoding="utf-8"))
    interface = LabelInterface(config)
    interface.validate()
    extra = []
    for task in tasks:
        for annotation in task["annotations"]:
            errors = interface.validate_prediction(annotation, return_errors=True)
            extra.extend(f"LabelInterface rejects a region: {e}" for e in errors)
    with tempfile.TemporaryDirectory() as out:
        converter = Converter(config=config, project_dir=None, download_resources=False)
        converter.convert_to_json_min(str(root / f"{name}.json"), out, is_dir=False)
        records = json.loads((Path(out) / "result.json").read_text(encoding="utf-8"))
    got = []
    text_ok = True
    for record in records:
        text = record["text"]
        text_ok = text_ok and text == article
        for region in record.get("label", []):
            at = text[region["start"] : region["end"]]
            if at != region["text"]:
                extra.append(f"region text {region['text']!r} differs from the text at its offsets {at!r}")
            for label in region["labels"]:
                got.append((label, at))
    check("label-studio", reader, got, expected, text_ok, extra)


def xmi(root, name, expected, article):
    from cassis import load_cas_from_xmi, load_typesystem

    reader = f"dkpro-cassis {version('dkpro-cassis')}"
    with open(root / "TypeSystem.xml", "rb") as f:
        typesystem = load_typesystem(f)
    with open(root / f"{name}.xmi", "rb") as f:
        cas = load_cas_from_xmi(f, typesystem=typesystem)
    got = []
    extra = []
    for span in cas.select("webanno.custom.SpanmarkSpan"):
        got.append((span.label, span.get_covered_text()))
        if span.status not in ("Confirmed", "NeedsReview", "Suggested", "Rejected"):
            extra.append(f"status {span.status!r}")
    notes = [s.note for s in cas.select("webanno.custom.SpanmarkSpan") if s.note]
    if "first line\nsecond line" not in notes:
        extra.append(f"the note with a line break did not survive: {notes!r}")
    check("xmi", reader, got, expected, cas.sofa_string == article, extra)


def doccano(root, name, expected, article):
    reader = f"json (Python {sys.version.split()[0]}) with UTF-16 indexing"
    raw = (root / f"{name}.jsonl").read_bytes()
    extra = []
    if not raw.isascii():
        extra.append("the JSONL is not ASCII only")
    got = []
    text_ok = True
    for line in raw.decode("ascii").splitlines():
        doc = json.loads(line)
        text_ok = text_ok and doc["text"] == article
        for start, end, label in doc["label"]:
            got.append((label, utf16_slice(doc["text"], start, end)))
    check("doccano", reader, got, expected, text_ok, extra)


def csv_(root, name, expected, article):
    import pandas

    reader = f"pandas {version('pandas')} and csv"
    path = root / f"{name}.csv"
    raw = path.read_bytes()
    extra = []
    if not raw.startswith(b"\xef\xbb\xbf"):
        extra.append("no UTF-8 BOM")
    frame = pandas.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    if len(rows) != len(frame):
        extra.append(f"pandas reads {len(frame)} rows, csv {len(rows)}")
    got = []
    for (_, row), plain in zip(frame.iterrows(), rows):
        start, end = int(row["start"]), int(row["end"])
        at = article[start:end]
        if at != row["text"] or row["text"] != plain["text"]:
            extra.append(f"row {row['id']}: cell {row['text']!r} differs from the text at {start}..{end} {at!r}")
        if utf16_slice(article, int(row["start_utf16"]), int(row["end_utf16"])) != at:
            extra.append(f"row {row['id']}: the UTF-16 columns point elsewhere")
        got.append((row["label"], at))
    check("csv", reader, got, expected, True, extra)


def qdpx(root, name, expected, article):
    from pyrefiqda import RefiProject

    reader = f"pyrefiqda {version('pyrefiqda')}"
    with tempfile.TemporaryDirectory() as out:
        project = RefiProject.load(root / f"{name}.qdpx", extract_dir=out)
        codes = {}

        def walk(code_list):
            for code in code_list:
                codes[code.guid] = code.name
                walk(code.code)

        walk(project.code_book.codes.code)
        got = []
        extra = []
        text_ok = True
        for source in project.sources.text_source:
            path = RefiProject.resolve_source_path(source.plain_text_path, out)
            text = path.read_bytes().decode("utf-8")
            text_ok = text_ok and text == article
            for sel in source.plain_text_selection:
                at = text[sel.start_position : sel.end_position]
                for coding in sel.coding:
                    got.append((codes[coding.code_ref.target_guid], at))
            notes = [s.description for s in source.plain_text_selection if s.description]
            if "first line\nsecond line" not in notes:
                extra.append(f"the note with a line break did not survive: {notes!r}")
    check("qdpx", reader, got, expected, text_ok, extra)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    expected_doc = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    root = Path(sys.argv[2])
    article = expected_doc["text"]
    name = expected_doc["name"]
    expected = [(s["label"], s["text"]) for s in expected_doc["spans"]]
    for s in expected_doc["spans"]:
        assert article[s["start"] : s["end"]] == s["text"], s
    checks = [
        ("brat", brat),
        ("label-studio", label_studio),
        ("xmi", xmi),
        ("doccano", doccano),
        ("csv", csv_),
        ("qdpx", qdpx),
    ]
    for folder, fn in checks:
        try:
            fn(root / folder, name, expected, article)
        except Exception as e:  # a reader that throws has rejected the export
            FAILURES.append(f"{folder}: the reader rejected the export: {type(e).__name__}: {e}")
    for failure in FAILURES:
        print(f"FAIL {failure}")
    print(f"{len(checks) - len({f.split(':')[0] for f in FAILURES})} passed, {len({f.split(':')[0] for f in FAILURES})} failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
