//! Credentials and options in connection strings and URLs: a password is
//! never written as a value (it becomes a reference to the injected
//! variable, `$(VAR)` in Kubernetes and `${VAR}` in Compose, or goes), never printed (the plan masks it), and the options a client
//! reads beside its endpoint are found so that the plan can name them.

use crate::bindings::{Input, Provided};

/// A URL's `user:password@` for the customer's endpoint: the user `user`
/// (the bound URL's) or the one written there; a password is never a
/// value, only `reference` (the injected variable, as the format writes a
/// reference to it); with IAM authentication there is none.
pub(super) fn credentials(
    userinfo: &str,
    user: Option<&str>,
    reference: Option<&str>,
    provided: &Provided,
) -> String {
    let iam_user = provided.inputs.values().find_map(|(v, _, _)| match v {
        Input::IamRole { user, .. } => Some(user.clone().unwrap_or_default()),
        _ => None,
    });
    let info = match (userinfo.strip_suffix('@'), user) {
        (Some(info), _) => info,
        (None, Some(_)) if iam_user.is_some() => "",
        // No user was written: the bound one, with the injected password.
        (None, Some(u)) => {
            return match reference {
                Some(r) => format!("{u}:{r}@"),
                None => format!("{u}@"),
            };
        }
        (None, None) => return String::new(),
    };
    let (written, password) = match crate::stack::interpolate::split_userinfo(info) {
        Some((u, p)) => (u, Some(p)),
        None => (info, None),
    };
    let user = user.unwrap_or(written);
    if let Some(u) = iam_user {
        return if u.is_empty() {
            String::new()
        } else {
            format!("{u}@")
        };
    }
    match (password, reference) {
        (Some(p), _) if !p.is_empty() && is_reference(p) => format!("{user}:{p}@"),
        (Some(_), Some(r)) => format!("{user}:{r}@"),
        (Some(_), None) | (None, _) => {
            if user.is_empty() {
                String::new()
            } else {
                format!("{user}@")
            }
        }
    }
}

/// Whether `scheme` (before `://`) names a connection to a backing service
/// (`redis`, `rediss`, `postgresql`, `amqp`...), not a web page (`http`,
/// `https`, `ws`, `wss`).
pub(super) fn is_connection_scheme(scheme: &str) -> bool {
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !matches!(
            scheme.to_ascii_lowercase().as_str(),
            "http" | "https" | "ws" | "wss"
        )
}

/// Where a connection URL starts in `before`, the text that leads up to
/// its host: `scheme://` then an optional `user[:password]@` (which may
/// hold `${}`), at the end of `before`. A JDBC URL (`jdbc:postgresql://`)
/// is not one: its user is an option, not written before its host.
pub(super) fn url_start(before: &str) -> Option<usize> {
    let sep = before.rfind("://")?;
    let userinfo = &before[sep + 3..];
    if !(userinfo.is_empty() || userinfo.ends_with('@'))
        || userinfo.contains(['/', ' ', '"', '\'', '\n'])
    {
        return None;
    }
    let head = &before[..sep];
    let start = head
        .char_indices()
        .rfind(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let scheme = &head[start..];
    (is_connection_scheme(scheme) && !head[..start].ends_with("jdbc:")).then_some(start)
}

/// The options of `query` (`?a=1&b=${X}`, or empty) that `bound` (a URL)
/// does not set, as they are to follow the bound URL: after `&` when it
/// has a query, else after `?`.
pub(super) fn options_kept(query: &str, bound: &str) -> String {
    let key = |o: &str| o.split('=').next().unwrap_or("").to_string();
    let bound_keys: Vec<String> = bound
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("")
        .split('&')
        .filter(|o| !o.is_empty())
        .map(key)
        .collect();
    // A fragment of the written URL is not an option; the bound URL's
    // own, if any, stays where it is (these follow the whole bound URL).
    let query = query.split('#').next().unwrap_or("");
    let kept: Vec<&str> = query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|o| !o.is_empty() && !bound_keys.contains(&key(o)))
        .collect();
    if kept.is_empty() || bound.contains('#') {
        return String::new();
    }
    let sep = if bound.contains('?') { '&' } else { '?' };
    format!("{sep}{}", kept.join("&"))
}

