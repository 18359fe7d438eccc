//! YAML (and JSON, which is YAML) read into a tree that remembers where every
//! node is, so that edits can be written back as small splices of the
//! original text and untouched bytes stay as they were.
//!
//! Built on `saphyr-parser`'s event stream: every node gets a byte span, and
//! every document the byte range it owns (from its `---`, or the start of the
//! file, to the next document), so that a document can be dropped whole.
//!
//! Plain scalars are typed by the YAML 1.2 core schema (`null`, booleans,
//! integers, floats, strings); quoted and block scalars are strings. Anchors
//! and aliases are expanded, within a budget, so that an alias bomb is an
//! error rather than an exhausted memory.

use crate::source::Span;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use smol_str::{SmolStr, format_smolstr};
use std::collections::HashMap;

/// The most nodes aliases may add to one file, beyond what the file spells
/// out: past it, reading fails (the "billion laughs" attack).
pub const ALIAS_BUDGET: usize = 1_000_000;

/// The longest text a tree is made of: a node keeps its offsets in 32 bits.
pub const MAX_TEXT: usize = u32::MAX as usize;

/// An error when `text` is longer than [`MAX_TEXT`].
pub fn too_long(text: &str) -> Result<(), SyntaxError> {
    length_within(text.len())
}

fn length_within(len: usize) -> Result<(), SyntaxError> {
    if len <= MAX_TEXT {
        return Ok(());
    }
    Err(SyntaxError {
        offset: 0,
        message: format!("the file is {len} bytes long; graft reads files of up to 4 GiB"),
    })
}

/// The deepest nesting a file may have.
pub const MAX_DEPTH: usize = 256;

/// One node of the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the node's text is ([`Node::span`]), as 32-bit offsets: a
    /// node is the unit a stack is made of, millions of them, and two
    /// `usize`s were a sixth of its size (texts over 4 GiB are refused).
    start: u32,
    end: u32,
    /// What it holds.
    pub value: Value,
}

/// What a node holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar ([`Node::scalar`] gives its parts as a [`Scalar`]).
    Scalar {
        /// The text, after unquoting and folding (short texts, most keys
        /// and values, are held inline: no allocation, and a key lookup
        /// reads no other memory than the entries').
        text: SmolStr,
        /// Its type.
        kind: ScalarKind,
        /// Whether it was quoted or a block scalar (`|`, `>`).
        style: Style,
    },
    /// A sequence; `flow` when written `[...]`.
    Seq {
        /// The items.
        items: Vec<Node>,
        /// Whether it is written in flow style (`[a, b]`).
        flow: bool,
    },
    /// A mapping; `flow` when written `{...}`.
    Map {
        /// The entries, in order.
        entries: Vec<(Node, Node)>,
        /// Whether it is written in flow style (`{a: b}`).
        flow: bool,
    },
}

/// A scalar node's parts: its text and how the core schema types it. The
/// parts are fields of [`Value::Scalar`] rather than a struct of their own
/// so that a value is 32 bytes, not 40: the compiler puts the variant's tag
/// in a spare value of the text's own, which it cannot do across a nested
/// struct (a node is 40 bytes, a mapping entry 80).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scalar<'a> {
    /// The text, after unquoting and folding.
    pub text: &'a SmolStr,
    /// Its type.
    pub kind: ScalarKind,
    /// Whether it was quoted or a block scalar (`|`, `>`).
    pub style: Style,
}

/// How a scalar is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// Plain.
    Plain,
    /// Single or double quoted.
    Quoted,
    /// A literal or folded block.
    Block,
    /// Not a literal: an expression in the stack format's own language (a
    /// Terraform traversal, template or function call), held as its source
    /// text.
    Expr,
}

/// The core-schema type of a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer ([`Scalar::int`] reads its value: kept apart, the kind
    /// is one byte and a node is smaller).
    Int,
    /// A float.
    Float,
    /// A string.
    Str,
}

impl Node {
    /// A node of `value` at `span` (its offsets within 4 GiB: [`parse`]
    /// refuses a longer text).
    pub fn new(span: Span, value: Value) -> Node {
        Node {
            start: span.start as u32,
            end: span.end as u32,
            value,
        }
    }

    /// Where the node's text is: a scalar's text (quotes included) or a
    /// collection's first to last byte, without trailing blank space.
    pub fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    /// Moves the node to `span`.
    pub fn set_span(&mut self, span: Span) {
        self.start = span.start as u32;
        self.end = span.end as u32;
    }

