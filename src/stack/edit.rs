//! Edits to a YAML or JSON file as splices of its text: untouched bytes stay
//! exactly as they were, comments included, and new content is written in the
//! style of the collection it joins (block YAML at its indentation, or flow
//! `{...}`/`[...]`, which is also JSON).

use super::yaml::{Node, trim_end};
use serde_json::Value as Json;
use std::fmt::Write as _;

/// One splice: replace `start..end` with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Splice {
    start: usize,
    end: usize,
    text: String,
    /// For insertions at one offset: deeper content goes first, so that an
    /// item added to a nested list stays inside it when a new key is added
    /// to the mapping that holds the list.
    depth: usize,
    seq: usize,
}

/// The splices to make to one file's text.
#[derive(Clone, Debug, Default)]
pub struct Splices {
    splices: Vec<Splice>,
}

/// Two edits touched the same bytes: a bug in the caller, reported rather
/// than written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap {
    /// Where the second edit starts.
    pub offset: usize,
}

impl Splices {
    /// No splices.
    pub fn new() -> Splices {
        Splices::default()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.splices.is_empty()
    }

    /// Replace `start..end` with `text`.
    pub fn replace(&mut self, start: usize, end: usize, text: impl Into<String>) {
        self.insert_at_depth(start, end, text, 0);
    }

    /// Insert `text` at `at`; insertions at one offset keep their order.
    pub fn insert(&mut self, at: usize, text: impl Into<String>) {
        self.replace(at, at, text);
    }

    /// Insert `text`, nested `depth` columns deep, at `at`: at one offset,
    /// deeper insertions come first.
    fn insert_nested(&mut self, at: usize, text: impl Into<String>, depth: usize) {
        self.insert_at_depth(at, at, text, depth);
    }

    fn insert_at_depth(&mut self, start: usize, end: usize, text: impl Into<String>, depth: usize) {
        let seq = self.splices.len();
        self.splices.push(Splice {
            start,
            end,
            text: text.into(),
            depth,
            seq,
        });
    }

    /// Delete `start..end`.
    pub fn delete(&mut self, start: usize, end: usize) {
        self.replace(start, end, "");
    }

    /// The text with every splice made. In a file whose lines end in CRLF,
    /// the line breaks of new text do too.
    pub fn apply(mut self, text: &str) -> Result<String, Overlap> {
        if text.contains("\r\n") {
            for s in &mut self.splices {
                if s.text.contains('\n') && !s.text.contains("\r\n") {
                    s.text = s.text.replace('\n', "\r\n");
                }
            }
        }
        self.splices.sort_by_key(|s| {
            (
                s.start,
                s.end.max(s.start),
                std::cmp::Reverse(s.depth),
                s.seq,
            )
        });
        let mut out = String::with_capacity(text.len() + 256);
        let mut cursor = 0;
        for s in &self.splices {
            if s.start < cursor || s.end < s.start || s.end > text.len() {
                return Err(Overlap { offset: s.start });
            }
            out.push_str(&text[cursor..s.start]);
            out.push_str(&s.text);
            cursor = s.end;
        }
        out.push_str(&text[cursor..]);
        Ok(out)
    }
}

/// The byte offset where the line holding `offset` starts.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}

/// The column (in bytes) of `offset` on its line.
pub fn column(text: &str, offset: usize) -> usize {
    offset - line_start(text, offset)
}

/// The column of a mapping key that starts at `offset`, its tag and anchor
/// included (`!Ref a:` is at the column of its `!`): the column its
/// siblings are written at.
fn key_column(text: &str, offset: usize) -> usize {
    let line = line_start(text, offset);
    let mut start = offset;
    loop {
        let before = text[line..start].trim_end_matches(' ');
        let token = before.rfind(' ').map_or(0, |i| i + 1);
        let word = &before[token..];
        if word.starts_with(['!', '&']) && word.len() > 1 {
            start = line + token;
        } else {
            break;
        }
    }
    start - line
}

