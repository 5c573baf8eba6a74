//! Article import: bytes from a file to a normalised [`Article`].
//!
//! Refuses, with the reason and the file's path, anything that is not an article a person
//! would want to annotate: invalid UTF-8 (naming the first bad byte), empty or
//! whitespace-only text, binary data (a NUL byte), or a file over [`MAX_ARTICLE_BYTES`].

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::model::Article;

/// Largest article file spanmark opens: 64 MiB.
pub const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

/// Why an article could not be imported. Each message ends with the file's path.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("could not read the article ({source}): {}", path.display())]
    Io {
        /// The OS error.
        source: std::io::Error,
        /// The file.
        path: PathBuf,
    },
    /// The bytes are not UTF-8.
    #[error("the article is not valid UTF-8 text (first bad byte at offset {byte_offset}); convert it to UTF-8 and open it again: {}", path.display())]
    NotUtf8 {
        /// Offset of the first byte that is not part of valid UTF-8.
        byte_offset: usize,
        /// The file.
        path: PathBuf,
    },
    /// Nothing (or only whitespace) to annotate.
    #[error("the article is empty: {}", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A NUL byte: this is a binary file, not text.
    #[error("the file looks binary, not text (NUL byte at offset {byte_offset}): {}", path.display())]
    Binary {
        /// Offset of the first NUL byte.
        byte_offset: usize,
        /// The file.
        path: PathBuf,
    },
    /// Over the size limit.
    #[error("the article is too large ({size} bytes; the limit is {limit} bytes): {}", path.display())]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// The file.
        path: PathBuf,
    },
}

/// Read at most `limit` bytes of `path`, refusing a larger file before reading it whole.
pub(crate) fn read_capped(
    path: &Path,
    limit: u64,
) -> Result<Vec<u8>, (std::io::Error, Option<u64>)> {
    let file = std::fs::File::open(path).map_err(|e| (e, None))?;
    let size = file.metadata().map_err(|e| (e, None))?.len();
    read_capped_from(file, size, limit)
}

/// Read at most `limit` bytes from `reader`, whose size is said to be `size`: a reader over
/// the limit is refused before a byte of it is read.
fn read_capped_from(
    reader: impl Read,
    size: u64,
    limit: u64,
) -> Result<Vec<u8>, (std::io::Error, Option<u64>)> {
    if size > limit {
        return Err((std::io::Error::other("too large"), Some(size)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` guards against a file that grows while it is read.
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| (e, None))?;
    if bytes.len() as u64 > limit {
        return Err((std::io::Error::other("too large"), Some(bytes.len() as u64)));
    }
    Ok(bytes)
}

/// Import the article file at `path`; its name is the file stem.
pub fn import_article(path: &Path) -> Result<Article, ImportError> {
    let bytes = read_article_bytes(path)?;
    let name = path.file_stem().map_or_else(
        || "article".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    article_from_bytes(&name, Some(path), &bytes)
}

/// The bytes of the article file at `path`, refused past [`MAX_ARTICLE_BYTES`] before it is
/// read.
pub fn read_article_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    read_capped(path, MAX_ARTICLE_BYTES).map_err(|(source, size)| match size {
        Some(size) => ImportError::TooLarge {
            size,
            limit: MAX_ARTICLE_BYTES,
            path: path.to_owned(),
        },
        None => ImportError::Io {
            source,
            path: path.to_owned(),
        },
    })
}

/// Build an article from raw bytes, checking them as [`import_article`] does.
pub fn article_from_bytes(
    name: &str,
    path: Option<&Path>,
    bytes: &[u8],
) -> Result<Article, ImportError> {
    let text = checked_text(path, bytes)?;
    Ok(Article::new(name, path.map(Path::to_owned), text))
}

/// The text of `bytes` when they are an article [`article_from_bytes`] accepts (not yet
/// normalised), without building the article: for code that only needs to check or
/// compare it (the corpus scan).
pub(crate) fn checked_text<'a>(
    path: Option<&Path>,
    bytes: &'a [u8],
) -> Result<&'a str, ImportError> {
    let path_buf = || path.map(Path::to_owned).unwrap_or_default();
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(ImportError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_ARTICLE_BYTES,
            path: path_buf(),
        });
    }
    if let Some(byte_offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ImportError::Binary {
            byte_offset,
            path: path_buf(),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 {
        byte_offset: e.valid_up_to(),
        path: path_buf(),
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(ImportError::Empty { path: path_buf() });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that fails the test if anything reads it.
    struct Untouchable;

    impl Read for Untouchable {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("the oversized file was read"))
        }
    }

    #[test]
    fn a_file_over_the_cap_is_refused_before_a_byte_is_read() {
        let err = read_capped_from(Untouchable, 11, 10).err();
        assert!(matches!(err, Some((_, Some(11)))), "{err:?}");
        // At the limit, it is read (and here, the read fails).
        let err = read_capped_from(Untouchable, 10, 10).err();
        assert!(matches!(err, Some((_, None))), "{err:?}");
    }

    #[test]
    fn bom_and_crlf_are_normalised_on_import() {
        let a = article_from_bytes("a", None, b"\xEF\xBB\xBFone\r\ntwo\rthree")
            .map_err(|e| e.to_string());
        assert_eq!(
            a.map(|a| a.text().to_owned()),
            Ok("one\ntwo\nthree".to_owned())
        );
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let err = article_from_bytes("a", Some(Path::new("/x/a.txt")), b"caf\xE9 au lait").err();
        assert!(
            matches!(err, Some(ImportError::NotUtf8 { byte_offset: 3, .. })),
            "{err:?}"
        );
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            msg.contains("offset 3") && msg.ends_with("/x/a.txt"),
            "{msg}"
        );
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert!(matches!(
            article_from_bytes("a", None, b" \n\t "),
            Err(ImportError::Empty { .. })
        ));
        assert!(matches!(
            article_from_bytes("a", None, b"\xEF\xBB\xBF"),
            Err(ImportError::Empty { .. })
        ));
        assert!(matches!(
            article_from_bytes("a", None, b"PK\x03\x04\x00\x00"),
            Err(ImportError::Binary { byte_offset: 4, .. })
        ));
    }
}
