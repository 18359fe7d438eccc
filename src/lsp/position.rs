//! Positions at the protocol edge. Inside, everything is a byte offset; the
//! protocol counts lines and, within a line, UTF-16 code units (or bytes,
//! when the client agrees to UTF-8). Converting goes through a line index
//! of the text, and clamps: a position past the end of its line or of the
//! text means that end, never a panic.

use tower_lsp_server::ls_types::{Position, Range};

/// How the client counts characters within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    Utf16,
    /// Bytes, when the client offers `utf-8`.
    Utf8,
}

/// A text with its line starts.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: std::borrow::Cow<'t, [usize]>,
    encoding: Encoding,
}

impl<'t> LineIndex<'t> {
    /// Indexes `text`'s lines.
    pub fn new(text: &'t str, encoding: Encoding) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            text,
            starts: starts.into(),
            encoding,
        }
    }

    /// The index of a source file, from the line starts it already keeps.
    pub fn of(file: &'t crate::source::SourceFile, encoding: Encoding) -> LineIndex<'t> {
        LineIndex {
            text: file.text(),
            starts: file.line_starts().into(),
            encoding,
        }
    }

    /// The position of a byte offset (clamped to the text, and moved back to
    /// a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position::new(line as u32, character as u32)
    }

    /// The range of a byte span.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end.max(start)))
    }

    /// The byte offset of a position: past the end of its line means the
    /// line's end (before its line break); past the last line, the text's
    /// end; inside a character, that character's start.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end.max(start)];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let want = position.character as usize;
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= want {
                return start + i;
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if units > want {
                return start + i;
            }
        }
        start + line.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_count_code_units_on_non_ascii_lines() {
        let text = "a\n# é𝄞x\nend";
        let index = LineIndex::new(text, Encoding::Utf16);
        let x = text.find('x').unwrap_or(0);
        // `# ` is 2 units, `é` 1, `𝄞` 2 (a surrogate pair).
        assert_eq!(index.position(x), Position::new(1, 5));
        assert_eq!(index.offset(Position::new(1, 5)), x);
        let bytes = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(bytes.position(x), Position::new(1, 8));
        assert_eq!(bytes.offset(Position::new(1, 8)), x);
    }

    #[test]
    fn a_source_files_line_starts_give_the_same_positions() {
        let text = "a\r\n# é𝄞x\n\nend";
        let file = crate::source::SourceFile::new("f", text);
        let own = LineIndex::new(text, Encoding::Utf16);
        let kept = LineIndex::of(&file, Encoding::Utf16);
        for offset in 0..=text.len() + 2 {
            assert_eq!(own.position(offset), kept.position(offset));
        }
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.offset(Position::new(0, 99)), 2);
        assert_eq!(index.offset(Position::new(9, 0)), text.len());
        assert_eq!(index.position(999), Position::new(1, 2));
        // Inside a surrogate pair: the character's start.
        let text = "𝄞z";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(index.offset(Position::new(0, 1)), 0);
        assert_eq!(index.offset(Position::new(0, 2)), 4);
    }
}
