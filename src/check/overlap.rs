//! Can two match arms select the same resource? Can one ever select any?
//!
//! Predicates are put in disjunctive normal form and each pair of
//! conjunctions is tested for a contradiction on some attribute: different
//! constants, a constant outside a list, an absent attribute that must match a
//! regex, integer bounds that leave nothing, or two regexes with no string in
//! common (decided exactly by walking the product of their DFAs). The answer
//! errs on the side of "they may overlap": a conflict is then reported, never
//! missed.

use super::program::{ArmDef, CompareOp, Pattern, Predicate, Value};
use regex_automata::Anchored;
use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::util::start;
use rustc_hash::FxBuildHasher;
use std::collections::{HashMap, HashSet, VecDeque};

/// Past this many conjunctions, a predicate is treated as "anything".
const MAX_TERMS: usize = 256;
/// Past this many atoms in one conjunction, likewise: the pairwise search
/// for a contradiction is quadratic in them.
const MAX_ATOMS: usize = 32;
/// Past this many pairs of conjunctions, two arms are assumed to overlap.
const MAX_TERM_PAIRS: usize = 1024;
/// Past this many product states, two regexes are assumed to overlap.
const MAX_PRODUCT_STATES: usize = 100_000;
/// The memory each lazy DFA may use for its states.
const DFA_CACHE_BYTES: usize = 256 * 1024;

/// Past this many patterns (on either side of a pair), the process-wide
/// regex answers start again.
const MAX_REMEMBERED_PATTERNS: usize = 10_000;

/// Answers overlap questions, remembering the automata it builds: each
/// regex is compiled once per check, however many others it is compared with.
#[derive(Default)]
pub struct Overlap {
    /// Each pattern's index in `automata`.
    ids: HashMap<String, usize>,
    /// The lazy DFA of each pattern, `None` where it could not be built.
    automata: Vec<Option<(DFA, Cache)>>,
}

/// Whether two regexes intersect, by their texts (smaller first), kept for
/// the whole process: the answer depends on nothing else, and every check
/// of the same rules asks the same questions (each case of `graft test`,
/// each job a compiler runs through the library, each edit in the language
/// server). The product search behind an answer costs far more than the
/// rest of a check of the shipped rules (a DFA built per pattern, a product
/// walked to its end to prove two image patterns disjoint).
type Intersections = HashMap<String, HashMap<String, bool, FxBuildHasher>, FxBuildHasher>;

fn intersections() -> std::sync::MutexGuard<'static, Intersections> {
    static ANSWERS: std::sync::LazyLock<std::sync::Mutex<Intersections>> =
        std::sync::LazyLock::new(Default::default);
    match ANSWERS.lock() {
        Ok(a) => a,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Answers to "may these two arms match one resource?", kept from one check
/// to the next: the language server checks the folder on every edit, and
/// most pairs of arms do not change. Keyed by what the arms say (format,
/// types, predicate), never by where they are, so an edit that only moves
/// an arm keeps its answers. Bounded: past [`Memo::MAX`] answers it starts
/// again.
#[derive(Default)]
pub struct Memo {
    inner: std::sync::Mutex<MemoInner>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.inner();
        f.debug_struct("Memo")
            .field("arms", &inner.ids.len())
            .field("answers", &inner.answers.len())
            .finish()
    }
}

#[derive(Default)]
struct MemoInner {
    /// Each fingerprint's number. Numbers are never reused, so clearing the
    /// maps can never pair an old number with a new meaning.
    ids: HashMap<String, u32>,
    next: u32,
    /// Answers, by the two arms' numbers.
    answers: HashMap<(u32, u32), bool, FxBuildHasher>,
}

impl Memo {
    /// The most answers kept.
    pub const MAX: usize = 200_000;

