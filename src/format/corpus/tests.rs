//! Tests of the corpus on disk: scanning (hidden folders, links, loops, unreadable
//! entries), summaries, the cache, `corpus.ron`, the search index and renaming a label.

use std::error::Error;
use std::fs;
use std::path::Path;

use super::*;
use crate::format::write_project;
use crate::model::corpus::DocState;
use crate::model::notation;
use crate::model::{Label, LabelSet};

type TestResult = Result<(), Box<dyn Error>>;

/// Write `notation` as an article `rel.txt` (when `article`) and its project `rel.ron`.
fn document(root: &Path, rel: &str, text: &str, article: bool) -> TestResult {
    let project = notation::parse(text)?;
    let ron = root.join(format!("{rel}.ron"));
    if let Some(parent) = ron.parent() {
        fs::create_dir_all(parent)?;
    }
    write_project(&ron, &project)?;
    fs::remove_file(crate::format::safe_write::backup_path(&ron)).ok();
    if article {
        fs::write(root.join(format!("{rel}.txt")), project.article().text())?;
    }
    Ok(())
}

fn article(root: &Path, rel: &str, text: &str) -> TestResult {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)?;
    Ok(())
}

fn rels(scan: &Scan) -> Vec<&str> {
    scan.docs.iter().map(|d| d.rel.as_str()).collect()
}

/// Every file under `dir` with its bytes, to show that nothing changed.
/// Every file's path and bytes.
type Files = Vec<(PathBuf, Vec<u8>)>;

fn snapshot(dir: &Path) -> Result<Files, Box<dyn Error>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d)? {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                out.push((e.path(), fs::read(e.path())?));
            }
        }
    }
    out.sort();
    Ok(out)
}

#[test]
fn scan_pairs_articles_with_projects_and_keeps_lone_projects() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    document(root, "desk-3/a", "[Claim:Putin] said", true)?;
    article(root, "desk-3/b.txt", "Not started yet.")?;
    document(root, "old/c", "[Quote:lone] project", false)?;
    article(root, "notes.md", "not an article")?;
    fs::write(root.join(CORPUS_FILE), "not a project")?;
    let scan = scan(root)?;
    assert_eq!(rels(&scan), ["desk-3/a.txt", "desk-3/b.txt", "old/c.ron"]);
    let a = scan.docs.first().ok_or("no a")?;
    assert!(a.project_exists && a.article.is_some());
    assert_eq!(a.project, root.join("desk-3/a.ron"));
    assert_eq!(a.project_rel(), "desk-3/a.ron");
    let b = scan.docs.get(1).ok_or("no b")?;
    assert!(!b.project_exists);
    assert_eq!(
        b.project,
        root.join("desk-3/b.ron"),
        "where it will be made"
    );
    let c = scan.docs.get(2).ok_or("no c")?;
    assert!(c.article.is_none() && c.project_exists);
    assert_eq!(c.project_rel(), "old/c.ron");
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    Ok(())
}

#[test]
fn scan_skips_hidden_folders_and_files() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    article(root, ".git/x.txt", "hidden")?;
    article(root, "a/.drafts/y.txt", "hidden")?;
    article(root, "a/.z.txt", "hidden")?;
    article(root, ".spanmark/w.txt", "cache folder")?;
    article(root, "a/shown.txt", "shown")?;
    assert_eq!(rels(&scan(root)?), ["a/shown.txt"]);
    Ok(())
}

#[cfg(unix)]
#[test]
fn scan_follows_a_linked_folder_once_and_never_loops() -> TestResult {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir()?;
    let outside = tempfile::tempdir()?;
    let root = dir.path().join("corpus");
    article(&root, "a/one.txt", "one")?;
    article(outside.path(), "ext/two.txt", "two")?;
    // A link back to a parent (a loop), a second link to the same outside folder, and a
    // link to a folder inside the corpus.
    symlink(&root, root.join("a/loop"))?;
    symlink(outside.path().join("ext"), root.join("linked"))?;
    symlink(outside.path().join("ext"), root.join("linked-again"))?;
    symlink(root.join("a"), root.join("z-alias"))?;
    let scan = scan(&root)?;
    let found = rels(&scan);
    assert_eq!(
        found.iter().filter(|r| r.ends_with("one.txt")).count(),
        1,
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|r| r.ends_with("two.txt")).count(),
        1,
        "{found:?}"
    );
    assert!(
        found.contains(&"a/one.txt"),
        "the real path is kept: {found:?}"
    );
    assert_eq!(scan.problems.len(), 3, "{:?}", scan.problems);
    assert!(
        scan.problems
            .iter()
            .all(|p| p.problem.contains("already scanned"))
    );
    Ok(())
}