/// The start of the comment lines directly above the line that starts at
/// `line` (no blank line between), or `line` itself.
fn comments_above(text: &str, line: usize) -> usize {
    let mut start = line;
    while start > 0 {
        let prev = line_start(text, start - 1);
        if text[prev..start].trim_start().starts_with('#') {
            start = prev;
        } else {
            break;
        }
    }
    start
}

/// Whether only blanks come before `offset` on its line.
fn first_on_line(text: &str, offset: usize) -> bool {
    text[line_start(text, offset)..offset]
        .bytes()
        .all(|b| b == b' ' || b == b'\t')
}

/// For a flow collection written one element per line (pretty-printed
/// JSON), where a new element goes (after the last) and the text before
/// it: a comma, a line break and the last element's indentation.
fn flow_lines(text: &str, last_start: usize, last_end: usize) -> Option<(usize, String)> {
    if !first_on_line(text, last_start) {
        return None;
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let indent = &text[line_start(text, last_start)..last_start];
    Some((last_end, format!(",{newline}{indent}")))
}

/// The column of the `-` that introduces a block sequence item starting at
/// `item_start`.
fn dash_column(text: &str, item_start: usize) -> usize {
    let before = &text[line_start(text, item_start)..item_start];
    match before.rfind('-') {
        Some(i) => i,
        None => column(text, item_start).saturating_sub(2),
    }
}

/// Replaces a mapping's value with `value`.
pub fn replace_value(
    splices: &mut Splices,
    text: &str,
    parent: &Node,
    key: &Node,
    old: &Node,
    value: &Json,
) {
    // A null's tag after it (`env: !!null`, whose span is before the tag)
    // goes with it.
    let mut end = old.span().end;
    if old.is_null() {
        let rest = &text[end..];
        let tag = rest.trim_start_matches(' ');
        if tag.starts_with('!') {
            end += rest.len() - tag.len()
                + tag
                    .find([' ', ',', '}', ']', '\n', '\r'])
                    .unwrap_or(tag.len());
        }
    }
    if parent.is_flow() || old.is_flow() {
        // An empty value (`{env: , ...}`) is where its colon ends: a blank
        // goes between (`env:[...]` is not read back as a key).
        let start = old.span().start;
        let blank = if text[..start].ends_with(':') {
            " "
        } else {
            ""
        };
        splices.replace(start, end, format!("{blank}{}", flow(value)));
        return;
    }
    let indent = key_column(text, key.span().start);
    let mut rendered = String::new();
    entry_tail(&mut rendered, value, indent);
    // From the end of the key: `: value`, whatever the old value's style.
    splices.replace(key.span().end, end.max(key.span().end), rendered);
}

/// Adds `key: value` to a mapping.
pub fn insert_entry(splices: &mut Splices, text: &str, map: &Node, key: &str, value: &Json) {
    let entries = map.entries();
    if map.is_flow() {
        if let Some((at, sep)) = entries
            .last()
            .and_then(|(k, v)| flow_lines(text, k.span().start, v.span().end.max(k.span().end)))
        {
            splices.insert(at, format!("{sep}{}: {}", json_string(key), flow(value)));
            return;
        }
        let close = map.span().end.saturating_sub(1);
        let sep = if entries.is_empty() { "" } else { ", " };
        splices.insert(close, format!("{sep}{}: {}", json_string(key), flow(value)));
        return;
    }
    let Some((first_key, _)) = entries.first() else {
        // An empty block mapping is written `{}` or as nothing at all.
        splices.replace(
            map.span().start,
            map.span().end,
            format!("{{{}: {}}}", json_string(key), flow(value)),
        );
        return;
    };
    let indent = key_column(text, first_key.span().start);
    let at = trim_end(text, map.span().start, map.span().end);
    let mut rendered = String::from("\n");
    pad(&mut rendered, indent);
    push_key(&mut rendered, key);
    entry_tail(&mut rendered, value, indent);
    splices.insert_nested(at, rendered, indent);
}

/// Adds `value` as the last item of a sequence.
pub fn push_item(splices: &mut Splices, text: &str, seq: &Node, value: &Json) {
    let items = seq.items();
    if seq.is_flow() {
        if let Some((at, sep)) = items
            .last()
            .and_then(|i| flow_lines(text, i.span().start, i.span().end))
        {
            splices.insert(at, format!("{sep}{}", flow(value)));
            return;
        }
        let close = seq.span().end.saturating_sub(1);
        let sep = if items.is_empty() { "" } else { ", " };
        splices.insert(close, format!("{sep}{}", flow(value)));
        return;
    }
    let Some(first) = items.first() else {
        splices.replace(
            seq.span().start,
            seq.span().end,
            format!("[{}]", flow(value)),
        );
        return;
    };
    let dash = dash_column(text, first.span().start);
    let at = trim_end(text, seq.span().start, seq.span().end);
    let mut rendered = String::from("\n");
    pad(&mut rendered, dash);
    rendered.push_str("- ");
    item_body(&mut rendered, value, dash + 2);
    splices.insert_nested(at, rendered, dash + 1);
}

/// What goes before a flow collection's closing bracket (at `close`) to add
/// `joined` after its last child (ending at `last`): a comma first, unless
/// one already ends the last child (`[a, b, ]`).
fn after_last(text: &str, last: usize, close: usize, joined: &[String]) -> String {
    let trailing = text
        .get(last.min(close)..close)
        .is_some_and(|t| t.contains(','));
    if trailing {
        format!("{} ", joined.join(", "))
    } else {
        format!(", {}", joined.join(", "))
    }
}

/// Adds `values` as the last items of a sequence, in one insertion (so that
/// a flow sequence gets its commas right).
pub fn push_items<J: std::borrow::Borrow<Json>>(
    splices: &mut Splices,
    text: &str,
    seq: &Node,
    values: &[J],
) {
    if values.is_empty() {
        return;
    }
    if let Some((at, sep)) = seq
        .items()
        .last()
        .filter(|_| seq.is_flow())
        .and_then(|i| flow_lines(text, i.span().start, i.span().end))
    {
        let items: Vec<String> = values
            .iter()
            .map(|v| format!("{sep}{}", flow(v.borrow())))
            .collect();
        splices.insert(at, items.concat());
        return;
    }
    if seq.is_flow() || seq.items().is_empty() {
        let joined: Vec<String> = values.iter().map(|v| flow(v.borrow())).collect();
        if seq.items().is_empty() {
            splices.replace(
                seq.span().start,
                seq.span().end,
                format!("[{}]", joined.join(", ")),
            );
        } else {
            let close = seq.span().end.saturating_sub(1);
            let last = seq.items().last().map_or(close, |i| i.span().end);
            splices.insert(close, after_last(text, last, close, &joined));
        }
        return;
    }
    for v in values {
        push_item(splices, text, seq, v.borrow());
    }
}

/// Adds `entries` to a mapping, in one insertion (so that a flow mapping gets
/// its commas right).
pub fn insert_entries(splices: &mut Splices, text: &str, map: &Node, entries: &[(String, Json)]) {
    if entries.is_empty() {
        return;
    }
    if let Some((at, sep)) = map
        .entries()
        .last()
        .filter(|_| map.is_flow())
        .and_then(|(k, v)| flow_lines(text, k.span().start, v.span().end.max(k.span().end)))
    {
        let items: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("{sep}{}: {}", json_string(k), flow(v)))
            .collect();
        splices.insert(at, items.concat());
        return;
    }
    if map.is_flow() || map.entries().is_empty() {
        let joined: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("{}: {}", json_string(k), flow(v)))
            .collect();
        if map.entries().is_empty() {
            splices.replace(
                map.span().start,
                map.span().end,
                format!("{{{}}}", joined.join(", ")),
            );
        } else {
            let close = map.span().end.saturating_sub(1);
            let last = map.entries().last().map_or(close, |(_, v)| v.span().end);
            splices.insert(close, after_last(text, last, close, &joined));
        }
        return;
    }
    for (k, v) in entries {
        insert_entry(splices, text, map, k, v);
    }
}