    /// The scalar, if this is one.
    pub fn scalar(&self) -> Option<Scalar<'_>> {
        match &self.value {
            Value::Scalar { text, kind, style } => Some(Scalar {
                text,
                kind: *kind,
                style: *style,
            }),
            _ => None,
        }
    }

    /// The scalar's text, if this is a scalar that is not null.
    pub fn as_str(&self) -> Option<&str> {
        self.scalar()
            .filter(|s| s.kind != ScalarKind::Null)
            .map(|s| s.text.as_str())
    }

    /// Whether this is a null scalar.
    pub fn is_null(&self) -> bool {
        self.scalar().is_some_and(|s| s.kind == ScalarKind::Null)
    }

    /// The entries, if this is a mapping.
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map { entries, .. } => entries,
            _ => &[],
        }
    }

    /// The items, if this is a sequence.
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq { items, .. } => items,
            _ => &[],
        }
    }

    /// Whether this is a mapping.
    pub fn is_map(&self) -> bool {
        matches!(self.value, Value::Map { .. })
    }

    /// Whether this is a sequence.
    pub fn is_seq(&self) -> bool {
        matches!(self.value, Value::Seq { .. })
    }

    /// Whether this collection is written in flow style.
    pub fn is_flow(&self) -> bool {
        matches!(
            self.value,
            Value::Seq { flow: true, .. } | Value::Map { flow: true, .. }
        )
    }

    /// The value under `key`, if this is a mapping that has it (the first,
    /// should the key repeat).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The entry under `key`, key node included.
    pub fn entry(&self, key: &str) -> Option<&(Node, Node)> {
        self.entries().iter().find(|(k, _)| k.as_str() == Some(key))
    }

    /// The node at a dotted path of mapping keys.
    pub fn path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// The items of the sequence at a path of mapping keys (none when
    /// there is no sequence there).
    pub fn items_at(&self, path: &[&str]) -> &[Node] {
        self.path(path).map_or(&[], Node::items)
    }

    /// The text of a scalar under `key`.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }
}

/// One document of a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The bytes the document owns: from its `---` (or the start of the file)
    /// to the next document's `---` (or the end of the file).
    pub range: Span,
    /// Its root node; a null scalar for an empty document.
    pub root: Node,
    /// The nodes written with a tag (`!Ref Name`, `!GetAtt [a, b]`), in
    /// order: kept apart from the tree, which untagged files (nearly all)
    /// then pay nothing for.
    pub tags: Vec<NodeTag>,
}

/// A node's tag, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeTag {
    /// The node's span.
    pub node: Span,
    /// The tag's own span (`!Ref`).
    pub at: Span,
    /// The tag: its handle and suffix (`!Ref`, `!!str`).
    pub tag: SmolStr,
}

impl Document {
    /// The tag `node` (one of this document's) is written with.
    pub fn tag_of(&self, node: &Node) -> Option<&NodeTag> {
        let span = node.span();
        let i = self
            .tags
            .binary_search_by_key(&(span.start, span.end), |t| (t.node.start, t.node.end))
            .ok()?;
        self.tags.get(i)
    }
}

/// A YAML syntax error, at a byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where.
    pub offset: usize,
    /// What the parser says.
    pub message: String,
}

/// Maps saphyr's character markers to byte offsets.
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
    line_starts: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Offsets<'a> {
        let ascii = text.is_ascii();
        let line_starts = if ascii {
            Vec::new()
        } else {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        };
        Offsets {
            text,
            ascii,
            line_starts,
        }
    }

    fn byte(&self, m: Marker) -> usize {
        if self.ascii {
            return m.index().min(self.text.len());
        }
        let Some(&start) = self.line_starts.get(m.line().saturating_sub(1)) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        start
            + line
                .char_indices()
                .nth(m.col())
                .map_or(line.len(), |(i, _)| i)
    }
}

/// The end of `text[..end]` with trailing blanks and line breaks removed.
pub fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    end = end.min(bytes.len());
    while end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\r' | b'\n') {
        end -= 1;
    }
    end
}

/// A collection being read. Its children are pushed on one vector shared by every open
/// collection (`from` is where its own begin) and moved into a vector of
/// their exact number when it closes: one allocation per collection, none
/// grown, no capacity left over (most of a stack's memory is its trees).
enum Frame {
    Seq {
        start: usize,
        flow: bool,
        anchor: usize,
        from: usize,
        tag: Option<(SmolStr, Span)>,
    },
    Map {
        start: usize,
        flow: bool,
        anchor: usize,
        from: usize,
        key: Option<Node>,
        tag: Option<(SmolStr, Span)>,
    },
}

