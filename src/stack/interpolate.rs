//! Values read as their defaults: Compose (and shells) write a setting the
//! deployer may override as `${NAME:-default}` or `${NAME-default}`, and a
//! value may hold several, or one inside another's default
//! (`${REDIS_HOST:-redis}:${REDIS_PORT:-6379}`,
//! `${BROKER_URL:-redis://${REDIS_HOST:-redis}:6379/0}`). What such a value
//! names is what its defaults spell together (`redis:6379`), so references
//! are found in that text, the *view*, and each part of one is rewritten
//! where it is written: the host in one default, the port in another.
//!
//! Interpolations without a default (`${REDIS_PASSWORD}`, `${A:?message}`)
//! and `$$` stay in the view as written: what they hold is not known.

use super::NetForm;

/// A stretch of the view written as it is in the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    view: usize,
    original: usize,
    len: usize,
}

/// A text read with each interpolation that has a default as that default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Defaulted {
    /// The view: the text with the defaults in place of their interpolations.
    pub text: String,
    runs: Vec<Run>,
}

impl Defaulted {
    /// The view of `text`, when it holds an interpolation with a default.
    pub fn of(text: &str) -> Option<Defaulted> {
        if !text.contains("${") {
            return None;
        }
        let bytes = text.as_bytes();
        let mut view = String::with_capacity(text.len());
        let mut runs: Vec<Run> = Vec::new();
        // The braces open inside defaults: whether each opened one.
        let mut open: Vec<bool> = Vec::new();
        let mut run_start = 0;
        let mut hidden = false;
        let mut i = 0;
        let close = |view: &mut String, runs: &mut Vec<Run>, from: usize, to: usize| {
            if to > from {
                runs.push(Run {
                    view: view.len(),
                    original: from,
                    len: to - from,
                });
                view.push_str(&text[from..to]);
            }
        };
        while i < bytes.len() {
            match bytes[i] {
                b'$' if bytes.get(i + 1) == Some(&b'$') => i += 2,
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    let name = bytes[i + 2..]
                        .iter()
                        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                        .count();
                    let op = i + 2 + name;
                    let default = match (bytes.get(op), bytes.get(op + 1)) {
                        _ if name == 0 => None,
                        (Some(b':'), Some(b'-')) => Some(op + 2),
                        (Some(b'-'), _) => Some(op + 1),
                        _ => None,
                    };
                    match default {
                        Some(from) => {
                            close(&mut view, &mut runs, run_start, i);
                            hidden = true;
                            open.push(true);
                            i = from;
                            run_start = from;
                        }
                        // Kept whole, braces inside it included.
                        None => i = closing_brace(bytes, i + 2).map_or(bytes.len(), |e| e + 1),
                    }
                }
                b'{' if !open.is_empty() => {
                    open.push(false);
                    i += 1;
                }
                b'}' => {
                    if open.pop() == Some(true) {
                        close(&mut view, &mut runs, run_start, i);
                        run_start = i + 1;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        close(&mut view, &mut runs, run_start, bytes.len());
        hidden.then_some(Defaulted { text: view, runs })
    }

    /// Where in the original text the view's range `[start, end)` is
    /// written, when it is written in one piece.
    pub fn original_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let run = self.runs.iter().find(|r| {
            r.view <= start && end <= r.view + r.len && (start < r.view + r.len || start == end)
        })?;
        Some((
            run.original + start - run.view,
            run.original + end - run.view,
        ))
    }

    /// Where a range of the view that starts at `at` starts in the
    /// original text: past an interpolation's opening when `at` is where
    /// one's default begins.
    pub fn original_start(&self, at: usize) -> usize {
        self.runs
            .iter()
            .find(|r| r.view <= at && at < r.view + r.len)
            .or_else(|| self.runs.iter().rev().find(|r| r.view + r.len <= at))
            .map_or(at, |r| r.original + (at - r.view).min(r.len))
    }

    /// Where a range of the view that ends at `at` ends in the original
    /// text: before an interpolation's closing brace when `at` is where one's
    /// default ends.
    pub fn original_end(&self, at: usize) -> usize {
        self.runs
            .iter()
            .find(|r| r.view < at && at <= r.view + r.len)
            .or_else(|| self.runs.iter().find(|r| r.view >= at))
            .map_or(at, |r| r.original + at.saturating_sub(r.view).min(r.len))
    }

    /// The edit of `original` that writes `new` in place of the view's
    /// `[start, end)`: where that range is written in one piece, there;
    /// where it begins or ends inside an interpolation
    /// (`:${REDIS_PASSWORD:-secret}@`, the user information of a URL), the
    /// whole interpolations, with what else their defaults spell kept
    /// around `new`. The variables of such a part are lost, the value's
    /// others stay. `None` when the widened range is not the view's.
    pub(crate) fn replace(
        &self,
        original: &str,
        (start, end): (usize, usize),
        new: &str,
    ) -> Option<(usize, usize, String)> {
        if let Some((s, e)) = self.original_range(start, end) {
            return Some((s, e, new.to_string()));
        }
        self.widened(original, (start, end), new)
    }

    /// [`Defaulted::replace`] for a password: where the range is written in
    /// an interpolation's default (`${PW:-vendor}`), the whole
    /// interpolation, since that default is the vendor's password.
    pub(crate) fn replace_password(
        &self,
        original: &str,
        (start, end): (usize, usize),
        new: &str,
    ) -> Option<(usize, usize, String)> {
        match self.original_range(start, end) {
            Some((s, e)) if Self::is_literal(original, s) => Some((s, e, new.to_string())),
            _ => self.widened(original, (start, end), new),
        }
    }

    /// The edit that writes `new` in place of the view's `[start, end)`
    /// over the whole interpolations it begins or ends in.
    fn widened(
        &self,
        original: &str,
        (start, end): (usize, usize),
        new: &str,
    ) -> Option<(usize, usize, String)> {
        let (mut s, mut e) = (self.original_start(start), self.original_end(end));
        let spans = interpolations(original);
        loop {
            let (was_s, was_e) = (s, e);
            for &(open, close) in &spans {
                if open < s && s <= close {
                    s = open;
                }
                if open < e && e <= close {
                    e = close + 1;
                }
            }
            if (s, e) == (was_s, was_e) {
                break;
            }
        }
        if !balanced(original, s, e) {
            return None;
        }
        // The view's range the widened one spells.
        let from = self
            .runs
            .iter()
            .find(|r| r.original + r.len > s)
            .map_or(self.text.len(), |r| r.view + s.saturating_sub(r.original));
        let to = self
            .runs
            .iter()
            .rev()
            .find(|r| r.original < e)
            .map_or(0, |r| r.view + (e - r.original).min(r.len));
        if !(from <= start && end <= to) {
            return None;
        }
        Some((
            s,
            e,
            format!("{}{new}{}", &self.text[from..start], &self.text[end..to]),
        ))
    }

    /// Where the original text's offset `at` is in the view, when it is in
    /// (or at the end of) a stretch written as it is.
    pub fn view_at(&self, at: usize) -> Option<usize> {
        self.runs
            .iter()
            .find(|r| r.original <= at && at <= r.original + r.len)
            .map(|r| r.view + at - r.original)
    }

    /// Where to insert text at the view's offset `at` in the original text.
    /// Between two stretches, the one written outside any interpolation is
    /// preferred (`:6380` after `${REDIS_HOST:-host}` goes after its brace).
    pub fn insertion_point(&self, at: usize, literal: impl Fn(usize) -> bool) -> usize {
        let before = self
            .runs
            .iter()
            .find(|r| r.view < at && at <= r.view + r.len)
            .map(|r| r.original + at - r.view);
        let after = self
            .runs
            .iter()
            .find(|r| r.view <= at && at < r.view + r.len)
            .map(|r| r.original + at - r.view);
        match (before, after) {
            (Some(b), Some(a)) if b != a && !literal(b) && literal(a) => a,
            (Some(b), _) => b,
            (None, Some(a)) => a,
            (None, None) => self.original_start(at),
        }
    }

    /// Whether the original text's offset `at` is outside every
    /// interpolation's default.
    pub fn is_literal(original: &str, at: usize) -> bool {
        let mut depth = 0usize;
        let bytes = original.as_bytes();
        let mut i = 0;
        while i < at.min(bytes.len()) {
            match bytes[i] {
                b'$' if bytes.get(i + 1) == Some(&b'$') => i += 2,
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    depth += 1;
                    i += 2;
                }
                // A brace inside a default pairs with one there.
                b'{' if depth > 0 => {
                    depth += 1;
                    i += 1;
                }
                b'}' if depth > 0 => {
                    depth -= 1;
                    i += 1;
                }
                _ => i += 1,
            }
        }
        depth == 0
    }
}

/// The parts of a network form, in order: each's range in the form's text
/// (empty where the form has none), and what is written before it when it
/// is added (`:` before a port).
fn parts(form: NetForm, text: &str) -> Vec<(usize, usize, &'static str)> {
    let host_end = |from: usize| {
        let rest = &text[from..];
        from + if rest.starts_with('[') {
            rest.find(']').map_or(rest.len(), |i| i + 1)
        } else {
            rest.find([':', '/', '?', '#']).unwrap_or(rest.len())
        }
    };
    let port = |from: usize| -> (usize, usize) {
        match text[from..].strip_prefix(':') {
            Some(p) => (
                from + 1,
                from + 1 + p.bytes().take_while(u8::is_ascii_digit).count(),
            ),
            None => (from, from),
        }
    };
    match form {
        NetForm::Host => vec![(0, text.len(), "")],
        NetForm::HostPort => {
            let h = host_end(0);
            let (ps, pe) = port(h);
            vec![(0, h, ""), (ps, pe, ":")]
        }
        NetForm::Url => {
            let Some(sep) = text.find("://") else {
                return vec![(0, text.len(), "")];
            };
            let auth = sep + 3;
            let auth_end = text[auth..]
                .find(['/', '?', '#'])
                .map_or(text.len(), |i| auth + i);
            let user_end = text[auth..auth_end]
                .rfind('@')
                .map_or(auth, |i| auth + i + 1);
            let h = host_end(user_end).min(auth_end.max(user_end));
            let (ps, pe) = port(h);
            let tail = &text[pe..];
            let (path_start, path_end) = match tail.strip_prefix('/') {
                Some(p) => (pe + 1, pe + 1 + p.find(['?', '#']).unwrap_or(p.len())),
                None => (pe, pe),
            };
            vec![
                (0, sep, ""),
                (auth, user_end, ""),
                (user_end, h, ""),
                (ps, pe, ":"),
                (path_start, path_end, "/"),
                (path_end, text.len(), ""),
            ]
        }
    }
}

/// The edits of `original` that write `new` in place of the network form
/// at `view.text[start..end]`, part by part, each where it is written: the
/// host in its default, the port in another's, the scheme outside them.
/// `None` when a part that changes is spelled across interpolations.
pub(crate) fn place(
    view: &Defaulted,
    original: &str,
    form: NetForm,
    (start, end): (usize, usize),
    new: &str,
) -> Option<Vec<(usize, usize, String)>> {
    let old = &view.text[start..end];
    let (was, will) = (parts(form, old), parts(form, new));
    if was.len() != will.len() {
        return None;
    }
    let literal = |at| Defaulted::is_literal(original, at);
    let spans = interpolations(original);
    let form_start = view.original_start(start);
    let mut edits = Vec::new();
    for (k, (&(os, oe, lead), &(ns, ne, _))) in was.iter().zip(&will).enumerate() {
        let (before, mut after) = (&old[os..oe], &new[ns..ne]);
        // A part with a leading mark (`:`, `/`) is absent when the mark is.
        let had = lead.is_empty() || old[..os].ends_with(lead) && os > 0;
        let has = lead.is_empty() || new[..ns].ends_with(lead) && ns > 0;
        if before == after && had == has {
            continue;
        }
        let (mut vs, mut ve) = (start + os, start + oe);
        let mut password = false;
        // User information whose user stays: only the password is
        // replaced, so that `${REDIS_USER:-app}` before it stays too.
        if form == NetForm::Url
            && k == 1
            && let Some((old_user, _)) = before.strip_suffix('@').and_then(split_userinfo)
            && let Some((new_user, new_password)) = after.strip_suffix('@').and_then(split_userinfo)
            && old_user == new_user
        {
            vs += old_user.len() + 1;
            ve -= 1;
            after = new_password;
            password = true;
        }
        match (had, has) {
            (true, true) if password => {
                edits.push(view.replace_password(original, (vs, ve), after)?)
            }
            (true, true) => edits.push(view.replace(original, (vs, ve), after)?),
            (false, true) => {
                let mut at = view.insertion_point(vs, literal);
                // At the end of a default the form opened, past its brace:
                // `:${REDIS_PORT:-6379}` is followed by `/2`, not `6379/2`.
                while let Some(&(_, close)) = spans
                    .iter()
                    .find(|&&(open, close)| open >= form_start && close == at)
                {
                    at = close + 1;
                }
                edits.push((at, at, format!("{lead}{after}")));
            }
            (true, false) => edits.push(view.replace(original, (vs - lead.len(), ve), "")?),
            (false, false) => {}
        }
    }
    // Widened parts must not take in one another.
    edits.sort_by_key(|e| (e.0, e.1));
    if edits.windows(2).any(|w| w[1].0 < w[0].1) {
        return None;
    }
    Some(edits)
}

/// Where the first byte of `text` that `stop` accepts is, outside
/// interpolations and Kubernetes references (`${...}`, `$(...)`, and
/// Terraform's directives `%{...}` where `directives`): `Ok(None)` without
/// one, and `Err(())` when an interpolation is left open before one is
/// found (it is then no interpolation, and the caller reads the text as
/// written).
pub(crate) fn outside_interpolations(
    text: &str,
    directives: bool,
    stop: impl Fn(u8) -> bool,
) -> Result<Option<usize>, ()> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' | b'%'
                if (bytes[i] == b'$' || directives)
                    && matches!(bytes.get(i + 1), Some(b'{' | b'(')) =>
            {
                depth += 1;
                i += 1;
            }
            b'{' | b'(' if depth > 0 => depth += 1,
            b'}' | b')' if depth > 0 => depth -= 1,
            b if depth == 0 && stop(b) => return Ok(Some(i)),
            _ => {}
        }
        i += 1;
    }
    if depth > 0 { Err(()) } else { Ok(None) }
}

