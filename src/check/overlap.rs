//! Can two match arms select the same resource? Can one ever select any?
//!
//! Predicates are put in disjunctive normal form and each pair of
//! conjunctions is tested for a contradiction on some attribute: different
//! constants, a constant outside a list, an absent attribute that must match a
//! regex, integer bounds that leave nothing, or two regexes with no string in
//! common (decided exactly by walking the product of their DFAs). The answer
//! errs on the side of "they may overlap": a conflict is then reported, never
//! missed.

use super::program::{ArmDef, CompareOp, Predicate, Value};
use regex_automata::Anchored;
use regex_automata::dfa::{Automaton, dense};
use regex_automata::util::start;
use std::collections::{HashSet, VecDeque};

/// Past this many conjunctions, a predicate is treated as "anything".
const MAX_TERMS: usize = 256;
/// Past this many product states, two regexes are assumed to overlap.
const MAX_PRODUCT_STATES: usize = 100_000;
/// The most memory one DFA may use.
const DFA_SIZE_LIMIT: usize = 1 << 20;

/// One atomic condition in a conjunction.
#[derive(Clone, Debug)]
struct Atom<'p> {
    negated: bool,
    leaf: &'p Predicate,
}

type Term<'p> = Vec<Atom<'p>>;

/// Whether some resource could satisfy both arms.
pub fn arms_may_overlap(a: &ArmDef, b: &ArmDef) -> bool {
    if a.format != b.format {
        return false;
    }
    let shared_type = a
        .types
        .iter()
        .any(|ta| b.types.iter().any(|tb| std::ptr::eq(*ta, *tb)));
    if !shared_type {
        return false;
    }
    let (Some(da), Some(db)) = (dnf_of(a.predicate.as_ref()), dnf_of(b.predicate.as_ref())) else {
        return true;
    };
    da.iter().any(|ta| {
        db.iter().any(|tb| {
            let mut both = ta.clone();
            both.extend(tb.iter().cloned());
            !contradictory(&both)
        })
    })
}

/// Whether any resource could satisfy the predicate.
pub fn satisfiable(p: &Predicate) -> bool {
    match dnf_of(Some(p)) {
        Some(terms) => terms.iter().any(|t| !contradictory(t)),
        None => true,
    }
}

/// The predicate in disjunctive normal form; `None` when it grows too large.
fn dnf_of(p: Option<&Predicate>) -> Option<Vec<Term<'_>>> {
    match p {
        None => Some(vec![Vec::new()]),
        Some(p) => dnf(p, false),
    }
}

fn dnf(p: &Predicate, negated: bool) -> Option<Vec<Term<'_>>> {
    match (p, negated) {
        (Predicate::Not(inner), n) => dnf(inner, !n),
        (Predicate::Or(parts), false) | (Predicate::And(parts), true) => {
            let mut out = Vec::new();
            for part in parts {
                out.extend(dnf(part, negated)?);
                if out.len() > MAX_TERMS {
                    return None;
                }
            }
            Some(out)
        }
        (Predicate::And(parts), false) | (Predicate::Or(parts), true) => {
            let mut out: Vec<Term<'_>> = vec![Vec::new()];
            for part in parts {
                let terms = dnf(part, negated)?;
                let mut next = Vec::with_capacity(out.len() * terms.len());
                for a in &out {
                    for b in &terms {
                        let mut t = a.clone();
                        t.extend(b.iter().cloned());
                        next.push(t);
                    }
                }
                if next.len() > MAX_TERMS {
                    return None;
                }
                out = next;
            }
            Some(out)
        }
        (leaf, negated) => Some(vec![vec![Atom { negated, leaf }]]),
    }
}

/// The attribute an atom constrains.
fn attr_of(leaf: &Predicate) -> Option<&str> {
    match leaf {
        Predicate::Has(a)
        | Predicate::Compare(a, ..)
        | Predicate::In(a, _)
        | Predicate::Matches(a, _)
        | Predicate::IsTrue(a) => Some(a),
        _ => None,
    }
}

