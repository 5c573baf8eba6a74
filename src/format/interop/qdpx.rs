//! REFI-QDA project exchange (`.qdpx`), read by `NVivo`, `MAXQDA`, ATLAS.ti and `QualCoder`: a
//! zip with `project.qde` (the project as XML) and `sources/<GUID>.txt` per document.
//!
//! Positions are code points of the source as stored, which is the normalised article: no
//! BOM, LF only (CRLF is counted differently by different vendors, `QualCoder#37`). Labels are
//! codes (with colours and descriptions) in the codebook; each annotated span is a
//! `PlainTextSelection` with one `Coding`, its note the selection's `Description`. Elements
//! come in the order the schema's sequences give, GUIDs are 8-4-4-4-12 hex derived from the
//! content (so the same project exports to the same bytes). REFI-QDA has no review status:
//! `NeedsReview` spans become plain codings and Suggested or Rejected ones are left out, and
//! the export says how many.
//!
//! On import the archive is checked before anything is read from it: entry names that are
//! absolute or climb (`../`), too many entries, or more than [`super::MAX_QDPX_EXPANDED_BYTES`]
//! declared or actually expanded are refused.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::xml::{self, Node};
use super::{
    ExportDoc, Format, Imported, InteropError, Losses, RawDoc, RawOffset, RawSpan, Scheme, build,
    stable_guid, union_labels,
};
use crate::model::text::excerpt;
use crate::model::{Label, Rgb, Status};

/// Most entries a `.qdpx` may hold.
const MAX_ENTRIES: usize = 100_000;

