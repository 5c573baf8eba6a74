//! Small text helpers shared by every layer: the one-line excerpt shown in lists, messages
//! and tooltips.

/// At most `max_chars` chars of `text` on one line (every whitespace run shown as one
/// space), with `…` when something was cut.
///
/// ```text
///   excerpt("Putin rejected\nthe offer", 14) = "Putin rejected…"
/// ```
#[must_use]
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(max_chars.min(text.len()) + 3);
    let mut taken = 0;
    let mut last_space = false;
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && last_space {
            continue;
        }
        if taken == max_chars {
            out.push('…');
            return out;
        }
        last_space = c == ' ';
        out.push(c);
        taken += 1;
    }
    out
}

/// "1 span", "3 spans": a count with its noun (regular English plurals only).
#[must_use]
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_are_one_line_and_say_when_they_were_cut() {
        assert_eq!(excerpt("Putin rejected\nthe offer", 14), "Putin rejected…");
        assert_eq!(excerpt("short", 14), "short");
        assert_eq!(excerpt("a \n\t b", 10), "a b");
        assert_eq!(excerpt("東京🙂x", 3), "東京🙂…");
        assert_eq!(excerpt("", 3), "");
    }
}
