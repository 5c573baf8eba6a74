//! The RON project file, format 1 (see `docs/format.md`).
//!
//! The on-disk types (`…V1`) are kept apart from the model: a file is first parsed into them
//! and then turned into a [`Project`] by [`project_from_ron`], which checks every span
//! against the article ("parse, don't validate"). Spans that cannot be placed are not
//! dropped and not kept wrong: they become orphans, and the loader says so in a warning
//! naming each one.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::safe_write::{SaveError, Step, write_atomic};
use crate::model::text::excerpt;
use crate::model::{
    Article, CharRange, Label, LabelSet, Orphan, Project, Rgb, Span, SpanId, Status,
};

/// The newest format this build reads and the one it writes.
pub const FORMAT_VERSION: u32 = 1;

/// Largest span id a file may store (2^53, exact in every JSON reader too). Ids count up by
/// one per new span, so no real project comes near it; a larger stored id is replaced, with
/// a warning, so that fresh ids can always be found above the largest one.
pub const MAX_ID: u64 = 1 << 53;

/// Largest project file spanmark reads: the article limit plus room for spans.
pub const MAX_PROJECT_BYTES: u64 = 256 * 1024 * 1024;

/// Why a project file could not be loaded. Each message ends with the file's path.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("could not read the project ({source}): {}", path.display())]
    Io {
        /// The OS error.
        source: std::io::Error,
        /// The file.
        path: PathBuf,
    },
    /// The file is over [`MAX_PROJECT_BYTES`].
    #[error("the project file is too large ({size} bytes; the limit is {limit} bytes): {}", path.display())]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
        /// The file.
        path: PathBuf,
    },
    /// Not valid RON, or not shaped like a project; `line` and `column` are 1-based.
    #[error("syntax error at line {line}, column {column}: {message}; fix the file in a text editor or open another: {}", path.display())]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
        /// The file.
        path: PathBuf,
    },
    /// Written by a newer spanmark.
    #[error("the project uses format {found}, but this spanmark reads format {supported} at most; open it with a newer spanmark: {}", path.display())]
    NewerFormat {
        /// The file's format.
        found: u32,
        /// What we read.
        supported: u32,
        /// The file.
        path: PathBuf,
    },
    /// Well-formed but not a usable project (no labels, a bad colour, empty text, …).
    #[error("the project is inconsistent: {problem}: {}", path.display())]
    Invalid {
        /// What is wrong, naming the field.
        problem: String,
        /// The file.
        path: PathBuf,
    },
}

/// A loaded project and what the loader had to say about it.
#[derive(Debug)]
pub struct Loaded {
    /// The project.
    pub project: Project,
    /// One line per span that was moved to orphans or otherwise repaired.
    pub warnings: Vec<String>,
}

#[derive(Serialize)]
struct ProjectOut<'a> {
    format: u32,
    done: bool,
    article: ArticleOut<'a>,
    labels: Vec<LabelV1>,
    spans: Vec<SpanOut<'a>>,
    orphans: Vec<OrphanOut<'a>>,
}

#[derive(Serialize)]
struct ArticleOut<'a> {
    name: &'a str,
    source: Cow<'a, str>,
    sha256: String,
    text: &'a str,
}

/// A label on disk, shared with `corpus.ron` (`format::corpus`).
#[derive(Serialize, Deserialize)]
pub(crate) struct LabelV1 {
    name: String,
    color: String,
    #[serde(default)]
    key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
}

impl From<&Label> for LabelV1 {
    fn from(l: &Label) -> Self {
        Self {
            name: l.name.clone(),
            color: l.color.to_hex(),
            key: l.key.map(String::from).unwrap_or_default(),
            description: l.description.clone(),
        }
    }
}

#[derive(Serialize)]
struct SpanOut<'a> {
    id: u64,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    note: &'a str,
    status: StatusV1,
}

#[derive(Serialize)]
struct OrphanOut<'a> {
    id: u64,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    note: &'a str,
    reason: &'a str,
}

