//! Conflicts: two actions that can write the same place (an endpoint role, an
//! environment variable, an annotation, a file) for the same resource with
//! different values. The result must never depend on rule order, so this is
//! an error, never last-writer-wins.

use super::Checker;
use super::overlap::Overlap;
use super::program::{Condition, Origin, Value, ValueExpr};
use crate::catalogue::Format;
use crate::diagnostics::{Code, Diagnostic};
use rayon::prelude::*;

/// Two arms, one per service, that may match one resource.
type ArmPair = (Origin, Origin);

/// Two services and the formats in which their overlap is asked.
type ServicePair = (String, String, Vec<Format>);

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
        // Only writes to the same place can conflict.
        let mut by_target: std::collections::HashMap<&WriteTarget, Vec<&Write>> =
            Default::default();
        for w in &writes {
            by_target.entry(&w.target).or_default().push(w);
        }
        // Writes that say the same thing under the same condition cannot
        // clash with each other; one of them stands for all (which also keeps
        // a file with thousands of identical writes linear).
        let groups: Vec<Vec<&Write>> = by_target
            .into_values()
            .map(|group| {
                let mut seen = std::collections::HashSet::new();
                group
                    .into_iter()
                    .filter(|w| {
                        seen.insert(format!(
                            "{:?}|{:?}|{:?}|{}",
                            w.value, w.condition, w.formats, w.service
                        ))
                    })
                    .collect()
            })
            .collect();
        let candidate = |a: &Write, b: &Write| {
            a.value != b.value
                && a.formats.iter().any(|f| b.formats.contains(f))
                && !conditions_exclusive(a.condition.as_ref(), b.condition.as_ref())
        };
        // Overlap is asked only in the formats where both writes apply.
        let key = |a: &Write, b: &Write| {
            let shared: Vec<Format> = a
                .formats
                .iter()
                .copied()
                .filter(|f| b.formats.contains(f))
                .collect();
            (a.service.clone(), b.service.clone(), shared)
        };
        // Whether two services can match one resource is the costly question
        // (exact regex intersection); answer every one needed in parallel.
        let mut keys: std::collections::BTreeSet<ServicePair> = Default::default();
        for group in &groups {
            for (j, b) in group.iter().enumerate() {
                for a in group.iter().take(j) {
                    if a.service != b.service && candidate(a, b) {
                        keys.insert(key(a, b));
                    }
                }
            }
        }
        let keys: Vec<ServicePair> = keys.into_iter().collect();
        // One chunk per thread, each with its own automata: a pattern is then
        // compiled at most once per thread.
        let chunk = keys.len().div_ceil(rayon::current_num_threads()).max(1);
        let program = &self.program;
        let memo = self.memo;
        // What each arm says, for the answers kept across checks.
        let prints: std::collections::HashMap<usize, u32> = match memo {
            Some(memo) => program
                .matchers
                .iter()
                .flat_map(|m| m.arms.iter())
                .map(|a| {
                    let print = super::overlap::fingerprint(a);
                    (std::ptr::from_ref(a) as usize, memo.intern(print))
                })
                .collect(),
            None => Default::default(),
        };
        let known = memo.map(|m| (m, &prints));
        // Each service's arms, found once.
        let mut arms_of: std::collections::HashMap<&str, Vec<&super::program::ArmDef>> =
            Default::default();
        for m in &program.matchers {
            arms_of
                .entry(m.service.as_str())
                .or_default()
                .extend(m.arms.iter());
        }
        let arms_of = &arms_of;
        let service_overlaps: std::collections::HashMap<ServicePair, Option<ArmPair>> = keys
            .par_chunks(chunk)
            .flat_map_iter(|keys| {
                let mut overlap = Overlap::default();
                keys.iter()
                    .map(|key| {
                        let found = find_service_overlap(
                            arms_of,
                            &mut overlap,
                            known,
                            &key.0,
                            &key.1,
                            &key.2,
                        );
                        (key.clone(), found)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        // Each write that conflicts is reported once, against the first
        // earlier write it conflicts with: a folder with many clashing writes
        // gets one diagnostic per write, not one per pair.
        let mut pairs: Vec<(&Write, &Write, Option<ArmPair>)> = Vec::new();
        for group in &groups {
            for (j, b) in group.iter().enumerate() {
                let first_clash = group.iter().take(j).find_map(|a| {
                    if !candidate(a, b) {
                        return None;
                    }
                    if a.service == b.service {
                        return Some((*a, None));
                    }
                    let arms = service_overlaps.get(&key(a, b)).copied().flatten()?;
                    Some((*a, Some(arms)))
                });
                if let Some((a, arms)) = first_clash {
                    pairs.push((a, b, arms));
                }
            }
        }
        for (a, b, overlap) in pairs {
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
            let mut d = Diagnostic::new(
                        Code::ConflictingWrites,
                        second.origin.file,
                        second.origin.span,
                        format!("{} is written twice with different values", second.target.describe()),
                    )
                    .label(format!("writes {}", describe_value(&second.value)))
                    .with_label(first.origin.file, first.origin.span, format!("also writes {}", describe_value(&first.value)))
                    .help(if overlap.is_some() {
                        format!("for {scope} both apply; make the matchers exclusive (such as `engine == \"valkey\"` on one), or make the values agree")
                    } else {
                        format!("for {scope} both can apply; make them agree, or make their conditions exclusive (`if X` on one, `unless X` on the other)")
                    });
            if let Some((arm_a, arm_b)) = overlap {
                d = d
                    .with_label(
                        arm_a.file,
                        arm_a.span,
                        format!("a resource matched as `{}` here", a.service),
                    )
                    .with_label(
                        arm_b.file,
                        arm_b.span,
                        format!("can also be matched as `{}` here", b.service),
                    );
            }
            found.push(d);
        }
        self.diagnostics.extend(found);
        self.writes = writes;
    }
}

/// A pair of arms, one per service, that may match the same resource in one
/// of `formats`.
#[allow(clippy::type_complexity)]
fn find_service_overlap(
    arms_of: &std::collections::HashMap<&str, Vec<&super::program::ArmDef>>,
    overlap: &mut Overlap,
    known: Option<(
        &super::overlap::Memo,
        &std::collections::HashMap<usize, u32>,
    )>,
    a: &str,
    b: &str,
    formats: &[Format],
) -> Option<ArmPair> {
    let arms = |s: &str| {
        arms_of
            .get(s)
            .into_iter()
            .flatten()
            .copied()
            .filter(|arm| formats.contains(&arm.format))
            .collect::<Vec<_>>()
    };
    let (arms_a, arms_b) = (arms(a), arms(b));
    for x in &arms_a {
        for y in &arms_b {
            let prints = known.and_then(|(memo, prints)| {
                Some((
                    memo,
                    prints.get(&(std::ptr::from_ref::<super::program::ArmDef>(x) as usize))?,
                    prints.get(&(std::ptr::from_ref::<super::program::ArmDef>(y) as usize))?,
                ))
            });
            let may = match prints {
                Some((memo, &px, &py)) => match memo.get(px, py) {
                    Some(answer) => answer,
                    None => {
                        let answer = overlap.arms_may_overlap(x, y);
                        memo.put(px, py, answer);
                        answer
                    }
                },
                None => overlap.arms_may_overlap(x, y),
            };
            if may {
                return Some((x.origin, y.origin));
            }
        }
    }
    None
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