#[cfg(unix)]
#[test]
fn scan_reports_what_it_cannot_read_and_goes_on() -> TestResult {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    article(root, "good.txt", "fine")?;
    // A .ron that is a folder, a dangling link named like an article, and a pipe (which
    // must never be opened: reading it would block).
    article(root, "a.txt", "its project is a folder")?;
    fs::create_dir(root.join("a.ron"))?;
    symlink(root.join("missing.txt"), root.join("dangling.txt"))?;
    let status = std::process::Command::new("mkfifo")
        .arg(root.join("pipe.txt"))
        .status()?;
    assert!(status.success());
    let before = snapshot(root)?;
    let corpus = open(
        root,
        OpenOptions {
            read_cache: true,
            write_cache: false,
        },
    )?;
    assert_eq!(snapshot(root)?, before, "scanning changed nothing on disk");
    let paths: Vec<&str> = corpus.docs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["a.txt", "good.txt"]);
    let a = corpus.docs.first().ok_or("no a")?;
    assert!(
        a.problem
            .as_deref()
            .is_some_and(|p| p.contains("a.ron is not a file")),
        "{a:?}"
    );
    let skipped: Vec<String> = corpus.problems.iter().map(ToString::to_string).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .any(|p| p.contains("dangling.txt") && p.contains("link"))
    );
    assert!(
        skipped
            .iter()
            .any(|p| p.contains("pipe.txt") && p.contains("not a regular file"))
    );
    Ok(())
}

#[test]
fn summaries_report_broken_projects_changed_articles_and_bad_text() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    document(root, "ok", "[Claim:Putin] said [Quote?:maybe]", true)?;
    document(root, "changed", "[Claim:Putin] said", true)?;
    fs::write(root.join("changed.txt"), "Putin said more")?;
    article(root, "broken.txt", "an article")?;
    fs::write(root.join("broken.ron"), "(format: 1, labels: [")?;
    fs::write(root.join("binary.txt"), b"\xff\xfe not utf-8")?;
    let corpus = open(
        root,
        OpenOptions {
            read_cache: false,
            write_cache: false,
        },
    )?;
    let doc = |p: &str| {
        corpus
            .docs
            .iter()
            .find(|d| d.path == p)
            .ok_or(format!("no {p}"))
    };
    let ok = doc("ok.txt")?;
    assert_eq!(
        (
            ok.state,
            ok.annotations(),
            ok.suggested(),
            ok.problem.as_deref()
        ),
        (DocState::InProgress, 1, 1, None)
    );
    assert!(
        doc("changed.txt")?
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("re-anchored"))
    );
    let broken = doc("broken.txt")?;
    assert!(
        broken.has_project
            && broken
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("broken.ron")),
        "{broken:?}"
    );
    assert_eq!(broken.chars, 10, "the article is still measured");
    assert!(
        doc("binary.txt")?
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("UTF-8"))
    );
    assert!(!root.join(CACHE_DIR).exists());
    Ok(())
}

#[test]
fn the_cache_makes_a_warm_open_reread_only_changed_files() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    for i in 0..5 {
        document(root, &format!("d/{i}"), "[Claim:Putin] said", true)?;
    }
    let cold = open(root, OpenOptions::default())?;
    assert_eq!(
        (cold.cache.reused, cold.cache.read, cold.cache.written),
        (0, 5, true)
    );
    assert_eq!(
        fs::read_to_string(root.join(".spanmark/.gitignore"))?
            .lines()
            .last(),
        Some("*")
    );
    let warm = open(root, OpenOptions::default())?;
    assert_eq!(
        (warm.cache.reused, warm.cache.read, warm.cache.written),
        (5, 0, false)
    );
    assert_eq!(warm.docs, cold.docs);
    // Another program changes one project (a different size, so the stamp differs even on
    // a coarse clock).
    document(root, "d/3", "[Claim:Putin] [Quote:said]", true)?;
    let after = open(root, OpenOptions::default())?;
    assert_eq!((after.cache.reused, after.cache.read), (4, 1));
    assert_eq!(after.docs.get(3).map(DocSummary::annotations), Some(2));
    // Deleting the cache loses nothing.
    fs::remove_dir_all(root.join(CACHE_DIR))?;
    let rebuilt = open(root, OpenOptions::default())?;
    assert_eq!(rebuilt.docs, after.docs);
    // A damaged cache is rebuilt, with a note.
    fs::write(root.join(CACHE_DIR).join(CACHE_FILE), "{ not json")?;
    let repaired = open(root, OpenOptions::default())?;
    assert_eq!(repaired.docs, after.docs);
    assert!(
        repaired
            .cache
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("damaged"))
    );
    assert!(repaired.cache.written);
    Ok(())
}

