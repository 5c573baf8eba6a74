//! The merge-conflict marker: the first line of a conflicting span's note, which says that
//! the span is part of conflict number N, which side's version it is, and what each side
//! did. It is plain text in the note, so a merged project with conflicts is an ordinary
//! valid project (git sees no text conflict markers), and the window finds conflicts by
//! reading it back ([`conflict_of`]).
//!
//! ```text
//!   merge conflict #3 (ours): relabelled Claim to Quote; theirs relabelled Claim to Disclaimer
//!   merge conflict #3 (theirs; was Suggested): relabelled Claim to Disclaimer; ours relabelled Claim to Quote
//!   merge conflict #4 (ours deleted it; theirs resized 4..9 to 4..12)
//!   merge conflict #5 (both): ours edited the note; theirs edited the note
//!   ours (Confirmed): checked against the \n source
//!   theirs (Rejected): wrong
//! ```
//!
//! The first two are the two versions of one span (they differ in range or label, so both
//! fit in the project); the span's own note follows the marker line. The third is a span
//! edited on one side and deleted on the other: the edited version is kept. The fourth is
//! one span whose versions differ only in note or status (two spans with the same range and
//! label cannot coexist): each version is one line, its note escaped (`\\`, `\n`, `\r`).
//! `; was S` keeps the status the version had before the merge, so that resolving the
//! conflict gives it back (a version that was `Confirmed` says nothing).

use super::super::span::{Span, Status};

/// Every marker line starts with this.
pub const MARKER_PREFIX: &str = "merge conflict #";

/// One side of a merge: git's `%A` (ours, the branch being merged into) or `%B` (theirs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The current branch's version.
    Ours,
    /// The merged branch's version.
    Theirs,
}

impl Side {
    /// `"ours"` or `"theirs"`, as marker lines write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Theirs => "theirs",
        }
    }

    /// The other side.
    #[must_use]
    pub fn other(self) -> Self {
        match self {
            Self::Ours => Self::Theirs,
            Self::Theirs => Self::Ours,
        }
    }
}

/// Whose version a conflicting span holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConflictSide {
    /// Our version (of two), or the span we edited and they deleted.
    Ours,
    /// Their version (of two), or the span they edited and we deleted.
    Theirs,
    /// Both versions in one span (they differ only in note or status).
    Both,
}

/// What a span's conflict marker says, in short: which conflict it belongs to and whose
/// version it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConflictTag {
    /// The conflict's number, shared by the spans of one conflict.
    pub number: u32,
    /// Whose version this span is.
    pub side: ConflictSide,
}

/// One version folded into a [`Marker::Folded`] span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FoldedVersion {
    pub side: Side,
    pub status: Status,
    pub note: String,
}

/// Everything a marker says, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Marker {
    /// One of two versions of a span (or the edited version of a span the other side
    /// deleted, when `deleted_by_other`).
    Version {
        number: u32,
        side: Side,
        status: Status,
        deleted_by_other: bool,
        /// The span's own note: the note without the marker line.
        note: String,
    },
    /// Several versions of one span, which differ only in note or status.
    Folded {
        number: u32,
        versions: Vec<FoldedVersion>,
        /// Text the analyst added below the version lines since the merge.
        rest: String,
    },
}

impl Marker {
    pub fn number(&self) -> u32 {
        match self {
            Self::Version { number, .. } | Self::Folded { number, .. } => *number,
        }
    }
}

/// The conflict a span belongs to, read from the first line of its note; `None` for a span
/// that is not part of a merge conflict (or whose marker line was edited out of shape).
#[must_use]
pub fn conflict_of(span: &Span) -> Option<ConflictTag> {
    conflict_of_note(&span.note)
}

/// [`conflict_of`] on a note.
#[must_use]
pub fn conflict_of_note(note: &str) -> Option<ConflictTag> {
    if !note.starts_with(MARKER_PREFIX) {
        return None;
    }
    let marker = parse(note)?;
    let side = match &marker {
        Marker::Version { side, .. } => match side {
            Side::Ours => ConflictSide::Ours,
            Side::Theirs => ConflictSide::Theirs,
        },
        Marker::Folded { .. } => ConflictSide::Both,
    };
    Some(ConflictTag {
        number: marker.number(),
        side,
    })
}