/// Sets `key` of a mapping to `value`: replaces a value that is there (a
/// `key:` with nothing after it included), or adds the entry.
pub fn set_entry(splices: &mut Splices, text: &str, map: &Node, key: &str, value: &Json) {
    match map.entry(key) {
        Some((k, old)) => replace_value(splices, text, map, k, old, value),
        None => insert_entry(splices, text, map, key, value),
    }
}

/// Inserts `value` as an item just before the item `before` of `seq`.
pub fn insert_item_before(
    splices: &mut Splices,
    text: &str,
    seq: &Node,
    before: &Node,
    value: &Json,
) {
    if seq.is_flow() {
        splices.insert(before.span().start, format!("{}, ", flow(value)));
        return;
    }
    let dash = dash_column(text, before.span().start);
    let mut rendered = String::new();
    item_body(&mut rendered, value, dash + 2);
    write!(rendered, "\n{}- ", " ".repeat(dash)).ok();
    splices.insert(before.span().start, rendered);
}

/// Replaces the item `old` of a sequence with `value`.
pub fn replace_item(splices: &mut Splices, text: &str, seq: &Node, old: &Node, value: &Json) {
    if seq.is_flow() {
        splices.replace(old.span().start, old.span().end, flow(value));
        return;
    }
    let dash = dash_column(text, old.span().start);
    let mut rendered = String::new();
    item_body(&mut rendered, value, dash + 2);
    splices.replace(old.span().start, old.span().end, rendered);
}