/// Where what follows an anchor written at `start` (past blanks and line
/// breaks) starts; `start` when there is none.
fn after_anchor(text: &str, start: usize) -> usize {
    let Some(rest) = text.get(start..).filter(|r| r.starts_with('&')) else {
        return start;
    };
    let blank = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let end = start + rest.find(blank).unwrap_or(rest.len());
    let after = &text[end..];
    end + (after.len() - after.trim_start_matches(blank).len())
}

/// Where the tag written at `start` (after an anchor, if any) is, and where
/// the value after it starts.
fn after_tag(text: &str, start: usize) -> (Option<Span>, usize) {
    let blank = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let skip_blanks = |at: usize| {
        text.get(at..).map_or(at, |rest| {
            at + (rest.len() - rest.trim_start_matches(blank).len())
        })
    };
    let token_end = |at: usize| {
        text.get(at..)
            .map_or(at, |rest| at + rest.find(blank).unwrap_or(rest.len()))
    };
    let at = after_anchor(text, start);
    if !text.get(at..).is_some_and(|r| r.starts_with('!')) {
        return (None, start);
    }
    let end = token_end(at);
    (Some(Span::new(at, end)), skip_blanks(end))
}

/// A collection's tag (with where it is written), where the collection
/// itself starts, and whether it is written in flow style.
fn collection_start(
    text: &str,
    start: usize,
    end: usize,
    tag: Option<&saphyr_parser::Tag>,
) -> (Option<(SmolStr, Span)>, usize, bool) {
    let Some(t) = tag else {
        // The start event spans a flow collection's bracket, but also an
        // anchor before a block collection (`&name` on the line above it).
        let value = after_anchor(text, start);
        let flow = end > start && text.get(value..).is_some_and(|r| r.starts_with(['[', '{']));
        return (None, start, flow);
    };
    let (at, value) = after_tag(text, start);
    let flow = text.get(value..).is_some_and(|r| r.starts_with(['[', '{']));
    let tag = at.map(|at| (format_smolstr!("{}{}", t.handle, t.suffix), at));
    (tag, if flow { value } else { start }, flow)
}

