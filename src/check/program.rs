//! The checked program: services, matchers and rules with every name
//! resolved, every type known and every regex compiled. This is what the
//! engine runs.

use crate::catalogue::{Format, ResourceType};
use crate::source::{FileId, Span};
use std::collections::BTreeMap;

/// Where something was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// The file.
    pub file: FileId,
    /// The span in it.
    pub span: Span,
}

/// A checked rules folder.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Services by name.
    pub services: BTreeMap<String, ServiceDef>,
    /// Matchers, in file and source order.
    pub matchers: Vec<MatcherDef>,
    /// Rules, in file and source order.
    pub rules: Vec<RuleDef>,
}

/// A declared service: the schema of one section of the bindings file.
#[derive(Clone, Debug)]
pub struct ServiceDef {
    /// Its name.
    pub name: String,
    /// Its doc comment.
    pub docs: String,
    /// Its inputs, in declaration order.
    pub fields: Vec<FieldDef>,
    /// What the customer takes on when they bring their own.
    pub customer_owns: Vec<String>,
    /// Where the declaration is.
    pub origin: Origin,
}

impl ServiceDef {
    /// The field with this name.
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// One customer input.
#[derive(Clone, Debug)]
pub struct FieldDef {
    /// Its name.
    pub name: String,
    /// Its doc comment.
    pub docs: String,
    /// Its type.
    pub ty: FieldType,
    /// Its default, if it has one.
    pub default: Option<Value>,
    /// Where it is declared.
    pub origin: Origin,
}

/// The type of an input: one or more alternatives, possibly optional.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldType {
    /// The alternatives of a union; one for a plain type.
    pub alternatives: Vec<InputType>,
    /// Whether the input may be left out.
    pub optional: bool,
}

impl FieldType {
    /// Whether any alternative is a secret.
    pub fn may_be_secret(&self) -> bool {
        self.alternatives
            .iter()
            .any(|t| matches!(t, InputType::Secret))
    }

    /// Whether every alternative is a credential (secret or IAM role).
    pub fn is_credential(&self) -> bool {
        self.alternatives
            .iter()
            .all(|t| matches!(t, InputType::Secret | InputType::IamRole))
    }

    /// How the type is written.
    pub fn describe(&self) -> String {
        let alts: Vec<String> = self.alternatives.iter().map(InputType::describe).collect();
        let mut s = alts.join(" | ");
        if self.optional {
            s.push('?');
        }
        s
    }
}

/// One input type.
#[derive(Clone, Debug, PartialEq)]
pub enum InputType {
    /// Any string.
    String,
    /// `true` or `false`.
    Bool,
    /// An integer within inclusive bounds.
    Int {
        /// The smallest allowed value.
        min: Option<i64>,
        /// The largest allowed value.
        max: Option<i64>,
    },
    /// One of a fixed set of strings.
    Enum(Vec<String>),
    /// `host[:port]`.
    Endpoint {
        /// The port when none is given.
        default_port: Option<u16>,
    },
    /// A reference to a secret in a secret store; never its value.
    Secret,
    /// An IAM role ARN (with an optional user name) used instead of a password.
    IamRole,
    /// A PEM certificate file.
    Certificate,
}

impl InputType {
    /// The type's keyword.
    pub fn keyword(&self) -> &'static str {
        match self {
            InputType::String => "string",
            InputType::Bool => "bool",
            InputType::Int { .. } => "int",
            InputType::Enum(_) => "enum",
            InputType::Endpoint { .. } => "endpoint",
            InputType::Secret => "secret",
            InputType::IamRole => "iam_role",
            InputType::Certificate => "certificate",
        }
    }

    /// How the type is written, with an article: `an int(0..=15)`.
    pub fn describe_with_article(&self) -> String {
        let d = self.describe();
        let article = if d.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {d}")
    }

    /// How the type is written, arguments included.
    pub fn describe(&self) -> String {
        match self {
            InputType::Int {
                min: None,
                max: None,
            } => "int".into(),
            InputType::Int { min, max } => format!(
                "int({}..={})",
                min.map(|m| m.to_string()).unwrap_or_default(),
                max.map(|m| m.to_string()).unwrap_or_default()
            ),
            InputType::Enum(values) => {
                let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
                format!("enum({})", quoted.join(", "))
            }
            InputType::Endpoint {
                default_port: Some(p),
            } => format!("endpoint(default_port = {p})"),
            other => other.keyword().into(),
        }
    }
}

/// A constant value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    /// `null`: absent.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Value>),
}

/// A matcher: what counts as a default-shipped instance of a service.
#[derive(Clone, Debug)]
pub struct MatcherDef {
    /// Its name.
    pub name: String,
    /// The service it finds.
    pub service: String,
    /// Its arms.
    pub arms: Vec<ArmDef>,
    /// Where it is.
    pub origin: Origin,
}

/// One arm of a matcher.
#[derive(Clone, Debug)]
pub struct ArmDef {
    /// The format.
    pub format: Format,
    /// The resource types it selects.
    pub types: Vec<&'static ResourceType>,
    /// The predicate a resource must satisfy, if any.
    pub predicate: Option<Predicate>,
    /// The endpoint roles the matched resources expose.
    pub roles: Vec<RoleDef>,
    /// Where it is.
    pub origin: Origin,
}

impl ArmDef {
    /// The name of the role whose value the attribute `attribute` of the
    /// matched resources is (`host` for `primary_endpoint_address`).
    pub fn role_reading(&self, attribute: &str) -> Option<&str> {
        self.roles
            .iter()
            .find(|r| {
                r.sources
                    .iter()
                    .any(|s| matches!(s, RoleSource::Attribute(a) if a == attribute))
            })
            .map(|r| r.name.as_str())
    }
}

