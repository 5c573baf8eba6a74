//! Export to and import from brat, Label Studio, XMI, doccano, CSV and REFI-QDA.
//!
//! - Golden files per format for a small article with an emoji, a flag, CJK, a span across
//!   a line break, overlapping spans, a note with a line break and a `NeedsReview` span
//!   (`UPDATE_GOLDEN=1 cargo test --test interop` rewrites them; review the diff).
//! - The peer fixture (`tests/fixtures/interop/hard-unicode.ron`) and the spans the peers'
//!   readers must find in it (`tests/peers/hard-unicode.expected.json`) stay in step.
//! - Export then import gives back what each format carries, on fixed projects, on corpora
//!   and on random projects of hard Unicode (proptest), with offsets exact.
//! - Every kind of bad input is refused or kept as orphans, with the file and item named,
//!   and nothing is written when an import fails.

mod common;

mod cmd;

use cmd::{spanmark, text};
use std::error::Error;
use std::fs;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use spanmark::format::interop::{
    self, ExportDoc, Format, ImportOptions, Imported, InteropError, render, save_imported,
};
use spanmark::format::{project_to_ron, read_project, write_project};
use spanmark::model::{
    Article, CharRange, Label, LabelId, LabelSet, Project, Rgb, Span, SpanId, Status,
};

type TestResult = Result<(), Box<dyn Error>>;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/interop")
}

fn update_golden() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

/// Add a span over the `nth` occurrence of `needle`.
fn tag(project: &mut Project, needle: &str, nth: usize, label: &str, note: &str, status: Status) {
    let range = common::find(project.article(), needle, nth);
    let label = project.labels().by_name(label).unwrap_or_default();
    let span = Span {
        id: project.fresh_id(),
        range,
        label,
        note: note.to_owned(),
        status,
    };
    assert!(project.insert_span(span).is_ok(), "{needle}");
}

/// The golden article: an emoji, a flag, CJK, a span across a line break, overlapping
/// spans, a note with a line break and one `NeedsReview` span.
fn alaska() -> Project {
    let text = "Putin 🙂 rejected the 🇺🇦 offer.\n東京 said the talks\nwill resume in May.\n";
    let mut p = Project::new(Article::new("alaska", None, text), LabelSet::default());
    tag(
        &mut p,
        "Putin 🙂 rejected the 🇺🇦 offer",
        0,
        "Claim",
        "checked\nby two editors",
        Status::Confirmed,
    );
    tag(
        &mut p,
        "rejected the 🇺🇦 offer.",
        0,
        "Quote",
        "",
        Status::NeedsReview,
    );
    tag(
        &mut p,
        "東京 said the talks\nwill resume in May",
        0,
        "Claim",
        "",
        Status::Confirmed,
    );
    tag(
        &mut p,
        "東京",
        0,
        "Disclaimer",
        "source: wire",
        Status::Confirmed,
    );
    p
}

/// The project the peers' readers check: emoji, flags, combining marks, Arabic, CJK, a
/// zero-width space and a span across a line break.
fn hard_unicode() -> Project {
    let text = concat!(
        "Zelensky 🇺🇦 said: \"Café e\u{301}lan 👩\u{200d}👩\u{200d}👧 is open.\"\n",
        "\u{627}\u{644}\u{633}\u{644}\u{627}\u{645} \u{639}\u{644}\u{64a}\u{643}\u{645} — 東京で会議\u{200b}が始まった。\n",
        "The deal\nwas signed 🏳\u{fe0f}\u{200d}🌈 today.\n"
    );
    let mut p = Project::new(
        Article::new("hard-unicode", None, text),
        LabelSet::default(),
    );
    tag(&mut p, "🇺🇦 said", 0, "Claim", "", Status::Confirmed);
    tag(
        &mut p,
        "Café e\u{301}lan 👩\u{200d}👩\u{200d}👧 is open.",
        0,
        "Quote",
        "",
        Status::Confirmed,
    );
    tag(
        &mut p,
        "👩\u{200d}👩\u{200d}👧",
        0,
        "Quote",
        "a family: one emoji of 5 code points",
        Status::Confirmed,
    );
    tag(&mut p, "e\u{301}", 0, "Claim", "", Status::Confirmed);
    tag(
        &mut p,
        "\u{627}\u{644}\u{633}\u{644}\u{627}\u{645} \u{639}\u{644}\u{64a}\u{643}\u{645}",
        0,
        "Claim",
        "",
        Status::Confirmed,
    );
    tag(
        &mut p,
        "東京で会議\u{200b}が始まった",
        0,
        "Quote",
        "",
        Status::Confirmed,
    );
    tag(
        &mut p,
        "The deal\nwas signed 🏳\u{fe0f}\u{200d}🌈 today",
        0,
        "Claim",
        "",
        Status::Confirmed,
    );
    tag(
        &mut p,
        "signed 🏳\u{fe0f}\u{200d}🌈",
        0,
        "Disclaimer",
        "first line\nsecond line",
        Status::NeedsReview,
    );
    p
}

fn one<'a>(stem: &'a str, project: &'a Project) -> [ExportDoc<'a>; 1] {
    [ExportDoc { stem, project }]
}

/// The entries of a zip, by name.
/// A file's name and bytes.
type Entry = (String, Vec<u8>);

fn unzip(bytes: &[u8]) -> Result<Vec<Entry>, Box<dyn Error>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        out.push((entry.name()?.into_owned(), data));
    }
    Ok(out)
}

/// Compare `bytes` with the golden file at `path` (or write it when updating).
fn check_golden(path: &Path, bytes: &[u8]) -> TestResult {
    if update_golden() {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)?;
        return Ok(());
    }
    let golden = fs::read(path)
        .map_err(|e| format!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()))?;
    assert!(
        golden == bytes,
        "{} differs from the export:\n--- golden\n{}\n--- export\n{}",
        path.display(),
        String::from_utf8_lossy(&golden),
        String::from_utf8_lossy(bytes)
    );
    Ok(())
}

#[test]
fn golden_files_match_for_every_format() -> TestResult {
    let p = alaska();
    for format in Format::ALL {
        let rendered = render(format, "alaska", &one("alaska", &p))?;
        let dir = fixtures().join("golden").join(format.name());
        for (rel, bytes) in &rendered.files {
            if Path::new(rel)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("qdpx"))
            {
                // The archive's entries are compared, not its compressed bytes.
                for (name, data) in unzip(bytes)? {
                    check_golden(&dir.join(rel).join(&name), &data)?;
                }
            } else {
                check_golden(&dir.join(rel), bytes)?;
            }
        }
        check_golden(
            &dir.join("losses.txt"),
            (rendered.losses.join("\n") + "\n").as_bytes(),
        )?;
    }
    Ok(())
}

