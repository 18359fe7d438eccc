//! The syntax tree of one rule file: plain values with byte spans.
//!
//! The tree records what was written, not what it means: names are not yet
//! resolved and types are not yet checked (that is `check`'s job).

use crate::source::Span;

/// One parsed rule file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Module {
    /// The items that parsed, in source order.
    pub items: Vec<Item>,
    /// Every ordinary `//` comment, in source order (doc comments are part of
    /// the items they document).
    pub comments: Vec<Comment>,
    /// Items that did not parse, as far as their headers could be read, so
    /// that later passes do not report their names as unknown.
    pub broken: Vec<BrokenItem>,
}

/// The header of an item that did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenItem {
    /// `service`, `match` or `when`.
    pub keyword: String,
    /// The names after the keyword (`match m for s` gives `m` and `s`).
    pub names: Vec<String>,
    /// The whole item.
    pub span: Span,
}

/// An ordinary comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The whole comment, `//` included.
    pub span: Span,
}

/// A name as written, with its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    /// The text.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// `///` doc comment lines, with the `///` and one following space removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs {
    /// One entry per line.
    pub lines: Vec<String>,
    /// Where the doc comment block is, if there is one.
    pub span: Option<Span>,
}

impl Docs {
    /// The lines joined with newlines.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `service NAME { ... }`
    Service(Service),
    /// `match NAME [for SERVICE] { ... }`
    Matcher(Matcher),
    /// `when SERVICE is provided [as NAME] { ... }`
    Rule(Rule),
}

impl Item {
    /// The whole item's span, doc comments included.
    pub fn span(&self) -> Span {
        match self {
            Item::Service(s) => s.span,
            Item::Matcher(m) => m.span,
            Item::Rule(r) => r.span,
        }
    }
}

/// A service declaration: the customer's inputs, and what they take on.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// Doc comment.
    pub docs: Docs,
    /// The service's name.
    pub name: Name,
    /// Fields and `customer_owns` lists, in source order.
    pub members: Vec<Member>,
    /// The whole declaration.
    pub span: Span,
}

/// A member of a service.
#[derive(Clone, Debug, PartialEq)]
pub enum Member {
    /// `NAME: TYPE [= DEFAULT]`
    Field(Field),
    /// `customer_owns: A, B, C`
    Owns(Owns),
}

/// One customer input.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Doc comment.
    pub docs: Docs,
    /// The field's name.
    pub name: Name,
    /// Its type.
    pub ty: TypeExpr,
    /// Its default, if any.
    pub default: Option<Literal>,
    /// The whole field.
    pub span: Span,
}

/// `customer_owns: provisioning, backups, ...`
#[derive(Clone, Debug, PartialEq)]
pub struct Owns {
    /// Doc comment.
    pub docs: Docs,
    /// The responsibilities listed.
    pub items: Vec<Name>,
    /// The whole member.
    pub span: Span,
}

/// `A | B(args) [?]`
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// The alternatives of a union (one for a plain type).
    pub alternatives: Vec<TypeAtom>,
    /// Whether `?` follows: the input may be left out.
    pub optional: bool,
    /// The whole type.
    pub span: Span,
}

/// One named type with optional arguments: `int(0..=15)`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeAtom {
    /// The type's name.
    pub name: Name,
    /// Its arguments; `None` when written without parentheses.
    pub args: Option<Vec<TypeArg>>,
    /// The whole atom.
    pub span: Span,
}

/// An argument of a type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeArg {
    /// `LO..HI`, `LO..=HI`, `LO..`, `..=HI`
    Range(RangeArg),
    /// `name = literal`
    Named(Name, Literal),
    /// A bare literal.
    Positional(Literal),
}

impl TypeArg {
    /// Where the argument is.
    pub fn span(&self) -> Span {
        match self {
            TypeArg::Range(r) => r.span,
            TypeArg::Named(n, l) => n.span.to(l.span),
            TypeArg::Positional(l) => l.span,
        }
    }
}

