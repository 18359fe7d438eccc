//! pest pairs to the syntax tree.
//!
//! The grammar guarantees the shape of every pair; where a pair is not what
//! was expected anyway, lowering gives up on that item with a diagnostic
//! rather than panicking.

use super::Rule;
use super::ast::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::iterators::Pair;

type P<'i> = Pair<'i, Rule>;

/// Lowers the pairs of one item whose text starts at `offset` in the file.
pub struct Lower {
    file: FileId,
    offset: usize,
    /// Problems found while lowering (integer overflow and the like).
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a pair is punctuation or a keyword: present for error messages,
/// absent from the tree.
fn is_token(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::open
            | Rule::close
            | Rule::colon
            | Rule::assign
            | Rule::pipe
            | Rule::comma
            | Rule::lparen
            | Rule::rparen
            | Rule::lbracket
            | Rule::rbracket
            | Rule::or_op
            | Rule::and_op
            | Rule::match_op
            | Rule::kw_service
            | Rule::kw_customer_owns
            | Rule::kw_match
            | Rule::kw_for
            | Rule::kw_when
            | Rule::kw_is
            | Rule::kw_provided
            | Rule::kw_as
            | Rule::kw_drop
            | Rule::kw_alias
            | Rule::kw_bind
            | Rule::kw_inject
            | Rule::kw_set
            | Rule::kw_mount
            | Rule::kw_annotate
            | Rule::kw_env
            | Rule::kw_at
            | Rule::kw_on
            | Rule::kw_has
            | Rule::kw_in
    )
}

/// Whether `text` holds only blanks and `//` comments.
fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty()
            || (line.starts_with("//") && !line.starts_with("///"))
            || line.starts_with("////")
    })
}

/// A string literal's text between its quotes, as written.
fn unquote(s: &str) -> String {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
        .to_string()
}

/// The meaningful children of a pair.
fn children<'i>(pair: P<'i>) -> Vec<P<'i>> {
    pair.into_inner()
        .filter(|p| !is_token(p.as_rule()))
        .collect()
}

impl Lower {
    /// A lowerer for an item at `offset` of `file`.
    pub fn new(file: FileId, offset: usize) -> Lower {
        Lower {
            file,
            offset,
            diagnostics: Vec::new(),
        }
    }

    /// The pair's span, without the trailing blanks and comments that pest
    /// includes after an optional part that was not there.
    fn span(&self, pair: &P<'_>) -> Span {
        let start = pair.as_span().start();
        let mut end = pair.as_span().end();
        let mut last = pair.clone();
        while let Some(child) = last.clone().into_inner().next_back() {
            let child_end = child.as_span().end();
            if is_blank(pair.get_input().get(child_end..end).unwrap_or("x")) {
                end = child_end;
            }
            last = child;
        }
        Span::new(start + self.offset, end.max(start) + self.offset)
    }

    fn name(&self, pair: &P<'_>) -> Name {
        Name {
            text: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    /// Lowers an `item` pair.
    pub fn item(&mut self, pair: P<'_>) -> Option<Item> {
        let span = self.span(&pair);
        let lowered = match pair.into_inner().next() {
            Some(inner) => match inner.as_rule() {
                Rule::service => self.service(inner).map(Item::Service),
                Rule::matcher => self.matcher(inner).map(Item::Matcher),
                Rule::when_rule => self.rule(inner).map(Item::Rule),
                _ => None,
            },
            None => None,
        };
        if lowered.is_none() {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::SyntaxError,
                    self.file,
                    span,
                    "this item could not be read",
                )
                .help("this is a bug in graft's parser; please report it with the item's text"),
            );
        }
        lowered
    }

    fn docs(&self, pair: P<'_>) -> Docs {
        let span = self.span(&pair);
        let lines: Vec<String> = pair
            .into_inner()
            .filter_map(|doc| doc.into_inner().next())
            .map(|text| {
                let t = text.as_str().trim_end_matches('\r');
                t.strip_prefix(' ').unwrap_or(t).to_string()
            })
            .collect();
        Docs {
            span: (!lines.is_empty()).then_some(span),
            lines,
        }
    }

