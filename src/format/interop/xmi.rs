//! UIMA CAS XMI, as `INCEpTION` and `WebAnno` read it: `NAME.xmi` per document and one
//! `TypeSystem.xml`.
//!
//! Offsets (`begin`, `end`) are UTF-16 code units: UIMA's text is a Java string. Each span
//! is one `webanno.custom.SpanmarkSpan` annotation with string features `label`, `note` and
//! `status`; the document's title and path go into `DKPro` Core's `DocumentMetaData`, which
//! `INCEpTION` reads. The text lives in the `sofaString` attribute, so line breaks and tabs
//! are written as `&#10;` / `&#9;`; C0 control characters, which XML 1.0 cannot hold at
//! all, become U+FFFD (one UTF-16 unit for one, so no offset moves) and the export says how
//! many. `INCEpTION` drops annotation types it does not know: docs/interop.md explains the
//! one-time layer setup.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::xml::{self, Node};
use super::{
    ExportDoc, Format, Imported, InteropError, Losses, RawDoc, RawOffset, RawSpan, Scheme, build,
    read_text,
};
use crate::model::{Status, Utf16Index};

/// The UIMA type of a spanmark span.
pub const SPAN_TYPE: &str = "webanno.custom.SpanmarkSpan";
/// `DKPro` Core's document metadata type.
const META_TYPE: &str = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData";

pub(super) fn export(docs: &[ExportDoc<'_>], losses: &mut Losses) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::with_capacity(docs.len() + 1);
    let mut label_names = std::collections::BTreeSet::new();
    for doc in docs {
        let project = doc.project;
        let text = project.article().text();
        let index = Utf16Index::new(text);
        let mut out = String::with_capacity(text.len() * 2 + project.spans().len() * 120);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xmi:XMI xmlns:xmi=\"http://www.omg.org/XMI\" xmlns:cas=\"http:///uima/cas.ecore\" xmlns:type=\"http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore\" xmlns:custom=\"http:///webanno/custom.ecore\" xmi:version=\"2.0\">\n");
        out.push_str("  <cas:NULL xmi:id=\"0\"/>\n");
        // Sofa 1, metadata 2, spans from 3.
        let end = index.utf16_len();
        let mut names = 0;
        out.push_str("  <type:DocumentMetaData xmi:id=\"2\" sofa=\"1\" begin=\"0\"");
        let _ = write!(out, " end=\"{end}\" language=\"x-unspecified\"");
        names += xml::attr(&mut out, "documentTitle", &super::title_of(doc));
        names += xml::attr(&mut out, "documentId", doc.stem);
        out.push_str(" isLastSegment=\"false\"/>\n");
        let mut members = vec!["2".to_owned()];
        for (i, span) in project.spans().iter().enumerate() {
            let id = i + 3;
            let units = index.utf16_range(span.range);
            let label = project.labels().name(span.label);
            label_names.insert(label.to_owned());
            let _ = write!(
                out,
                "  <custom:SpanmarkSpan xmi:id=\"{id}\" sofa=\"1\" begin=\"{}\" end=\"{}\"",
                units.start, units.end
            );
            names += xml::attr(&mut out, "label", label);
            names += xml::attr(&mut out, "note", &span.note);
            xml::attr(&mut out, "status", span.status.as_str());
            out.push_str("/>\n");
            members.push(id.to_string());
        }
        out.push_str(
            "  <cas:Sofa xmi:id=\"1\" sofaNum=\"1\" sofaID=\"_InitialView\" mimeType=\"text\"",
        );
        let replaced = xml::attr(&mut out, "sofaString", text);
        out.push_str("/>\n");
        let _ = writeln!(
            out,
            "  <cas:View sofa=\"1\" members=\"{}\"/>",
            members.join(" ")
        );
        out.push_str("</xmi:XMI>\n");
        losses.add(
            "xmi: {n} control character(s) in the text replaced by U+FFFD (XML 1.0 cannot hold them; no offset moves)",
            replaced,
        );
        losses.add(
            "xmi: {n} control character(s) in notes, labels or names replaced by U+FFFD (XML 1.0 cannot hold them)",
            names,
        );
        files.push((format!("{}.xmi", doc.stem), out.into_bytes()));
    }
    let mut all = std::collections::BTreeSet::new();
    for doc in docs {
        for (_, l) in doc.project.labels().iter() {
            all.insert(l.name.clone());
        }
    }
    losses.add(
        "xmi: {n} label(s) lose colour, key and description (XMI holds each span's label name only; INCEpTION keeps tagsets apart)",
        all.len(),
    );
    losses.add(
        "xmi: {n} label(s) without spans are not carried at all",
        all.len().saturating_sub(label_names.len()),
    );
    files.push(("TypeSystem.xml".to_owned(), type_system().into_bytes()));
    files
}