/// The indices below `len` among `indices` (any order, repeats allowed) as
/// runs of neighbours `(first, last)`, in order; `None` when they are all
/// of `0..len` (and `len` is not 0).
fn runs(indices: &[usize], len: usize) -> Option<Vec<(usize, usize)>> {
    let mut gone: Vec<usize> = indices.iter().copied().filter(|&i| i < len).collect();
    gone.sort_unstable();
    gone.dedup();
    if !gone.is_empty() && gone.len() == len {
        return None;
    }
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in gone {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == i => *last = i,
            _ => runs.push((i, i)),
        }
    }
    Some(runs)
}

/// Removes the items at `indices` of a sequence (any order, no repeats),
/// a run of neighbours at a time so that no two deletions overlap. Removing
/// every item leaves `[]`.
pub fn remove_items(splices: &mut Splices, text: &str, seq: &Node, indices: &[usize]) {
    let items = seq.items();
    let Some(runs) = runs(indices, items.len()) else {
        splices.replace(seq.span().start, seq.span().end, "[]");
        return;
    };
    for (first, last) in runs {
        let next = items.get(last + 1);
        if first > 0 {
            // From the end of the item before: its line break goes too.
            splices.delete(items[first - 1].span().end, items[last].span().end);
        } else if let Some(next) = next {
            if seq.is_flow() {
                splices.delete(items[0].span().start, next.span().start);
            } else {
                let from = line_start(text, items[0].span().start);
                let to = line_start(text, next.span().start);
                let dash = dash_column(text, items[0].span().start);
                if from < to && first_on_line(text, from + dash) {
                    splices.delete(from, to);
                } else {
                    splices.delete(items[0].span().start, next.span().start);
                }
            }
        }
    }
}

/// Removes the entry at `index` of a mapping.
pub fn remove_entry(splices: &mut Splices, text: &str, map: &Node, index: usize) {
    let entries = map.entries();
    let Some((key, value)) = entries.get(index) else {
        return;
    };
    if entries.len() == 1 {
        splices.replace(map.span().start, map.span().end, "{}");
        return;
    }
    if map.is_flow() {
        match entries.get(index + 1) {
            Some((next, _)) => splices.delete(key.span().start, next.span().start),
            None => splices.delete(entries[index - 1].1.span().end, value.span().end),
        }
        return;
    }
    if index > 0 && first_on_line(text, key.span().start) {
        let prev_end = entries[index - 1]
            .1
            .span()
            .end
            .max(entries[index - 1].0.span().end);
        splices.delete(prev_end, value.span().end.max(key.span().end));
    } else {
        let (next, _) = &entries[index + 1];
        splices.delete(key.span().start, next.span().start);
    }
}

