//! Export to and import from the formats other annotation tools read: brat standoff, Label
//! Studio, UIMA CAS XMI (`INCEpTION`, `WebAnno`), doccano JSONL, CSV and REFI-QDA (`.qdpx`).
//!
//! Every format is a pair of pure conversions in its own file: [`render`] turns documents
//! into file contents (relative path and bytes) plus the list of what the format could not
//! carry, and each importer turns file contents into complete projects. This file holds what
//! they share: the [`Format`] enum and its detection, the typed [`InteropError`], the export
//! and import entry points that touch the disk, safe relative paths, the offset mapping from
//! a file's raw text to the normalised article, and the one place where imported spans
//! become a [`Project`] (labels added and reported, problem spans kept as orphans).
//!
//! Offsets: spanmark counts chars of the normalised text; each format's unit is converted
//! with [`crate::model::Utf16Index`] where the peer counts UTF-16 code units, and
//! [`RawText`] maps offsets into a file's text that still has a BOM or CRLF line breaks.

mod brat;
mod build;
mod csv;
mod doccano;
mod label_studio;
mod qdpx;
mod xmi;
mod xml;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use sha2::{Digest, Sha256};

use self::build::{PALETTE, RawDoc, RawOffset, RawSpan, Scheme, build, raw_number};
use super::import::MAX_ARTICLE_BYTES;
use super::safe_write::SaveError;
use crate::model::{Article, Label, Project};

/// Largest file an import reads: the article limit plus room for the annotations.
pub const MAX_IMPORT_BYTES: u64 = 4 * MAX_ARTICLE_BYTES;

/// Largest total a `.qdpx` may expand to; a zip that claims or reaches more is refused
/// before anything is written.
pub const MAX_QDPX_EXPANDED_BYTES: u64 = 1024 * 1024 * 1024;

/// A format spanmark exports and imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// brat standoff: `NAME.txt`, `NAME.ann`, `annotation.conf`, `visual.conf`.
    Brat,
    /// Label Studio: a task list `NAME.json` and its labeling config `NAME.config.xml`.
    LabelStudio,
    /// UIMA CAS XMI as `INCEpTION` and `WebAnno` read it: `NAME.xmi` and `TypeSystem.xml`.
    Xmi,
    /// doccano sequence-labeling JSONL: `NAME.jsonl`, one document per line.
    Doccano,
    /// One row per span: `NAME.csv`.
    Csv,
    /// REFI-QDA project exchange: `NAME.qdpx` (`NVivo`, `MAXQDA`, ATLAS.ti, `QualCoder`).
    Qdpx,
}

impl Format {
    /// Every format, in the order menus list them.
    pub const ALL: [Self; 6] = [
        Self::Brat,
        Self::LabelStudio,
        Self::Xmi,
        Self::Doccano,
        Self::Csv,
        Self::Qdpx,
    ];

    /// The name used on the command line (`--to`, `--from`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Brat => "brat",
            Self::LabelStudio => "label-studio",
            Self::Xmi => "xmi",
            Self::Doccano => "doccano",
            Self::Csv => "csv",
            Self::Qdpx => "qdpx",
        }
    }

    /// The format called `name` (as [`Format::name`] writes it, case-insensitive).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    /// A human title for menus and messages.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Brat => "brat standoff",
            Self::LabelStudio => "Label Studio",
            Self::Xmi => "UIMA CAS XMI (INCEpTION)",
            Self::Doccano => "doccano JSONL",
            Self::Csv => "CSV",
            Self::Qdpx => "REFI-QDA (.qdpx)",
        }
    }

    /// What an export of one project named NAME writes, for dialogs.
    #[must_use]
    pub fn files(self) -> &'static str {
        match self {
            Self::Brat => "NAME.txt, NAME.ann, annotation.conf, visual.conf",
            Self::LabelStudio => "NAME.json (tasks), NAME.config.xml (labeling config)",
            Self::Xmi => "NAME.xmi, TypeSystem.xml",
            Self::Doccano => "NAME.jsonl",
            Self::Csv => "NAME.csv",
            Self::Qdpx => "NAME.qdpx",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| {
            let names: Vec<_> = Self::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format \"{s}\"; use one of {}", names.join(", "))
        })
    }
}