#[derive(Serialize, Deserialize, Clone, Copy, Default)]
enum StatusV1 {
    #[default]
    Confirmed,
    NeedsReview,
    Suggested,
    Rejected,
}

impl From<Status> for StatusV1 {
    fn from(status: Status) -> Self {
        match status {
            Status::Confirmed => Self::Confirmed,
            Status::NeedsReview => Self::NeedsReview,
            Status::Suggested => Self::Suggested,
            Status::Rejected => Self::Rejected,
        }
    }
}

impl From<StatusV1> for Status {
    fn from(status: StatusV1) -> Self {
        match status {
            StatusV1::Confirmed => Self::Confirmed,
            StatusV1::NeedsReview => Self::NeedsReview,
            StatusV1::Suggested => Self::Suggested,
            StatusV1::Rejected => Self::Rejected,
        }
    }
}

#[derive(Deserialize)]
struct ProjectIn {
    format: u32,
    #[serde(default)]
    done: bool,
    article: ArticleIn,
    labels: Vec<LabelV1>,
    #[serde(default)]
    spans: Vec<SpanIn>,
    #[serde(default)]
    orphans: Vec<OrphanIn>,
}

#[derive(Deserialize)]
struct ArticleIn {
    #[serde(default)]
    name: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    sha256: Option<String>,
    text: String,
}

#[derive(Deserialize)]
struct SpanIn {
    #[serde(default)]
    id: Option<u64>,
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    status: StatusV1,
}

#[derive(Deserialize)]
struct OrphanIn {
    #[serde(default)]
    id: Option<u64>,
    #[serde(default)]
    start: usize,
    #[serde(default)]
    end: usize,
    #[serde(default)]
    label: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

/// Just the version, to tell "newer format" from "broken file" when a full parse fails.
#[derive(Deserialize)]
struct VersionProbe {
    format: u32,
}

/// The hex SHA-256 of the article text, as stored in the file.
#[must_use]
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// Serialise a project to its canonical RON text: pretty-printed, LF newlines, strings
/// written raw where they hold line breaks so that the article text diffs line by line.
pub fn project_to_ron(project: &Project) -> Result<String, ron::Error> {
    let labels = &project.labels();
    let file = ProjectOut {
        format: FORMAT_VERSION,
        done: project.is_done(),
        article: ArticleOut {
            name: project.article().name(),
            source: project
                .article()
                .source()
                .map_or(Cow::Borrowed(""), |p| p.to_string_lossy()),
            sha256: sha256_hex(project.article().text()),
            text: project.article().text(),
        },
        labels: labels.iter().map(|(_, l)| LabelV1::from(l)).collect(),
        spans: project
            .spans()
            .iter()
            .map(|s| SpanOut {
                id: s.id.0,
                start: s.range.start().0,
                end: s.range.end().0,
                label: labels.name(s.label),
                text: project.span_text(s),
                note: &s.note,
                status: s.status.into(),
            })
            .collect(),
        orphans: project
            .orphans()
            .iter()
            .map(|o| OrphanOut {
                id: o.id.0,
                start: o.old_range.start().0,
                end: o.old_range.end().0,
                label: &o.label,
                text: &o.text,
                note: &o.note,
                reason: &o.reason,
            })
            .collect(),
    };
    let config = ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("  ")
        .escape_strings(false);
    let mut out = ron::ser::to_string_pretty(&file, config)?;
    out.push('\n');
    Ok(out)
}

fn syntax_error(e: &ron::error::SpannedError, text: &str, path: &Path) -> LoadError {
    let (line, column) = (e.span.start.line, e.span.start.col);
    // RON names what it expected next; when the text stops right there, the real news is
    // that the file is cut short.
    let message = if at_end(text, line, column) {
        "the file ends early (truncated?)".to_owned()
    } else {
        ron_message(&e.code)
    };
    LoadError::Syntax {
        line,
        column,
        message,
        path: path.to_owned(),
    }
}

/// True when 1-based `line:column` lies at or past the last non-blank char of `text`.
fn at_end(text: &str, line: usize, column: usize) -> bool {
    let trimmed = text.trim_end();
    let last_line = trimmed.lines().count().max(1);
    let last_column = trimmed.lines().last().map_or(0, |l| l.chars().count());
    (line, column) > (last_line, last_column)
}

/// What a RON error means for a project file, in the words of the file (its fields), never
/// naming spanmark's internal types.
fn ron_message(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::Eof => "the file ends early (truncated?)".to_owned(),
        // RON's own text for this advises the programmer; say what it means for the file.
        E::ExceededRecursionLimit => {
            "brackets are nested deeper than spanmark reads (recursion limit 128)".to_owned()
        }
        E::ExpectedNamedStructLike(name) => format!("expected `(` to open {}", thing(name)),
        E::ExpectedDifferentStructName { expected, found } => {
            format!("expected {} here, not `{found}`", thing(expected))
        }
        E::MissingStructField { field, outer } => format!(
            "{} has no `{field}` field, which is required",
            outer.as_deref().map_or("the project", thing)
        ),
        E::DuplicateStructField { field, outer } => format!(
            "{} has the field `{field}` twice",
            outer.as_deref().map_or("the project", thing)
        ),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => format!("`{found}` is not one of {}", expected.join(", ")),
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            chars.next().map_or(text.clone(), |first| {
                first.to_lowercase().chain(chars).collect()
            })
        }
    }
}