/// A predicate over a resource's attributes.
#[derive(Clone, Debug)]
pub enum Predicate {
    /// All hold.
    And(Vec<Predicate>),
    /// Any holds.
    Or(Vec<Predicate>),
    /// Does not hold.
    Not(Box<Predicate>),
    /// The attribute is present and not null.
    Has(String),
    /// The attribute compares to a constant.
    Compare(String, CompareOp, Value),
    /// The attribute equals one of the constants.
    In(String, Vec<Value>),
    /// The attribute (a string) matches the regex somewhere.
    Matches(String, Pattern),
    /// The attribute is `true`.
    IsTrue(String),
    /// A constant truth value.
    Const(bool),
}

/// Comparison operators, as written in rules.
pub use crate::syntax::ast::CmpOp as CompareOp;

/// An endpoint role of a matched resource.
#[derive(Clone, Debug)]
pub struct RoleDef {
    /// The role's name.
    pub name: String,
    /// Where the role's value is found, first present wins.
    pub sources: Vec<RoleSource>,
    /// Where it is declared.
    pub origin: Origin,
}

/// Where a role's value is found.
#[derive(Clone, Debug, PartialEq)]
pub enum RoleSource {
    /// An attribute of the resource.
    Attribute(String),
    /// A constant.
    Const(Value),
}

/// A `when` rule.
#[derive(Clone, Debug)]
pub struct RuleDef {
    /// The service it is for.
    pub service: String,
    /// Its actions, in source order.
    pub actions: Vec<ActionDef>,
    /// Where it is.
    pub origin: Origin,
}

/// One checked action.
#[derive(Clone, Debug)]
pub struct ActionDef {
    /// What it does.
    pub op: ActionOp,
    /// The formats it applies to.
    pub formats: Vec<Format>,
    /// When it applies; `None` for always.
    pub condition: Option<Condition>,
    /// Where it is.
    pub origin: Origin,
}

/// What an action does.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionOp {
    /// Drop the matched resources and what exists only for them.
    Drop,
    /// Keep the names consumers may use for dropped resources alive, as
    /// aliases of the customer's host.
    Alias,
    /// Rebind an endpoint role.
    Bind {
        /// The role.
        role: String,
        /// The new value.
        value: ValueExpr,
    },
    /// Hand a credential to consumers by reference.
    Inject {
        /// The input holding the reference.
        input: InputRef,
        /// Where consumers receive it.
        target: Target,
    },
    /// Set an environment variable on consumers.
    SetEnv {
        /// The variable.
        name: String,
        /// The value.
        value: ValueExpr,
    },
    /// Mount a file into consumers.
    Mount {
        /// The input holding the file.
        input: InputRef,
        /// Where consumers find it.
        target: Target,
    },
    /// Annotate consumers.
    Annotate {
        /// The key.
        key: String,
        /// The value (a secret's reference, never its value).
        value: ValueExpr,
    },
}

/// Where an injected or mounted value goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// An environment variable (for a mount: holding the file's path).
    Env(String),
    /// A file path inside the consumer.
    File(String),
}

/// A reference to one customer input, or to part of an endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct InputRef {
    /// The service whose inputs these are.
    pub service: String,
    /// The field.
    pub field: String,
    /// For an endpoint: `host` or `port`.
    pub member: Option<String>,
}

/// A value computed from inputs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValueExpr {
    /// A constant.
    Const(Value),
    /// An input.
    Input(InputRef),
    /// A string with inputs interpolated.
    Template(Vec<TemplatePart>),
}

/// A piece of a template string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TemplatePart {
    /// Literal text.
    Text(String),
    /// An input's value.
    Input(InputRef),
}

/// A condition over the customer's inputs.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// All hold.
    And(Vec<Condition>),
    /// Any holds.
    Or(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
    /// The input was given.
    Has(InputRef),
    /// A boolean input is true.
    IsTrue(InputRef),
    /// An input compares to a constant.
    Compare(InputRef, CompareOp, Value),
    /// An input equals one of the constants.
    In(InputRef, Vec<Value>),
    /// A string input matches a regex.
    Matches(InputRef, Pattern),
    /// A union input holds this alternative (by keyword).
    Is(InputRef, String),
    /// A constant truth value.
    Const(bool),
}

/// A regex whose syntax has been checked, compiled the first time it is used
/// (with the linear-time `regex` engine, so no pattern can backtrack
/// catastrophically).
#[derive(Clone, Debug)]
pub struct Pattern {
    source: String,
    compiled: std::sync::OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    /// The most memory a compiled regex may use; past it, it matches nothing
    /// and [`Pattern::regex`] returns `None`.
    pub const SIZE_LIMIT: usize = 1 << 20;

    /// A pattern whose syntax the checker has already validated.
    pub fn new(source: impl Into<String>) -> Pattern {
        Pattern {
            source: source.into(),
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled regex, or `None` when it exceeds [`Pattern::SIZE_LIMIT`].
    pub fn regex(&self) -> Option<&regex::Regex> {
        self.compiled
            .get_or_init(|| {
                regex::RegexBuilder::new(&self.source)
                    .size_limit(Self::SIZE_LIMIT)
                    .build()
                    .ok()
            })
            .as_ref()
    }

    /// Whether `text` contains a match.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex().is_some_and(|r| r.is_match(text))
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}