#[test]
fn exports_are_deterministic_to_the_byte() -> TestResult {
    let p = alaska();
    for format in Format::ALL {
        let a = render(format, "alaska", &one("alaska", &p))?;
        let b = render(format, "alaska", &one("alaska", &p))?;
        assert_eq!(a, b, "{format}");
    }
    Ok(())
}

#[test]
fn every_export_reports_what_its_format_loses() -> TestResult {
    let p = alaska();
    let losses = |f| render(f, "alaska", &one("alaska", &p)).map(|r| r.losses.join("\n"));
    let brat = losses(Format::Brat)?;
    assert!(
        brat.contains("brat: 1 note(s) had line breaks or tabs flattened"),
        "{brat}"
    );
    let doccano = losses(Format::Doccano)?;
    assert!(
        doccano.contains(
            "doccano: 4 overlapping span(s) need the project option Allow overlapping entity"
        ),
        "{doccano}"
    );
    let qdpx = losses(Format::Qdpx)?;
    assert!(
        qdpx.contains(
            "REFI-QDA has no review status: 1 NeedsReview span(s) exported as plain codings"
        ),
        "{qdpx}"
    );
    let csv = losses(Format::Csv)?;
    assert!(csv.contains("csv: 3 label(s) lose colour"), "{csv}");
    let xmi = losses(Format::Xmi)?;
    assert!(xmi.contains("xmi: 3 label(s) lose colour"), "{xmi}");
    // Label Studio carries everything of this project.
    assert_eq!(losses(Format::LabelStudio)?, "");
    Ok(())
}

#[test]
fn xmi_replaces_control_characters_and_says_so() -> TestResult {
    let mut p = Project::new(
        Article::new("c", None, "bell \u{7} here\tand tab"),
        LabelSet::default(),
    );
    tag(
        &mut p,
        "here",
        0,
        "Claim",
        "esc \u{1b} note",
        Status::Confirmed,
    );
    let r = render(Format::Xmi, "c", &one("c", &p))?;
    let text = r.losses.join("\n");
    assert!(
        text.contains("xmi: 1 control character(s) in the text replaced by U+FFFD"),
        "{text}"
    );
    assert!(
        text.contains("xmi: 1 control character(s) in notes"),
        "{text}"
    );
    let xmi = r
        .files
        .first()
        .map(|f| String::from_utf8_lossy(&f.1).into_owned())
        .unwrap_or_default();
    assert!(xmi.contains("bell \u{FFFD} here&#9;and tab"), "{xmi}");
    Ok(())
}

#[test]
fn csv_warns_about_formula_cells_without_changing_them() -> TestResult {
    let mut p = Project::new(
        Article::new("f", None, "=SUM(A1) and +1 and -x"),
        LabelSet::default(),
    );
    tag(&mut p, "=SUM(A1)", 0, "Claim", "@note", Status::Confirmed);
    let r = render(Format::Csv, "f", &one("f", &p))?;
    assert!(
        r.losses
            .iter()
            .any(|l| l.starts_with("csv: 2 cell(s) start with = + - or @")),
        "{:?}",
        r.losses
    );
    let csv = r.files.first().map(|f| f.1.clone()).unwrap_or_default();
    assert!(csv.starts_with("\u{feff}document,id,label".as_bytes()));
    assert!(
        String::from_utf8_lossy(&csv).contains("f,0,Claim,0,8,=SUM(A1),@note,Confirmed,0,8\r\n")
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The peer fixture
// ---------------------------------------------------------------------------------------

/// What the peers' readers must find: the text and each span's label, text and offsets in
/// both units.
fn expected_json(p: &Project) -> String {
    let index = spanmark::model::Utf16Index::new(p.article().text());
    let spans: Vec<serde_json::Value> = p
        .spans()
        .iter()
        .map(|s| {
            let u = index.utf16_range(s.range);
            serde_json::json!({
                "label": p.labels().name(s.label),
                "text": p.span_text(s),
                "start": s.range.start().get(),
                "end": s.range.end().get(),
                "start_utf16": u.start,
                "end_utf16": u.end,
                "status": s.status.as_str(),
            })
        })
        .collect();
    let value =
        serde_json::json!({"name": p.article().name(), "text": p.article().text(), "spans": spans});
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

#[test]
fn peer_fixture_and_its_expected_spans_stay_in_step() -> TestResult {
    let p = hard_unicode();
    let ron = fixtures().join("hard-unicode.ron");
    let expected =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/hard-unicode.expected.json");
    if update_golden() {
        write_project(&ron, &p)?;
        fs::write(&expected, expected_json(&p))?;
    }
    let loaded = read_project(&ron)?;
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.project.article().text(), p.article().text());
    assert_eq!(loaded.project.spans(), p.spans());
    assert_eq!(fs::read_to_string(&expected)?, expected_json(&p));
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------

/// Export `docs` to `format` in a fresh folder and import the result (detecting the format
/// unless told), putting the article texts beside a CSV as its import needs.
fn round_trip(
    format: Format,
    docs: &[ExportDoc<'_>],
    detect: bool,
) -> Result<Imported, Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("out");
    interop::export(format, "rt", docs, &out)?;
    let input = match format {
        Format::Brat | Format::Xmi if docs.len() > 1 => out.clone(),
        Format::Brat => out.join(format!("{}.ann", docs.first().map_or("", |d| d.stem))),
        Format::Xmi => out.join(format!("{}.xmi", docs.first().map_or("", |d| d.stem))),
        Format::LabelStudio => out.join("rt.json"),
        Format::Doccano => out.join("rt.jsonl"),
        Format::Csv => {
            for d in docs {
                let txt = out.join(format!("{}.txt", d.stem));
                if let Some(parent) = txt.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(txt, d.project.article().text())?;
            }
            out.join("rt.csv")
        }
        Format::Qdpx => out.join("rt.qdpx"),
    };
    let options = ImportOptions {
        format: (!detect).then_some(format),
        text_dirs: Vec::new(),
    };
    let imported = interop::import(&input, &options)?;
    assert_eq!(imported.format, format);
    Ok(imported)
}

/// XML 1.0 cannot hold these; XMI and REFI-QDA write U+FFFD instead.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t'
            | '\n'
            | '\r'
            | '\u{20}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => c,
            _ => '\u{FFFD}',
        })
        .collect()
}

/// brat's one-line notes.
fn flat(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' | '\u{b}' | '\u{c}' | '\u{1c}' | '\u{1d}' | '\u{1e}' | '\u{85}'
            | '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect()
}

type Carried = Vec<(usize, usize, String, String, Status)>;