    fn service(&mut self, pair: P<'_>) -> Option<Service> {
        let span = self.span(&pair);
        let mut it = children(pair).into_iter();
        let docs = self.docs(it.next()?);
        let name = self.name(&it.next()?);
        let mut members = Vec::new();
        for member in it {
            match member.as_rule() {
                Rule::field => members.push(Member::Field(self.field(member)?)),
                Rule::owns => members.push(Member::Owns(self.owns(member)?)),
                _ => return None,
            }
        }
        Some(Service {
            docs,
            name,
            members,
            span,
        })
    }

    fn owns(&mut self, pair: P<'_>) -> Option<Owns> {
        let span = self.span(&pair);
        let mut it = children(pair).into_iter();
        let docs = self.docs(it.next()?);
        let items = it.map(|p| self.name(&p)).collect();
        Some(Owns { docs, items, span })
    }

    fn field(&mut self, pair: P<'_>) -> Option<Field> {
        let span = self.span(&pair);
        let mut it = children(pair).into_iter();
        let docs = self.docs(it.next()?);
        let name = self.name(&it.next()?);
        let ty = self.type_expr(it.next()?)?;
        let default = match it.next() {
            Some(lit) => Some(self.literal(lit)?),
            None => None,
        };
        Some(Field {
            docs,
            name,
            ty,
            default,
            span,
        })
    }

    fn type_expr(&mut self, pair: P<'_>) -> Option<TypeExpr> {
        let span = self.span(&pair);
        let mut alternatives = Vec::new();
        let mut optional = false;
        for p in children(pair) {
            match p.as_rule() {
                Rule::type_atom => alternatives.push(self.type_atom(p)?),
                Rule::optional => optional = true,
                _ => return None,
            }
        }
        Some(TypeExpr {
            alternatives,
            optional,
            span,
        })
    }

    fn type_atom(&mut self, pair: P<'_>) -> Option<TypeAtom> {
        let span = self.span(&pair);
        let has_parens = pair
            .clone()
            .into_inner()
            .any(|p| p.as_rule() == Rule::lparen);
        let mut it = children(pair).into_iter();
        let name = self.name(&it.next()?);
        let mut args = Vec::new();
        for arg in it {
            let inner = arg.into_inner().next()?;
            args.push(match inner.as_rule() {
                Rule::range => {
                    let rspan = self.span(&inner);
                    let mut lo = None;
                    let mut hi = None;
                    let mut inclusive = false;
                    let mut seen_op = false;
                    for p in inner.into_inner() {
                        match p.as_rule() {
                            Rule::range_op => {
                                inclusive = p.as_str() == "..=";
                                seen_op = true;
                            }
                            Rule::integer if seen_op => hi = Some(self.integer(&p)),
                            Rule::integer => lo = Some(self.integer(&p)),
                            _ => return None,
                        }
                    }
                    TypeArg::Range(RangeArg {
                        lo,
                        hi,
                        inclusive,
                        span: rspan,
                    })
                }
                Rule::named_arg => {
                    let mut it = children(inner).into_iter();
                    let n = self.name(&it.next()?);
                    let l = self.literal(it.next()?)?;
                    TypeArg::Named(n, l)
                }
                Rule::literal => TypeArg::Positional(self.literal(inner)?),
                _ => return None,
            });
        }
        Some(TypeAtom {
            name,
            args: has_parens.then_some(args),
            span,
        })
    }

    fn matcher(&mut self, pair: P<'_>) -> Option<Matcher> {
        let span = self.span(&pair);
        let mut docs = Docs::default();
        let mut names = Vec::new();
        let mut arms = Vec::new();
        for p in children(pair) {
            match p.as_rule() {
                Rule::docs => docs = self.docs(p),
                Rule::ident => names.push(self.name(&p)),
                Rule::arm => arms.push(self.arm(p)?),
                _ => return None,
            }
        }
        let mut names = names.into_iter();
        let name = names.next()?;
        Some(Matcher {
            docs,
            name,
            service: names.next(),
            arms,
            span,
        })
    }

