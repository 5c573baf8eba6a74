//! Export and import between paths: a project file or a corpus folder on one side, a
//! format's files on the other. The command line and the window both go through here; the
//! window passes the open document's project so that its unsaved changes are exported.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::{
    ExportDoc, Exported, Format, ImportOptions, Imported, InteropError, export, import,
    save_imported, stem_for_article,
};
use crate::format::corpus::scan;
use crate::format::{Loaded, read_project};
use crate::model::Project;
use crate::model::text::plural;

/// What an export of a path did.
#[derive(Clone, Debug, Default)]
pub struct ExportReport {
    /// Documents exported.
    pub documents: usize,
    /// The files written and what the format could not carry.
    pub exported: Exported,
    /// Repairs made while reading the projects (`file: warning`).
    pub warnings: Vec<String>,
}

/// A project held in memory that stands in for the file at `path` (the window's open
/// document, with its unsaved changes).
#[derive(Clone, Copy, Debug)]
pub struct InMemory<'a> {
    /// The project file it stands in for (it may not exist yet).
    pub path: &'a Path,
    /// The project.
    pub project: &'a Project,
}

/// Export the project at `input`, or every project of the corpus folder `input` as the
/// format's collection, into the folder `out`. `open` replaces the project read from its
/// path (or is exported alone when `input` is that path and the file does not exist).
pub fn export_path(
    input: &Path,
    format: Format,
    out: &Path,
    open: Option<InMemory<'_>>,
) -> Result<ExportReport, InteropError> {
    let mut warnings = Vec::new();
    let mut read = |file: &Path| -> Result<Project, InteropError> {
        if let Some(open) = open.filter(|o| same_file(o.path, file)) {
            return Ok(open.project.clone());
        }
        let Loaded {
            project,
            warnings: w,
        } = read_project(file).map_err(|e| InteropError::Output {
            problem: format!("the project cannot be read: {e}"),
            path: file.to_owned(),
        })?;
        warnings.extend(w.iter().map(|w| format!("{}: {w}", file.display())));
        Ok(project)
    };
    let (name, loaded) = if input.is_dir() {
        let found = scan(input).map_err(|e| InteropError::Output {
            problem: e.to_string(),
            path: input.to_owned(),
        })?;
        let mut loaded = Vec::new();
        // The open document counts once annotated, even before its first save.
        let open_here = |d: &&crate::format::corpus::DocFiles| {
            open.is_some_and(|o| {
                let annotated = !o.project.spans().is_empty() || !o.project.orphans().is_empty();
                annotated && same_file(o.path, &d.project)
            })
        };
        for doc in found
            .docs
            .iter()
            .filter(|d| d.project_exists || open_here(d))
        {
            let stem = Path::new(doc.project_rel())
                .with_extension("")
                .to_string_lossy()
                .into_owned();
            loaded.push((stem, read(&doc.project)?));
        }
        if loaded.is_empty() {
            return Err(InteropError::Nothing {
                what: "the folder holds no project (.ron) to export; tag a document first"
                    .to_owned(),
                path: input.to_owned(),
            });
        }
        (folder_name(input), loaded)
    } else {
        let project = read(input)?;
        let stem = stem_for_article(project.article().name());
        (stem.clone(), vec![(stem, project)])
    };
    let docs: Vec<ExportDoc<'_>> = loaded
        .iter()
        .map(|(stem, project)| ExportDoc { stem, project })
        .collect();
    let exported = export(format, &name, &docs, out)?;
    Ok(ExportReport {
        documents: docs.len(),
        exported,
        warnings,
    })
}

/// Import the file or collection at `input` (format detected when `format` is `None`) and
/// write it as one project (`out` ending in `.ron`) or as a corpus folder.
pub fn import_path(
    input: &Path,
    format: Option<Format>,
    out: &Path,
) -> Result<(Imported, Vec<PathBuf>), InteropError> {
    let text_dir = if is_project_path(out) {
        out.parent().map(Path::to_owned).unwrap_or_default()
    } else {
        out.to_owned()
    };
    let options = ImportOptions {
        format,
        text_dirs: vec![text_dir],
    };
    let imported = import(input, &options)?;
    let written = save_imported(&imported, out)?;
    Ok((imported, written))
}