/// The spans a format carries for `p`: (start, end, label, note, status), in export order,
/// with what the format changes applied.
fn carried(format: Format, p: &Project) -> Carried {
    let text = p.article().text();
    let mut out: Carried = Vec::new();
    for s in p.spans() {
        let label = p.labels().name(s.label).to_owned();
        let (mut start, mut end) = (s.range.start().get(), s.range.end().get());
        let (label, note, status) = match format {
            Format::Brat => {
                // Fragments leave line breaks out at both ends.
                let covered: Vec<char> = p.span_text(s).chars().collect();
                let lead = covered.iter().take_while(|&&c| c == '\n').count();
                if lead == covered.len() {
                    continue;
                }
                let trail = covered.iter().rev().take_while(|&&c| c == '\n').count();
                start += lead;
                end -= trail;
                (label, flat(&s.note), s.status)
            }
            Format::Xmi => (xml_safe(&label), xml_safe(&s.note), s.status),
            Format::Qdpx => match s.status {
                Status::Suggested | Status::Rejected => continue,
                _ => (xml_safe(&label), xml_safe(&s.note), Status::Confirmed),
            },
            _ => (label, s.note.clone(), s.status),
        };
        // After brat's trimming two spans may coincide: the first one is kept.
        if out
            .iter()
            .any(|c| c.0 == start && c.1 == end && c.2 == label)
        {
            continue;
        }
        out.push((start, end, label, note, status));
    }
    let _ = text;
    out.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    out
}

fn spans_of(p: &Project) -> Carried {
    let mut out: Carried = p
        .spans()
        .iter()
        .map(|s| {
            (
                s.range.start().get(),
                s.range.end().get(),
                p.labels().name(s.label).to_owned(),
                s.note.clone(),
                s.status,
            )
        })
        .collect();
    out.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    out
}

/// Check that `imported` holds what `format` carries of `original`.
fn assert_carried(format: Format, original: &Project, imported: &Project, stem: &str) {
    let text = if format == Format::Xmi {
        xml_safe(original.article().text())
    } else {
        original.article().text().to_owned()
    };
    assert_eq!(imported.article().text(), text, "{format}: text");
    assert_eq!(
        spans_of(imported),
        carried(format, original),
        "{format}: spans"
    );
    if format != Format::Brat {
        assert!(
            imported.orphans().is_empty(),
            "{format}: {:?}",
            imported.orphans()
        );
    }
    let leaf = stem.rsplit('/').next().unwrap_or(stem).to_owned();
    let title = match format {
        _ if original.article().name().is_empty() => leaf,
        Format::LabelStudio | Format::Doccano => original.article().name().to_owned(),
        Format::Xmi => xml_safe(original.article().name()),
        _ => leaf,
    };
    assert_eq!(imported.article().name(), title, "{format}: title");
    if matches!(format, Format::LabelStudio | Format::Doccano) {
        assert_eq!(imported.is_done(), original.is_done(), "{format}: done");
    }
    // Formats with a label scheme bring the colours back.
    if matches!(format, Format::Brat | Format::LabelStudio | Format::Qdpx) {
        for s in original.spans() {
            let Some(label) = original.labels().get(s.label) else {
                continue;
            };
            let name = if format == Format::Qdpx {
                xml_safe(&label.name)
            } else {
                label.name.clone()
            };
            if format == Format::Qdpx && !s.status.is_annotation() {
                continue;
            }
            let back = imported
                .labels()
                .by_name(&name)
                .and_then(|id| imported.labels().get(id));
            if format == Format::LabelStudio && xml_safe(&label.name) != label.name {
                continue;
            }
            assert_eq!(
                back.map(|l| l.color),
                Some(label.color),
                "{format}: colour of {name:?}"
            );
        }
    }
}

#[test]
fn every_format_round_trips_the_golden_article() -> TestResult {
    let p = alaska();
    for format in Format::ALL {
        let imported = round_trip(format, &one("alaska", &p), true)?;
        let [doc] = imported.docs.as_slice() else {
            panic!("{format}: {} documents", imported.docs.len());
        };
        assert_eq!(doc.stem, "alaska", "{format}");
        assert_carried(format, &p, &doc.project, "alaska");
        assert!(doc.problems.is_empty(), "{format}: {:?}", doc.problems);
        if matches!(format, Format::LabelStudio | Format::Qdpx) {
            // Labels with their descriptions come back too.
            assert!(
                doc.project.labels().same_labels(&LabelSet::default()) || format == Format::Qdpx,
                "{format}"
            );
            let claim = doc
                .project
                .labels()
                .by_name("Claim")
                .and_then(|id| doc.project.labels().get(id));
            assert_eq!(
                claim.map(|l| l.description.as_str()),
                Some(spanmark::model::label::CLAIM_GUIDELINE),
                "{format}"
            );
        }
    }
    Ok(())
}

/// A corpus of three projects in two folders, one done, with different label sets.
fn corpus() -> Vec<(String, Project)> {
    let a = alaska();
    let mut b = hard_unicode();
    b.set_done(true);
    let labels = LabelSet::new(vec![
        Label::new("Source name_x", Rgb([1, 2, 3])),
        Label::new("Claim", Rgb([0xE8, 0x91, 0x1E])),
    ])
    .unwrap_or_default();
    let mut c = Project::new(
        Article::new("c", None, "Der Kanzler 🇩🇪 sagte nein.\n"),
        labels,
    );
    tag(
        &mut c,
        "Kanzler 🇩🇪",
        0,
        "Source name_x",
        "",
        Status::Suggested,
    );
    tag(&mut c, "sagte nein", 0, "Claim", "", Status::Rejected);
    vec![
        ("alaska".to_owned(), a),
        ("desk-3/hard-unicode".to_owned(), b),
        ("desk-3/deep/c".to_owned(), c),
    ]
}

#[test]
fn a_corpus_round_trips_as_each_formats_collection() -> TestResult {
    let corpus = corpus();
    let docs: Vec<ExportDoc<'_>> = corpus
        .iter()
        .map(|(s, p)| ExportDoc {
            stem: s,
            project: p,
        })
        .collect();
    for format in Format::ALL {
        let imported = round_trip(format, &docs, false)?;
        assert!(imported.collection, "{format}");
        let mut stems: Vec<&str> = imported.docs.iter().map(|d| d.stem.as_str()).collect();
        stems.sort_unstable();
        assert_eq!(
            stems,
            ["alaska", "desk-3/deep/c", "desk-3/hard-unicode"],
            "{format}"
        );
        for (stem, original) in &corpus {
            let Some(doc) = imported.docs.iter().find(|d| &d.stem == stem) else {
                panic!("{format}: {stem} missing");
            };
            assert_carried(format, original, &doc.project, stem);
        }
    }
    Ok(())
}

