//! The XML both ways, for XMI, REFI-QDA and Label Studio's config: escaping that survives
//! any conforming parser, and a reader that never fetches or expands anything.
//!
//! Writing: line breaks, tabs and carriage returns in attribute values are written as
//! `&#10;`, `&#9;` and `&#13;`, because a parser turns literal ones into spaces (attribute
//! value normalisation). XML 1.0 cannot hold most C0 control characters (nor U+FFFE and
//! U+FFFF) at all, escaped or not: they are replaced by U+FFFD, one char for one char so
//! that no offset moves, and counted so that the export reports them.
//!
//! Reading: a DOCTYPE is refused outright (so no external entity, no entity expansion bomb
//! can exist); the only references resolved are the five predefined entities and character
//! references; anything else is a malformed file. Attribute values are normalised as the
//! XML specification says, text content gets its line ends normalised.

use std::path::Path;

use quick_xml::events::Event;

use super::{Format, InteropError};

/// True for chars XML 1.0 can hold.
pub(super) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Count the chars of `s` that XML 1.0 cannot hold.
#[cfg(test)]
fn invalid_chars(s: &str) -> usize {
    s.chars().filter(|&c| !is_xml_char(c)).count()
}

/// Append `s` escaped for an attribute value in double quotes. Returns how many chars had to
/// be replaced by U+FFFD.
pub(super) fn push_attr(out: &mut String, s: &str) -> usize {
    let mut replaced = 0;
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {
                replaced += 1;
                out.push('\u{FFFD}');
            }
        }
    }
    replaced
}

/// Append `s` escaped as element content. Returns how many chars had to be replaced.
pub(super) fn push_text(out: &mut String, s: &str) -> usize {
    let mut replaced = 0;
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A literal CR would be read back as LF.
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {
                replaced += 1;
                out.push('\u{FFFD}');
            }
        }
    }
    replaced
}

/// `name="value"` with a leading space, escaped; returns the count of replaced chars.
pub(super) fn attr(out: &mut String, name: &str, value: &str) -> usize {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    let n = push_attr(out, value);
    out.push('"');
    n
}

/// One piece of an XML document, with names reduced to their local part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Node {
    /// An opening tag (or an empty element, then `empty` is true and no `End` follows).
    Start {
        /// The local name (`Sofa` for `cas:Sofa`).
        name: String,
        /// The qualified name as written, for messages.
        qname: String,
        /// Attributes by local name, values normalised and unescaped; namespace
        /// declarations left out.
        attrs: Vec<(String, String)>,
        /// True for `<x/>`.
        empty: bool,
    },
    /// A closing tag, by local name.
    End(String),
    /// Character data, references resolved.
    Text(String),
}

impl Node {
    /// The value of attribute `key` (by local name) of a start tag.
    pub(super) fn attr(&self, key: &str) -> Option<&str> {
        match self {
            Self::Start { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// A safe pull reader over a whole UTF-8 document.
pub(super) struct Reader<'a> {
    inner: quick_xml::Reader<&'a [u8]>,
    text: &'a str,
    path: &'a Path,
    format: Format,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str, path: &'a Path, format: Format) -> Self {
        let mut inner = quick_xml::Reader::from_str(text);
        let config = inner.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Self {
            inner,
            text,
            path,
            format,
        }
    }

    /// The 1-based line of byte `pos`.
    fn line_at(&self, pos: u64) -> usize {
        let pos = usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        self.text
            .as_bytes()
            .get(..pos)
            .map_or(1, |b| super::bytecount(b) + 1)
    }

    /// The line the reader is at, for messages of the caller.
    pub(super) fn line(&self) -> usize {
        self.line_at(self.inner.buffer_position())
    }

    /// A malformed-file error at the current line.
    pub(super) fn error(&self, message: impl Into<String>) -> InteropError {
        InteropError::malformed(self.format, Some(self.line()), message, self.path)
    }

    fn refused(&self, reason: &str) -> InteropError {
        InteropError::Refused {
            what: format!("the XML at line {}", self.line()),
            reason: reason.to_owned(),
            path: self.path.to_owned(),
        }
    }

    /// The next node, or `None` at the end of the document.
    pub(super) fn next(&mut self) -> Result<Option<Node>, InteropError> {
        loop {
            let event = self.inner.read_event().map_err(|e| {
                let line = self.line_at(self.inner.error_position());
                InteropError::malformed(self.format, Some(line), e.to_string(), self.path)
            })?;
            match event {
                Event::Eof => return Ok(None),
                Event::DocType(_) => {
                    return Err(self.refused(
                        "it has a DOCTYPE, which could define entities or fetch external files; spanmark never resolves one",
                    ));
                }
                Event::Decl(decl) => {
                    if let Some(Ok(enc)) = decl.encoding() {
                        let enc = String::from_utf8_lossy(&enc).to_lowercase();
                        if enc != "utf-8" && enc != "utf8" {
                            return Err(self.error(format!(
                                "the declared encoding is {enc}; only UTF-8 is read"
                            )));
                        }
                    }
                }
                Event::Start(e) => return self.start(&e, false).map(Some),
                Event::Empty(e) => return self.start(&e, true).map(Some),
                Event::End(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    return Ok(Some(Node::End(name)));
                }
                Event::Text(t) => {
                    let raw = String::from_utf8_lossy(&t.into_inner()).into_owned();
                    let text = unescape(&normalise_line_ends(&raw)).map_err(|m| self.error(m))?;
                    return Ok(Some(Node::Text(text)));
                }
                Event::CData(t) => {
                    let raw = String::from_utf8_lossy(&t.into_inner()).into_owned();
                    return Ok(Some(Node::Text(normalise_line_ends(&raw))));
                }
                Event::GeneralRef(r) => {
                    let name = String::from_utf8_lossy(&r.into_inner()).into_owned();
                    let text = unescape(&format!("&{name};")).map_err(|m| self.error(m))?;
                    return Ok(Some(Node::Text(text)));
                }
                Event::Comment(_) | Event::PI(_) => {}
            }
        }
    }

    fn start(
        &self,
        e: &quick_xml::events::BytesStart<'_>,
        empty: bool,
    ) -> Result<Node, InteropError> {
        let qname = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| self.error(err.to_string()))?;
            let key = a.key;
            let full = String::from_utf8_lossy(key.as_ref()).into_owned();
            if full == "xmlns" || full.starts_with("xmlns:") {
                continue;
            }
            let local = String::from_utf8_lossy(key.local_name().as_ref()).into_owned();
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            let value = unescape(&normalise_attr(&raw)).map_err(|m| self.error(m))?;
            attrs.push((local, value));
        }
        Ok(Node::Start {
            name,
            qname,
            attrs,
            empty,
        })
    }
}

