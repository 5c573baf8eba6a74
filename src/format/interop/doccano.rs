//! doccano sequence-labeling JSONL: `NAME.jsonl`, one document per line,
//! `{"text": …, "label": [[start, end, "Label"], …], "spanmark": {…}}`.
//!
//! Offsets are UTF-16 code units: doccano's annotator counts JavaScript string indices.
//! The file is ASCII only (`\uXXXX`, surrogate pairs for chars outside the BMP), because
//! doccano's default "Auto" encoding detection misreads UTF-8 as Windows-1252 and would
//! shift every span. Notes, statuses, the document's path and title travel in the extra
//! key `spanmark`, which doccano keeps as metadata and exports again; Suggested and
//! Rejected spans are kept only there, so doccano does not show them as annotations.
//! doccano drops overlapping spans unless the project allows them: the export says so.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::{
    ExportDoc, Format, Imported, InteropError, Losses, RawDoc, RawOffset, RawSpan, Scheme, build,
    read_text,
};
use crate::model::{Status, Utf16Index};

/// The extra key that carries what doccano has no place for.
const META: &str = "spanmark";

pub(super) fn export(
    name: &str,
    docs: &[ExportDoc<'_>],
    losses: &mut Losses,
) -> Result<Vec<(String, Vec<u8>)>, InteropError> {
    let mut out = String::new();
    let mut label_names = std::collections::BTreeSet::new();
    for doc in docs {
        let project = doc.project;
        let index = Utf16Index::new(project.article().text());
        let mut labels = Vec::new();
        let mut meta_spans = Vec::new();
        let mut shown = Vec::new();
        for span in project.spans() {
            let units = index.utf16_range(span.range);
            let label = project.labels().name(span.label);
            label_names.insert(label.to_owned());
            if span.status.is_annotation() {
                labels.push(json!([units.start, units.end, label]));
                shown.push(span.range);
            } else {
                losses.add(
                    "doccano: {n} Suggested or Rejected span(s) kept only in the \"spanmark\" metadata (doccano does not show them)",
                    1,
                );
            }
            if !span.note.is_empty() || span.status != Status::Confirmed {
                meta_spans.push(json!({
                    "start": units.start,
                    "end": units.end,
                    "label": label,
                    "note": span.note,
                    "status": span.status.as_str(),
                }));
            }
        }
        losses.add(
            "doccano: {n} overlapping span(s) need the project option Allow overlapping entity (doccano drops them otherwise)",
            overlapping(&shown),
        );
        let mut meta = Map::new();
        meta.insert("document".to_owned(), Value::from(doc.stem));
        meta.insert("title".to_owned(), Value::from(super::title_of(doc)));
        if project.is_done() {
            meta.insert("done".to_owned(), Value::from(true));
        }
        meta.insert("spans".to_owned(), Value::Array(meta_spans));
        let line = json!({
            "text": project.article().text(),
            "label": labels,
            META: meta,
        });
        let text = serde_json::to_string(&line).map_err(|e| InteropError::Output {
            problem: format!("could not write the JSONL: {e}"),
            path: PathBuf::from(format!("{name}.jsonl")),
        })?;
        push_ascii(&mut out, &text);
        out.push('\n');
    }
    losses.add(
        "doccano: {n} label(s) must be created in the doccano project by hand (the JSONL carries no colours, keys or descriptions)",
        label_names.len(),
    );
    Ok(vec![(format!("{name}.jsonl"), out.into_bytes())])
}

/// How many of `ranges` (sorted by start) overlap at least one other: a range overlaps an
/// earlier one when it starts before the furthest end so far, and a later one when the next
/// range (the earliest-starting later one) starts before its end.
fn overlapping(ranges: &[crate::model::CharRange]) -> usize {
    let mut count = 0;
    let mut max_end = None;
    for (i, r) in ranges.iter().enumerate() {
        let after_earlier = max_end.is_some_and(|end| r.start() < end);
        let before_later = ranges.get(i + 1).is_some_and(|next| next.start() < r.end());
        if after_earlier || before_later {
            count += 1;
        }
        max_end = Some(max_end.map_or(r.end(), |end: crate::model::CharOffset| end.max(r.end())));
    }
    count
}

/// Append JSON text with every non-ASCII char escaped as `\uXXXX` (surrogate pairs for chars
/// outside the BMP). Outside strings JSON is ASCII already, so this is safe on the whole
/// text.
fn push_ascii(out: &mut String, json: &str) {
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

pub(super) fn import(path: &Path) -> Result<Imported, InteropError> {
    let files = super::input_files(path, "jsonl", "doccano file (.jsonl)")?;
    let mut docs = Vec::new();
    for file in &files {
        let text = read_text(file, Format::Doccano)?;
        let text = text.trim_start_matches('\u{feff}');
        let lines: Vec<(usize, &str)> = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        let stem_base = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let single = lines.len() == 1;
        for (n, line) in lines {
            let raw = line_doc(line, n, single, &stem_base, file)?;
            docs.push(build(raw, &Scheme::default())?);
        }
    }
    let collection = path.is_dir() || docs.len() > 1 || docs.iter().any(|d| d.stem.contains('/'));
    Ok(Imported {
        format: Format::Doccano,
        collection,
        docs,
        notes: vec![
            "doccano files carry no label scheme: labels were made from the spans (colours from the defaults)"
                .to_owned(),
        ],
    })
}

#[expect(
    clippy::too_many_lines,
    reason = "one JSONL line: text, spans in either shape, then the metadata matched to them"
)]
fn line_doc(
    line: &str,
    n: usize,
    single: bool,
    stem_base: &str,
    file: &Path,
) -> Result<RawDoc, InteropError> {
    let malformed =
        |message: String| InteropError::malformed(Format::Doccano, Some(n), message, file);
    let value: Value = serde_json::from_str(line).map_err(|e| malformed(e.to_string()))?;
    let Some(text) = value.get("text").and_then(Value::as_str) else {
        return Err(malformed("the line has no \"text\"".to_owned()));
    };
    let meta = value
        .get(META)
        .or_else(|| value.get("meta").and_then(|m| m.get(META)));
    let stem = match meta.and_then(|m| m.get("document")).and_then(Value::as_str) {
        Some(doc) => doc.to_owned(),
        None if single => stem_base.to_owned(),
        None => format!("{stem_base}-{n}"),
    };
    let title = meta
        .and_then(|m| m.get("title"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let done = meta
        .and_then(|m| m.get("done"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut spans: Vec<RawSpan> = Vec::new();
    let mut problems = Vec::new();
    let number = |v: Option<&Value>| {
        v.and_then(Value::as_u64)
            .and_then(|u| usize::try_from(u).ok())
    };
    let labels = value.get("label").or_else(|| value.get("labels"));
    if let Some(Value::Array(items)) = labels {
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Array(triple) => {
                    let (Some(start), Some(end), Some(label)) = (
                        number(triple.first()),
                        number(triple.get(1)),
                        triple.get(2).and_then(Value::as_str),
                    ) else {
                        return Err(malformed(format!(
                            "label {} is {item}; expected [start, end, \"Label\"]",
                            i + 1
                        )));
                    };
                    spans.push(raw_span(
                        format!("line {n}, label {}", i + 1),
                        start,
                        end,
                        label,
                    ));
                }
                Value::String(category) => {
                    problems.push(format!(
                        "{}: line {n}: label \"{category}\" is a category of the whole text (text classification), not a span; ignored",
                        file.display()
                    ));
                }
                other => {
                    return Err(malformed(format!(
                        "label {} is {other}; expected [start, end, \"Label\"]",
                        i + 1
                    )));
                }
            }
        }
    }
    if let Some(Value::Array(entities)) = value.get("entities") {
        for (i, e) in entities.iter().enumerate() {
            let (Some(start), Some(end), Some(label)) = (
                number(e.get("start_offset")),
                number(e.get("end_offset")),
                e.get("label").and_then(Value::as_str),
            ) else {
                return Err(malformed(format!(
                    "entity {} lacks start_offset, end_offset or label",
                    i + 1
                )));
            };
            spans.push(raw_span(
                format!("line {n}, entity {}", i + 1),
                start,
                end,
                label,
            ));
        }
    }
    // Notes and statuses from the metadata, matched by offsets and label.
    let mut by_key: HashMap<(usize, usize, String), usize> = HashMap::new();
    for (i, s) in spans.iter().enumerate() {
        by_key.insert(
            (
                super::raw_number(s.start),
                super::raw_number(s.end),
                s.label.clone(),
            ),
            i,
        );
    }
    if let Some(Value::Array(extra)) = meta.and_then(|m| m.get("spans")) {
        for (i, m) in extra.iter().enumerate() {
            let (Some(start), Some(end), Some(label)) = (
                number(m.get("start")),
                number(m.get("end")),
                m.get("label").and_then(Value::as_str),
            ) else {
                problems.push(format!(
                    "{}: line {n}: spanmark metadata span {} lacks start, end or label; ignored",
                    file.display(),
                    i + 1
                ));
                continue;
            };
            let note = m.get("note").and_then(Value::as_str).unwrap_or_default();
            let status = m
                .get("status")
                .and_then(Value::as_str)
                .and_then(Status::from_name)
                .unwrap_or(Status::Confirmed);
            match by_key.get(&(start, end, label.to_owned())).and_then(|&k| spans.get_mut(k)) {
                Some(span) => {
                    note.clone_into(&mut span.note);
                    span.status = status;
                }
                None if !status.is_annotation() => {
                    let mut span = raw_span(format!("line {n}, spanmark span {}", i + 1), start, end, label);
                    note.clone_into(&mut span.note);
                    span.status = status;
                    spans.push(span);
                }
                None => problems.push(format!(
                    "{}: line {n}: the spanmark metadata has a {label} span at {start}..{end} (UTF-16) that is no longer among the labels (deleted in doccano?); its note and status were dropped",
                    file.display()
                )),
            }
        }
    }
    Ok(RawDoc {
        stem,
        title,
        file: file.to_owned(),
        text: text.to_owned(),
        spans,
        done,
        problems,
    })
}

fn raw_span(item: String, start: usize, end: usize, label: &str) -> RawSpan {
    RawSpan {
        id: None,
        item,
        start: RawOffset::Utf16(start),
        end: RawOffset::Utf16(end),
        label: label.to_owned(),
        note: String::new(),
        status: Status::Confirmed,
        stored_text: None,
        problem: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CharRange;

    #[test]
    fn non_ascii_is_escaped_with_surrogate_pairs() {
        let mut out = String::new();
        push_ascii(&mut out, "\"é🙂\"");
        assert_eq!(out, "\"\\u00e9\\ud83d\\ude42\"");
        let back: String = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(back, "é🙂");
    }

    #[test]
    fn overlapping_spans_are_counted_once_each() {
        let r = |a, b| CharRange::new(a, b).unwrap_or_default();
        assert_eq!(overlapping(&[r(0, 5), r(6, 8)]), 0);
        assert_eq!(overlapping(&[r(0, 5), r(3, 8)]), 2);
        assert_eq!(overlapping(&[r(0, 10), r(1, 2), r(3, 4)]), 3);
        assert_eq!(overlapping(&[r(0, 2), r(1, 3), r(5, 6), r(5, 7)]), 4);
    }
}
