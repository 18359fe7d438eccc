//! A linear pre-pass over a rule file, before pest sees it.
//!
//! It finds where items begin (so that one broken item costs one diagnostic
//! and the rest still parse), collects ordinary comments for the formatter,
//! and catches the inputs that would make a recursive-descent parser slow or
//! deep: unterminated strings and runaway nesting. It never fails and runs in
//! time linear in the input.

use crate::source::Span;

/// Parentheses, brackets and `!` nested deeper than this are refused before
/// parsing, so that no input can exhaust the stack of the parser or of the
/// passes that walk expressions (an unoptimised build on a 2 MiB thread
/// stack manages about 50). Real predicates nest a handful of levels.
pub const MAX_NESTING: usize = 32;

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Byte ranges of the items (and of any junk between them), covering the
    /// text from the first non-blank token to the end.
    pub chunks: Vec<Chunk>,
    /// Every ordinary comment.
    pub comments: Vec<Span>,
}

/// One item's worth of text, with what the scan learned about it.
#[derive(Debug)]
pub struct Chunk {
    /// Where it is.
    pub span: Span,
    /// A problem that makes parsing pointless, found by the scan.
    pub problem: Option<Problem>,
}

/// A problem found by the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A string or regex that is not closed on its line, starting here.
    Unterminated(Span),
    /// Nesting deeper than [`MAX_NESTING`], first exceeded here.
    TooDeep(Span),
}

const ITEM_KEYWORDS: [&str; 3] = ["service", "match", "when"];

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Scans `text`.
pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut out = Scan::default();
    let mut starts: Vec<usize> = Vec::new();
    let mut problems: Vec<(usize, Problem)> = Vec::new();

    let mut depth = 0usize; // braces
    let mut nesting = 0usize; // parentheses and brackets
    let mut bangs = 0usize; // consecutive `!` operators
    let mut pending_docs: Option<usize> = None;
    let mut first_token: Option<usize> = None;
    let mut line_start = 0usize;
    // A byte-order mark is not a token.
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };

    while i < bytes.len() {
        let b = bytes[i];
        // Blanks, comments and byte-order marks separate tokens without
        // ending a run of `!`; any other token ends it.
        let continues_run = matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'(' | b'[' | b'!')
            || (b == b'/' && bytes.get(i + 1) == Some(&b'/'))
            || text
                .get(i..)
                .is_some_and(|rest| rest.starts_with('\u{feff}'));
        if !continues_run {
            bangs = 0;
        }
        match b {
            b'\n' => {
                line_start = i + 1;
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'!' if bytes.get(i + 1) != Some(&b'=') => {
                bangs += 1;
                if nesting + bangs == MAX_NESTING + 1 {
                    problems.push((i, Problem::TooDeep(Span::new(i, i + 1))));
                }
                first_token.get_or_insert(i);
                pending_docs = None;
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = memchr_newline(bytes, i);
                let is_doc = bytes.get(i + 2) == Some(&b'/') && bytes.get(i + 3) != Some(&b'/');
                if is_doc {
                    let at_top = depth == 0 || i == line_start;
                    if at_top && pending_docs.is_none() {
                        pending_docs = Some(i);
                    }
                    first_token.get_or_insert(i);
                } else {
                    out.comments.push(Span::new(i, end));
                }
                i = end;
            }
            b'"' => {
                first_token.get_or_insert(i);
                pending_docs = None;
                i = skip_string(bytes, i, false, &mut problems);
            }
            b'r' if bytes.get(i + 1) == Some(&b'"') && (i == 0 || !is_ident_byte(bytes[i - 1])) => {
                first_token.get_or_insert(i);
                pending_docs = None;
                i = skip_string(bytes, i + 1, true, &mut problems);
            }
            b'{' => {
                depth += 1;
                pending_docs = None;
                first_token.get_or_insert(i);
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    nesting = 0;
                }
                pending_docs = None;
                first_token.get_or_insert(i);
                i += 1;
            }
            b'(' | b'[' => {
                nesting += 1;
                if nesting + bangs == MAX_NESTING + 1 {
                    problems.push((i, Problem::TooDeep(Span::new(i, i + 1))));
                }
                first_token.get_or_insert(i);
                pending_docs = None;
                i += 1;
            }
            b')' | b']' => {
                nesting = nesting.saturating_sub(1);
                first_token.get_or_insert(i);
                pending_docs = None;
                i += 1;
            }
            _ if is_ident_byte(b) && (i == 0 || !is_ident_byte(bytes[i - 1])) => {
                let mut end = i;
                while end < bytes.len() && is_ident_byte(bytes[end]) {
                    end += 1;
                }
                let word = &text[i..end];
                let at_line_start = i == line_start;
                // Inside braces, a keyword at the start of a line begins a new
                // item (the one before lacks its `}`) only when it reads like
                // an item header: `service NAME`, not `service.dns`.
                // Outside braces, a keyword starts an item at the start of a
                // line, or elsewhere when an item header follows it (so that
                // `service service {` is one item).
                let starts_item = ITEM_KEYWORDS.contains(&word)
                    && if depth == 0 {
                        at_line_start || header_follows(bytes, word, end)
                    } else {
                        at_line_start && header_follows(bytes, word, end)
                    };
                if starts_item {
                    let start = pending_docs.take().unwrap_or(i);
                    starts.push(start);
                    depth = 0;
                    nesting = 0;
                } else {
                    pending_docs = None;
                }
                first_token.get_or_insert(i);
                i = end;
            }
            _ if text
                .get(i..)
                .is_some_and(|rest| rest.starts_with('\u{feff}')) =>
            {
                i += 3
            }
            _ => {
                first_token.get_or_insert(i);
                pending_docs = None;
                // step over one whole character
                i += utf8_len(b);
            }
        }
    }

    // Junk before the first item is a chunk of its own, so it gets reported.
    if let Some(first) = first_token
        && starts.first().is_none_or(|&s| s > first)
    {
        starts.insert(0, first);
    }
    starts.dedup();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(text.len());
        let problem = problems
            .iter()
            .find(|(at, _)| *at >= start && *at < end)
            .map(|(_, p)| *p);
        out.chunks.push(Chunk {
            span: Span::new(start, end),
            problem,
        });
    }
    out
}