/// Reads every document of `text`.
pub fn parse(text: &str) -> Result<Vec<Document>, SyntaxError> {
    too_long(text)?;
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut docs: Vec<Document> = Vec::new();
    let mut heads: Vec<usize> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // The children of the open collections (see [`Frame`]).
    let (mut open_items, mut open_entries): (Vec<Node>, Vec<(Node, Node)>) =
        (Vec::new(), Vec::new());
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    // The anchors of the documents before this one.
    let mut earlier: std::collections::HashSet<usize> = Default::default();
    let mut alias_nodes = 0usize;
    let mut root: Option<Node> = None;
    let mut tags: Vec<NodeTag> = Vec::new();
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| SyntaxError {
            offset: offsets.byte(*e.marker()),
            message: e.info().to_string(),
        })?;
        let start = offsets.byte(span.start);
        let end = offsets.byte(span.end);
        let node = match event {
            Event::StreamStart | Event::Nothing => continue,
            Event::StreamEnd => break,
            Event::DocumentStart(explicit) => {
                heads.push(if heads.is_empty() && !explicit {
                    0
                } else {
                    start
                });
                root = None;
                // An anchor is known only in its own document (YAML 1.2,
                // 3.2.2.2); Kubernetes' reader refuses an alias to another's.
                earlier.extend(anchors.drain().map(|(id, _)| id));
                continue;
            }
            Event::DocumentEnd => {
                let root = root.take().unwrap_or(Node::new(
                    Span::at(start),
                    Value::Scalar {
                        text: SmolStr::default(),
                        kind: ScalarKind::Null,
                        style: Style::Plain,
                    },
                ));
                tags.sort_by_key(|t: &NodeTag| (t.node.start, t.node.end));
                docs.push(Document {
                    range: Span::at(0),
                    root,
                    tags: std::mem::take(&mut tags),
                });
                continue;
            }
            Event::Alias(id) => {
                let Some((node, size)) = anchors.get(&id) else {
                    return Err(SyntaxError {
                        offset: start,
                        message: if earlier.contains(&id) {
                            "alias to an anchor of an earlier document: an anchor is known only in its own document (after `---`, define it again)".into()
                        } else {
                            "alias to an unknown anchor".into()
                        },
                    });
                };
                alias_nodes += size;
                if alias_nodes > ALIAS_BUDGET {
                    return Err(SyntaxError {
                        offset: start,
                        message: format!(
                            "aliases expand to more than {ALIAS_BUDGET} nodes (an alias bomb?)"
                        ),
                    });
                }
                let mut node = node.clone();
                node.set_span(Span::new(start, end));
                node
            }
            Event::Scalar(value, style, anchor, tag) => {
                // The parser's span starts at the tag: the node is its value.
                let (tag_at, start) = match &tag {
                    Some(_) => after_tag(text, start),
                    None => (None, start),
                };
                let (kind, style) = match style {
                    ScalarStyle::Plain => (plain_kind(&value), Style::Plain),
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        (ScalarKind::Str, Style::Quoted)
                    }
                    ScalarStyle::Literal | ScalarStyle::Folded => (ScalarKind::Str, Style::Block),
                };
                let end = match style {
                    Style::Block => trim_end(text, start, end),
                    // The parser's span of a quoted scalar can run on over
                    // blanks and a comment after the closing quote.
                    Style::Quoted => quoted_end(text, start).unwrap_or(end),
                    Style::Plain | Style::Expr => end,
                };
                let start = if style == Style::Block {
                    block_indicator(text, start)
                } else {
                    start
                };
                // An empty scalar (after `?` or `- `, nothing written) is
                // where what came before it ends, not at the next token
                // lines below: the collection holding it ends there too,
                // and what is added after it goes there.
                let (start, end) = if style == Style::Plain && value.is_empty() && start == end {
                    let at = trim_end(text, 0, start);
                    (at, at)
                } else {
                    (start, end)
                };
                let node = Node::new(
                    Span::new(start, end),
                    Value::Scalar {
                        text: SmolStr::new(&value),
                        kind,
                        style,
                    },
                );
                if anchor > 0 {
                    anchors.insert(anchor, (node.clone(), 1));
                }
                if let (Some(t), Some(at)) = (tag, tag_at) {
                    tags.push(NodeTag {
                        node: node.span(),
                        at,
                        tag: format_smolstr!("{}{}", t.handle, t.suffix),
                    });
                }
                node
            }
            Event::SequenceStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(start));
                }
                let (tag, start, flow) = collection_start(text, start, end, tag.as_deref());
                stack.push(Frame::Seq {
                    start,
                    flow,
                    anchor,
                    from: open_items.len(),
                    tag,
                });
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(too_deep(start));
                }
                let (tag, start, flow) = collection_start(text, start, end, tag.as_deref());
                stack.push(Frame::Map {
                    start,
                    flow,
                    anchor,
                    from: open_entries.len(),
                    key: None,
                    tag,
                });
                continue;
            }
            Event::SequenceEnd => {
                let Some(Frame::Seq {
                    start: s,
                    flow,
                    anchor,
                    from,
                    tag,
                }) = stack.pop()
                else {
                    return Err(unbalanced(start));
                };
                let items: Vec<Node> = open_items.drain(from..).collect();
                let e = if flow {
                    end
                } else {
                    items.last().map_or(s, |n| n.span().end)
                };
                // A block sequence starts at its first `-`.
                let s = match (flow, items.first()) {
                    (false, Some(first)) => {
                        let before = text[..first.span().start.min(text.len())]
                            .trim_end_matches([' ', '\t', '\r', '\n']);
                        if before.ends_with('-') {
                            before.len() - 1
                        } else {
                            s
                        }
                    }
                    _ => s,
                };
                let node = Node::new(Span::new(s, e), Value::Seq { items, flow });
                remember(&mut anchors, anchor, &node);
                if let Some((tag, at)) = tag {
                    tags.push(NodeTag {
                        node: node.span(),
                        at,
                        tag,
                    });
                }
                node
            }
            Event::MappingEnd => {
                let Some(Frame::Map {
                    start: s,
                    flow,
                    anchor,
                    from,
                    tag,
                    ..
                }) = stack.pop()
                else {
                    return Err(unbalanced(start));
                };
                let entries: Vec<(Node, Node)> = open_entries.drain(from..).collect();
                if let Some((first, again)) = duplicate_key(&entries) {
                    return Err(SyntaxError {
                        offset: again.start,
                        message: format!(
                            "the key `{}` is given twice in this mapping (first on line {})",
                            entries[first].0.scalar().map_or("", |s| s.text.as_str()),
                            1 + memchr::memchr_iter(
                                b'\n',
                                &text.as_bytes()[..entries[first].0.span().start]
                            )
                            .count()
                        ),
                    });
                }
                let e = if flow {
                    closing(text, end, b'}')
                } else {
                    entries
                        .last()
                        .map_or(s, |(k, v)| v.span().end.max(k.span().end))
                };
                let node = Node::new(Span::new(s, e), Value::Map { entries, flow });
                remember(&mut anchors, anchor, &node);
                if let Some((tag, at)) = tag {
                    tags.push(NodeTag {
                        node: node.span(),
                        at,
                        tag,
                    });
                }
                node
            }
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq { .. }) => open_items.push(node),
            Some(Frame::Map { key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Some(offset) = block_on_key_line(text, &k, &node) {
                        return Err(SyntaxError {
                            offset,
                            message: "a block collection cannot start on the line of its key's `:` (start it on the next line, indented)".into(),
                        });
                    }
                    let node = fix_empty_value(text, &k, node);
                    open_entries.push((k, node));
                }
            },
        }
    }
    // Each document owns the bytes up to the next one's head.
    for (i, doc) in docs.iter_mut().enumerate() {
        let start = heads.get(i).copied().unwrap_or(0);
        let end = heads.get(i + 1).copied().unwrap_or(text.len());
        doc.range = Span::new(start, end.max(start));
    }
    Ok(docs)
}

