//! Files changed by other programs while a corpus is open (a `git pull`, a colleague's
//! sync): the folder is watched (notify), the documents panel refreshes, and the open
//! document reloads when it has no unsaved changes (otherwise saving asks, as for any file
//! changed on disk).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use notify::{RecursiveMode, Watcher};

use super::SpanmarkApp;

/// A watch on a corpus folder.
pub struct Watch {
    /// Kept alive for as long as the corpus is open.
    _watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// The corpus folder, as the system names it in events.
    base: PathBuf,
}

impl Watch {
    /// Watch `root` recursively; `None` when the system refuses (the corpus still works,
    /// it only does not notice other programs).
    #[must_use]
    pub fn start(root: &Path, ctx: &egui::Context) -> Option<Self> {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let base = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // Only changes to articles and projects matter: not reads (refreshing a summary
                // reads the file, which would come back as an event), not the cache in .spanmark/.
                if event.as_ref().is_ok_and(|e| {
                    changes_content(e.kind) && e.paths.iter().any(|p| relevant(&base, p))
                }) {
                    // The receiver is gone once the corpus closed.
                    let _ = tx.send(event);
                    ctx.request_repaint();
                }
            })
            .ok()?;
        watcher.watch(root, RecursiveMode::Recursive).ok()?;
        Some(Self {
            _watcher: watcher,
            events: rx,
            base: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned()),
        })
    }

    /// The article and project files changed since the last call, and whether files came
    /// or went (then the folder is scanned again).
    fn changes(&self) -> (BTreeSet<PathBuf>, bool) {
        let mut paths = BTreeSet::new();
        let mut structure = false;
        while let Ok(event) = self.events.try_recv() {
            let Ok(event) = event else {
                continue;
            };
            let relevant: Vec<PathBuf> = event
                .paths
                .into_iter()
                .filter(|p| relevant(&self.base, p))
                .collect();
            if relevant.is_empty() {
                continue;
            }
            structure |= matches!(
                event.kind,
                notify::EventKind::Create(_) | notify::EventKind::Remove(_)
            );
            paths.extend(relevant);
        }
        (paths, structure)
    }
}

/// True for events that say a file was written, created, renamed or removed.
fn changes_content(kind: notify::EventKind) -> bool {
    matches!(
        kind,
        notify::EventKind::Create(_) | notify::EventKind::Modify(_) | notify::EventKind::Remove(_)
    )
}

/// True for an article or project path outside the corpus's hidden folders (such as the
/// cache in `.spanmark/`).
fn relevant(base: &Path, path: &Path) -> bool {
    let inside = path.strip_prefix(base).unwrap_or(path);
    !inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        && path.extension().is_some_and(|e| e == "txt" || e == "ron")
}

impl SpanmarkApp {
    /// Take up file changes: refresh the summaries, reload the open document when it is
    /// clean, rescan the folder when files came or went.
    pub(super) fn poll_watch(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        let Some(watch) = &state.watch else {
            return;
        };
        let (paths, structure) = watch.changes();
        if paths.is_empty() {
            return;
        }
        // Our own saves come back as events too; a changed stamp tells them apart.
        let own = self.doc.path.clone();
        let mut reload_current = false;
        // A suggestion run over every document writes projects by the thousand and hands
        // their summaries over itself; reading each again here would cost the frames a
        // project parse per document (it never writes the open document).
        let suggesting = self.corpus_suggest.is_some();
        // Each changed document once, however many of its files changed (a `git pull`
        // brings thousands of paths: one map, not a search of every document per path).
        let by_path: std::collections::HashMap<&Path, usize> = state
            .corpus
            .files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                std::iter::once((f.project.as_path(), i))
                    .chain(f.article.as_deref().map(|a| (a, i)))
            })
            .collect();
        let mut changed = std::collections::BTreeSet::new();
        for path in &paths {
            if suggesting && path.extension().is_some_and(|e| e == "ron") {
                continue;
            }
            let Some(&i) = by_path.get(path.as_path()) else {
                continue;
            };
            changed.insert(i);
            if state.current == Some(i) {
                let ours = own.as_deref() == Some(path.as_path())
                    && super::document::DiskStamp::of(path) == self.doc.disk;
                reload_current |= !ours;
            }
        }
        drop(by_path);
        for &i in &changed {
            state.corpus.refresh(i);
        }
        if !changed.is_empty() {
            state.revision += 1;
        }
        if structure {
            let root = state.corpus.root.clone();
            self.rescan(ctx, root);
        }
        if reload_current {
            if self.is_dirty() {
                self.messages.warning(
                    "The open document was changed on disk by another program; saving will ask before replacing it",
                    Vec::new(),
                );
            } else if let Some(i) = self.corpus.as_ref().and_then(|c| c.current) {
                if let Some(state) = &mut self.corpus {
                    state.current = None;
                }
                self.open_doc(i);
                self.say("Reloaded: another program changed this document");
            }
        }
    }

    /// Scan the folder again (files came or went), keeping the open document.
    fn rescan(&mut self, ctx: &egui::Context, root: PathBuf) {
        let source = root.clone();
        if let Ok(task) = super::tasks::Task::spawn(ctx, "rescan-corpus", move || {
            crate::format::corpus::open(&source, crate::format::corpus::OpenOptions::default())
        }) {
            self.corpus_rescan = Some((root, task));
        }
    }

    /// Take up a finished rescan.
    pub(super) fn poll_rescan(&mut self) {
        let Some((root, task)) = &self.corpus_rescan else {
            return;
        };
        let Some(result) = task.poll() else {
            return;
        };
        let root = root.clone();
        self.corpus_rescan = None;
        let Ok(Ok(fresh)) = result else {
            return;
        };
        // A rescan of a folder that is no longer the open corpus is of no use.
        let Some(state) = self.corpus.as_mut().filter(|s| s.corpus.root == root) else {
            return;
        };
        let current_rel = state
            .current
            .and_then(|i| state.corpus.files.get(i))
            .map(|f| f.rel.clone());
        state.corpus.docs = fresh.docs;
        state.corpus.files = fresh.files;
        state.corpus.problems = fresh.problems;
        state.current = current_rel.and_then(|rel| state.corpus.position(&rel));
        state.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_articles_and_projects_outside_hidden_folders_count() {
        let base = Path::new("/corpus");
        assert!(relevant(base, Path::new("/corpus/desk/a.txt")));
        assert!(relevant(base, Path::new("/corpus/desk/a.ron")));
        assert!(!relevant(base, Path::new("/corpus/.spanmark/cache.ron")));
        assert!(!relevant(base, Path::new("/corpus/desk/.a.ron.tmp")));
        assert!(!relevant(base, Path::new("/corpus/desk/notes.md")));
        // A hidden folder above the corpus does not hide it.
        assert!(relevant(
            Path::new("/home/me/.work/c"),
            Path::new("/home/me/.work/c/a.txt")
        ));
    }

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{AccessKind, CreateKind, ModifyKind};
        assert!(!changes_content(notify::EventKind::Access(AccessKind::Any)));
        assert!(changes_content(notify::EventKind::Modify(ModifyKind::Any)));
        assert!(changes_content(notify::EventKind::Create(CreateKind::File)));
    }
}
