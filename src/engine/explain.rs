//! `graft explain`: for one resource, every matcher arm in turn (each
//! predicate with the values it saw and its result), the arm that selects
//! it, the actions of its service's rules (which fired, which were skipped
//! and why), what the plan does to it, and the references to and from it.

use super::kubernetes::Locator;
use super::plan::{Change, Location, Problem};
use super::{Outcome, active_actions, attribute};
use crate::bindings::{Bindings, Input};
use crate::check::program::{ActionOp, ArmDef, CompareOp, Predicate, Program, Value};
use crate::source::Sources;
use crate::stack::kubernetes::AttrValue;
use crate::stack::{RefKind, Reference, ResourceId, Stack};
use serde::Serialize;

/// Why a resource is or is not replaced, and how.
#[derive(Debug, Serialize)]
pub struct Explanation {
    /// The resource.
    pub address: String,
    /// Its stack format.
    pub format: String,
    /// Its type.
    pub kind: String,
    /// Where it is.
    pub at: Option<Location>,
    /// Every matcher arm, in the rules' order.
    pub arms: Vec<ArmTrace>,
    /// The service whose matcher selects it, and which arm.
    pub selected: Option<Selected>,
    /// The services whose consumer it is (it names one of their instances).
    pub consumer_of: Vec<String>,
    /// When it is selected: the consumers the plan found for its service.
    pub consumers: Vec<String>,
    /// The actions of the rules of the services it is an instance or a
    /// consumer of.
    pub actions: Vec<ActionTrace>,
    /// What the plan does to it.
    pub changes: Vec<Change>,
    /// The plan's problems about it.
    pub problems: Vec<Problem>,
    /// Who refers to it.
    pub referred_by: Vec<RefTrace>,
    /// What it refers to.
    pub refers_to: Vec<RefTrace>,
}

/// One matcher arm tried on the resource.
#[derive(Debug, Serialize)]
pub struct ArmTrace {
    /// The service the matcher finds.
    pub service: String,
    /// The matcher.
    pub matcher: String,
    /// Whether the bindings provide the service (only then does apply run
    /// its matchers).
    pub provided: bool,
    /// Where the arm is.
    pub at: Option<Location>,
    /// What came of it: `selects it`, or why not.
    pub outcome: String,
    /// The predicate, evaluated (when format and type fit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicate: Option<PredicateTrace>,
}

/// A predicate evaluated on the resource.
#[derive(Debug, Serialize)]
pub struct PredicateTrace {
    /// The predicate, as rules write it.
    pub text: String,
    /// The values of the attribute it read (a leaf).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saw: Option<Vec<String>>,
    /// Whether it holds.
    pub holds: bool,
    /// How its parts combine: `and`, `or` or `not` (empty for a leaf).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub combine: &'static str,
    /// Its parts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PredicateTrace>,
}

/// The arm that selects the resource.
#[derive(Debug, Serialize)]
pub struct Selected {
    /// The service.
    pub service: String,
    /// The matcher.
    pub matcher: String,
    /// Where the arm is.
    pub at: Option<Location>,
}