#[test]
fn refresh_reads_one_document_again() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    article(root, "a.txt", "Putin said")?;
    let mut corpus = open(
        root,
        OpenOptions {
            read_cache: false,
            write_cache: false,
        },
    )?;
    assert_eq!(
        corpus.docs.first().map(|d| d.state),
        Some(DocState::NotStarted)
    );
    document(root, "a", "[Claim:Putin] said", true)?;
    let i = corpus.position("a.txt").ok_or("no a")?;
    assert_eq!(corpus.position("a.ron"), Some(i));
    corpus.refresh(i);
    let a = corpus.docs.get(i).ok_or("no a")?;
    assert_eq!((a.state, a.has_project), (DocState::InProgress, true));
    Ok(())
}

#[test]
fn an_empty_folder_opens_with_an_explanation() -> TestResult {
    let dir = tempfile::tempdir()?;
    let corpus = open(dir.path(), OpenOptions::default())?;
    assert!(
        corpus
            .empty_explanation()
            .is_some_and(|e| e.contains(".txt"))
    );
    assert!(matches!(
        open(&dir.path().join("nope"), OpenOptions::default()),
        Err(CorpusError::NotAFolder { .. })
    ));
    Ok(())
}

#[test]
fn init_writes_corpus_ron_once() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    article(root, "a.txt", "text")?;
    let first = init(root)?;
    assert!(first.created && first.documents == 1 && first.existing_problem.is_none());
    let bytes = fs::read(root.join(CORPUS_FILE))?;
    let second = init(root)?;
    assert!(!second.created);
    assert_eq!(fs::read(root.join(CORPUS_FILE))?, bytes);
    let config = load_config(root)?.ok_or("no config")?;
    assert_eq!(config, CorpusConfig::default());
    assert!(
        !root.join(CACHE_DIR).exists(),
        "init writes only corpus.ron"
    );
    Ok(())
}

#[test]
fn corpus_ron_round_trips_labels_and_settings() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut rumour = Label::new("Rumour", crate::model::Rgb([1, 2, 3]));
    rumour.key = Some('4');
    rumour.description = "said \"to be\"\nunconfirmed".to_owned();
    let (labels, _) = LabelSet::default().with_added(rumour)?;
    let config = CorpusConfig {
        labels,
        save_on_switch: false,
    };
    write_config(dir.path(), &config)?;
    assert_eq!(load_config(dir.path())?, Some(config.clone()));
    let text = fs::read_to_string(config_path(dir.path()))?;
    assert!(
        text.contains("save_on_switch: false") && text.contains("format: 1"),
        "{text}"
    );
    assert_eq!(config_to_ron(&config)?, text, "canonical");
    Ok(())
}

#[test]
fn a_malformed_or_newer_corpus_ron_opens_with_the_default_scheme() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    article(root, "a.txt", "text")?;
    fs::write(config_path(root), "(format: 1, labels: [(name: \"X\"")?;
    let corpus = open(root, OpenOptions::default())?;
    assert!(corpus.has_config);
    assert_eq!(corpus.config, CorpusConfig::default());
    assert!(
        corpus
            .config_problem
            .as_deref()
            .is_some_and(|p| p.contains("syntax error") && p.contains("corpus.ron"))
    );
    assert_eq!(corpus.docs.len(), 1);
    fs::write(
        config_path(root),
        "(format: 7, labels: [], whatever: (new: 1))",
    )?;
    assert!(matches!(
        load_config(root),
        Err(CorpusError::NewerConfig { found: 7, .. })
    ));
    let corpus = open(root, OpenOptions::default())?;
    assert!(
        corpus
            .config_problem
            .as_deref()
            .is_some_and(|p| p.contains("format 7"))
    );
    let report = init(root)?;
    assert!(!report.created && report.existing_problem.is_some());
    assert!(
        fs::read_to_string(config_path(root))?.contains("format: 7"),
        "never overwritten"
    );
    fs::write(
        config_path(root),
        "(format: 1, labels: [(name: \"A\", color: \"red\")])",
    )?;
    assert!(matches!(load_config(root), Err(CorpusError::Config { .. })));
    fs::write(
        config_path(root),
        "(format: 1, labels: [(name: \"A\", color: \"#FF0000\")])",
    )?;
    let config = load_config(root)?.ok_or("no config")?;
    assert!(config.save_on_switch, "settings default");
    Ok(())
}

#[test]
fn map_projects_loads_every_project_in_order() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    for i in 0..20 {
        document(root, &format!("{i:02}"), "[Claim:Putin] said", true)?;
    }
    article(root, "zz.txt", "no project")?;
    fs::write(root.join("bad.ron"), "nonsense")?;
    let scan = scan(root)?;
    let names: Vec<(String, bool)> =
        map_projects(&scan.docs, |d, loaded| (d.rel.clone(), loaded.is_ok()));
    assert_eq!(names.len(), 21);
    assert_eq!(names.first(), Some(&("00.txt".to_owned(), true)));
    assert_eq!(names.iter().filter(|(_, ok)| !ok).count(), 1);
    Ok(())
}