/// Whether an item header follows the keyword `word` ending at `at`:
/// `service NAME {`, `match NAME {` or `match NAME for`, `when NAME is`.
fn header_follows(bytes: &[u8], word: &str, at: usize) -> bool {
    let skip_blanks = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let word_at = |i: usize| {
        let mut end = i;
        while end < bytes.len() && is_ident_byte(bytes[end]) {
            end += 1;
        }
        (end, bytes.get(i..end).unwrap_or(&[]))
    };
    let i = skip_blanks(at);
    if i == at
        || !bytes
            .get(i)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
    {
        return false;
    }
    let (after_name, _) = word_at(i);
    let next = skip_blanks(after_name);
    let (_, following) = word_at(next);
    match word {
        "service" => bytes.get(next) == Some(&b'{'),
        "match" => bytes.get(next) == Some(&b'{') || following == b"for",
        _ => following == b"is",
    }
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// Skips a string starting at the quote at `quote`; returns the offset after
/// its closing quote, or records a problem and returns the end of the line.
fn skip_string(
    bytes: &[u8],
    quote: usize,
    raw: bool,
    problems: &mut Vec<(usize, Problem)>,
) -> usize {
    let start = if raw { quote - 1 } else { quote };
    let mut j = quote + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'"' => return j + 1,
            b'\\' if !raw && bytes.get(j + 1).is_some_and(|&c| c != b'\n') => j += 2,
            b'\n' => break,
            _ => j += 1,
        }
    }
    let end = j.min(bytes.len());
    problems.push((start, Problem::Unterminated(Span::new(start, end))));
    end
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk_texts(text: &str) -> Vec<&str> {
        scan(text)
            .chunks
            .iter()
            .map(|c| text[c.span.start..c.span.end].trim_end())
            .collect()
    }

    #[test]
    fn splits_at_items_and_keeps_docs_with_them() {
        let text = "/// a\nservice a {}\n// note\nmatch m { }\nwhen a is provided {}\n";
        assert_eq!(
            chunk_texts(text),
            [
                "/// a\nservice a {}\n// note",
                "match m { }",
                "when a is provided {}"
            ]
        );
    }

    #[test]
    fn an_unclosed_brace_does_not_swallow_the_next_item() {
        let text = "service a {\n  x: int\nservice b {}\n";
        assert_eq!(chunk_texts(text), ["service a {\n  x: int", "service b {}"]);
    }

    #[test]
    fn keywords_used_as_names_at_a_line_start_are_not_items() {
        let text = "match m {\n  kubernetes Deployment {\n    host =\nservice.dns\n  }\n}\n";
        assert_eq!(chunk_texts(text).len(), 1);
        let text = "match m {\n  compose\nservice if image ~ r\"x\"\n}\n";
        assert_eq!(chunk_texts(text).len(), 1);
    }

    #[test]
    fn item_keywords_can_name_things() {
        for text in [
            "service service {}\n",
            "match service for service {}\n",
            "when service is provided {}\n",
            "service a {} service b {}\n",
        ] {
            let expected = if text.starts_with("service a") { 2 } else { 1 };
            assert_eq!(chunk_texts(text).len(), expected, "{text:?}");
        }
    }

    #[test]
    fn keywords_in_strings_and_comments_are_not_items() {
        let text = "service a { x: enum(\"when\") // match\n}\n";
        assert_eq!(chunk_texts(text).len(), 1);
    }

    #[test]
    fn reports_unterminated_strings_and_deep_nesting() {
        let s = scan("service a { x: int = \"oops\n}\n");
        assert!(matches!(
            s.chunks[0].problem,
            Some(Problem::Unterminated(_))
        ));
        let deep = format!("when a is provided {{ drop if {} }}", "(".repeat(10_000));
        let s = scan(&deep);
        assert!(matches!(s.chunks[0].problem, Some(Problem::TooDeep(_))));
        let nots = format!("when a is provided {{ drop if {}c.x }}", "!".repeat(10_000));
        assert!(matches!(
            scan(&nots).chunks[0].problem,
            Some(Problem::TooDeep(_))
        ));
        let ok = format!(
            "when a is provided {{ drop if {}c.x{} }}",
            "!(".repeat(15),
            ")".repeat(15)
        );
        assert!(scan(&ok).chunks[0].problem.is_none());
    }

    #[test]
    fn junk_before_the_first_item_is_its_own_chunk() {
        assert_eq!(
            chunk_texts("garbage\nservice a {}"),
            ["garbage", "service a {}"]
        );
    }
}
