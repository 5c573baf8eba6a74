//! The quote suggester: quoted words of two words or more, in any common quotation style,
//! returned without their marks but with the punctuation inside them.
//!
//! One pass over the text pairs opening and closing marks on a small stack. Whether a mark
//! opens or closes is read from what is around it, the way a reader does:
//!
//! ```text
//!   He said "we are ready," and left.     " after a space opens, " after a comma closes
//!   „Das ist gut“, sagte sie.             „ opens and “ closes it (German)
//!   »Det er godt«, siger hun.             reversed guillemets (German, Danish)
//!   Putin's 'long game', don't            ' between letters is an apostrophe
//!   「備蓄米の放出を続けたい」と述べた      CJK corner brackets (also 『』 and 〝〟)
//! ```
//!
//! A quote may cross a line break when the next line closes it; in the convention where every
//! paragraph of a long quotation reopens it, each paragraph's part is its own span. A quoted
//! single word ("roots", scare quotes) is not a quote.

use std::ops::Range;

use super::text::{filled_paragraphs, is_cjk, is_word_char, trim};

/// How many line breaks an open quotation may cross.
const MAX_LINE_BREAKS: u8 = 2;
/// How deep quotations may nest before the oldest unclosed mark is forgotten.
const MAX_DEPTH: usize = 8;
/// How far ahead (bytes) to look for a better closing mark after a plural possessive.
const POSSESSIVE_LOOKAHEAD: usize = 300;
/// Minimum chars of a CJK quotation written without spaces (about two words).
const MIN_CJK_CHARS: usize = 6;

/// An opening mark waiting for its closing mark.
#[derive(Clone, Copy, Debug)]
struct Open {
    /// The opening mark itself.
    mark: char,
    /// Byte offset just after the mark, where the quoted words start.
    content_start: usize,
    /// Line breaks crossed so far.
    line_breaks: u8,
}

/// Byte ranges of the quotations in `text` (outermost only), sorted by start.
pub(crate) fn find(text: &str) -> Vec<Range<usize>> {
    let paras: Vec<Range<usize>> = filled_paragraphs(text).collect();
    let mut found = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    for (index, para) in paras.iter().enumerate() {
        scan_paragraph(text, para, &mut stack, &mut found);
        let next = paras.get(index + 1).and_then(|r| text.get(r.clone()));
        stack = carry_over(text, para, next, std::mem::take(&mut stack), &mut found);
    }
    found.sort_unstable_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    outermost(found)
}

/// Pairs the marks of one paragraph, pushing finished quotations to `found`.
fn scan_paragraph(
    text: &str,
    para: &Range<usize>,
    stack: &mut Vec<Open>,
    found: &mut Vec<Range<usize>>,
) {
    let Some(body) = text.get(para.clone()) else {
        return;
    };
    let mut prev: Option<char> = None;
    let mut iter = body.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        if super::text::is_quote_mark(c) {
            let at = para.start + i;
            let ctx = Context { prev, next };
            handle_mark(text, para, at, c, ctx, stack, found);
        }
        prev = Some(c);
    }
}

/// The chars on either side of a mark (`None` at the paragraph's edges).
#[derive(Clone, Copy, Debug)]
struct Context {
    prev: Option<char>,
    next: Option<char>,
}

impl Context {
    /// Nothing but space (or an opening bracket, dash or slash) before the mark.
    fn open_before(self) -> bool {
        self.prev.is_none_or(|p| {
            p.is_whitespace()
                || matches!(p, '(' | '[' | '{' | '—' | '–' | '-' | '/' | ':' | '（')
                || is_opening_mark(p)
        })
    }

    /// Nothing but space after the mark.
    fn space_after(self) -> bool {
        self.next.is_none_or(char::is_whitespace)
    }

    /// Space or punctuation after the mark (where a closing mark sits).
    fn closing_after(self) -> bool {
        self.next.is_none_or(|n| {
            n.is_whitespace() || (!is_word_char(n) && !is_cjk(n)) || is_cjk_punct(n)
        })
    }

    /// The mark stands where an opening mark stands: after space, before a word.
    fn can_open(self) -> bool {
        self.open_before() && !self.space_after()
    }

    /// The mark stands where a closing mark stands: after a word or punctuation, before space
    /// or punctuation.
    fn can_close(self) -> bool {
        self.prev.is_some_and(|p| !p.is_whitespace()) && self.closing_after()
    }

