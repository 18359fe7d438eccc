//! One diagnostic type for everything graft reports: parse errors, check
//! errors and warnings, and (later) stack and bindings errors.
//!
//! A [`Diagnostic`] carries a stable [`Code`], a severity, a message, a primary
//! labelled span, secondary labels (possibly in other files), a help line and
//! an optional machine-applicable [`Fix`].
//!
//! Architecture invariant: this module holds the model only. Rendering for the
//! terminal, JSON and the language server lives at the edges (`cli`, `lsp`).

use crate::source::{FileId, Span};
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something to look at; `graft check` still exits 0.
    Warning,
    /// The input is wrong; `graft check` exits 1.
    Error,
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $code:literal, $slug:literal, $severity:ident; )*) => {
        /// Every diagnostic graft can emit. Each is documented, with a failing
        /// example, in `docs/diagnostics.md`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable code, such as `E0101`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// A short kebab-case name, such as `unknown-service`.
            pub fn slug(self) -> &'static str {
                match self { $( Code::$variant => $slug, )* }
            }

            /// What the code means, in one sentence (its documentation).
            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => concat!($($doc),*).trim_ascii(), )* }
            }

            /// The severity diagnostics with this code carry.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }
        }
    };
}

codes! {
    /// The text does not follow the grammar.
    SyntaxError = "E0001", "syntax-error", Error;
    /// The file is not valid UTF-8.
    InvalidUtf8 = "E0002", "invalid-utf8", Error;
    /// A string or regex literal is not closed on its line.
    UnterminatedString = "E0003", "unterminated-string", Error;
    /// Brackets, parentheses or `!` nest deeper than the parser allows.
    NestingTooDeep = "E0004", "nesting-too-deep", Error;
    /// An integer literal does not fit in 64 bits.
    IntegerOverflow = "E0005", "integer-overflow", Error;
    /// A name is defined twice where it must be unique.
    DuplicateDefinition = "E0101", "duplicate-definition", Error;
    /// A `match` or `when` names a service that is not declared.
    UnknownService = "E0102", "unknown-service", Error;
    /// A path names a field the service does not declare.
    UnknownField = "E0103", "unknown-field", Error;
    /// A path starts with a name that is not bound.
    UnknownVariable = "E0104", "unknown-variable", Error;
    /// A match arm or `on` clause names an unknown stack format.
    UnknownFormat = "E0105", "unknown-format", Error;
    /// A match arm names a resource type the catalogue does not know.
    UnknownResourceType = "E0106", "unknown-resource-type", Error;
    /// A predicate or endpoint role names an attribute the type does not have.
    UnknownAttribute = "E0107", "unknown-attribute", Error;
    /// `bind` names an endpoint role no matched type declares.
    UnknownRole = "E0108", "unknown-role", Error;
    /// A field's type names an unknown input type.
    UnknownType = "E0109", "unknown-type", Error;
    /// `customer_owns` lists an unknown responsibility.
    UnknownResponsibility = "E0110", "unknown-responsibility", Error;
    /// A value does not have the type its place requires.
    TypeMismatch = "E0201", "type-mismatch", Error;
    /// A default value lies outside its type's range or enum.
    DefaultOutOfRange = "E0202", "default-out-of-range", Error;
    /// A type is given arguments it does not take.
    InvalidTypeArguments = "E0203", "invalid-type-arguments", Error;
    /// A regex literal is not a valid regular expression.
    InvalidRegex = "E0204", "invalid-regex", Error;
    /// A secret or IAM role is used as a plain value.
    SecretByValue = "E0301", "secret-by-value", Error;
    /// `inject` is given something other than a secret or IAM role.
    NotInjectable = "E0302", "not-injectable", Error;
    /// `mount` is given something other than a certificate or file.
    NotMountable = "E0303", "not-mountable", Error;
    /// An action that a matched stack format cannot carry out.
    UnsupportedAction = "E0304", "unsupported-action", Error;
    /// An environment variable name that no process environment accepts.
    InvalidEnvName = "E0305", "invalid-env-name", Error;
    /// Two rules can write the same place with different values.
    ConflictingWrites = "E0401", "conflicting-writes", Error;
    /// A bindings file is not valid YAML, JSON or TOML.
    BindingsSyntax = "E0601", "bindings-syntax", Error;
    /// A bindings file names a service or field the rules do not declare.
    UnknownBinding = "E0602", "unknown-binding", Error;
    /// A binding's value does not have its field's type.
    BindingType = "E0603", "binding-type", Error;
    /// A binding's value lies outside its field's range or enum.
    BindingOutOfRange = "E0604", "binding-out-of-range", Error;
    /// A bindings file holds a secret's value instead of a reference to it.
    PlaintextSecret = "E0605", "plaintext-secret", Error;
    /// A required field has no binding.
    MissingBinding = "E0606", "missing-binding", Error;
    /// A certificate binding names no readable PEM certificate.
    BadCertificate = "E0607", "bad-certificate", Error;
    /// A stack file cannot be read as its format.
    InvalidStack = "E0701", "invalid-stack", Error;
    /// After apply, something would still refer to a dropped resource.
    DanglingReference = "E0702", "dangling-reference", Error;
    /// A matched workload's pod also runs an app the rules must not drop.
    SharedPod = "E0703", "shared-pod", Error;
    /// Consumers that used different databases of the dropped server now
    /// share the customer's one.
    DatabasesMerged = "W0701", "databases-merged", Warning;
    /// A changed output file still writes a password the dropped service
    /// was configured with, in a form no rewrite read.
    VendorPasswordLeft = "W0702", "vendor-password-left", Warning;
    /// A `drop` leaves an endpoint role of a matched type unbound.
    UnboundRole = "W0301", "unbound-role", Warning;
    /// A service, matcher or bound name is never used.
    Unused = "W0501", "unused", Warning;
    /// A rule, arm or action can never apply.
    NeverMatches = "W0502", "never-matches", Warning;
    /// A condition that always holds, so it says nothing.
    AlwaysTrue = "W0503", "always-true", Warning;
    /// A binding that no rule uses with the other bindings given.
    IgnoredBinding = "W0601", "ignored-binding", Warning;
}

