//! brat standoff: `NAME.txt` (the text exactly, LF, no BOM), `NAME.ann` (one line per
//! annotation), and `annotation.conf` / `visual.conf` at the root of the collection.
//!
//! Offsets are code points of the `.txt`. A span across a line break becomes one fragment
//! per line (`T2 ⇥ Claim 8 27;28 38 ⇥ …`, ⇥ standing for a tab), as brat writes it itself;
//! the fragments' texts are joined by one space. Notes are `#n ⇥ AnnotatorNotes Tn ⇥ …`
//! lines, statuses are binary attributes (`A1 ⇥ NeedsReview T3`) declared in
//! `annotation.conf`, which also carries the
//! `<OVERLAP>` rule that lets any two spans overlap. Type names may only hold
//! `[A-Za-z0-9_-]`: other characters of a label's name are written as `_HEX_` and `_` as
//! `__`, which reads back to the same name (the readable name goes to visual.conf's
//! `[labels]`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{
    ExportDoc, Format, Imported, InteropError, Losses, RawDoc, RawOffset, RawSpan, Scheme, build,
    read_text, rel_stem, union_labels, walk,
};
use crate::model::{CharRange, Label, Project, Rgb, Status};

/// The statuses written as attributes (Confirmed is the absence of one).
const STATUS_ATTRIBUTES: [Status; 3] = [Status::NeedsReview, Status::Suggested, Status::Rejected];

/// A label's name as a brat type name: `[A-Za-z0-9-]` kept, `_` doubled, anything else
/// written as `_HEX_` (its code point).
pub(super) fn type_name(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' => out.push(c),
            '_' => out.push_str("__"),
            _ => {
                let _ = write!(out, "_{:X}_", u32::from(c));
            }
        }
    }
    out
}

