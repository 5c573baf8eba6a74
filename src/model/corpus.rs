//! The corpus as data: one summary per document (its state and per-label counts), the
//! documents panel's sorting and filtering, the corpus totals, and the corpus settings
//! (label scheme, save on switch). No files: `format::corpus` finds the documents and fills
//! these in; the window shows them.
//!
//! ```text
//!   desk-3/a.txt + desk-3/a.ron (3 Claims, done)  ->  DocSummary { path: "desk-3/a.txt",
//!                                                      state: Done, counts: [Claim 3 …] }
//! ```

use std::cmp::Ordering;

use super::label::LabelSet;
use super::project::Project;
use super::span::Status;

/// How far the analyst got with a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum DocState {
    /// No project yet, or a project without a single annotation (suggestions do not count:
    /// nobody has looked at them).
    #[default]
    NotStarted,
    /// At least one annotation (confirmed or needing review) or orphan, not marked done.
    InProgress,
    /// Marked done in its project.
    Done,
}

impl DocState {
    /// Every state, in progress order.
    pub const ALL: [Self; 3] = [Self::NotStarted, Self::InProgress, Self::Done];

    /// The name shown in the panel and printed by the CLI.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not started",
            Self::InProgress => "in progress",
            Self::Done => "done",
        }
    }

    /// The state of `project` as [`DocState`]'s variants define it.
    #[must_use]
    pub fn of(project: &Project) -> Self {
        if project.is_done() {
            Self::Done
        } else if project.spans().annotation_count() > 0 || !project.orphans().is_empty() {
            Self::InProgress
        } else {
            Self::NotStarted
        }
    }
}

/// How many spans of one label a document (or the corpus) holds.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LabelCount {
    /// The label's name (labels are matched across projects by name).
    pub label: String,
    /// Annotations: spans confirmed or needing review.
    pub annotations: usize,
    /// Suggestions not yet accepted or rejected.
    pub suggested: usize,
}

/// What the documents panel, the dashboard and `stats` know about one document without
/// opening it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DocSummary {
    /// Path relative to the corpus folder with `/` separators: the article's `.txt`, or the
    /// project's `.ron` when no article lies beside it.
    pub path: String,
    /// The article (`.txt`) exists.
    pub has_article: bool,
    /// The project (`.ron`) exists (it may still fail to load: see `problem`).
    pub has_project: bool,
    /// Not started, in progress or done.
    pub state: DocState,
    /// Span counts per label, in the project's label order; labels without spans are listed
    /// too (with zero), so the panel can show every bar.
    pub counts: Vec<LabelCount>,
    /// Orphans (spans that lost their place) in the project.
    pub orphans: usize,
    /// Length of the article in chars.
    pub chars: usize,
    /// Chars covered by at least one span.
    pub covered_chars: usize,
    /// When the document was last changed: the project's modification time, or the
    /// article's when there is no project, in seconds since the Unix epoch (0 if unknown).
    pub modified_secs: u64,
    /// What is wrong with the document, for the panel (a project that fails to load, an
    /// article that cannot be read, a project made for another version of the text).
    pub problem: Option<String>,
}

impl DocSummary {
    /// A document with an article and no project yet.
    #[must_use]
    pub fn unannotated(path: impl Into<String>, chars: usize, modified_secs: u64) -> Self {
        Self {
            path: path.into(),
            has_article: true,
            chars,
            modified_secs,
            ..Self::default()
        }
    }

    /// Annotations (confirmed or needing review) of every label.
    #[must_use]
    pub fn annotations(&self) -> usize {
        self.counts.iter().map(|c| c.annotations).sum()
    }

    /// Suggestions of every label.
    #[must_use]
    pub fn suggested(&self) -> usize {
        self.counts.iter().map(|c| c.suggested).sum()
    }

    /// Annotations carrying the label called `label`.
    #[must_use]
    pub fn annotations_of(&self, label: &str) -> usize {
        self.counts
            .iter()
            .find(|c| c.label == label)
            .map_or(0, |c| c.annotations)
    }