#[expect(
    clippy::too_many_lines,
    reason = "the project file in schema order, element by element"
)]
pub(super) fn export(
    name: &str,
    docs: &[ExportDoc<'_>],
    losses: &mut Losses,
) -> Result<Vec<(String, Vec<u8>)>, InteropError> {
    let file = format!("{name}.qdpx");
    let labels = union_labels(docs, Format::Qdpx, losses);
    super::lost_titles(Format::Qdpx, docs, losses);
    let keys = labels.iter().filter(|l| l.key.is_some()).count();
    losses.add(
        "REFI-QDA: {n} label key(s) not carried (codes have no keys)",
        keys,
    );
    let user = stable_guid(&["user", "spanmark"]);
    let code_guid = |label: &str| stable_guid(&["code", label]);
    let mut replaced = 0;
    let mut qde = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Project");
    replaced += xml::attr(&mut qde, "name", name);
    let _ = write!(
        qde,
        " origin=\"spanmark {}\" creatingUserGUID=\"{user}\" xmlns=\"urn:QDA-XML:project:1.0\">\n  <Users>\n    <User guid=\"{user}\" name=\"spanmark\"/>\n  </Users>\n  <CodeBook>\n    <Codes>\n",
        env!("CARGO_PKG_VERSION")
    );
    for label in &labels {
        qde.push_str("      <Code");
        let _ = write!(qde, " guid=\"{}\"", code_guid(&label.name));
        replaced += xml::attr(&mut qde, "name", &label.name);
        let _ = write!(
            qde,
            " isCodable=\"true\" color=\"{}\"",
            label.color.to_hex()
        );
        if label.description.is_empty() {
            qde.push_str("/>\n");
        } else {
            qde.push_str(">\n        <Description>");
            replaced += xml::push_text(&mut qde, &label.description);
            qde.push_str("</Description>\n      </Code>\n");
        }
    }
    qde.push_str("    </Codes>\n  </CodeBook>\n  <Sources>\n");
    let mut sources = Vec::with_capacity(docs.len());
    for doc in docs {
        let project = doc.project;
        let source_guid = stable_guid(&["source", doc.stem]);
        qde.push_str("    <TextSource");
        let _ = write!(qde, " guid=\"{source_guid}\"");
        replaced += xml::attr(&mut qde, "name", doc.stem);
        let _ = writeln!(
            qde,
            " plainTextPath=\"internal://{source_guid}.txt\" creatingUser=\"{user}\">"
        );
        for span in project.spans() {
            match span.status {
                Status::Confirmed => {}
                Status::NeedsReview => losses.add(
                    "REFI-QDA has no review status: {n} NeedsReview span(s) exported as plain codings",
                    1,
                ),
                Status::Suggested | Status::Rejected => {
                    losses.add(
                        "REFI-QDA has no review status: {n} Suggested or Rejected span(s) not exported (they are not annotations yet)",
                        1,
                    );
                    continue;
                }
            }
            let label = project.labels().name(span.label);
            let id = span.id.0.to_string();
            let (start, end) = (span.range.start().to_string(), span.range.end().to_string());
            let guid = stable_guid(&["selection", doc.stem, &id, &start, &end, label]);
            qde.push_str("      <PlainTextSelection");
            let _ = write!(qde, " guid=\"{guid}\"");
            replaced += xml::attr(&mut qde, "name", &excerpt(project.span_text(span), 40));
            let _ = writeln!(
                qde,
                " startPosition=\"{start}\" endPosition=\"{end}\" creatingUser=\"{user}\">"
            );
            if !span.note.is_empty() {
                qde.push_str("        <Description>");
                replaced += xml::push_text(&mut qde, &span.note);
                qde.push_str("</Description>\n");
            }
            let coding = stable_guid(&["coding", &guid]);
            let _ = write!(
                qde,
                "        <Coding guid=\"{coding}\" creatingUser=\"{user}\">\n          <CodeRef targetGUID=\"{}\"/>\n        </Coding>\n      </PlainTextSelection>\n",
                code_guid(label)
            );
        }
        qde.push_str("    </TextSource>\n");
        sources.push((
            format!("sources/{source_guid}.txt"),
            project.article().text().as_bytes(),
        ));
    }
    qde.push_str("  </Sources>\n</Project>\n");
    losses.add(
        "REFI-QDA: {n} control character(s) in notes, names or descriptions replaced by U+FFFD (XML 1.0 cannot hold them)",
        replaced,
    );
    let zip = zip_files(&qde, &sources).map_err(|e| InteropError::Output {
        problem: format!("could not build the archive: {e}"),
        path: PathBuf::from(&file),
    })?;
    Ok(vec![(file, zip)])
}

/// The archive, deterministic: fixed order, fixed timestamps, deflate.
fn zip_files(qde: &str, sources: &[(String, &[u8])]) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    writer.start_file("project.qde", options)?;
    writer.write_all(qde.as_bytes())?;
    for (name, bytes) in sources {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

pub(super) fn import(path: &Path) -> Result<Imported, InteropError> {
    import_capped(path, super::MAX_QDPX_EXPANDED_BYTES)
}

/// [`import`] with the expansion cap given (tests use a small one).
#[expect(
    clippy::too_many_lines,
    reason = "check the archive, read the project, then each source in order"
)]
pub(super) fn import_capped(path: &Path, cap: u64) -> Result<Imported, InteropError> {
    if path.is_dir() {
        return Err(InteropError::UnknownFormat {
            reason: "a REFI-QDA import reads one .qdpx file, not a folder".to_owned(),
            path: path.to_owned(),
        });
    }
    let file = std::fs::File::open(path).map_err(InteropError::io("read", path))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| {
        InteropError::malformed(Format::Qdpx, None, format!("not a zip archive ({e})"), path)
    })?;
    let entries = check_archive(&mut archive, cap, path)?;
    let Some(qde_name) = entries
        .keys()
        .find(|n| n.eq_ignore_ascii_case("project.qde"))
        .or_else(|| {
            entries
                .keys()
                .find(|n| !n.contains('/') && n.to_lowercase().ends_with(".qde"))
        })
        .cloned()
    else {
        return Err(InteropError::malformed(
            Format::Qdpx,
            None,
            "the archive holds no project.qde",
            path,
        ));
    };
    let qde_path = path.join(&qde_name);
    let qde = read_entry(&mut archive, &entries, &qde_name, cap, path)?;
    let qde = String::from_utf8(qde).map_err(|e| {
        InteropError::malformed(
            Format::Qdpx,
            None,
            format!(
                "project.qde is not UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ),
            path,
        )
    })?;
    let parsed = parse_qde(&qde, &qde_path)?;
    let scheme = Scheme {
        labels: parsed.codes.iter().map(|c| c.label.clone()).collect(),
        source: Some(format!("{}'s codebook", path.display())),
    };
    let code_names: HashMap<&str, &str> = parsed
        .codes
        .iter()
        .map(|c| (c.guid.as_str(), c.label.name.as_str()))
        .collect();
    let mut docs = Vec::with_capacity(parsed.sources.len());
    let mut notes = parsed.notes;
    let mut used_stems: HashMap<String, usize> = HashMap::new();
    for source in parsed.sources {
        let text = if let Some(content) = source.content {
            content
        } else if let Some(internal) = source
            .path
            .as_deref()
            .and_then(|p| p.strip_prefix("internal://"))
        {
            let entry = entries
                .keys()
                .find(|n| {
                    n.split_once('/').is_some_and(|(dir, rest)| {
                        dir.eq_ignore_ascii_case("sources") && rest == internal
                    })
                })
                .cloned();
            let Some(entry) = entry else {
                return Err(InteropError::MissingText {
                    document: source.name.clone(),
                    expected: format!("sources/{internal} in the archive"),
                    path: path.to_owned(),
                });
            };
            let bytes = read_entry(&mut archive, &entries, &entry, cap, path)?;
            String::from_utf8(bytes).map_err(|e| InteropError::BadText {
                document: source.name.clone(),
                problem: format!(
                    "its text is not UTF-8 (byte {})",
                    e.utf8_error().valid_up_to()
                ),
                path: path.to_owned(),
            })?
        } else {
            notes.push(format!(
                "{}: source \"{}\" has no plain text (only {}); not imported",
                path.display(),
                source.name,
                source.path.as_deref().unwrap_or("an external file")
            ));
            continue;
        };
        // A source's name is free text in REFI-QDA; spanmark's own exports use the document
        // path. A name that is not a safe path is turned into a plain file name.
        let mut stem = if super::safe_stem(&source.name).is_ok() {
            source.name.clone()
        } else {
            super::stem_for_article(&source.name)
        };
        let seen = used_stems.entry(stem.to_lowercase()).or_insert(0);
        *seen += 1;
        if *seen > 1 {
            stem = format!("{stem} ({seen})");
        }
        let mut spans = Vec::with_capacity(source.selections.len());
        let mut problems = Vec::new();
        for sel in source.selections {
            if sel.codes.is_empty() {
                problems.push(format!(
                    "{}: selection {} at {}..{} has no coding; not imported",
                    qde_path.display(),
                    sel.guid,
                    sel.start,
                    sel.end
                ));
                continue;
            }
            for code in &sel.codes {
                let (label, problem) = match code_names.get(code.as_str()) {
                    Some(name) => ((*name).to_owned(), None),
                    None => (
                        "?".to_owned(),
                        Some(format!(
                            "its coding points at code {code}, which the codebook lacks"
                        )),
                    ),
                };
                spans.push(RawSpan {
                    id: None,
                    item: format!("line {} (selection {})", sel.line, sel.guid),
                    start: RawOffset::Chars(sel.start),
                    end: RawOffset::Chars(sel.end),
                    label,
                    note: sel.description.clone(),
                    status: Status::Confirmed,
                    stored_text: None,
                    problem: problem.or_else(|| sel.problem.clone()),
                });
            }
        }
        let raw = RawDoc {
            stem,
            title: String::new(),
            file: qde_path.clone(),
            text,
            spans,
            done: false,
            problems,
        };
        docs.push(build(raw, &scheme)?);
    }
    let collection = docs.len() > 1 || docs.iter().any(|d| d.stem.contains('/'));
    Ok(Imported {
        format: Format::Qdpx,
        collection,
        docs,
        notes,
    })
}