/// The label name a brat type name stands for (the inverse of [`type_name`]); a name that
/// is not such an encoding reads as itself.
pub(super) fn label_name(type_name: &str) -> String {
    let mut out = String::with_capacity(type_name.len());
    let mut rest = type_name;
    while let Some(i) = rest.find('_') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        if let Some(tail) = after.strip_prefix('_') {
            out.push('_');
            rest = tail;
            continue;
        }
        let hex_len = after.find('_').unwrap_or(0);
        let decoded = after
            .get(..hex_len)
            .filter(|h| !h.is_empty() && h.len() <= 6)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        if let Some(c) = decoded {
            out.push(c);
            rest = after.get(hex_len + 1..).unwrap_or_default();
        } else {
            out.push('_');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// True for the chars that end a line for brat's or Python's readers (`str.splitlines`),
/// and tabs (the field separator): none may appear inside one `.ann` line.
fn breaks_ann_line(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\t'
            | '\u{b}'
            | '\u{c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `s` on one `.ann` line: each line-breaking char or tab becomes one space (so the length
/// in chars is kept, as brat's readers check it).
fn flatten(s: &str) -> String {
    s.chars()
        .map(|c| if breaks_ann_line(c) { ' ' } else { c })
        .collect()
}

/// The fragments of `range`: one per line, line breaks left out, empty pieces dropped.
fn fragments(project: &Project, range: CharRange) -> Vec<CharRange> {
    let text = project.article().slice(range).unwrap_or_default();
    let mut out = Vec::new();
    let mut start = range.start();
    let mut at = range.start();
    for c in text.chars() {
        if c == '\n' {
            if at > start {
                out.push(CharRange::between(start, at));
            }
            start = at + 1;
        }
        at += 1;
    }
    if at > start {
        out.push(CharRange::between(start, at));
    }
    out
}

pub(super) fn export(docs: &[ExportDoc<'_>], losses: &mut Losses) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::with_capacity(docs.len() * 2 + 2);
    super::lost_titles(Format::Brat, docs, losses);
    for doc in docs {
        let project = doc.project;
        let mut ann = String::new();
        let (mut t, mut a, mut n) = (0usize, 0usize, 0usize);
        for span in project.spans() {
            let frags = fragments(project, span.range);
            let (Some(first), Some(last)) = (frags.first(), frags.last()) else {
                losses.add(
                    "brat: {n} span(s) covering only line breaks not exported (brat fragments leave line breaks out)",
                    1,
                );
                continue;
            };
            if first.start() != span.range.start() || last.end() != span.range.end() {
                losses.add(
                    "brat: {n} span(s) start or end with a line break, which brat fragments leave out; they come back without it",
                    1,
                );
            }
            t += 1;
            let offsets: Vec<String> = frags
                .iter()
                .map(|f| format!("{} {}", f.start(), f.end()))
                .collect();
            let text: Vec<String> = frags
                .iter()
                .map(|f| flatten(project.article().slice(*f).unwrap_or_default()))
                .collect();
            let _ = writeln!(
                ann,
                "T{t}\t{} {}\t{}",
                type_name(project.labels().name(span.label)),
                offsets.join(";"),
                text.join(" ")
            );
            if span.status != Status::Confirmed {
                a += 1;
                let _ = writeln!(ann, "A{a}\t{} T{t}", span.status.as_str());
            }
            if !span.note.is_empty() {
                n += 1;
                let flat = flatten(&span.note);
                if flat != span.note {
                    losses.add("brat: {n} note(s) had line breaks or tabs flattened", 1);
                }
                let _ = writeln!(ann, "#{n}\tAnnotatorNotes T{t}\t{flat}");
            }
        }
        files.push((
            format!("{}.txt", doc.stem),
            project.article().text().as_bytes().to_vec(),
        ));
        files.push((format!("{}.ann", doc.stem), ann.into_bytes()));
    }
    let labels = union_labels(docs, Format::Brat, losses);
    let keys = labels.iter().filter(|l| l.key.is_some()).count();
    let described = labels.iter().filter(|l| !l.description.is_empty()).count();
    losses.add(
        "brat: {n} label key(s) not carried (brat has no such setting)",
        keys,
    );
    losses.add(
        "brat: {n} label description(s) not carried (brat has no such setting)",
        described,
    );
    files.push((
        "annotation.conf".to_owned(),
        annotation_conf(&labels).into_bytes(),
    ));
    files.push(("visual.conf".to_owned(), visual_conf(&labels).into_bytes()));
    files
}

fn annotation_conf(labels: &[Label]) -> String {
    let mut out = String::from(
        "# Written by spanmark: one entity type per label (visual.conf shows the names).\n[entities]\n",
    );
    for label in labels {
        out.push_str(&type_name(&label.name));
        out.push('\n');
    }
    out.push_str(
        "\n[relations]\n# Any two spans may overlap; without this rule brat reports overlapping spans as errors.\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n# A span's review status in spanmark (Confirmed when none is set).\n",
    );
    for status in STATUS_ATTRIBUTES {
        let _ = writeln!(out, "{}\tArg:<ENTITY>", status.as_str());
    }
    out
}

fn visual_conf(labels: &[Label]) -> String {
    let mut out = String::from("# Written by spanmark: label names and colours.\n[labels]\n");
    for label in labels {
        // A name brat cannot show as written keeps its type name on screen.
        if !label.name.contains('|') && !label.name.chars().any(breaks_ann_line) {
            let _ = writeln!(out, "{} | {}", type_name(&label.name), label.name.trim());
        }
    }
    out.push_str("\n[drawing]\nSPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\nARC_DEFAULT\tcolor:black, arrowHead:triangle-5\nATTRIBUTE_DEFAULT\tglyph:*\n");
    for label in labels {
        let _ = writeln!(
            out,
            "{}\tbgColor:{}",
            type_name(&label.name),
            label.color.to_hex().to_lowercase()
        );
    }
    out.push_str("NeedsReview\tglyph:?\nSuggested\tglyph:+\nRejected\tglyph:x\n");
    out
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

pub(super) fn import(path: &Path) -> Result<Imported, InteropError> {
    let (root, stems, collection) = if path.is_dir() {
        let files = walk(path)?;
        let mut stems: Vec<String> = files
            .iter()
            .filter(|f| {
                f.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("ann") || e.eq_ignore_ascii_case("txt"))
            })
            .map(|f| rel_stem(path, f))
            .collect();
        stems.sort();
        stems.dedup();
        (path.to_owned(), stems, true)
    } else {
        let root = path.parent().map(Path::to_owned).unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        (root, vec![stem], false)
    };
    if stems.is_empty() {
        return Err(InteropError::Nothing {
            what: "the folder holds no brat document (.txt with .ann)".to_owned(),
            path: path.to_owned(),
        });
    }
    let mut docs = Vec::with_capacity(stems.len());
    let mut notes = Vec::new();
    let mut schemes: HashMap<PathBuf, Scheme> = HashMap::new();
    for stem in stems {
        let base = super::join_stem(&root, &stem);
        let txt = super::with_suffix(&base, "txt");
        let ann = super::with_suffix(&base, "ann");
        if !txt.is_file() {
            return Err(InteropError::MissingText {
                document: stem,
                expected: txt.display().to_string(),
                path: ann,
            });
        }
        let article_text = read_text(&txt, Format::Brat)?;
        let ann_text = if ann.is_file() {
            read_text(&ann, Format::Brat)?
        } else {
            String::new()
        };
        let dir = txt.parent().map(Path::to_owned).unwrap_or_default();
        let scheme = if let Some(s) = schemes.get(&dir) {
            s.clone()
        } else {
            let s = read_scheme(&dir, &root)?;
            schemes.insert(dir.clone(), s.clone());
            s
        };
        let ParsedAnn {
            spans,
            problems,
            skipped,
        } = parse_ann(&ann_text, &article_text, &ann)?;
        if skipped > 0 {
            notes.push(format!(
                "{}: {skipped} relation, event or other annotation line(s) not imported (spanmark keeps spans only)",
                ann.display()
            ));
        }
        let raw = RawDoc {
            stem,
            title: String::new(),
            file: ann.clone(),
            text: article_text,
            spans,
            done: false,
            problems,
        };
        docs.push(build(raw, &scheme)?);
    }
    Ok(Imported {
        format: Format::Brat,
        collection,
        docs,
        notes,
    })
}

/// The nearest `annotation.conf` (and `visual.conf`) from `dir` up to `root`, as brat looks
/// them up.
fn read_scheme(dir: &Path, root: &Path) -> Result<Scheme, InteropError> {
    let mut at = Some(dir);
    while let Some(d) = at {
        let conf = d.join("annotation.conf");
        if conf.is_file() {
            let text = read_text(&conf, Format::Brat)?;
            let visual = d.join("visual.conf");
            let colours = if visual.is_file() {
                parse_visual(&read_text(&visual, Format::Brat)?)
            } else {
                HashMap::new()
            };
            let labels = parse_entities(&text)
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let colour = colours.get(&t).copied().unwrap_or_else(|| {
                        Rgb(super::PALETTE
                            .get(i % super::PALETTE.len())
                            .copied()
                            .unwrap_or([0x80; 3]))
                    });
                    let name = label_name(&t);
                    let defaults = crate::model::LabelSet::default();
                    let key = defaults
                        .by_name(&name)
                        .and_then(|id| defaults.get(id))
                        .and_then(|l| l.key);
                    Label {
                        key,
                        ..Label::new(name, colour)
                    }
                })
                .collect();
            return Ok(Scheme {
                labels,
                source: Some(conf.display().to_string()),
            });
        }
        if d == root {
            break;
        }
        at = d.parent();
    }
    Ok(Scheme::default())
}

/// The entity types of an `annotation.conf` (the `[entities]` section; nesting by
/// indentation and `!` for abstract types, as brat allows).
fn parse_entities(conf: &str) -> Vec<String> {
    let mut section = "";
    let mut out = Vec::new();
    for line in conf.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = if name.trim() == "entities" {
                "entities"
            } else {
                "other"
            };
            continue;
        }
        if section != "entities" || line.starts_with('!') || line.starts_with('<') {
            continue;
        }
        if let Some(t) = line.split_whitespace().next() {
            out.push(t.to_owned());
        }
    }
    out
}