/// One action of a rule, and whether it fired.
#[derive(Debug, Serialize)]
pub struct ActionTrace {
    /// The service whose rule it is.
    pub service: String,
    /// The action, as written.
    pub action: String,
    /// Where it is.
    pub at: Option<Location>,
    /// Whether it applies to this stack with these bindings.
    pub fired: bool,
    /// Why not, when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// A reference to or from the resource.
#[derive(Debug, Serialize)]
pub struct RefTrace {
    /// The resource at the other end.
    pub resource: String,
    /// How it refers.
    pub how: String,
    /// The path of the referring site in its resource.
    pub path: String,
    /// Where the site is.
    pub at: Option<Location>,
}

/// Explains what the rules do with the resource `id` of `stack`, given the
/// plan `outcome` that apply made of it.
pub fn explain(
    program: &Program,
    rules: &Sources,
    bindings: &Bindings,
    stack: &Stack,
    outcome: &Outcome,
    id: ResourceId,
) -> Explanation {
    let mut loc = Locator::new(rules, stack);
    let r = stack.resource(id);
    let mut arms = Vec::new();
    // As apply chooses: among provided services, the first by name whose
    // arm holds.
    let mut selected: Option<(&str, &str, &ArmDef)> = None;
    for m in &program.matchers {
        let provided = bindings.services.contains_key(&m.service);
        for arm in &m.arms {
            let (outcome, predicate) = if arm.format != r.format {
                (
                    format!("skipped: it is for {} stacks", arm.format.keyword()),
                    None,
                )
            } else if !arm.types.iter().any(|t| t.name == r.kind) {
                let types: Vec<&str> = arm.types.iter().map(|t| t.name).collect();
                (
                    format!("skipped: it selects {}, not {}", types.join(", "), r.kind),
                    None,
                )
            } else {
                let trace = arm
                    .predicate
                    .as_ref()
                    .map(|p| trace(p, &mut |path| attribute(stack, id, path)));
                let holds = trace.as_ref().is_none_or(|t| t.holds);
                let outcome = match (holds, provided) {
                    (false, _) => "does not select it: its condition does not hold".to_string(),
                    (true, false) => format!(
                        "would select it, but the bindings do not provide `{}`",
                        m.service
                    ),
                    (true, true) => {
                        if selected.is_none_or(|(s, _, _)| m.service.as_str() < s) {
                            selected = Some((&m.service, &m.name, arm));
                        }
                        "selects it".to_string()
                    }
                };
                (outcome, trace)
            };
            arms.push(ArmTrace {
                service: m.service.clone(),
                matcher: m.name.clone(),
                provided,
                at: loc.rule(arm.origin),
                outcome,
                predicate,
            });
        }
    }
    let address = r.address.to_string();
    let consumer_of: Vec<String> = outcome
        .plan
        .services
        .iter()
        .filter(|s| s.consumers.contains(&address))
        .map(|s| s.name.clone())
        .collect();
    let mut services: Vec<&str> = selected.iter().map(|(s, _, _)| *s).collect();
    services.extend(consumer_of.iter().map(String::as_str));
    services.dedup();
    let mut actions = Vec::new();
    for service in services {
        let Some(provided) = bindings.services.get(service) else {
            continue;
        };
        let active = active_actions(program, service, provided, r.format);
        for rule in program.rules.iter().filter(|x| x.service == service) {
            for a in &rule.actions {
                let fired = active.iter().any(|x| std::ptr::eq(*x, a));
                let skipped = (!fired).then(|| {
                    if !a.formats.contains(&r.format) {
                        format!("it does not apply to {} stacks", r.format.keyword())
                    } else if a.condition.as_ref().is_some_and(|c| !provided.holds(c)) {
                        "its condition does not hold with these bindings".to_string()
                    } else {
                        match &a.op {
                            ActionOp::Inject { input, .. } | ActionOp::Mount { input, .. }
                                if matches!(provided.input(input), None | Some(Input::Null)) =>
                            {
                                format!("the bindings give no `{service}.{}`", input.field)
                            }
                            _ => "it does not apply here".to_string(),
                        }
                    }
                });
                let text = rules
                    .get(a.origin.file)
                    .and_then(|f| f.text().get(a.origin.span.start..a.origin.span.end))
                    .unwrap_or("")
                    .to_string();
                actions.push(ActionTrace {
                    service: service.to_string(),
                    action: text,
                    at: loc.rule(a.origin),
                    fired,
                    skipped,
                });
            }
        }
    }
    let mentions = format!("`{address}`");
    let mut reference = |x: &Reference, other: ResourceId| RefTrace {
        resource: stack.resource(other).address.to_string(),
        how: how(&x.kind).to_string(),
        path: x.site.path.to_string(),
        at: loc.stack(x.site.file, x.site.span.start),
    };
    let referred_by: Vec<RefTrace> = stack
        .references_to(id)
        .map(|x| reference(x, x.from))
        .collect();
    let refers_to: Vec<RefTrace> = stack
        .references_from(id)
        .map(|x| reference(x, x.to))
        .collect();
    Explanation {
        address: address.clone(),
        format: r.format.keyword().to_string(),
        kind: r.kind.to_string(),
        at: loc.resource(id),
        arms,
        selected: selected.map(|(service, matcher, arm)| Selected {
            service: service.to_string(),
            matcher: matcher.to_string(),
            at: loc.rule(arm.origin),
        }),
        consumers: (outcome.plan.services.iter())
            .filter(|s| selected.is_some_and(|(name, _, _)| s.name == name))
            .flat_map(|s| s.consumers.iter().cloned())
            .collect(),
        consumer_of,
        actions,
        changes: (outcome.plan.changes.iter())
            .filter(|c| c.resource == address.as_str())
            .cloned()
            .collect(),
        problems: (outcome.plan.problems.iter())
            .filter(|p| p.message.contains(&mentions))
            .cloned()
            .collect(),
        referred_by,
        refers_to,
    }
}

/// A predicate evaluated with the attributes `attribute` gives, leaf by
/// leaf (as [`super::predicate`] decides it).
fn trace(p: &Predicate, attribute: &mut dyn FnMut(&str) -> Vec<AttrValue>) -> PredicateTrace {
    let group = |parts: Vec<PredicateTrace>, holds: bool, combine: &'static str| PredicateTrace {
        text: parts
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(if combine == "and" { " && " } else { " || " }),
        saw: None,
        holds,
        combine,
        parts,
    };
    match p {
        Predicate::And(ps) => {
            let parts: Vec<PredicateTrace> = ps.iter().map(|p| trace(p, attribute)).collect();
            let holds = parts.iter().all(|t| t.holds);
            group(parts, holds, "and")
        }
        Predicate::Or(ps) => {
            let parts: Vec<PredicateTrace> = ps.iter().map(|p| trace(p, attribute)).collect();
            let holds = parts.iter().any(|t| t.holds);
            group(parts, holds, "or")
        }
        Predicate::Not(inner) => {
            let part = trace(inner, attribute);
            PredicateTrace {
                text: format!("!({})", part.text),
                saw: None,
                holds: !part.holds,
                combine: "not",
                parts: vec![part],
            }
        }
        leaf => {
            let (path, text) = match leaf {
                Predicate::Has(path) => (Some(path), format!("has({path})")),
                Predicate::IsTrue(path) => (Some(path), path.clone()),
                Predicate::Compare(path, op, v) => (
                    Some(path),
                    format!("{path} {} {}", op_text(*op), value_text(v)),
                ),
                Predicate::In(path, vs) => (
                    Some(path),
                    format!(
                        "{path} in [{}]",
                        vs.iter().map(value_text).collect::<Vec<_>>().join(", ")
                    ),
                ),
                Predicate::Matches(path, pattern) => {
                    (Some(path), format!("{path} ~ r\"{}\"", pattern.as_str()))
                }
                Predicate::Const(b) => (None, b.to_string()),
                _ => (None, String::new()),
            };
            let saw = path.map(|path| {
                attribute(path)
                    .iter()
                    .map(|v| match v {
                        AttrValue::Scalar(s, _) => s.to_string(),
                        other => format!("{other:?}"),
                    })
                    .collect()
            });
            PredicateTrace {
                text,
                saw,
                holds: super::holds(leaf, attribute),
                combine: "",
                parts: Vec::new(),
            }
        }
    }
}

