//! `spanmark suggest`: the offline suggesters on an article or a project, writing a project
//! with the suggestions added as `Suggested` spans (existing spans untouched; a project's
//! rejected suggestions are not proposed again).

use std::fmt::Write as _;
use std::path::Path;

use super::CliError;
use crate::format::{Loaded, import_article, read_project, write_project};
use crate::model::suggest::propose::proposals;
use crate::model::suggest::suggest as find_suggestions;
use crate::model::{LabelSet, Project};

/// The project to add suggestions to: a project file as it is, or a new project for an
/// article file.
fn load(input: &Path) -> Result<Project, CliError> {
    if input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
    {
        let Loaded { project, .. } = read_project(input)?;
        Ok(project)
    } else {
        Ok(Project::new(import_article(input)?, LabelSet::default()))
    }
}

/// Add suggestions to `project`; returns how many of each label were added.
pub fn add_suggestions(project: &mut Project) -> Vec<(String, usize)> {
    let found = find_suggestions(project.article().text());
    let spans = proposals(project, &found, project.fresh_id());
    let mut counts: Vec<(String, usize)> = project
        .labels()
        .iter()
        .map(|(_, l)| (l.name.clone(), 0))
        .collect();
    for span in spans {
        let name = project.labels().name(span.label).to_owned();
        if project.insert_span(span).is_ok()
            && let Some((_, n)) = counts.iter_mut().find(|(l, _)| *l == name)
        {
            *n += 1;
        }
    }
    counts
}

/// `spanmark suggest ARTICLE_OR_PROJECT --out PROJECT`.
pub fn suggest(input: &Path, out: &Path) -> Result<String, CliError> {
    let mut project = load(input)?;
    let before = project.spans().len();
    let counts = add_suggestions(&mut project);
    write_project(out, &project)?;
    let added: usize = counts.iter().map(|(_, n)| n).sum();
    let mut text = format!(
        "{}: {added} suggestion(s) added, {before} existing span(s) untouched",
        out.display()
    );
    for (label, n) in counts.iter().filter(|(_, n)| *n > 0) {
        let _ = write!(text, "; {label} {n}");
    }
    text.push('\n');
    Ok(text)
}