/// `bgColor` of each type in a `visual.conf`'s `[drawing]` section (hex colours only).
fn parse_visual(conf: &str) -> HashMap<String, Rgb> {
    let mut section = "";
    let mut out = HashMap::new();
    for line in conf.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = if name.trim() == "drawing" {
                "drawing"
            } else {
                "other"
            };
            continue;
        }
        if section != "drawing" {
            continue;
        }
        let Some((t, rest)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        for setting in rest.split(',') {
            if let Some(v) = setting.trim().strip_prefix("bgColor:")
                && let Some(rgb) = Rgb::from_hex(v.trim())
            {
                out.insert(t.to_owned(), rgb);
            }
        }
    }
    out
}

/// A parsed `T` line before notes and attributes are attached.
struct Entity {
    id: String,
    line: usize,
    label: String,
    start: usize,
    end: usize,
    problem: Option<String>,
    gap: bool,
    note: Vec<String>,
    status: Option<Status>,
}

/// The spans of an `.ann` file, and how many lines of other kinds were skipped. `text` is
/// the document's raw text, to compare each span's stored text with.
#[expect(
    clippy::too_many_lines,
    reason = "one pass over the lines of an .ann file, one arm per kind of line"
)]
fn parse_ann(ann: &str, text: &str, path: &Path) -> Result<ParsedAnn, InteropError> {
    let malformed = |line: usize, message: String| {
        InteropError::malformed(Format::Brat, Some(line), message, path)
    };
    let chars: Vec<char> = if ann.is_empty() {
        Vec::new()
    } else {
        text.chars().collect()
    };
    let mut entities: Vec<Entity> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut skipped = 0;
    // Notes and attributes may come before the entity they point at; keep them for later.
    let mut pending: Vec<(usize, String, String, bool)> = Vec::new();
    for (i, line) in ann.split('\n').enumerate() {
        let n = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = if i == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let id = fields.next().unwrap_or_default();
        let middle = fields.next();
        let rest = fields.next();
        match id.chars().next() {
            Some('T') => {
                let Some(middle) = middle else {
                    return Err(malformed(
                        n,
                        format!("{id} has no type and offsets (fields are separated by tabs)"),
                    ));
                };
                let Some((type_name, offsets)) = middle.split_once(' ') else {
                    return Err(malformed(
                        n,
                        format!("{id} has no offsets after its type \"{middle}\""),
                    ));
                };
                let mut frags = Vec::new();
                for frag in offsets.split(';') {
                    let mut nums = frag.split_whitespace().map(str::parse::<usize>);
                    match (nums.next(), nums.next(), nums.next()) {
                        (Some(Ok(a)), Some(Ok(b)), None) => frags.push((a, b)),
                        _ => {
                            return Err(malformed(
                                n,
                                format!(
                                    "{id} has offsets \"{offsets}\"; expected \"START END\" pairs separated by ;"
                                ),
                            ));
                        }
                    }
                }
                let start = frags.iter().map(|f| f.0).min().unwrap_or(0);
                let end = frags.iter().map(|f| f.1).max().unwrap_or(0);
                let stored = rest.unwrap_or_default().to_owned();
                let mut problem = None;
                let mut gap = false;
                if frags.iter().all(|&(a, b)| a <= b && b <= chars.len()) {
                    let expected: Vec<String> = frags
                        .iter()
                        .map(|&(a, b)| {
                            flatten(
                                &chars
                                    .get(a..b)
                                    .unwrap_or_default()
                                    .iter()
                                    .collect::<String>(),
                            )
                        })
                        .collect();
                    let expected = expected.join(" ");
                    if flatten(&stored) != expected {
                        problem = Some(format!(
                            "its stored text \"{}\" does not match the text at its offsets \"{}\"",
                            crate::model::text::excerpt(&stored, 40),
                            crate::model::text::excerpt(&expected, 40)
                        ));
                    }
                    let mut sorted = frags.clone();
                    sorted.sort_unstable();
                    gap = sorted.windows(2).any(|w| match w {
                        [x, y] => chars
                            .get(x.1..y.0.max(x.1))
                            .is_some_and(|between| between.iter().any(|c| !c.is_whitespace())),
                        _ => false,
                    });
                }
                if by_id.contains_key(id) {
                    return Err(malformed(n, format!("{id} is defined twice")));
                }
                by_id.insert(id.to_owned(), entities.len());
                entities.push(Entity {
                    id: id.to_owned(),
                    line: n,
                    label: label_name(type_name),
                    start,
                    end,
                    problem,
                    gap,
                    note: Vec::new(),
                    status: None,
                });
            }
            Some('A' | 'M') => {
                let Some(middle) = middle else {
                    return Err(malformed(
                        n,
                        format!("{id} has no attribute name and target"),
                    ));
                };
                let mut parts = middle.split_whitespace();
                let (Some(name), Some(target)) = (parts.next(), parts.next()) else {
                    return Err(malformed(
                        n,
                        format!("{id}: expected \"NAME TARGET\", found \"{middle}\""),
                    ));
                };
                pending.push((n, target.to_owned(), name.to_owned(), true));
            }
            Some('#') => {
                let Some(middle) = middle else {
                    return Err(malformed(n, format!("{id} has no target")));
                };
                let mut parts = middle.split_whitespace();
                let (Some(_kind), Some(target)) = (parts.next(), parts.next()) else {
                    return Err(malformed(
                        n,
                        format!(
                            "note {id}: expected \"AnnotatorNotes TARGET\", found \"{middle}\""
                        ),
                    ));
                };
                pending.push((
                    n,
                    target.to_owned(),
                    rest.unwrap_or_default().to_owned(),
                    false,
                ));
            }
            Some('R' | 'E' | 'N' | '*') => skipped += 1,
            _ => {
                return Err(malformed(
                    n,
                    format!(
                        "\"{}\" is not an annotation line (T, A, M, #, R, E, N or * expected)",
                        crate::model::text::excerpt(line, 30)
                    ),
                ));
            }
        }
    }
    let mut problems = Vec::new();
    let file = path.display();
    for (n, target, value, attribute) in pending {
        let Some(entity) = by_id.get(&target).and_then(|&i| entities.get_mut(i)) else {
            problems.push(format!(
                "{file}: line {n} points at {target}, which is not a text span; ignored"
            ));
            continue;
        };
        if attribute {
            match Status::from_name(&value).filter(|s| STATUS_ATTRIBUTES.contains(s)) {
                Some(status) => entity.status = Some(status),
                None => problems.push(format!(
                    "{file}: line {n}: attribute \"{value}\" of {target} is not a spanmark status; ignored"
                )),
            }
        } else {
            entity.note.push(value);
        }
    }
    let mut spans = Vec::with_capacity(entities.len());
    for e in entities {
        let item = format!("line {} ({})", e.line, e.id);
        if e.gap && e.problem.is_none() {
            problems.push(format!(
                "{file}: {item}: its fragments have text between them; imported as one span covering both"
            ));
        }
        spans.push(RawSpan {
            id: None,
            item,
            start: RawOffset::Chars(e.start),
            end: RawOffset::Chars(e.end),
            label: e.label,
            note: e.note.join("\n"),
            status: e.status.unwrap_or(Status::Confirmed),
            stored_text: None,
            problem: e.problem,
        });
    }
    Ok(ParsedAnn {
        spans,
        problems,
        skipped,
    })
}