    /// The file name part of [`DocSummary::path`].
    #[must_use]
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// Summarise an open project as the document at `path` (relative, `/` separators), last
/// changed at `modified_secs`. `has_article` says whether its `.txt` exists.
#[must_use]
pub fn summarize(
    path: impl Into<String>,
    project: &Project,
    has_article: bool,
    modified_secs: u64,
) -> DocSummary {
    let spans = project.spans();
    let counts = project
        .labels()
        .iter()
        .map(|(id, label)| LabelCount {
            label: label.name.clone(),
            annotations: spans.count(id),
            suggested: spans.count_with(id, Status::Suggested),
        })
        .collect();
    DocSummary {
        path: path.into(),
        has_article,
        has_project: true,
        state: DocState::of(project),
        counts,
        orphans: project.orphans().len(),
        chars: project.article().char_len(),
        covered_chars: spans.covered_chars(),
        modified_secs,
        problem: None,
    }
}

/// The orders the documents panel offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum SortKey {
    /// By path, digits compared as numbers (`a2` before `a10`), ignoring case.
    #[default]
    Name,
    /// Least advanced first: by state, then by annotations, then by name.
    Progress,
    /// Most recently changed first, then by name.
    LastEdited,
}

/// Which documents the panel shows.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DocFilter {
    /// Only paths containing this text (ignoring case); empty shows all.
    pub name: String,
    /// Only documents in this state; `None` shows all.
    pub state: Option<DocState>,
    /// Only documents with a problem.
    pub problems_only: bool,
}

impl DocFilter {
    /// True when `doc` passes the filter.
    #[must_use]
    pub fn matches(&self, doc: &DocSummary) -> bool {
        self.state.is_none_or(|s| s == doc.state)
            && (!self.problems_only || doc.problem.is_some())
            && (self.name.is_empty() || contains_ignoring_case(&doc.path, &self.name))
    }
}

/// True when `needle` occurs in `haystack`, ignoring case (simple lowercase of both; ASCII
/// text takes a fast path without allocating).
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// Compare two paths as people expect file names ordered: ignoring case, runs of digits by
/// their value (`a2` < `a10`), ties broken by the exact text so the order is total.
#[must_use]
pub fn natural_cmp(left: &str, right: &str) -> Ordering {
    let mut lhs = left.chars().peekable();
    let mut rhs = right.chars().peekable();
    loop {
        match (lhs.peek().copied(), rhs.peek().copied()) {
            (None, None) => return left.cmp(right),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(l), Some(r)) if l.is_ascii_digit() && r.is_ascii_digit() => {
                let lhs_digits = digits(&mut lhs);
                let rhs_digits = digits(&mut rhs);
                // Longer runs without leading zeros are larger numbers; compare the digits
                // as text only when the lengths agree, so any length of number works.
                let lhs_value = lhs_digits.trim_start_matches('0');
                let rhs_value = rhs_digits.trim_start_matches('0');
                let by_value = lhs_value
                    .len()
                    .cmp(&rhs_value.len())
                    .then_with(|| lhs_value.cmp(rhs_value));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(l), Some(r)) => {
                let by_char = l.to_lowercase().cmp(r.to_lowercase());
                if by_char != Ordering::Equal {
                    return by_char;
                }
                lhs.next();
                rhs.next();
            }
        }
    }
}

fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut out = String::new();
    while let Some(c) = chars.next_if(char::is_ascii_digit) {
        out.push(c);
    }
    out
}

/// Compare two documents in the order `key` defines.
#[must_use]
pub fn compare(a: &DocSummary, b: &DocSummary, key: SortKey) -> Ordering {
    let by_name = || natural_cmp(&a.path, &b.path);
    match key {
        SortKey::Name => by_name(),
        SortKey::Progress => a
            .state
            .cmp(&b.state)
            .then_with(|| a.annotations().cmp(&b.annotations()))
            .then_with(by_name),
        SortKey::LastEdited => b.modified_secs.cmp(&a.modified_secs).then_with(by_name),
    }
}

/// Sort `docs` in place in the order `key` defines.
pub fn sort(docs: &mut [DocSummary], key: SortKey) {
    docs.sort_by(|a, b| compare(a, b, key));
}