/// Check every entry before reading any: names must be plain relative paths, the count and
/// the declared expanded size bounded. Returns entry name → index.
fn check_archive<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    cap: u64,
    path: &Path,
) -> Result<HashMap<String, usize>, InteropError> {
    let refused = |what: String, reason: String| InteropError::Refused {
        what,
        reason,
        path: path.to_owned(),
    };
    if archive.len() > MAX_ENTRIES {
        return Err(refused(
            "the archive".to_owned(),
            format!(
                "it holds {} entries; the limit is {MAX_ENTRIES}",
                archive.len()
            ),
        ));
    }
    let mut entries = HashMap::with_capacity(archive.len());
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| {
            InteropError::malformed(
                Format::Qdpx,
                None,
                format!("entry {i} cannot be read ({e})"),
                path,
            )
        })?;
        let name = entry
            .name()
            .map_err(|e| {
                InteropError::malformed(
                    Format::Qdpx,
                    None,
                    format!("entry {i} has a name that cannot be read ({e})"),
                    path,
                )
            })?
            .into_owned();
        let climbs = name.starts_with('/')
            || name.starts_with('\\')
            || name.contains('\\')
            || name.split('/').any(|p| p == "..")
            || name.get(1..2) == Some(":")
            || entry.enclosed_name().is_none();
        if climbs {
            return Err(refused(
                format!("archive entry \"{name}\""),
                "its path is absolute or climbs out of the archive's folder (zip slip)".to_owned(),
            ));
        }
        total = total.saturating_add(entry.size());
        if total > cap {
            return Err(refused(
                "the archive".to_owned(),
                format!("it expands to more than {cap} bytes (zip bomb?)"),
            ));
        }
        if !entry.is_dir() {
            entries.insert(name, i);
        }
    }
    Ok(entries)
}