    fn arm(&mut self, pair: P<'_>) -> Option<Arm> {
        let span = self.span(&pair);
        let mut docs = Docs::default();
        let mut format = None;
        let mut types = Vec::new();
        let mut predicate = None;
        let mut roles = None;
        for p in children(pair) {
            match p.as_rule() {
                Rule::docs => docs = self.docs(p),
                Rule::ident => format = Some(self.name(&p)),
                Rule::type_list => {
                    for t in children(p) {
                        let inner = t.into_inner().next()?;
                        types.push(match inner.as_rule() {
                            Rule::string => {
                                let raw = unquote(inner.as_str());
                                let lit = self.string(inner)?;
                                let text = lit.kind.plain_str().unwrap_or(raw);
                                TypeName {
                                    name: Name {
                                        text,
                                        span: lit.span,
                                    },
                                    quoted: true,
                                }
                            }
                            _ => TypeName {
                                name: self.name(&inner),
                                quoted: false,
                            },
                        });
                    }
                }
                Rule::kw_if => {}
                Rule::expr => predicate = Some(self.expr(p)?),
                Rule::roles => {
                    let mut list = Vec::new();
                    for r in children(p) {
                        list.push(self.role(r)?);
                    }
                    roles = Some(list);
                }
                _ => return None,
            }
        }
        Some(Arm {
            docs,
            format: format?,
            types,
            predicate,
            roles,
            span,
        })
    }

    fn role(&mut self, pair: P<'_>) -> Option<Role> {
        let span = self.span(&pair);
        let mut it = children(pair).into_iter();
        let docs = self.docs(it.next()?);
        let name = self.name(&it.next()?);
        let mut values = Vec::new();
        for v in it {
            values.push(self.operand(v)?);
        }
        Some(Role {
            docs,
            name,
            values,
            span,
        })
    }