#[test]
fn the_export_files_are_where_the_issue_says() -> TestResult {
    let p = alaska();
    let corpus = corpus();
    let docs: Vec<ExportDoc<'_>> = corpus
        .iter()
        .map(|(s, p)| ExportDoc {
            stem: s,
            project: p,
        })
        .collect();
    let names = |format, name, docs: &[ExportDoc<'_>]| -> Result<Vec<String>, InteropError> {
        Ok(render(format, name, docs)?
            .files
            .into_iter()
            .map(|f| f.0)
            .collect())
    };
    assert_eq!(
        names(Format::Brat, "alaska", &one("alaska", &p))?,
        ["alaska.txt", "alaska.ann", "annotation.conf", "visual.conf"]
    );
    assert_eq!(
        names(Format::LabelStudio, "alaska", &one("alaska", &p))?,
        ["alaska.json", "alaska.config.xml"]
    );
    assert_eq!(
        names(Format::Xmi, "alaska", &one("alaska", &p))?,
        ["alaska.xmi", "TypeSystem.xml"]
    );
    assert_eq!(
        names(Format::Doccano, "alaska", &one("alaska", &p))?,
        ["alaska.jsonl"]
    );
    assert_eq!(
        names(Format::Csv, "alaska", &one("alaska", &p))?,
        ["alaska.csv"]
    );
    assert_eq!(
        names(Format::Qdpx, "alaska", &one("alaska", &p))?,
        ["alaska.qdpx"]
    );
    assert_eq!(
        names(Format::Brat, "news", &docs)?,
        [
            "alaska.txt",
            "alaska.ann",
            "desk-3/hard-unicode.txt",
            "desk-3/hard-unicode.ann",
            "desk-3/deep/c.txt",
            "desk-3/deep/c.ann",
            "annotation.conf",
            "visual.conf"
        ]
    );
    assert_eq!(
        names(Format::Xmi, "news", &docs)?,
        [
            "alaska.xmi",
            "desk-3/hard-unicode.xmi",
            "desk-3/deep/c.xmi",
            "TypeSystem.xml"
        ]
    );
    assert_eq!(names(Format::Doccano, "news", &docs)?, ["news.jsonl"]);
    let jsonl = render(Format::Doccano, "news", &docs)?.files.remove(0).1;
    assert_eq!(
        jsonl.split(|&b| b == b'\n').count() - 1,
        3,
        "one line per document"
    );
    assert!(jsonl.is_ascii(), "doccano JSONL is ASCII only");
    Ok(())
}

#[test]
fn import_then_export_gives_the_same_files() -> TestResult {
    // Export, import, export again: the second export is byte-identical for the formats that
    // carry everything of this project.
    let p = alaska();
    for format in [Format::LabelStudio, Format::Doccano, Format::Csv] {
        let first = render(format, "alaska", &one("alaska", &p))?;
        let imported = round_trip(format, &one("alaska", &p), false)?;
        let back = imported
            .docs
            .first()
            .map(|d| d.project.clone())
            .ok_or("no document")?;
        let second = render(format, "alaska", &one("alaska", &back))?;
        assert_eq!(first.files, second.files, "{format}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Random projects
// ---------------------------------------------------------------------------------------

/// Pieces of article text, hard ones first (adapted from `roundtrip_prop.rs`).
const PIECES: &[&str] = &[
    "Zelensky",
    " ",
    "said",
    "\n",
    "\n\n",
    ".",
    "\"",
    "\\",
    "<",
    "&",
    "&amp;",
    ">",
    "'",
    "\u{201c}",
    "🇺🇦",
    "👩\u{200d}👩\u{200d}👧",
    "🏳\u{fe0f}\u{200d}🌈",
    "🙂",
    "e\u{301}",
    "\u{301}",
    "\u{5e9}\u{5dc}\u{5d5}\u{5dd}",
    "\u{627}\u{644}\u{633}\u{644}\u{627}\u{645}",
    "\u{202e}",
    "\u{200b}",
    "\t",
    "\u{1}",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "東京",
    "\u{10ffff}",
    "\u{fffe}",
    "=SUM(1)",
    "@x",
    "T1\tClaim 0 5",
    ";",
    "|",
    "_",
    "__",
    "_41_",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        2 => any::<char>().prop_filter("no NUL or CR", |c| *c != '\0' && *c != '\r').prop_map(String::from),
    ]
}

fn free_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..6).prop_map(|p| p.concat())
}

