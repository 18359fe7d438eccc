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
use crate::stack::{ResourceId, Stack};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Writes every edit as splices, file by file: `plans` are the files' own
/// (in file order), `more` the edits worked out over the whole stack (a
/// ServiceAccount's IRSA annotation).
pub(super) fn write(
    stack: &Stack,
    dropped: &BTreeMap<ResourceId, String>,
    plans: &[Arc<FilePlan>],
    more: &BTreeMap<ResourceId, WorkloadEdit>,
    created: Vec<(Option<usize>, Json)>,
    plan: &mut Plan,
) -> Vec<OutputFile> {
    let mut splices: Vec<Splices> = stack.files.iter().map(|_| Splices::new()).collect();
    let mut covered: Vec<Vec<Span>> = stack.files.iter().map(|_| Vec::new()).collect();
    // Dropped resources: whole documents, or items of a List.
    let mut remaining: Vec<usize> = vec![0; stack.files.len()];
    for r in &stack.resources {
        remaining[r.file] += 1;
    }
    let totals = remaining.clone();
    let mut dropped_items: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for &id in dropped.keys() {
        let r = stack.resource(id);
        remaining[r.file] -= 1;
        match r.item {
            None => {
                let range = stack.files[r.file].docs[r.doc].range;
                splices[r.file].delete(range.start, range.end);
                covered[r.file].push(range);
            }
            Some(i) => dropped_items.entry((r.file, r.doc)).or_default().push(i),
        }
    }
    for ((file, doc), items) in dropped_items {
        let text = &stack.files[file].text;
        let root = &stack.files[file].docs[doc].root;
        let Some(list) = root.get("items") else {
            continue;
        };
        edit::remove_items(&mut splices[file], text, list, &items);
        for i in list.items() {
            if dropped
                .keys()
                .any(|&d| stack.resource(d).file == file && stack.resource(d).span == i.span)
            {
                covered[file].push(i.span);
            }
        }
    }
    // Consumer edits, then scalars rewritten in place (unless their env
    // item was replaced whole): each file's on one core, every file at once.
    type FileWork<'e> = (Vec<(ResourceId, &'e WorkloadEdit)>, &'e [Rewrite]);
    let mut per_file: Vec<FileWork<'_>> = plans
        .iter()
        .map(|p| {
            let edits = p.edits.iter().filter(|(id, _)| !dropped.contains_key(id));
            (
                edits.map(|(&id, e)| (id, e)).collect(),
                p.rewrites.as_slice(),
            )
        })
        .collect();
    for (&id, e) in more {
        if !dropped.contains_key(&id) {
            per_file[stack.resource(id).file].0.push((id, e));
        }
    }
    {
        use rayon::prelude::*;
        splices
            .par_iter_mut()
            .zip(covered.par_iter_mut())
            .zip(per_file)
            .enumerate()
            .for_each(|(fi, ((s, covered), (edits, rewrites)))| {
                let text = &stack.files[fi].text;
                // Values as they will read once rewritten, by span: an env
                // entry that now expands `$(NAME)` needs `NAME` before it.
                let rewritten: HashMap<(usize, usize), &str> = rewrites
                    .iter()
                    .map(|rw| ((rw.span.start, rw.span.end), rw.text.as_str()))
                    .collect();
                for (id, e) in edits {
                    workload_edit(stack, s, covered, text, &rewritten, id, e);
                }
                for rw in rewrites {
                    if !covered
                        .iter()
                        .any(|c| c.start <= rw.span.start && rw.span.end <= c.end)
                    {
                        rewrite(s, text, rw);
                    }
                }
            });
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
    let mut extra: BTreeMap<usize, String> = BTreeMap::new();
    let mut own_file = String::new();
    for (file, obj) in &created {
        let fi = file.unwrap_or(home);
        let doc = if is_json(fi) || stack.files.is_empty() {
            &mut own_file
        } else {
            extra.entry(fi).or_default()
        };
        if !doc.is_empty() || !is_json(fi) {
            doc.push_str("---\n");
        }
        doc.push_str(&edit::document(obj));
    }
    // Each file's edits are applied (and the result compared with what it
    // was) on every core; the rest is in order.
    let applied: Vec<Result<(String, bool), edit::Overlap>> = {
        use rayon::prelude::*;
        stack
            .files
            .par_iter()
            .zip(splices)
            .map(|(file, s)| {
                let text = s.apply(&file.text)?;
                let changed = text != file.text;
                Ok((text, changed))
            })
            .collect()
    };
    let mut out = Vec::new();
    for (fi, (file, applied)) in stack.files.iter().zip(applied).enumerate() {
        let (mut text, mut changed) = match applied {
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
                (file.text.clone(), false)
            }
        };
        let emptied = totals[fi] > 0 && remaining[fi] == 0;
        if let Some(more) = extra.get(&fi) {
            changed = true;
            if emptied {
                text = more.clone();
            } else {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(more);
            }
        }
        let removed = emptied && !extra.contains_key(&fi);
        let changed = removed || changed;
        plan.files.push(plan::FileSummary {
            path: file.path.clone(),
            status: if removed {
                "removed"
            } else if changed {
                "changed"
            } else {
                "unchanged"
            },
        });
        out.push(OutputFile {
            path: file.path.clone(),
            text: if removed { None } else { Some(text) },
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
    out
}

/// One consumer's edits: its containers, volumes and annotations.
fn workload_edit(
    stack: &Stack,
    s: &mut Splices,
    covered: &mut Vec<Span>,
    text: &str,
    rewritten: &HashMap<(usize, usize), &str>,
    id: ResourceId,
    e: &WorkloadEdit,
) {
    let r = stack.resource(id);
    let node = stack.node(id);
    if let Some((template, _)) = pod_template(&r.kind, node)
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
        && let Some((template, _)) = pod_template(&r.kind, node)
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
            s.replace(env.span.start, env.span.end, "[]");
            items.iter().for_each(|i| covered.push(i.span));
        } else if all_removed {
            // The first new entry takes the first item's place.
            let (_, first_add) = adds.remove(0);
            edit::replace_item(s, text, env, &items[0], first_add);
            for idx in 1..items.len() {
                s.delete(items[idx - 1].span.end, items[idx].span.end);
            }
            items.iter().for_each(|i| covered.push(i.span));
            let rest: Vec<&Json> = adds.iter().map(|&(_, e)| e).collect();
            edit::push_items(s, text, env, &rest);
            adds.clear();
        } else {
            for (&idx, entry) in &replace {
                if let Some(item) = items.get(idx) {
                    edit::replace_item(s, text, env, item, entry);
                    covered.push(item.span);
                }
            }
            for &idx in &remove {
                if let Some(item) = items.get(idx) {
                    covered.push(item.span);
                }
            }
            let gone: Vec<usize> = remove.iter().copied().collect();
            edit::remove_items(s, text, env, &gone);
        }
        let mut at_end: Vec<&Json> = Vec::new();
        for &(name, entry) in &adds {
            let expands = format!("$({name})");
            let before = items.iter().enumerate().find(|(i, n)| {
                !remove.contains(i)
                    && n.get("value")
                        .and_then(|v| {
                            rewritten
                                .get(&(v.span.start, v.span.end))
                                .copied()
                                .or_else(|| v.as_str())
                        })
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
