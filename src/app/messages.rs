//! The one message area: what went wrong, what needs attention, and what just happened.
//!
//! Errors and warnings stay until dismissed (× or Esc); notices (what an action did) show
//! in the status bar and fade after a few seconds. Every message remembers the document it
//! is about, so opening another document clears the messages about the previous one. Times
//! are egui's clock, passed in, so the rules are tested without a window.

/// How serious a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Something failed; nothing was changed.
    Error,
    /// It worked, but the user should know something.
    Warning,
    /// It worked; here is what happened (fades).
    Info,
}

/// One message.
#[derive(Clone, Debug)]
pub struct Message {
    /// How serious it is.
    pub severity: Severity,
    /// One sentence.
    pub text: String,
    /// More lines, shown on request.
    pub details: Vec<String>,
    /// The document generation it is about.
    document: u64,
    /// When it was first shown (egui's clock); `None` until then.
    shown_at: Option<f64>,
}

/// How long a notice stays.
pub const NOTICE_SECS: f64 = 6.0;

/// All messages, oldest first.
#[derive(Default)]
pub struct Messages {
    list: Vec<Message>,
    document: u64,
}

impl Messages {
    fn push(&mut self, severity: Severity, text: String, details: Vec<String>) {
        let text = sentence(text);
        if severity == Severity::Info {
            // One notice at a time: a new action's result replaces the last one.
            self.list.retain(|m| m.severity != Severity::Info);
        } else if self
            .list
            .iter()
            .any(|m| m.severity == severity && m.text == text)
        {
            return;
        }
        self.list.push(Message {
            severity,
            text,
            details,
            document: self.document,
            shown_at: None,
        });
    }

    /// Something failed.
    pub fn error(&mut self, text: impl Into<String>, details: Vec<String>) {
        self.push(Severity::Error, text.into(), details);
    }

    /// Something needs the user's attention.
    pub fn warning(&mut self, text: impl Into<String>, details: Vec<String>) {
        self.push(Severity::Warning, text.into(), details);
    }

    /// What an action did.
    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Severity::Info, text.into(), Vec::new());
    }

    /// Another document is open now: messages about the previous one go.
    pub fn document_changed(&mut self, generation: u64) {
        let old = std::mem::replace(&mut self.document, generation);
        self.list.retain(|m| m.document != old);
    }

    /// Let notices older than [`NOTICE_SECS`] fade; returns how long until the next one
    /// fades, so the app can ask for a repaint then.
    pub fn tick(&mut self, now_secs: f64) -> Option<f64> {
        for m in &mut self.list {
            m.shown_at.get_or_insert(now_secs);
        }
        self.list.retain(|m| {
            m.severity != Severity::Info || m.shown_at.is_some_and(|t| now_secs - t < NOTICE_SECS)
        });
        self.list
            .iter()
            .filter(|m| m.severity == Severity::Info)
            .filter_map(|m| m.shown_at)
            .map(|t| NOTICE_SECS - (now_secs - t))
            .reduce(f64::min)
    }

    /// Dismiss the newest error or warning (or all of them); true when one went.
    pub fn dismiss(&mut self, all: bool) -> bool {
        if all {
            let before = self.list.len();
            self.list.retain(|m| m.severity == Severity::Info);
            return self.list.len() != before;
        }
        let Some(i) = self.list.iter().rposition(|m| m.severity != Severity::Info) else {
            return false;
        };
        self.list.remove(i);
        true
    }

    /// The errors and warnings, oldest first.
    #[must_use]
    pub fn alerts(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.list.iter().filter(|m| m.severity != Severity::Info)
    }

    /// The current notice, if any.
    #[must_use]
    pub fn notice(&self) -> Option<&str> {
        self.list
            .iter()
            .rfind(|m| m.severity == Severity::Info)
            .map(|m| m.text.as_str())
    }

    /// Every message, oldest first.
    #[must_use]
    pub fn all(&self) -> &[Message] {
        &self.list
    }
}

/// Start a message with a capital letter, as a sentence (errors passed on from lower layers
/// start in lower case, as the command line prints them).
fn sentence(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_fade_errors_stay_until_dismissed() {
        let mut m = Messages::default();
        m.error("could not save", Vec::new());
        m.info("Tagged 8 chars as Claim");
        assert_eq!(m.tick(10.0), Some(NOTICE_SECS));
        assert_eq!(m.notice(), Some("Tagged 8 chars as Claim"));
        assert!(m.tick(10.0 + NOTICE_SECS).is_none());
        assert_eq!(m.notice(), None, "the notice faded");
        assert_eq!(m.alerts().count(), 1, "the error stays");
        assert_eq!(
            m.alerts().next().map(|a| a.text.as_str()),
            Some("Could not save"),
            "messages start as sentences"
        );
        assert!(m.dismiss(false));
        assert_eq!(m.alerts().count(), 0);
        assert!(!m.dismiss(false));
    }

    #[test]
    fn opening_another_document_clears_messages_about_the_previous_one() {
        let mut m = Messages::default();
        m.document_changed(1);
        m.warning("3 spans are orphans", Vec::new());
        m.document_changed(2);
        assert_eq!(m.alerts().count(), 0);
        m.error("could not open x.ron", Vec::new());
        m.error("could not open x.ron", Vec::new());
        assert_eq!(m.alerts().count(), 1, "the same error is shown once");
    }
}