    fn rule(&mut self, pair: P<'_>) -> Option<Rule_> {
        let span = self.span(&pair);
        let provided = pair
            .clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::kw_provided)
            .map(|p| self.span(&p))?;
        let mut docs = Docs::default();
        let mut names = Vec::new();
        let mut actions = Vec::new();
        for p in children(pair) {
            match p.as_rule() {
                Rule::docs => docs = self.docs(p),
                Rule::ident => names.push(self.name(&p)),
                Rule::action => actions.push(self.action(p)?),
                _ => return None,
            }
        }
        let mut names = names.into_iter();
        Some(Rule_ {
            docs,
            service: names.next()?,
            binding: names.next(),
            provided,
            actions,
            span,
        })
    }

    fn action(&mut self, pair: P<'_>) -> Option<Action> {
        let span = self.span(&pair);
        let mut it = children(pair).into_iter();
        let body_pair = it.next()?;
        let body_span = self.span(&body_pair);
        let rule = body_pair.as_rule();
        let mut parts = children(body_pair).into_iter();
        let body = match rule {
            Rule::drop => ActionBody::Drop { span: body_span },
            Rule::alias => ActionBody::Alias { span: body_span },
            Rule::bind => ActionBody::Bind {
                role: self.name(&parts.next()?),
                value: self.operand(parts.next()?)?,
            },
            Rule::inject => ActionBody::Inject {
                value: self.operand(parts.next()?)?,
                target: self.target(parts.next()?)?,
            },
            Rule::mount => ActionBody::Mount {
                value: self.operand(parts.next()?)?,
                target: self.target(parts.next()?)?,
            },
            Rule::set => ActionBody::Set {
                env: self.env_name(parts.next()?)?,
                value: self.operand(parts.next()?)?,
            },
            Rule::annotate => ActionBody::Annotate {
                key: self.string(parts.next()?)?,
                value: self.operand(parts.next()?)?,
            },
            _ => return None,
        };
        let mut on = Vec::new();
        let mut condition = None;
        for p in it {
            match p.as_rule() {
                Rule::on_formats => on = children(p).iter().map(|f| self.name(f)).collect(),
                Rule::condition => {
                    let cspan = self.span(&p);
                    let mut inner = p.into_inner();
                    let kw = inner.next()?;
                    let expr = self.expr(inner.next()?)?;
                    condition = Some(Condition {
                        negated: kw.as_rule() == Rule::kw_unless,
                        expr,
                        span: cspan,
                    });
                }
                _ => return None,
            }
        }
        Some(Action {
            body,
            on,
            condition,
            span,
        })
    }

    fn target(&mut self, pair: P<'_>) -> Option<Target> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::env_target => Some(Target::Env(
                self.env_name(children(inner).into_iter().next()?)?,
            )),
            Rule::file_target => Some(Target::File(
                self.string(children(inner).into_iter().next()?)?,
            )),
            _ => None,
        }
    }

    fn env_name(&mut self, pair: P<'_>) -> Option<EnvName> {
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::ident => Some(EnvName {
                name: self.name(&inner),
                quoted: false,
            }),
            Rule::string => {
                // A name with `${...}` in it is kept as written, so that the
                // checker can say why it is not a valid name.
                let raw = unquote(inner.as_str());
                let lit = self.string(inner)?;
                Some(EnvName {
                    name: Name {
                        text: lit.kind.plain_str().unwrap_or(raw),
                        span: lit.span,
                    },
                    quoted: true,
                })
            }
            _ => None,
        }
    }

    fn expr(&mut self, pair: P<'_>) -> Option<Expr> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::expr | Rule::and_expr => {
                let is_or = pair.as_rule() == Rule::expr;
                let mut parts = Vec::new();
                for p in children(pair) {
                    parts.push(self.expr(p)?);
                }
                if parts.len() == 1 {
                    return parts.pop();
                }
                let kind = if is_or {
                    ExprKind::Or(parts)
                } else {
                    ExprKind::And(parts)
                };
                Some(Expr { kind, span })
            }
            Rule::unary => {
                let mut nots = Vec::new();
                let mut primary = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::not_op => nots.push(self.span(&p).start),
                        _ => primary = Some(self.expr(p)?),
                    }
                }
                let mut e = primary?;
                for start in nots.into_iter().rev() {
                    let s = Span::new(start, e.span.end);
                    e = Expr {
                        kind: ExprKind::Not(Box::new(e)),
                        span: s,
                    };
                }
                Some(e)
            }
            Rule::primary => self.expr(pair.into_inner().next()?),
            Rule::paren => {
                let inner = children(pair).into_iter().next()?;
                Some(Expr {
                    kind: ExprKind::Paren(Box::new(self.expr(inner)?)),
                    span,
                })
            }
            Rule::has => {
                let p = children(pair).into_iter().next()?;
                Some(Expr {
                    kind: ExprKind::Has(self.path(&p)?),
                    span,
                })
            }
            Rule::comparison => {
                let mut it = pair.into_inner();
                let lhs = self.operand(it.next()?)?;
                let kind = match it.next() {
                    None => ExprKind::Operand(lhs),
                    Some(tail) => {
                        let mut t = tail.into_inner();
                        let first = t.next()?;
                        match first.as_rule() {
                            Rule::cmp_op => {
                                let op = match first.as_str() {
                                    "==" => CmpOp::Eq,
                                    "!=" => CmpOp::Ne,
                                    "<" => CmpOp::Lt,
                                    "<=" => CmpOp::Le,
                                    ">" => CmpOp::Gt,
                                    ">=" => CmpOp::Ge,
                                    _ => return None,
                                };
                                ExprKind::Compare(lhs, op, self.operand(t.next()?)?)
                            }
                            Rule::kw_in => ExprKind::In(lhs, self.literal_inner(t.next()?)?),
                            Rule::match_op => {
                                ExprKind::Matches(lhs, self.literal_inner(t.next()?)?)
                            }
                            Rule::kw_is => ExprKind::Is(lhs, self.name(&t.next()?)),
                            _ => return None,
                        }
                    }
                };
                Some(Expr { kind, span })
            }
            _ => None,
        }
    }

    fn operand(&mut self, pair: P<'_>) -> Option<Operand> {
        // `value`, `operand` and `role_value` all wrap a literal or a path.
        let inner = pair.into_inner().next()?;
        match inner.as_rule() {
            Rule::literal => Some(Operand::Literal(self.literal(inner)?)),
            Rule::path => Some(Operand::Path(self.path(&inner)?)),
            _ => None,
        }
    }

    fn path(&self, pair: &P<'_>) -> Option<Path> {
        let segments: Vec<Name> = pair.clone().into_inner().map(|p| self.name(&p)).collect();
        if segments.is_empty() {
            return None;
        }
        Some(Path {
            segments,
            span: self.span(pair),
        })
    }

    fn literal(&mut self, pair: P<'_>) -> Option<Literal> {
        self.literal_inner(pair.into_inner().next()?)
    }

    /// Lowers the concrete literal rule (`string`, `integer`, ...).
    fn literal_inner(&mut self, pair: P<'_>) -> Option<Literal> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::null => LitKind::Null,
            Rule::boolean => LitKind::Bool(pair.as_str() == "true"),
            Rule::integer => return Some(self.integer(&pair)),
            Rule::regex => LitKind::Regex(pair.into_inner().next()?.as_str().to_string()),
            Rule::string => return self.string(pair),
            Rule::list => {
                let mut items = Vec::new();
                for p in children(pair) {
                    items.push(self.literal(p)?);
                }
                LitKind::List(items)
            }
            _ => return None,
        };
        Some(Literal { kind, span })
    }

    fn integer(&mut self, pair: &P<'_>) -> Literal {
        let span = self.span(pair);
        let value = match pair.as_str().parse::<i64>() {
            Ok(v) => v,
            Err(_) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::IntegerOverflow,
                        self.file,
                        span,
                        format!("integer `{}` does not fit in 64 bits", pair.as_str()),
                    )
                    .label("too large")
                    .help(format!(
                        "integers range from {} to {}",
                        i64::MIN,
                        i64::MAX
                    )),
                );
                0
            }
        };
        Literal {
            kind: LitKind::Int(value),
            span,
        }
    }

    fn string(&mut self, pair: P<'_>) -> Option<Literal> {
        let span = self.span(&pair);
        let mut parts: Vec<StrPart> = Vec::new();
        let push_text = |parts: &mut Vec<StrPart>, s: &str| match parts.last_mut() {
            Some(StrPart::Text(t)) => t.push_str(s),
            _ => parts.push(StrPart::Text(s.to_string())),
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string_text => push_text(&mut parts, p.as_str()),
                Rule::escape => {
                    let raw = p.as_str();
                    let c = match raw {
                        "\\n" => '\n',
                        "\\t" => '\t',
                        "\\r" => '\r',
                        "\\\"" => '"',
                        "\\\\" => '\\',
                        "\\$" => '$',
                        _ => {
                            let hex = raw.trim_start_matches("\\u{").trim_end_matches('}');
                            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                                Some(c) => c,
                                None => {
                                    self.diagnostics.push(
                                        Diagnostic::new(
                                            Code::SyntaxError,
                                            self.file,
                                            self.span(&p),
                                            format!("`{raw}` is not a Unicode character"),
                                        )
                                        .help("use a code point up to 10FFFF outside the surrogate range D800-DFFF"),
                                    );
                                    '\u{fffd}'
                                }
                            }
                        }
                    };
                    push_text(&mut parts, c.encode_utf8(&mut [0; 4]));
                }
                Rule::interpolation => {
                    let path = p.into_inner().next()?;
                    parts.push(StrPart::Interpolation(self.path(&path)?));
                }
                _ => return None,
            }
        }
        Some(Literal {
            kind: LitKind::Str(parts),
            span,
        })
    }
}

/// The tree's `Rule` under a name that does not clash with pest's `Rule`.
type Rule_ = super::ast::Rule;