/// An integer range argument.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeArg {
    /// The lower bound, if written.
    pub lo: Option<Literal>,
    /// The upper bound, if written.
    pub hi: Option<Literal>,
    /// `..=` rather than `..`.
    pub inclusive: bool,
    /// The whole range.
    pub span: Span,
}

/// `match NAME [for SERVICE] { arms }`
#[derive(Clone, Debug, PartialEq)]
pub struct Matcher {
    /// Doc comment.
    pub docs: Docs,
    /// The matcher's name.
    pub name: Name,
    /// The service it finds, when it differs from the name.
    pub service: Option<Name>,
    /// One arm per format and set of types.
    pub arms: Vec<Arm>,
    /// The whole matcher.
    pub span: Span,
}

impl Matcher {
    /// The name of the service this matcher finds.
    pub fn service_name(&self) -> &Name {
        self.service.as_ref().unwrap_or(&self.name)
    }
}

/// `FORMAT TYPE | TYPE [if PREDICATE] [{ roles }]`
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    /// Doc comment.
    pub docs: Docs,
    /// The stack format.
    pub format: Name,
    /// The resource types, unquoted.
    pub types: Vec<TypeName>,
    /// The predicate, if any.
    pub predicate: Option<Expr>,
    /// The endpoint roles, if a block was written.
    pub roles: Option<Vec<Role>>,
    /// The whole arm.
    pub span: Span,
}

/// A resource type name in an arm.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeName {
    /// The name, without quotes.
    pub name: Name,
    /// Whether it was written as a string.
    pub quoted: bool,
}

/// `ROLE = attr | attr | literal`: where a matched resource exposes an
/// endpoint role.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    /// Doc comment.
    pub docs: Docs,
    /// The role's name (`host`, `port`, `url`, ...).
    pub name: Name,
    /// The attributes (or constants) that carry it, first match wins.
    pub values: Vec<Operand>,
    /// The whole role.
    pub span: Span,
}

/// `when SERVICE is provided [as NAME] { actions }`
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Doc comment.
    pub docs: Docs,
    /// The service this rule is for.
    pub service: Name,
    /// The name the customer's inputs are bound to.
    pub binding: Option<Name>,
    /// The `provided` keyword, which `as NAME` follows.
    pub provided: Span,
    /// What to do.
    pub actions: Vec<Action>,
    /// The whole rule.
    pub span: Span,
}

/// One action with its qualifiers.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    /// What to do.
    pub body: ActionBody,
    /// `on FORMAT, ...`: restrict to these formats.
    pub on: Vec<Name>,
    /// `if` / `unless` condition.
    pub condition: Option<Condition>,
    /// The whole action.
    pub span: Span,
}

/// What an action does.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionBody {
    /// `drop`: remove the matched resources and what exists only for them.
    Drop {
        /// The keyword.
        span: Span,
    },
    /// `alias`: keep the names consumers may use for the dropped resources
    /// alive, as aliases of the customer's host.
    Alias {
        /// The keyword.
        span: Span,
    },
    /// `bind ROLE = VALUE`: rewrite every reference to the role.
    Bind {
        /// The endpoint role.
        role: Name,
        /// The new value.
        value: Operand,
    },
    /// `inject VALUE as env NAME` / `inject VALUE at "PATH"`.
    Inject {
        /// The secret or IAM role.
        value: Operand,
        /// Where consumers receive it.
        target: Target,
    },
    /// `set env NAME = VALUE`.
    Set {
        /// The variable.
        env: EnvName,
        /// The value.
        value: Operand,
    },
    /// `mount VALUE as env NAME` / `mount VALUE at "PATH"`.
    Mount {
        /// The certificate or file.
        value: Operand,
        /// Where consumers find it.
        target: Target,
    },
    /// `annotate "KEY" = VALUE`.
    Annotate {
        /// The annotation key.
        key: Literal,
        /// Its value.
        value: Operand,
    },
}

