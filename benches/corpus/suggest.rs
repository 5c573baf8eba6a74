//! `suggest_corpus_s_10k`: `spanmark suggest DIR --out DIR2` on the generated corpus, as a
//! whole process of the release binary, three times (DIR2 emptied before each), median in
//! seconds. `SPANMARK_CORPUS_ONLY=suggest` measures only this.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Measure corpus-wide suggestions on `dir`; true when only this was asked for.
pub fn measure(dir: &Path, suffix: &str) -> super::Result<bool> {
    let exe = Path::new(env!("CARGO_BIN_EXE_spanmark"));
    let mut out_name = dir.file_name().unwrap_or_default().to_os_string();
    out_name.push("-suggested");
    let out = dir.with_file_name(out_name);
    let mut runs = Vec::new();
    for _ in 0..3 {
        fs::remove_dir_all(&out).ok();
        let t = Instant::now();
        let result = Command::new(exe)
            .args([
                "suggest".as_ref(),
                dir.as_os_str(),
                "--out".as_ref(),
                out.as_os_str(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .output()?;
        runs.push(t.elapsed().as_secs_f64());
        if !result.status.success() {
            return Err(format!("spanmark suggest exited with {}", result.status).into());
        }
        eprintln!("{}", String::from_utf8_lossy(&result.stdout).trim_end());
    }
    eprintln!("suggest_corpus runs (s): {runs:.1?}");
    let median = super::median(&mut runs);
    super::figure(&format!("suggest_corpus_s_{suffix}"), median, "s");
    fs::remove_dir_all(&out).ok();
    Ok(std::env::var("SPANMARK_CORPUS_ONLY").is_ok_and(|v| v == "suggest"))
}
