//! Writing the edits: each file's drops, consumer edits and rewritten
//! scalars as splices of its text, every file at once; new objects appended.

use super::consumers::FilePlan;
use super::{ContainerEdit, Rewrite, WorkloadEdit};
use crate::engine::OutputFile;
use crate::engine::plan::{self, Plan, Problem};
use crate::source::Span;
use crate::stack::edit::{self, Splices, json_string};
use crate::stack::kubernetes::{containers, pod_template};
use crate::stack::yaml::{Node, Style};
use crate::stack::{FileView, ResourceId, Stack};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What the conclusion adds to one file's own plan when the file is
/// written: the resources dropped from it, edits worked out over the whole
/// stack (a ServiceAccount's IRSA annotation), new objects appended.
#[derive(Clone, Debug, Default)]
pub(in crate::engine) struct Extras {
    dropped: Vec<ResourceId>,
    more: Vec<(ResourceId, WorkloadEdit)>,
    appended: Option<String>,
}

/// Writes every file: each one's own plan (`plans`, in file order) with
/// what the conclusion adds (the `dropped` resources, the edits in `more`
/// worked out over the whole stack, the `created` objects, each with the
/// file to put it in: `None` for the first dropped resource's), on every
/// core. Gives the output and each file's [`Extras`].
pub(super) fn write(
    stack: &Stack,
    dropped: &BTreeMap<ResourceId, String>,
    plans: &[Arc<FilePlan>],
    more: &BTreeMap<ResourceId, WorkloadEdit>,
    created: Vec<(Option<usize>, Json)>,
    plan: &mut Plan,
) -> (Vec<OutputFile>, Vec<Extras>) {
    let mut extras: Vec<Extras> = stack.files.iter().map(|_| Extras::default()).collect();
    for &id in dropped.keys() {
        extras[stack.resource(id).file].dropped.push(id);
    }
    for (&id, e) in more {
        if !dropped.contains_key(&id) {
            extras[stack.resource(id).file].more.push((id, e.clone()));
        }
    }
    // New objects go at the end of the file they replace something in, or
    // of the first dropped resource's file; never into a JSON file, which
    // holds one document: those go to a file of their own.
    let is_json = |fi: usize| {
        stack
            .files
            .get(fi)
            .is_some_and(|f| f.text.trim_start().starts_with(['{', '[']))
    };
    let home = dropped.keys().next().map_or(0, |&d| stack.resource(d).file);
    let mut own_file = String::new();
    for (file, obj) in &created {
        let fi = file.unwrap_or(home);
        let doc = if is_json(fi) || stack.files.is_empty() {
            &mut own_file
        } else {
            extras[fi].appended.get_or_insert_with(String::new)
        };
        if !doc.is_empty() || !is_json(fi) {
            doc.push_str("---\n");
        }
        doc.push_str(&edit::document(obj));
    }
    let written: Vec<Result<(Option<String>, bool), edit::Overlap>> = {
        use rayon::prelude::*;
        (0..stack.files.len())
            .into_par_iter()
            .map(|fi| write_file(stack.view(fi), &plans[fi], &extras[fi]))
            .collect()
    };
    let mut out = Vec::new();
    for (file, written) in stack.files.iter().zip(written) {
        let (text, changed) = match written {
            Ok(t) => t,
            Err(overlap) => {
                plan.problems.push(
                    Problem::error(
                        "",
                        format!(
                            "internal error: two edits overlap at byte {} of {}",
                            overlap.offset, file.path
                        ),
                    )
                    .help("please report this with the stack and rules"),
                );
                (Some(file.text.clone()), false)
            }
        };
        plan.files.push(plan::FileSummary {
            path: file.path.clone(),
            status: status(&text, changed),
        });
        out.push(OutputFile {
            path: file.path.clone(),
            text,
            changed,
        });
    }
    if !own_file.is_empty() {
        let path = created_file_name(stack);
        plan.files.push(plan::FileSummary {
            path: path.clone(),
            status: "created",
        });
        out.push(OutputFile {
            path,
            text: Some(own_file),
            changed: true,
        });
    }
    (out, extras)
}

