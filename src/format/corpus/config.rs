//! `corpus.ron`: the corpus's label scheme and settings, read leniently (a bad file never
//! stops a corpus from opening) and written canonically through the safe save; `init`.

use crate::format::project_file::{LabelV1, labels_from};
use crate::format::safe_write::write_atomic;
use crate::model::corpus::CorpusConfig;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{CORPUS_FILE, CORPUS_FORMAT, CorpusError, MAX_CONFIG_BYTES, scan};

#[derive(Serialize)]
pub(super) struct ConfigOut {
    format: u32,
    labels: Vec<LabelV1>,
    settings: SettingsV1,
}

#[derive(Deserialize)]
pub(super) struct ConfigIn {
    format: u32,
    labels: Vec<LabelV1>,
    #[serde(default)]
    settings: SettingsV1,
}

#[derive(Serialize, Deserialize)]
pub(super) struct SettingsV1 {
    #[serde(default = "yes")]
    save_on_switch: bool,
}

impl Default for SettingsV1 {
    fn default() -> Self {
        Self {
            save_on_switch: true,
        }
    }
}

pub(super) fn yes() -> bool {
    true
}

#[derive(Deserialize)]
pub(super) struct FormatProbe {
    format: u32,
}

/// What [`read_config`] found.
#[derive(Debug)]
pub struct ConfigRead {
    /// The settings to use: the file's, or the defaults when it is absent or unusable.
    pub config: CorpusConfig,
    /// `corpus.ron` exists.
    pub exists: bool,
    /// Why the file could not be used.
    pub problem: Option<CorpusError>,
}

/// The path of `corpus.ron` in `dir`.
#[must_use]
pub fn config_path(dir: &Path) -> PathBuf {
    dir.join(CORPUS_FILE)
}

/// Read `corpus.ron` in `dir` leniently: a missing file gives the defaults, an unusable one
/// the defaults and the problem, so the corpus opens anyway.
#[must_use]
pub fn read_config(dir: &Path) -> ConfigRead {
    match load_config(dir) {
        Ok(Some(config)) => ConfigRead {
            config,
            exists: true,
            problem: None,
        },
        Ok(None) => ConfigRead {
            config: CorpusConfig::default(),
            exists: false,
            problem: None,
        },
        Err(e) => ConfigRead {
            config: CorpusConfig::default(),
            exists: true,
            problem: Some(e),
        },
    }
}

/// Read `corpus.ron` in `dir` strictly: `None` when there is none.
pub fn load_config(dir: &Path) -> Result<Option<CorpusConfig>, CorpusError> {
    let path = config_path(dir);
    let bytes = match crate::format::import::read_capped(&path, MAX_CONFIG_BYTES) {
        Ok(bytes) => bytes,
        Err((e, None)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err((_, Some(size))) => {
            return Err(CorpusError::Config {
                problem: format!("it is too large ({size} bytes)"),
                path,
            });
        }
        Err((source, None)) => return Err(CorpusError::Io { source, path }),
    };
    let config_error = |problem: String| CorpusError::Config {
        problem,
        path: path.clone(),
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        config_error(format!(
            "not UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let file: ConfigIn = match ron::from_str(text) {
        Ok(file) => file,
        Err(e) => {
            if let Ok(probe) = ron::from_str::<FormatProbe>(text)
                && probe.format > CORPUS_FORMAT
            {
                return Err(CorpusError::NewerConfig {
                    found: probe.format,
                    supported: CORPUS_FORMAT,
                    path,
                });
            }
            return Err(config_error(format!(
                "syntax error at line {}, column {}: {}",
                e.span.start.line, e.span.start.col, e.code
            )));
        }
    };
    if file.format > CORPUS_FORMAT {
        return Err(CorpusError::NewerConfig {
            found: file.format,
            supported: CORPUS_FORMAT,
            path,
        });
    }
    if file.format == 0 {
        return Err(config_error(
            "format 0 does not exist; the first format is 1".to_owned(),
        ));
    }
    let labels = labels_from(file.labels).map_err(config_error)?;
    Ok(Some(CorpusConfig {
        labels,
        save_on_switch: file.settings.save_on_switch,
    }))
}

/// The canonical text of `corpus.ron` for `config`.
pub fn config_to_ron(config: &CorpusConfig) -> Result<String, ron::Error> {
    let file = ConfigOut {
        format: CORPUS_FORMAT,
        labels: config
            .labels
            .iter()
            .map(|(_, l)| LabelV1::from(l))
            .collect(),
        settings: SettingsV1 {
            save_on_switch: config.save_on_switch,
        },
    };
    let pretty = ron::ser::PrettyConfig::new()
        .new_line("\n")
        .indentor("  ")
        .escape_strings(false);
    let mut out = ron::ser::to_string_pretty(&file, pretty)?;
    out.push('\n');
    Ok(out)
}

/// Write `corpus.ron` in `dir` through the safe save (a `.bak` of the old one is kept).
pub fn write_config(dir: &Path, config: &CorpusConfig) -> Result<(), CorpusError> {
    let path = config_path(dir);
    let text = config_to_ron(config).map_err(|e| CorpusError::Config {
        problem: e.to_string(),
        path: path.clone(),
    })?;
    write_atomic(&path, text.as_bytes())?;
    Ok(())
}

/// What `spanmark init` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitReport {
    /// The `corpus.ron`.
    pub config: PathBuf,
    /// It was written now (false: it was there already and is unchanged).
    pub created: bool,
    /// Why the `corpus.ron` that was already there cannot be used, if it cannot.
    pub existing_problem: Option<String>,
    /// Documents the folder holds.
    pub documents: usize,
}

/// Make `dir` a corpus: write `corpus.ron` with the default label scheme when there is none.
/// Running it again changes nothing. The folder must exist.
pub fn init(dir: &Path) -> Result<InitReport, CorpusError> {
    let scan = scan(dir)?;
    let path = config_path(dir);
    let existing = fs::symlink_metadata(&path).is_ok();
    let existing_problem = if existing {
        load_config(dir).err().map(|e| e.to_string())
    } else {
        write_config(dir, &CorpusConfig::default())?;
        None
    };
    Ok(InitReport {
        config: path,
        created: !existing,
        existing_problem,
        documents: scan.docs.len(),
    })
}