/// Read one entry, stopping at `cap` bytes whatever its header claims.
fn read_entry<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    entries: &HashMap<String, usize>,
    name: &str,
    cap: u64,
    path: &Path,
) -> Result<Vec<u8>, InteropError> {
    let Some(&i) = entries.get(name) else {
        return Err(InteropError::malformed(
            Format::Qdpx,
            None,
            format!("no entry {name}"),
            path,
        ));
    };
    let entry = archive.by_index(i).map_err(|e| {
        InteropError::malformed(
            Format::Qdpx,
            None,
            format!("entry {name} cannot be read ({e})"),
            path,
        )
    })?;
    let mut bytes = Vec::new();
    entry
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| {
            InteropError::malformed(
                Format::Qdpx,
                None,
                format!("entry {name} cannot be expanded ({e})"),
                path,
            )
        })?;
    if bytes.len() as u64 > cap {
        return Err(InteropError::Refused {
            what: format!("archive entry \"{name}\""),
            reason: format!("it expands to more than {cap} bytes (zip bomb?)"),
            path: path.to_owned(),
        });
    }
    Ok(bytes)
}

/// A code of the codebook.
struct Code {
    guid: String,
    label: Label,
}

/// A selection of a text source.
struct Selection {
    line: usize,
    guid: String,
    start: usize,
    end: usize,
    description: String,
    /// GUIDs of the codes its codings point at.
    codes: Vec<String>,
    problem: Option<String>,
}

/// A text source.
struct Source {
    name: String,
    path: Option<String>,
    content: Option<String>,
    selections: Vec<Selection>,
}

struct Qde {
    codes: Vec<Code>,
    sources: Vec<Source>,
    notes: Vec<String>,
}

