//! The `spanmark` binary: parses arguments, sets up logging, and starts either the window
//! or one of the headless commands. No logic lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use spanmark::cli::Report;
use spanmark::format::interop::Format;

/// Annotate text: tag spans as Claim, Quote or Disclaimer and save them as a RON project.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// A project (.ron) or article (any other text file) to open; the sample article if none.
    file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a project file: print a summary and exit 0, or say what is wrong and exit 1.
    Check {
        /// The project file.
        project: PathBuf,
    },
    /// Print spans per label, covered characters and the article's size.
    Stats {
        /// The project file.
        project: PathBuf,
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
    /// Export a project, or every project of a corpus folder, for another tool: brat,
    /// label-studio, xmi (UIMA CAS XMI), doccano, csv or qdpx (REFI-QDA). Prints the files
    /// written and what the format could not carry.
    Export {
        /// The project file, or a corpus folder (every .ron under it).
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
        Some(Command::Check { project }) => spanmark::cli::check(&project).map(Report::ok),
        Some(Command::Stats { project }) => spanmark::cli::stats(&project).map(Report::ok),
        Some(Command::Fmt { project, force }) => {
            spanmark::cli::fmt(&project, force).map(Report::ok)
        }
        Some(Command::Reanchor {
            project,
            new_article,
            out,
        }) => spanmark::cli::reanchor(&project, &new_article, &out).map(Report::ok),
        Some(Command::Export { input, to, out }) => {
            spanmark::cli::export(&input, to, &out).map(Report::ok)
        }
        Some(Command::Import { input, from, out }) => spanmark::cli::import(&input, from, &out),
        None => spanmark::app::run(args.file)
            .map(|()| Report::ok(String::new()))
            .map_err(spanmark::cli::CliError::from),
    };
    match result {
        Ok(report) => {
            print!("{}", report.stdout);
            ExitCode::from(report.code)
        }
        Err(message) => {
            eprintln!("spanmark: {message}");
            ExitCode::FAILURE
        }
    }
}
