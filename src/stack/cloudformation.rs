//! CloudFormation templates (JSON and YAML): the intrinsic functions that
//! make references between a template's resources, parameters and
//! conditions, found with their form and place so that a rewrite can keep
//! the form they came in (`!Ref X` or `{"Ref": "X"}`).
//!
//! This is the first part of the CloudFormation adapter (issue 6): the
//! reference walk. Reading templates into resources and the engine build on
//! it.

use super::yaml::{Document, Node};
use crate::source::Span;
use smol_str::SmolStr;

/// How an intrinsic function is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// The full form, a one-key mapping: `{"Ref": "X"}`, `Fn::GetAtt: [X, A]`.
    Long,
    /// YAML's short form, a tag: `!Ref X`, `!GetAtt X.A`.
    Short,
}

/// What an intrinsic names its target for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `Ref`: a resource's id or a parameter's value.
    Ref,
    /// `Fn::GetAtt`: an attribute of a resource.
    GetAtt,
    /// A `${X}` or `${X.Attr}` inside an `Fn::Sub` string.
    Sub,
    /// A condition named by `Fn::If`, `Condition` (the function) or a
    /// resource's `Condition`.
    Condition,
}

/// One reference an intrinsic function makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intrinsic {
    /// What for.
    pub kind: Kind,
    /// The logical id, parameter or condition named.
    pub target: SmolStr,
    /// The attribute read (`RedisEndpoint.Address`), for `GetAtt` and `Sub`.
    pub attribute: Option<SmolStr>,
    /// The whole intrinsic: the mapping of the long form, the tagged node
    /// of the short form (its tag is before it: [`Document::tag_of`]).
    pub node: Span,
    /// For `Sub`, the `${...}` in the file.
    pub interpolation: Option<Span>,
    /// How it is written.
    pub form: Form,
}

/// The long name of a short-form tag (`!GetAtt` is `Fn::GetAtt`).
fn long_name(tag: &str) -> Option<String> {
    let name = tag.strip_prefix('!')?;
    Some(match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    })
}

/// Every reference made inside `node`, one of `doc`'s, in document order.
/// Pseudo parameters (`AWS::Region`) name nothing in the template and are
/// left out.
pub fn intrinsics(doc: &Document, text: &str, node: &Node, out: &mut Vec<Intrinsic>) {
    let (name, arg, form) = match (doc.tag_of(node), node.entries()) {
        (Some(t), _) => match long_name(&t.tag) {
            Some(n) => (Some(n), node, Form::Short),
            None => (None, node, Form::Short),
        },
        (None, [(k, v)]) => match k.as_str() {
            Some(k) if k == "Ref" || k == "Condition" || k.starts_with("Fn::") => {
                (Some(k.to_string()), v, Form::Long)
            }
            _ => (None, node, Form::Long),
        },
        _ => (None, node, Form::Long),
    };
    let mut push = |kind, target: &str, attribute: Option<&str>, interpolation| {
        if !target.starts_with("AWS::") && !target.is_empty() {
            out.push(Intrinsic {
                kind,
                target: target.into(),
                attribute: attribute.map(SmolStr::new),
                node: node.span,
                interpolation,
                form,
            });
        }
    };
    match name.as_deref() {
        Some("Ref") => {
            if let Some(t) = arg.as_str() {
                push(Kind::Ref, t, None, None);
            }
            return;
        }
        Some("Condition") => {
            if let Some(t) = arg.as_str() {
                push(Kind::Condition, t, None, None);
            }
            return;
        }
        Some("Fn::GetAtt") => {
            let (target, attribute) = match (arg.as_str(), arg.items()) {
                (Some(dotted), _) => match dotted.split_once('.') {
                    Some((t, a)) => (Some(t), Some(a)),
                    None => (Some(dotted), None),
                },
                (None, [t, a, ..]) => (t.as_str(), a.as_str()),
                _ => (None, None),
            };
            if let Some(t) = target {
                push(Kind::GetAtt, t, attribute, None);
            }
            // A computed attribute name (`!GetAtt [X, !Ref Attr]`) refers too.
            for item in arg.items().iter().skip(1) {
                intrinsics(doc, text, item, out);
            }
            return;
        }
        Some("Fn::Sub") => {
            let (string, vars) = match arg.items() {
                [s, v, ..] => (s, Some(v)),
                [s] => (s, None),
                _ => (arg, None),
            };
            let shadowed = |name: &str| vars.is_some_and(|v| v.get(name).is_some());
            if string.as_str().is_some() {
                let raw = text.get(string.span.start..string.span.end).unwrap_or("");
                for (start, inner) in placeholders(raw) {
                    let (target, attribute) = match inner.split_once('.') {
                        Some((t, a)) => (t, Some(a)),
                        None => (inner, None),
                    };
                    if shadowed(target) {
                        continue;
                    }
                    let at = string.span.start + start;
                    let placeholder = Span::new(at, at + inner.len() + 3);
                    push(Kind::Sub, target, attribute, Some(placeholder));
                }
            }
            if let Some(v) = vars {
                for (_, value) in v.entries() {
                    intrinsics(doc, text, value, out);
                }
            }
            return;
        }
        Some("Fn::If") => {
            if let Some(c) = arg.items().first().and_then(Node::as_str) {
                push(Kind::Condition, c, None, None);
            }
            for item in arg.items().iter().skip(1) {
                intrinsics(doc, text, item, out);
            }
            return;
        }
        _ => {}
    }
    // Any other function, or plain data: its parts.
    for (_, v) in node.entries() {
        intrinsics(doc, text, v, out);
    }
    for item in node.items() {
        intrinsics(doc, text, item, out);
    }
}