fn op_text(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "==",
        CompareOp::Ne => "!=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("{s:?}"),
        Value::Null => "null".into(),
        other => format!("{other:?}"),
    }
}

/// How a reference refers, in words.
fn how(kind: &RefKind) -> &'static str {
    match kind {
        RefKind::Network(_) => "a host name, host:port or URL",
        RefKind::Port(..) => "a port beside a host",
        RefKind::SecretKey(_) => "a key of a Secret",
        RefKind::ConfigMapKey(_) => "a key of a ConfigMap",
        RefKind::EnvFrom => "all of it as environment (envFrom)",
        RefKind::Volume => "a volume",
        RefKind::ServiceAccount => "the service account its pods run as",
        RefKind::Attaches => "exists for it (selects it or attaches to it)",
        RefKind::Backend => "routes traffic to it",
        RefKind::Expr(_) => "an expression",
        RefKind::ModuleInput => "a module input",
        RefKind::ModuleOutput => "a module output",
        RefKind::DependsOn => "starts after it (depends_on)",
        RefKind::Link => "links to it",
        RefKind::Uses => "uses it by name",
        RefKind::Intrinsic(i) => {
            use crate::stack::cloudformation::Kind;
            match i.kind {
                Kind::Ref => "`Ref`",
                Kind::GetAtt => "`Fn::GetAtt`",
                Kind::Sub => "a `${}` of `Fn::Sub`",
                Kind::Condition => "a condition (`Fn::If`, `Condition`)",
                Kind::DependsOn => "`DependsOn`",
                Kind::FindInMap => "`Fn::FindInMap`",
            }
        }
    }
}