/// A user's name for one of the on-disk types.
fn thing(type_name: &str) -> &'static str {
    match type_name {
        "ArticleIn" => "the article",
        "LabelV1" => "a label",
        "SpanIn" => "a span",
        "OrphanIn" => "an orphan",
        "StatusV1" => "a status",
        _ => "the project",
    }
}

/// Span ids as loaded: every unique stored id is kept; spans without one (or with a
/// repeated, or an absurdly large one) get fresh ids counting up from the largest stored.
struct IdAssigner {
    used: std::collections::HashSet<u64>,
    next_id: u64,
}

impl IdAssigner {
    fn new(spans: &[SpanIn], orphans: &[OrphanIn]) -> Self {
        let next_id = spans
            .iter()
            .filter_map(|s| s.id)
            .chain(orphans.iter().filter_map(|o| o.id))
            .filter(|&id| id <= MAX_ID)
            .max()
            .map_or(0, |m| m + 1);
        Self {
            used: std::collections::HashSet::new(),
            next_id,
        }
    }

    /// The id for an item stored with `stored`, warning (about `what`) when it changes.
    fn assign(&mut self, stored: Option<u64>, what: &str, warnings: &mut Vec<String>) -> SpanId {
        if let Some(id) = stored
            && id <= MAX_ID
            && self.used.insert(id)
        {
            return SpanId(id);
        }
        let next_id = self.next_id;
        match stored {
            Some(id) if id > MAX_ID => {
                warnings.push(format!(
                    "{what} has id {id}, above the largest id a file may hold ({MAX_ID}); it was given id {next_id}"
                ));
            }
            Some(id) => warnings.push(format!("{what} repeats id {id}; it was given id {next_id}")),
            None => {}
        }
        self.used.insert(next_id);
        self.next_id += 1;
        SpanId(next_id)
    }
}

/// Why span `s` cannot be placed in `project` as it is, if it cannot.
fn span_problem(
    project: &Project,
    s: &SpanIn,
    range: Option<CharRange>,
    actual: Option<&str>,
    label: Option<crate::model::LabelId>,
) -> Option<String> {
    match (range, actual, label) {
        (None, _, _) => Some("its start is not before its end".to_owned()),
        (Some(_), None, _) => Some(format!(
            "its offsets lie outside the article ({} chars)",
            project.article().char_len()
        )),
        (_, _, None) => Some(format!(
            "its label \"{}\" is not defined in labels",
            s.label
        )),
        (Some(r), Some(actual), Some(label)) => match &s.text {
            Some(stored) if !same_text(stored, actual) => Some(format!(
                "its text \"{}\" does not match the article there (\"{}\")",
                excerpt(stored, 40),
                excerpt(actual, 40)
            )),
            _ if project.spans().find(r, label).is_some() => {
                Some("it repeats another span with the same range and label".to_owned())
            }
            _ => None,
        },
    }
}