/// What happens to a file written as `text` (`None`: removed).
pub(super) fn status(text: &Option<String>, changed: bool) -> &'static str {
    match text {
        None => "removed",
        Some(_) if changed => "changed",
        Some(_) => "unchanged",
    }
}

/// Writes one file (`view`): its own plan's edits, with what the
/// conclusion adds; with whether it changed. `None` when every resource in
/// it was dropped and nothing was appended: the file goes.
pub(super) fn write_file(
    view: FileView<'_>,
    plan: &FilePlan,
    extras: &Extras,
) -> Result<(Option<String>, bool), edit::Overlap> {
    let text = &view.file.text;
    let mut s = Splices::new();
    let mut covered: Vec<Span> = Vec::new();
    // Dropped resources: whole documents, or items of a List.
    let mut items: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &id in &extras.dropped {
        let Some(r) = view.get(id) else { continue };
        match r.item {
            None => {
                let range = view.file.docs[r.doc].range;
                s.delete(range.start, range.end);
                covered.push(range);
            }
            Some(i) => {
                items.entry(r.doc).or_default().push(i);
                covered.push(r.span);
            }
        }
    }
    for (doc, items) in items {
        if let Some(list) = view.file.docs[doc].root.get("items") {
            edit::remove_items(&mut s, text, list, &items);
        }
    }
    // Consumer edits, then scalars rewritten in place.
    let gone = |id: &ResourceId| extras.dropped.contains(id);
    let edits = plan
        .edits
        .iter()
        .filter(|(id, _)| !gone(id))
        .chain(extras.more.iter().map(|(id, e)| (id, e)))
        .filter_map(|(&id, e)| {
            let r = view.get(id)?;
            Some((r.kind.as_str(), view.node(r), e))
        });
    edit_file(text, &mut s, &mut covered, edits, &plan.rewrites);
    let mut out = s.apply(text)?;
    let mut changed = out != *text;
    let emptied = !view.resources.is_empty() && extras.dropped.len() == view.resources.len();
    if let Some(more) = &extras.appended {
        changed = true;
        if emptied {
            out = more.clone();
        } else {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(more);
        }
    } else if emptied {
        return Ok((None, true));
    }
    Ok((Some(out), changed))
}

/// One file's consumer edits (each workload's kind, root node and edit),
/// then its scalars rewritten in place (unless their env item was replaced
/// whole), as splices of its `text`; `covered` holds the spans already
/// replaced whole (dropped documents) and gets those the edits replace.
pub(super) fn edit_file<'e>(
    text: &str,
    s: &mut Splices,
    covered: &mut Vec<Span>,
    edits: impl Iterator<Item = (&'e str, &'e Node, &'e WorkloadEdit)>,
    rewrites: &[Rewrite],
) {
    // Values as they will read once rewritten, by span: an env entry that
    // now expands `$(NAME)` needs `NAME` before it.
    let rewritten: HashMap<(usize, usize), &str> = rewrites
        .iter()
        .map(|rw| ((rw.span.start, rw.span.end), rw.text.as_str()))
        .collect();
    for (kind, node, e) in edits {
        workload_edit(s, covered, text, &rewritten, kind, node, e);
    }
    for rw in rewrites {
        if !covered
            .iter()
            .any(|c| c.start <= rw.span.start && rw.span.end <= c.end)
        {
            rewrite(s, text, rw);
        }
    }
}