/// A URL's query and fragment (`?a=1&b=2#f`, or empty) with the bound
/// URL's laid over it: an option the bound one sets takes its value, in its
/// place; the others stay, in their order; its new options come after. The
/// bound fragment, if any, wins.
pub(super) fn merge_query(old: &str, new: &str) -> String {
    let split = |q: &str| -> (String, String) {
        let (query, fragment) = q.split_once('#').map_or((q, ""), |(a, b)| (a, b));
        (
            query.strip_prefix('?').unwrap_or(query).to_string(),
            fragment.to_string(),
        )
    };
    let (old_query, old_fragment) = split(old);
    let (new_query, new_fragment) = split(new);
    let key = |option: &str| option.split('=').next().unwrap_or("").to_string();
    let news: Vec<&str> = new_query.split('&').filter(|o| !o.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    for option in old_query.split('&').filter(|o| !o.is_empty()) {
        match news.iter().find(|n| key(n) == key(option)) {
            Some(n) => out.push(n.to_string()),
            None => out.push(option.to_string()),
        }
    }
    for n in &news {
        if !out.iter().any(|o| key(o) == key(n)) {
            out.push(n.to_string());
        }
    }
    let mut merged = if out.is_empty() {
        String::new()
    } else {
        format!("?{}", out.join("&"))
    };
    let fragment = if new_fragment.is_empty() {
        old_fragment
    } else {
        new_fragment
    };
    if !fragment.is_empty() {
        merged.push('#');
        merged.push_str(&fragment);
    }
    merged
}

/// `query` (`?a=1&user=x`, or empty) with the option `key` set to `value`
/// where it is there; otherwise as it is.
pub(super) fn replace_option(query: &str, key: &str, value: &str) -> String {
    let Some(body) = query.strip_prefix('?') else {
        return query.to_string();
    };
    let (options, fragment) = body
        .split_once('#')
        .map_or((body, None), |(a, b)| (a, Some(b)));
    let options: Vec<String> = options
        .split('&')
        .map(|o| match o.split_once('=') {
            Some((k, _)) if k == key => format!("{k}={value}"),
            _ => o.to_string(),
        })
        .collect();
    let mut out = format!("?{}", options.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Whether a URL password is empty or a reference to a variable (`$(VAR)`,
/// `${VAR}`) rather than a value.
pub(super) fn is_reference(pass: &str) -> bool {
    pass.is_empty()
        || (pass.starts_with("$(") && pass.ends_with(')'))
        || pass
            .strip_prefix("${")
            .and_then(|p| p.strip_suffix('}'))
            .is_some_and(|inner| {
                // `${PW:-vendor}` holds a password of its own, and so does
                // `${PW:+vendor}` (the vendor's when `PW` is set).
                let name = inner
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                let op = inner[name..].trim_start_matches(':');
                !(op.starts_with('-') || op.starts_with('+'))
            })
}

/// How the injected variable `name` is referred to inside another value:
/// `$(NAME)` in Kubernetes (expanded by the kubelet), `${NAME}` in Compose
/// (interpolated when the project is deployed).
pub(super) fn reference_to(name: &str, format: crate::catalogue::Format) -> String {
    match format {
        crate::catalogue::Format::Compose => format!("${{{name}}}"),
        _ => format!("$({name})"),
    }
}

/// Keys of connection-string options that carry a password
/// (StackExchange.Redis' `password=`, ADO.NET's `Password=` and `Pwd=`,
/// phpredis' `auth=`).
const PASSWORD_OPTIONS: &[&str] = &["password", "pwd", "auth"];

/// The password options of a connection string (`host:6379,password=x`,
/// `Host=h;Password=x`), as (start of the option with its separator before
/// it, start of the value, end of the value).
pub(super) fn password_options(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let boundary = |b: u8| matches!(b, b',' | b';' | b'?' | b'&') || b.is_ascii_whitespace();
    let end_of_value =
        |b: u8| matches!(b, b',' | b';' | b'&' | b'"' | b'\'') || b.is_ascii_whitespace();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let at_boundary = i == 0 || boundary(bytes[i - 1]);
        let key = PASSWORD_OPTIONS.iter().find(|k| {
            let end = i + k.len();
            at_boundary
                && end < bytes.len()
                && bytes[end] == b'='
                && text.is_char_boundary(end)
                && text[i..end].eq_ignore_ascii_case(k)
        });
        let Some(key) = key else {
            i += 1;
            continue;
        };
        let value = i + key.len() + 1;
        let mut end = value;
        // A brace the value did not open closes the interpolation the
        // option is written in (`${URL:-redis://h?password=x}`).
        let mut depth = 0usize;
        while end < bytes.len() && !end_of_value(bytes[end]) {
            match bytes[end] {
                b'{' => depth += 1,
                b'}' if depth == 0 => break,
                b'}' => depth -= 1,
                _ => {}
            }
            end += 1;
        }
        let start = if i > 0 && matches!(bytes[i - 1], b',' | b';' | b'&') {
            i - 1
        } else {
            i
        };
        out.push((start, value, end));
        i = end.max(i + 1);
    }
    out
}

/// The keys of the options a connection string passes after its endpoint
/// (`host:6379,ssl=False,abortConnect=False`; `Host=h;Port=1`), passwords
/// left out: what a client reads beside the endpoint.
pub(super) fn connection_options(text: &str) -> Vec<String> {
    if text.contains('\n') {
        return Vec::new();
    }
    let mut keys: Vec<String> = Vec::new();
    for part in text.split([',', ';']).skip(1) {
        let Some((key, _)) = part.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let word = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if word
            && !PASSWORD_OPTIONS.iter().any(|p| key.eq_ignore_ascii_case(p))
            && !keys.iter().any(|k| k == key)
        {
            keys.push(key.to_string());
        }
    }
    keys
}

/// The text with each password option bound to `reference` (the injected
/// variable); with none injected, the option is removed. A reference
/// already there stays.
pub(super) fn rebind_password_options(text: &str, reference: Option<&str>) -> String {
    if let Some(r) = reference {
        return replace_password_values(text, r);
    }
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (start, value, end) in password_options(text) {
        if is_reference(&text[value..end]) {
            continue;
        }
        // The separator before this option went with the one before it,
        // which makes this one as the first.
        let first_again = cursor > start;
        if !first_again {
            out.push_str(&text[cursor..start]);
        }
        cursor = end;
        // An option with no separator before it (the first) takes the one
        // after it.
        let separated = !first_again && matches!(text.as_bytes()[start], b',' | b';' | b'&');
        if !separated && matches!(text.as_bytes().get(end), Some(b',' | b';' | b'&')) {
            cursor = end + 1;
        } else if !separated && out.ends_with('?') {
            // The query's only option: the `?` goes too.
            out.pop();
        }
    }
    out.push_str(&text[cursor..]);
    out
}

/// The text with the value of each password option that is not a `$(VAR)`
/// reference replaced by `with`.
fn replace_password_values(text: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (_, value, end) in password_options(text) {
        if is_reference(&text[value..end]) {
            continue;
        }
        out.push_str(&text[cursor..value]);
        out.push_str(with);
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// The text with every password masked (in URLs, connection-string
/// options and command-line flags), unless it is a `$(VAR)` reference: a
/// vendor's default password is never printed.
pub(super) fn redact(text: &str) -> String {
    password_flags(
        &replace_password_values(&redact_urls(text), "****"),
        Some("****"),
    )
}

/// Whether a command line runs redis-cli or valkey-cli, whose `-a` is the
/// password (elsewhere `-a` means other things).
pub(super) fn runs_cli(text: &str) -> bool {
    text.contains("redis-cli") || text.contains("valkey-cli")
}

/// Whether a command-line word is a flag whose value is a password
/// (`--password`, `--redis-pass`, and `-a` where `cli`, see [`runs_cli`]).
pub(super) fn is_password_flag(word: &str, cli: bool) -> bool {
    (cli && word == "-a")
        || matches!(word, "--pass" | "--password" | "--auth" | "--requirepass")
        || (word.starts_with("--") && (word.ends_with("-password") || word.ends_with("-pass")))
}

/// The text of a command line with the value of each password flag
/// (`redis-cli -a VALUE`, `--pass VALUE`, `--password=VALUE`,
/// `--redis-password VALUE`) that is not a reference replaced by `with`
/// (the injected variable's reference); with none, the flag and its value
/// are taken out (the program then reads the injected variable, or none).
pub(super) fn password_flags(text: &str, with: Option<&str>) -> String {
    let cli = runs_cli(text);
    let is_flag = |t: &str| is_password_flag(t, cli);
    let words = crate::stack::kubernetes::command_words(text);
    // The spans to replace: a value after its flag, or after `flag=`.
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    for (i, &(s, e)) in words.iter().enumerate() {
        let word = &text[s..e];
        if let Some((flag, value)) = word.split_once('=')
            && is_flag(flag)
            && !value.is_empty()
            && !is_reference(value)
        {
            spans.push((s, s + flag.len() + 1, e));
        } else if is_flag(word)
            && let Some(&(vs, ve)) = words.get(i + 1)
            && !is_reference(&text[vs..ve])
            && !text[vs..ve].starts_with('-')
            && whole_word_after(text, e, (vs, ve))
        {
            // A quoted value's closing quote goes with it when it goes.
            let quoted = text[..vs].ends_with(['\'', '"']);
            // Unquoted, the value ends where the shell's next word or
            // operator starts (`pw)`, `pw&&next`, `pw|cat`, `pw,--db=0`).
            let ve = if quoted {
                ve + 1
            } else {
                vs + text[vs..ve]
                    .find([')', '&', '|', '<', '>', ','])
                    .unwrap_or(ve - vs)
            };
            spans.push((s, vs, ve));
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (flag, value, end) in spans {
        match with {
            Some(w) => {
                out.push_str(&text[cursor..value]);
                out.push_str(w);
                // The quote closing the value stays.
                let value_end = if text[..value].ends_with(['\'', '"']) {
                    end - 1
                } else {
                    end
                };
                cursor = value_end;
                continue;
            }
            // The flag goes with its value, and the blank before it.
            None => out.push_str(text[cursor..flag].trim_end_matches([' ', '\t'])),
        }
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// Whether `text[vs..ve]`, the word after a flag that ends at `flag_end`,
/// is the flag's whole value: written bare or whole in quotes (`'pw'`),
/// not an empty quote before the next word (`-a '' ping`), a quoted value
/// with blanks (`"two words"`), or a command's output (`$(cat /run/pw)`).
fn whole_word_after(text: &str, flag_end: usize, (vs, ve): (usize, usize)) -> bool {
    let gap = text[flag_end..vs].trim();
    let value = &text[vs..ve];
    // A shell's own variable or a command's output is not the password
    // written there.
    let variable = value
        .strip_prefix('$')
        .is_some_and(|v| v.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
    if value.contains("$(") || value.contains('`') || variable || value.starts_with(['&', '|', ')'])
    {
        return false;
    }
    match gap {
        "" => true,
        "'" | "\"" => text[ve..].starts_with(gap),
        _ => false,
    }
}

/// `, `VALUE``, closing a message with the customer's endpoint: the value of
/// the first of `roles` (`url`, `endpoint`) the rules bind, masked; empty
/// where they bind none.
pub(super) fn endpoint_note(
    bound: &std::collections::BTreeMap<String, super::Bound<'_>>,
    roles: &[&str],
) -> String {
    roles
        .iter()
        .find_map(|r| bound.get(*r))
        .map(|(v, ..)| format!(", `{}`", redact(v)))
        .unwrap_or_default()
}

/// Where the authority of a URL (`tail`, the text after its `://`) ends: at
/// its path, query or fragment, or a space or quote, outside the
/// interpolations and directives the user information may hold
/// (`${REDIS_USER:?set the user}`).
fn authority_end(tail: &str) -> usize {
    let end = |b: u8| matches!(b, b'/' | b'?' | b'#' | b' ' | b'"' | b'\'');
    match crate::stack::interpolate::outside_interpolations(tail, true, end) {
        Ok(at) => at.unwrap_or(tail.len()),
        // An interpolation left open: the first end, as written.
        Err(()) => tail
            .find(['/', '?', '#', ' ', '"', '\''])
            .unwrap_or(tail.len()),
    }
}

/// The text with every URL's password masked, unless it is a `$(VAR)`
/// reference.
fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let authority_end = authority_end(tail);
        let authority = &tail[..authority_end];
        match authority.rfind('@') {
            Some(at) => {
                let info = &authority[..at];
                match crate::stack::interpolate::split_userinfo(info) {
                    Some((user, pass)) if !is_reference(pass) => {
                        out.push_str(user);
                        out.push_str(":****");
                    }
                    _ => out.push_str(info),
                }
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

/// The role of a Secret's key by its name, when the key holds a setting of
/// the service (its user, database, host, port or URL) rather than its
/// password: `POSTGRES_USER`, `DB_NAME`, `redis-host`, `DATABASE_URL`. A
/// name that mentions a password, a token or a key, or names nothing
/// known, is the credential's.
pub(super) fn setting_role(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    const SECRET: &[&str] = &[
        "pass",
        "passwd",
        "password",
        "pwd",
        "secret",
        "token",
        "auth",
        "key",
        "credential",
        "credentials",
        "cert",
        "tls",
        "ca",
    ];
    if words
        .iter()
        .any(|w| SECRET.contains(w) || w.contains("password"))
    {
        return None;
    }
    let (&last, before) = words.split_last()?;
    Some(match last {
        "user" | "username" | "login" | "owner" => "user",
        w if w.ends_with("user") || w.ends_with("username") => "user",
        "db" | "database" | "dbname" => "database",
        "name" if matches!(before.last(), Some(&("db" | "database"))) => "database",
        "host" | "hostname" => "host",
        "port" => "port",
        "url" | "uri" | "dsn" => "url",
        _ => return None,
    })
}

/// The setting a variable holds by its name, of those a consumer may
/// repeat as a literal: its user, database or password (`POSTGRES_USER`,
/// `POSTGRES_DB`, `POSTGRES_PASSWORD`, `DB_PASSWORD`).
pub(super) fn origin_role(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    // `REDIS_PASSWORD_FILE`, `DB_PASSWORD_PATH`: where a file holds the
    // setting, not the setting (given the password, the program would
    // open a file named after it, and say the name in its error).
    if lower
        .rsplit(['_', '-', '.'])
        .next()
        .is_some_and(|w| matches!(w, "file" | "path" | "dir"))
    {
        return None;
    }
    if lower
        .split(['_', '-', '.'])
        .any(|w| matches!(w, "pass" | "passwd" | "pwd") || w.contains("password"))
    {
        return Some("password");
    }
    setting_role(name).filter(|r| matches!(*r, "user" | "database"))
}

/// Whether a variable's name says it configures a database client (or the
/// service's): `DB_USER`, `SPRING_DATASOURCE_USERNAME`, `PGDATABASE`,
/// `REDIS_USERNAME`; not `SMTP_USER`.
pub(super) fn names_a_database(name: &str, service: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let service = service.to_ascii_lowercase();
    lower
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .any(|w| {
            w == service
                || w.starts_with("pg")
                || w.starts_with("db")
                || [
                    "database",
                    "datasource",
                    "postgres",
                    "postgresql",
                    "sql",
                    "jdbc",
                    "mysql",
                    "mariadb",
                    "redis",
                    "valkey",
                ]
                .iter()
                .any(|d| w.starts_with(d))
                // A key-value store's clients often call it their cache.
                || (matches!(service.as_str(), "redis" | "valkey") && w.starts_with("cache"))
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::{
        merge_query, names_a_database, options_kept, origin_role, password_flags,
        rebind_password_options, redact, redact_urls, replace_option, setting_role, url_start,
    };

    #[test]
    fn a_password_flag_on_a_command_line_takes_the_reference() {
        let r = Some("$(REDIS_PASSWORD)");
        for (text, with_ref, without) in [
            (
                "redis-cli -h h -a vendorpw ping",
                "redis-cli -h h -a $(REDIS_PASSWORD) ping",
                "redis-cli -h h ping",
            ),
            (
                "serve --redis-password=vendorpw --x",
                "serve --redis-password=$(REDIS_PASSWORD) --x",
                "serve --x",
            ),
            ("tar -a x", "tar -a x", "tar -a x"),
            (
                "redis-cli -a $(REDIS_PASSWORD) ping",
                "redis-cli -a $(REDIS_PASSWORD) ping",
                "redis-cli -a $(REDIS_PASSWORD) ping",
            ),
        ] {
            assert_eq!(password_flags(text, r), with_ref, "{text}");
            assert_eq!(password_flags(text, None), without, "{text}");
        }
        assert_eq!(
            redact("redis-cli -a vendorpw ping"),
            "redis-cli -a **** ping"
        );
    }

    /// An alternative value (`${PW:+vendor}`, Compose v2) is the vendor's
    /// password when its variable is set: no reference. The user
    /// information's colon is the first outside interpolations.
    #[test]
    fn an_alternative_value_is_a_password_of_its_own() {
        use super::{credentials, is_reference};
        assert!(!is_reference("${PW:+vendor}"));
        assert!(!is_reference("${PW+vendor}"));
        assert!(!is_reference("${PW:-vendor}"));
        assert!(is_reference("${PW}"));
        assert!(is_reference("${PW:?set it}"));
        let provided = crate::bindings::Provided {
            name: "redis".into(),
            span: crate::source::Span::new(0, 0),
            inputs: Default::default(),
        };
        assert_eq!(
            credentials(
                ":${PW:+vendor}@",
                None,
                Some("${REDIS_PASSWORD}"),
                &provided
            ),
            ":${REDIS_PASSWORD}@"
        );
        assert_eq!(
            credentials(
                "${USER:-app}:vendor@",
                None,
                Some("${REDIS_PASSWORD}"),
                &provided
            ),
            "${USER:-app}:${REDIS_PASSWORD}@"
        );
        assert_eq!(
            redact_urls("redis://${USER:-app}:vendor@h:6379"),
            "redis://${USER:-app}:****@h:6379"
        );
    }

    /// Found by a review: `REDIS_PASSWORD_FILE` was given the password.
    #[test]
    fn a_variable_naming_a_file_holds_no_setting() {
        for (name, role) in [
            ("REDIS_PASSWORD", Some("password")),
            ("POSTGRES_USER", Some("user")),
            ("REDIS_PASSWORD_FILE", None),
            ("POSTGRES_PASSWORD_FILE", None),
            ("DB_PASSWORD_PATH", None),
            ("POSTGRES_USER_FILE", None),
        ] {
            assert_eq!(origin_role(name), role, "{name}");
        }
    }

    #[test]
    fn a_variable_repeating_the_origin_user_is_rewired_only_when_it_names_a_database() {
        for (name, yes) in [
            ("DB_USER", true),
            ("SPRING_DATASOURCE_USERNAME", true),
            ("PGUSER", true),
            ("POSTGRES_DB", true),
            ("ORDERS_DATABASE_NAME", true),
            ("POSTGRESQL_USER", true),
            ("SMTP_USER", false),
            ("USER", false),
            ("LDAP_USERNAME", false),
        ] {
            assert_eq!(names_a_database(name, "postgresql"), yes, "{name}");
        }
        // A Redis is its clients' cache; a PostgreSQL is not.
        assert!(names_a_database("CACHE_PASSWORD", "redis"));
        assert!(names_a_database("CACHE_PASSWORD", "valkey"));
        assert!(!names_a_database("CACHE_PASSWORD", "postgresql"));
    }

    #[test]
    fn a_secret_key_holds_a_setting_by_its_name_and_a_password_otherwise() {
        for (key, role) in [
            ("POSTGRES_USER", Some("user")),
            ("POSTGRESQL_USERNAME", Some("user")),
            ("username", Some("user")),
            ("dbuser", Some("user")),
            ("POSTGRES_DB", Some("database")),
            ("DB_NAME", Some("database")),
            ("dbname", Some("database")),
            ("redis-host", Some("host")),
            ("DB_PORT", Some("port")),
            ("DATABASE_URL", Some("url")),
            ("uri", Some("url")),
            // A password by any name, and what names nothing known, are
            // the credential.
            ("POSTGRES_PASSWORD", None),
            ("redis-password", None),
            ("DB_USER_PASSWORD", None),
            ("auth-token", None),
            ("AUTH", None),
            ("PGDATA", None),
            ("", None),
        ] {
            assert_eq!(setting_role(key), role, "{key}");
        }
    }

    #[test]
    fn connection_urls_start_at_their_scheme() {
        assert_eq!(url_start("x postgresql://${User}@"), Some(2));
        assert_eq!(url_start("rediss://"), Some(0));
        assert_eq!(url_start("redis://:${Password}@"), Some(0));
        assert_eq!(url_start("https://"), None);
        assert_eq!(url_start("jdbc:postgresql://"), None);
        assert_eq!(url_start("amqp://guest/x@"), None);
        assert_eq!(url_start("no url "), None);
        assert_eq!(url_start("DSN\u{a0}postgresql://"), Some(5));
        assert_eq!(url_start("→redis://"), Some(3));
        assert_eq!(
            options_kept(
                "?sslmode=prefer&pool_max_conns=20",
                "pg://h/db?sslmode=require"
            ),
            "&pool_max_conns=20"
        );
        assert_eq!(options_kept("?a=1", "redis://h:1/0"), "?a=1");
        assert_eq!(options_kept("", "redis://h:1/0"), "");
    }

    #[test]
    fn bound_url_options_are_laid_over_the_written_ones() {
        assert_eq!(
            merge_query(
                "?sslmode=disable&connect_timeout=10",
                "?sslmode=verify-full"
            ),
            "?sslmode=verify-full&connect_timeout=10"
        );
        assert_eq!(merge_query("", "?sslmode=require"), "?sslmode=require");
        assert_eq!(merge_query("?a=1#top", ""), "?a=1#top");
        assert_eq!(merge_query("?a=1", "?b=2#f"), "?a=1&b=2#f");
        assert_eq!(merge_query("", ""), "");
        assert_eq!(
            replace_option("?user=app&ssl=true", "user", "feeds"),
            "?user=feeds&ssl=true"
        );
        assert_eq!(replace_option("?ssl=true", "user", "feeds"), "?ssl=true");
        assert_eq!(replace_option("", "user", "feeds"), "");
    }

    #[test]
    fn password_options_are_bound_to_the_injected_variable_or_removed() {
        let bound = |t: &str| rebind_password_options(t, Some("$(REDIS_PASSWORD)"));
        let removed = |t: &str| rebind_password_options(t, None);
        assert_eq!(
            bound("h:6380,password=s3cret,ssl=False"),
            "h:6380,password=$(REDIS_PASSWORD),ssl=False"
        );
        assert_eq!(
            bound("Host=h;Port=5432;Pwd=x"),
            "Host=h;Port=5432;Pwd=$(REDIS_PASSWORD)"
        );
        assert_eq!(bound("h:1,password=$(MINE)"), "h:1,password=$(MINE)");
        assert_eq!(bound("h:1,password=${MINE}"), "h:1,password=${MINE}");
        let compose = |t: &str| rebind_password_options(t, Some("${REDIS_PASSWORD}"));
        assert_eq!(
            compose("h:6380,password=s3cret"),
            "h:6380,password=${REDIS_PASSWORD}"
        );
        assert_eq!(bound("h:1,passwords=x"), "h:1,passwords=x");
        assert_eq!(bound("h:1,mypassword=x"), "h:1,mypassword=x");
        assert_eq!(
            removed("h:6380,password=s3cret,ssl=False"),
            "h:6380,ssl=False"
        );
        assert_eq!(removed("password=s3cret,h:6380"), "h:6380");
        assert_eq!(
            removed("redis://h:1/0?password=x&db=1"),
            "redis://h:1/0?db=1"
        );
        assert_eq!(removed("Host=h;Password=x"), "Host=h");
        assert_eq!(removed("tls://h:6380?auth=x"), "tls://h:6380");
        assert_eq!(removed("tls://h:6380?auth=a&password=b"), "tls://h:6380");
        assert_eq!(
            removed("tls://h:6380?auth=a&password=b&x=1"),
            "tls://h:6380?x=1"
        );
        assert_eq!(
            removed("tls://h:6380?timeout=2&auth=x"),
            "tls://h:6380?timeout=2"
        );
        assert_eq!(removed("h:1"), "h:1");
    }

    #[test]
    fn passwords_are_masked_in_urls_and_options_unless_references() {
        assert_eq!(
            redact("redis://:s3cret@h:1/0 and h:1,password=s3cret,ssl=True"),
            "redis://:****@h:1/0 and h:1,password=****,ssl=True"
        );
        assert_eq!(redact("h:1,Password=$(P)"), "h:1,Password=$(P)");
    }

    #[test]
    fn url_passwords_are_masked_unless_references() {
        assert_eq!(redact_urls("redis://:s3cret@h:1/0"), "redis://:****@h:1/0");
        assert_eq!(
            redact_urls("x redis://u:p@h y rediss://:$(P)@h"),
            "x redis://u:****@h y rediss://:$(P)@h"
        );
        assert_eq!(redact_urls("redis://h:6379"), "redis://h:6379");
        assert_eq!(redact_urls("no url"), "no url");
    }
}