#[test]
fn the_index_lines_up_with_the_documents() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    document(root, "a", "[Claim:Putin] rejected the offer", true)?;
    article(root, "b.txt", "The offer stood.")?;
    fs::write(root.join("c.ron"), "broken")?;
    let corpus = open(
        root,
        OpenOptions {
            read_cache: false,
            write_cache: false,
        },
    )?;
    let (index, problems) = build_index(&corpus.files);
    assert_eq!(index.len(), corpus.docs.len());
    assert_eq!(problems.len(), 1);
    let hits = index.search("OFFER", 10);
    let found: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| {
            (
                corpus.docs.get(h.doc).map_or("", |d| d.path.as_str()),
                &*h.path,
            )
        })
        .collect();
    assert_eq!(found, [("a.txt", "a.txt"), ("b.txt", "b.txt")]);
    Ok(())
}

#[test]
fn rename_label_changes_every_project_that_can_be_changed() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    init(root)?;
    document(root, "a", "[Claim:Putin] [Claim:said] [Quote:it]", true)?;
    document(root, "sub/b", "[Claim:One] claim", true)?;
    document(root, "c", "[Quote:no] claims", true)?;
    document(root, "d", "[Claim:both] [Rumour:labels]", true)?;
    let d_before = fs::read(root.join("d.ron"))?;
    // d.ron has both labels: renaming Claim to Rumour there would merge two labels.
    fs::write(root.join("e.ron"), "broken")?;
    let report = rename_label(root, "Claim", "Rumour")?;
    let changed: Vec<(String, usize)> = report
        .changed
        .iter()
        .map(|(p, n)| {
            (
                p.strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned(),
                *n,
            )
        })
        .collect();
    let mut changed = changed;
    changed.sort();
    // c.ron has the label in its set, without spans: its set is renamed too.
    assert_eq!(
        changed,
        [
            ("a.ron".to_owned(), 2),
            ("c.ron".to_owned(), 0),
            ("sub/b.ron".to_owned(), 1)
        ]
    );
    assert_eq!(report.untouched, 0);
    assert_eq!(report.failed.len(), 2, "{:?}", report.failed);
    assert!(
        report
            .failed
            .iter()
            .any(|(p, e)| p.ends_with("d.ron") && e.contains("already has"))
    );
    assert!(report.scheme_changed);
    assert_eq!(fs::read(root.join("d.ron"))?, d_before, "unchanged on disk");
    let a = read_project(&root.join("a.ron"))?.project;
    assert_eq!(
        a.labels()
            .iter()
            .map(|(_, l)| l.name.as_str())
            .collect::<Vec<_>>(),
        ["Rumour", "Quote", "Disclaimer"]
    );
    assert_eq!(a.spans().len(), 3);
    let scheme = load_config(root)?.ok_or("no config")?;
    assert!(scheme.labels.by_name("Rumour").is_some() && scheme.labels.by_name("Claim").is_none());
    assert!(matches!(
        rename_label(root, "Quote", " "),
        Err(CorpusError::BadRename { .. })
    ));
    assert!(matches!(
        rename_label(root, "Quote", "Quote"),
        Err(CorpusError::BadRename { .. })
    ));
    Ok(())
}

#[test]
fn rename_label_leaves_projects_without_the_label_untouched() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    document(root, "a", "[Claim:Putin] said", true)?;
    let path = root.join("a.ron");
    let before = fs::read(&path)?;
    let report = rename_label_in(std::slice::from_ref(&path), "Rumour", "Gossip");
    assert_eq!(
        (report.changed.len(), report.untouched, report.failed.len()),
        (0, 1, 0)
    );
    assert_eq!(fs::read(&path)?, before);
    assert!(
        !crate::format::safe_write::backup_path(&path).exists(),
        "nothing was saved"
    );
    Ok(())
}

#[test]
fn extensions_match_without_regard_to_case() -> TestResult {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    document(root, "x", "[Claim:Putin] said", false)?;
    fs::rename(root.join("x.ron"), root.join("A.RON"))?;
    article(root, "A.TXT", "Putin said")?;
    article(root, "b.Txt", "Not started")?;
    let scan = scan(root)?;
    let found: Vec<(&str, &str, bool)> = scan
        .docs
        .iter()
        .map(|d| (d.rel.as_str(), d.project_rel(), d.project_exists))
        .collect();
    assert_eq!(found, [("A.TXT", "A.RON", true), ("b.Txt", "b.ron", false)]);
    Ok(())
}