/// One consumer's edits: its containers, volumes and annotations.
fn workload_edit(
    s: &mut Splices,
    covered: &mut Vec<Span>,
    text: &str,
    rewritten: &HashMap<(usize, usize), &str>,
    kind: &str,
    node: &Node,
    e: &WorkloadEdit,
) {
    if let Some((template, _)) = pod_template(kind, node)
        && let Some(spec) = template.get("spec")
    {
        let cs = containers(spec);
        for (&ci, ce) in &e.containers {
            let Some(c) = cs.get(ci) else { continue };
            container_edit(s, covered, text, rewritten, c.node, ce);
        }
        if !e.volumes.is_empty() {
            let mut vols: Vec<Json> = Vec::new();
            for v in &e.volumes {
                let exists = spec
                    .items_at(&["volumes"])
                    .iter()
                    .any(|n| n.str_at("name") == v.get("name").and_then(Json::as_str));
                if !exists && !vols.contains(v) {
                    vols.push(v.clone());
                }
            }
            match spec.get("volumes").filter(|v| v.is_seq()) {
                Some(list) => edit::push_items(s, text, list, &vols),
                None if !vols.is_empty() => {
                    edit::set_entry(s, text, spec, "volumes", &Json::Array(vols))
                }
                None => {}
            }
        }
    }
    if !e.annotations.is_empty() {
        annotate(s, text, node, "annotations", &e.annotations);
    }
    if !e.pod_labels.is_empty()
        && let Some((template, _)) = pod_template(kind, node)
    {
        annotate(s, text, template, "labels", &e.pod_labels);
    }
}

/// A scalar rewritten in place, in the style it was written in.
pub(in crate::engine) fn rewrite(s: &mut Splices, text: &str, rw: &Rewrite) {
    let json_file = text.trim_start().starts_with(['{', '[']);
    let new = match rw.style {
        _ if json_file => json_string(&rw.text),
        Style::Block => edit::literal_block(text, rw.span.start, &rw.text)
            .unwrap_or_else(|| json_string(&rw.text)),
        // Single quotes stay single where the text needs no escape.
        Style::Quoted
            if text[rw.span.start..].starts_with('\'')
                && !rw.text.chars().any(|c| c.is_control()) =>
        {
            format!("'{}'", rw.text.replace('\'', "''"))
        }
        Style::Quoted | Style::Expr => json_string(&rw.text),
        Style::Plain => edit::scalar_str(&rw.text),
    };
    s.replace(rw.span.start, rw.span.end, new);
}

/// A name for the file of new objects that no input file can hold.
fn created_file_name(stack: &Stack) -> String {
    let mut name = "graft-created.yaml".to_string();
    let mut n = 1;
    while stack.files.iter().any(|f| f.path == name) {
        n += 1;
        name = format!("graft-created-{n}.yaml");
    }
    name
}