impl Code {
    /// Whether `graft check` can report this code on rule files alone
    /// (bindings and stack codes need a bindings file or a stack).
    pub fn is_rule_code(self) -> bool {
        !matches!(&self.as_str()[1..3], "06" | "07")
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A message attached to a span of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The file.
    pub file: FileId,
    /// Where in it.
    pub span: Span,
    /// What to say there (may be empty).
    pub message: String,
}

impl Label {
    /// A label at `span` of `file`.
    pub fn new(file: FileId, span: Span, message: impl Into<String>) -> Label {
        Label {
            file,
            span,
            message: message.into(),
        }
    }
}

/// One text replacement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// The file to change.
    #[serde(skip)]
    pub file: FileId,
    /// The bytes to replace.
    pub span: Span,
    /// What to put there.
    pub replacement: String,
    /// How far the edit reaches beyond `span`, until [`settle_fixes`] works
    /// it out against the file's text.
    #[serde(skip)]
    pub reach: Reach,
}

impl Edit {
    /// Replaces `span` of `file` with `replacement`.
    pub fn new(file: FileId, span: Span, replacement: impl Into<String>) -> Edit {
        Edit {
            file,
            span,
            replacement: replacement.into(),
            reach: Reach::Exact,
        }
    }

    /// Removes the whole lines `span` is on (see [`Reach::Lines`]).
    pub fn remove_lines(file: FileId, span: Span) -> Edit {
        Edit {
            reach: Reach::Lines,
            ..Edit::new(file, span, "")
        }
    }

    /// Adds `line` as a new line after the one `span` ends on (see
    /// [`Reach::LineAfter`]).
    pub fn line_after(file: FileId, span: Span, line: impl Into<String>) -> Edit {
        Edit {
            reach: Reach::LineAfter,
            ..Edit::new(file, span, line)
        }
    }
}

/// How far an edit reaches: the checker, which sees syntax trees and not
/// text, says what it means, and [`settle_fixes`] makes it exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reach {
    /// The span, as it is.
    #[default]
    Exact,
    /// The whole lines the span is on, their line break included (and one
    /// blank line after them where blank lines stand on both sides), when
    /// nothing else is on those lines.
    Lines,
    /// A new line after the line the span ends on, indented as the line it
    /// starts on: the replacement is that line's text.
    LineAfter,
}