impl ActionBody {
    /// The action's keyword.
    pub fn keyword(&self) -> &'static str {
        match self {
            ActionBody::Drop { .. } => "drop",
            ActionBody::Alias { .. } => "alias",
            ActionBody::Bind { .. } => "bind",
            ActionBody::Inject { .. } => "inject",
            ActionBody::Set { .. } => "set",
            ActionBody::Mount { .. } => "mount",
            ActionBody::Annotate { .. } => "annotate",
        }
    }
}

/// Where an injected or mounted value goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// `as env NAME`
    Env(EnvName),
    /// `at "PATH"`
    File(Literal),
}

/// An environment variable name, bare or quoted.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvName {
    /// The name, without quotes.
    pub name: Name,
    /// Whether it was written as a string.
    pub quoted: bool,
}

/// `if EXPR` or `unless EXPR`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// `unless` rather than `if`.
    pub negated: bool,
    /// The condition.
    pub expr: Expr,
    /// The whole condition, keyword included.
    pub span: Span,
}

/// An expression: a predicate over attributes, or a condition over inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `a || b || ...`
    Or(Vec<Expr>),
    /// `a && b && ...`
    And(Vec<Expr>),
    /// `!a`
    Not(Box<Expr>),
    /// `( a )`
    Paren(Box<Expr>),
    /// `has PATH`
    Has(Path),
    /// `A op B`
    Compare(Operand, CmpOp, Operand),
    /// `A in [ ... ]`
    In(Operand, Literal),
    /// `A ~ r"..."`
    Matches(Operand, Literal),
    /// `A is TYPE`
    Is(Operand, Name),
    /// A lone operand, used as a boolean.
    Operand(Operand),
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator with its sides swapped: `a < b` is `b > a`.
    pub fn flip(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }

    /// The operator that holds exactly when this one does not.
    pub fn negate(self) -> CmpOp {
        match self {
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
        }
    }

    /// Whether the operator orders integers (`<`, `<=`, `>`, `>=`).
    pub fn is_ordering(self) -> bool {
        matches!(self, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
    }

    /// How the operator is written.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// A literal or a path.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// A constant.
    Literal(Literal),
    /// A dotted path: an attribute in predicates, `c.field` in rules.
    Path(Path),
}

impl Operand {
    /// Where it is.
    pub fn span(&self) -> Span {
        match self {
            Operand::Literal(l) => l.span,
            Operand::Path(p) => p.span,
        }
    }
}

/// `a.b.c`
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    /// The segments.
    pub segments: Vec<Name>,
    /// The whole path.
    pub span: Span,
}

impl Path {
    /// The segments joined with dots.
    pub fn dotted(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// A constant.
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    /// Which kind, with its value.
    pub kind: LitKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of constant.
#[derive(Clone, Debug, PartialEq)]
pub enum LitKind {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string, possibly with `${...}` interpolations.
    Str(Vec<StrPart>),
    /// `r"..."`, the pattern as written.
    Regex(String),
    /// `[a, b, ...]`
    List(Vec<Literal>),
}

impl LitKind {
    /// What kind of literal this is, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            LitKind::Null => "`null`",
            LitKind::Bool(_) => "a boolean",
            LitKind::Int(_) => "an integer",
            LitKind::Str(_) => "a string",
            LitKind::Regex(_) => "a regex",
            LitKind::List(_) => "a list",
        }
    }

    /// The text of a string without interpolations.
    pub fn plain_str(&self) -> Option<String> {
        match self {
            LitKind::Str(parts) => parts
                .iter()
                .map(|p| match p {
                    StrPart::Text(t) => Some(t.as_str()),
                    StrPart::Interpolation(_) => None,
                })
                .collect(),
            _ => None,
        }
    }
}

/// A piece of a string literal.
#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    /// Text, escapes resolved.
    Text(String),
    /// `${path}`
    Interpolation(Path),
}