/// Removes the entries at `indices` of a mapping (any order, no repeats), a
/// run of neighbours at a time so that no two deletions overlap. Removing
/// every entry leaves `{}`.
pub fn remove_entries(splices: &mut Splices, text: &str, map: &Node, indices: &[usize]) {
    let entries = map.entries();
    let Some(runs) = runs(indices, entries.len()) else {
        splices.replace(map.span().start, map.span().end, "{}");
        return;
    };
    let end_of = |i: usize| entries[i].1.span().end.max(entries[i].0.span().end);
    for (first, last) in runs {
        let key = entries[first].0.span().start;
        if first > 0 && (map.is_flow() || first_on_line(text, key)) {
            // From the end of the entry before: its line break goes too.
            splices.delete(end_of(first - 1), end_of(last));
            continue;
        }
        // Not every entry goes, so one follows the run.
        let next = entries[last + 1].0.span().start;
        if !map.is_flow() && first_on_line(text, key) && first_on_line(text, next) {
            // Whole lines, with the comment lines just above the first.
            splices.delete(
                comments_above(text, line_start(text, key)),
                line_start(text, next),
            );
        } else {
            splices.delete(key, next);
        }
    }
}

/// Whether a string can be written plain in YAML and read back as the same
/// string, under both YAML 1.1 and 1.2.
fn plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if first.is_ascii_digit() || matches!(first, '-' | '+' | '.') {
        // Numbers, dates, `-` and `.inf` would read as something else.
        return s.chars().any(|c| c.is_ascii_alphabetic())
            && !s.starts_with('-')
            && !s.starts_with('.')
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'/'))
            && s.parse::<f64>().is_err();
    }
    let words = [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "=",
    ];
    if words.iter().any(|w| s.eq_ignore_ascii_case(w)) {
        return false;
    }
    s.bytes().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.' | b'_' | b'/' | b':' | b'@' | b'$' | b'(' | b')' | b'='
            )
    }) && !s.contains(": ")
        && !s.ends_with(':')
        && !s.contains(" #")
}

/// A multi-line string as a literal block scalar replacing the block scalar
/// whose indicator is at `indicator`, indented as that one's content was;
/// `None` when the text cannot be written as a literal block.
pub fn literal_block(text: &str, indicator: usize, value: &str) -> Option<String> {
    if !literal_block_ok(value) {
        return None;
    }
    let after = &text[indicator..];
    let header_end = after.find('\n')?;
    let content = &after[header_end + 1..];
    let indent = content
        .lines()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())?;
    let chomp = if value.ends_with('\n') { "" } else { "-" };
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}");
    for line in value.trim_end_matches('\n').split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            write!(out, "\n{pad}{line}").ok();
        }
    }
    Some(out)
}

/// A JSON string literal (also a double-quoted YAML scalar).
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A JSON string literal's content (`raw`, without its quotes) read: the
/// text it stands for, and for each byte offset of that text (its length
/// included) the offset in `raw` where it is written. An escape's bytes all
/// map to the escape's start. `None` when `raw` is not well formed.
pub fn unescape_json(raw: &str) -> Option<(String, Vec<usize>)> {
    let mut text = String::with_capacity(raw.len());
    let mut at = Vec::with_capacity(raw.len() + 1);
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let start = i;
        let c = if bytes[i] == b'\\' {
            let e = *bytes.get(i + 1)?;
            i += 2;
            match e {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let unit = |at: usize| {
                        raw.get(at..at + 4)
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                    };
                    let high = unit(i)?;
                    i += 4;
                    if (0xD800..0xDC00).contains(&high) {
                        let low = raw
                            .get(i..i + 2)
                            .filter(|p| *p == "\\u")
                            .and(unit(i + 2))
                            .filter(|low| (0xDC00..0xE000).contains(low))?;
                        i += 6;
                        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?
                    } else {
                        char::from_u32(high)?
                    }
                }
                _ => return None,
            }
        } else {
            let c = raw[i..].chars().next()?;
            i += c.len_utf8();
            c
        };
        at.extend(std::iter::repeat_n(start, c.len_utf8()));
        text.push(c);
    }
    at.push(raw.len());
    Some((text, at))
}