    fn inner(&self) -> std::sync::MutexGuard<'_, MemoInner> {
        match self.inner.lock() {
            Ok(a) => a,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The number of an arm's fingerprint.
    pub(super) fn intern(&self, fingerprint: String) -> u32 {
        let mut inner = self.inner();
        if let Some(&id) = inner.ids.get(&fingerprint) {
            return id;
        }
        if inner.ids.len() >= Memo::MAX {
            inner.ids.clear();
            inner.answers.clear();
        }
        let id = inner.next;
        inner.next = inner.next.wrapping_add(1);
        inner.ids.insert(fingerprint, id);
        id
    }

    pub(super) fn get(&self, a: u32, b: u32) -> Option<bool> {
        self.inner().answers.get(&(a, b)).copied()
    }

    pub(super) fn put(&self, a: u32, b: u32, answer: bool) {
        let mut inner = self.inner();
        if inner.answers.len() >= Memo::MAX {
            inner.answers.clear();
        }
        inner.answers.insert((a, b), answer);
    }
}

/// What an arm says, as text: its format, its types and its predicate; the
/// same for two arms exactly when the overlap analysis sees them the same.
pub(super) fn fingerprint(arm: &ArmDef) -> String {
    let mut out = format!("{:?}", arm.format);
    for t in &arm.types {
        out.push('|');
        out.push_str(t.name);
    }
    out.push('|');
    if let Some(p) = &arm.predicate {
        predicate_text(p, &mut out);
    }
    out
}

fn predicate_text(p: &Predicate, out: &mut String) {
    use std::fmt::Write;
    let _ = match p {
        Predicate::And(ps) | Predicate::Or(ps) => {
            out.push_str(if matches!(p, Predicate::And(_)) {
                "and("
            } else {
                "or("
            });
            for q in ps {
                predicate_text(q, out);
                out.push(',');
            }
            out.push(')');
            Ok(())
        }
        Predicate::Not(q) => {
            out.push_str("not(");
            predicate_text(q, out);
            out.push(')');
            Ok(())
        }
        Predicate::Has(a) => write!(out, "has({a:?})"),
        Predicate::Compare(a, op, v) => write!(out, "cmp({a:?},{op:?},{v:?})"),
        Predicate::In(a, vs) => write!(out, "in({a:?},{vs:?})"),
        Predicate::Matches(a, pattern) => write!(out, "re({a:?},{:?})", pattern.as_str()),
        Predicate::IsTrue(a) => write!(out, "true({a:?})"),
        Predicate::Const(b) => write!(out, "const({b})"),
    };
}

/// One atomic condition in a conjunction.
#[derive(Clone, Debug)]
struct Atom<'p> {
    negated: bool,
    leaf: &'p Predicate,
}

type Term<'p> = Vec<Atom<'p>>;

/// An arm's predicate in disjunctive normal form, worked out once for the
/// many arms it is compared with; `None` when it grows too large.
pub(super) struct Dnf<'p>(Option<Vec<Term<'p>>>);

impl<'p> Dnf<'p> {
    pub(super) fn of(arm: &'p ArmDef) -> Dnf<'p> {
        Dnf(dnf_of(arm.predicate.as_ref()))
    }
}

impl Overlap {
    /// Whether some resource could satisfy both arms (`da`, `db`: each's
    /// predicate in normal form).
    pub(super) fn arms_overlap_in(
        &mut self,
        a: &ArmDef,
        da: &Dnf<'_>,
        b: &ArmDef,
        db: &Dnf<'_>,
    ) -> bool {
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
        let (Some(da), Some(db)) = (&da.0, &db.0) else {
            return true;
        };
        if da.len().saturating_mul(db.len()) > MAX_TERM_PAIRS {
            return true;
        }
        da.iter().any(|ta| {
            db.iter().any(|tb| {
                let mut both = ta.clone();
                both.extend(tb.iter().cloned());
                !self.contradictory(&both)
            })
        })
    }

    /// Whether any resource could satisfy the predicate.
    pub fn satisfiable(&mut self, p: &Predicate) -> bool {
        match dnf_of(Some(p)) {
            Some(terms) => terms.iter().any(|t| !self.contradictory(t)),
            None => true,
        }
    }