/// The conflict number a note's marker line carries, if any, without parsing the rest.
pub(super) fn number_of(note: &str) -> Option<u32> {
    let rest = note.strip_prefix(MARKER_PREFIX)?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest.get(..digits)?.parse().ok()
}

/// Parse a note's marker (see the module docs).
pub(super) fn parse(note: &str) -> Option<Marker> {
    let (first, body) = note.split_once('\n').unwrap_or((note, ""));
    let rest = first.strip_prefix(MARKER_PREFIX)?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    let number: u32 = rest.get(..digits)?.parse().ok()?;
    let rest = rest.get(digits..)?.strip_prefix(" (")?;
    if rest.starts_with("both)") {
        return parse_folded(number, body);
    }
    for side in [Side::Ours, Side::Theirs] {
        let Some(after) = rest.strip_prefix(side.as_str()) else {
            continue;
        };
        let version = |status, deleted_by_other| Marker::Version {
            number,
            side,
            status,
            deleted_by_other,
            note: body.to_owned(),
        };
        if after.starts_with(')') {
            return Some(version(Status::Confirmed, false));
        }
        if let Some(was) = after.strip_prefix("; was ") {
            let (status, _) = was.split_once(')')?;
            return Some(version(Status::from_name(status)?, false));
        }
        if after.starts_with(" deleted it; ") && first.ends_with(')') {
            // The span kept is the other side's edited version.
            let status = Status::ALL
                .into_iter()
                .find(|s| first.ends_with(&format!("; was {})", s.as_str())))
                .unwrap_or(Status::Confirmed);
            return Some(Marker::Version {
                number,
                side: side.other(),
                status,
                deleted_by_other: true,
                note: body.to_owned(),
            });
        }
        return None;
    }
    None
}

fn parse_folded(number: u32, body: &str) -> Option<Marker> {
    let mut versions = Vec::new();
    let mut lines = body.split('\n');
    let mut rest_lines: Vec<&str> = Vec::new();
    for line in lines.by_ref() {
        if let Some(v) = parse_version_line(line) {
            versions.push(v);
        } else {
            rest_lines.push(line);
            break;
        }
    }
    rest_lines.extend(lines);
    if versions.is_empty() {
        return None;
    }
    Some(Marker::Folded {
        number,
        versions,
        rest: rest_lines.join("\n"),
    })
}

fn parse_version_line(line: &str) -> Option<FoldedVersion> {
    let (side, rest) = if let Some(rest) = line.strip_prefix("ours (") {
        (Side::Ours, rest)
    } else {
        (Side::Theirs, line.strip_prefix("theirs (")?)
    };
    let (status, rest) = rest.split_once(')')?;
    let status = Status::from_name(status)?;
    let escaped = rest.strip_prefix(':')?;
    let escaped = escaped.strip_prefix(' ').unwrap_or(escaped);
    Some(FoldedVersion {
        side,
        status,
        note: unescape(escaped),
    })
}

/// The marker line (and what follows it) for one of two versions of a span. `did` is what
/// this side did, `other` what the other side did.
pub(super) fn version_note(
    number: u32,
    side: Side,
    status: Status,
    did: &str,
    other: &str,
    own_note: &str,
) -> String {
    let was = was(status);
    let line = format!(
        "{MARKER_PREFIX}{number} ({side}{was}): {did}; {other_side} {other}",
        side = side.as_str(),
        other_side = side.other().as_str()
    );
    with_body(line, own_note)
}

/// The marker line for a span edited on `side` (`did`) and deleted on the other side.
pub(super) fn survivor_note(
    number: u32,
    side: Side,
    status: Status,
    did: &str,
    own_note: &str,
) -> String {
    let line = format!(
        "{MARKER_PREFIX}{number} ({deleter} deleted it; {side} {did}{was})",
        deleter = side.other().as_str(),
        side = side.as_str(),
        was = was(status)
    );
    with_body(line, own_note)
}