fn random_project() -> impl Strategy<Value = Project> {
    (
        proptest::collection::vec(piece(), 1..50).prop_map(|p| p.concat()),
        free_text(),
        proptest::collection::vec((free_text(), any::<[u8; 3]>()), 1..4),
        proptest::collection::vec(
            (any::<usize>(), 1usize..40, any::<u8>(), free_text(), 0u8..4),
            0..16,
        ),
        any::<bool>(),
    )
        .prop_filter_map(
            "an article needs something to annotate",
            |(text, name, raw_labels, raw_spans, done)| {
                let article = Article::new(name, None, &text);
                if article.text().trim().is_empty() {
                    return None;
                }
                let labels: Vec<Label> = raw_labels
                    .into_iter()
                    .enumerate()
                    .map(|(i, (n, c))| Label::new(format!("{n} {i}"), Rgb(c)))
                    .collect();
                let labels = LabelSet::new(labels).ok()?;
                let count = labels.len() as u16;
                let mut p = Project::new(article, labels);
                let len = p.article().char_len();
                for (i, (a, n, l, note, st)) in raw_spans.into_iter().enumerate() {
                    let start = a % len;
                    let Some(range) =
                        CharRange::new(start, (start + n).min(len)).filter(|r| !r.is_empty())
                    else {
                        continue;
                    };
                    let status = Status::ALL
                        .get(usize::from(st))
                        .copied()
                        .unwrap_or_default();
                    let _ = p.insert_span(Span {
                        id: SpanId(i as u64),
                        range,
                        label: LabelId(u16::from(l) % count),
                        note,
                        status,
                    });
                }
                p.set_done(done);
                Some(p)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_is_exact_on_any_unicode(p in random_project()) {
        let stem = interop::stem_for_article(p.article().name());
        for format in Format::ALL {
            if format == Format::Csv && p.spans().is_empty() {
                // A document without spans has no row: the import finds nothing.
                let rendered = render(format, "rt", &one(&stem, &p)).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(rendered.losses.iter().any(|l| l.contains("without spans have no row")));
                continue;
            }
            let imported = round_trip(format, &one(&stem, &p), false)
                .map_err(|e| TestCaseError::fail(format!("{format}: {e}")))?;
            let Some(doc) = imported.docs.first() else {
                return Err(TestCaseError::fail(format!("{format}: no document")));
            };
            prop_assert_eq!(&doc.stem, &stem);
            assert_carried(format, &p, &doc.project, &stem);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------

fn import_file(path: &Path, format: Option<Format>) -> Result<Imported, InteropError> {
    interop::import(
        path,
        &ImportOptions {
            format,
            text_dirs: Vec::new(),
        },
    )
}

fn write(path: &Path, text: impl AsRef<[u8]>) -> TestResult {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)?;
    Ok(())
}

/// A `.qdpx` holding `entries` as they are named.
fn qdpx_with(path: &Path, entries: &[(&str, &[u8])]) -> TestResult {
    let mut zip = zip::ZipWriter::new(fs::File::create(path)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options)?;
        zip.write_all(data)?;
    }
    zip.finish()?;
    Ok(())
}

const QDE: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<Project name="x" xmlns="urn:QDA-XML:project:1.0">
  <CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Claim" isCodable="true" color="#E8911E"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="22222222-2222-2222-2222-222222222222" name="doc" plainTextPath="internal://22222222-2222-2222-2222-222222222222.txt">
      <PlainTextSelection guid="33333333-3333-3333-3333-333333333333" startPosition="0" endPosition="5">
        <Coding guid="44444444-4444-4444-4444-444444444444"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"##;

#[test]
fn qdpx_zip_slip_is_refused_before_anything_is_read() -> TestResult {
    let dir = tempfile::tempdir()?;
    for evil in [
        "../evil.txt",
        "/etc/evil.txt",
        "sources/../../evil.txt",
        "..\\evil.txt",
    ] {
        let path = dir.path().join("slip.qdpx");
        qdpx_with(&path, &[("project.qde", QDE.as_bytes()), (evil, b"x")])?;
        let err = import_file(&path, None).err();
        assert!(
            matches!(&err, Some(InteropError::Refused { .. })),
            "{evil}: {err:?}"
        );
        assert!(
            err.map(|e| e.to_string())
                .unwrap_or_default()
                .contains("zip slip")
        );
    }
    Ok(())
}

#[test]
fn qdpx_that_reads_fine_imports_its_coding() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("ok.qdpx");
    qdpx_with(
        &path,
        &[
            ("project.qde", QDE.as_bytes()),
            (
                "sources/22222222-2222-2222-2222-222222222222.txt",
                "Putin said no".as_bytes(),
            ),
        ],
    )?;
    let imported = import_file(&path, None)?;
    let doc = imported.docs.first().ok_or("no doc")?;
    assert_eq!(doc.project.spans().len(), 1);
    assert_eq!(
        doc.project
            .span_text(doc.project.spans().iter().next().ok_or("no span")?),
        "Putin"
    );
    Ok(())
}

#[test]
fn qdpx_with_a_missing_source_or_a_doctype_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("missing.qdpx");
    qdpx_with(&path, &[("project.qde", QDE.as_bytes())])?;
    assert!(matches!(
        import_file(&path, None),
        Err(InteropError::MissingText { .. })
    ));
    let evil = QDE.replace(
        "<Project",
        "<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Project",
    );
    qdpx_with(&path, &[("project.qde", evil.as_bytes())])?;
    let err = import_file(&path, None).err();
    assert!(matches!(err, Some(InteropError::Refused { .. })), "{err:?}");
    Ok(())
}

#[test]
fn xmi_with_a_doctype_or_entities_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("a.xmi");
    write(
        &path,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\"/>",
    )?;
    let err = import_file(&path, None).err();
    assert!(
        matches!(&err, Some(InteropError::Refused { .. })),
        "{err:?}"
    );
    assert!(
        err.map(|e| e.to_string())
            .unwrap_or_default()
            .contains("DOCTYPE")
    );
    write(
        &path,
        "<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\" xmlns:cas=\"http:///uima/cas.ecore\"><cas:Sofa xmi:id=\"1\" sofaID=\"_InitialView\" sofaString=\"a &ext; b\"/></xmi:XMI>",
    )?;
    let err = import_file(&path, None).err();
    assert!(
        matches!(&err, Some(InteropError::Malformed { line: Some(1), .. })),
        "{err:?}"
    );
    Ok(())
}

/// An XMI document with one span at UTF-16 `begin..end` of "a🙂b c".
fn xmi_span(begin: usize, end: usize) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\" xmlns:cas=\"http:///uima/cas.ecore\" xmlns:custom=\"http:///webanno/custom.ecore\" xmi:version=\"2.0\">\n  <custom:SpanmarkSpan xmi:id=\"3\" sofa=\"1\" begin=\"{begin}\" end=\"{end}\" label=\"Claim\" note=\"\" status=\"Confirmed\"/>\n  <cas:Sofa xmi:id=\"1\" sofaNum=\"1\" sofaID=\"_InitialView\" mimeType=\"text\" sofaString=\"a🙂b c\"/>\n</xmi:XMI>\n"
    )
}

#[test]
fn offsets_inside_a_surrogate_pair_or_out_of_range_become_orphans() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("s.xmi");
    for (begin, end, reason) in [
        (2, 4, "surrogate pair"),
        (0, 2, "surrogate pair"),
        (1, 99, "past the end"),
        (4, 1, "empty or reversed"),
    ] {
        write(&path, xmi_span(begin, end))?;
        let imported = import_file(&path, None)?;
        let doc = imported.docs.first().ok_or("no doc")?;
        assert_eq!(doc.project.spans().len(), 0, "{begin}..{end}");
        let orphan = doc.project.orphans().first().ok_or("no orphan")?;
        assert!(
            orphan.reason.contains(reason),
            "{begin}..{end}: {}",
            orphan.reason
        );
        assert!(
            doc.problems
                .iter()
                .any(|p| p.contains("s.xmi") && p.contains("xmi:id 3")),
            "{:?}",
            doc.problems
        );
    }
    write(&path, xmi_span(1, 3))?;
    let imported = import_file(&path, None)?;
    let doc = imported.docs.first().ok_or("no doc")?;
    let span = doc.project.spans().iter().next().ok_or("no span")?;
    assert_eq!(doc.project.span_text(span), "🙂");
    // doccano: the same surrogate check on its UTF-16 offsets.
    let jsonl = dir.path().join("d.jsonl");
    write(
        &jsonl,
        "{\"text\": \"a\\ud83d\\ude42b\", \"label\": [[0, 2, \"Claim\"], [1, 3, \"Quote\"]]}\n",
    )?;
    let imported = import_file(&jsonl, None)?;
    let doc = imported.docs.first().ok_or("no doc")?;
    assert_eq!(doc.project.spans().len(), 1);
    assert!(
        doc.project
            .orphans()
            .first()
            .is_some_and(|o| o.reason.contains("surrogate pair"))
    );
    Ok(())
}