/// Whether the atoms of one conjunction cannot all hold.
fn contradictory(term: &[Atom<'_>]) -> bool {
    for atom in term {
        if let Predicate::Const(b) = atom.leaf
            && *b == atom.negated
        {
            return true;
        }
    }
    for (i, a) in term.iter().enumerate() {
        for b in term.iter().skip(i + 1) {
            if attr_of(a.leaf).is_some() && attr_of(a.leaf) == attr_of(b.leaf) && clash(a, b) {
                return true;
            }
        }
    }
    empty_int_range(term)
}

/// What an atom says about an attribute's value, normalised.
enum Says<'p> {
    /// It equals this value (`null`: it is absent).
    Is(&'p Value),
    /// It is one of these.
    OneOf(&'p [Value]),
    /// It is none of these.
    NoneOf(&'p [Value]),
    /// It is present.
    Present,
    /// It is absent.
    Absent,
    /// It is present and matches.
    Matches(&'p regex::Regex),
    /// It does not match (or is absent).
    NotMatches(&'p regex::Regex),
    /// Something this analysis does not reason about.
    Other,
}

fn says<'p>(a: &Atom<'p>) -> Says<'p> {
    match (a.leaf, a.negated) {
        (Predicate::Compare(_, CompareOp::Eq, Value::Null), false)
        | (Predicate::Compare(_, CompareOp::Ne, Value::Null), true)
        | (Predicate::Has(_), true) => Says::Absent,
        (Predicate::Compare(_, CompareOp::Ne, Value::Null), false)
        | (Predicate::Compare(_, CompareOp::Eq, Value::Null), true)
        | (Predicate::Has(_), false) => Says::Present,
        (Predicate::Compare(_, CompareOp::Eq, v), false)
        | (Predicate::Compare(_, CompareOp::Ne, v), true) => Says::Is(v),
        (Predicate::Compare(_, CompareOp::Ne, v), false)
        | (Predicate::Compare(_, CompareOp::Eq, v), true) => Says::NoneOf(std::slice::from_ref(v)),
        (Predicate::In(_, vs), false) => Says::OneOf(vs),
        (Predicate::In(_, vs), true) => Says::NoneOf(vs),
        (Predicate::Matches(_, r), false) => Says::Matches(r),
        (Predicate::Matches(_, r), true) => Says::NotMatches(r),
        (Predicate::IsTrue(_), false) => Says::Is(&TRUE),
        (Predicate::IsTrue(_), true) => Says::Other,
        _ => Says::Other,
    }
}

static TRUE: Value = Value::Bool(true);

/// Values compare as the text a stack would hold: `6379` equals `"6379"`.
fn same(a: &Value, b: &Value) -> bool {
    fn text(v: &Value) -> Option<String> {
        match v {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    a == b || (text(a).is_some() && text(a) == text(b))
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether two atoms on the same attribute contradict each other.
fn clash(a: &Atom<'_>, b: &Atom<'_>) -> bool {
    let (x, y) = (says(a), says(b));
    clash_one(&x, &y) || clash_one(&y, &x)
}

fn clash_one(x: &Says<'_>, y: &Says<'_>) -> bool {
    use Says::*;
    match (x, y) {
        (Is(Value::Null), Present | Matches(_)) => true,
        (Is(Value::Null), Is(v)) => **v != Value::Null,
        (Is(Value::Null), OneOf(vs)) => !vs.contains(&Value::Null),
        (Absent, Present | Matches(_)) => true,
        (Absent, Is(v)) => **v != Value::Null,
        (Absent, OneOf(vs)) => !vs.contains(&Value::Null),
        (Is(v), Is(w)) => !same(v, w),
        (Is(v), OneOf(ws)) => !ws.iter().any(|w| same(v, w)),
        (Is(v), NoneOf(ws)) => ws.iter().any(|w| same(v, w)),
        (Is(v), Matches(r)) => as_text(v).is_none_or(|t| !r.is_match(&t)),
        (Is(v), NotMatches(r)) => as_text(v).is_some_and(|t| r.is_match(&t)),
        (OneOf(vs), OneOf(ws)) => !vs.iter().any(|v| ws.iter().any(|w| same(v, w))),
        (OneOf(vs), NoneOf(ws)) => vs.iter().all(|v| ws.iter().any(|w| same(v, w))),
        (OneOf(vs), Matches(r)) => vs
            .iter()
            .all(|v| as_text(v).is_none_or(|t| !r.is_match(&t))),
        (Matches(r1), Matches(r2)) => !regexes_intersect(r1.as_str(), r2.as_str()),
        _ => false,
    }
}

/// Integer bounds on one attribute that no value satisfies.
fn empty_int_range(term: &[Atom<'_>]) -> bool {
    let mut attrs: Vec<&str> = term.iter().filter_map(|a| attr_of(a.leaf)).collect();
    attrs.sort_unstable();
    attrs.dedup();
    attrs.into_iter().any(|attr| {
        let (mut lo, mut hi) = (i64::MIN, i64::MAX);
        for a in term.iter().filter(|a| attr_of(a.leaf) == Some(attr)) {
            let Predicate::Compare(_, op, Value::Int(v)) = a.leaf else {
                continue;
            };
            let op = if a.negated { negate(*op) } else { *op };
            match op {
                CompareOp::Eq => {
                    lo = lo.max(*v);
                    hi = hi.min(*v);
                }
                CompareOp::Lt => hi = hi.min(v.saturating_sub(1)),
                CompareOp::Le => hi = hi.min(*v),
                CompareOp::Gt => lo = lo.max(v.saturating_add(1)),
                CompareOp::Ge => lo = lo.max(*v),
                CompareOp::Ne => {}
            }
        }
        lo > hi
    })
}

fn negate(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Eq => CompareOp::Ne,
        CompareOp::Ne => CompareOp::Eq,
        CompareOp::Lt => CompareOp::Ge,
        CompareOp::Le => CompareOp::Gt,
        CompareOp::Gt => CompareOp::Le,
        CompareOp::Ge => CompareOp::Lt,
    }
}

/// Whether some string contains a match of both regexes (unanchored, as `~`
/// searches). Decided on the product of the two DFAs; when either cannot be
/// built within limits, the answer is "yes".
pub fn regexes_intersect(a: &str, b: &str) -> bool {
    let build = |p: &str| {
        dense::Builder::new()
            .configure(
                dense::Config::new()
                    .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                    .determinize_size_limit(Some(DFA_SIZE_LIMIT)),
            )
            .build(p)
            .ok()
    };
    let (Some(da), Some(db)) = (build(a), build(b)) else {
        return true;
    };
    let cfg = start::Config::new().anchored(Anchored::No);
    let (Ok(sa), Ok(sb)) = (da.start_state(&cfg), db.start_state(&cfg)) else {
        return true;
    };
    // A side that has matched stays matched whatever follows; it is then
    // represented by `None`.
    type Side = Option<regex_automata::util::primitives::StateID>;
    let mut seen: HashSet<(Side, Side)> = HashSet::new();
    let mut queue: VecDeque<(Side, Side)> = VecDeque::new();
    let norm_a = |s| if da.is_match_state(s) { None } else { Some(s) };
    let norm_b = |s| if db.is_match_state(s) { None } else { Some(s) };
    let first = (norm_a(sa), norm_b(sb));
    seen.insert(first);
    queue.push_back(first);
    while let Some((x, y)) = queue.pop_front() {
        let ends_a = x.is_none_or(|s| da.is_match_state(da.next_eoi_state(s)));
        let ends_b = y.is_none_or(|s| db.is_match_state(db.next_eoi_state(s)));
        if ends_a && ends_b {
            return true;
        }
        for byte in 0..=255u8 {
            let nx = match x {
                None => None,
                Some(s) => {
                    let n = da.next_state(s, byte);
                    if da.is_quit_state(n) {
                        return true;
                    }
                    if da.is_dead_state(n) {
                        continue;
                    }
                    norm_a(n)
                }
            };
            let ny = match y {
                None => None,
                Some(s) => {
                    let n = db.next_state(s, byte);
                    if db.is_quit_state(n) {
                        return true;
                    }
                    if db.is_dead_state(n) {
                        continue;
                    }
                    norm_b(n)
                }
            };
            if seen.insert((nx, ny)) {
                if seen.len() > MAX_PRODUCT_STATES {
                    return true;
                }
                queue.push_back((nx, ny));
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::regexes_intersect;

    #[test]
    fn regex_intersection() {
        assert!(regexes_intersect("redis", "(^|/)redis:"));
        assert!(
            regexes_intersect("redis", "valkey"),
            "`redis-valkey` holds both"
        );
        assert!(!regexes_intersect("^redis$", "^valkey$"));
        assert!(!regexes_intersect("(^|/)redis([:@]|$)", "^[0-9]+$"));
        assert!(regexes_intersect(
            "(^|/)redis([:@]|$)",
            "(^|/)redis([:@]|$)"
        ));
        assert!(!regexes_intersect("^a.*b$", "^a.*c$"));
    }
}