/// A string as a YAML scalar: plain when that reads back as the same
/// string, double-quoted otherwise.
pub fn scalar_str(s: &str) -> String {
    if plain_safe(s) {
        s.to_string()
    } else {
        json_string(s)
    }
}

/// A value in flow style: JSON.
pub fn flow(value: &Json) -> String {
    value.to_string()
}

/// A mapping key as YAML, written to `out`.
fn push_key(out: &mut String, key: &str) {
    if plain_safe(key) && !key.contains(':') {
        out.push_str(key);
    } else {
        out.push_str(&json_string(key));
    }
}

fn is_collection(value: &Json) -> bool {
    match value {
        Json::Object(m) => !m.is_empty(),
        Json::Array(a) => !a.is_empty(),
        _ => false,
    }
}

/// `: value` after a key at column `indent`: inline for scalars, on the next
/// lines for collections.
fn entry_tail(out: &mut String, value: &Json, indent: usize) {
    if let Some(text) = value.as_str().filter(|t| literal_block_ok(t)) {
        out.push_str(if text.ends_with('\n') { ": |" } else { ": |-" });
        for line in text.trim_end_matches('\n').split('\n') {
            out.push('\n');
            if !line.is_empty() {
                pad(out, indent + 2);
                out.push_str(line);
            }
        }
        return;
    }
    if is_collection(value) {
        out.push(':');
        block(out, value, indent + 2);
    } else {
        out.push_str(": ");
        inline(out, value);
    }
}

/// A scalar as YAML, or a collection in flow style, written to `out`.
fn inline(out: &mut String, value: &Json) {
    match value {
        Json::String(s) if plain_safe(s) => out.push_str(s),
        Json::String(s) => out.push_str(&json_string(s)),
        other => write!(out, "{other}").unwrap_or_default(),
    }
}

/// `n` spaces.
fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A collection in block style, each line starting with a line break and
/// `indent` spaces.
fn block(out: &mut String, value: &Json, indent: usize) {
    match value {
        Json::Object(map) => {
            for (k, v) in map {
                out.push('\n');
                pad(out, indent);
                push_key(out, k);
                entry_tail(out, v, indent);
            }
        }
        Json::Array(items) => {
            for item in items {
                out.push('\n');
                pad(out, indent);
                out.push_str("- ");
                item_body(out, item, indent + 2);
            }
        }
        other => inline(out, other),
    }
}

/// Whether a multi-line string reads back the same from a literal block:
/// no carriage returns or tabs, no leading spaces on its first line, at most
/// one trailing line break, and no blank-only lines with spaces.
fn literal_block_ok(text: &str) -> bool {
    text.contains('\n')
        && !text.contains(['\r', '\t'])
        && !text.starts_with([' ', '\n'])
        && !text.ends_with("\n\n")
        && text.lines().all(|l| l.is_empty() || !l.trim().is_empty())
        && text.chars().all(|c| !c.is_control() || c == '\n')
}

/// The body of a sequence item after its `- `: a mapping's first entry on
/// the dash's line, the rest at `indent`.
fn item_body(out: &mut String, value: &Json, indent: usize) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    pad(out, indent);
                }
                push_key(out, k);
                entry_tail(out, v, indent);
            }
        }
        // A sequence inside a sequence is written in flow style.
        other => inline(out, other),
    }
}