#[test]
fn a_span_whose_text_does_not_match_becomes_an_orphan() -> TestResult {
    let dir = tempfile::tempdir()?;
    // brat: the stored text names other words than the offsets.
    write(&dir.path().join("a.txt"), "Putin said no.")?;
    write(
        &dir.path().join("a.ann"),
        "T1\tClaim 0 5\tPutin\nT2\tClaim 6 10\tsays\n#1\tAnnotatorNotes T2\tchecked\n",
    )?;
    let imported = import_file(&dir.path().join("a.ann"), None)?;
    let doc = imported.docs.first().ok_or("no doc")?;
    assert_eq!(doc.project.spans().len(), 1);
    let orphan = doc.project.orphans().first().ok_or("no orphan")?;
    assert!(
        orphan.reason.contains("does not match"),
        "{}",
        orphan.reason
    );
    assert_eq!(orphan.note, "checked", "the orphan keeps its note");
    assert!(
        doc.problems
            .iter()
            .any(|p| p.contains("a.ann") && p.contains("line 2 (T2)")),
        "{:?}",
        doc.problems
    );
    // Label Studio: the region's text differs from the task's text at its offsets.
    let json = dir.path().join("t.json");
    write(
        &json,
        r#"[{"id": 7, "data": {"text": "Putin said no."}, "annotations": [{"result": [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 0, "end": 5, "text": "Biden", "labels": ["Claim"]}}]}]}]"#,
    )?;
    let imported = import_file(&json, None)?;
    let doc = imported.docs.first().ok_or("no doc")?;
    assert!(
        doc.project
            .orphans()
            .first()
            .is_some_and(|o| o.reason.contains("\"Biden\""))
    );
    assert!(
        doc.problems
            .iter()
            .any(|p| p.contains("task 7, region \"r1\"")),
        "{:?}",
        doc.problems
    );
    Ok(())
}

#[test]
fn unknown_labels_are_added_and_reported_and_duplicates_dropped() -> TestResult {
    let dir = tempfile::tempdir()?;
    write(
        &dir.path().join("annotation.conf"),
        "[entities]\nClaim\n[relations]\n[events]\n[attributes]\n",
    )?;
    write(&dir.path().join("a.txt"), "Putin said no.")?;
    write(
        &dir.path().join("a.ann"),
        "T1\tClaim 0 5\tPutin\nT2\tPerson 0 5\tPutin\nT3\tClaim 0 5\tPutin\nR1\tSays Arg1:T1 Arg2:T2\n",
    )?;
    let imported = import_file(dir.path(), None)?;
    let doc = imported.docs.first().ok_or("no doc")?;
    assert_eq!(doc.project.spans().len(), 2);
    assert!(doc.project.labels().by_name("Person").is_some());
    assert!(
        doc.problems
            .iter()
            .any(|p| p.contains("label \"Person\" is not in") && p.contains("annotation.conf")),
        "{:?}",
        doc.problems
    );
    assert!(
        doc.problems
            .iter()
            .any(|p| p.contains("line 3 (T3)") && p.contains("duplicates")),
        "{:?}",
        doc.problems
    );
    assert!(
        imported.notes.iter().any(|n| n.contains("1 relation")),
        "{:?}",
        imported.notes
    );
    Ok(())
}

#[test]
fn malformed_files_name_the_file_and_line() -> TestResult {
    let dir = tempfile::tempdir()?;
    let cases: [(&str, &str, usize); 4] = [
        ("a.ann", "T1\tClaim 0 5\tPutin\nT2\tClaim zero five\tx\n", 2),
        (
            "b.jsonl",
            "{\"text\": \"a\", \"label\": []}\n{\"text\": oops}\n",
            2,
        ),
        (
            "c.csv",
            "document,label,start,end\nc,Claim,0,1\nc,Claim,0\n",
            3,
        ),
        (
            "d.xmi",
            "<xmi:XMI xmlns:xmi=\"x\">\n<a>\n</b>\n</xmi:XMI>",
            3,
        ),
    ];
    for (name, text, line) in cases {
        let path = dir.path().join(name);
        write(&path, text)?;
        write(&dir.path().join("a.txt"), "Putin said no.")?;
        write(&dir.path().join("c.txt"), "Putin said no.")?;
        let err = import_file(&path, None).err();
        let message = err.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(
            matches!(err, Some(InteropError::Malformed { line: Some(l), .. }) if l == line),
            "{name}: {message}"
        );
        assert!(message.ends_with(&path.display().to_string()), "{message}");
    }
    Ok(())
}

#[test]
fn document_paths_that_climb_out_are_refused_and_nothing_is_written() -> TestResult {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("corpus");
    // CSV: the second document climbs out.
    write(&dir.path().join("ok.txt"), "Putin said no.")?;
    let csv = dir.path().join("x.csv");
    write(
        &csv,
        "document,label,start,end\nok,Claim,0,5\n../../evil,Claim,0,5\n",
    )?;
    let err = import_file(&csv, None).err();
    assert!(
        matches!(&err, Some(InteropError::Refused { .. })),
        "{err:?}"
    );
    // doccano and Label Studio name documents inside the file.
    let jsonl = dir.path().join("y.jsonl");
    write(
        &jsonl,
        "{\"text\": \"a b\", \"label\": [], \"spanmark\": {\"document\": \"ok\"}}\n{\"text\": \"a b\", \"label\": [], \"spanmark\": {\"document\": \"/etc/cron.d/x\"}}\n",
    )?;
    assert!(matches!(
        import_file(&jsonl, None),
        Err(InteropError::Refused { .. })
    ));
    let json = dir.path().join("z.json");
    write(
        &json,
        r#"[{"data": {"text": "a b", "document": "a/../../b"}}]"#,
    )?;
    assert!(matches!(
        import_file(&json, None),
        Err(InteropError::Refused { .. })
    ));
    // The command line writes nothing either.
    let cli = spanmark(&[
        "import",
        &csv.display().to_string(),
        "--out",
        &out.display().to_string(),
    ])?;
    assert_eq!(cli.status.code(), Some(1), "{}", text(&cli.stderr));
    assert!(
        text(&cli.stderr).contains("refused document \"../../evil\""),
        "{}",
        text(&cli.stderr)
    );
    assert!(!out.exists(), "nothing may be written");
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_brat_collection_never_follows_links_out_of_its_folder() -> TestResult {
    let dir = tempfile::tempdir()?;
    let outside = dir.path().join("outside");
    write(&outside.join("secret.txt"), "secret text")?;
    write(&outside.join("secret.ann"), "T1\tClaim 0 6\tsecret\n")?;
    let collection = dir.path().join("collection");
    write(&collection.join("a.txt"), "Putin said no.")?;
    write(&collection.join("a.ann"), "T1\tClaim 0 5\tPutin\n")?;
    std::os::unix::fs::symlink(&outside, collection.join("link"))?;
    let imported = import_file(&collection, None)?;
    let stems: Vec<&str> = imported.docs.iter().map(|d| d.stem.as_str()).collect();
    assert_eq!(stems, ["a"]);
    Ok(())
}

#[test]
fn a_collection_with_a_missing_text_file_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    write(&dir.path().join("a.txt"), "Putin said no.")?;
    write(&dir.path().join("a.ann"), "T1\tClaim 0 5\tPutin\n")?;
    write(&dir.path().join("sub/b.ann"), "T1\tClaim 0 5\tPutin\n")?;
    let err = import_file(dir.path(), None).err();
    let message = err.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(
        matches!(err, Some(InteropError::MissingText { .. })),
        "{message}"
    );
    assert!(message.contains("sub/b"), "{message}");
    // A CSV whose document has no text beside it.
    let csv = dir.path().join("x.csv");
    write(&csv, "document,label,start,end\nnowhere,Claim,0,5\n")?;
    assert!(matches!(
        import_file(&csv, None),
        Err(InteropError::MissingText { .. })
    ));
    Ok(())
}

