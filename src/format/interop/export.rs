//! Export: documents to a format's files in memory ([`render`]), then to disk
//! ([`export`]); what every format shares (losses by count, the union of labels, stable
//! GUIDs, safe relative paths).

use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Format, InteropError, brat, csv, doccano, label_studio, qdpx, xmi, xml};
use crate::model::{Label, Project};

// ---------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------

/// One document to export: where it goes and what it holds.
#[derive(Clone, Copy, Debug)]
pub struct ExportDoc<'a> {
    /// Its name relative to the output folder, `/`-separated, without extension: the
    /// project's article name for one project (`alaska`), the project's path in the
    /// corpus for a corpus (`desk-3/a`). See [`stem_for_article`].
    pub stem: &'a str,
    /// The project.
    pub project: &'a Project,
}

/// What an export produced, before it is written: for tests and previews.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Each file's path relative to the output folder (`/`-separated) and its bytes, in the
    /// order they are written.
    pub files: Vec<(String, Vec<u8>)>,
    /// What the format could not carry, one line per kind, by count; never empty when
    /// something was lost.
    pub losses: Vec<String>,
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exported {
    /// The files written, in order.
    pub files: Vec<PathBuf>,
    /// What the format could not carry (see [`Rendered::losses`]).
    pub losses: Vec<String>,
}

/// Convert `docs` to `format` in memory. `name` names the collection file of formats that
/// write one file for all documents (Label Studio, doccano, CSV, REFI-QDA): use the stem for
/// one project and the corpus folder's name for a corpus.
pub fn render(
    format: Format,
    name: &str,
    docs: &[ExportDoc<'_>],
) -> Result<Rendered, InteropError> {
    let name = stem_for_article(name);
    let mut seen = std::collections::HashSet::new();
    for doc in docs {
        let stem = safe_stem(doc.stem).map_err(|reason| InteropError::Refused {
            what: format!("document \"{}\"", doc.stem),
            reason,
            path: PathBuf::from(doc.stem),
        })?;
        if !seen.insert(stem.to_lowercase()) {
            return Err(InteropError::Output {
                problem: format!(
                    "two documents would be written as \"{stem}\"; rename one of the articles"
                ),
                path: PathBuf::from(doc.stem),
            });
        }
    }
    let mut losses = Losses::default();
    common_losses(format, docs, &mut losses);
    let files = match format {
        Format::Brat => brat::export(docs, &mut losses),
        Format::LabelStudio => label_studio::export(&name, docs, &mut losses)?,
        Format::Xmi => xmi::export(docs, &mut losses),
        Format::Doccano => doccano::export(&name, docs, &mut losses)?,
        Format::Csv => csv::export(&name, docs, &mut losses)?,
        Format::Qdpx => qdpx::export(&name, docs, &mut losses)?,
    };
    Ok(Rendered {
        files,
        losses: losses.render(),
    })
}

/// Export `docs` to `format` into the folder `out` (created if needed; files of the same
/// name are replaced). Returns the files written and what the format could not carry.
pub fn export(
    format: Format,
    name: &str,
    docs: &[ExportDoc<'_>],
    out: &Path,
) -> Result<Exported, InteropError> {
    if docs.is_empty() {
        return Err(InteropError::Nothing {
            what: "there is no project to export".to_owned(),
            path: out.to_owned(),
        });
    }
    let rendered = render(format, name, docs)?;
    let mut files = Vec::with_capacity(rendered.files.len());
    for (rel, bytes) in &rendered.files {
        let path = join_stem(out, rel);
        write_file(&path, bytes)?;
        files.push(path);
    }
    Ok(Exported {
        files,
        losses: rendered.losses,
    })
}

/// A file name stem for an article name: path separators, control characters, characters
/// that no file system takes and the noncharacters XML cannot hold become `_`; an empty or dot-only name becomes
/// `article`.
#[must_use]
pub fn stem_for_article(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_control()
                || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                || !xml::is_xml_char(c)
            {
                '_'
            } else {
                c
            }
        })
        .collect();
    // No leading dot (a hidden file) and no trailing one (Windows drops it).
    let trimmed = cleaned.trim().trim_matches('.').trim();
    if trimmed.is_empty() {
        "article".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// Write `bytes` to `path` by way of a temporary file renamed into place, so a reader never
/// sees half a file; parent folders are created. Exports are re-creatable, so unlike a
/// project save this keeps no `.bak` and does not wait for the disk (fsync) per file.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), InteropError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(InteropError::io("create the folder", parent))?;
    }
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy());
    let temp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    if let Err(e) = fs::write(&temp, bytes) {
        let _ = fs::remove_file(&temp);
        return Err(InteropError::io("write", path)(e));
    }
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        InteropError::io("replace", path)(e)
    })
}

/// How many line feeds `bytes` holds (for line numbers in messages).
#[expect(
    clippy::naive_bytecount,
    reason = "only for an error message; not worth a dependency"
)]
pub(super) fn bytecount(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&c| c == b'\n').count()
}

/// `root` joined with a `/`-separated relative path.
pub(super) fn join_stem(root: &Path, rel: &str) -> PathBuf {
    let mut path = root.to_owned();
    for part in rel.split('/') {
        path.push(part);
    }
    path
}

