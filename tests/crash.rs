//! Promise 1, "a crash never costs the saved file": `spanmark fmt` is killed with SIGKILL at
//! random moments, hundreds of times, while it rewrites a project. After every kill the file
//! must load and be byte-for-byte either the old file or the new one, the `.bak` (if any)
//! must load too, and temporary files of dead writers must not pile up.
//!
//! `Child::kill` sends SIGKILL on Unix, so no `libc` is needed. The test is bounded to about
//! 20 seconds and prints how many kills it made (`cargo test --test crash -- --nocapture`).

#![cfg(unix)]

use std::error::Error;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use spanmark::format::safe_write::backup_path;
use spanmark::format::{project_from_ron, project_to_ron, read_project};
use spanmark::model::{Article, CharRange, LabelId, LabelSet, Project, Span, SpanId, Status};

type TestResult = Result<(), Box<dyn Error>>;

/// How many kills to aim for, and the time budget for them.
const KILLS: usize = 200;
const BUDGET: Duration = Duration::from_secs(20);

/// A small deterministic generator (xorshift64*), so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// A project of roughly `paragraphs` × 100 chars with a span on every paragraph.
fn project(paragraphs: usize, seed: usize) -> Result<Project, Box<dyn Error>> {
    let line = "Zelensky said \"we will not give up\" 🇺🇦, and Putin rejected the offer in Alaska.";
    let mut text = String::new();
    for i in 0..paragraphs {
        text.push_str(&i.to_string());
        text.push(' ');
        text.push_str(line);
        text.push(' ');
        text.push_str(&seed.to_string());
        text.push('\n');
    }
    let mut p = Project::new(Article::new("crash", None, &text), LabelSet::default());
    let mut at = 0;
    for (i, l) in text.lines().enumerate() {
        let len = l.chars().count();
        let range = CharRange::new(at, at + len).ok_or("range")?;
        p.insert_span(Span {
            id: SpanId(i as u64),
            range,
            label: LabelId((i % 3) as u16),
            note: format!("note {i} \"#\n{seed}"),
            status: Status::Confirmed,
        })?;
        at += len + 1;
    }
    Ok(p)
}

fn temp_files(dir: &Path) -> Result<Vec<String>, std::io::Error> {
    Ok(fs::read_dir(dir)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect())
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one scenario: spawn, kill at random moments, check every leftover"
)]
fn fmt_killed_at_random_moments_never_leaves_a_broken_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("p.ron");
    // Two projects of different sizes, alternated, so that consecutive saves differ.
    let projects = [project(3000, 1)?, project(4500, 2)?];
    let canonical: Vec<String> = projects
        .iter()
        .map(project_to_ron)
        .collect::<Result<_, _>>()?;
    let bin = env!("CARGO_BIN_EXE_spanmark");
    let run = |path: &Path| {
        Command::new(bin)
            .arg("fmt")
            .arg(path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
    };

    // Time uninterrupted runs, to spread the kills over the whole of a save. The fastest of
    // three is the estimate: on a busy machine a slow outlier would put most kills after
    // the run has already finished.
    let old = format!("// hand-edited\n{}", canonical.first().ok_or("no project")?);
    let mut full_run = Duration::MAX;
    for _ in 0..3 {
        fs::write(&path, &old)?;
        let started = Instant::now();
        let status = run(&path)?.wait()?;
        full_run = full_run.min(started.elapsed());
        assert!(status.success(), "an uninterrupted fmt failed");
    }
    assert_eq!(
        fs::read_to_string(&path)?,
        canonical.first().map_or("", String::as_str)
    );

    let seed = 0x5EED_u64 ^ u64::from(std::process::id());
    let mut rng = Rng(seed | 1);
    let (mut kills, mut found_old, mut found_new, mut finished) = (0, 0, 0, 0);
    let (mut max_temps, mut mid_save) = (0, 0);
    let started = Instant::now();
    let mut round = 0;
    while kills < KILLS && started.elapsed() < BUDGET {
        round += 1;
        let which = round % 2;
        let new = canonical.get(which).ok_or("no project")?;
        // The "old" file: the same project with a comment, which fmt drops.
        let old = format!("// round {round}\n{new}");
        fs::write(&path, &old)?;
        let mut child = run(&path)?;
        let max_micros = u64::try_from(full_run.as_micros())?.max(1000) * 11 / 10;
        // A third of the kills anywhere in the run, the rest in its last 30 %, where the save is.
        let delay = if rng.below(3) == 0 {
            rng.below(max_micros)
        } else {
            max_micros * 7 / 10 + rng.below(max_micros * 3 / 10)
        };
        std::thread::sleep(Duration::from_micros(delay));
        if child.try_wait()?.is_some() {
            finished += 1;
        } else {
            child.kill()?;
            kills += 1;
        }
        child.wait()?;

        let Ok(now) = fs::read_to_string(&path) else {
            panic!("round {round} (seed {seed:#x}): the file is gone or not UTF-8");
        };
        if now == old {
            found_old += 1;
        } else if now == *new {
            found_new += 1;
        } else {
            panic!(
                "round {round} (seed {seed:#x}): the file is neither old nor new ({} bytes)",
                now.len()
            );
        }
        // Both forms were checked to load as the project once, below the loop; comparing
        // bytes is enough here and keeps each round cheap.
        let bak = backup_path(&path);
        if let Ok(bak_text) = fs::read_to_string(&bak) {
            let body = bak_text
                .split_once('\n')
                .filter(|(c, _)| c.starts_with("// "));
            let body = body.map_or(bak_text.as_str(), |(_, rest)| rest);
            assert!(
                canonical.iter().any(|c| c == body),
                "round {round}: the .bak is not a whole earlier version"
            );
        }
        let temps = temp_files(dir.path())?;
        max_temps = max_temps.max(temps.len());
        if !temps.is_empty() && now == old {
            // Killed between creating the temporary file and the rename: the interesting case.
            mid_save += 1;
        }
        // Each save removes the temporary files of dead writers, so only those of the writer
        // just killed can be there: its new file and its link to the previous version.
        let mut writers: Vec<&str> = temps
            .iter()
            .filter_map(|t| t.split(".tmp-").nth(1)?.split('-').next())
            .collect();
        writers.dedup();
        assert!(
            writers.len() <= 1 && temps.len() <= 2,
            "round {round}: temporary files pile up: {temps:?}"
        );
    }
    // Every state the file was seen in loads as its project, without warnings.
    for (which, new) in canonical.iter().enumerate() {
        for text in [new.clone(), format!("// round 1\n{new}")] {
            let loaded = project_from_ron(&text, &path)?;
            assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
            assert_eq!(Some(&loaded.project), projects.get(which));
        }
    }
    assert!(read_project(&backup_path(&path)).is_ok(), "the .bak loads");
    // One last complete save cleans up after the last killed writer.
    let status = run(&path)?.wait()?;
    assert!(status.success());
    assert_eq!(temp_files(dir.path())?, Vec::<String>::new());

    println!(
        "crash test: {kills} kills in {round} rounds over {:.1} s (seed {seed:#x}); \
         file after the kill: old {found_old}, new {found_new}; {mid_save} kills landed mid-save \
         (temporary file written, not yet renamed); {finished} runs finished before their kill; one run takes {full_run:?}; at most {max_temps} temporary file(s) at once (one writer's)",
        started.elapsed().as_secs_f64()
    );
    assert!(
        kills >= KILLS / 4,
        "only {kills} kills landed: the test did not test much"
    );
    assert!(found_old > 0, "no kill landed before the rename");
    Ok(())
}