/// XML end-of-line handling: CRLF and lone CR become LF.
fn normalise_line_ends(raw: &str) -> String {
    if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw.to_owned()
    }
}

/// Attribute-value normalisation (XML 1.0, 3.3.3, for CDATA attributes): after line-end
/// handling, each literal tab, line feed or carriage return becomes a space. Character
/// references (`&#10;`) are resolved after this, so they survive.
fn normalise_attr(raw: &str) -> String {
    normalise_line_ends(raw).replace(['\n', '\t'], " ")
}

/// Resolve the predefined entities and character references of `s`; anything else is
/// refused (a DOCTYPE would be needed to define it, and that is refused too).
pub(super) fn unescape(s: &str) -> Result<String, String> {
    if !s.contains('&') {
        return Ok(s.to_owned());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        let Some(end) = after.find(';') else {
            return Err("an & that starts no reference (write &amp;)".to_owned());
        };
        let name = after.get(..end).unwrap_or_default();
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    return Err(format!(
                        "the entity &{name}; is not one of XML's five; spanmark expands no other entities"
                    ));
                };
                match code.and_then(char::from_u32).filter(|&c| is_xml_char(c)) {
                    Some(c) => c,
                    None => {
                        return Err(format!("&{name}; is not a character XML 1.0 can hold"));
                    }
                }
            }
        };
        out.push(c);
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(xml: &str) -> Result<Vec<Node>, InteropError> {
        let path = Path::new("t.xml");
        let mut r = Reader::new(xml, path, Format::Xmi);
        let mut out = Vec::new();
        while let Some(n) = r.next()? {
            out.push(n);
        }
        Ok(out)
    }

    #[test]
    fn attribute_escapes_survive_a_parser() -> Result<(), InteropError> {
        let value = "line\nbreak\ttab \"q\" <&> \r cr";
        let mut xml = String::from("<a");
        assert_eq!(attr(&mut xml, "v", value), 0);
        xml.push_str("/>");
        assert!(xml.contains("&#10;") && xml.contains("&#9;"));
        let parsed = nodes(&xml)?;
        assert_eq!(parsed.first().and_then(|n| n.attr("v")), Some(value));
        Ok(())
    }

    #[test]
    fn literal_whitespace_in_attributes_is_normalised_as_xml_says() -> Result<(), InteropError> {
        let parsed = nodes("<a v=\"x\ny\tz\r\nw\"/>")?;
        assert_eq!(parsed.first().and_then(|n| n.attr("v")), Some("x y z w"));
        Ok(())
    }

    #[test]
    fn control_characters_are_replaced_one_for_one() {
        let mut out = String::new();
        assert_eq!(push_text(&mut out, "a\u{1}b\u{FFFF}c"), 2);
        assert_eq!(out, "a\u{FFFD}b\u{FFFD}c");
        assert_eq!(invalid_chars("a\u{1}\u{7f}\u{85}"), 1);
    }

    #[test]
    fn doctype_and_unknown_entities_are_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><a>&lol;</a>";
        assert!(matches!(nodes(bomb), Err(InteropError::Refused { .. })));
        let xxe = "<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>";
        assert!(matches!(nodes(xxe), Err(InteropError::Refused { .. })));
        assert!(matches!(
            nodes("<a>&foo;</a>"),
            Err(InteropError::Malformed { .. })
        ));
        assert!(matches!(
            nodes("<a v=\"&foo;\"/>"),
            Err(InteropError::Malformed { .. })
        ));
    }

    #[test]
    fn malformed_xml_names_its_line() {
        let err = nodes("<a>\n<b>\n</a>").err();
        assert!(
            matches!(err, Some(InteropError::Malformed { line: Some(3), .. })),
            "{err:?}"
        );
    }

    #[test]
    fn references_in_text_are_resolved() -> Result<(), InteropError> {
        let parsed = nodes("<a>x &amp; &#x1F642; &#10;y</a>")?;
        let text: String = parsed
            .iter()
            .filter_map(|n| match n {
                Node::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(text, "x & 🙂 \ny");
        Ok(())
    }
}