    /// Letters or digits on both sides: an apostrophe (don't, Putin's, O'Brien).
    fn inside_word(self) -> bool {
        self.prev.is_some_and(is_word_char) && self.next.is_some_and(is_word_char)
    }
}

/// CJK sentence punctuation, which may follow a closing mark without a space.
fn is_cjk_punct(c: char) -> bool {
    matches!(c, '、' | '。' | '，' | '！' | '？' | '：' | '；' | '）')
}

/// Marks that only ever open a quotation.
fn is_opening_mark(c: char) -> bool {
    matches!(c, '“' | '„' | '‚' | '‘' | '«' | '‹' | '「' | '『' | '〝')
}

/// True when `close` can close a quotation opened by `open`.
fn closes(open: char, close: char) -> bool {
    match open {
        '“' | '”' => close == '”',
        '„' => matches!(close, '“' | '”'),
        '‘' => close == '’',
        '‚' => matches!(close, '‘' | '’'),
        '«' => close == '»',
        '»' => matches!(close, '«' | '»'),
        '‹' => close == '›',
        '›' => matches!(close, '‹' | '›'),
        '「' => close == '」',
        '『' => close == '』',
        '〝' => matches!(close, '〞' | '〟'),
        '"' => close == '"',
        '\'' => close == '\'',
        _ => false,
    }
}

/// Index in `stack` of the innermost open quotation that `close` closes (looking a few levels
/// down, so an unclosed stray mark inside does not hide the real opening).
fn matching_open(stack: &[Open], close: char) -> Option<usize> {
    stack
        .iter()
        .enumerate()
        .rev()
        .take(4)
        .find(|(_, o)| closes(o.mark, close))
        .map(|(i, _)| i)
}

/// Decides what one mark does: close a quotation, open one, or nothing (an apostrophe).
fn handle_mark(
    text: &str,
    para: &Range<usize>,
    at: usize,
    c: char,
    ctx: Context,
    stack: &mut Vec<Open>,
    found: &mut Vec<Range<usize>>,
) {
    let content_start = at + c.len_utf8();
    let open = |stack: &mut Vec<Open>| {
        if stack.len() >= MAX_DEPTH {
            stack.remove(0);
        }
        stack.push(Open {
            mark: c,
            content_start,
            line_breaks: 0,
        });
    };
    let close_at = |stack: &mut Vec<Open>, found: &mut Vec<Range<usize>>, index: usize| {
        if let Some(o) = stack.get(index).copied() {
            stack.truncate(index);
            emit(text, o.content_start..at, found);
        }
    };
    match c {
        // Opening-only marks: CJK brackets and the low marks of the European styles.
        '「' | '『' | '〝' | '„' | '‚' => open(stack),
        '」' | '』' | '〞' | '〟' => {
            if let Some(i) = matching_open(stack, c) {
                close_at(stack, found, i);
            }
        }
        // Guillemets point either way: « » (French), » « (German, Danish), » » (Swedish).
        '«' | '‹' | '»' | '›' => {
            if let Some(i) = matching_open(stack, c) {
                close_at(stack, found, i);
            } else if matches!(c, '«' | '‹') || ctx.can_open() {
                open(stack);
            }
        }
        // “ opens in English and closes „ in German.
        '“' => {
            if let Some(i) = matching_open(stack, c) {
                close_at(stack, found, i);
            } else if !ctx.space_after() {
                open(stack);
            }
        }
        '”' => {
            if let Some(i) = matching_open(stack, c) {
                close_at(stack, found, i);
            } else if ctx.can_open() {
                // Swedish and Finnish open with ” too.
                open(stack);
            }
        }
        '"' => {
            let i = matching_open(stack, c);
            match i {
                Some(i) if !ctx.can_open() || ctx.can_close() => close_at(stack, found, i),
                _ if ctx.can_open() => open(stack),
                _ => {}
            }
        }
        '‘' | '’' | '\'' => {
            if ctx.inside_word() {
                return;
            }
            if ctx.can_close()
                && let Some(i) = matching_open(stack, c)
            {
                if !is_weak_close(text, para, at, c, ctx) {
                    close_at(stack, found, i);
                }
                return;
            }
            if c != '’' && ctx.can_open() && !is_elision(text, content_start, para.end) {
                open(stack);
            }
        }
        _ => {}
    }
}