/// Counts of what an export could not carry, rendered as one line per kind.
#[derive(Debug, Default)]
pub(super) struct Losses {
    /// Message template (with `{n}` for the count) and count, in first-seen order.
    counts: Vec<(String, usize)>,
}

impl Losses {
    /// Count `n` more of `template` (a message with `{n}` where the count goes).
    pub(super) fn add(&mut self, template: &str, n: usize) {
        if n == 0 {
            return;
        }
        if let Some(entry) = self.counts.iter_mut().find(|(t, _)| t == template) {
            entry.1 += n;
        } else {
            self.counts.push((template.to_owned(), n));
        }
    }

    pub(super) fn render(&self) -> Vec<String> {
        self.counts
            .iter()
            .map(|(t, n)| t.replace("{n}", &n.to_string()))
            .collect()
    }
}

/// Losses that every format reports the same way: orphans and the done mark.
pub(super) fn common_losses(format: Format, docs: &[ExportDoc<'_>], losses: &mut Losses) {
    let orphans: usize = docs.iter().map(|d| d.project.orphans().len()).sum();
    losses.add(
        &format!(
            "{}: {{n}} orphan(s) (spans without a place in the text) not exported",
            format.name()
        ),
        orphans,
    );
    if !matches!(format, Format::Doccano | Format::LabelStudio) {
        let done = docs.iter().filter(|d| d.project.is_done()).count();
        losses.add(
            &format!(
                "{}: {{n}} document(s) marked done: the done mark is not exported",
                format.name()
            ),
            done,
        );
    }
}

/// The labels of all documents, by name, in first-seen order, and a loss line for each
/// name that has different colours or keys in different projects.
pub(super) fn union_labels(
    docs: &[ExportDoc<'_>],
    format: Format,
    losses: &mut Losses,
) -> Vec<Label> {
    let mut labels: Vec<Label> = Vec::new();
    let mut differing = 0;
    for doc in docs {
        for (_, label) in doc.project.labels().iter() {
            match labels.iter().find(|l| l.name == label.name) {
                Some(first) => {
                    if first != label {
                        differing += 1;
                    }
                }
                None => labels.push(label.clone()),
            }
        }
    }
    losses.add(
        &format!(
            "{}: {{n}} label definition(s) differ between projects (colour, key or description); the first project's was used",
            format.name()
        ),
        differing,
    );
    labels
}

/// A stable GUID (8-4-4-4-12 hex, version 8 "custom") derived from `parts`, so that
/// exporting the same project twice gives the same bytes.
pub(super) fn stable_guid(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"spanmark-guid");
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    for (b, d) in bytes.iter_mut().zip(digest.iter()) {
        *b = *d;
    }
    // RFC 9562: version 8 (vendor-specific), variant 10xx.
    bytes[6] = (bytes[6] & 0x0F) | 0x80;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let mut hex = String::with_capacity(32);
    for b in bytes {
        let _ = fmt::Write::write_fmt(&mut hex, format_args!("{b:02x}"));
    }
    format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or_default(),
        hex.get(8..12).unwrap_or_default(),
        hex.get(12..16).unwrap_or_default(),
        hex.get(16..20).unwrap_or_default(),
        hex.get(20..32).unwrap_or_default()
    )
}

/// The document's title inside formats that have one: the article's name.
pub(super) fn title_of(doc: &ExportDoc<'_>) -> String {
    doc.project.article().name().to_owned()
}

/// The last component of a stem: what an import names the article when the format carries
/// no title.
pub(super) fn stem_leaf(stem: &str) -> &str {
    stem.rsplit('/').next().unwrap_or(stem)
}

/// Count documents whose article name is not the stem's last component, for formats that
/// carry no title (the import names the article after the file).
pub(super) fn lost_titles(format: Format, docs: &[ExportDoc<'_>], losses: &mut Losses) {
    let n = docs
        .iter()
        .filter(|d| d.project.article().name() != stem_leaf(d.stem))
        .count();
    losses.add(
        &format!(
            "{}: {{n}} article name(s) differ from the file name and are not carried (an import names the article after the file)",
            format.name()
        ),
        n,
    );
}

// ---------------------------------------------------------------------------------------
// Safe relative paths
// ---------------------------------------------------------------------------------------

/// Check a document's relative name before it becomes a path under an output folder: `/`-
/// separated components, none empty, `.` or `..`, no absolute path, drive or backslash, no
/// control character. Returns the name normalised (`\` refused, not converted) or why not.
pub(super) fn safe_stem(stem: &str) -> Result<String, String> {
    if stem.is_empty() {
        return Err("the document has no name".to_owned());
    }
    if stem.starts_with('/') || stem.contains('\\') || stem.contains(':') {
        return Err(format!(
            "\"{stem}\" is an absolute path or uses \\ or a drive; document names must stay inside the output folder"
        ));
    }
    for part in stem.split('/') {
        if part.is_empty() || part == "." {
            return Err(format!("\"{stem}\" has an empty or \".\" component"));
        }
        if part == ".." {
            return Err(format!(
                "\"{stem}\" climbs out of the output folder (\"..\")"
            ));
        }
        if part.chars().any(char::is_control) {
            return Err(format!("\"{stem}\" holds a control character"));
        }
    }
    // Belt and braces: the standard library must see only normal components too.
    if Path::new(stem)
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "\"{stem}\" is not a plain relative path inside the output folder"
        ));
    }
    Ok(stem.to_owned())
}