/// The label set of a file's `labels`, or what is wrong with them.
pub(crate) fn labels_from(file_labels: Vec<LabelV1>) -> Result<LabelSet, String> {
    let mut labels = Vec::with_capacity(file_labels.len());
    for l in file_labels {
        let color = Rgb::from_hex(&l.color).ok_or_else(|| {
            format!(
                "label \"{}\" has colour \"{}\", not #RRGGBB",
                l.name, l.color
            )
        })?;
        let mut key_chars = l.key.chars();
        let key = match (key_chars.next(), key_chars.next()) {
            (None, _) => None,
            (Some(k), None) => Some(k),
            (Some(_), Some(_)) => {
                return Err(format!(
                    "label \"{}\" has key \"{}\", not a single character",
                    l.name, l.key
                ));
            }
        };
        labels.push(Label {
            name: l.name,
            color,
            key,
            description: l.description,
        });
    }
    LabelSet::new(labels).map_err(|e| e.to_string())
}

/// Parse and check a project. `path` is only used in messages and as the project's place.
pub fn project_from_ron(text: &str, path: &Path) -> Result<Loaded, LoadError> {
    // Optional fields are written plainly (`sha256: "…"`, not `Some("…")`), as a person
    // would write them by hand. The default recursion limit stays on.
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    // Some Windows editors start a UTF-8 file with a byte-order mark; it is not part of the RON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file: ProjectIn = match options.from_str(text) {
        Ok(file) => file,
        Err(e) => {
            // A newer format may not even parse as ours: say so rather than "syntax error".
            if let Ok(probe) = options.from_str::<VersionProbe>(text)
                && probe.format > FORMAT_VERSION
            {
                return Err(newer(probe.format, path));
            }
            return Err(syntax_error(&e, text, path));
        }
    };
    if file.format > FORMAT_VERSION {
        return Err(newer(file.format, path));
    }
    let invalid = |problem: String| LoadError::Invalid {
        problem,
        path: path.to_owned(),
    };
    if file.format == 0 {
        return Err(invalid(
            "format 0 does not exist; the first format is 1".to_owned(),
        ));
    }
    let mut warnings = Vec::new();

    let labels = labels_from(file.labels).map_err(invalid)?;

    let name = if file.article.name.is_empty() {
        path.file_stem().map_or_else(
            || "article".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        )
    } else {
        file.article.name
    };
    let source = (!file.article.source.is_empty()).then(|| PathBuf::from(&file.article.source));
    let article = Article::new(name, source, &file.article.text);
    // Checked on the normalised text: a text of only byte-order marks is empty too.
    if article.text().trim().is_empty() {
        return Err(invalid("article.text is empty".to_owned()));
    }
    if article.text().len() != file.article.text.len() {
        warnings.push(
            "article.text had CR line breaks or a BOM; they were normalised, so spans are checked against the normalised text"
                .to_owned(),
        );
    }
    drop(file.article.text);
    if let Some(stored) = &file.article.sha256
        && !stored.eq_ignore_ascii_case(&sha256_hex(article.text()))
    {
        warnings.push("article.sha256 does not match the text (the text was edited by hand?); the text is used as it is".to_owned());
    }
    let mut project = Project::new(article, labels);
    project.set_done(file.done);

    let mut ids = IdAssigner::new(&file.spans, &file.orphans);
    let mut assign = |stored: Option<u64>, what: &str, warnings: &mut Vec<String>| {
        ids.assign(stored, what, warnings)
    };

    for o in file.orphans {
        let id = assign(o.id, "an orphan", &mut warnings);
        project.insert_orphan(Orphan {
            id,
            label: o.label,
            old_range: CharRange::new(o.start, o.end.max(o.start)).unwrap_or_default(),
            text: o.text,
            note: o.note,
            reason: o.reason,
            candidate: None,
        });
    }

    load_spans(&mut project, file.spans, &mut assign, &mut warnings).map_err(invalid)?;
    Ok(Loaded { project, warnings })
}

