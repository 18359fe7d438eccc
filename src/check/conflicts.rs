//! Conflicts: two actions that can write the same place (an endpoint role, an
//! environment variable, an annotation, a file) for the same resource with
//! different values. The result must never depend on rule order, so this is
//! an error, never last-writer-wins.

use super::Checker;
use super::overlap::{Dnf, Overlap};
use super::program::{Condition, Origin, Value, ValueExpr};
use crate::catalogue::Format;
use crate::diagnostics::{Code, Diagnostic};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// Two arms, one per service, that may match one resource.
type ArmPair = (Origin, Origin);

/// An arm of a service, with the number of what it says in the answers
/// kept across checks, and its predicate in normal form.
type ArmOf<'p> = (&'p super::program::ArmDef, Option<u32>, Dnf<'p>);

/// A write with the number of its service, its formats as bits and the
/// number of its value.
type Noted<'w> = (&'w Write, u32, u8, u32);

/// Two services (by number) and the formats in which their overlap is
/// asked (as bits).
type ServicePair = (u32, u32, u8);

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
        // Services and values by number and format sets as bits, so that
        // a pair of writes is compared, and a pair of services keyed, by
        // integers: a folder of thousands of services asks about millions
        // of pairs.
        let mut numbers: FxHashMap<&str, u32> = FxHashMap::default();
        let mut values: FxHashMap<&ValueExpr, u32> = FxHashMap::default();
        let bits = |formats: &[Format]| formats.iter().fold(0u8, |m, f| m | 1 << (*f as u8));
        let groups: Vec<Vec<Noted<'_>>> = groups
            .into_iter()
            .map(|group| {
                group
                    .into_iter()
                    .map(|w| {
                        let next = numbers.len() as u32;
                        let service = *numbers.entry(w.service.as_str()).or_insert(next);
                        let next = values.len() as u32;
                        let value = *values.entry(&w.value).or_insert(next);
                        (w, service, bits(&w.formats), value)
                    })
                    .collect()
            })
            .collect();
        let candidate = |a: &Noted<'_>, b: &Noted<'_>| {
            a.3 != b.3
                && a.2 & b.2 != 0
                && !conditions_exclusive(a.0.condition.as_ref(), b.0.condition.as_ref())
        };
        // Overlap is asked only in the formats where both writes apply.
        let key = |a: &Noted<'_>, b: &Noted<'_>| -> ServicePair { (a.1, b.1, a.2 & b.2) };
        // Whether two services can match one resource is the costly question
        // (exact regex intersection); answer every one needed in parallel.
        let mut keys: FxHashSet<ServicePair> = FxHashSet::default();
        for group in &groups {
            for (j, b) in group.iter().enumerate() {
                for a in group.iter().take(j) {
                    if a.1 != b.1 && candidate(a, b) {
                        keys.insert(key(a, b));
                    }
                }
            }
        }
        let mut keys: Vec<ServicePair> = keys.into_iter().collect();
        keys.sort_unstable();
        // One chunk per thread, each with its own automata: a pattern is then
        // compiled at most once per thread.
        let chunk = keys.len().div_ceil(rayon::current_num_threads()).max(1);
        let program = &self.program;
        let memo = self.memo;
        // Each service's arms, by number, with the number of what each says
        // for the answers kept across checks.
        let mut arms_of: Vec<Vec<ArmOf<'_>>> = Vec::new();
        arms_of.resize_with(numbers.len(), Vec::new);
        for m in &program.matchers {
            let Some(&n) = numbers.get(m.service.as_str()) else {
                continue;
            };
            arms_of[n as usize].extend(m.arms.iter().map(|a| {
                let print = memo.map(|memo| memo.intern(super::overlap::fingerprint(a)));
                (a, print, Dnf::of(a))
            }));
        }
        let arms_of = &arms_of;
        // The pairs that overlap, with the arms that do.
        let service_overlaps: FxHashMap<ServicePair, ArmPair> = keys
            .par_chunks(chunk)
            .flat_map_iter(|keys| {
                let mut overlap = Overlap::default();
                keys.iter()
                    .filter_map(|&(a, b, formats)| {
                        let found = find_service_overlap(
                            &mut overlap,
                            memo,
                            &arms_of[a as usize],
                            &arms_of[b as usize],
                            formats,
                        );
                        found.map(|arms| ((a, b, formats), arms))
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
                    if a.1 == b.1 {
                        return Some((a.0, None));
                    }
                    let arms = service_overlaps.get(&key(a, b)).copied()?;
                    Some((a.0, Some(arms)))
                });
                if let Some((a, arms)) = first_clash {
                    pairs.push((a, b.0, arms));
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

/// A pair of arms, one per service (`arms_a`, `arms_b`: each with the
/// number of what it says in `memo`), that may match the same resource in
/// one of the formats `formats` (as bits).
fn find_service_overlap(
    overlap: &mut Overlap,
    memo: Option<&super::overlap::Memo>,
    arms_a: &[ArmOf<'_>],
    arms_b: &[ArmOf<'_>],
    formats: u8,
) -> Option<ArmPair> {
    let within = |arm: &&ArmOf<'_>| formats & 1 << (arm.0.format as u8) != 0;
    for (x, px, dx) in arms_a.iter().filter(within) {
        for (y, py, dy) in arms_b.iter().filter(within) {
            let mut ask = || overlap.arms_overlap_in(x, dx, y, dy);
            let may = match (memo, px, py) {
                (Some(memo), Some(px), Some(py)) => match memo.get(*px, *py) {
                    Some(answer) => answer,
                    None => {
                        let answer = ask();
                        memo.put(*px, *py, answer);
                        answer
                    }
                },
                _ => ask(),
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
