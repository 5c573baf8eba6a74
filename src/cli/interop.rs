//! `spanmark export` and `spanmark import`: projects and corpus folders to and from the
//! formats other tools read (see docs/interop.md).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::{CliError, Report};
use crate::format::interop::{
    self, ExportDoc, Format, ImportOptions, InteropError, stem_for_article,
};
use crate::format::{Loaded, read_project};
use crate::model::Project;
use crate::model::text::plural;

/// `spanmark export PROJECT_OR_DIR --to FORMAT --out DIR`: write the project (or every
/// project of the corpus folder, as the format's collection) into `out`, then list the
/// files written and what the format could not carry.
pub fn export(input: &Path, format: Format, out: &Path) -> Result<String, CliError> {
    let mut text = String::new();
    let (name, loaded) = if input.is_dir() {
        let files = corpus_projects(input)?;
        if files.is_empty() {
            return Err(InteropError::Nothing {
                what: "the folder holds no project (.ron) to export".to_owned(),
                path: input.to_owned(),
            }
            .into());
        }
        let mut loaded = Vec::with_capacity(files.len());
        for file in &files {
            let Loaded { project, warnings } = read_project(file)?;
            for w in warnings {
                let _ = writeln!(text, "warning: {}: {w}", file.display());
            }
            loaded.push((rel_stem(input, file), project));
        }
        (folder_name(input), loaded)
    } else {
        let Loaded { project, warnings } = read_project(input)?;
        for w in warnings {
            let _ = writeln!(text, "warning: {}: {w}", input.display());
        }
        let stem = stem_for_article(project.article().name());
        (stem.clone(), vec![(stem, project)])
    };
    let docs: Vec<ExportDoc<'_>> = loaded
        .iter()
        .map(|(stem, project): &(String, Project)| ExportDoc { stem, project })
        .collect();
    let exported = interop::export(format, &name, &docs, out)?;
    for file in &exported.files {
        let _ = writeln!(text, "{}", file.display());
    }
    let _ = writeln!(
        text,
        "exported {} as {}: {} in {}",
        plural(docs.len(), "document"),
        format.title(),
        plural(exported.files.len(), "file"),
        out.display()
    );
    if exported.losses.is_empty() {
        let _ = writeln!(
            text,
            "nothing was lost: {} carries everything",
            format.name()
        );
    }
    for loss in &exported.losses {
        let _ = writeln!(text, "lost: {loss}");
    }
    Ok(text)
}

/// `spanmark import FILE_OR_DIR [--from FORMAT] --out PROJECT_OR_DIR`: read the file or
/// collection and write it as one project (`--out X.ron`) or a corpus folder (`STEM.txt` and
/// `STEM.ron` per document). Exit status 0 when everything came over, 2 when the projects
/// were written but some items had problems (listed; problem spans are orphans), 1 when
/// nothing was written.
pub fn import(input: &Path, format: Option<Format>, out: &Path) -> Result<Report, CliError> {
    let into_dir = !out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    let text_dir = if into_dir {
        out.to_owned()
    } else {
        out.parent().map(Path::to_owned).unwrap_or_default()
    };
    let options = ImportOptions {
        format,
        text_dirs: vec![text_dir],
    };
    let imported = interop::import(input, &options)?;
    let written = interop::save_imported(&imported, out)?;
    let mut text = String::new();
    for file in &written {
        let _ = writeln!(text, "{}", file.display());
    }
    let mut problems = 0;
    for note in &imported.notes {
        let _ = writeln!(text, "note: {note}");
    }
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
    Ok(Report {
        stdout: text,
        stderr: String::new(),
        code: if problems == 0 { 0 } else { 2 },
    })
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

/// `file` relative to `root`, `/`-separated, without `.ron`.
fn rel_stem(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file).with_extension("");
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every project (`*.ron`) under `dir`, recursively, sorted by path. Hidden files and
/// folders (names starting with `.`) are skipped, and symbolic links to folders are not
/// followed, so the walk ends and stays inside `dir`. (The corpus scanner will replace
/// this.)
fn corpus_projects(dir: &Path) -> Result<Vec<PathBuf>, InteropError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| InteropError::Io {
            doing: "read the folder",
            source,
            path,
        }
    };
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).map_err(io(&folder))? {
            let entry = entry.map_err(io(&folder))?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = entry.file_type().map_err(io(&path))?;
            if kind.is_dir() {
                stack.push(path);
            } else if (kind.is_file() || (kind.is_symlink() && path.is_file()))
                && path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_listing_finds_nested_projects_and_skips_hidden_ones()
    -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::create_dir_all(root.join("desk-3/sub"))?;
        fs::create_dir_all(root.join(".hidden"))?;
        for f in [
            "a.ron",
            "desk-3/b.ron",
            "desk-3/sub/c.RON",
            ".hidden/d.ron",
            "desk-3/.e.ron",
            "x.txt",
            "a.ron.bak",
        ] {
            fs::write(root.join(f), "")?;
        }
        let found: Vec<String> = corpus_projects(root)?
            .iter()
            .map(|p| rel_stem(root, p))
            .collect();
        assert_eq!(found, ["a", "desk-3/b", "desk-3/sub/c"]);
        Ok(())
    }
}