#[expect(
    clippy::too_many_lines,
    reason = "one pass over project.qde, one arm per element spanmark reads"
)]
fn parse_qde(text: &str, path: &Path) -> Result<Qde, InteropError> {
    let mut reader = xml::Reader::new(text.trim_start_matches('\u{feff}'), path, Format::Qdpx);
    let mut codes: Vec<Code> = Vec::new();
    let mut sources: Vec<Source> = Vec::new();
    let mut notes = Vec::new();
    // The open elements, by local name.
    let mut stack: Vec<String> = Vec::new();
    let mut text_buf = String::new();
    let mut other_sources = 0;
    while let Some(node) = reader.next()? {
        match &node {
            Node::Start { name, empty, .. } => {
                text_buf.clear();
                match name.as_str() {
                    "Code" => {
                        let guid = node.attr("guid").unwrap_or_default().to_owned();
                        let label_name = node.attr("name").unwrap_or_default().to_owned();
                        if label_name.trim().is_empty() {
                            return Err(reader.error(format!("code {guid} has no name")));
                        }
                        let colour =
                            node.attr("color")
                                .and_then(parse_colour)
                                .unwrap_or_else(|| {
                                    Rgb(super::PALETTE
                                        .get(codes.len() % super::PALETTE.len())
                                        .copied()
                                        .unwrap_or([0x80; 3]))
                                });
                        codes.push(Code {
                            guid,
                            label: Label::new(label_name, colour),
                        });
                    }
                    "TextSource" => sources.push(Source {
                        name: node.attr("name").unwrap_or_default().to_owned(),
                        path: node.attr("plainTextPath").map(str::to_owned),
                        content: None,
                        selections: Vec::new(),
                    }),
                    "PictureSource" | "PDFSource" | "AudioSource" | "VideoSource" => {
                        other_sources += 1;
                    }
                    "PlainTextSelection" if stack.last().is_some_and(|p| p == "TextSource") => {
                        let number =
                            |k: &str| node.attr(k).and_then(|v| v.trim().parse::<usize>().ok());
                        let (start, end) = (number("startPosition"), number("endPosition"));
                        let problem = (start.is_none() || end.is_none()).then(|| {
                            "its startPosition and endPosition are not whole numbers".to_owned()
                        });
                        let line = reader.line();
                        if let Some(source) = sources.last_mut() {
                            source.selections.push(Selection {
                                line,
                                guid: node.attr("guid").unwrap_or_default().to_owned(),
                                start: start.unwrap_or(0),
                                end: end.unwrap_or(0),
                                description: String::new(),
                                codes: Vec::new(),
                                problem,
                            });
                        }
                    }
                    "CodeRef"
                        if stack
                            .iter()
                            .rev()
                            .nth(1)
                            .is_some_and(|p| p == "PlainTextSelection") =>
                    {
                        let target = node.attr("targetGUID").unwrap_or_default().to_owned();
                        if let Some(sel) = sources.last_mut().and_then(|s| s.selections.last_mut())
                        {
                            sel.codes.push(target);
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name.clone());
                }
            }
            Node::Text(t) => text_buf.push_str(t),
            Node::End(name) => {
                stack.pop();
                let parent = stack.last().map(String::as_str);
                match (name.as_str(), parent) {
                    ("Description", Some("Code")) => {
                        if let Some(code) = codes.last_mut() {
                            code.label.description = std::mem::take(&mut text_buf);
                        }
                    }
                    ("Description", Some("PlainTextSelection")) => {
                        if let Some(sel) = sources.last_mut().and_then(|s| s.selections.last_mut())
                        {
                            sel.description = std::mem::take(&mut text_buf);
                        }
                    }
                    ("PlainTextContent", Some("TextSource")) => {
                        if let Some(source) = sources.last_mut() {
                            source.content = Some(std::mem::take(&mut text_buf));
                        }
                    }
                    _ => {}
                }
                text_buf.clear();
            }
        }
    }
    if other_sources > 0 {
        notes.push(format!(
            "{}: {other_sources} picture, PDF, audio or video source(s) not imported (spanmark annotates text)",
            path.display()
        ));
    }
    Ok(Qde {
        codes,
        sources,
        notes,
    })
}

/// `#RRGGBB` or `#RGB`.
fn parse_colour(s: &str) -> Option<Rgb> {
    if let Some(rgb) = Rgb::from_hex(s) {
        return Some(rgb);
    }
    let hex = s.strip_prefix('#')?;
    if hex.len() != 3 {
        return None;
    }
    let mut out = [0u8; 3];
    for (o, c) in out.iter_mut().zip(hex.chars()) {
        let v = u8::try_from(c.to_digit(16)?).ok()?;
        *o = v * 17;
    }
    Some(Rgb(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(entries: &[(&str, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            writer.start_file(*name, options)?;
            writer.write_all(data)?;
        }
        Ok(writer.finish()?.into_inner())
    }

    #[test]
    fn an_archive_that_expands_past_the_cap_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("bomb.qdpx");
        // 1 MiB of zeros compresses to about a kilobyte.
        let bytes = archive(&[
            ("project.qde", b"<Project name=\"x\"/>".to_vec()),
            ("sources/a.txt", vec![0u8; 1 << 20]),
        ])?;
        assert!(bytes.len() < 10_000);
        std::fs::write(&path, bytes)?;
        let err = import_capped(&path, 64 * 1024).err();
        assert!(
            matches!(&err, Some(InteropError::Refused { reason, .. }) if reason.contains("zip bomb")),
            "{err:?}"
        );
        // The same archive under the real cap is read (and holds no text source).
        let imported = import(&path)?;
        assert!(imported.docs.is_empty());
        Ok(())
    }

    #[test]
    fn short_colours_are_read() {
        assert_eq!(parse_colour("#f80"), Some(Rgb([0xFF, 0x88, 0x00])));
        assert_eq!(parse_colour("#E8911E"), Some(Rgb([0xE8, 0x91, 0x1E])));
        assert_eq!(parse_colour("red"), None);
    }
}
