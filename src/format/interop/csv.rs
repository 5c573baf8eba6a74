//! CSV: `NAME.csv`, one row per span:
//! `document,id,label,start,end,text,note,status,start_utf16,end_utf16`.
//!
//! UTF-8 with a BOM (so Excel reads it as UTF-8), CRLF row ends, RFC 4180 quoting. `start`
//! and `end` are code points of the article (what spanmark and Python count); the UTF-16
//! columns are there for JavaScript and Java readers. A cell starting with `=`, `+`, `-` or
//! `@` is a formula to a spreadsheet: the export warns and leaves the text as it is. The CSV
//! holds no article text: an import finds `DOCUMENT.txt` beside the CSV (or in the folders
//! it is given).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{
    ExportDoc, Format, Imported, InteropError, Losses, RawDoc, RawOffset, RawSpan, Scheme, build,
    read_text,
};
use crate::model::{Status, Utf16Index};

/// The header, in order.
const HEADER: [&str; 10] = [
    "document",
    "id",
    "label",
    "start",
    "end",
    "text",
    "note",
    "status",
    "start_utf16",
    "end_utf16",
];

/// True when a spreadsheet would take `cell` for a formula.
fn formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@'])
}

pub(super) fn export(
    name: &str,
    docs: &[ExportDoc<'_>],
    losses: &mut Losses,
) -> Result<Vec<(String, Vec<u8>)>, InteropError> {
    let path = PathBuf::from(format!("{name}.csv"));
    let fail = |e: &dyn std::fmt::Display| InteropError::Output {
        problem: format!("could not write the CSV: {e}"),
        path: path.clone(),
    };
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .quote_style(::csv::QuoteStyle::Necessary)
            .from_writer(&mut out);
        writer.write_record(HEADER).map_err(|e| fail(&e))?;
        let mut formulas = 0;
        let mut labels = std::collections::BTreeSet::new();
        for doc in docs {
            let project = doc.project;
            let index = Utf16Index::new(project.article().text());
            for span in project.spans() {
                let units = index.utf16_range(span.range);
                let label = project.labels().name(span.label);
                labels.insert(label.to_owned());
                let text = project.span_text(span);
                formulas += [doc.stem, label, text, span.note.as_str()]
                    .iter()
                    .filter(|c| formula_like(c))
                    .count();
                writer
                    .write_record([
                        doc.stem,
                        &span.id.0.to_string(),
                        label,
                        &span.range.start().to_string(),
                        &span.range.end().to_string(),
                        text,
                        &span.note,
                        span.status.as_str(),
                        &units.start.to_string(),
                        &units.end.to_string(),
                    ])
                    .map_err(|e| fail(&e))?;
            }
        }
        writer.flush().map_err(|e| fail(&e))?;
        losses.add(
            "csv: {n} cell(s) start with = + - or @ and may run as formulas in a spreadsheet (the text is left as it is)",
            formulas,
        );
        let all_labels: usize = {
            let mut names = std::collections::BTreeSet::new();
            for doc in docs {
                for (_, l) in doc.project.labels().iter() {
                    names.insert(l.name.clone());
                }
            }
            names.len()
        };
        losses.add(
            "csv: {n} label(s) lose colour, key and description (the CSV holds label names only)",
            all_labels,
        );
        losses.add(
            "csv: {n} label(s) without spans are not carried at all",
            all_labels.saturating_sub(labels.len()),
        );
    }
    let empty = docs.iter().filter(|d| d.project.spans().is_empty()).count();
    losses.add(
        "csv: {n} document(s) without spans have no row and are not in the CSV at all",
        empty,
    );
    let texts = docs.len();
    losses.add(
        "csv: the article texts are not in the CSV ({n} document(s)); an import needs DOCUMENT.txt beside it",
        texts,
    );
    super::lost_titles(Format::Csv, docs, losses);
    Ok(vec![(path.display().to_string(), out)])
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

/// The columns of a CSV, by position.
struct Columns {
    document: usize,
    id: Option<usize>,
    label: usize,
    start: usize,
    end: usize,
    text: Option<usize>,
    note: Option<usize>,
    status: Option<usize>,
    start_utf16: Option<usize>,
    end_utf16: Option<usize>,
}

/// One row, as read.
struct Row {
    line: usize,
    id: Option<u64>,
    label: String,
    start: String,
    end: String,
    text: Option<String>,
    note: String,
    status: String,
    start_utf16: Option<String>,
    end_utf16: Option<String>,
}

#[expect(
    clippy::too_many_lines,
    reason = "read, group by document, check every path, then build: one linear pass"
)]
pub(super) fn import(path: &Path, text_dirs: &[PathBuf]) -> Result<Imported, InteropError> {
    if path.is_dir() {
        return Err(InteropError::UnknownFormat {
            reason: "a CSV import reads one .csv file, not a folder".to_owned(),
            path: path.to_owned(),
        });
    }
    let content = read_text(path, Format::Csv)?;
    let content = content.trim_start_matches('\u{feff}');
    let malformed = |line: Option<usize>, message: String| {
        InteropError::malformed(Format::Csv, line, message, path)
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(content.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| malformed(Some(1), e.to_string()))?
        .clone();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let need = |name: &str| {
        find(name).ok_or_else(|| {
            malformed(
                Some(1),
                format!(
                    "the header has no \"{name}\" column (it needs document, label, start and end)"
                ),
            )
        })
    };
    let columns = Columns {
        document: need("document")?,
        id: find("id"),
        label: need("label")?,
        start: need("start")?,
        end: need("end")?,
        text: find("text"),
        note: find("note"),
        status: find("status"),
        start_utf16: find("start_utf16"),
        end_utf16: find("end_utf16"),
    };
    // Rows grouped by document, documents in first-seen order.
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, Vec<Row>> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e
                .position()
                .map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX));
            malformed(line, e.to_string())
        })?;
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        let cell = |i: usize| record.get(i).unwrap_or_default().to_owned();
        let opt = |i: Option<usize>| i.map(cell);
        let document = cell(columns.document);
        let row = Row {
            line,
            id: opt(columns.id).and_then(|i| i.trim().parse().ok()),
            label: cell(columns.label),
            start: cell(columns.start),
            end: cell(columns.end),
            text: opt(columns.text).filter(|t| !t.is_empty()),
            note: opt(columns.note).unwrap_or_default(),
            status: opt(columns.status).unwrap_or_default(),
            start_utf16: opt(columns.start_utf16).filter(|s| !s.trim().is_empty()),
            end_utf16: opt(columns.end_utf16).filter(|s| !s.trim().is_empty()),
        };
        if !rows.contains_key(&document) {
            order.push(document.clone());
        }
        rows.entry(document).or_default().push(row);
    }
    if order.is_empty() {
        return Err(InteropError::Nothing {
            what: "the CSV holds no span rows".to_owned(),
            path: path.to_owned(),
        });
    }
    // Refuse every hostile document path before reading any text.
    for document in &order {
        super::safe_stem(document).map_err(|reason| InteropError::Refused {
            what: format!("document \"{document}\""),
            reason,
            path: path.to_owned(),
        })?;
    }
    let mut dirs = vec![path.parent().map(Path::to_owned).unwrap_or_default()];
    dirs.extend(text_dirs.iter().cloned());
    let mut docs = Vec::with_capacity(order.len());
    for document in order {
        let Some(txt) = dirs
            .iter()
            .map(|d| super::with_suffix(&super::join_stem(d, &document), "txt"))
            .find(|p| p.is_file())
        else {
            let expected = dirs
                .iter()
                .map(|d| {
                    super::with_suffix(&super::join_stem(d, &document), "txt")
                        .display()
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join(" or ");
            return Err(InteropError::MissingText {
                document,
                expected,
                path: path.to_owned(),
            });
        };
        let article_text = read_text(&txt, Format::Csv)?;
        let doc_rows = rows.remove(&document).unwrap_or_default();
        let raw = doc_from_rows(document, &article_text, doc_rows, path);
        docs.push(build(raw, &Scheme::default())?);
    }
    let collection = docs.len() > 1 || docs.iter().any(|d| d.stem.contains('/'));
    Ok(Imported {
        format: Format::Csv,
        collection,
        docs,
        notes: vec![
            "CSV files carry no label scheme: labels were made from the rows (colours from the defaults)"
                .to_owned(),
        ],
    })
}

fn doc_from_rows(document: String, text: &str, rows: Vec<Row>, path: &Path) -> RawDoc {
    let utf16 = Utf16Index::new(text);
    let mut problems = Vec::new();
    let mut spans = Vec::with_capacity(rows.len());
    for row in rows {
        let item = format!("line {}", row.line);
        let start = row.start.trim().parse::<usize>();
        let end = row.end.trim().parse::<usize>();
        let problem = match (&start, &end) {
            (Ok(_), Ok(_)) => None,
            _ => Some(format!(
                "start \"{}\" and end \"{}\" are not both whole numbers",
                row.start, row.end
            )),
        };
        let (start, end) = (start.unwrap_or(0), end.unwrap_or(0));
        // The UTF-16 columns are redundant; a disagreement means someone edited one side.
        if problem.is_none()
            && let (Some(su), Some(eu)) = (&row.start_utf16, &row.end_utf16)
        {
            let expect = (
                utf16.utf16_of(crate::model::CharOffset(start)),
                utf16.utf16_of(crate::model::CharOffset(end)),
            );
            let given = (
                su.trim().parse::<usize>().ok(),
                eu.trim().parse::<usize>().ok(),
            );
            if given != (Some(expect.0), Some(expect.1)) {
                problems.push(format!(
                    "{}: {item}: start_utf16/end_utf16 ({su}/{eu}) disagree with start/end ({start}/{end}); start and end were used",
                    path.display()
                ));
            }
        }
        let status = if row.status.trim().is_empty() {
            Status::Confirmed
        } else if let Some(s) = Status::from_name(row.status.trim()) {
            s
        } else {
            problems.push(format!(
                "{}: {item}: status \"{}\" is not one of Confirmed, NeedsReview, Suggested, Rejected; Confirmed was used",
                path.display(),
                row.status
            ));
            Status::Confirmed
        };
        spans.push(RawSpan {
            id: row.id,
            item,
            start: RawOffset::Chars(start),
            end: RawOffset::Chars(end),
            label: row.label,
            note: row.note,
            status,
            stored_text: row.text,
            problem,
        });
    }
    RawDoc {
        stem: document,
        title: String::new(),
        file: path.to_owned(),
        text: text.to_owned(),
        spans,
        done: false,
        problems,
    }
}