/// A whole document's root mapping, in block style, for a new document.
pub fn document(value: &Json) -> String {
    let mut out = String::new();
    block(&mut out, value, 0);
    let mut text = out.trim_start_matches('\n').to_string();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::super::yaml::parse;
    use super::*;
    use serde_json::json;

    fn edit(text: &str, f: impl FnOnce(&mut Splices, &Node)) -> String {
        let docs = parse(text).unwrap();
        let mut s = Splices::new();
        f(&mut s, &docs[0].root);
        s.apply(text).unwrap()
    }

    /// Found by a review: `{env: , ...}` became `env:[...]`, which does
    /// not read back.
    #[test]
    fn an_empty_flow_value_is_set_after_a_blank() {
        let text = "- {name: c, env: , args: [a]}\n";
        let out = edit(text, |s, root| {
            let map = &root.items()[0];
            set_entry(s, text, map, "env", &json!([{"name": "A", "value": "1"}]));
        });
        assert_eq!(
            out,
            "- {name: c, env: [{\"name\":\"A\",\"value\":\"1\"}] , args: [a]}\n"
        );
        parse(&out).unwrap();
        // A null's tag goes with it.
        for text in [
            "- {name: c, env: !!null , args: [a]}\n",
            "- name: c\n  env: !!null\n  args: [a]\n",
        ] {
            let out = edit(text, |s, root| {
                let map = &root.items()[0];
                set_entry(s, text, map, "env", &json!([{"name": "A", "value": "1"}]));
            });
            assert!(!out.contains("!!null"), "{out}");
            parse(&out).unwrap();
        }
    }

    #[test]
    fn push_into_block_and_flow_sequences() {
        let text = "env:\n  - name: A\n    value: x\n# after\nother: 1\n";
        let out = edit(text, |s, root| {
            let seq = root.get("env").unwrap();
            push_item(
                s,
                text,
                seq,
                &json!({"name": "B", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "k"}}}),
            );
        });
        assert_eq!(
            out,
            "env:\n  - name: A\n    value: x\n  - name: B\n    valueFrom:\n      secretKeyRef:\n        name: sec\n        key: k\n# after\nother: 1\n"
        );
        parse(&out).unwrap();
        let text = "{\"env\": [{\"name\": \"A\"}]}";
        let out = edit(text, |s, root| {
            push_item(s, text, root.get("env").unwrap(), &json!({"name": "B"}));
        });
        assert_eq!(out, "{\"env\": [{\"name\": \"A\"}, {\"name\":\"B\"}]}");
    }

    #[test]
    fn insert_entry_into_block_mapping() {
        let text = "metadata:\n  name: a\nspec: {}\n";
        let out = edit(text, |s, root| {
            insert_entry(
                s,
                text,
                root.get("metadata").unwrap(),
                "annotations",
                &json!({"a/b": "c d"}),
            );
        });
        assert_eq!(
            out,
            "metadata:\n  name: a\n  annotations:\n    a/b: \"c d\"\nspec: {}\n"
        );
    }

    #[test]
    fn replace_values_of_every_style() {
        let text = "a: |\n  old\nb: 'x'\nc: plain # keep\n";
        let out = edit(text, |s, root| {
            for (k, v) in root.entries() {
                replace_value(s, text, root, k, v, &json!("new:1"));
            }
        });
        assert_eq!(out, "a: new:1\nb: new:1\nc: new:1 # keep\n");
    }

    #[test]
    fn several_items_join_an_empty_or_flow_list_with_commas() {
        let text = "a: []\nb: [x]\nc: {}\nd:\n";
        let out = edit(text, |s, root| {
            push_items(s, text, root.get("a").unwrap(), &[json!(1), json!(2)]);
            push_items(s, text, root.get("b").unwrap(), &[json!("y"), json!("z")]);
            insert_entries(
                s,
                text,
                root.get("c").unwrap(),
                &[("k".into(), json!(1)), ("l".into(), json!(2))],
            );
            set_entry(s, text, root, "d", &json!({"m": 1}));
        });
        assert_eq!(
            out,
            "a: [1, 2]\nb: [x, \"y\", \"z\"]\nc: {\"k\": 1, \"l\": 2}\nd:\n  m: 1\n"
        );
        parse(&out).unwrap();
    }

    /// Found by a review: `{ a: b, }` lost its closing brace, and what came
    /// after the mapping was written inside it.
    #[test]
    fn a_trailing_comma_in_a_flow_collection_is_kept_valid() {
        let text = "a: { k: v, }\nb: [x, ]\nc: 1\n";
        let out = edit(text, |s, root| {
            insert_entries(s, text, root.get("a").unwrap(), &[("n".into(), json!(1))]);
            push_items(s, text, root.get("b").unwrap(), &[json!("y")]);
            insert_entry(s, text, root, "d", &json!(2));
        });
        assert_eq!(out, "a: { k: v, \"n\": 1 }\nb: [x, \"y\" ]\nc: 1\nd: 2\n");
        parse(&out).unwrap();
    }

    #[test]
    fn new_lines_in_a_crlf_file_end_in_crlf() {
        let text = "env:\r\n  - name: A\r\n    value: x\r\n";
        let out = edit(text, |s, root| {
            push_item(
                s,
                text,
                root.get("env").unwrap(),
                &json!({"name": "B", "value": "z"}),
            );
        });
        assert_eq!(
            out,
            "env:\r\n  - name: A\r\n    value: x\r\n  - name: B\r\n    value: z\r\n"
        );
    }

    #[test]
    fn neighbouring_items_are_removed_without_overlapping() {
        let text = "l:\n  - a\n  - b\n  - c\n  - d\n";
        for (gone, want) in [
            (vec![0, 1], "l:\n  - c\n  - d\n"),
            (vec![1, 2], "l:\n  - a\n  - d\n"),
            (vec![0, 1, 3], "l:\n  - c\n"),
            (vec![0, 1, 2, 3], "l:\n  []\n"),
        ] {
            let out = edit(text, |s, root| {
                remove_items(s, text, root.get("l").unwrap(), &gone)
            });
            assert_eq!(out, want, "{gone:?}");
        }
        let text = "[a, b, c]";
        let out = edit(text, |s, root| remove_items(s, text, root, &[0, 1]));
        assert_eq!(out, "[c]");
        let out = edit(text, |s, root| remove_items(s, text, root, &[1, 2]));
        assert_eq!(out, "[a]");
    }

    #[test]
    fn json_string_content_maps_back_to_where_it_is_written() {
        let raw = r#"a\"b\u00e9\ud83d\ude00\\c"#;
        let (text, at) = super::unescape_json(raw).unwrap();
        assert_eq!(text, "a\"b\u{e9}\u{1F600}\\c");
        assert_eq!(at.len(), text.len() + 1);
        assert_eq!(at[1], 1, "the quote is written `\\\"` from 1");
        assert_eq!(at[2], 3);
        assert_eq!(at[3..5], [4, 4], "é: one escape");
        assert_eq!(at[5], 10);
        assert_eq!(at[text.len()], raw.len());
        assert_eq!(&raw[at[text.len() - 1]..], "c");
        for bad in [r"\", r"\x", r"\u12", r"\ud83d", r"\ud83d\u0041"] {
            assert_eq!(super::unescape_json(bad), None, "{bad}");
        }
    }

    #[test]
    fn remove_items_and_entries() {
        let text = "l:\n  - a\n  - b\n  - c\nm:\n  x: 1\n  y: 2\n";
        let out = edit(text, |s, root| {
            remove_items(s, text, root.get("l").unwrap(), &[2, 0]);
            remove_entry(s, text, root.get("m").unwrap(), 1);
        });
        assert_eq!(out, "l:\n  - b\nm:\n  x: 1\n");
    }

    #[test]
    fn strings_that_would_read_as_other_types_are_quoted() {
        for s in ["6379", "true", "no", "1.5", "", "a: b", "-x", "#x", "x #y"] {
            let out = document(&json!({"k": s}));
            let docs = parse(&out).unwrap();
            let k = docs[0].root.get("k").unwrap();
            assert_eq!(k.scalar().unwrap().text, s, "{out}");
            assert_eq!(
                k.scalar().unwrap().kind,
                super::super::yaml::ScalarKind::Str,
                "{out}"
            );
        }
    }
}

#[cfg(test)]
mod block_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::super::yaml::parse;
    use super::*;
    use serde_json::json;

    #[test]
    fn multi_line_strings_are_literal_blocks_that_read_back() {
        for text in [
            "a\nb\n",
            "a\nb",
            "-----BEGIN X-----\nAB+/=\n-----END X-----\n",
            "x:\n  y\n",
        ] {
            let out = document(&json!({"data": {"k": text}}));
            assert!(out.contains("k: |"), "{out}");
            let docs = parse(&out).unwrap();
            let k = docs[0].root.path(&["data", "k"]).unwrap();
            assert_eq!(k.as_str(), Some(text), "{out}");
        }
    }
}