/// The positions in `docs` of the documents that pass `filter`, in the order `key` defines
/// (reversed when `descending`): what the documents panel lists, without moving the
/// documents themselves.
#[must_use]
pub fn view(docs: &[DocSummary], filter: &DocFilter, key: SortKey, descending: bool) -> Vec<usize> {
    let mut shown: Vec<usize> = (0..docs.len())
        .filter(|&i| docs.get(i).is_some_and(|d| filter.matches(d)))
        .collect();
    shown.sort_by(|&i, &j| match (docs.get(i), docs.get(j)) {
        (Some(a), Some(b)) => {
            let order = compare(a, b, key);
            if descending { order.reverse() } else { order }
        }
        _ => Ordering::Equal,
    });
    shown
}

/// Position of the next document after `current` (in `order`, wrapping around) that is not
/// done: the "next unfinished" key. `None` when every document is done.
#[must_use]
pub fn next_unfinished(
    docs: &[DocSummary],
    order: &[usize],
    current: Option<usize>,
) -> Option<usize> {
    let at = current
        .and_then(|c| order.iter().position(|&i| i == c))
        .map_or(0, |p| p + 1);
    (0..order.len())
        .filter_map(|k| order.get((at + k) % order.len().max(1)).copied())
        .find(|&i| docs.get(i).is_some_and(|d| d.state != DocState::Done))
}

/// Figures over a whole corpus: the dashboard and `spanmark stats DIR`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CorpusTotals {
    /// Documents (articles, and projects without an article).
    pub documents: usize,
    /// Documents with at least one annotation.
    pub annotated: usize,
    /// Documents marked done.
    pub done: usize,
    /// Documents in progress (see [`DocState::InProgress`]).
    pub in_progress: usize,
    /// Documents with a problem.
    pub with_problems: usize,
    /// Spans per label name, in the order labels first appear (scheme labels first when
    /// given to [`totals`]).
    pub spans: Vec<LabelCount>,
    /// Orphans in all projects.
    pub orphans: usize,
    /// Chars of all articles.
    pub chars: usize,
    /// Chars covered by at least one span, summed over documents.
    pub covered_chars: usize,
}

impl CorpusTotals {
    /// Annotations of every label.
    #[must_use]
    pub fn annotations(&self) -> usize {
        self.spans.iter().map(|c| c.annotations).sum()
    }
}

/// Add up `docs`. Labels of `scheme` come first in `spans` (even with no spans, so the
/// dashboard shows every label of the scheme), then other labels as they first appear.
#[must_use]
pub fn totals(docs: &[DocSummary], scheme: Option<&LabelSet>) -> CorpusTotals {
    let mut t = CorpusTotals {
        documents: docs.len(),
        spans: scheme
            .into_iter()
            .flat_map(LabelSet::iter)
            .map(|(_, l)| LabelCount {
                label: l.name.clone(),
                ..LabelCount::default()
            })
            .collect(),
        ..CorpusTotals::default()
    };
    for doc in docs {
        if doc.annotations() > 0 {
            t.annotated += 1;
        }
        match doc.state {
            DocState::Done => t.done += 1,
            DocState::InProgress => t.in_progress += 1,
            DocState::NotStarted => {}
        }
        if doc.problem.is_some() {
            t.with_problems += 1;
        }
        t.orphans += doc.orphans;
        t.chars += doc.chars;
        t.covered_chars += doc.covered_chars;
        for c in &doc.counts {
            if let Some(total) = t.spans.iter_mut().find(|s| s.label == c.label) {
                total.annotations += c.annotations;
                total.suggested += c.suggested;
            } else {
                t.spans.push(c.clone());
            }
        }
    }
    t
}

/// The corpus's own settings, kept in `corpus.ron` at its root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusConfig {
    /// The label scheme the corpus shares (projects keep their own copy).
    pub labels: LabelSet,
    /// Save the open document without asking when switching to another one.
    pub save_on_switch: bool,
}