/// The end of a flow collection whose end event is at `end`: just past its
/// closing bracket. The parser puts a flow mapping's end before the bracket
/// when a comma ends its last entry (`{ a: b, }`).
fn closing(text: &str, end: usize, bracket: u8) -> usize {
    let bytes = text.as_bytes();
    if end == 0 || bytes.get(end - 1) == Some(&bracket) {
        return end;
    }
    let mut at = end;
    while let Some(&b) = bytes.get(at) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => at += 1,
            b'#' => {
                while bytes.get(at).is_some_and(|&b| b != b'\n') {
                    at += 1;
                }
            }
            b if b == bracket => return at + 1,
            _ => return end,
        }
    }
    end
}

/// An empty value (`key:` with nothing after it) gets an empty span right
/// after its key's colon, not wherever the parser put it.
/// Where a block mapping or sequence starts when it is the value of an
/// implicit key and starts on the line of that key's `:` (`: image: x`,
/// `: - a`): YAML does not allow it (only after an explicit `? key` may the
/// value be a compact collection), though the parser lets it through when
/// the key is empty.
fn block_on_key_line(text: &str, key: &Node, value: &Node) -> Option<usize> {
    let block = (value.is_map() || value.is_seq()) && !value.is_flow();
    // An empty first key stands where what came before it ends.
    let first = value.entries().first().map(|(k, _)| k.span());
    if first.is_some_and(|k| k.start == k.end) {
        return None;
    }
    // Its anchor or tag may stand on the key's line (`x: &anchor`,
    // `Cond: !Equals`), and the collection on the next.
    let mut start = value.span().start.min(text.len());
    while text[start..].starts_with(['&', '!']) {
        start += text[start..]
            .find(|c: char| c.is_whitespace())
            .unwrap_or(text.len() - start);
        start += text[start..]
            .find(|c: char| c != ' ' && c != '\t')
            .unwrap_or(text.len() - start);
    }
    // An alias (`*env`) is written where it is used.
    if text[start..].starts_with(['\n', '\r', '#', '*']) || start == text.len() {
        return None;
    }
    if !block || key.span().start > start {
        return None;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..start];
    // An explicit key (`? key`, then `: value` on a line of its own): an
    // implicit one is written on its colon's line, and an empty one stands
    // where what came before it ends (after `?` if explicit).
    let k = key.span();
    let explicit = (k.start < k.end && k.end <= line_start)
        || text[..k.start.min(text.len())].trim_end().ends_with('?');
    (line.trim_end().ends_with(':') && !explicit).then_some(start)
}

fn fix_empty_value(text: &str, key: &Node, mut value: Node) -> Node {
    if let Some(s) = value.scalar()
        && s.kind == ScalarKind::Null
        && s.text.is_empty()
        && s.style == Style::Plain
        // An anchored empty value (`key:` then `&name`) spans its anchor,
        // which what comes after the mapping must not split from its key.
        && !text
            .get(value.span().start..value.span().end)
            .is_some_and(|t| t.starts_with('&'))
    {
        // The colon between the key and where the value would be: not one
        // further on (`? key` has none, and the next entry's is not its).
        let from = key.span().end.min(text.len());
        let colon = text[from..]
            .find(':')
            .filter(|&i| from + i <= value.span().start)
            .map_or(key.span().end, |i| from + i + 1);
        value.set_span(Span::at(colon));
    }
    value
}