/// True for a single closing mark after a plural "s" followed by a word ("the players’ union"),
/// when a better closing mark follows shortly: that one is the apostrophe of a possessive.
fn is_weak_close(text: &str, para: &Range<usize>, at: usize, c: char, ctx: Context) -> bool {
    let plural = ctx.prev.is_some_and(|p| p == 's' || p == 'S');
    if !plural || !ctx.next.is_some_and(char::is_whitespace) {
        return false;
    }
    let after = at + c.len_utf8();
    let limit = (after + POSSESSIVE_LOOKAHEAD).min(para.end);
    let Some(rest) = text.get(after..para.end) else {
        return false;
    };
    let mut prev = ctx.prev;
    let mut iter = rest.char_indices().peekable();
    while let Some((i, n)) = iter.next() {
        if after + i >= limit {
            break;
        }
        let next = iter.peek().map(|&(_, x)| x);
        if n == c {
            let later = Context { prev, next };
            if !later.inside_word() && later.can_close() {
                return true;
            }
            if later.can_open() {
                return false;
            }
        }
        prev = Some(n);
    }
    false
}

/// True when the single mark just before `from` starts an elision, not a quotation:
/// '90s, ’25 season, 'em, 'tis, 'cause.
fn is_elision(text: &str, from: usize, end: usize) -> bool {
    let Some(rest) = text.get(from..end) else {
        return false;
    };
    if rest.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    let word: String = rest
        .chars()
        .take_while(|&c| is_word_char(c))
        .flat_map(char::to_lowercase)
        .collect();
    matches!(
        word.as_str(),
        "em" | "tis" | "twas" | "cause" | "til" | "n" | "round" | "bout" | "cos" | "ello"
    )
}

/// At the end of a paragraph, decides which open quotations go on into the next one.
fn carry_over(
    text: &str,
    para: &Range<usize>,
    next: Option<&str>,
    stack: Vec<Open>,
    found: &mut Vec<Range<usize>>,
) -> Vec<Open> {
    let mut kept = Vec::new();
    for mut open in stack {
        let Some(next) = next else {
            continue;
        };
        let reopened = next.trim_start().starts_with(open.mark);
        if reopened && open.line_breaks == 0 {
            // Each paragraph of a long quotation reopens it: this part ends with its paragraph.
            emit(text, open.content_start..para.end, found);
        } else if open.line_breaks < MAX_LINE_BREAKS && closed_in(next, open.mark) {
            open.line_breaks += 1;
            kept.push(open);
        }
    }
    kept
}

/// True when a quotation opened by `mark` and still open at the start of `line` closes in it.
fn closed_in(line: &str, mark: char) -> bool {
    match mark {
        // Straight marks look alike both ways: an odd count means one closes a carried quote.
        '"' => line.chars().filter(|&c| c == '"').count() % 2 == 1,
        // Apostrophes make straight and curly single marks too unreliable to carry.
        '\'' | '‘' | '‚' => false,
        _ => line
            .chars()
            .find(|&c| c == mark || closes(mark, c))
            .is_some_and(|c| closes(mark, c)),
    }
}

/// Pushes the quoted words between the marks, trimmed, if there are at least two words.
fn emit(text: &str, content: Range<usize>, found: &mut Vec<Range<usize>>) {
    let content = trim(text, content);
    let Some(words) = text.get(content.clone()) else {
        return;
    };
    if is_long_enough(words) {
        found.push(content);
    }
}

/// Two words or more; for scripts without spaces, enough chars for about two words.
fn is_long_enough(words: &str) -> bool {
    let spaced = words
        .split_whitespace()
        .filter(|w| w.chars().any(is_word_char))
        .count();
    if spaced >= 2 {
        return true;
    }
    words
        .chars()
        .filter(|&c| is_cjk(c) && !is_cjk_punct(c))
        .count()
        >= MIN_CJK_CHARS
}