impl Default for CorpusConfig {
    fn default() -> Self {
        Self {
            labels: LabelSet::default(),
            save_on_switch: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation;

    fn doc(path: &str, state: DocState, claims: usize, modified_secs: u64) -> DocSummary {
        DocSummary {
            path: path.to_owned(),
            has_article: true,
            has_project: true,
            state,
            counts: vec![LabelCount {
                label: "Claim".to_owned(),
                annotations: claims,
                suggested: 0,
            }],
            modified_secs,
            ..DocSummary::default()
        }
    }

    fn paths(docs: &[DocSummary], order: &[usize]) -> Vec<String> {
        order
            .iter()
            .filter_map(|&i| docs.get(i).map(|d| d.path.clone()))
            .collect()
    }

    #[test]
    fn summaries_count_annotations_and_suggestions_apart() -> Result<(), String> {
        let mut project =
            notation::parse("[Claim:Putin] [Claim!:rejected] [Quote?:the offer] [Quote-:x]")
                .map_err(|e| e.to_string())?;
        let s = summarize("desk/a.txt", &project, true, 7);
        assert_eq!(s.annotations_of("Claim"), 2);
        assert_eq!(s.annotations_of("Quote"), 0);
        assert_eq!(s.suggested(), 1, "rejected spans count nowhere");
        assert_eq!(s.annotations(), 2);
        assert_eq!(s.state, DocState::InProgress);
        assert_eq!(s.file_name(), "a.txt");
        assert_eq!(
            s.counts
                .iter()
                .map(|c| c.label.as_str())
                .collect::<Vec<_>>(),
            ["Claim", "Quote", "Disclaimer"],
            "every label is listed, in the project's order"
        );
        assert_eq!(s.chars, project.article().char_len());
        assert_eq!(s.covered_chars, project.spans().covered_chars());
        project.set_done(true);
        assert_eq!(summarize("a", &project, true, 0).state, DocState::Done);
        Ok(())
    }

    #[test]
    fn a_project_with_only_suggestions_is_not_started() -> Result<(), String> {
        let project = notation::parse("[Claim?:Putin] said").map_err(|e| e.to_string())?;
        assert_eq!(DocState::of(&project), DocState::NotStarted);
        Ok(())
    }

    #[test]
    fn names_sort_naturally_and_ignore_case() {
        let mut names = vec![
            "b/a10.txt",
            "B/a2.txt",
            "a.txt",
            "a/x.txt",
            "b/a2.txt",
            "b/a02.txt",
        ];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            [
                "a.txt",
                "a/x.txt",
                "B/a2.txt",
                "b/a02.txt",
                "b/a2.txt",
                "b/a10.txt"
            ]
        );
        assert_eq!(
            natural_cmp("x99999999999999999999999", "x100000000000000000000000"),
            Ordering::Less
        );
        assert_eq!(natural_cmp("same", "same"), Ordering::Equal);
    }

    #[test]
    fn the_panel_sorts_by_name_progress_and_last_edited() {
        let docs = vec![
            doc("c.txt", DocState::Done, 5, 30),
            doc("a10.txt", DocState::InProgress, 3, 10),
            doc("a2.txt", DocState::NotStarted, 0, 20),
            doc("b.txt", DocState::InProgress, 1, 40),
        ];
        let all = DocFilter::default();
        assert_eq!(
            paths(&docs, &view(&docs, &all, SortKey::Name, false)),
            ["a2.txt", "a10.txt", "b.txt", "c.txt"]
        );
        assert_eq!(
            paths(&docs, &view(&docs, &all, SortKey::Progress, false)),
            ["a2.txt", "b.txt", "a10.txt", "c.txt"]
        );
        assert_eq!(
            paths(&docs, &view(&docs, &all, SortKey::LastEdited, false)),
            ["b.txt", "c.txt", "a2.txt", "a10.txt"]
        );
        assert_eq!(
            paths(&docs, &view(&docs, &all, SortKey::Name, true)),
            ["c.txt", "b.txt", "a10.txt", "a2.txt"]
        );
        let mut sorted = docs.clone();
        sort(&mut sorted, SortKey::Progress);
        assert_eq!(
            sorted.iter().map(|d| d.path.as_str()).collect::<Vec<_>>(),
            ["a2.txt", "b.txt", "a10.txt", "c.txt"]
        );
    }

    #[test]
    fn the_panel_filters_by_name_and_state() {
        let mut docs = vec![
            doc("Desk-3/Putin.txt", DocState::Done, 5, 0),
            doc("desk-4/Путин.txt", DocState::InProgress, 3, 0),
            doc("other/x.txt", DocState::InProgress, 1, 0),
        ];
        if let Some(d) = docs.get_mut(2) {
            d.problem = Some("broken".to_owned());
        }
        let by_name = |name: &str| DocFilter {
            name: name.to_owned(),
            ..DocFilter::default()
        };
        let shown = |f: &DocFilter| paths(&docs, &view(&docs, f, SortKey::Name, false));
        assert_eq!(
            shown(&by_name("DESK")),
            ["Desk-3/Putin.txt", "desk-4/Путин.txt"]
        );
        assert_eq!(shown(&by_name("путин")), ["desk-4/Путин.txt"]);
        assert_eq!(shown(&by_name("nothing")), Vec::<String>::new());
        let in_progress = DocFilter {
            state: Some(DocState::InProgress),
            ..DocFilter::default()
        };
        assert_eq!(shown(&in_progress), ["desk-4/Путин.txt", "other/x.txt"]);
        let problems = DocFilter {
            problems_only: true,
            ..DocFilter::default()
        };
        assert_eq!(shown(&problems), ["other/x.txt"]);
        let both = DocFilter {
            name: "desk".to_owned(),
            state: Some(DocState::Done),
            problems_only: false,
        };
        assert_eq!(shown(&both), ["Desk-3/Putin.txt"]);
    }

    #[test]
    fn next_unfinished_skips_done_documents_and_wraps() {
        let docs = vec![
            doc("a", DocState::Done, 1, 0),
            doc("b", DocState::InProgress, 1, 0),
            doc("c", DocState::Done, 1, 0),
            doc("d", DocState::NotStarted, 0, 0),
        ];
        let order = [0, 1, 2, 3];
        assert_eq!(next_unfinished(&docs, &order, None), Some(1));
        assert_eq!(next_unfinished(&docs, &order, Some(1)), Some(3));
        assert_eq!(next_unfinished(&docs, &order, Some(3)), Some(1));
        assert_eq!(next_unfinished(&docs, &[0, 2], Some(0)), None);
        assert_eq!(next_unfinished(&docs, &[], None), None);
    }

    #[test]
    fn totals_add_up_documents_states_and_labels() {
        let mut docs = vec![
            doc("a", DocState::Done, 5, 0),
            doc("b", DocState::InProgress, 3, 0),
            DocSummary::unannotated("c", 100, 0),
        ];
        if let Some(d) = docs.get_mut(1) {
            d.counts.push(LabelCount {
                label: "Rumour".to_owned(),
                annotations: 2,
                suggested: 4,
            });
            d.chars = 50;
            d.covered_chars = 20;
            d.orphans = 1;
            d.problem = Some("x".to_owned());
        }
        let t = totals(&docs, Some(&LabelSet::default()));
        assert_eq!(
            (t.documents, t.annotated, t.done, t.in_progress),
            (3, 2, 1, 1)
        );
        assert_eq!(
            (t.chars, t.covered_chars, t.orphans, t.with_problems),
            (150, 20, 1, 1)
        );
        let spans: Vec<_> = t
            .spans
            .iter()
            .map(|c| (c.label.as_str(), c.annotations, c.suggested))
            .collect();
        assert_eq!(
            spans,
            [
                ("Claim", 8, 0),
                ("Quote", 0, 0),
                ("Disclaimer", 0, 0),
                ("Rumour", 2, 4)
            ]
        );
        assert_eq!(t.annotations(), 10);
        let bare = totals(&docs, None);
        assert_eq!(
            bare.spans
                .iter()
                .map(|c| c.label.as_str())
                .collect::<Vec<_>>(),
            ["Claim", "Rumour"]
        );
        assert_eq!(totals(&[], None), CorpusTotals::default());
    }
}