    /// Whether the atoms of one conjunction cannot all hold.
    fn contradictory(&mut self, term: &[Atom<'_>]) -> bool {
        for atom in term {
            if let Predicate::Const(b) = atom.leaf
                && *b == atom.negated
            {
                return true;
            }
        }
        for (i, a) in term.iter().enumerate() {
            for b in term.iter().skip(i + 1) {
                if attr_of(a.leaf).is_some()
                    && attr_of(a.leaf) == attr_of(b.leaf)
                    && self.clash(a, b)
                {
                    return true;
                }
            }
        }
        empty_int_range(term)
    }

    /// Whether two atoms on the same attribute contradict each other.
    fn clash(&mut self, a: &Atom<'_>, b: &Atom<'_>) -> bool {
        let (x, y) = (says(a), says(b));
        if let (Says::Matches(r1), Says::Matches(r2)) = (&x, &y) {
            return !self.regexes_intersect(r1.as_str(), r2.as_str());
        }
        clash_one(&x, &y) || clash_one(&y, &x)
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
                        if a.len() + b.len() > MAX_ATOMS {
                            return None;
                        }
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
    Matches(&'p Pattern),
    /// It does not match (or is absent).
    NotMatches(&'p Pattern),
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
    a == b || (as_text(a).is_some() && as_text(a) == as_text(b))
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
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
        _ => false,
    }
}

/// Integer bounds on one attribute that no value satisfies.
fn empty_int_range(term: &[Atom<'_>]) -> bool {
    let bounds =
        |a: &&Atom<'_>| !a.negated && matches!(a.leaf, Predicate::Compare(_, _, Value::Int(_)));
    if term.iter().filter(bounds).take(2).count() < 2 {
        return false;
    }
    let mut attrs: Vec<&str> = term.iter().filter_map(|a| attr_of(a.leaf)).collect();
    attrs.sort_unstable();
    attrs.dedup();
    attrs.into_iter().any(|attr| {
        let (mut lo, mut hi) = (i64::MIN, i64::MAX);
        for a in term.iter().filter(|a| attr_of(a.leaf) == Some(attr)) {
            let Predicate::Compare(_, op, Value::Int(v)) = a.leaf else {
                continue;
            };
            // `!(x >= 1)` also holds when `x` is absent or not an integer,
            // so a negated comparison bounds nothing.
            if a.negated {
                continue;
            }
            let op = *op;
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

impl Overlap {
    /// Whether some string contains a match of both regexes (unanchored, as
    /// `~` searches). Decided exactly on the product of the two lazy DFAs;
    /// when either cannot be built or grows past its limits, the answer is
    /// "yes".
    pub fn regexes_intersect(&mut self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        // Both anchored at the start behind literals neither of which
        // begins the other (`^s12(:|$)`, `^s13(:|$)`): no string starts
        // with both, and no automaton is needed.
        if let (Some(x), Some(y)) = (anchored_prefix(a), anchored_prefix(b))
            && !x.starts_with(y)
            && !y.starts_with(x)
        {
            return false;
        }
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        if let Some(&known) = intersections().get(a).and_then(|with| with.get(b)) {
            return known;
        }
        let (ia, ib) = (self.id(a), self.id(b));
        let (lo, hi) = self.automata.split_at_mut(ia.max(ib));
        let (Some(Some(da)), Some(Some(db))) = (lo.get_mut(ia.min(ib)), hi.first_mut()) else {
            return true;
        };
        let answer = product_intersects(da, db);
        let mut known = intersections();
        if known.len() >= MAX_REMEMBERED_PATTERNS {
            known.clear();
        }
        let with = known.entry(a.to_string()).or_default();
        if with.len() >= MAX_REMEMBERED_PATTERNS {
            with.clear();
        }
        with.insert(b.to_string(), answer);
        answer
    }

    /// The index of a pattern's automaton, building it on first use.
    fn id(&mut self, pattern: &str) -> usize {
        if let Some(&id) = self.ids.get(pattern) {
            return id;
        }
        let id = self.automata.len();
        self.automata.push(build_lazy_dfa(pattern));
        self.ids.insert(pattern.to_string(), id);
        id
    }
}

fn build_lazy_dfa(pattern: &str) -> Option<(DFA, Cache)> {
    let dfa = DFA::builder()
        .configure(
            DFA::config()
                .cache_capacity(DFA_CACHE_BYTES)
                .skip_cache_capacity_check(true),
        )
        .build(pattern)
        .ok()?;
    let cache = dfa.create_cache();
    Some((dfa, cache))
}

/// The literal every match of `pattern` starts with when the pattern is
/// anchored at the start of the text (`^redis-(a|b)` gives `redis-`); `None`
/// when it is not anchored, or has flags or alternatives that could make
/// it match otherwise.
fn anchored_prefix(pattern: &str) -> Option<&str> {
    let rest = pattern.strip_prefix('^')?;
    // Flags (`(?m)` makes `^` match after any newline, `(?i)` any case)
    // and alternatives outside groups (`^a|b`) are left to the automata.
    let mut depth = 0usize;
    for c in pattern.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => return None,
            _ => {}
        }
    }
    if pattern.contains("(?") || pattern.contains('\\') {
        return None;
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | ':' | '@')))
        .unwrap_or(rest.len());
    // A quantifier after the last literal makes it optional (`^ab?`).
    let end = match rest[end..].chars().next() {
        Some('?' | '*' | '{') => rest[..end].char_indices().last().map_or(0, |(i, _)| i),
        _ => end,
    };
    Some(&rest[..end])
}

/// Breadth-first search of the product automaton for a string both match.
fn product_intersects(a: &mut (DFA, Cache), b: &mut (DFA, Cache)) -> bool {
    let (da, ca) = (&a.0, &mut a.1);
    let (db, cb) = (&b.0, &mut b.1);
    // A full cache is cleared, which invalidates every state id seen so
    // far: the search then stops and answers "may overlap".
    let clears = (ca.clear_count(), cb.clear_count());
    macro_rules! cleared {
        () => {
            (ca.clear_count(), cb.clear_count()) != clears
        };
    }
    // One byte per pair of byte classes is enough to explore every move.
    let (classes_a, classes_b) = (da.byte_classes(), db.byte_classes());
    let width = classes_b.alphabet_len();
    let mut seen_classes = vec![false; classes_a.alphabet_len() * width];
    let representatives: Vec<u8> = (0..=255u8)
        .filter(|&byte| {
            let at = usize::from(classes_a.get(byte)) * width + usize::from(classes_b.get(byte));
            seen_classes
                .get_mut(at)
                .is_some_and(|seen| !std::mem::replace(seen, true))
        })
        .collect();
    let cfg = start::Config::new().anchored(Anchored::No);
    let (Ok(sa), Ok(sb)) = (da.start_state(ca, &cfg), db.start_state(cb, &cfg)) else {
        return true;
    };
    // A side that has matched stays matched whatever follows; it is then
    // represented by `None`.
    type Side = Option<LazyStateID>;
    let norm = |s: LazyStateID| if s.is_match() { None } else { Some(s) };
    let mut seen: HashSet<(Side, Side), FxBuildHasher> = HashSet::default();
    let mut queue: VecDeque<(Side, Side)> = VecDeque::new();
    let first = (norm(sa), norm(sb));
    seen.insert(first);
    queue.push_back(first);
    while let Some((x, y)) = queue.pop_front() {
        let ends_a = match x {
            None => true,
            Some(s) => match da.next_eoi_state(ca, s) {
                Ok(e) => e.is_match(),
                Err(_) => return true,
            },
        };
        if cleared!() {
            return true;
        }
        let ends_b = match y {
            None => true,
            Some(s) => match db.next_eoi_state(cb, s) {
                Ok(e) => e.is_match(),
                Err(_) => return true,
            },
        };
        if cleared!() {
            return true;
        }
        if ends_a && ends_b {
            return true;
        }
        for &byte in &representatives {
            let nx = match x {
                None => None,
                Some(s) => match da.next_state(ca, s, byte) {
                    _ if cleared!() => return true,
                    Ok(n) if n.is_quit() => return true,
                    Ok(n) if n.is_dead() => continue,
                    Ok(n) => norm(n),
                    Err(_) => return true,
                },
            };
            let ny = match y {
                None => None,
                Some(s) => match db.next_state(cb, s, byte) {
                    _ if cleared!() => return true,
                    Ok(n) if n.is_quit() => return true,
                    Ok(n) if n.is_dead() => continue,
                    Ok(n) => norm(n),
                    Err(_) => return true,
                },
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
    use super::*;

    #[test]
    fn anchored_prefixes() {
        assert_eq!(anchored_prefix("^s12(:|$)"), Some("s12"));
        assert_eq!(anchored_prefix("^redis-ab?"), Some("redis-a"));
        assert_eq!(anchored_prefix("^ab*c"), Some("a"));
        assert_eq!(anchored_prefix("^a|b"), None);
        assert_eq!(anchored_prefix("(?m)^a"), None);
        assert_eq!(anchored_prefix("^(?i)a"), None);
        assert_eq!(anchored_prefix("redis"), None);
        assert_eq!(anchored_prefix("^([^/]+/)*redis"), Some(""));
        let mut o = Overlap::default();
        assert!(!o.regexes_intersect("^s12(:|$)", "^s13(:|$)"));
        assert!(o.regexes_intersect("^s1", "^s12(:|$)"));
    }

    #[test]
    fn regex_intersection() {
        let mut o = super::Overlap::default();
        let mut regexes_intersect = |a: &str, b: &str| o.regexes_intersect(a, b);
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
