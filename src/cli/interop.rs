//! `spanmark export` and `spanmark import`: projects and corpus folders to and from the
//! formats other tools read (see docs/interop.md).

use std::fmt::Write as _;
use std::path::Path;

use super::{CliError, Report};
use crate::format::interop::{self, Format};

/// `spanmark export PROJECT_OR_DIR --to FORMAT --out DIR`: write the project (or every
/// project of the corpus folder, as the format's collection) into `out`, then list the
/// files written and what the format could not carry.
pub fn export(input: &Path, format: Format, out: &Path) -> Result<String, CliError> {
    let report = interop::export_path(input, format, out, None)?;
    let mut text = String::new();
    for w in &report.warnings {
        let _ = writeln!(text, "warning: {w}");
    }
    for file in &report.exported.files {
        let _ = writeln!(text, "{}", file.display());
    }
    text.push_str(&report.summary(format, out));
    Ok(text)
}

/// `spanmark import FILE_OR_DIR [--from FORMAT] --out PROJECT_OR_DIR`: read the file or
/// collection and write it as one project (`--out X.ron`) or a corpus folder (`STEM.txt` and
/// `STEM.ron` per document). Exit status 0 when everything came over, 2 when the projects
/// were written but some items had problems (listed; problem spans are orphans), 1 when
/// nothing was written.
pub fn import(input: &Path, format: Option<Format>, out: &Path) -> Result<Report, CliError> {
    let (imported, written) = interop::import_path(input, format, out)?;
    let mut text = String::new();
    for file in &written {
        let _ = writeln!(text, "{}", file.display());
    }
    let (summary, problems) = interop::import_summary(&imported, out);
    text.push_str(&summary);
    Ok(Report {
        stdout: text,
        stderr: String::new(),
        code: if problems == 0 { 0 } else { 2 },
    })
}