/// The note of one span holding several versions: the marker line, then one line per
/// version. `dids` says what each side did.
pub(super) fn folded_note(
    number: u32,
    dids: &[(Side, String)],
    versions: &[FoldedVersion],
) -> String {
    let did = dids
        .iter()
        .map(|(side, did)| format!("{} {did}", side.as_str()))
        .collect::<Vec<_>>()
        .join("; ");
    let mut note = format!("{MARKER_PREFIX}{number} (both): {did}");
    for v in versions {
        note.push('\n');
        note.push_str(v.side.as_str());
        note.push_str(" (");
        note.push_str(v.status.as_str());
        note.push_str("): ");
        note.push_str(&escape(&v.note));
    }
    note
}

fn was(status: Status) -> String {
    if status == Status::Confirmed {
        String::new()
    } else {
        format!("; was {}", status.as_str())
    }
}

fn with_body(line: String, own_note: &str) -> String {
    if own_note.is_empty() {
        line
    } else {
        format!("{line}\n{own_note}")
    }
}

/// A note on one line: backslash, newline and carriage return escaped.
fn escape(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    for c in note.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape`]; an unknown escape is kept as it is.
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') | None => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_markers_round_trip_with_side_status_and_note() {
        let note = version_note(
            3,
            Side::Ours,
            Status::Confirmed,
            "relabelled Claim to Quote",
            "relabelled Claim to Disclaimer",
            "my note\nsecond line",
        );
        assert_eq!(
            note,
            "merge conflict #3 (ours): relabelled Claim to Quote; theirs relabelled Claim to Disclaimer\nmy note\nsecond line"
        );
        assert_eq!(
            parse(&note),
            Some(Marker::Version {
                number: 3,
                side: Side::Ours,
                status: Status::Confirmed,
                deleted_by_other: false,
                note: "my note\nsecond line".to_owned()
            })
        );
        let theirs = version_note(12, Side::Theirs, Status::Suggested, "a", "b", "");
        assert_eq!(
            theirs,
            "merge conflict #12 (theirs; was Suggested): a; ours b"
        );
        assert_eq!(
            conflict_of_note(&theirs),
            Some(ConflictTag {
                number: 12,
                side: ConflictSide::Theirs
            })
        );
    }

    #[test]
    fn survivor_marker_names_the_side_that_edited() {
        let note = survivor_note(
            4,
            Side::Theirs,
            Status::Rejected,
            "resized 4..9 to 4..12",
            "x",
        );
        assert_eq!(
            note,
            "merge conflict #4 (ours deleted it; theirs resized 4..9 to 4..12; was Rejected)\nx"
        );
        assert!(matches!(
            parse(&note),
            Some(Marker::Version {
                number: 4,
                side: Side::Theirs,
                status: Status::Rejected,
                deleted_by_other: true,
                ..
            })
        ));
        let plain = survivor_note(4, Side::Ours, Status::Confirmed, "relabelled A) to B", "");
        assert_eq!(
            conflict_of_note(&plain).map(|t| t.side),
            Some(ConflictSide::Ours)
        );
    }

    #[test]
    fn folded_marker_keeps_every_note_exactly() {
        let versions = vec![
            FoldedVersion {
                side: Side::Ours,
                status: Status::Confirmed,
                note: "line one\nline \\n two\r".to_owned(),
            },
            FoldedVersion {
                side: Side::Theirs,
                status: Status::Rejected,
                note: String::new(),
            },
        ];
        let dids = [
            (Side::Ours, "edited the note".to_owned()),
            (Side::Theirs, "set the status to Rejected".to_owned()),
        ];
        let note = folded_note(7, &dids, &versions);
        assert_eq!(note.lines().count(), 3, "{note}");
        assert_eq!(
            parse(&format!("{note}\nadded later")),
            Some(Marker::Folded {
                number: 7,
                versions,
                rest: "added later".to_owned()
            })
        );
    }

    #[test]
    fn ordinary_and_damaged_notes_are_not_conflicts() {
        for note in [
            "",
            "merge conflict",
            "merge conflict #x (ours): a",
            "merge conflict #3 (mine): a",
            "merge conflict #3 (ours; was Nothing): a",
            "merge conflict #3 (both): no version lines",
            "see merge conflict #3 (ours): a",
        ] {
            assert_eq!(conflict_of_note(note), None, "{note}");
        }
        assert_eq!(number_of("merge conflict #42 (ours): a"), Some(42));
    }
}
