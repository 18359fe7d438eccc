//! Hover for what the language and the catalogue define, rather than the
//! rules folder: stack formats, resource types and their attributes in a
//! matcher's arms, endpoint roles, and the actions of a rule.

use crate::catalogue::{ActionKind, AttrLookup, Format, ResourceType};
use crate::source::Span;
use crate::syntax::ast::{ActionBody, Arm, Item, Module, Operand, Target};

/// What the word at `offset` of `module` is, explained in Markdown, with
/// the span it covers.
pub fn at(module: &Module, offset: usize) -> Option<(Span, String)> {
    let hit = |s: Span| s.start <= offset && offset <= s.end;
    for item in module.items.iter().filter(|i| hit(i.span())) {
        match item {
            Item::Matcher(m) => {
                for arm in m.arms.iter().filter(|a| hit(a.span)) {
                    if let Some(found) = in_arm(arm, offset) {
                        return Some(found);
                    }
                }
            }
            Item::Rule(r) => {
                for action in r.actions.iter().filter(|a| hit(a.span)) {
                    let keyword = action.body.keyword();
                    let span = Span::new(action.span.start, action.span.start + keyword.len());
                    if hit(span) {
                        return Some((span, action_doc(&action.body)));
                    }
                    if let ActionBody::Bind { role, .. } = &action.body
                        && hit(role.span)
                    {
                        return Some((role.span, role_doc(&role.text)));
                    }
                }
            }
            Item::Service(_) => {}
        }
    }
    None
}

/// The format, a type, an attribute or a role of an arm.
fn in_arm(arm: &Arm, offset: usize) -> Option<(Span, String)> {
    let hit = |s: Span| s.start <= offset && offset <= s.end;
    let format = Format::from_keyword(&arm.format.text)?;
    if hit(arm.format.span) {
        return Some((arm.format.span, format_doc(format)));
    }
    let types: Vec<&'static ResourceType> = arm
        .types
        .iter()
        .filter_map(|t| format.resource_type(&t.name.text))
        .collect();
    for t in &arm.types {
        if hit(t.name.span)
            && let Some(ty) = format.resource_type(&t.name.text)
        {
            return Some((t.name.span, type_doc(ty)));
        }
    }
    let mut paths = Vec::new();
    if let Some(p) = &arm.predicate {
        super::symbol::expr_paths(p, &mut paths);
    }
    for role in arm.roles.iter().flatten() {
        if hit(role.name.span) {
            return Some((role.name.span, role_doc(&role.name.text)));
        }
        for v in &role.values {
            if let Operand::Path(p) = v {
                paths.push(p);
            }
        }
    }
    let path = paths.into_iter().find(|p| hit(p.span))?;
    Some((path.span, attribute_doc(&types, &path.dotted())))
}

fn format_doc(format: Format) -> String {
    let kind = match format {
        Format::Terraform => "Terraform configurations (HCL `.tf` and `.tf.json`)",
        Format::CloudFormation => "CloudFormation templates (JSON and YAML)",
        Format::Kubernetes => "Kubernetes manifests (YAML and JSON)",
        Format::Compose => "Docker Compose files",
    };
    format!(
        "```graft\n{}\n```\n\nstack format: {kind}; {} resource types in the catalogue",
        format.keyword(),
        format.types().len()
    )
}

fn type_doc(ty: &ResourceType) -> String {
    let attributes: Vec<String> = ty
        .attributes()
        .take(12)
        .map(|a| format!("`{}`", a.path))
        .collect();
    let more = ty.attributes().count().saturating_sub(attributes.len());
    let mut text = format!(
        "```graft\n{} {}\n```\n\n{}",
        ty.format.keyword(),
        ty.name,
        ty.doc
    );
    if !attributes.is_empty() {
        text.push_str("\n\nattributes: ");
        text.push_str(&attributes.join(", "));
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
    }
    text
}

fn attribute_doc(types: &[&'static ResourceType], path: &str) -> String {
    for ty in types {
        if let Some(a) = ty.attributes().find(|a| a.path == path) {
            let computed = if a.computed {
                " (computed: not written in the resource itself)"
            } else {
                ""
            };
            return format!(
                "```graft\n{path}: {}\n```\n\nan attribute of `{}`{computed}\n\n{}",
                a.ty.describe(),
                ty.name,
                a.doc
            );
        }
        if matches!(ty.attribute(path), AttrLookup::InMap) {
            return format!(
                "```graft\n{path}\n```\n\na key of a map attribute of `{}`",
                ty.name
            );
        }
    }
    let derived = crate::stack::kubernetes::is_derived(path);
    if derived {
        return format!(
            "```graft\n{path}\n```\n\nworked out from the stack: what the Service in front of the workload answers to"
        );
    }
    format!("```graft\n{path}\n```\n\nnot an attribute of the arm's types in the catalogue")
}

fn role_doc(role: &str) -> String {
    format!(
        "```graft\n{role}\n```\n\nendpoint role: a value consumers use to reach the matched resource. A matcher's arm says where each resource exposes it; a rule's `bind {role} = ...` rewrites every consumer's use of it to the customer's value"
    )
}

fn action_doc(body: &ActionBody) -> String {
    let (syntax, what, kind) = match body {
        ActionBody::Drop { .. } => (
            "drop",
            "Removes the matched resources, and everything that exists only for them: the Services in front of them, their volume claims, the ConfigMaps and Secrets nothing else reads, their backups.",
            ActionKind::Drop,
        ),
        ActionBody::Alias { .. } => (
            "alias",
            "Keeps the names consumers may use for the dropped resources alive, pointing at the customer's host (on Kubernetes, an `ExternalName` Service): for consumers that name them only inside their image.",
            ActionKind::Alias,
        ),
        ActionBody::Bind { .. } => (
            "bind ROLE = VALUE",
            "Rewrites every use consumers make of an endpoint role (`host`, `port`, `endpoint`, `url`, ...) to the customer's value, in the style each use is written in.",
            ActionKind::Bind,
        ),
        ActionBody::Inject { target, .. } => (
            "inject VALUE as env NAME | inject VALUE at \"PATH\"",
            "Gives every consumer the customer's secret (or IAM role) as a reference: a `secretKeyRef` or the format's equivalent, never the value.",
            match target {
                Target::Env(_) => ActionKind::InjectEnv,
                Target::File(_) => ActionKind::InjectFile,
            },
        ),
        ActionBody::Set { .. } => (
            "set env NAME = VALUE",
            "Sets an environment variable on every consumer.",
            ActionKind::SetEnv,
        ),
        ActionBody::Mount { target, .. } => (
            "mount VALUE as env NAME | mount VALUE at \"PATH\"",
            "Mounts the customer's certificate or file into every consumer, and points the variable at it.",
            match target {
                Target::Env(_) => ActionKind::MountEnv,
                Target::File(_) => ActionKind::MountFile,
            },
        ),
        ActionBody::Annotate { .. } => (
            "annotate \"KEY\" = VALUE",
            "Annotates every consumer: for example, so that it restarts when the customer rotates the secret.",
            ActionKind::Annotate,
        ),
    };
    let formats: Vec<String> = Format::ALL
        .into_iter()
        .filter(|f| f.supports(kind))
        .map(|f| format!("`{}`", f.keyword()))
        .collect();
    format!(
        "```graft\n{syntax}\n```\n\n{what}\n\nin stacks: {}",
        formats.join(", ")
    )
}
