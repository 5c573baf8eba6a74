//! Label Studio: a task list `NAME.json` and its labeling config `NAME.config.xml`.
//!
//! `<Text>` offsets are code points (Label Studio counts them so since label-studio#1559);
//! the text exported is the normalised one, so a CRLF can never count twice. The config
//! has `<Labels name="label" toName="text">` with one `<Label value background hotkey
//! hint>` per label, a per-region `<TextArea name="note">` and a per-region `<Choices
//! name="status">`. Each span is a `labels` result in the task's one annotation; its note
//! and (when not Confirmed) its status are `textarea` / `choices` results repeating the
//! region's `id`. On import both `annotations` and `predictions` are read; a prediction
//! without a status choice is a Suggested span.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::xml::{self, Node};
use super::{
    ExportDoc, Format, Imported, InteropError, Losses, RawDoc, RawOffset, RawSpan, Scheme, build,
    read_text, union_labels,
};
use crate::model::{Label, Rgb, Status};

/// The `name` of the controls and the object in the config spanmark writes.
const LABELS: &str = "label";
const TEXT: &str = "text";
const NOTE: &str = "note";
const STATUS: &str = "status";

pub(super) fn export(
    name: &str,
    docs: &[ExportDoc<'_>],
    losses: &mut Losses,
) -> Result<Vec<(String, Vec<u8>)>, InteropError> {
    let labels = union_labels(docs, Format::LabelStudio, losses);
    let mut tasks = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        let project = doc.project;
        let mut result = Vec::new();
        for span in project.spans() {
            let id = format!("s{}", span.id.0);
            let (start, end) = (span.range.start().get(), span.range.end().get());
            result.push(json!({
                "id": id,
                "from_name": LABELS,
                "to_name": TEXT,
                "type": "labels",
                "origin": "manual",
                "value": {
                    "start": start,
                    "end": end,
                    "text": project.span_text(span),
                    "labels": [project.labels().name(span.label)],
                },
            }));
            if !span.note.is_empty() {
                result.push(json!({
                    "id": id,
                    "from_name": NOTE,
                    "to_name": TEXT,
                    "type": "textarea",
                    "origin": "manual",
                    "value": {"start": start, "end": end, "text": [span.note]},
                }));
            }
            if span.status != Status::Confirmed {
                result.push(json!({
                    "id": id,
                    "from_name": STATUS,
                    "to_name": TEXT,
                    "type": "choices",
                    "origin": "manual",
                    "value": {"start": start, "end": end, "choices": [span.status.as_str()]},
                }));
            }
        }
        let mut data = Map::new();
        data.insert(TEXT.to_owned(), Value::from(project.article().text()));
        data.insert("document".to_owned(), Value::from(doc.stem));
        data.insert("title".to_owned(), Value::from(super::title_of(doc)));
        if project.is_done() {
            data.insert("done".to_owned(), Value::from(true));
        }
        tasks.push(json!({
            "id": i + 1,
            "data": data,
            "annotations": [{"result": result, "ground_truth": false}],
        }));
    }
    // One task per line: a 10,000-document corpus stays a third of its pretty-printed size,
    // and a diff still shows which document changed.
    let mut json = Vec::from("[\n");
    for (i, task) in tasks.iter().enumerate() {
        if i > 0 {
            json.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut json, task).map_err(|e| InteropError::Output {
            problem: format!("could not write the task list: {e}"),
            path: PathBuf::from(format!("{name}.json")),
        })?;
    }
    json.extend_from_slice(b"\n]\n");
    let (config, replaced) = config(&labels);
    losses.add(
        "label-studio: {n} control character(s) in label names or descriptions replaced by U+FFFD in the config (XML 1.0 cannot hold them)",
        replaced,
    );
    Ok(vec![
        (format!("{name}.json"), json),
        (format!("{name}.config.xml"), config.into_bytes()),
    ])
}

/// The labeling config, and how many chars XML could not hold.
fn config(labels: &[Label]) -> (String, usize) {
    let mut out = String::from("<View>\n  <Labels");
    let mut replaced = 0;
    replaced += xml::attr(&mut out, "name", LABELS);
    replaced += xml::attr(&mut out, "toName", TEXT);
    out.push_str(">\n");
    for label in labels {
        out.push_str("    <Label");
        replaced += xml::attr(&mut out, "value", &label.name);
        replaced += xml::attr(&mut out, "background", &label.color.to_hex());
        if let Some(key) = label.key {
            replaced += xml::attr(&mut out, "hotkey", &key.to_string());
        }
        if !label.description.is_empty() {
            replaced += xml::attr(&mut out, "hint", &label.description);
        }
        out.push_str("/>\n");
    }
    out.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\" granularity=\"symbol\"/>\n");
    out.push_str("  <TextArea name=\"note\" toName=\"text\" perRegion=\"true\" editable=\"true\" rows=\"2\" placeholder=\"Note\"/>\n");
    out.push_str(
        "  <Choices name=\"status\" toName=\"text\" perRegion=\"true\" choice=\"single\">\n",
    );
    for status in Status::ALL {
        out.push_str("    <Choice");
        xml::attr(&mut out, "value", status.as_str());
        out.push_str("/>\n");
    }
    out.push_str("  </Choices>\n</View>\n");
    (out, replaced)
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