/// What an `.ann` file holds for spanmark.
struct ParsedAnn {
    spans: Vec<RawSpan>,
    /// Lines that were ignored, with why, naming the file and line.
    problems: Vec<String>,
    /// Lines of annotation kinds spanmark does not keep (relations, events, …).
    skipped: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_brat_safe_and_read_back_to_the_label() {
        for name in [
            "Claim",
            "My label",
            "snake_case",
            "_",
            "__",
            "_41_",
            "東京 🙂",
            "a-b",
            "x\ty\nz",
            "100%",
        ] {
            let t = type_name(name);
            assert!(
                t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                "{t}"
            );
            assert_eq!(label_name(&t), name, "{t}");
        }
        assert_eq!(type_name("My label"), "My_20_label");
        // A type name from another tool reads as itself.
        assert_eq!(label_name("Organization"), "Organization");
        assert_eq!(label_name("odd_name"), "odd_name");
    }

    #[test]
    fn flattening_keeps_the_length_brat_checks() {
        let note = "a\nb\tc\u{2028}d\r\u{85}e";
        let flat = flatten(note);
        assert_eq!(flat, "a b c d  e");
        assert_eq!(flat.chars().count(), note.chars().count());
    }

    #[test]
    fn configs_give_types_and_colours() {
        let conf = "# c\n[entities]\nClaim\n\tSub_20_type\n!Abstract\n[relations]\n<OVERLAP>\tArg1:<ENTITY>\n[attributes]\nNeedsReview\tArg:<ENTITY>\n";
        assert_eq!(parse_entities(conf), ["Claim", "Sub_20_type"]);
        let visual = "[labels]\nClaim | Claim\n[drawing]\nClaim\tfgColor:black, bgColor:#e8911e\nQuote\tbgColor:lightgreen\n";
        let colours = parse_visual(visual);
        assert_eq!(colours.get("Claim"), Some(&Rgb([0xE8, 0x91, 0x1E])));
        assert_eq!(colours.get("Quote"), None, "named colours are not read");
    }
}