impl ExportReport {
    /// The lines that close an export's report: what was written, then what was lost (or
    /// that nothing was). The command line and the window show the same lines.
    #[must_use]
    pub fn summary(&self, format: Format, out: &Path) -> String {
        let mut text = format!(
            "exported {} as {}: {} in {}\n",
            plural(self.documents, "document"),
            format.title(),
            plural(self.exported.files.len(), "file"),
            out.display()
        );
        if self.exported.losses.is_empty() {
            let _ = writeln!(
                text,
                "nothing was lost: {} carries everything",
                format.name()
            );
        }
        for loss in &self.exported.losses {
            let _ = writeln!(text, "lost: {loss}");
        }
        text
    }
}

/// The notes, problems and closing line of an import, and how many problems there were.
#[must_use]
pub fn import_summary(imported: &Imported, out: &Path) -> (String, usize) {
    let mut text = String::new();
    for note in &imported.notes {
        let _ = writeln!(text, "note: {note}");
    }
    let mut problems = 0;
    for doc in &imported.docs {
        for p in &doc.problems {
            problems += 1;
            let _ = writeln!(text, "warning: {p}");
        }
    }
    let spans: usize = imported.docs.iter().map(|d| d.project.spans().len()).sum();
    let orphans: usize = imported
        .docs
        .iter()
        .map(|d| d.project.orphans().len())
        .sum();
    let _ = writeln!(
        text,
        "imported {} from {}: {}, {}, {} into {}",
        plural(imported.docs.len(), "document"),
        imported.format.title(),
        plural(spans, "span"),
        plural(orphans, "orphan"),
        plural(problems, "problem"),
        out.display()
    );
    (text, problems)
}

/// True when `path` names a project file (ends in `.ron`, any case) rather than a folder.
#[must_use]
pub fn is_project_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// The folder's own name (of its canonical path, so that `.` has one), for collection files.
fn folder_name(dir: &Path) -> String {
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
    stem_for_article(
        &canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::project_from_ron;

    const PROJECT: &str = include_str!("../../../tests/fixtures/interop/hard-unicode.ron");

    #[test]
    fn a_corpus_exports_every_project_by_its_path_skipping_hidden_ones_and_the_scheme()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path().join("desk");
        fs::create_dir_all(root.join("desk-3/sub"))?;
        fs::create_dir_all(root.join(".hidden"))?;
        for f in ["a.ron", "desk-3/b.ron", "desk-3/sub/c.RON", ".hidden/d.ron"] {
            fs::write(root.join(f), PROJECT)?;
        }
        crate::format::corpus::init(&root)?;
        let out = dir.path().join("out");
        let report = export_path(&root, Format::Csv, &out, None)?;
        assert_eq!(report.documents, 3);
        let csv = fs::read_to_string(out.join("desk.csv"))?;
        for stem in ["a", "desk-3/b", "desk-3/sub/c"] {
            assert!(csv.contains(&format!("\n{stem},")), "{stem} in {csv}");
        }
        assert!(!csv.contains("hidden") && !csv.contains("corpus"), "{csv}");
        Ok(())
    }

    #[test]
    fn the_open_document_is_exported_with_its_unsaved_changes()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("a.ron");
        fs::write(&file, PROJECT)?;
        let mut open = project_from_ron(PROJECT, &file)?.project;
        let saved = open.spans().len();
        let first = open.spans().iter().next().map(|s| s.id).ok_or("no span")?;
        let edit = open.delete(first)?;
        open.apply(&edit)?;
        let out = dir.path().join("out");
        let in_memory = InMemory {
            path: &file,
            project: &open,
        };
        export_path(&file, Format::Doccano, &out, Some(in_memory))?;
        let jsonl = fs::read_to_string(out.join("hard-unicode.jsonl"))?;
        let line: serde_json::Value = serde_json::from_str(jsonl.trim())?;
        let exported = line["label"].as_array().map_or(0, Vec::len);
        assert_eq!(exported, saved - 1, "{jsonl}");
        Ok(())
    }
}