/// Why an export or import did not happen. Nothing was written when an import fails; an
/// export that fails part-way names the file it could not write. Each message ends with
/// the file's path.
#[derive(Debug, thiserror::Error)]
pub enum InteropError {
    /// A file or folder could not be read or written.
    #[error("could not {doing} ({source}): {}", path.display())]
    Io {
        /// What was being done ("read", "create the folder", …).
        doing: &'static str,
        /// The OS error.
        source: io::Error,
        /// The file or folder.
        path: PathBuf,
    },
    /// A file could not be saved.
    #[error(transparent)]
    Save(#[from] SaveError),
    /// The file is over the size limit.
    #[error("the file is too large ({size} bytes; the limit is {limit} bytes): {}", path.display())]
    TooLarge {
        /// Its size in bytes (or the size it expands to).
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// The file.
        path: PathBuf,
    },
    /// The file is not well-formed in its format; `line` is 1-based when known.
    #[error("{} is malformed{}: {message}; fix the file or export it again: {}", format.title(), line.map(|l| format!(" at line {l}")).unwrap_or_default(), path.display())]
    Malformed {
        /// The format being read.
        format: Format,
        /// 1-based line, when the format has lines.
        line: Option<usize>,
        /// What is wrong, naming the item.
        message: String,
        /// The file.
        path: PathBuf,
    },
    /// The file is refused as hostile: it tries to reach outside the output folder, to
    /// expand past the size cap, or to make an XML parser fetch or expand entities.
    #[error("refused {what}: {reason}; nothing was written: {}", path.display())]
    Refused {
        /// The file or item refused ("the archive", "document \"../x\"").
        what: String,
        /// Why.
        reason: String,
        /// The file.
        path: PathBuf,
    },
    /// The format could not be told from the files.
    #[error("cannot tell which format this is ({reason}); name it with --from (brat, label-studio, xmi, doccano, csv, qdpx): {}", path.display())]
    UnknownFormat {
        /// What was found.
        reason: String,
        /// The file or folder.
        path: PathBuf,
    },
    /// A document's text file is missing.
    #[error("document \"{document}\" has no text file ({expected} was not found); put the text beside it and import again: {}", path.display())]
    MissingText {
        /// The document's name.
        document: String,
        /// The file that was looked for.
        expected: String,
        /// The file that names the document.
        path: PathBuf,
    },
    /// A document's text is not usable as an article (not UTF-8, empty, binary).
    #[error("document \"{document}\": {problem}: {}", path.display())]
    BadText {
        /// The document's name.
        document: String,
        /// What is wrong with the text.
        problem: String,
        /// The file holding the text.
        path: PathBuf,
    },
    /// Nothing to export or import.
    #[error("{what}: {}", path.display())]
    Nothing {
        /// What is missing.
        what: String,
        /// The file or folder.
        path: PathBuf,
    },
    /// The output cannot be written as asked (a collection into one `.ron`, a name clash).
    #[error("{problem}: {}", path.display())]
    Output {
        /// What is wrong and what to do.
        problem: String,
        /// The output path.
        path: PathBuf,
    },
}

impl InteropError {
    fn io(doing: &'static str, path: &Path) -> impl FnOnce(io::Error) -> Self {
        let path = path.to_owned();
        move |source| Self::Io {
            doing,
            source,
            path,
        }
    }

    fn malformed(
        format: Format,
        line: Option<usize>,
        message: impl Into<String>,
        path: &Path,
    ) -> Self {
        Self::Malformed {
            format,
            line,
            message: message.into(),
            path: path.to_owned(),
        }
    }
}

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
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), InteropError> {
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
fn bytecount(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&c| c == b'\n').count()
}

/// `root` joined with a `/`-separated relative path.
fn join_stem(root: &Path, rel: &str) -> PathBuf {
    let mut path = root.to_owned();
    for part in rel.split('/') {
        path.push(part);
    }
    path
}

