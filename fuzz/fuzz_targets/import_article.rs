//! Fuzz target: arbitrary bytes as an article file. Import must return an article or an
//! error, never panic; an imported article's paragraphs and offsets must be consistent.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spanmark::model::{CharOffset, CharRange};

fuzz_target!(|data: &[u8]| {
    let Ok(article) = spanmark::format::article_from_bytes("fuzz", None, data) else {
        return;
    };
    let len = article.char_len();
    assert_eq!(len, article.text().chars().count());
    assert!(!article.text().contains('\r'));
    let mut covered = 0;
    for i in 0..article.paragraph_count() {
        let Some(p) = article.paragraph(i) else {
            panic!("paragraph {i} missing");
        };
        assert!(article.slice(p.chars).is_some());
        assert_eq!(article.paragraph_of(p.chars.start), i);
        covered += p.chars.len();
    }
    assert!(covered <= len);
    let mid = CharOffset(len / 2);
    let word = article.word_at(mid);
    assert!(word.end.0 <= len);
    let full = CharRange::new(0, len).unwrap_or_default();
    let trimmed = article.trim_range(full);
    assert!(trimmed.start.0 <= trimmed.end.0 && trimmed.end.0 <= len);
});