/// What the config tells about a task list.
#[derive(Default)]
struct Config {
    scheme: Scheme,
    /// The data key of the `<Text>` object (`text` unless the config says otherwise).
    text_key: Option<String>,
}

pub(super) fn import(path: &Path) -> Result<Imported, InteropError> {
    let files = super::input_files(path, "json", "Label Studio task list (.json)")?;
    let mut docs = Vec::new();
    let mut notes = Vec::new();
    for file in &files {
        let config = read_config(file)?;
        if config.scheme.source.is_none() {
            notes.push(format!(
                "{}: no labeling config beside it ({}); labels were made from the spans",
                file.display(),
                config_path(file).display()
            ));
        }
        let text = read_text(file, Format::LabelStudio)?;
        let value: Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
                InteropError::malformed(Format::LabelStudio, Some(e.line()), e.to_string(), file)
            })?;
        let tasks = match value {
            Value::Array(tasks) => tasks,
            task @ Value::Object(_) => vec![task],
            _ => {
                return Err(InteropError::malformed(
                    Format::LabelStudio,
                    None,
                    "expected a task list (a JSON array of tasks)",
                    file,
                ));
            }
        };
        let stem_base = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let single = tasks.len() == 1;
        for (i, task) in tasks.into_iter().enumerate() {
            let raw = task_doc(&task, i, single, &stem_base, &config, file)?;
            docs.push(build(raw, &config.scheme)?);
        }
    }
    let collection = path.is_dir() || docs.len() > 1 || docs.iter().any(|d| d.stem.contains('/'));
    Ok(Imported {
        format: Format::LabelStudio,
        collection,
        docs,
        notes,
    })
}

/// `X.config.xml` beside `X.json`.
fn config_path(file: &Path) -> PathBuf {
    file.with_extension("config.xml")
}

fn read_config(file: &Path) -> Result<Config, InteropError> {
    let path = config_path(file);
    if !path.is_file() {
        return Ok(Config::default());
    }
    let text = read_text(&path, Format::LabelStudio)?;
    let mut reader = xml::Reader::new(
        text.trim_start_matches('\u{feff}'),
        &path,
        Format::LabelStudio,
    );
    let mut labels = Vec::new();
    let mut text_key = None;
    while let Some(node) = reader.next()? {
        let Node::Start { name, .. } = &node else {
            continue;
        };
        match name.as_str() {
            "Label" => {
                let Some(value) = node.attr("value") else {
                    return Err(reader.error("a <Label> has no value"));
                };
                let colour = node
                    .attr("background")
                    .and_then(Rgb::from_hex)
                    .unwrap_or_else(|| {
                        Rgb(super::PALETTE
                            .get(labels.len() % super::PALETTE.len())
                            .copied()
                            .unwrap_or([0x80; 3]))
                    });
                let key = node
                    .attr("hotkey")
                    .filter(|k| k.chars().count() == 1)
                    .and_then(|k| k.chars().next());
                labels.push(Label {
                    name: value.to_owned(),
                    color: colour,
                    key,
                    description: node.attr("hint").unwrap_or_default().to_owned(),
                });
            }
            "Text" if text_key.is_none() => {
                text_key = node
                    .attr("value")
                    .and_then(|v| v.strip_prefix('$'))
                    .map(str::to_owned);
            }
            _ => {}
        }
    }
    Ok(Config {
        scheme: Scheme {
            labels,
            source: Some(path.display().to_string()),
        },
        text_key,
    })
}

/// A whole number from JSON (Label Studio writes offsets as integers; a float with no
/// fraction is accepted too).
fn whole(v: Option<&Value>) -> Option<usize> {
    let v = v?;
    v.as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15)
                .map(|f| f as usize)
        })
}