/// Counts of what an export could not carry, rendered as one line per kind.
#[derive(Debug, Default)]
struct Losses {
    /// Message template (with `{n}` for the count) and count, in first-seen order.
    counts: Vec<(String, usize)>,
}

impl Losses {
    /// Count `n` more of `template` (a message with `{n}` where the count goes).
    fn add(&mut self, template: &str, n: usize) {
        if n == 0 {
            return;
        }
        if let Some(entry) = self.counts.iter_mut().find(|(t, _)| t == template) {
            entry.1 += n;
        } else {
            self.counts.push((template.to_owned(), n));
        }
    }

    fn render(&self) -> Vec<String> {
        self.counts
            .iter()
            .map(|(t, n)| t.replace("{n}", &n.to_string()))
            .collect()
    }
}

/// Losses that every format reports the same way: orphans and the done mark.
fn common_losses(format: Format, docs: &[ExportDoc<'_>], losses: &mut Losses) {
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
fn union_labels(docs: &[ExportDoc<'_>], format: Format, losses: &mut Losses) -> Vec<Label> {
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
fn stable_guid(parts: &[&str]) -> String {
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
fn title_of(doc: &ExportDoc<'_>) -> String {
    doc.project.article().name().to_owned()
}

/// The last component of a stem: what an import names the article when the format carries
/// no title.
fn stem_leaf(stem: &str) -> &str {
    stem.rsplit('/').next().unwrap_or(stem)
}

/// Count documents whose article name is not the stem's last component, for formats that
/// carry no title (the import names the article after the file).
fn lost_titles(format: Format, docs: &[ExportDoc<'_>], losses: &mut Losses) {
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
fn safe_stem(stem: &str) -> Result<String, String> {
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

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The format, or `None` to detect it from the files.
    pub format: Option<Format>,
    /// Folders searched, in order, for the article texts of formats that do not carry them
    /// (CSV): `DOCUMENT.txt` under each. The folder of the imported file is always searched
    /// first.
    pub text_dirs: Vec<PathBuf>,
}

/// One imported document: a complete project, never half of one.
#[derive(Clone, Debug)]
pub struct ImportedDoc {
    /// Its name relative to the output folder (`/`-separated, checked to stay inside it).
    pub stem: String,
    /// The project: every span that could be placed, the others as orphans with reasons.
    pub project: Project,
    /// What went wrong with which item, naming the file and the item.
    pub problems: Vec<String>,
}

/// What an import read.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The format read (given or detected).
    pub format: Format,
    /// True when the input was a collection (a folder, or a file holding several
    /// documents or naming them): it is written as a corpus folder.
    pub collection: bool,
    /// The documents, in the order of the input.
    pub docs: Vec<ImportedDoc>,
    /// Notes about the import as a whole (labels made up for a format without a scheme,
    /// items of other kinds that were skipped).
    pub notes: Vec<String>,
}

/// Import the file or folder at `path`. Hostile input (paths that climb out, zip bombs,
/// XML with a DOCTYPE) and malformed files are refused with the file and item named; spans
/// that cannot be placed become orphans with the reason.
pub fn import(path: &Path, options: &ImportOptions) -> Result<Imported, InteropError> {
    let format = match options.format {
        Some(f) => f,
        None => detect(path)?,
    };
    let mut imported = match format {
        Format::Brat => brat::import(path)?,
        Format::LabelStudio => label_studio::import(path)?,
        Format::Xmi => xmi::import(path)?,
        Format::Doccano => doccano::import(path)?,
        Format::Csv => csv::import(path, &options.text_dirs)?,
        Format::Qdpx => qdpx::import(path)?,
    };
    imported.format = format;
    let mut seen = std::collections::HashSet::new();
    for doc in &imported.docs {
        if !seen.insert(doc.stem.to_lowercase()) {
            return Err(InteropError::Output {
                problem: format!(
                    "two documents are named \"{}\"; rename one in the file and import again",
                    doc.stem
                ),
                path: path.to_owned(),
            });
        }
    }
    Ok(imported)
}

/// Tell the format of a file or folder from its name and, where names are shared, its
/// first bytes.
pub fn detect(path: &Path) -> Result<Format, InteropError> {
    let meta = fs::metadata(path).map_err(InteropError::io("read", path))?;
    if meta.is_dir() {
        return detect_folder(path);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    match ext {
        "ann" => Ok(Format::Brat),
        "txt" => {
            if path.with_extension("ann").is_file() {
                Ok(Format::Brat)
            } else {
                Err(InteropError::UnknownFormat {
                    reason: "a .txt file without a .ann beside it".to_owned(),
                    path: path.to_owned(),
                })
            }
        }
        "xmi" => Ok(Format::Xmi),
        "jsonl" => Ok(Format::Doccano),
        "csv" | "tsv" => Ok(Format::Csv),
        "qdpx" => Ok(Format::Qdpx),
        "json" => {
            // A Label Studio task list is a JSON array; doccano also exports `.json`
            // holding one object per line.
            let head = read_head(path)?;
            if head.trim_start().starts_with('[') {
                Ok(Format::LabelStudio)
            } else {
                Ok(Format::Doccano)
            }
        }
        _ => Err(InteropError::UnknownFormat {
            reason: format!("the file name ends in \".{ext}\""),
            path: path.to_owned(),
        }),
    }
}

fn read_head(path: &Path) -> Result<String, InteropError> {
    use std::io::Read as _;
    let mut buf = vec![0u8; 4096];
    let mut file = fs::File::open(path).map_err(InteropError::io("read", path))?;
    let n = file
        .read(&mut buf)
        .map_err(InteropError::io("read", path))?;
    buf.truncate(n);
    Ok(String::from_utf8_lossy(&buf)
        .trim_start_matches('\u{feff}')
        .to_owned())
}

fn detect_folder(path: &Path) -> Result<Format, InteropError> {
    let files = walk(path)?;
    let has = |ext: &str| {
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
    };
    let mut found = Vec::new();
    if has("ann") {
        found.push(Format::Brat);
    }
    if has("xmi") {
        found.push(Format::Xmi);
    }
    if has("qdpx") {
        found.push(Format::Qdpx);
    }
    if has("jsonl") {
        found.push(Format::Doccano);
    }
    if has("csv") {
        found.push(Format::Csv);
    }
    if has("json") {
        found.push(Format::LabelStudio);
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(InteropError::UnknownFormat {
            reason: "the folder holds no .ann, .xmi, .json, .jsonl, .csv or .qdpx file".to_owned(),
            path: path.to_owned(),
        }),
        several => Err(InteropError::UnknownFormat {
            reason: format!(
                "the folder holds files of several formats ({})",
                several
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            path: path.to_owned(),
        }),
    }
}

/// Every regular file under `root`, recursively, sorted by path; hidden entries (names
/// starting with `.`) and symbolic links are skipped, so a walk never leaves `root`.
fn walk(root: &Path) -> Result<Vec<PathBuf>, InteropError> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).map_err(InteropError::io("read the folder", &dir))?;
        for entry in entries {
            let entry = entry.map_err(InteropError::io("read the folder", &dir))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry
                .file_type()
                .map_err(InteropError::io("read the folder", &dir))?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `path` relative to `root`, as a `/`-separated stem without the extension.
fn rel_stem(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Read a whole file, refusing one over `limit` before reading it.
fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, InteropError> {
    super::import::read_capped(path, limit).map_err(|(source, size)| match size {
        Some(size) => InteropError::TooLarge {
            size,
            limit,
            path: path.to_owned(),
        },
        None => InteropError::Io {
            doing: "read",
            source,
            path: path.to_owned(),
        },
    })
}

/// Read a file as UTF-8 text (a leading BOM is kept: offsets may count it).
fn read_text(path: &Path, format: Format) -> Result<String, InteropError> {
    let bytes = read_capped(path, MAX_IMPORT_BYTES)?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes().get(..at).map_or(1, |b| bytecount(b) + 1);
        InteropError::malformed(
            format,
            Some(line),
            format!("not valid UTF-8 (first bad byte at offset {at})"),
            path,
        )
    })
}

// ---------------------------------------------------------------------------------------
// Writing an import
// ---------------------------------------------------------------------------------------

/// Write an import to disk. When `out` ends in `.ron` it must hold one document, saved as
/// that project; otherwise `out` is a corpus folder and each document is written as
/// `STEM.txt` and `STEM.ron` beside it (subfolders created). Every target is checked to lie
/// inside `out` before anything is written; projects are written through the safe save.
pub fn save_imported(imported: &Imported, out: &Path) -> Result<Vec<PathBuf>, InteropError> {
    let single = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    if single {
        let [doc] = imported.docs.as_slice() else {
            return Err(InteropError::Output {
                problem: format!(
                    "the input holds {} documents; give a folder as the output to import them as a corpus",
                    imported.docs.len()
                ),
                path: out.to_owned(),
            });
        };
        super::write_project(out, &doc.project)?;
        return Ok(vec![out.to_owned()]);
    }
    if imported.docs.is_empty() {
        return Err(InteropError::Nothing {
            what: "the input holds no document".to_owned(),
            path: out.to_owned(),
        });
    }
    // Check every target first, so that nothing is written when one is refused.
    let mut targets = Vec::with_capacity(imported.docs.len());
    for doc in &imported.docs {
        let stem = safe_stem(&doc.stem).map_err(|reason| InteropError::Refused {
            what: format!("document \"{}\"", doc.stem),
            reason,
            path: out.to_owned(),
        })?;
        let base = join_stem(out, &stem);
        let txt = with_suffix(&base, "txt");
        let ron = with_suffix(&base, "ron");
        targets.push((doc, txt, ron));
    }
    let mut written = Vec::new();
    for (doc, txt, ron) in targets {
        if let Some(parent) = txt.parent() {
            fs::create_dir_all(parent).map_err(InteropError::io("create the folder", parent))?;
        }
        super::safe_write::write_atomic(&txt, doc.project.article().text().as_bytes())?;
        // The project's article remembers the text file it now lives beside.
        let project = with_source(&doc.project, &txt);
        super::write_project(&ron, &project)?;
        written.push(txt);
        written.push(ron);
    }
    Ok(written)
}

/// `base` with `.ext` appended (not replacing anything after a dot in the name).
fn with_suffix(base: &Path, ext: &str) -> PathBuf {
    let mut name = base.as_os_str().to_os_string();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// A copy of `project` whose article's source is `source`.
fn with_source(project: &Project, source: &Path) -> Project {
    let article = Article::new(
        project.article().name(),
        Some(source.to_owned()),
        project.article().text(),
    );
    let mut copy = Project::new(article, project.labels().clone());
    for span in project.spans() {
        // The same article text and labels: every span fits as before.
        let _ = copy.insert_span(span.clone());
    }
    for orphan in project.orphans() {
        copy.insert_orphan(orphan.clone());
    }
    copy.set_done(project.is_done());
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_that_climb_out_or_are_absolute_are_refused() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a\\b",
            "C:x",
            "a//b",
            "./a",
            "",
            "a/\u{1}",
        ] {
            assert!(safe_stem(bad).is_err(), "{bad:?}");
        }
        for good in ["a", "desk-3/a", "東京/🙂 report", "a.b"] {
            assert_eq!(safe_stem(good).as_deref(), Ok(good));
        }
    }

    #[test]
    fn article_names_become_safe_stems() {
        assert_eq!(stem_for_article("alaska"), "alaska");
        assert_eq!(stem_for_article("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(stem_for_article("  "), "article");
        assert_eq!(stem_for_article(".."), "article");
        assert_eq!(stem_for_article("a:b|c\n"), "a_b_c");
        assert!(safe_stem(&stem_for_article("../x/..")).is_ok());
    }

    #[test]
    fn guids_are_stable_and_shaped_as_the_schema_wants() {
        let a = stable_guid(&["source", "alaska"]);
        assert_eq!(a, stable_guid(&["source", "alaska"]));
        assert_ne!(a, stable_guid(&["source", "alaskb"]));
        assert_ne!(stable_guid(&["ab", "c"]), stable_guid(&["a", "bc"]));
        let parts: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert!("nope".parse::<Format>().is_err());
    }
}
