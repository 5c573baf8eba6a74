//! Import: detecting the format, reading files within their size caps, and writing what
//! was read as projects ([`save_imported`]).

use std::fs;
use std::path::{Path, PathBuf};

use super::{
    Format, InteropError, MAX_IMPORT_BYTES, brat, bytecount, csv, doccano, join_stem, label_studio,
    qdpx, safe_stem, xmi,
};
use crate::model::Project;

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

pub(super) fn read_head(path: &Path) -> Result<String, InteropError> {
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

pub(super) fn detect_folder(path: &Path) -> Result<Format, InteropError> {
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
pub(super) fn walk(root: &Path) -> Result<Vec<PathBuf>, InteropError> {
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
pub(super) fn rel_stem(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path).with_extension("");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Read a whole file, refusing one over `limit` before reading it.
pub(super) fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, InteropError> {
    crate::format::import::read_capped(path, limit).map_err(|(source, size)| match size {
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
pub(super) fn read_text(path: &Path, format: Format) -> Result<String, InteropError> {
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
        crate::format::write_project(out, &doc.project)?;
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
        crate::format::safe_write::write_atomic(&txt, doc.project.article().text().as_bytes())?;
        // The project's article remembers the text file it now lives beside.
        let mut project = doc.project.clone();
        project.set_article_source(txt.clone());
        crate::format::write_project(&ron, &project)?;
        written.push(txt);
        written.push(ron);
    }
    Ok(written)
}

/// `base` with `.ext` appended (not replacing anything after a dot in the name).
pub(super) fn with_suffix(base: &Path, ext: &str) -> PathBuf {
    let mut name = base.as_os_str().to_os_string();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// The files an import reads: `path` itself, or every file under the folder `path` whose
/// extension is `ext` (any case). `what` names such a file for the error when there is none.
pub(super) fn input_files(
    path: &Path,
    ext: &str,
    what: &str,
) -> Result<Vec<PathBuf>, InteropError> {
    let files: Vec<PathBuf> = if path.is_dir() {
        walk(path)?
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
            .collect()
    } else {
        vec![path.to_owned()]
    };
    if files.is_empty() {
        return Err(InteropError::Nothing {
            what: format!("the folder holds no {what}"),
            path: path.to_owned(),
        });
    }
    Ok(files)
}