/// The end of the quoted scalar that starts at `start` (just after its
/// closing quote): `"..."` with backslash escapes, `'...'` with `''`.
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(start)?;
    let mut i = start + 1;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (b'"', b'\\') => i += 2,
            (b'"', b'"') => return Some(i + 1),
            (b'\'', b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            (b'\'', b'\'') => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// A block scalar's span starts at its `|` or `>` indicator, not at its
/// first line of content.
fn block_indicator(text: &str, content_start: usize) -> usize {
    // After a tag (`!Sub |`), the start is the indicator already.
    if text
        .get(content_start..)
        .is_some_and(|r| r.starts_with(['|', '>']))
    {
        return content_start;
    }
    let before = &text[..content_start.min(text.len())];
    before.rfind(['|', '>']).unwrap_or(content_start)
}

/// Keeps an anchored node, with its size, for the aliases that name it.
fn remember(anchors: &mut HashMap<usize, (Node, usize)>, anchor: usize, node: &Node) {
    if anchor > 0 {
        anchors.insert(anchor, (node.clone(), count(node)));
    }
}

fn count(node: &Node) -> usize {
    match &node.value {
        Value::Scalar { .. } => 1,
        Value::Seq { items, .. } => 1 + items.iter().map(count).sum::<usize>(),
        Value::Map { entries, .. } => {
            1 + entries
                .iter()
                .map(|(k, v)| count(k) + count(v))
                .sum::<usize>()
        }
    }
}

/// The first key of `entries` given again, if any: the first's index and
/// where the second is. Keys are compared as scalars of the same type
/// (`1` and `"1"` are different keys); YAML forbids duplicates, and
/// Kubernetes, Compose and CloudFormation refuse them.
fn duplicate_key(entries: &[(Node, Node)]) -> Option<(usize, Span)> {
    fn key(n: &Node) -> Option<(&str, std::mem::Discriminant<ScalarKind>)> {
        n.scalar()
            .map(|s| (s.text.as_str(), std::mem::discriminant(&s.kind)))
    }
    if entries.len() <= 16 {
        for (i, (k, _)) in entries.iter().enumerate().skip(1) {
            let Some(this) = key(k) else { continue };
            if let Some(first) = entries[..i].iter().position(|(o, _)| key(o) == Some(this)) {
                return Some((first, k.span()));
            }
        }
        return None;
    }
    let mut seen = rustc_hash::FxHashMap::default();
    for (i, (k, _)) in entries.iter().enumerate() {
        let Some(this) = key(k) else { continue };
        if let Some(&first) = seen.get(&this) {
            return Some((first, k.span()));
        }
        seen.insert(this, i);
    }
    None
}

fn too_deep(offset: usize) -> SyntaxError {
    SyntaxError {
        offset,
        message: format!("nesting deeper than {MAX_DEPTH} levels"),
    }
}

fn unbalanced(offset: usize) -> SyntaxError {
    SyntaxError {
        offset,
        message: "unbalanced collection".into(),
    }
}

/// The value of an integer's text: decimal with an optional sign, or
/// `0x`, `0o`, `0b` (YAML's core schema and TOML's forms; TOML's `_`
/// separators allowed).
pub fn int_value(text: &str) -> Option<i64> {
    let text: std::borrow::Cow<'_, str> = if text.contains('_') {
        text.replace('_', "").into()
    } else {
        text.into()
    };
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(digits) = text.strip_prefix(prefix) {
            return i64::from_str_radix(digits, radix).ok();
        }
    }
    text.parse().ok()
}

impl Scalar<'_> {
    /// An integer's value.
    pub fn int(self) -> Option<i64> {
        if self.kind == ScalarKind::Int {
            int_value(self.text)
        } else {
            None
        }
    }
}