/// Drops quotations nested in another (a quote inside a quote belongs to the outer one).
/// `found` is sorted by start, longest first.
fn outermost(found: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(found.len());
    for r in found {
        if out.last().is_some_and(|last| r.start < last.end) {
            continue;
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quoted texts `find` returns, for compact assertions.
    fn quoted(text: &str) -> Vec<&str> {
        find(text).into_iter().filter_map(|r| text.get(r)).collect()
    }

    #[test]
    fn straight_double_quotes_keep_inner_punctuation() {
        assert_eq!(
            quoted("\"We are ready to talk,\" the minister said."),
            vec!["We are ready to talk,"]
        );
    }

    #[test]
    fn curly_quote_interrupted_by_attribution_is_two_spans() {
        assert_eq!(
            quoted("“This is the biggest day,” Ruiz said. “Tonight we told them help is coming.”"),
            vec![
                "This is the biggest day,",
                "Tonight we told them help is coming."
            ]
        );
    }

    #[test]
    fn german_low_high_quotes() {
        assert_eq!(
            quoted("„Das ist eine Strafsteuer“, sagte er. „Am Ende zahlen alle.”"),
            vec!["Das ist eine Strafsteuer", "Am Ende zahlen alle."]
        );
    }

    #[test]
    fn french_guillemets_with_inner_spaces() {
        assert_eq!(
            quoted("Le Temps parle d'« un signal clair » ce matin."),
            vec!["un signal clair"]
        );
    }

    #[test]
    fn reversed_guillemets_and_single_guillemets() {
        assert_eq!(
            quoted("Hun sagde: »Det er et godt resultat«. Er sagte: ‹Wir brauchen mehr›."),
            vec!["Det er et godt resultat", "Wir brauchen mehr"]
        );
    }

    #[test]
    fn cjk_corner_brackets() {
        assert_eq!(
            quoted(
                "大臣は「価格が下がり始めたのは良い兆しだ」と述べ、報告書は『流通段階での滞留にある』と指摘した。"
            ),
            vec!["価格が下がり始めたのは良い兆しだ", "流通段階での滞留にある"]
        );
    }

    #[test]
    fn cjk_double_prime_quotes() {
        assert_eq!(
            quoted("彼は〝もう二度と戻らない〟と語った。"),
            vec!["もう二度と戻らない"]
        );
    }

    #[test]
    fn cjk_single_term_is_not_a_quote() {
        assert!(quoted("流通の「目詰まり」が原因だ。").is_empty());
    }

    #[test]
    fn single_scare_quoted_word_is_not_a_quote() {
        assert!(quoted("He called them \"roots\" and 'concessions,' as usual.").is_empty());
    }

    #[test]
    fn apostrophes_are_not_quote_marks() {
        assert!(
            quoted("Putin's plan isn't new; don't mention the ’90s or Trump’s deals.").is_empty()
        );
    }

    #[test]
    fn straight_single_quotes_with_elision_inside() {
        assert_eq!(
            quoted("Rue called it 'exactly what we have wanted since the '90s', he said."),
            vec!["exactly what we have wanted since the '90s"]
        );
    }

    #[test]
    fn curly_single_quotes_with_plural_possessive_inside() {
        assert_eq!(
            quoted("‘My friends’ husbands were all on them,’ she said. ‘I’m glad I didn’t.’"),
            vec![
                "My friends’ husbands were all on them,",
                "I’m glad I didn’t."
            ]
        );
    }

    #[test]
    fn quote_across_a_line_break() {
        assert_eq!(
            quoted("Larkin asked, \"Why should I let the toad work\nSquat on my life?\" Indeed."),
            vec!["Why should I let the toad work\nSquat on my life?"]
        );
    }

    #[test]
    fn quote_reopened_in_each_paragraph_is_one_span_per_paragraph() {
        assert_eq!(
            quoted("“We began in May. It was hard.\n“Then it got better,” she said."),
            vec!["We began in May. It was hard.", "Then it got better,"]
        );
    }

    #[test]
    fn blank_lines_between_paragraphs_do_not_matter() {
        assert_eq!(
            quoted("“We began in May. It was hard.\n\n“Then it got better,” she said."),
            vec!["We began in May. It was hard.", "Then it got better,"]
        );
    }

    #[test]
    fn unclosed_quote_does_not_swallow_the_next_paragraph() {
        assert_eq!(
            quoted("He wrote \"this never ends\nShe said \"yes we can\" twice."),
            vec!["yes we can"]
        );
    }

    #[test]
    fn nested_quote_belongs_to_the_outer_one() {
        assert_eq!(
            quoted("“He told me ‘never again’ and left,” she said."),
            vec!["He told me ‘never again’ and left,"]
        );
    }

    #[test]
    fn swedish_quotes() {
        assert_eq!(
            quoted("Hon sa: ”Vi är redo nu” igår."),
            vec!["Vi är redo nu"]
        );
    }
}