/// The type system: the span type and `DKPro` Core's document metadata.
fn type_system() -> String {
    let feature = |name: &str, description: &str, range: &str| {
        format!(
            "        <featureDescription>\n          <name>{name}</name>\n          <description>{description}</description>\n          <rangeTypeName>{range}</rangeTypeName>\n        </featureDescription>\n"
        )
    };
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<typeSystemDescription xmlns=\"http://uima.apache.org/resourceSpecifier\">\n  <name>spanmark</name>\n  <description>Spans exported by spanmark (see docs/interop.md for the INCEpTION layer setup).</description>\n  <version>1.0</version>\n  <types>\n",
    );
    let _ = write!(
        out,
        "    <typeDescription>\n      <name>{SPAN_TYPE}</name>\n      <description>A span tagged in spanmark: its label, the analyst's note and its review status.</description>\n      <supertypeName>uima.tcas.Annotation</supertypeName>\n      <features>\n{}{}{}      </features>\n    </typeDescription>\n",
        feature(
            "label",
            "The span's label (Claim, Quote, Disclaimer, ...).",
            "uima.cas.String"
        ),
        feature("note", "The analyst's note.", "uima.cas.String"),
        feature(
            "status",
            "Confirmed, NeedsReview, Suggested or Rejected.",
            "uima.cas.String"
        ),
    );
    let _ = write!(
        out,
        "    <typeDescription>\n      <name>{META_TYPE}</name>\n      <description>DKPro Core document metadata.</description>\n      <supertypeName>uima.tcas.DocumentAnnotation</supertypeName>\n      <features>\n{}{}{}{}{}{}      </features>\n    </typeDescription>\n",
        feature("documentTitle", "The article's name.", "uima.cas.String"),
        feature(
            "documentId",
            "The document's path in the collection.",
            "uima.cas.String"
        ),
        feature("documentUri", "", "uima.cas.String"),
        feature("collectionId", "", "uima.cas.String"),
        feature("documentBaseUri", "", "uima.cas.String"),
        feature("isLastSegment", "", "uima.cas.Boolean"),
    );
    out.push_str("  </types>\n</typeSystemDescription>\n");
    out
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

pub(super) fn import(path: &Path) -> Result<Imported, InteropError> {
    let (root, files, collection) = if path.is_dir() {
        let files: Vec<PathBuf> = super::walk(path)?
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case("xmi")))
            .collect();
        (path.to_owned(), files, true)
    } else {
        let root = path.parent().map(Path::to_owned).unwrap_or_default();
        (root, vec![path.to_owned()], false)
    };
    if files.is_empty() {
        return Err(InteropError::Nothing {
            what: "the folder holds no .xmi file".to_owned(),
            path: path.to_owned(),
        });
    }
    let mut docs = Vec::with_capacity(files.len());
    let mut notes = vec![
        "XMI files carry no label scheme: labels were made from the spans (colours from the defaults)"
            .to_owned(),
    ];
    for file in files {
        let text = read_text(&file, Format::Xmi)?;
        let stem = super::rel_stem(&root, &file);
        let (raw, others) = parse(&text, stem, &file)?;
        if !others.is_empty() {
            notes.push(format!(
                "{}: {} annotation(s) of other types not imported (only {SPAN_TYPE} is): {}",
                file.display(),
                others.len(),
                summarise(&others)
            ));
        }
        docs.push(build(raw, &Scheme::default())?);
    }
    Ok(Imported {
        format: Format::Xmi,
        collection,
        docs,
        notes,
    })
}