/// The `${...}` placeholders of a `Fn::Sub` string, as (offset of the `$`,
/// what is inside), leaving out the literal `${!...}`.
fn placeholders(raw: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = raw[from..].find("${") {
        let start = from + i;
        let Some(len) = raw[start + 2..].find('}') else {
            break;
        };
        let inner = &raw[start + 2..start + 2 + len];
        if !inner.starts_with('!') && !inner.is_empty() {
            out.push((start, inner));
        }
        from = start + 2 + len + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn found(text: &str) -> Vec<(Kind, String, Option<String>, Form, String)> {
        let docs = crate::stack::yaml::parse(text).unwrap();
        let mut out = Vec::new();
        intrinsics(&docs[0], text, &docs[0].root, &mut out);
        out.into_iter()
            .map(|i| {
                let at = i.interpolation.unwrap_or(i.node);
                (
                    i.kind,
                    i.target.to_string(),
                    i.attribute.map(|a| a.to_string()),
                    i.form,
                    text[at.start..at.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn short_and_long_forms_name_the_same_targets() {
        let yaml = "A: !Ref RedisSecurityGroup\nB: !GetAtt Cache.RedisEndpoint.Address\nC: !GetAtt [Cache, RedisEndpoint.Port]\nD: !Sub \"redis://${Cache.RedisEndpoint.Address}:${Port}/${!Literal}${AWS::Region}\"\nE: !If [UseTls, !Ref TlsPort, 6379]\nF: !FindInMap [Map, !Ref AWS::Region, A]\nG: !Sub\n  - \"${Host}:${Cache.RedisEndpoint.Port}\"\n  - Host: !GetAtt Cache.RedisEndpoint.Address\n";
        let json = r#"{"A": {"Ref": "RedisSecurityGroup"}, "B": {"Fn::GetAtt": ["Cache", "RedisEndpoint.Address"]}, "D": {"Fn::Sub": "redis://${Cache.RedisEndpoint.Address}"}, "E": {"Fn::If": ["UseTls", {"Ref": "TlsPort"}, 6379]}}"#;
        use Form::*;
        use Kind::*;
        let s = |x: &str| x.to_string();
        assert_eq!(
            found(yaml),
            [
                (
                    Ref,
                    s("RedisSecurityGroup"),
                    None,
                    Short,
                    s("RedisSecurityGroup")
                ),
                (
                    GetAtt,
                    s("Cache"),
                    Some(s("RedisEndpoint.Address")),
                    Short,
                    s("Cache.RedisEndpoint.Address")
                ),
                (
                    GetAtt,
                    s("Cache"),
                    Some(s("RedisEndpoint.Port")),
                    Short,
                    s("[Cache, RedisEndpoint.Port]")
                ),
                (
                    Sub,
                    s("Cache"),
                    Some(s("RedisEndpoint.Address")),
                    Short,
                    s("${Cache.RedisEndpoint.Address}")
                ),
                (Sub, s("Port"), None, Short, s("${Port}")),
                (
                    Condition,
                    s("UseTls"),
                    None,
                    Short,
                    s("[UseTls, !Ref TlsPort, 6379]")
                ),
                (Ref, s("TlsPort"), None, Short, s("TlsPort")),
                (
                    Sub,
                    s("Cache"),
                    Some(s("RedisEndpoint.Port")),
                    Short,
                    s("${Cache.RedisEndpoint.Port}")
                ),
                (
                    GetAtt,
                    s("Cache"),
                    Some(s("RedisEndpoint.Address")),
                    Short,
                    s("Cache.RedisEndpoint.Address")
                ),
            ]
        );
        let long = found(json);
        assert_eq!(
            long.iter()
                .map(|(k, t, a, f, _)| (*k, t.as_str(), a.as_deref(), *f))
                .collect::<Vec<_>>(),
            [
                (Ref, "RedisSecurityGroup", None, Long),
                (GetAtt, "Cache", Some("RedisEndpoint.Address"), Long),
                (Sub, "Cache", Some("RedisEndpoint.Address"), Long),
                (Condition, "UseTls", None, Long),
                (Ref, "TlsPort", None, Long),
            ]
        );
    }
}