/// A URL's user information (`user:password`, without its `@`) split at
/// its first colon outside interpolations and Kubernetes references
/// (`${REDIS_USER:-app}:pw`, `$(USER):pw`); `None` without one.
pub(crate) fn split_userinfo(info: &str) -> Option<(&str, &str)> {
    match outside_interpolations(info, false, |b| b == b':') {
        Ok(at) => at.map(|i| (&info[..i], &info[i + 1..])),
        // An interpolation left open is no interpolation: the first colon.
        Err(()) => info.split_once(':'),
    }
}

/// Whether `original[start..end]` closes every interpolation it opens and
/// no other, so that it may be replaced whole.
pub(crate) fn balanced(original: &str, start: usize, end: usize) -> bool {
    let bytes = &original.as_bytes()[start..end];
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 1,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'{' if depth > 0 => depth += 1,
            b'}' if depth == 0 => return false,
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    depth == 0
}

/// Each interpolation of `text` (`${...}`, nested ones too): the offsets of
/// its `$` and of its closing brace.
fn interpolations(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'$') => i += 2,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                if let Some(close) = closing_brace(bytes, i + 2) {
                    out.push((i, close));
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    out
}

/// The index of the brace that closes the one opened before `from`.
pub(crate) fn closing_brace(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, b) in bytes.iter().enumerate().skip(from) {
        match b {
            b'{' => depth += 1,
            b'}' if depth == 0 => return Some(k),
            b'}' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_read_in_place_of_their_interpolations() {
        let d = Defaulted::of("${REDIS_HOST:-redis}:${REDIS_PORT-6379}").unwrap();
        assert_eq!(d.text, "redis:6379");
        assert_eq!(d.original_range(0, 5), Some((14, 19)));
        assert_eq!(d.original_range(6, 10), Some((34, 38)));
        assert_eq!(d.original_range(0, 6), None);
        assert_eq!(d.original_start(0), 14);
        assert_eq!(d.original_end(10), 38);

        let d = Defaulted::of("${BROKER_URL:-redis://${REDIS_HOST:-redis}:6379/0}").unwrap();
        assert_eq!(d.text, "redis://redis:6379/0");
        assert_eq!(d.original_start(0), 14);
        assert_eq!(d.original_end(d.text.len()), 49);
        assert_eq!(d.view_at(36), Some(8));
    }

    #[test]
    fn interpolations_without_a_default_are_kept_as_written() {
        assert_eq!(Defaulted::of("redis://:${PASSWORD}@redis:6379"), None);
        assert_eq!(Defaulted::of("$${A:-b}"), None);
        let d = Defaulted::of("redis://:${P}@${H:-redis}:${A:?set it}").unwrap();
        assert_eq!(d.text, "redis://:${P}@redis:${A:?set it}");
    }

    #[test]
    fn an_insertion_between_stretches_goes_outside_the_interpolations() {
        let text = "redis://${H:-redis}/0";
        let d = Defaulted::of(text).unwrap();
        assert_eq!(d.text, "redis://redis/0");
        let literal = |at| Defaulted::is_literal(text, at);
        // After the host: past the brace.
        assert_eq!(d.insertion_point(13, literal), 19);
        // Before it: before the interpolation.
        assert_eq!(d.insertion_point(8, literal), 8);
    }

    /// Rewrites `text` as `new` (the form's new text), part by part.
    fn placed(text: &str, form: NetForm, new: &str) -> Option<String> {
        let d = Defaulted::of(text).unwrap();
        let start = d.text.find("redis").unwrap();
        let mut edits = place(&d, text, form, (start, d.text.len()), new)?;
        edits.sort();
        let mut out = text.to_string();
        for (s, e, t) in edits.iter().rev() {
            out.replace_range(s..e, t);
        }
        Some(out)
    }

    #[test]
    fn each_part_is_rewritten_where_it_is_written() {
        assert_eq!(
            placed(
                "${H:-redis}:${P:-6379}",
                NetForm::HostPort,
                "c.example:6380"
            )
            .as_deref(),
            Some("${H:-c.example}:${P:-6380}")
        );
        assert_eq!(
            placed(
                "redis://${H:-redis}:${P:-6379}/1",
                NetForm::Url,
                "rediss://c:6380/2"
            )
            .as_deref(),
            Some("rediss://${H:-c}:${P:-6380}/2")
        );
        assert_eq!(
            placed(
                "${U:-redis://${H:-redis}:6379/0}",
                NetForm::Url,
                "rediss://:${REDIS_PASSWORD}@c:6380/2"
            )
            .as_deref(),
            Some("${U:-rediss://:${REDIS_PASSWORD}@${H:-c}:6380/2}")
        );
        // A port the form did not write goes after the host's default.
        assert_eq!(
            placed(
                "redis://${H:-redis}/${DB:-0}",
                NetForm::Url,
                "rediss://c:6380/2"
            )
            .as_deref(),
            Some("rediss://${H:-c}:6380/${DB:-2}")
        );
        // A part spelled across interpolations is replaced whole, the
        // value's other variables kept.
        assert_eq!(
            placed(
                "redis://${H:-redis}:${P:-63}79",
                NetForm::Url,
                "rediss://c:6380/2"
            )
            .as_deref(),
            Some("rediss://${H:-c}:6380/2")
        );
        assert_eq!(
            placed(
                "redis://:${REDIS_PASSWORD:-secret}@${REDIS_HOST:-redis}:${REDIS_PORT:-6379}",
                NetForm::Url,
                "rediss://:${REDIS_PASSWORD}@c:6380/2"
            )
            .as_deref(),
            Some("rediss://:${REDIS_PASSWORD}@${REDIS_HOST:-c}:${REDIS_PORT:-6380}/2")
        );
        assert_eq!(
            placed(
                "redis://default:${PW:-x}@${H:-redis}:6379/0",
                NetForm::Url,
                "rediss://default:${REDIS_PASSWORD}@c:6380/2"
            )
            .as_deref(),
            Some("rediss://default:${REDIS_PASSWORD}@${H:-c}:6380/2")
        );
        assert!(balanced("a${B:-c${D}}e", 0, 13));
        assert!(!balanced("a}${B:-", 0, 7));
    }
}