/// "Token ×12, Sentence ×3".
fn summarise(types: &[String]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for t in types {
        match counts.iter_mut().find(|(n, _)| n == t) {
            Some(entry) => entry.1 += 1,
            None => counts.push((t.clone(), 1)),
        }
    }
    counts
        .iter()
        .map(|(t, n)| format!("{t} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One document from XMI text: the sofa of the initial view, its spanmark spans, and the
/// type names of other annotations found.
#[expect(
    clippy::too_many_lines,
    reason = "one pass over the XMI, then each span checked in order"
)]
fn parse(text: &str, stem: String, file: &Path) -> Result<(RawDoc, Vec<String>), InteropError> {
    let mut reader = xml::Reader::new(text.trim_start_matches('\u{feff}'), file, Format::Xmi);
    let mut sofas: Vec<(String, String, String)> = Vec::new();
    let mut found: Vec<(usize, Node)> = Vec::new();
    let mut others = Vec::new();
    let mut title = String::new();
    let mut depth = 0usize;
    while let Some(node) = reader.next()? {
        match &node {
            Node::Start {
                name, qname, empty, ..
            } => {
                let line = reader.line();
                if depth == 1 {
                    match name.as_str() {
                        "Sofa" => {
                            let Some(string) = node.attr("sofaString") else {
                                return Err(reader.error(
                                    "the Sofa holds no sofaString (a text kept elsewhere, sofaURI or sofaArray, is not read)",
                                ));
                            };
                            sofas.push((
                                node.attr("id").unwrap_or_default().to_owned(),
                                node.attr("sofaID").unwrap_or_default().to_owned(),
                                string.to_owned(),
                            ));
                        }
                        "SpanmarkSpan" => found.push((line, node.clone())),
                        "DocumentMetaData" => {
                            node.attr("documentTitle")
                                .unwrap_or_default()
                                .clone_into(&mut title);
                        }
                        _ => {
                            if node.attr("begin").is_some()
                                && !matches!(name.as_str(), "DocumentAnnotation")
                            {
                                others.push(qname.clone());
                            }
                        }
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            Node::End(_) => depth = depth.saturating_sub(1),
            Node::Text(_) => {}
        }
    }
    let sofa = sofas
        .iter()
        .find(|(_, id, _)| id == "_InitialView")
        .or_else(|| sofas.first());
    let Some((sofa_id, _, sofa_text)) = sofa else {
        return Err(InteropError::malformed(
            Format::Xmi,
            None,
            "no cas:Sofa with the document text",
            file,
        ));
    };
    let mut spans = Vec::with_capacity(found.len());
    let mut problems = Vec::new();
    for (line, node) in found {
        let id = node.attr("id").unwrap_or("?");
        let item = format!("line {line} (xmi:id {id})");
        if node.attr("sofa").is_some_and(|s| s != sofa_id) {
            problems.push(format!(
                "{}: {item}: annotates another view; not imported",
                file.display()
            ));
            continue;
        }
        let number = |key: &str| node.attr(key).map(|v| v.trim().parse::<usize>());
        let (begin, end) = (number("begin"), number("end"));
        let problem = match (&begin, &end) {
            (Some(Ok(_)), Some(Ok(_))) => None,
            _ => Some("its begin and end are missing or not whole numbers".to_owned()),
        };
        let status_name = node.attr("status").unwrap_or_default();
        let status = if status_name.is_empty() {
            Status::Confirmed
        } else if let Some(s) = Status::from_name(status_name) {
            s
        } else {
            problems.push(format!(
                "{}: {item}: status \"{status_name}\" is not a spanmark status; Confirmed was used",
                file.display()
            ));
            Status::Confirmed
        };
        spans.push(RawSpan {
            id: None,
            item,
            start: RawOffset::Utf16(begin.and_then(Result::ok).unwrap_or(0)),
            end: RawOffset::Utf16(end.and_then(Result::ok).unwrap_or(0)),
            label: node.attr("label").unwrap_or_default().to_owned(),
            note: node.attr("note").unwrap_or_default().to_owned(),
            status,
            stored_text: None,
            problem,
        });
    }
    Ok((
        RawDoc {
            stem,
            title,
            file: file.to_owned(),
            text: sofa_text.clone(),
            spans,
            done: false,
            problems,
        },
        others,
    ))
}
