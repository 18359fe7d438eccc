//! The canonical layout of rule files: what `graft fmt` writes.
//!
//! Two-space indentation, one item per paragraph, one member, arm, role or
//! action per line, single spaces around operators. Every ordinary comment is
//! kept: a comment on a line of its own stays on a line of its own before the
//! same member, and a comment at the end of a line stays at the end of that
//! line. At most one blank line is kept between members. Formatting is
//! idempotent: formatting formatted text changes nothing.
//!
//! Only files that parse without errors are formatted; a file with syntax
//! errors is left alone.

use super::ast::*;
use crate::source::Span;

const INDENT: &str = "  ";

/// Formats a parsed file. `text` must be the text `module` was parsed from.
pub fn format(text: &str, module: &Module) -> String {
    let mut p = Printer {
        src: text,
        comments: &module.comments,
        next: 0,
        depth: 0,
        out: String::with_capacity(text.len() + text.len() / 8),
        last_end: 0,
        at_block_start: true,
    };
    for (n, item) in module.items.iter().enumerate() {
        if n > 0 {
            p.out.push('\n');
        }
        p.at_block_start = true;
        match item {
            Item::Service(s) => p.service(s),
            Item::Matcher(m) => p.matcher(m),
            Item::Rule(r) => p.rule(r),
        }
    }
    // Comments after the last item.
    if p.next < p.comments.len() && !module.items.is_empty() {
        p.out.push('\n');
        p.at_block_start = true;
    }
    p.leading(usize::MAX);
    p.out
}

struct Printer<'a> {
    src: &'a str,
    comments: &'a [Comment],
    /// The first comment not yet written.
    next: usize,
    depth: usize,
    out: String,
    /// Where the last written source construct ended.
    last_end: usize,
    /// Whether nothing has been written in the current block yet.
    at_block_start: bool,
}