#[test]
fn crlf_and_bom_in_a_peers_text_are_mapped_onto_the_normalised_article() -> TestResult {
    let dir = tempfile::tempdir()?;
    // Label Studio counts the CR of a CRLF; spanmark's article has LF only.
    let json = dir.path().join("t.json");
    write(
        &json,
        "[{\"data\": {\"text\": \"\\ufeffone\\r\\ntwo three\"}, \"annotations\": [{\"result\": [{\"id\": \"r\", \"from_name\": \"label\", \"to_name\": \"text\", \"type\": \"labels\", \"value\": {\"start\": 6, \"end\": 15, \"text\": \"two three\", \"labels\": [\"Claim\"]}}]}]}]",
    )?;
    let imported = import_file(&json, None)?;
    let doc = imported.docs.first().ok_or("no doc")?;
    assert_eq!(doc.project.article().text(), "one\ntwo three");
    let span = doc.project.spans().iter().next().ok_or("no span")?;
    assert_eq!(doc.project.span_text(span), "two three");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------

#[test]
fn cli_exports_a_corpus_folder_and_imports_it_back_for_every_format() -> TestResult {
    let dir = tempfile::tempdir()?;
    let corpus_dir = dir.path().join("news");
    for (stem, project) in corpus() {
        let path = corpus_dir.join(format!("{stem}.ron"));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        write_project(&path, &project)?;
    }
    for format in Format::ALL {
        let out = dir.path().join(format!("out-{format}"));
        let run = spanmark(&[
            "export",
            &corpus_dir.display().to_string(),
            "--to",
            format.name(),
            "--out",
            &out.display().to_string(),
        ])?;
        assert!(run.status.success(), "{format}: {}", text(&run.stderr));
        let stdout = text(&run.stdout);
        assert!(stdout.contains("exported 3 documents"), "{stdout}");
        let input = match format {
            Format::Brat | Format::Xmi => out.clone(),
            Format::LabelStudio => out.join("news.json"),
            Format::Doccano => out.join("news.jsonl"),
            Format::Csv => {
                for (stem, project) in corpus() {
                    write(&out.join(format!("{stem}.txt")), project.article().text())?;
                }
                out.join("news.csv")
            }
            Format::Qdpx => out.join("news.qdpx"),
        };
        let back = dir.path().join(format!("back-{format}"));
        let run = spanmark(&[
            "import",
            &input.display().to_string(),
            "--out",
            &back.display().to_string(),
        ])?;
        assert!(
            matches!(run.status.code(), Some(0 | 2)),
            "{format}: {}",
            text(&run.stderr)
        );
        for (stem, original) in corpus() {
            let loaded = read_project(&back.join(format!("{stem}.ron")))?;
            assert!(
                back.join(format!("{stem}.txt")).is_file(),
                "{format}: {stem}.txt"
            );
            assert_carried(format, &original, &loaded.project, &stem);
        }
    }
    Ok(())
}

#[test]
fn cli_import_exit_codes_say_clean_problems_or_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let ron = dir.path().join("alaska.ron");
    write_project(&ron, &alaska())?;
    let out = dir.path().join("exp");
    let run = spanmark(&[
        "export",
        &ron.display().to_string(),
        "--to",
        "label-studio",
        "--out",
        &out.display().to_string(),
    ])?;
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stdout).contains("nothing was lost"),
        "{}",
        text(&run.stdout)
    );
    // Clean import: exit 0.
    let back = dir.path().join("back.ron");
    let run = spanmark(&[
        "import",
        &out.join("alaska.json").display().to_string(),
        "--out",
        &back.display().to_string(),
    ])?;
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}{}",
        text(&run.stdout),
        text(&run.stderr)
    );
    assert_eq!(
        project_to_ron(&read_project(&back)?.project)?
            .lines()
            .count(),
        project_to_ron(&alaska())?.lines().count()
    );
    // A problem span: exit 2, the project written with the orphan.
    let json =
        fs::read_to_string(out.join("alaska.json"))?.replacen("\"start\":0,", "\"start\":1,", 1);
    fs::write(out.join("alaska.json"), json)?;
    let run = spanmark(&[
        "import",
        &out.join("alaska.json").display().to_string(),
        "--from",
        "label-studio",
        "--out",
        &back.display().to_string(),
    ])?;
    assert_eq!(
        run.status.code(),
        Some(2),
        "{}{}",
        text(&run.stdout),
        text(&run.stderr)
    );
    assert!(
        text(&run.stdout).contains("warning:"),
        "{}",
        text(&run.stdout)
    );
    assert_eq!(read_project(&back)?.project.orphans().len(), 1);
    // A collection into one .ron: exit 1, nothing written.
    let two = dir.path().join("two.jsonl");
    write(
        &two,
        "{\"text\": \"a b\", \"label\": []}\n{\"text\": \"c d\", \"label\": []}\n",
    )?;
    let none = dir.path().join("none.ron");
    let run = spanmark(&[
        "import",
        &two.display().to_string(),
        "--out",
        &none.display().to_string(),
    ])?;
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).contains("2 documents; give a folder"),
        "{}",
        text(&run.stderr)
    );
    assert!(!none.exists());
    // An unknown format name is refused by the argument parser.
    let run = spanmark(&[
        "export",
        &ron.display().to_string(),
        "--to",
        "docx",
        "--out",
        &out.display().to_string(),
    ])?;
    assert!(!run.status.success());
    Ok(())
}

