//! Source text: file identities, byte spans and line/column lookup.
//!
//! Everything inside graft speaks in byte offsets; line and column numbers are
//! computed here, only when a diagnostic is shown or serialized.
//!
//! Architecture invariant: no I/O. Files are read at the edges (`cli`, `lsp`)
//! and handed in as text.

use serde::Serialize;

/// Identifies one source file within a [`Sources`] set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` within one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub fn at(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The span moved `by` bytes to the right.
    pub fn shift(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// Whether `offset` lies within the span (its end included, so that a
    /// cursor just after a name still touches it).
    pub fn touches(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span is empty.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Finds lines and columns in a text without an index of its lines: it
/// counts newlines from the nearest place asked about before (or from the
/// start), which costs less than indexing a large file that is asked about
/// a few times.
#[derive(Clone, Debug, Default)]
pub struct LineCursor {
    /// Places asked about: (offset, line index, start of that line), by
    /// offset.
    known: Vec<(usize, usize, usize)>,
}

impl LineCursor {
    /// Line and column of `offset` in `text` (clamped into it).
    pub fn line_col(&mut self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let at = self.known.partition_point(|k| k.0 <= offset);
        let (from, mut line, mut line_start) =
            at.checked_sub(1).map_or((0, 0, 0), |i| self.known[i]);
        let between = &text.as_bytes()[from..offset];
        let newlines = memchr::memchr_iter(b'\n', between).count();
        if newlines > 0 {
            line += newlines;
            line_start = memchr::memrchr(b'\n', between).map_or(line_start, |i| from + i + 1);
        }
        if from != offset || at == 0 {
            self.known.insert(at, (offset, line, line_start));
        }
        LineCol {
            line: line + 1,
            column: text[line_start..offset].chars().count() + 1,
        }
    }
}

/// One source file: its name as shown to users, and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// A file named `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The name shown to users (usually a path).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offsets at which each line starts.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }

    /// The text of `span`, or `""` if the span does not fall on character
    /// boundaries inside the file.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The 0-based line index holding `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// Line and column of `offset` (clamped into the file).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_index(offset);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The largest character boundary not after `offset`.
    pub fn floor_char_boundary(&self, mut offset: usize) -> usize {
        offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// A set of source files, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// An empty set.
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile::new(name, text));
        id
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// Every file with its id, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// How many files the set holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_cursor_agrees_with_the_line_index_in_any_order() {
        let text = "ab\n\u{e9}x y\n\n  z: w\r\nlast";
        let f = SourceFile::new("a", text);
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        let mut cursor = LineCursor::default();
        for &o in offsets
            .iter()
            .chain(offsets.iter().rev())
            .chain([7, 2, 30, 0, 12].iter())
        {
            assert_eq!(cursor.line_col(text, o), f.line_col(o), "at {o}");
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a", "ab\n\u{e9}x y\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // after "é" (two bytes) and "x"
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 3 });
        // past the end is clamped
        assert_eq!(f.line_col(999).line, 3);
    }
}
