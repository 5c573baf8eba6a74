//! The `spanmark` binary: parses arguments, sets up logging, and starts either the window
//! or one of the headless commands. No logic lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use spanmark::format::interop::Format;

/// Annotate text: tag spans as Claim, Quote or Disclaimer and save them as a RON project.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// A project (.ron), an article (any other text file) or a corpus folder to open; the
    /// sample article if none.
    file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a project file, or every project of a corpus folder: exit 0 when all are
    /// good, or name each bad one with what is wrong and exit 1.
    Check {
        /// A project file or a corpus folder.
        path: PathBuf,
    },
    /// Print documents, spans per label and covered characters of a corpus folder or a
    /// project.
    Stats {
        /// A project file or a corpus folder.
        path: PathBuf,
        /// Print one JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Make a folder a corpus: write its corpus.ron (label scheme and settings) when absent,
    /// and in a git repository register spanmark as the merge driver of project files
    /// (.gitattributes and the repository's config). Running it twice changes nothing.
    Init {
        /// The corpus folder.
        dir: PathBuf,
    },
    /// Print every span whose text or note matches a regular expression, as
    /// PATH:START-END<TAB>LABEL<TAB>TEXT; exit 0 when something matched, 1 when nothing
    /// did, 2 on error.
    Grep {
        /// A regular expression (Rust regex syntax).
        pattern: String,
        /// A corpus folder or a project file.
        path: PathBuf,
        /// Only spans with this label.
        #[arg(long)]
        label: Option<String>,
        /// Ignore case.
        #[arg(short = 'i', long)]
        ignore_case: bool,
    },
    /// Rewrite a project file in canonical form (safely, keeping a .bak). Refuses a file that
    /// needed repairs to load unless --force is given.
    Fmt {
        /// The project file.
        project: PathBuf,
        /// Rewrite even when loading moved spans to orphans or repaired something.
        #[arg(long)]
        force: bool,
    },
    /// How well analysts agree: F1 (strict and overlap), Cohen's kappa and Krippendorff's
    /// alpha per label and overall (Fleiss' kappa with three or more).
    Agree {
        /// Projects of the same article, or corpus folders (compared document by document).
        #[arg(required = true, num_args = 2..)]
        inputs: Vec<PathBuf>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Open the window to curate two or more analysts' projects of one article.
    Compare {
        /// The analysts' projects.
        #[arg(required = true, num_args = 2..)]
        projects: Vec<PathBuf>,
    },
    /// Propose quotes, disclaimers and claims (as Suggested spans) for an article, a project
    /// or every document of a corpus folder (learning across its documents).
    Suggest {
        /// An article (text file), a project (.ron) or a corpus folder.
        input: PathBuf,
        /// The project to write (may be the input project itself; a .bak is kept); for a
        /// folder, the folder to write the projects into (may be the folder itself).
        #[arg(long)]
        out: PathBuf,
    },
    /// Move a project's spans onto a new version of its article and save the result.
    Reanchor {
        /// The project file.
        project: PathBuf,
        /// The new version of the article (a text file).
        new_article: PathBuf,
        /// Where to save the re-anchored project (may be the project itself; a .bak is kept).
        #[arg(long)]
        out: PathBuf,
    },
    /// Three-way merge of projects, as git's merge driver: the result is written into OURS.
    /// Exit 0 when clean, 1 when conflicts remain (marked spans in a valid project), 2 when
    /// an input is unreadable (OURS untouched).
    Merge {
        /// The common ancestor (git's %O).
        base: PathBuf,
        /// Our version, replaced by the result (git's %A).
        ours: PathBuf,
        /// Their version (git's %B).
        theirs: PathBuf,
        /// The file's path in the repository, for messages (git's %P).
        path: Option<PathBuf>,
    },
    /// Export a project, or every project of a corpus folder, for another tool: brat,
    /// label-studio, xmi (UIMA CAS XMI), doccano, csv or qdpx (REFI-QDA). Prints the files
    /// written and what the format could not carry.
    Export {
        /// The project file, or a corpus folder (every project of it; hidden folders skipped).
        input: PathBuf,
        /// The format.
        #[arg(long)]
        to: Format,
        /// The folder to write into (created if needed).
        #[arg(long)]
        out: PathBuf,
    },
    /// Import a file or folder written by another tool into a project (--out X.ron) or a
    /// corpus folder (STEM.txt + STEM.ron per document). Exit 0: all came over; 2: written,
    /// with problems listed (problem spans kept as orphans); 1: nothing written.
    Import {
        /// The file or folder to read.
        input: PathBuf,
        /// The format; detected from the files when absent.
        #[arg(long)]
        from: Option<Format>,
        /// A project file (.ron) for one document, or a corpus folder.
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args = Args::parse();
    let result = match args.command {
        Some(Command::Check { path }) => return emit(&spanmark::cli::check_path(&path)),
        Some(Command::Stats { path, json }) => spanmark::cli::stats_path(&path, json),
        Some(Command::Init { dir }) => spanmark::cli::init(&dir),
        Some(Command::Grep {
            pattern,
            path,
            label,
            ignore_case,
        }) => {
            let options = spanmark::cli::GrepOptions { label, ignore_case };
            return emit(&spanmark::cli::grep(&pattern, &path, &options));
        }
        Some(Command::Fmt { project, force }) => spanmark::cli::fmt(&project, force),
        Some(Command::Agree { inputs, json }) => spanmark::cli::agree(&inputs, json),
        Some(Command::Suggest { input, out }) => {
            return emit(&spanmark::cli::suggest_path(&input, &out));
        }
        Some(Command::Reanchor {
            project,
            new_article,
            out,
        }) => spanmark::cli::reanchor(&project, &new_article, &out),
        Some(Command::Export { input, to, out }) => spanmark::cli::export(&input, to, &out),
        Some(Command::Import { input, from, out }) => {
            return emit(
                &spanmark::cli::import(&input, from, &out)
                    .unwrap_or_else(|e| spanmark::cli::Report::error(1, &e.to_string())),
            );
        }
        Some(Command::Compare { projects }) => spanmark::app::run(None, projects)
            .map(|()| String::new())
            .map_err(spanmark::cli::CliError::from),
        Some(Command::Merge {
            base,
            ours,
            theirs,
            path,
        }) => return spanmark::cli::merge(&base, &ours, &theirs, path.as_deref()).exit(),
        None => spanmark::app::run(args.file, Vec::new())
            .map(|()| String::new())
            .map_err(spanmark::cli::CliError::from),
    };
    emit(&spanmark::cli::Report::from_result(result))
}

/// Print a command's report and exit with its status. Output cut short by the reader
/// (`spanmark grep … | head`) is not an error: the rest is simply not printed.
fn emit(report: &spanmark::cli::Report) -> ExitCode {
    use std::io::Write as _;
    let _ = std::io::stderr().lock().write_all(report.stderr.as_bytes());
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(report.stdout.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("spanmark: could not write the output ({e})");
            ExitCode::FAILURE
        }
        _ => ExitCode::from(report.code),
    }
}
