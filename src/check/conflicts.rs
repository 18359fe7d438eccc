//! Conflicts: two actions that can write the same place (an endpoint role, an
//! environment variable, an annotation, a file) for the same resource with
//! different values. The result must never depend on rule order, so this is
//! an error, never last-writer-wins.

use super::Checker;
use super::overlap::arms_may_overlap;
use super::program::{Condition, Origin, Value, ValueExpr};
use crate::catalogue::Format;
use crate::diagnostics::{Code, Diagnostic};

/// A place an action writes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum WriteTarget {
    /// An endpoint role of the matched resources.
    Role(String),
    /// An environment variable of the consumers.
    Env(String),
    /// An annotation of the consumers.
    Annotation(String),
    /// A file inside the consumers.
    File(String),
}

impl WriteTarget {
    fn describe(&self) -> String {
        match self {
            WriteTarget::Role(r) => format!("endpoint role `{r}`"),
            WriteTarget::Env(e) => format!("environment variable `{e}`"),
            WriteTarget::Annotation(a) => format!("annotation `{a}`"),
            WriteTarget::File(f) => format!("file `{f}`"),
        }
    }
}

/// One write an action makes.
#[derive(Clone, Debug)]
pub struct Write {
    /// The place.
    pub target: WriteTarget,
    /// The value.
    pub value: ValueExpr,
    /// When it applies.
    pub condition: Option<Condition>,
    /// The formats it applies in.
    pub formats: Vec<Format>,
    /// The service whose rule it is.
    pub service: String,
    /// The action.
    pub origin: Origin,
}

impl Checker<'_> {
    pub(super) fn conflicts(&mut self) {
        let writes = std::mem::take(&mut self.writes);
        let mut found = Vec::new();
        for (i, a) in writes.iter().enumerate() {
            for b in writes.iter().skip(i + 1) {
                if a.target != b.target || a.value == b.value {
                    continue;
                }
                if !a.formats.iter().any(|f| b.formats.contains(f)) {
                    continue;
                }
                if conditions_exclusive(a.condition.as_ref(), b.condition.as_ref()) {
                    continue;
                }
                if a.service != b.service
                    && !self.services_overlap(&a.service, &b.service, &a.formats)
                {
                    continue;
                }
                // Report at the later of the two, so the first stays clean.
                let (first, second) =
                    if (a.origin.file, a.origin.span) <= (b.origin.file, b.origin.span) {
                        (a, b)
                    } else {
                        (b, a)
                    };
                let scope = if a.service == b.service {
                    format!("`{}`", a.service)
                } else {
                    format!(
                        "resources matched as both `{}` and `{}`",
                        first.service, second.service
                    )
                };
                found.push(
                    Diagnostic::new(
                        Code::ConflictingWrites,
                        second.origin.file,
                        second.origin.span,
                        format!("{} is written twice with different values", second.target.describe()),
                    )
                    .label(format!("writes {}", describe_value(&second.value)))
                    .with_label(first.origin.file, first.origin.span, format!("also writes {}", describe_value(&first.value)))
                    .help(format!(
                        "for {scope} both can apply; make them agree, or make their conditions exclusive (`if X` on one, `unless X` on the other)"
                    )),
                );
            }
        }
        self.diagnostics.extend(found);
        self.writes = writes;
    }

    /// Whether some resource in one of `formats` may be matched as both
    /// services.
    fn services_overlap(&self, a: &str, b: &str, formats: &[Format]) -> bool {
        let arms = |s: &str| {
            self.program
                .matchers
                .iter()
                .filter(move |m| m.service == s)
                .flat_map(|m| m.arms.iter())
                .filter(|arm| formats.contains(&arm.format))
                .collect::<Vec<_>>()
        };
        let (arms_a, arms_b) = (arms(a), arms(b));
        arms_a
            .iter()
            .any(|x| arms_b.iter().any(|y| arms_may_overlap(x, y)))
    }
}

/// Whether two conditions can never hold together.
fn conditions_exclusive(a: Option<&Condition>, b: Option<&Condition>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    exclusive(a, b) || exclusive(b, a)
}

fn exclusive(a: &Condition, b: &Condition) -> bool {
    use super::program::CompareOp::Eq;
    match (a, b) {
        (Condition::Not(x), y) if **x == *y => true,
        (Condition::And(parts), other) => parts
            .iter()
            .any(|p| exclusive(p, other) || exclusive(other, p)),
        (Condition::Compare(x, Eq, v), Condition::Compare(y, Eq, w)) => x == y && v != w,
        (Condition::Is(x, t), Condition::Is(y, u)) => x == y && t != u,
        (Condition::Compare(x, Eq, v), Condition::In(y, ws)) => x == y && !ws.contains(v),
        (Condition::IsTrue(x), Condition::Compare(y, Eq, Value::Bool(false))) => x == y,
        (Condition::Const(false), _) => true,
        _ => false,
    }
}

fn describe_value(v: &ValueExpr) -> String {
    match v {
        ValueExpr::Const(Value::Str(s)) => format!("`{s:?}`"),
        ValueExpr::Const(Value::Int(i)) => format!("`{i}`"),
        ValueExpr::Const(Value::Bool(b)) => format!("`{b}`"),
        ValueExpr::Const(_) => "a constant".into(),
        ValueExpr::Input(i) => match &i.member {
            Some(m) => format!("`{}`'s `{}.{m}`", i.service, i.field),
            None => format!("`{}`'s `{}`", i.service, i.field),
        },
        ValueExpr::Template(_) => "a template string".into(),
    }
}
