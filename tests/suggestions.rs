//! Suggestions in the window and on the command line (issue 11): a run adds `Suggested`
//! spans in one undoable step, the review queue decides them by keyboard, tagging proposes
//! the other places of the same text, and `spanmark suggest` writes them to a project.

mod kit;

use egui::{Key, Modifiers};
use kit::*;
use spanmark::model::Status;
use spanmark::ui::command::Command;

fn wait_for_suggestions(harness: &mut egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>) {
    for _ in 0..500 {
        harness.step();
        let pending = harness
            .state()
            .document()
            .project()
            .spans()
            .status_count(Status::Suggested);
        if pending > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.run();
}

fn count(h: &egui_kittest::Harness<'_, spanmark::app::SpanmarkApp>, status: Status) -> usize {
    h.state().document().project().spans().status_count(status)
}

#[test]
fn ctrl_g_suggests_and_the_review_queue_decides_by_keyboard() -> Result {
    let dir = tempfile::tempdir()?;
    let article =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample-article.txt");
    let mut harness = harness(&article, dir.path());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::G);
    wait_for_suggestions(&mut harness);
    let suggested = count(&harness, Status::Suggested);
    assert!(suggested > 5, "{suggested} suggestions");
    let first = harness
        .state()
        .selected()
        .ok_or("the first suggestion is selected")?;

    // Enter accepts and moves on; X rejects (hidden, kept); A accepts.
    harness.key_press(Key::Enter);
    harness.run();
    let project = harness.state().document().project();
    assert_eq!(
        project.spans().get(first).map(|s| s.status),
        Some(Status::Confirmed)
    );
    let second = harness
        .state()
        .selected()
        .ok_or("the next suggestion is selected")?;
    assert_ne!(second, first);
    harness.key_press(Key::X);
    harness.run();
    assert_eq!(
        harness
            .state()
            .document()
            .project()
            .spans()
            .get(second)
            .map(|s| s.status),
        Some(Status::Rejected)
    );
    assert_eq!(count(&harness, Status::Suggested), suggested - 2);

    // Shift+A accepts every suggestion of the selected one's label.
    let label = harness
        .state()
        .selected()
        .and_then(|id| harness.state().document().project().spans().get(id))
        .map(|s| s.label)
        .ok_or("a selected suggestion")?;
    harness.key_press_modifiers(Modifiers::SHIFT, Key::A);
    harness.run();
    let left = harness
        .state()
        .document()
        .project()
        .spans()
        .count_with(label, Status::Suggested);
    assert_eq!(left, 0);

    // Every decision is undoable, back to before the run.
    for _ in 0..4 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        harness.run();
    }
    assert!(harness.state().document().project().spans().is_empty());
    Ok(())
}

#[test]
fn tagging_a_text_proposes_its_other_places_and_a_rejection_is_not_proposed_again() -> Result {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("repeat.txt");
    std::fs::write(
        &path,
        "Vitkov traveled to Moscow.\nLater Vitkov met Putin.\nVitkov left.\n",
    )?;
    let mut harness = harness(&path, dir.path());
    tag(&mut harness, "Vitkov", Key::Num1)?;
    assert_eq!(count(&harness, Status::Confirmed), 1);
    assert_eq!(
        count(&harness, Status::Suggested),
        2,
        "{}",
        harness.state().status()
    );
    // Step to a proposal and reject it.
    harness.state_mut().send(Command::ClearSelection);
    harness.run();
    harness.key_press(Key::N);
    harness.key_press(Key::N);
    harness.run();
    harness.key_press(Key::X);
    harness.run();
    assert_eq!(count(&harness, Status::Rejected), 1);
    // Clear the confirmed span and the other proposal, then tag the text again: nothing
    // is proposed, since the analyst rejected this text as a Claim.
    let others: Vec<_> = harness
        .state()
        .document()
        .project()
        .spans()
        .iter()
        .filter(|s| s.status != Status::Rejected)
        .map(|s| s.id)
        .collect();
    for id in others {
        harness.state_mut().send(Command::SelectSpan {
            id: Some(id),
            scroll: false,
        });
        harness.run();
        harness.key_press(Key::Delete);
        harness.run();
    }
    assert_eq!(harness.state().document().project().spans().len(), 1);
    tag(&mut harness, "Vitkov", Key::Num1)?;
    assert_eq!(count(&harness, Status::Confirmed), 1);
    assert_eq!(
        count(&harness, Status::Suggested),
        0,
        "a rejected text taught not to propose it"
    );
    Ok(())
}

#[test]
fn spanmark_suggest_writes_suggestions_and_never_proposes_a_rejected_one_again() -> Result {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("s.ron");
    let article =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample-article.txt");
    let run = |input: &std::path::Path| -> Result<String> {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_spanmark"))
            .args(["suggest"])
            .arg(input)
            .arg("--out")
            .arg(&out)
            .output()?;
        if !o.status.success() {
            return Err(String::from_utf8_lossy(&o.stderr).into_owned().into());
        }
        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let said = run(&article)?;
    let project = spanmark::format::read_project(&out)?.project;
    let suggested = project.spans().status_count(Status::Suggested);
    assert!(
        suggested > 5 && said.contains(&format!("{suggested} suggestion")),
        "{said}"
    );
    // Reject one in the file, run again: nothing new, and the rejected one stays rejected.
    let mut project = project;
    let one = project
        .spans()
        .iter()
        .find(|s| s.status == Status::Suggested)
        .map(|s| s.id)
        .ok_or("a suggestion")?;
    let edit = project.change(one, |s| s.status = Status::Rejected)?;
    project.apply(&edit)?;
    spanmark::format::write_project(&out, &project)?;
    let said = run(&out)?;
    assert!(said.contains(": 0 suggestion"), "{said}");
    let again = spanmark::format::read_project(&out)?.project;
    assert_eq!(
        again.spans().get(one).map(|s| s.status),
        Some(Status::Rejected)
    );
    Ok(())
}