/// One task as a document.
fn task_doc(
    task: &Value,
    index: usize,
    single: bool,
    stem_base: &str,
    config: &Config,
    file: &Path,
) -> Result<RawDoc, InteropError> {
    let n = index + 1;
    let task_name = match task.get("id") {
        Some(id) => format!("task {id}"),
        None => format!("task {n}"),
    };
    let data = task.get("data").unwrap_or(task);
    let key = config.text_key.as_deref().unwrap_or(TEXT);
    let Some(text) = data.get(key).and_then(Value::as_str) else {
        return Err(InteropError::malformed(
            Format::LabelStudio,
            None,
            format!("{task_name} has no text in data.{key}"),
            file,
        ));
    };
    let stem = match data.get("document").and_then(Value::as_str) {
        Some(doc) => doc.to_owned(),
        None if single => stem_base.to_owned(),
        None => format!(
            "{stem_base}-{}",
            task.get("id").map_or_else(
                || n.to_string(),
                |id| id.to_string().trim_matches('"').to_owned()
            )
        ),
    };
    let title = data
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let done = data.get("done").and_then(Value::as_bool).unwrap_or(false);
    let mut spans = Vec::new();
    let mut problems = Vec::new();
    for (kind, default_status) in [
        ("annotations", Status::Confirmed),
        ("completions", Status::Confirmed),
        ("predictions", Status::Suggested),
    ] {
        let Some(list) = task.get(kind).and_then(Value::as_array) else {
            continue;
        };
        for (a, annotation) in list.iter().enumerate() {
            let cancelled = annotation.get("was_cancelled").and_then(Value::as_bool) == Some(true)
                || annotation.get("skipped").and_then(Value::as_bool) == Some(true);
            if cancelled {
                problems.push(format!(
                    "{}: {task_name}: cancelled {kind} #{} not imported",
                    file.display(),
                    a + 1
                ));
                continue;
            }
            let Some(result) = annotation.get("result").and_then(Value::as_array) else {
                continue;
            };
            let mut found = Vec::new();
            regions(
                result,
                default_status,
                &task_name,
                kind,
                file,
                &mut found,
                &mut problems,
            );
            if kind == "predictions" {
                // An accepted prediction is also in the annotations: the annotation is the
                // analyst's version, so the prediction adds nothing.
                found.retain(|p| {
                    !spans
                        .iter()
                        .any(|a: &RawSpan| (a.start, a.end, &a.label) == (p.start, p.end, &p.label))
                });
            }
            spans.extend(found);
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

/// The spans of one annotation's (or prediction's) results.
fn regions(
    result: &[Value],
    default_status: Status,
    task_name: &str,
    kind: &str,
    file: &Path,
    spans: &mut Vec<RawSpan>,
    problems: &mut Vec<String>,
) {
    let id_of = |r: &Value| r.get("id").and_then(Value::as_str).map(str::to_owned);
    // Per-region notes and statuses first, by region id.
    let mut notes: HashMap<String, String> = HashMap::new();
    let mut statuses: HashMap<String, Status> = HashMap::new();
    for r in result {
        let ty = r.get("type").and_then(Value::as_str).unwrap_or_default();
        let value = r.get("value");
        match ty {
            "textarea" => {
                let Some(id) = id_of(r) else { continue };
                let note = match value.and_then(|v| v.get("text")) {
                    Some(Value::Array(lines)) => lines
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("\n"),
                    Some(Value::String(s)) => s.clone(),
                    _ => String::new(),
                };
                notes.insert(id, note);
            }
            "choices" => {
                let Some(id) = id_of(r) else { continue };
                let choice = value
                    .and_then(|v| v.get("choices"))
                    .and_then(Value::as_array)
                    .and_then(|c| c.first())
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match Status::from_name(choice) {
                    Some(s) => {
                        statuses.insert(id, s);
                    }
                    None => problems.push(format!(
                        "{}: {task_name}: region \"{id}\" has choice \"{choice}\", not a spanmark status; ignored",
                        file.display()
                    )),
                }
            }
            _ => {}
        }
    }
    for (i, r) in result.iter().enumerate() {
        let ty = r.get("type").and_then(Value::as_str).unwrap_or_default();
        if matches!(ty, "textarea" | "choices" | "relation") {
            continue;
        }
        let value = r.get("value");
        let Some(labels) = value
            .and_then(|v| v.get("labels"))
            .and_then(Value::as_array)
        else {
            problems.push(format!(
                "{}: {task_name}: {kind} result {} of type \"{ty}\" holds no text labels; not imported",
                file.display(),
                i + 1
            ));
            continue;
        };
        let id = id_of(r).unwrap_or_else(|| format!("#{}", i + 1));
        let item = format!("{task_name}, region \"{id}\"");
        let start = whole(value.and_then(|v| v.get("start")));
        let end = whole(value.and_then(|v| v.get("end")));
        let problem = match (start, end) {
            (Some(_), Some(_)) => None,
            _ => Some("its start and end are not whole numbers (a region of a <HyperText> or <ParagraphLabels>?)".to_owned()),
        };
        let stored = value
            .and_then(|v| v.get("text"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        for label in labels {
            spans.push(RawSpan {
                // spanmark writes region ids as `s<span id>`.
                id: id.strip_prefix('s').and_then(|n| n.parse().ok()),
                item: item.clone(),
                start: RawOffset::Chars(start.unwrap_or(0)),
                end: RawOffset::Chars(end.unwrap_or(0)),
                label: label.as_str().unwrap_or_default().to_owned(),
                note: notes.get(&id).cloned().unwrap_or_default(),
                status: statuses.get(&id).copied().unwrap_or(default_status),
                stored_text: stored.clone(),
                problem: problem.clone(),
            });
        }
    }
}
