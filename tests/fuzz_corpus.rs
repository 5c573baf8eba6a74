//! Replays the fuzzing corpus (`tests/fuzz_corpus/<target>/`: hand-made seeds plus inputs
//! the fuzzers found interesting, crashes included) through both parsers of untrusted
//! bytes on every `cargo test`, with the same checks as the fuzz targets in `fuzz/`: no
//! panic, a loaded project saves and loads back equal, an imported article is consistent.

#![expect(
    clippy::panic,
    reason = "the replay reports the corpus entry that broke a check by panicking with its name"
)]

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use spanmark::format::{article_from_bytes, project_from_ron, project_to_ron};
use spanmark::model::{CharOffset, CharRange};

fn corpus() -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut files = Vec::new();
    for target in ["load_project", "import_article"] {
        for entry in fs::read_dir(root.join(target))? {
            files.push(entry?.path());
        }
    }
    files.sort();
    Ok(files)
}

/// The `load_project` target's checks. Returns whether the input loaded.
fn load_project(name: &Path, data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let Ok(loaded) = project_from_ron(text, Path::new("fuzz.ron")) else {
        return false;
    };
    let Ok(saved) = project_to_ron(&loaded.project) else {
        panic!("{}: a loaded project could not be saved", name.display());
    };
    match project_from_ron(&saved, Path::new("fuzz.ron")) {
        Ok(again) => {
            assert!(
                again.warnings.is_empty(),
                "{}: {:?}",
                name.display(),
                again.warnings
            );
            assert!(
                again.project == loaded.project,
                "{}: the round trip changed it",
                name.display()
            );
        }
        Err(e) => panic!("{}: a saved project does not load: {e}", name.display()),
    }
    true
}

/// The `import_article` target's checks. Returns whether the input imported.
fn import_article(name: &Path, data: &[u8]) -> bool {
    let Ok(article) = article_from_bytes("fuzz", None, data) else {
        return false;
    };
    let len = article.char_len();
    assert_eq!(len, article.text().chars().count(), "{}", name.display());
    assert!(!article.text().contains('\r'), "{}", name.display());
    for i in 0..article.paragraph_count() {
        let Some(p) = article.paragraph(i) else {
            panic!("{}: paragraph {i} missing", name.display());
        };
        assert!(article.slice(p.chars).is_some(), "{}", name.display());
        assert_eq!(
            article.paragraph_of(p.chars.start()),
            i,
            "{}",
            name.display()
        );
    }
    let word = article.word_at(CharOffset(len / 2));
    assert!(word.end().0 <= len, "{}", name.display());
    let trimmed = article.trim_range(CharRange::new(0, len).unwrap_or_default());
    assert!(trimmed.end().0 <= len, "{}", name.display());
    true
}

#[test]
fn every_corpus_input_goes_through_both_parsers_without_a_panic() -> Result<(), Box<dyn Error>> {
    let files = corpus()?;
    assert!(
        files.len() >= 40,
        "the corpus is missing: {} files",
        files.len()
    );
    let (mut loaded, mut imported) = (0, 0);
    for file in &files {
        let data = fs::read(file)?;
        loaded += usize::from(load_project(file, &data));
        imported += usize::from(import_article(file, &data));
    }
    // Both parsers must have accepted some inputs, or the checks above checked nothing.
    assert!(
        loaded >= 5 && imported >= 10,
        "loaded {loaded}, imported {imported}"
    );
    Ok(())
}