fn container_edit(
    s: &mut Splices,
    covered: &mut Vec<Span>,
    text: &str,
    rewritten: &HashMap<(usize, usize), &str>,
    container: &Node,
    ce: &ContainerEdit,
) {
    let env = container.get("env").filter(|e| e.is_seq());
    let items = env.map(Node::items).unwrap_or_default();
    let mut replace: BTreeMap<usize, &Json> = ce.replace.iter().map(|(&i, e)| (i, e)).collect();
    let mut remove = ce.remove.clone();
    let mut adds: Vec<(&str, &Json)> = Vec::new();
    for (name, entry) in &ce.add {
        match items.iter().position(|i| i.str_at("name") == Some(name)) {
            Some(idx) => {
                remove.remove(&idx);
                replace.insert(idx, entry);
            }
            None => {
                if !adds.iter().any(|(n, _)| n == name) {
                    adds.push((name, entry));
                }
            }
        }
    }
    if let Some(env) = env {
        let all_removed = !remove.is_empty() && remove.len() == items.len();
        if all_removed && adds.is_empty() {
            s.replace(env.span().start, env.span().end, "[]");
            items.iter().for_each(|i| covered.push(i.span()));
        } else if all_removed {
            // The first new entry takes the first item's place.
            let (_, first_add) = adds.remove(0);
            edit::replace_item(s, text, env, &items[0], first_add);
            for idx in 1..items.len() {
                s.delete(items[idx - 1].span().end, items[idx].span().end);
            }
            items.iter().for_each(|i| covered.push(i.span()));
            let rest: Vec<&Json> = adds.iter().map(|&(_, e)| e).collect();
            edit::push_items(s, text, env, &rest);
            adds.clear();
        } else {
            for (&idx, entry) in &replace {
                if let Some(item) = items.get(idx) {
                    edit::replace_item(s, text, env, item, entry);
                    covered.push(item.span());
                }
            }
            for &idx in &remove {
                if let Some(item) = items.get(idx) {
                    covered.push(item.span());
                }
            }
            let gone: Vec<usize> = remove.iter().copied().collect();
            edit::remove_items(s, text, env, &gone);
        }
        let mut at_end: Vec<&Json> = Vec::new();
        for &(name, entry) in &adds {
            let expands = format!("$({name})");
            // An item replaced whole reads as its replacement.
            let before = items.iter().enumerate().find(|(i, n)| {
                !remove.contains(i)
                    && match replace.get(i) {
                        Some(entry) => entry.get("value").and_then(Json::as_str),
                        None => n.get("value").and_then(|v| {
                            rewritten
                                .get(&(v.span().start, v.span().end))
                                .copied()
                                .or_else(|| v.as_str())
                        }),
                    }
                    .is_some_and(|v| v.contains(&expands))
            });
            match before {
                Some((_, item)) => edit::insert_item_before(s, text, env, item, entry),
                None => at_end.push(entry),
            }
        }
        edit::push_items(s, text, env, &at_end);
    } else if !adds.is_empty() {
        let list: Vec<Json> = adds.into_iter().map(|(_, e)| e.clone()).collect();
        edit::set_entry(s, text, container, "env", &Json::Array(list));
    }
    if !ce.mounts.is_empty() {
        let existing = container.get("volumeMounts").filter(|m| m.is_seq());
        let mut mounts: Vec<&Json> = Vec::new();
        for m in &ce.mounts {
            let path = m.get("mountPath").and_then(Json::as_str);
            let exists = existing
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .any(|n| n.str_at("mountPath") == path);
            if !exists && !mounts.contains(&m) {
                mounts.push(m);
            }
        }
        match existing {
            Some(list) => edit::push_items(s, text, list, &mounts),
            None if !mounts.is_empty() => {
                let mounts = mounts.into_iter().cloned().collect();
                edit::set_entry(s, text, container, "volumeMounts", &Json::Array(mounts))
            }
            None => {}
        }
    }
}

/// Sets entries of the object's `metadata.KEY` map (`annotations`,
/// `labels`), making the map where there is none.
fn annotate(s: &mut Splices, text: &str, node: &Node, key: &str, annotations: &[(String, String)]) {
    let Some(meta) = node.get("metadata").filter(|m| m.is_map()) else {
        return;
    };
    let existing = meta.get(key).filter(|a| a.is_map());
    let mut new: Vec<(String, String)> = Vec::new();
    for (k, v) in annotations {
        if new.iter().any(|(nk, _)| nk == k) {
            continue;
        }
        match existing.and_then(|a| a.entry(k)) {
            Some((key, old)) => {
                if old.as_str() != Some(v.as_str())
                    && let Some(a) = existing
                {
                    edit::replace_value(s, text, a, key, old, &json!(v));
                }
            }
            None => new.push((k.clone(), v.clone())),
        }
    }
    if new.is_empty() {
        return;
    }
    match existing {
        Some(a) => {
            let entries: Vec<(String, Json)> =
                new.into_iter().map(|(k, v)| (k, Json::String(v))).collect();
            edit::insert_entries(s, text, a, &entries);
        }
        None => {
            let map: serde_json::Map<String, Json> =
                new.into_iter().map(|(k, v)| (k, Json::String(v))).collect();
            edit::set_entry(s, text, meta, key, &Json::Object(map));
        }
    }
}