/// The YAML 1.2 core-schema type of a plain scalar.
pub fn plain_kind(text: &str) -> ScalarKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ScalarKind::Null,
        "true" | "True" | "TRUE" => return ScalarKind::Bool(true),
        "false" | "False" | "FALSE" => return ScalarKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "-.inf" | ".nan" | ".NaN" | ".NAN" => {
            return ScalarKind::Float;
        }
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .map_or(ScalarKind::Float, |_| ScalarKind::Int);
    }
    if let Some(hex) = text.strip_prefix("0x")
        && !hex.is_empty()
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return i64::from_str_radix(hex, 16).map_or(ScalarKind::Str, |_| ScalarKind::Int);
    }
    if let Some(oct) = text.strip_prefix("0o")
        && !oct.is_empty()
        && oct.bytes().all(|b| (b'0'..=b'7').contains(&b))
    {
        return i64::from_str_radix(oct, 8).map_or(ScalarKind::Str, |_| ScalarKind::Int);
    }
    let looks_float = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.parse::<f64>().is_ok();
    if looks_float {
        ScalarKind::Float
    } else {
        ScalarKind::Str
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// Found by the mutation property: an explicit key with nothing after
    /// it (`- ?`) ended its mapping at the next entry's colon, lines below,
    /// so an edit after the service above was written inside the next one.
    #[test]
    fn an_empty_explicit_key_ends_where_it_is_written() {
        let text = "s:\n  api:\n    n:\n      - b\n      - ?\n\n  worker:\n    image: x\n";
        let docs = parse(text).unwrap();
        let api = docs[0].root.get("s").unwrap().get("api").unwrap().span();
        assert_eq!(&text[api.start..api.end], "n:\n      - b\n      - ?");
        let text = "a:\nb: # note\n  \nc: 1\n";
        let docs = parse(text).unwrap();
        assert_eq!(docs[0].root.get("a").unwrap().span().start, 2);
        assert_eq!(docs[0].root.get("b").unwrap().span().start, 5);
    }

    /// Found by the mutation property: the parser took `: image: x` (an
    /// empty key, then a mapping on the same line) as a nested mapping, and
    /// an entry added after it went at that mapping's column, which does not
    /// read back. YAML refuses it; so do graft and `docker compose`.
    #[test]
    fn a_block_collection_on_its_keys_line_is_refused() {
        for (text, at) in [
            ("s:\n  w:\n    : image: x\n    b: 1\n", 14),
            ("s:\n  w:\n    : - b\n", 14),
            (": a: b\n", 2),
        ] {
            let error = parse(text).unwrap_err();
            assert_eq!(error.offset, at, "{text:?}: {}", error.message);
        }
        // After an explicit key the value may be a compact collection.
        for text in [
            "x: &a\n  b: c\n",
            "x: !!map\n  b: c\n",
            "x: &a\n  - b\n",
            "x: !Equals\n  - !Ref a\n  - b\n",
            "a: &m\n  b: c\nx: *m\n",
            "x: &a !!seq # note\n  - b\n",
            "x:\n  ? a\n  : b: c\n",
            "spec:\n  ? !Ref a\n  : - c\n",
            "spec:\n  ? # c\n    a\n  : - b\n",
            "x:\n  ?\n  : - b\n",
            "x:\n  - a: b\n    c: d\n",
            "x:\n  :\n    a: b\n",
        ] {
            assert!(parse(text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn a_flow_collection_with_a_trailing_comma_spans_its_bracket() {
        for (text, want) in [
            ("a: { b: c, }\nd: 1\n", "{ b: c, }"),
            ("a: {b: c , # note\n }\n", "{b: c , # note\n }"),
            ("a: [b, c, ]\n", "[b, c, ]"),
            ("a: {b: c}\n", "{b: c}"),
        ] {
            let docs = parse(text).unwrap();
            let a = docs[0].root.get("a").unwrap().span();
            assert_eq!(&text[a.start..a.end], want, "{text:?}");
        }
    }

    #[test]
    fn a_text_past_32_bit_offsets_is_refused() {
        // Node offsets are 32-bit: a longer text would wrap them.
        assert!(length_within(u32::MAX as usize).is_ok());
        let e = length_within(u32::MAX as usize + 1).unwrap_err();
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("4294967296 bytes"), "{}", e.message);
        // The largest offset a node can hold round-trips.
        let n = Node::new(
            Span::new(0, u32::MAX as usize),
            Value::Seq {
                items: Vec::new(),
                flow: true,
            },
        );
        assert_eq!(n.span().end, u32::MAX as usize);
    }

    #[test]
    fn an_anchored_empty_value_spans_its_anchor() {
        let text = "s:\n  n:\n   &abc\nb: 1\n";
        let docs = parse(text).unwrap();
        let s = docs[0].root.get("s").unwrap();
        assert_eq!(&text[s.span().start..s.span().end], "n:\n   &abc");
    }

    #[test]
    fn an_anchored_block_collection_is_not_taken_for_a_flow_one() {
        let text = "w:\n   &a:1\n    image: x\n    n:\n      - b\nf: &f {a: 1}\nl: &l\n  - 1\n";
        let docs = parse(text).unwrap();
        let root = &docs[0].root;
        assert!(!root.get("w").unwrap().is_flow());
        assert!(root.get("f").unwrap().is_flow());
        assert!(!root.get("l").unwrap().is_flow());
    }

    #[test]
    fn a_tagged_block_scalar_spans_from_its_indicator() {
        let text = "a: |\n  x\nb: !Sub |\n  y ${Z}\n";
        let docs = parse(text).unwrap();
        let b = docs[0].root.get("b").unwrap();
        assert_eq!(&text[b.span().start..b.span().end], "|\n  y ${Z}");
    }

    /// CloudFormation's short forms: each tagged node is found with its tag
    /// and where the tag is written; the node's span is its value alone.
    #[test]
    fn tags_are_kept_apart_with_their_place() {
        let text = "Resources:\n  Url:\n    Value: !Sub \"redis://${Cache.RedisEndpoint.Address}:6379\"\n  Host: !GetAtt Cache.RedisEndpoint.Address\n  Port: !GetAtt [Cache, RedisEndpoint.Port]\n  Pick: !If\n    - UseTls\n    - !Ref TlsPort\n    - 6379\n  Plain: value\n";
        let docs = parse(text).unwrap();
        let doc = &docs[0];
        let seen: Vec<(&str, &str, &str)> = doc
            .tags
            .iter()
            .map(|t| {
                (
                    t.tag.as_str(),
                    &text[t.at.start..t.at.end],
                    &text[t.node.start..t.node.end],
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "!Sub",
                    "!Sub",
                    "\"redis://${Cache.RedisEndpoint.Address}:6379\""
                ),
                ("!GetAtt", "!GetAtt", "Cache.RedisEndpoint.Address"),
                ("!GetAtt", "!GetAtt", "[Cache, RedisEndpoint.Port]"),
                ("!If", "!If", "- UseTls\n    - !Ref TlsPort\n    - 6379"),
                ("!Ref", "!Ref", "TlsPort"),
            ]
        );
        let root = &doc.root;
        let host = root.path(&["Resources", "Host"]).unwrap();
        assert_eq!(doc.tag_of(host).map(|t| t.tag.as_str()), Some("!GetAtt"));
        let plain = root.path(&["Resources", "Plain"]).unwrap();
        assert!(doc.tag_of(plain).is_none());
        // A file without tags keeps none.
        assert!(parse("a: b\nc: [1, 2]\n").unwrap()[0].tags.is_empty());
    }

    #[test]
    fn spans_cover_scalars_and_collections() {
        let text = "# c\na: 1\nb:\n  - x\n  - \"y\"\nc: {d: e}\n---\nz: |\n  hi\n";
        let docs = parse(text).unwrap();
        assert_eq!(docs.len(), 2);
        let root = &docs[0].root;
        assert_eq!(
            &text[root.get("b").unwrap().span().start..root.get("b").unwrap().span().end],
            "- x\n  - \"y\""
        );
        let y = &root.get("b").unwrap().items()[1];
        assert_eq!(&text[y.span().start..y.span().end], "\"y\"");
        let c = root.get("c").unwrap();
        assert!(c.is_flow());
        assert_eq!(&text[c.span().start..c.span().end], "{d: e}");
        assert_eq!(docs[0].range, Span::new(0, 36));
        assert_eq!(
            &text[docs[1].range.start..docs[1].range.end],
            "---\nz: |\n  hi\n"
        );
        let z = docs[1].root.get("z").unwrap();
        assert_eq!(&text[z.span().start..z.span().end], "|\n  hi");
        assert_eq!(z.as_str(), Some("hi\n"));
    }

    #[test]
    fn a_quoted_scalar_ends_at_its_closing_quote_not_at_a_comment() {
        let text = "a: \"x\\\"y\"   # note\nb: 'it''s'  # too\n";
        let docs = parse(text).unwrap();
        let a = docs[0].root.get("a").unwrap();
        assert_eq!(&text[a.span().start..a.span().end], "\"x\\\"y\"");
        let b = docs[0].root.get("b").unwrap();
        assert_eq!(&text[b.span().start..b.span().end], "'it''s'");
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let text = "a: \"é\"\nb: x\n";
        let docs = parse(text).unwrap();
        let b = docs[0].root.get("b").unwrap();
        assert_eq!(&text[b.span().start..b.span().end], "x");
    }

    #[test]
    fn plain_scalars_are_typed_by_the_core_schema() {
        assert_eq!(plain_kind("6379"), ScalarKind::Int);
        for (text, value) in [("6379", 6379), ("-2", -2), ("0x1f", 31), ("0o17", 15)] {
            let node = parse(text).unwrap().remove(0).root;
            assert_eq!(node.scalar().and_then(Scalar::int), Some(value), "{text}");
        }
        assert_eq!(plain_kind("~"), ScalarKind::Null);
        assert_eq!(plain_kind("true"), ScalarKind::Bool(true));
        assert_eq!(plain_kind("1.5"), ScalarKind::Float);
        assert_eq!(plain_kind("redis:7"), ScalarKind::Str);
        assert_eq!(plain_kind("yes"), ScalarKind::Str);
    }

    #[test]
    fn an_alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..8 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{err:?}");
    }

    #[test]
    fn json_is_read_as_flow_yaml() {
        let text = "{\"kind\": \"List\", \"items\": [{\"a\": 1}]}";
        let docs = parse(text).unwrap();
        assert_eq!(docs[0].root.str_at("kind"), Some("List"));
        assert!(docs[0].root.get("items").unwrap().is_flow());
    }
}