/// Makes every fix's edits exact against the text of their files (`text`
/// gives it; an edit of a file it does not know is left as it is).
pub fn settle_fixes<'t>(diagnostics: &mut [Diagnostic], text: &dyn Fn(FileId) -> Option<&'t str>) {
    for fix in diagnostics.iter_mut().filter_map(|d| d.fix.as_mut()) {
        if fix.edits.iter().all(|e| e.reach == Reach::Exact) {
            continue;
        }
        for e in &mut fix.edits {
            settle(e, text);
        }
        // Widened, two removals may meet on a blank line: each keeps to
        // its own bytes.
        fix.edits.sort_by_key(|e| (e.file, e.span.start));
        for i in 1..fix.edits.len() {
            let (before, after) = fix.edits.split_at_mut(i);
            let (prev, e) = (&before[i - 1], &mut after[0]);
            if prev.file == e.file && e.span.start < prev.span.end {
                e.span = Span::new(prev.span.end, e.span.end.max(prev.span.end));
            }
        }
    }
}

/// Makes one edit exact against the text of its file.
fn settle<'t>(e: &mut Edit, text: &dyn Fn(FileId) -> Option<&'t str>) {
    let Some(text) = text(e.file) else { return };
    let (start, end) = (e.span.start.min(text.len()), e.span.end.min(text.len()));
    let line_start = |at: usize| crate::stack::edit::line_start(text, at);
    // Just after the line break ending the line that holds `at`.
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let blank = |from: usize, to: usize| text[from..to].trim().is_empty();
    match e.reach {
        Reach::Exact => {}
        Reach::Lines => {
            let first = line_start(start);
            let after = line_end(end);
            let mut from = if blank(first, start) { first } else { start };
            let mut to = if blank(end, after) { after } else { end };
            if from == first && to == after {
                let blank_before = first == 0 || blank(line_start(first - 1), first);
                let next = line_end(to);
                if blank_before && to < text.len() && blank(to, next) {
                    to = next;
                } else if blank_before && to == text.len() && first > 0 {
                    // The last lines of the file: the blank line that
                    // set them apart goes too.
                    from = line_start(first - 1);
                }
            }
            e.span = Span::new(from, to);
        }
        Reach::LineAfter => {
            let first = line_start(start);
            let indent: String = text[first..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let at = line_end(end);
            let rest = text[end..at].trim();
            if !rest.is_empty() && !rest.starts_with("//") {
                // More follows on the line (`{ drop }`): the new line
                // goes between.
                e.replacement = format!("\n{indent}{}", e.replacement);
                e.span = Span::at(end);
            } else {
                let lead = if at == text.len() && !text.ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                e.replacement = format!("{lead}{indent}{}\n", e.replacement);
                e.span = Span::at(at);
            }
        }
    }
    e.reach = Reach::Exact;
}

/// A machine-applicable fix: what it does, and the edits that do it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What applying the fix does, such as "replace with `redis`".
    pub message: String,
    /// The edits, in any order; they never overlap.
    pub edits: Vec<Edit>,
}

/// One finding about the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// How serious it is (the code's own severity).
    pub severity: Severity,
    /// One lowercase line, user input in backticks, no trailing period.
    pub message: String,
    /// Where the problem is.
    pub primary: Label,
    /// Other places that explain it, possibly in other files.
    pub labels: Vec<Label>,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
    /// A fix that tools can apply.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with `code` at `span` of `file`. The primary label is
    /// empty; use [`Diagnostic::label`] to say something there.
    pub fn new(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label::new(file, span, ""),
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// Sets the primary label's message.
    pub fn label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_label(
        mut self,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.labels.push(Label::new(file, span, message));
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Sets a fix that replaces `span` of the primary file with `replacement`.
    pub fn fix(
        self,
        message: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Diagnostic {
        let edit = Edit::new(self.primary.file, span, replacement);
        self.fix_with(message, vec![edit])
    }

    /// Sets a fix made of `edits`, in any files.
    pub fn fix_with(mut self, message: impl Into<String>, edits: Vec<Edit>) -> Diagnostic {
        self.fix = Some(Fix {
            message: message.into(),
            edits,
        });
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics into a stable order: by file, position, then code, so
/// that output never depends on the order in which checks ran.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            a.primary.file,
            a.primary.span.start,
            a.primary.span.end,
            a.code,
            &a.message,
        )
            .cmp(&(
                b.primary.file,
                b.primary.span.start,
                b.primary.span.end,
                b.code,
                &b.message,
            ))
    });
}