impl Printer<'_> {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    fn slice(&self, span: Span) -> &str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// Whether the source has a blank line between `from` and `to`.
    fn blank_between(&self, from: usize, to: usize) -> bool {
        let Some(gap) = self.src.get(from.min(to)..to.min(self.src.len())) else {
            return false;
        };
        let lines: Vec<&str> = gap.split('\n').collect();
        // The lines strictly between the first and the last line break.
        lines.len() > 2
            && lines[1..lines.len() - 1]
                .iter()
                .any(|l| l.trim().is_empty())
    }

    /// Writes a blank line if the source had one before `start`, unless this
    /// is the first thing in a block.
    fn keep_blank(&mut self, start: usize) {
        if !self.at_block_start && self.blank_between(self.last_end, start) {
            self.out.push('\n');
        }
        self.at_block_start = false;
    }

    /// Writes every comment that starts before `pos` on lines of its own.
    fn leading(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next) {
            if c.span.start >= pos {
                break;
            }
            self.next += 1;
            self.keep_blank(c.span.start);
            self.indent();
            let text = self.slice(c.span).trim_end().to_string();
            self.out.push_str(&text);
            self.out.push('\n');
            self.last_end = c.span.end;
        }
    }

    /// Appends the comments that follow `end` on the same source line.
    fn trailing(&mut self, end: usize) {
        self.trailing_before(end, usize::MAX);
    }

    /// Appends the comments that follow `end` on the same source line and
    /// start before `limit`.
    fn trailing_before(&mut self, end: usize, limit: usize) {
        while let Some(c) = self.comments.get(self.next) {
            let same_line = c.span.start >= end
                && c.span.start < limit
                && self
                    .src
                    .get(end..c.span.start)
                    .is_some_and(|gap| !gap.contains('\n'));
            if !same_line {
                break;
            }
            self.next += 1;
            let text = self.slice(c.span).trim_end().to_string();
            self.out.push(' ');
            self.out.push_str(&text);
            self.last_end = c.span.end;
        }
    }

    /// Writes one construct that fits on a line, with its docs.
    fn line(&mut self, docs: &Docs, start: usize, end: usize, text: &str) {
        // Comments inside the construct (it may span lines in the source)
        // go on lines of their own before it, so they stay with it.
        self.leading(end);
        self.keep_blank(start);
        self.docs(docs);
        self.indent();
        self.out.push_str(text);
        self.last_end = end;
        self.trailing(end);
        self.out.push('\n');
    }

    fn docs(&mut self, docs: &Docs) {
        for line in &docs.lines {
            self.indent();
            if line.is_empty() {
                self.out.push_str("///\n");
            } else {
                self.out.push_str("/// ");
                self.out.push_str(line);
                self.out.push('\n');
            }
        }
    }

    /// Opens a block: header, docs, `{`, and comments on the `{` line that
    /// come before the block's first member (`first`).
    fn open(&mut self, docs: &Docs, start: usize, header_end: usize, header: &str, first: usize) {
        // Comments before the `{`, inside the header or between its docs and
        // its keyword, go on lines of their own before the block.
        let brace = self.find_brace(header_end);
        self.leading(brace.saturating_sub(1));
        self.keep_blank(start);
        self.docs(docs);
        self.indent();
        self.out.push_str(header);
        self.out.push_str(" {");
        self.last_end = brace;
        self.trailing_before(brace, first);
        self.out.push('\n');
        self.depth += 1;
        self.at_block_start = true;
    }

    /// Closes a block whose source ends at `end` (just after its `}`).
    fn close(&mut self, end: usize) {
        self.leading(end.saturating_sub(1));
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push('}');
        self.last_end = end;
        self.trailing(end);
        self.out.push('\n');
        self.at_block_start = false;
    }

    /// The offset just after the `{` that follows `from`, skipping blanks and
    /// comments.
    fn find_brace(&self, from: usize) -> usize {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b'{' => return i + 1,
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        from
    }

    /// Writes `header {}` for a block with nothing inside, keeping any
    /// comment written inside the braces.
    fn empty_block(
        &mut self,
        docs: &Docs,
        start: usize,
        header_end: usize,
        end: usize,
        header: &str,
    ) {
        let inner_comments = self
            .comments
            .get(self.next)
            .is_some_and(|c| c.span.start > header_end && c.span.start < end);
        if inner_comments {
            self.open(docs, start, header_end, header, end);
            self.close(end);
        } else {
            self.line(docs, start, end, &format!("{header} {{}}"));
        }
    }

    fn service(&mut self, s: &Service) {
        let header = format!("service {}", s.name.text);
        let start = s.docs.span.map_or(s.span.start, |d| d.start);
        if s.members.is_empty() {
            self.empty_block(&s.docs, start, s.name.span.end, s.span.end, &header);
            return;
        }
        let first = s.members.first().map_or(s.span.end, |m| match m {
            Member::Field(f) => start_of(&f.docs, f.span),
            Member::Owns(o) => start_of(&o.docs, o.span),
        });
        self.open(&s.docs, start, s.name.span.end, &header, first);
        for m in &s.members {
            match m {
                Member::Field(f) => {
                    let mut text = format!("{}: {}", f.name.text, self.type_expr(&f.ty));
                    if let Some(d) = &f.default {
                        text.push_str(" = ");
                        text.push_str(&self.literal(d));
                    }
                    self.line(&f.docs, start_of(&f.docs, f.span), f.span.end, &text);
                }
                Member::Owns(o) => {
                    let items: Vec<&str> = o.items.iter().map(|n| n.text.as_str()).collect();
                    let text = format!("customer_owns: {}", items.join(", "));
                    self.line(&o.docs, start_of(&o.docs, o.span), o.span.end, &text);
                }
            }
        }
        self.close(s.span.end);
    }

    fn type_expr(&self, t: &TypeExpr) -> String {
        let alts: Vec<String> = t
            .alternatives
            .iter()
            .map(|a| {
                let mut s = a.name.text.clone();
                if let Some(args) = &a.args {
                    let args: Vec<String> = args.iter().map(|arg| self.type_arg(arg)).collect();
                    s.push('(');
                    s.push_str(&args.join(", "));
                    s.push(')');
                }
                s
            })
            .collect();
        let mut s = alts.join(" | ");
        if t.optional {
            s.push('?');
        }
        s
    }

    fn type_arg(&self, arg: &TypeArg) -> String {
        match arg {
            TypeArg::Range(r) => {
                let lo = r.lo.as_ref().map(|l| self.literal(l)).unwrap_or_default();
                let hi = r.hi.as_ref().map(|l| self.literal(l)).unwrap_or_default();
                format!("{lo}{}{hi}", if r.inclusive { "..=" } else { ".." })
            }
            TypeArg::Named(n, l) => format!("{} = {}", n.text, self.literal(l)),
            TypeArg::Positional(l) => self.literal(l),
        }
    }

    fn matcher(&mut self, m: &Matcher) {
        let mut header = format!("match {}", m.name.text);
        let mut header_end = m.name.span.end;
        if let Some(s) = &m.service {
            header.push_str(" for ");
            header.push_str(&s.text);
            header_end = s.span.end;
        }
        let start = start_of(&m.docs, m.span);
        if m.arms.is_empty() {
            self.empty_block(&m.docs, start, header_end, m.span.end, &header);
            return;
        }
        let first = m
            .arms
            .first()
            .map_or(m.span.end, |a| start_of(&a.docs, a.span));
        self.open(&m.docs, start, header_end, &header, first);
        for arm in &m.arms {
            self.arm(arm);
        }
        self.close(m.span.end);
    }

    fn arm(&mut self, arm: &Arm) {
        let types: Vec<String> = arm
            .types
            .iter()
            .map(|t| {
                if t.quoted {
                    self.slice(t.name.span).to_string()
                } else {
                    t.name.text.clone()
                }
            })
            .collect();
        let mut header = format!("{} {}", arm.format.text, types.join(" | "));
        let mut header_end = arm
            .types
            .last()
            .map_or(arm.format.span.end, |t| t.name.span.end);
        if let Some(p) = &arm.predicate {
            header.push_str(" if ");
            header.push_str(&self.expr(p));
            header_end = p.span.end;
        }
        let start = start_of(&arm.docs, arm.span);
        match &arm.roles {
            None => self.line(&arm.docs, start, arm.span.end, &header),
            Some(roles) if roles.is_empty() => {
                self.empty_block(&arm.docs, start, header_end, arm.span.end, &header)
            }
            Some(roles) => {
                let first = roles
                    .first()
                    .map_or(arm.span.end, |r| start_of(&r.docs, r.span));
                self.open(&arm.docs, start, header_end, &header, first);
                for r in roles {
                    let values: Vec<String> = r.values.iter().map(|v| self.operand(v)).collect();
                    let text = format!("{} = {}", r.name.text, values.join(" | "));
                    self.line(&r.docs, start_of(&r.docs, r.span), r.span.end, &text);
                }
                self.close(arm.span.end);
            }
        }
    }

    fn rule(&mut self, r: &Rule) {
        let mut header = format!("when {} is provided", r.service.text);
        let mut header_end = r.service.span.end;
        if let Some(b) = &r.binding {
            header.push_str(" as ");
            header.push_str(&b.text);
            header_end = b.span.end;
        }
        let start = start_of(&r.docs, r.span);
        if r.actions.is_empty() {
            self.empty_block(&r.docs, start, header_end, r.span.end, &header);
            return;
        }
        let first = r.actions.first().map_or(r.span.end, |a| a.span.start);
        self.open(&r.docs, start, header_end, &header, first);
        for a in &r.actions {
            let text = self.action(a);
            self.line(&Docs::default(), a.span.start, a.span.end, &text);
        }
        self.close(r.span.end);
    }

    fn action(&self, a: &Action) -> String {
        let mut s = match &a.body {
            ActionBody::Drop { .. } => "drop".to_string(),
            ActionBody::Alias { .. } => "alias".to_string(),
            ActionBody::Bind { role, value } => {
                format!("bind {} = {}", role.text, self.operand(value))
            }
            ActionBody::Inject { value, target } => {
                format!("inject {} {}", self.operand(value), self.target(target))
            }
            ActionBody::Set { env, value } => {
                format!("set env {} = {}", self.env_name(env), self.operand(value))
            }
            ActionBody::Mount { value, target } => {
                format!("mount {} {}", self.operand(value), self.target(target))
            }
            ActionBody::Annotate { key, value } => {
                format!("annotate {} = {}", self.literal(key), self.operand(value))
            }
        };
        if !a.on.is_empty() {
            let formats: Vec<&str> = a.on.iter().map(|n| n.text.as_str()).collect();
            s.push_str(" on ");
            s.push_str(&formats.join(", "));
        }
        if let Some(c) = &a.condition {
            s.push_str(if c.negated { " unless " } else { " if " });
            s.push_str(&self.expr(&c.expr));
        }
        s
    }

    fn target(&self, t: &Target) -> String {
        match t {
            Target::Env(e) => format!("as env {}", self.env_name(e)),
            Target::File(path) => format!("at {}", self.literal(path)),
        }
    }

    fn env_name(&self, e: &EnvName) -> String {
        if e.quoted {
            self.slice(e.name.span).to_string()
        } else {
            e.name.text.clone()
        }
    }

    fn expr(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Or(parts) => self.join(parts, " || "),
            ExprKind::And(parts) => self.join(parts, " && "),
            ExprKind::Not(inner) => format!("!{}", self.expr(inner)),
            ExprKind::Paren(inner) => format!("({})", self.expr(inner)),
            ExprKind::Has(p) => format!("has {}", p.dotted()),
            ExprKind::Compare(a, op, b) => {
                format!("{} {} {}", self.operand(a), op.as_str(), self.operand(b))
            }
            ExprKind::In(a, list) => format!("{} in {}", self.operand(a), self.literal(list)),
            ExprKind::Matches(a, re) => format!("{} ~ {}", self.operand(a), self.literal(re)),
            ExprKind::Is(a, ty) => format!("{} is {}", self.operand(a), ty.text),
            ExprKind::Operand(o) => self.operand(o),
        }
    }

    fn join(&self, parts: &[Expr], sep: &str) -> String {
        parts
            .iter()
            .map(|p| self.expr(p))
            .collect::<Vec<_>>()
            .join(sep)
    }

    fn operand(&self, o: &Operand) -> String {
        match o {
            Operand::Literal(l) => self.literal(l),
            Operand::Path(p) => p.dotted(),
        }
    }

    fn literal(&self, l: &Literal) -> String {
        match &l.kind {
            LitKind::Null => "null".into(),
            LitKind::Bool(b) => b.to_string(),
            LitKind::List(items) => {
                let items: Vec<String> = items.iter().map(|i| self.literal(i)).collect();
                format!("[{}]", items.join(", "))
            }
            // Strings, regexes and integers are written as they were, escapes
            // and all.
            LitKind::Int(_) | LitKind::Str(_) | LitKind::Regex(_) => self.slice(l.span).to_string(),
        }
    }
}

fn start_of(docs: &Docs, span: Span) -> usize {
    docs.span.map_or(span.start, |d| d.start.min(span.start))
}

/// Formats one file's text, or returns its syntax errors: what `graft fmt`
/// and the language server both run. The result is refused unless it
/// re-reads to the same items and comments.
pub fn checked(
    id: crate::source::FileId,
    text: &str,
) -> Result<String, Vec<crate::diagnostics::Diagnostic>> {
    let parse = crate::syntax::parse(id, text);
    let errors: Vec<_> = parse
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let out = format(text, &parse.module);
    // The formatter must keep every item and comment; refuse to write
    // anything that does not re-read to the same shape.
    let again = crate::syntax::parse(id, &out);
    let same_shape = again.diagnostics.is_empty()
        && again.module.items.len() == parse.module.items.len()
        && again.module.comments.len() == parse.module.comments.len();
    if !same_shape {
        return Err(vec![
            crate::diagnostics::Diagnostic::new(
                crate::diagnostics::Code::SyntaxError,
                id,
                crate::source::Span::at(0),
                "graft fmt could not format this file without changing its meaning",
            )
            .help("the file was left unchanged; please report this with the file's text"),
        ]);
    }
    Ok(out)
}