#[test]
fn saving_an_import_into_a_corpus_keeps_subfolders() -> TestResult {
    let corpus = corpus();
    let docs: Vec<ExportDoc<'_>> = corpus
        .iter()
        .map(|(s, p)| ExportDoc {
            stem: s,
            project: p,
        })
        .collect();
    let imported = round_trip(Format::Doccano, &docs, false)?;
    let dir = tempfile::tempdir()?;
    let written = save_imported(&imported, dir.path())?;
    assert_eq!(written.len(), 6);
    let loaded = read_project(&dir.path().join("desk-3/deep/c.ron"))?;
    let read = imported
        .docs
        .iter()
        .find(|d| d.stem == "desk-3/deep/c")
        .ok_or("c was imported")?;
    assert_eq!(
        loaded.project.spans(),
        read.project.spans(),
        "every span written"
    );
    assert_eq!(
        loaded.project.article().source(),
        Some(&dir.path().join("desk-3/deep/c.txt"))
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("desk-3/deep/c.txt"))?,
        "Der Kanzler 🇩🇪 sagte nein.\n"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Measurement
// ---------------------------------------------------------------------------------------

/// A deterministic article of about 5 kB with 50 spans (some overlapping, some across a line
/// break, some with notes or needing review), mostly ASCII with accents, CJK and emoji.
fn generated(i: usize) -> Project {
    const WORDS: &[&str] = &[
        "the",
        "minister",
        "said",
        "that",
        "prices",
        "rose",
        "by",
        "3.5%",
        "in",
        "May",
        "café",
        "naïve",
        "東京",
        "会議",
        "🙂",
        "🇺🇦",
        "officials",
        "reported",
        "a",
        "deal",
        "was",
        "signed",
        "on",
        "Tuesday",
        "according",
        "to",
        "sources",
        "\u{627}\u{644}\u{633}\u{644}\u{627}\u{645}",
    ];
    let mut seed = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut text = String::with_capacity(5200);
    let mut words = 0;
    while text.len() < 5000 {
        let w = WORDS
            .get((next() % WORDS.len() as u64) as usize)
            .copied()
            .unwrap_or("x");
        text.push_str(w);
        words += 1;
        text.push(if words % 60 == 0 { '\n' } else { ' ' });
    }
    let mut p = Project::new(
        Article::new(format!("doc {i}"), None, &text),
        LabelSet::default(),
    );
    let len = p.article().char_len();
    let mut id = 0;
    while p.spans().len() < 50 {
        let start = (next() % (len as u64 - 200)) as usize;
        let n = 5 + (next() % 120) as usize;
        let Some(range) = CharRange::new(start, start + n) else {
            continue;
        };
        let span = Span {
            id: SpanId(id),
            range,
            label: LabelId((next() % 3) as u16),
            note: if id % 7 == 0 {
                "checked\nagainst the wire".to_owned()
            } else {
                String::new()
            },
            status: if id % 11 == 0 {
                Status::NeedsReview
            } else {
                Status::Confirmed
            },
        };
        id += 1;
        let _ = p.insert_span(span);
    }
    p
}

/// Export time of a generated 10,000-document corpus (each about 5 kB with 50 spans) in every
/// format, end to end with the binary (`spanmark export DIR`, which also loads the 10,000
/// project files) and, in a release build of this test, in process (`interop::export`):
///
/// ```text
/// SPANMARK_BIN=target/release/spanmark cargo test --test interop -- --ignored --nocapture export_time
/// ```
///
/// `SPANMARK_CORPUS_DOCS` changes the number of documents.
#[test]
#[ignore = "a measurement: run it with --ignored --nocapture and a release binary"]
fn export_time_of_a_10000_document_corpus() -> TestResult {
    use std::fmt::Write as _;
    use std::time::Instant;
    let n: usize = std::env::var("SPANMARK_CORPUS_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let bin = std::env::var_os("SPANMARK_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_spanmark")),
        PathBuf::from,
    );
    let t = Instant::now();
    let projects: Vec<(String, Project)> = (0..n)
        .map(|i| (format!("desk-{}/doc-{i:05}", i % 10), generated(i)))
        .collect();
    let bytes: usize = projects.iter().map(|(_, p)| p.article().text().len()).sum();
    let spans: usize = projects.iter().map(|(_, p)| p.spans().len()).sum();
    println!(
        "generated {n} documents, {:.1} MB of text, {spans} spans, in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let dir = tempfile::tempdir()?;
    let corpus_dir = dir.path().join("corpus");
    for (stem, p) in &projects {
        let path = corpus_dir.join(format!("{stem}.ron"));
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, project_to_ron(p)?)?;
    }
    let docs: Vec<ExportDoc<'_>> = projects
        .iter()
        .map(|(s, p)| ExportDoc {
            stem: s,
            project: p,
        })
        .collect();
    for format in Format::ALL {
        let out = dir.path().join(format!("cli-{format}"));
        let t = Instant::now();
        let run = Command::new(&bin)
            .args([
                "export",
                &corpus_dir.display().to_string(),
                "--to",
                format.name(),
                "--out",
                &out.display().to_string(),
            ])
            .output()?;
        let cli = t.elapsed().as_secs_f64();
        assert!(run.status.success(), "{}", text(&run.stderr));
        let written = String::from_utf8_lossy(&run.stdout)
            .lines()
            .filter(|l| l.starts_with(&*out.display().to_string()))
            .count();
        let size: u64 = walk_size(&out);
        let mut line = format!(
            "{:13} spanmark export DIR: {cli:6.2} s  ({written} files, {:.1} MB)",
            format.name(),
            size as f64 / 1e6
        );
        if !cfg!(debug_assertions) {
            let out = dir.path().join(format!("lib-{format}"));
            let t = Instant::now();
            interop::export(format, "corpus", &docs, &out)?;
            let _ = write!(line, "  in process: {:6.2} s", t.elapsed().as_secs_f64());
        }
        println!("{line}");
    }
    Ok(())
}

/// Total size of the files under `dir`.
fn walk_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                total += entry.metadata().map_or(0, |m| m.len());
            }
        }
    }
    total
}

#[test]
fn label_studio_predictions_are_suggestions_unless_already_annotated() -> TestResult {
    let dir = tempfile::tempdir()?;
    let json = dir.path().join("p.json");
    let region = |id: &str, start: usize, end: usize, label: &str| {
        serde_json::json!({"id": id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "labels": [label]}})
    };
    let task = serde_json::json!([{
        "id": 1,
        "data": {"text": "Putin said no to 🙂 talks."},
        "annotations": [{"result": [region("a", 0, 5, "Claim")]}, {"was_cancelled": true, "result": [region("c", 6, 10, "Claim")]}],
        "predictions": [{"result": [region("p1", 0, 5, "Claim"), region("p2", 17, 24, "Quote")]}],
    }]);
    write(&json, serde_json::to_string(&task)?)?;
    let imported = import_file(&json, None)?;
    let doc = imported.docs.first().ok_or("no doc")?;
    let spans: Vec<(String, Status)> = doc
        .project
        .spans()
        .iter()
        .map(|s| (doc.project.span_text(s).to_owned(), s.status))
        .collect();
    assert_eq!(
        spans,
        [
            ("Putin".to_owned(), Status::Confirmed),
            ("🙂 talks".to_owned(), Status::Suggested)
        ]
    );
    assert!(
        doc.problems.iter().any(|p| p.contains("cancelled")),
        "{:?}",
        doc.problems
    );
    Ok(())
}