/// Place the file's spans in `project`; a span that cannot be placed becomes an orphan,
/// with a warning naming it.
fn load_spans(
    project: &mut Project,
    spans: Vec<SpanIn>,
    assign: &mut impl FnMut(Option<u64>, &str, &mut Vec<String>) -> SpanId,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    for (n, s) in spans.into_iter().enumerate() {
        let what = format!("span #{} ({} {}..{})", n + 1, s.label, s.start, s.end);
        let id = assign(s.id, &what, warnings);
        let range = CharRange::new(s.start, s.end).filter(|r| !r.is_empty());
        let actual = range.and_then(|r| project.article().slice(r));
        let label = project.labels().by_name(&s.label);
        let problem = span_problem(project, &s, range, actual, label);
        let text = s
            .text
            .clone()
            .or_else(|| actual.map(str::to_owned))
            .unwrap_or_default();
        match (problem, range, label) {
            (None, Some(range), Some(label)) => {
                let span = Span {
                    id,
                    range,
                    label,
                    note: s.note,
                    status: s.status.into(),
                };
                project
                    .insert_span(span)
                    .map_err(|e| format!("{what}: {e}"))?;
            }
            (problem, _, _) => {
                let reason = problem.unwrap_or_else(|| "it could not be placed".to_owned());
                warnings.push(format!("{what} was moved to orphans: {reason}"));
                project.insert_orphan(Orphan {
                    id,
                    label: s.label,
                    old_range: CharRange::new(s.start, s.end.max(s.start)).unwrap_or_default(),
                    text,
                    note: s.note,
                    reason,
                    candidate: None,
                });
            }
        }
    }
    Ok(())
}

/// True when a span's stored text is the article's text there, allowing for CR line breaks
/// (a file whose line breaks were converted to CRLF, e.g. by `git` with `autocrlf`, has them
/// in the copy too, while the article text was normalised).
fn same_text(stored: &str, actual: &str) -> bool {
    if stored.contains('\r') {
        stored.replace("\r\n", "\n").replace('\r', "\n") == actual
    } else {
        stored == actual
    }
}

fn newer(found: u32, path: &Path) -> LoadError {
    LoadError::NewerFormat {
        found,
        supported: FORMAT_VERSION,
        path: path.to_owned(),
    }
}

/// Serialise `project` and save it to `path` through the safe save (temporary file, fsync,
/// `.bak`, rename).
pub fn write_project(path: &Path, project: &Project) -> Result<(), SaveError> {
    let text = project_to_ron(project).map_err(|e| SaveError {
        step: Step::Serialise,
        source: std::io::Error::other(e.to_string()),
        path: path.to_owned(),
    })?;
    write_atomic(path, text.as_bytes())
}

/// Read and load the project file at `path`, refusing files over [`MAX_PROJECT_BYTES`]
/// before reading them whole.
pub fn read_project(path: &Path) -> Result<Loaded, LoadError> {
    let bytes =
        super::import::read_capped(path, MAX_PROJECT_BYTES).map_err(
            |(source, size)| match size {
                Some(size) => LoadError::TooLarge {
                    size,
                    limit: MAX_PROJECT_BYTES,
                    path: path.to_owned(),
                },
                None => LoadError::Io {
                    source,
                    path: path.to_owned(),
                },
            },
        )?;
    let text = std::str::from_utf8(&bytes).map_err(|e| LoadError::Invalid {
        problem: format!(
            "the file is not UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ),
        path: path.to_owned(),
    })?;
    project_from_ron(text, path)
}

#[cfg(test)]
mod tests;
