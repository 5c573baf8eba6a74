//! Export to and import from the formats other annotation tools read: brat standoff, Label
//! Studio, UIMA CAS XMI (`INCEpTION`, `WebAnno`), doccano JSONL, CSV and REFI-QDA (`.qdpx`).
//!
//! Every format is a pair of pure conversions in its own file (`brat.rs`, `label_studio.rs`,
//! `xmi.rs`, `doccano.rs`, `csv.rs`, `qdpx.rs`): [`render`] turns documents into file
//! contents (relative path and bytes) plus the list of what the format could not carry, and
//! each importer turns file contents into complete projects. This file holds the
//! [`Format`] enum and the typed [`InteropError`]; `export.rs` what exports share (losses by
//! count, the union of labels, stable GUIDs, safe relative paths); `import.rs` detection,
//! capped reads and writing an import; `build.rs` the one place where imported spans become
//! a [`crate::model::Project`] (labels added and reported, problem spans kept as orphans);
//! `paths.rs` a project or corpus folder on one side (the CLI and the window use it).
//!
//! Offsets: spanmark counts chars of the normalised text; each format's unit is converted
//! with [`crate::model::Utf16Index`] where the peer counts UTF-16 code units, and
//! `build::RawText` maps offsets into a file's text that still has a BOM or CRLF line breaks.

mod brat;
mod build;
mod csv;
mod doccano;
mod export;
mod import;
mod label_studio;
mod paths;
mod qdpx;
mod xmi;
mod xml;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use self::export::{ExportDoc, Exported, Rendered, export, render, stem_for_article};
use self::export::{
    Losses, bytecount, join_stem, lost_titles, safe_stem, stable_guid, stem_leaf, title_of,
    union_labels,
};
pub use self::import::{ImportOptions, Imported, ImportedDoc, detect, import, save_imported};
use self::import::{input_files, read_text, rel_stem, walk, with_suffix};
pub use self::paths::{
    ExportReport, InMemory, export_path, import_path, import_summary, is_project_path,
};

use self::build::{PALETTE, RawDoc, RawOffset, RawSpan, Scheme, build, raw_number};
use super::import::MAX_ARTICLE_BYTES;
use super::safe_write::SaveError;

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
