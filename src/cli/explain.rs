//! `graft explain --resource ADDR STACK...`: what the rules do with one
//! resource, and why.

use super::apply::{certificate, resolve, stack_job};
use super::{
    ApplyArgs, CliError, ExplainArgs, OutputFormat, files, print_json, print_stderr, print_stdout,
};
use crate::api::{self, Explained};
use crate::engine::explain::{Explanation, PredicateTrace, RefTrace};
use crate::engine::plan::Location;
use std::fmt::Write;
use std::process::ExitCode;

/// Runs `graft explain`.
pub fn run(args: &ExplainArgs, color: bool) -> Result<ExitCode, CliError> {
    if args.format == OutputFormat::Sarif {
        return Err(CliError::new(
            "`graft explain` prints text or JSON",
            "give `--format text` or `--format json`; SARIF is for `check` and `plan` diagnostics",
        ));
    }
    let r = resolve(&ApplyArgs {
        stack: args.stack.clone(),
        rules: args.rules.clone(),
        bindings: args.bindings.clone(),
        out: None,
        format: args.format,
        quiet: true,
    })?;
    let loaded = files::load(&files::collect(std::slice::from_ref(&r.rules))?)?;
    let rules = (loaded.sources.iter())
        .map(|(_, f)| (f.name().to_string(), f.text().to_string()))
        .collect();
    let (job, base) = stack_job(&r.stack, &r.bindings, None, rules)?;
    match api::explain_with(&job, &|path: &str| certificate(&base, path), &args.resource) {
        Explained::Failed(done) => {
            let mut all = loaded.diagnostics.clone();
            all.extend(done.diagnostics.iter().cloned());
            crate::diagnostics::sort(&mut all);
            if args.format == OutputFormat::Json {
                // A program reads the diagnostics as `check` prints them.
                let report = super::render::json(&done.sources, &all);
                print_json(&serde_json::to_value(&report).unwrap_or_default());
            } else {
                print_stderr(&super::render::text(&done.sources, &all, color));
            }
            print_stderr("explain stopped: the rules, the bindings or the stack have errors\n");
            Ok(ExitCode::from(1))
        }
        Explained::Unknown(near) => Err(CliError::new(
            format!("no resource of the stack has the address `{}`", args.resource),
            match near {
                Some(n) => format!("did you mean `{n}`?"),
                None => "resources are named as the plan names them; `graft plan` lists those it changes".into(),
            },
        )),
        Explained::Found(mut e) => {
            // Stack places shown from here, not from the stack root.
            if let [root] = r.stack.as_slice()
                && root.is_dir()
            {
                let fix = |l: &mut Option<Location>| {
                    if let Some(l) = l {
                        l.file = root.join(l.file.as_str()).display().to_string().into();
                    }
                };
                fix(&mut e.at);
                e.changes.iter_mut().for_each(|c| fix(&mut c.at));
                e.problems.iter_mut().for_each(|p| fix(&mut p.at));
                e.referred_by.iter_mut().for_each(|x| fix(&mut x.at));
                e.refers_to.iter_mut().for_each(|x| fix(&mut x.at));
            }
            match args.format {
                OutputFormat::Json => {
                    print_json(&serde_json::to_value(&*e).unwrap_or_default());
                }
                _ => print_stdout(&text(&e)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn at(l: &Option<Location>) -> String {
    l.as_ref().map_or(String::new(), |l| format!("  ({l})"))
}

/// The explanation for people.
fn text(e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({} {}){}\n",
        e.address,
        e.format,
        e.kind,
        at(&e.at)
    );
    out.push_str("Matcher arms\n");
    // Arms for other stack formats or types: one line per matcher and
    // reason.
    let mut other: Vec<(&str, &str, &str, Vec<&str>)> = Vec::new();
    for a in &e.arms {
        let skipped = match a.outcome.strip_prefix("skipped: it is for ") {
            Some(format) => Some(("stacks", format.trim_end_matches(" stacks"))),
            None => a
                .outcome
                .strip_prefix("skipped: it selects ")
                .and_then(|t| t.split(", not ").next())
                .map(|types| ("types", types)),
        };
        if let Some((what, name)) = skipped {
            match other
                .iter_mut()
                .find(|(s, m, w, _)| *s == a.service && *m == a.matcher && *w == what)
            {
                Some((_, _, _, names)) if names.contains(&name) => {}
                Some((_, _, _, names)) => names.push(name),
                None => other.push((&a.service, &a.matcher, what, vec![name])),
            }
            continue;
        }
        let _ = writeln!(
            out,
            "  {} / {}{}: {}",
            a.service,
            a.matcher,
            at(&a.at),
            a.outcome
        );
        if let Some(p) = &a.predicate {
            predicate(&mut out, p, 4);
        }
    }
    for (service, matcher, what, names) in other {
        let _ = match what {
            "stacks" => writeln!(
                out,
                "  {service} / {matcher}: its arms for {} stacks do not apply",
                names.join(", ")
            ),
            _ => writeln!(
                out,
                "  {service} / {matcher}: its arms for {} do not apply to {}",
                names.join(", "),
                e.kind
            ),
        };
    }
    match &e.selected {
        Some(s) => {
            let _ = writeln!(
                out,
                "\nSelected as `{}` by the matcher `{}`{}",
                s.service,
                s.matcher,
                at(&s.at)
            );
        }
        None => out.push_str("\nNo provided service's matcher selects it.\n"),
    }
    if !e.consumers.is_empty() {
        let _ = writeln!(out, "Consumers the plan found: {}", e.consumers.join(", "));
    }
    if !e.consumer_of.is_empty() {
        let _ = writeln!(
            out,
            "A consumer of {}: it names a matched instance.",
            e.consumer_of
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !e.actions.is_empty() {
        out.push_str("\nActions\n");
        for a in &e.actions {
            let state = if a.fired { "fired  " } else { "skipped" };
            let _ = write!(out, "  {state} [{}] {}{}", a.service, a.action, at(&a.at));
            if let Some(why) = &a.skipped {
                let _ = write!(out, ": {why}");
            }
            out.push('\n');
        }
    }
    if !e.changes.is_empty() {
        out.push_str("\nWhat the plan does to it\n");
        for c in &e.changes {
            let _ = write!(out, "  {:?}", c.kind);
            if let Some(p) = &c.path {
                let _ = write!(out, " {p}");
            }
            match (&c.old, &c.new) {
                (Some(o), Some(n)) => {
                    let _ = write!(out, ": {o}  ->  {n}");
                }
                (None, Some(n)) => {
                    let _ = write!(out, " = {n}");
                }
                _ => {}
            }
            let _ = writeln!(out, "\n      {}{}", c.reason, at(&c.rule));
        }
    }
    if !e.problems.is_empty() {
        out.push_str("\nProblems\n");
        for p in &e.problems {
            let _ = writeln!(out, "  {:?}: {}", p.level, p.message);
        }
    }
    references(&mut out, "Referred to by", &e.referred_by);
    references(&mut out, "Refers to", &e.refers_to);
    out
}

fn predicate(out: &mut String, p: &PredicateTrace, indent: usize) {
    let pad = " ".repeat(indent);
    let saw = match &p.saw {
        Some(values) if values.is_empty() => "  saw nothing".to_string(),
        Some(values) => format!(
            "  saw {}",
            values
                .iter()
                .map(|v| format!("{v:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => String::new(),
    };
    let text = match p.combine {
        "and" => "all of",
        "or" => "any of",
        "not" => "not",
        _ => p.text.as_str(),
    };
    let _ = writeln!(
        out,
        "{pad}{} {text}{saw}",
        if p.holds { "yes" } else { "no " }
    );
    for part in &p.parts {
        predicate(out, part, indent + 2);
    }
}

fn references(out: &mut String, heading: &str, refs: &[RefTrace]) {
    if refs.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{heading}");
    for r in refs {
        let _ = writeln!(
            out,
            "  {}: {} at {}{}",
            r.resource,
            r.how,
            r.path,
            at(&r.at)
        );
    }
}