/// A help line for an unknown `name`: "did you mean `x`?" when one of
/// `candidates` is close, else `otherwise` given them all listed
/// ("`a`, `b` and `c`").
pub fn suggest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
    otherwise: impl FnOnce(String) -> String,
) -> String {
    match did_you_mean(name, candidates.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise(crate::check::list_names(candidates)),
    }
}

/// The closest of `candidates` to `name`, if any is close enough to be a
/// plausible typo (a did-you-mean suggestion).
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Names are short; a long one is no typo of anything, and the distance
    // below costs time and memory in the product of the lengths.
    if name.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != name && c.len() <= MAX_SUGGESTED_LEN)
        .filter(|c| c.chars().count().abs_diff(name.chars().count()) <= limit)
        .map(|c| {
            let d = if c.to_ascii_lowercase() == lower {
                0
            } else {
                edit_distance(&lower, &c.to_ascii_lowercase())
            };
            (d, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Names longer than this get no did-you-mean suggestion.
const MAX_SUGGESTED_LEN: usize = 128;

/// Optimal-string-alignment distance (Levenshtein with transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        d[at(i, 0)] = i;
    }
    for j in 0..=b.len() {
        d[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[at(i - 1, j)] + 1)
                .min(d[at(i, j - 1)] + 1)
                .min(d[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[at(i - 2, j - 2)] + 1);
            }
            d[at(i, j)] = best;
        }
    }
    d[at(a.len(), b.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_and_ignores_strangers() {
        assert_eq!(
            did_you_mean("hostnme", ["hostname", "auth"]),
            Some("hostname")
        );
        assert_eq!(did_you_mean("tsl", ["tls", "cluster"]), Some("tls"));
        assert_eq!(did_you_mean("Redis", ["redis"]), Some("redis"));
        assert_eq!(did_you_mean("zzzz", ["hostname", "auth"]), None);
    }

    /// `text` with the one edit of a fix made after settling it.
    fn settled(text: &str, edit: Edit) -> String {
        let mut d = vec![
            Diagnostic::new(Code::Unused, FileId(0), edit.span, "x").fix_with("f", vec![edit]),
        ];
        settle_fixes(&mut d, &|_| Some(text));
        let e = &d[0].fix.as_ref().unwrap().edits[0];
        let mut out = text.to_string();
        out.replace_range(e.span.start..e.span.end, &e.replacement);
        out
    }

    #[test]
    fn settled_edits_take_whole_lines_and_keep_the_layout() {
        let text = "a {\n}\n\nb {\n  x\n}\n\nc {\n}\n";
        let b = text.find("b {").unwrap();
        let b_end = text.find("x\n}").unwrap() + 3;
        assert_eq!(
            settled(text, Edit::remove_lines(FileId(0), Span::new(b, b_end))),
            "a {\n}\n\nc {\n}\n"
        );
        // The last item: the blank line before it goes too.
        let c = text.find("c {").unwrap();
        assert_eq!(
            settled(
                text,
                Edit::remove_lines(FileId(0), Span::new(c, text.len() - 1))
            ),
            "a {\n}\n\nb {\n  x\n}\n"
        );
        // A new line after `x`, indented as `x` is; between `x` and what
        // follows it on its line; at the end of a file without a last line
        // break.
        let x = text.find('x').unwrap();
        let after = |t: &str, at: usize| {
            settled(t, Edit::line_after(FileId(0), Span::new(at, at + 1), "y"))
        };
        assert_eq!(after(text, x), "a {\n}\n\nb {\n  x\n  y\n}\n\nc {\n}\n");
        assert_eq!(after("b { x }", 4), "b { x\ny }");
        assert_eq!(after("  x // note", 2), "  x // note\n  y\n");
        assert_eq!(after("  x", 2), "  x\n  y\n");
    }

    #[test]
    fn codes_are_unique_and_match_their_severity() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let expected = if code.as_str().starts_with('E') {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(code.severity(), expected, "{code}");
        }
    }
}
