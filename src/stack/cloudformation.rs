//! CloudFormation templates (JSON and YAML, short-form tags included): each
//! template's resources, parameters, conditions, mappings and outputs, and
//! the references that intrinsic functions, `DependsOn` and `Condition`
//! make between them, found with their form and place so that a rewrite
//! keeps the form they came in (`!Ref X` or `{"Ref": "X"}`).
//!
//! Each template is its own namespace: a reference names something of its
//! own template. A stack of several templates prefixes each address with
//! its file (`network.yaml#Vpc`).

use super::compose::{pack, unpack};
use super::kubernetes::AttrValue;
use super::yaml::{self, Document, Node, ScalarKind};
use super::{ReadError, RefKind, Reference, Resource, ResourceId, Site, Stack, StackFile};
use crate::catalogue::Format;
use crate::source::Span;
use smol_str::{SmolStr, format_smolstr};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// How an intrinsic function is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// The full form, a one-key mapping: `{"Ref": "X"}`, `Fn::GetAtt: [X, A]`.
    Long,
    /// YAML's short form, a tag: `!Ref X`, `!GetAtt X.A`.
    Short,
    /// Not a function: a name written as a plain string (a `DependsOn`
    /// item, a resource's `Condition`).
    Plain,
}

/// What a template names its target for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `Ref`: a resource's id or a parameter's value.
    Ref,
    /// `Fn::GetAtt`: an attribute of a resource.
    GetAtt,
    /// A `${X}` or `${X.Attr}` inside an `Fn::Sub` string.
    Sub,
    /// A condition named by `Fn::If`, `Condition` (the function) or a
    /// resource's or output's `Condition`.
    Condition,
    /// A resource named in `DependsOn`.
    DependsOn,
    /// A mapping named by `Fn::FindInMap`.
    FindInMap,
}

/// One reference a template makes (the payload of [`RefKind::Intrinsic`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intrinsic {
    /// What for.
    pub kind: Kind,
    /// The logical id, parameter, condition or mapping named.
    pub target: SmolStr,
    /// The attribute read (`RedisEndpoint.Address`), for `GetAtt` and `Sub`.
    pub attribute: Option<SmolStr>,
    /// The whole of what refers: the long form's mapping, the short form's
    /// tag and value, a plain name's scalar; for `Sub`, the `Fn::Sub`
    /// function. Replacing it replaces the reference.
    pub whole: Span,
    /// For `Sub`, the `${...}` in the file.
    pub interpolation: Option<Span>,
    /// For `Sub`, the string's node (quotes included).
    pub string: Option<Span>,
    /// How it is written.
    pub form: Form,
}

/// The sections of a template whose entries are resources of the stack,
/// with the kind their entries get (a `Resources` entry's kind is its
/// `Type`).
const SECTIONS: &[(&str, &str)] = &[
    ("Parameters", "Parameter"),
    ("Mappings", "Mapping"),
    ("Conditions", "Condition"),
    ("Resources", ""),
    ("Outputs", "Output"),
    // SAM's settings every function, API or table shares.
    ("Globals", "Globals"),
    // Assertions on the parameters' values.
    ("Rules", "Rule"),
];

/// The intrinsic functions, by their long names.
const FUNCTIONS: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::FindInMap",
    "Fn::GetAtt",
    "Fn::GetAZs",
    "Fn::ImportValue",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::Sub",
    "Fn::Transform",
    "Fn::And",
    "Fn::Equals",
    "Fn::If",
    "Fn::Not",
    "Fn::Or",
    "Fn::ToJsonString",
    "Fn::Length",
    // The rule functions of a template's `Rules`.
    "Fn::Contains",
    "Fn::EachMemberEquals",
    "Fn::EachMemberIn",
    "Fn::RefAll",
    "Fn::ValueOf",
    "Fn::ValueOfAll",
];

/// The long name of a short-form tag (`!GetAtt` is `Fn::GetAtt`), when it
/// names an intrinsic function.
fn long_name(tag: &str) -> Option<String> {
    let name = tag.strip_prefix('!')?;
    let long = match name {
        "Ref" | "Condition" => name.to_string(),
        _ => format!("Fn::{name}"),
    };
    FUNCTIONS.contains(&long.as_str()).then_some(long)
}

/// Whether `path`'s name is one a template has (`.yaml`, `.yml`, `.json`,
/// `.template`).
fn template_name(path: &str) -> bool {
    [".yaml", ".yml", ".json", ".template"]
        .iter()
        .any(|e| path.ends_with(e))
}

/// Whether `text` (a file at `path`) is a CloudFormation template: a YAML
/// file with a top-level `AWSTemplateFormatVersion` or `Resources` key, or
/// a JSON one with an `"AWSTemplateFormatVersion"` key, or a `"Resources"`
/// key and an `AWS::` type. (A cheap look at the text: the reader checks
/// the shape.)
pub fn is_template(path: &str, text: &str) -> bool {
    if !template_name(path) {
        return false;
    }
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') {
        return body.contains("\"AWSTemplateFormatVersion\"")
            || (body.contains("\"Resources\"") && body.contains("\"AWS::"));
    }
    // Whole-text searches: a large Kubernetes stack pays little for them.
    let top = |key: &str| text.starts_with(key) || text.contains(&format!("\n{key}"));
    top("AWSTemplateFormatVersion:")
        || top("Resources:\n")
        || top("Resources:\r\n")
        || top("Resources: #")
        || text.ends_with("\nResources:")
}

/// Whether a stack (path, text) is CloudFormation: any of its files is a
/// template.
pub fn is_stack<'a>(mut files: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    files.any(|(p, t)| is_template(p, t))
}

/// Reads CloudFormation templates (path, text) into a stack, files in path
/// order.
pub fn read_copies(files: &[(String, String)]) -> Result<Stack, Vec<ReadError>> {
    read_observed(files, &|| {})
}

/// [`read_copies`], calling `tick` as each file is parsed (a progress
/// display's step).
pub fn read_observed(
    files: &[(String, String)],
    tick: &(dyn Fn() + Sync),
) -> Result<Stack, Vec<ReadError>> {
    use rayon::prelude::*;
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let prefixed = sorted.len() > 1;
    let read: Vec<Result<(StackFile, Vec<Resource>), ReadError>> = sorted
        .into_par_iter()
        .map(|(path, text)| {
            let parsed = parse_file(path.clone(), text.clone(), prefixed);
            tick();
            parsed
        })
        .collect();
    let mut errors = Vec::new();
    let mut stack_files = Vec::new();
    let mut resources = Vec::new();
    let mut firsts = Vec::new();
    for r in read {
        match r {
            Ok((f, mut rs)) => {
                firsts.push(resources.len());
                for r in &mut rs {
                    r.file = stack_files.len();
                }
                resources.extend(rs);
                stack_files.push(f);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    firsts.push(resources.len());
    let found: Vec<Result<Vec<Reference>, Vec<ReadError>>> = (0..stack_files.len())
        .into_par_iter()
        .map(|fi| {
            let run = &resources[firsts[fi]..firsts[fi + 1]];
            references(&stack_files[fi], fi, run, firsts[fi])
        })
        .collect();
    let mut per_file = Vec::new();
    for f in found {
        match f {
            Ok(refs) => per_file.push(Arc::new(refs)),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut stack = Stack {
        files: stack_files.into_iter().map(Arc::new).collect(),
        resources,
        ..Stack::default()
    };
    stack.set_references(per_file);
    Ok(stack)
}

/// Parses one template and lists its entries (their `file` is set by the
/// caller), checking the shape: a mapping, with `Resources`, each of which
/// has a `Type`.
fn parse_file(
    path: String,
    text: String,
    prefixed: bool,
) -> Result<(StackFile, Vec<Resource>), ReadError> {
    let error = |span: Span, message: String, help: &str| ReadError {
        path: path.clone(),
        span,
        message,
        help: Some(help.into()),
    };
    if !is_template(&path, &text) {
        return Err(error(
            Span::at(0),
            "this file is not a CloudFormation template, and the stack's other files are".into(),
            "give each stack format as its own stack; a template has a top-level `Resources` (or `AWSTemplateFormatVersion`) key",
        ));
    }
    let docs = yaml::parse(&text).map_err(|e| {
        error(
            Span::at(e.offset),
            format!("invalid YAML or JSON: {}", e.message),
            "fix the syntax; `cfn-lint` shows it too",
        )
    })?;
    let docs: Vec<Document> = docs.into_iter().filter(|d| !d.root.is_null()).collect();
    if docs.len() > 1 {
        return Err(error(
            docs[1].root.span(),
            "a template is one YAML document".into(),
            "put the second template in a file of its own",
        ));
    }
    let Some(doc) = docs.first() else {
        return Err(error(
            Span::at(0),
            "the template is empty".into(),
            "a template has at least a `Resources` section",
        ));
    };
    let root = &doc.root;
    if !root.is_map() {
        return Err(error(
            root.span(),
            "a template is a mapping of sections (`Parameters`, `Resources`, `Outputs`, ...)"
                .into(),
            "start the template with `Resources:`",
        ));
    }
    let Some(resources) = root.get("Resources") else {
        return Err(error(
            root.span(),
            "the template has no `Resources` section".into(),
            "a template declares at least one resource under `Resources:`",
        ));
    };
    if !resources.is_map() || resources.entries().is_empty() {
        return Err(error(
            resources.span(),
            "`Resources` is a mapping of logical ids to resources, and holds at least one".into(),
            "write each resource as `LogicalId:` with its `Type` and `Properties` below it",
        ));
    }
    let prefix = if prefixed {
        format!("{path}#")
    } else {
        String::new()
    };
    let mut out = Vec::new();
    for (si, (k, section)) in root.entries().iter().enumerate() {
        let Some((name, kind)) = k
            .as_str()
            .and_then(|k| SECTIONS.iter().find(|(s, _)| *s == k))
        else {
            continue;
        };
        if section.is_null() {
            continue;
        }
        if !section.is_map() {
            return Err(error(
                section.span(),
                format!("`{name}` is a mapping of names to their declarations"),
                "write each entry as `Name:` with its declaration indented below it",
            ));
        }
        for (ei, (key, value)) in section.entries().iter().enumerate() {
            let Some(id) = key.as_str() else {
                return Err(error(
                    key.span(),
                    format!("a name in `{name}` is a string"),
                    "name it with letters and digits",
                ));
            };
            let (kind, address) = if name == &"Resources" {
                if id.starts_with("Fn::ForEach") {
                    return Err(error(
                        key.span(),
                        "graft does not read `Fn::ForEach` (the language extensions transform)"
                            .into(),
                        "expand the loop first (`aws cloudformation package`, or `rain build`) and give graft the expanded template",
                    ));
                }
                if !value.is_map() {
                    return Err(error(
                        value.span(),
                        format!("the resource `{id}` is not a mapping"),
                        "give it a `Type` and its `Properties`",
                    ));
                }
                let Some(ty) = value.get("Type") else {
                    return Err(error(
                        key.span(),
                        format!("the resource `{id}` has no `Type`"),
                        "give it its type, such as `Type: AWS::ElastiCache::ReplicationGroup`",
                    ));
                };
                let Some(ty) = ty.as_str().filter(|_| doc.tag_of(ty).is_none()) else {
                    return Err(error(
                        ty.span(),
                        format!("the `Type` of `{id}` is not a plain string"),
                        "write the type itself, such as `AWS::EC2::VPC`: CloudFormation does not evaluate functions there",
                    ));
                };
                (SmolStr::new(ty), format_smolstr!("{prefix}{id}"))
            } else {
                (SmolStr::new(kind), format_smolstr!("{prefix}{name}.{id}"))
            };
            out.push(Resource {
                format: Format::CloudFormation,
                kind,
                address,
                name: id.into(),
                namespace: SmolStr::default(),
                file: 0,
                doc: 0,
                item: Some(pack(si, ei)),
                span: Span::new(key.span().start, value.span().end.max(key.span().end)),
            });
        }
    }
    let file = StackFile {
        path,
        text,
        format: Format::CloudFormation,
        docs,
        expressions: Vec::new(),
    };
    Ok((file, out))
}

/// The section a resource of a template is declared in.
pub fn section(file: &StackFile, r: &Resource) -> &'static str {
    let (si, _) = unpack(r.item.unwrap_or(0));
    let key = file.docs[r.doc]
        .root
        .entries()
        .get(si)
        .and_then(|(k, _)| k.as_str());
    SECTIONS
        .iter()
        .find(|(s, _)| Some(*s) == key)
        .map_or("", |(s, _)| s)
}

/// What a template's names stand for: per namespace (`Ref` names resources
/// and parameters; conditions and mappings have their own), the resource.
struct Names<'a> {
    refs: HashMap<&'a str, ResourceId>,
    resources: HashMap<&'a str, ResourceId>,
    conditions: HashMap<&'a str, ResourceId>,
    mappings: HashMap<&'a str, ResourceId>,
}

/// Every reference written in one template, whose resources are `run`,
/// numbered from `first`.
fn references(
    file: &StackFile,
    fi: usize,
    run: &[Resource],
    first: usize,
) -> Result<Vec<Reference>, Vec<ReadError>> {
    let mut names = Names {
        refs: HashMap::new(),
        resources: HashMap::new(),
        conditions: HashMap::new(),
        mappings: HashMap::new(),
    };
    for (k, r) in run.iter().enumerate() {
        let id = ResourceId((first + k) as u32);
        match r.kind.as_str() {
            "Parameter" => {
                names.refs.insert(&r.name, id);
            }
            "Condition" => {
                names.conditions.insert(&r.name, id);
            }
            "Mapping" => {
                names.mappings.insert(&r.name, id);
            }
            "Output" | "Globals" | "Rule" => {}
            _ => {
                names.refs.insert(&r.name, id);
                names.resources.insert(&r.name, id);
            }
        }
    }
    let doc = &file.docs[0];
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (k, r) in run.iter().enumerate() {
        let id = ResourceId((first + k) as u32);
        let node = file.node(r);
        let mut walk = Walk {
            doc,
            text: &file.text,
            path: Vec::new(),
            found: Vec::new(),
            errors: Vec::new(),
        };
        if r.kind == "Parameter" || r.kind == "Mapping" {
            // Literal data: no function is evaluated there.
        } else if matches!(r.kind.as_str(), "Condition" | "Globals" | "Rule") {
            walk.node(node);
        } else {
            for (key, value) in node.entries() {
                let Some(key) = key.as_str() else { continue };
                walk.path.clear();
                walk.path.push(Seg::Key(key));
                match key {
                    "DependsOn" => {
                        let items: Vec<&Node> = if value.is_seq() {
                            value.items().iter().collect()
                        } else {
                            vec![value]
                        };
                        for (i, item) in items.into_iter().enumerate() {
                            let path = if value.is_seq() {
                                format!("DependsOn[{i}]")
                            } else {
                                "DependsOn".into()
                            };
                            walk.plain(Kind::DependsOn, item, path);
                        }
                    }
                    "Condition" => walk.plain(Kind::Condition, value, "Condition".into()),
                    "Type" | "DeletionPolicy" | "UpdateReplacePolicy" | "Description" => {}
                    _ => walk.node(value),
                }
            }
        }
        errors.extend(
            walk.errors
                .into_iter()
                .map(|(span, message, help)| ReadError {
                    path: file.path.clone(),
                    span,
                    message,
                    help: Some(help),
                }),
        );
        for (found, path) in walk.found {
            let namespace = match found.kind {
                Kind::Condition => &names.conditions,
                Kind::FindInMap => &names.mappings,
                Kind::GetAtt | Kind::DependsOn => &names.resources,
                Kind::Sub if found.attribute.is_some() => &names.resources,
                Kind::Ref | Kind::Sub => &names.refs,
            };
            let Some(&to) = namespace.get(found.target.as_str()) else {
                let what = match found.kind {
                    Kind::Condition => "condition",
                    Kind::FindInMap => "mapping",
                    Kind::GetAtt | Kind::DependsOn => "resource",
                    Kind::Sub if found.attribute.is_some() => "resource",
                    Kind::Ref | Kind::Sub => "resource or parameter",
                };
                let at = found.interpolation.unwrap_or(found.whole);
                // In the order they are declared, whatever the map's order.
                let mut declared: Vec<(&ResourceId, &str)> =
                    namespace.iter().map(|(k, v)| (v, *k)).collect();
                declared.sort_unstable();
                let help = crate::diagnostics::suggest(
                    &found.target,
                    declared.iter().map(|(_, k)| *k),
                    |all| {
                        if all.is_empty() {
                            format!("the template declares no {what} of that name")
                        } else {
                            format!("the template declares {all}")
                        }
                    },
                );
                errors.push(ReadError {
                    path: file.path.clone(),
                    span: at,
                    message: format!(
                        "`{}` names the {what} `{}`, which the template does not declare",
                        r.address, found.target
                    ),
                    help: Some(help),
                });
                continue;
            };
            let site_span = found.string.unwrap_or(found.whole);
            let value = match found.kind {
                Kind::Sub => found
                    .string
                    .and_then(|s| scalar_at(&doc.root, s))
                    .map(SmolStr::new),
                _ => None,
            };
            out.push(Reference {
                from: id,
                to,
                kind: RefKind::Intrinsic(found),
                site: Site {
                    file: fi,
                    span: site_span,
                    path,
                    container: None,
                    env: None,
                    value,
                    style: yaml::Style::Plain,
                },
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The text of the scalar at `span` below `node`.
fn scalar_at(node: &Node, span: Span) -> Option<&str> {
    if node.span() == span {
        return node.as_str();
    }
    if node.span().start > span.start || node.span().end < span.end {
        return None;
    }
    node.entries()
        .iter()
        .map(|(_, v)| v)
        .chain(node.items())
        .find_map(|n| scalar_at(n, span))
}

/// One step of a path: a key, or a list index.
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A walk over a value that finds its references, with the path to each
/// (kept as steps, written out only for what is found).
struct Walk<'a> {
    doc: &'a Document,
    text: &'a str,
    path: Vec<Seg<'a>>,
    found: Vec<(Intrinsic, String)>,
    errors: Vec<(Span, String, String)>,
}

impl<'a> Walk<'a> {
    /// The path, written out: `Properties.Environment[0].Value`.
    fn written_path(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Seg::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Seg::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        out
    }

    fn push(&mut self, i: Intrinsic) {
        // Pseudo parameters (`AWS::Region`) name nothing in the template.
        if !i.target.starts_with("AWS::") && !i.target.is_empty() {
            let path = self.written_path();
            self.found.push((i, path));
        }
    }

    /// A name written as a plain string (`DependsOn`, `Condition`).
    fn plain(&mut self, kind: Kind, node: &Node, path: String) {
        match node.as_str().filter(|_| self.doc.tag_of(node).is_none()) {
            Some(name) => self.found.push((
                Intrinsic {
                    kind,
                    target: name.into(),
                    attribute: None,
                    whole: node.span(),
                    interpolation: None,
                    string: None,
                    form: Form::Plain,
                },
                path,
            )),
            None => self.errors.push((
                node.span(),
                format!(
                    "`{}` takes a name{}",
                    path.split('[').next().unwrap_or(&path),
                    if kind == Kind::DependsOn {
                        " or a list of names"
                    } else {
                        ""
                    }
                ),
                "write the logical id itself: CloudFormation evaluates no function there".into(),
            )),
        }
    }

    fn child(&mut self, key: &'a str, node: &'a Node) {
        let len = self.path.len();
        self.segment(key);
        self.node(node);
        self.path.truncate(len);
    }

    fn item(&mut self, i: usize, node: &'a Node) {
        let len = self.path.len();
        self.path.push(Seg::Index(i));
        self.node(node);
        self.path.truncate(len);
    }

    /// Every reference made inside `node`, in document order.
    fn node(&mut self, node: &'a Node) {
        // An alias is a copy of its anchor's nodes, in the anchor's place.
        if self.text.as_bytes().get(node.span().start) == Some(&b'*') {
            self.errors.push((
                node.span(),
                "a YAML alias: CloudFormation does not accept aliases in a template".into(),
                "write the value out where the alias is".into(),
            ));
            return;
        }
        let tag = self.doc.tag_of(node);
        let (name, arg, form, whole) = match (tag, node.entries()) {
            (Some(t), _) => {
                let whole = Span::new(t.at.start, node.span().end);
                match long_name(&t.tag) {
                    Some(n) => (Some(n), node, Form::Short, whole),
                    None => {
                        self.unknown_tag(&t.tag, t.at);
                        (None, node, Form::Short, whole)
                    }
                }
            }
            (None, [(k, v)]) => match k.as_str() {
                Some(k) if k == "Ref" || k == "Condition" || k.starts_with("Fn::") => {
                    if !FUNCTIONS.contains(&k) {
                        let help =
                            crate::diagnostics::suggest(k, FUNCTIONS.iter().copied(), |_| {
                                "see the intrinsic function reference of CloudFormation".into()
                            });
                        self.errors.push((
                            node.span(),
                            format!("`{k}` is not an intrinsic function of CloudFormation"),
                            help,
                        ));
                        return;
                    }
                    (Some(k.to_string()), v, Form::Long, node.span())
                }
                _ => (None, node, Form::Long, node.span()),
            },
            _ => (None, node, Form::Long, node.span()),
        };
        let at = |i: Kind, target: &str, attribute: Option<&str>| Intrinsic {
            kind: i,
            target: target.into(),
            attribute: attribute.map(SmolStr::new),
            whole,
            interpolation: None,
            string: None,
            form,
        };
        // The function's name, as the table holds it (a path step outlives
        // this call).
        let name: Option<&'static str> = name
            .as_deref()
            .and_then(|n| FUNCTIONS.iter().copied().find(|f| *f == n));
        let scalar_arg = |what: &str| {
            (
                arg.span(),
                format!("`{what}` takes a name"),
                format!(
                    "write `{what}` with the logical id, such as `{}`",
                    if form == Form::Short {
                        format!("!{} MyResource", what.trim_start_matches("Fn::"))
                    } else {
                        format!("{what}: MyResource")
                    }
                ),
            )
        };
        match name {
            Some(f @ ("Ref" | "Condition")) => {
                match arg.as_str() {
                    Some(t) => {
                        let kind = if f == "Ref" {
                            Kind::Ref
                        } else {
                            Kind::Condition
                        };
                        self.push(at(kind, t, None));
                    }
                    None => self.errors.push(scalar_arg(f)),
                }
                return;
            }
            Some("Fn::GetAtt") => {
                let (target, attribute) = match (arg.as_str(), arg.items()) {
                    (Some(dotted), _) => match dotted.split_once('.') {
                        Some((t, a)) => (Some(t), Some(a)),
                        None => (None, None),
                    },
                    (None, [t, a]) => (t.as_str(), a.as_str()),
                    _ => (None, None),
                };
                match target {
                    Some(t) => self.push(at(Kind::GetAtt, t, attribute)),
                    // A computed attribute name (`!GetAtt [X, !Ref A]`)
                    // still names its resource.
                    None if arg.items().len() == 2 && arg.items()[0].as_str().is_some() => {
                        let t = arg.items()[0].as_str().unwrap_or_default();
                        self.push(at(Kind::GetAtt, t, None));
                    }
                    None => self.errors.push((
                        arg.span(),
                        "`Fn::GetAtt` takes a resource and an attribute".into(),
                        "write `!GetAtt Resource.Attribute`, or `Fn::GetAtt: [Resource, Attribute]`"
                            .into(),
                    )),
                }
                self.items_under("Fn::GetAtt", arg, 1);
                return;
            }
            Some("Fn::FindInMap") => {
                if let Some(m) = arg.items().first().and_then(Node::as_str) {
                    self.push(at(Kind::FindInMap, m, None));
                }
                self.items_under("Fn::FindInMap", arg, 0);
                return;
            }
            Some("Fn::Sub") => {
                let (string, vars) = match arg.items() {
                    [s, v] => (s, Some(v)),
                    [s] => (s, None),
                    _ => (arg, None),
                };
                if string.as_str().is_none() || (arg.is_seq() && self.doc.tag_of(string).is_some())
                {
                    self.errors.push((
                        arg.span(),
                        "`Fn::Sub` takes a string, or a list of a string and a mapping of variables".into(),
                        "write `!Sub \"text ${Name}\"`, or `!Sub [\"text ${Var}\", {Var: value}]`".into(),
                    ));
                    return;
                }
                let shadowed = |name: &str| vars.is_some_and(|v| v.get(name).is_some());
                let raw = self
                    .text
                    .get(string.span().start..string.span().end)
                    .unwrap_or("");
                for (start, inner) in placeholders(raw) {
                    let (target, attribute) = match inner.split_once('.') {
                        Some((t, a)) => (t, Some(a)),
                        None => (inner, None),
                    };
                    if shadowed(target) {
                        continue;
                    }
                    let from = string.span().start + start;
                    let mut i = at(Kind::Sub, target, attribute);
                    i.interpolation = Some(Span::new(from, from + inner.len() + 3));
                    i.string = Some(string.span());
                    self.push(i);
                }
                if let Some(v) = vars {
                    let len = self.path.len();
                    self.segment("Fn::Sub");
                    self.path.push(Seg::Index(1));
                    for (k, value) in v.entries() {
                        self.child(k.as_str().unwrap_or("?"), value);
                    }
                    self.path.truncate(len);
                }
                return;
            }
            Some("Fn::If") => {
                match arg.items() {
                    [c, _, _] if c.as_str().is_some() => {
                        self.push(at(Kind::Condition, c.as_str().unwrap_or_default(), None));
                    }
                    _ => {
                        self.errors.push((
                            arg.span(),
                            "`Fn::If` takes a condition's name, a value if it holds and one if not"
                                .into(),
                            "write `!If [Condition, then, else]`".into(),
                        ));
                        return;
                    }
                }
                self.items_under("Fn::If", arg, 1);
                return;
            }
            Some(f) => {
                // Any other function: its argument (itself a function, or
                // a list of arguments), which a short form's node is.
                let len = self.path.len();
                self.segment(f);
                if form == Form::Short {
                    self.args(arg);
                } else {
                    self.node(arg);
                }
                self.path.truncate(len);
                return;
            }
            None => {}
        }
        self.args(node);
    }

    /// Adds a key to the path.
    fn segment(&mut self, key: &'a str) {
        self.path.push(Seg::Key(key));
    }

    /// The references in the items of `arg` from `skip` on, the arguments
    /// of the function `f`.
    fn items_under(&mut self, f: &'a str, arg: &'a Node, skip: usize) {
        let len = self.path.len();
        self.segment(f);
        for (i, item) in arg.items().iter().enumerate().skip(skip) {
            self.item(i, item);
        }
        self.path.truncate(len);
    }

    /// The references in the parts of `node`.
    fn args(&mut self, node: &'a Node) {
        for (k, v) in node.entries() {
            self.child(k.as_str().unwrap_or("?"), v);
        }
        for (i, item) in node.items().iter().enumerate() {
            self.item(i, item);
        }
    }

    fn unknown_tag(&mut self, tag: &str, at: Span) {
        // Core-schema tags and the `rain` tool's directives (`!Rain::Embed`),
        // which it expands before deploying, are kept as they are.
        if tag.starts_with("!!") || tag.starts_with("!Rain::") {
            return;
        }
        let short: Vec<String> = FUNCTIONS
            .iter()
            .map(|f| format!("!{}", f.trim_start_matches("Fn::")))
            .collect();
        let help = crate::diagnostics::suggest(tag, short.iter().map(String::as_str), |_| {
            "the short forms are the intrinsic functions' names after `!` (`!Ref`, `!GetAtt`, `!Sub`, ...)".into()
        });
        self.errors.push((
            at,
            format!("`{tag}` is not a CloudFormation intrinsic function"),
            help,
        ));
    }
}

/// The `${...}` placeholders of a `Fn::Sub` string, as (offset of the `$`,
/// what is inside), leaving out the literal `${!...}`.
pub fn placeholders(raw: &str) -> Vec<(usize, &str)> {
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

/// The values of the attribute `path` on a CloudFormation resource: a
/// resource's `Properties` (`Engine`, `ContainerDefinitions.Image`), `Type`,
/// `Condition` and `name`. A value written as a `Ref` to a parameter reads
/// as the parameter's default; any other function is not a literal.
pub fn attribute(stack: &Stack, id: ResourceId, path: &str) -> Vec<AttrValue> {
    let r = stack.resource(id);
    let file = &stack.files[r.file];
    let node = file.node(r);
    if path == "name" {
        return vec![AttrValue::Scalar(r.name.clone(), ScalarKind::Str)];
    }
    if path == "Type" {
        return vec![AttrValue::Scalar(r.kind.clone(), ScalarKind::Str)];
    }
    let mut out = Vec::new();
    let start = match (path, node.get("Properties")) {
        ("Condition" | "DependsOn" | "Metadata", _) => node,
        (_, Some(p)) => p,
        (_, None) => return out,
    };
    let doc = &file.docs[r.doc];
    collect(doc, start, path, &mut out);
    out
}

fn collect(doc: &Document, node: &Node, path: &str, out: &mut Vec<AttrValue>) {
    if path.is_empty() {
        if doc.tag_of(node).is_some() || is_call(node) {
            out.push(match parameter_default(doc, node) {
                Some(s) => AttrValue::Scalar(s.text.clone(), s.kind),
                None => AttrValue::Collection,
            });
            return;
        }
        match node.scalar() {
            Some(s) if s.kind == ScalarKind::Null => {}
            Some(s) => out.push(AttrValue::Scalar(s.text.clone(), s.kind)),
            None => out.push(AttrValue::Collection),
        }
        return;
    }
    if node.is_seq() {
        for item in node.items() {
            collect(doc, item, path, out);
        }
        return;
    }
    let (key, rest) = path.split_once('.').unwrap_or((path, ""));
    if let Some(child) = node.get(key) {
        collect(doc, child, rest, out);
    }
}

/// Whether `node` is a long-form function call (`{"Ref": "X"}`).
pub fn is_call(node: &Node) -> bool {
    matches!(node.entries(), [(k, _)] if k.as_str().is_some_and(|k| k == "Ref" || k.starts_with("Fn::")))
}

/// The default of the parameter `node` refers to (`!Ref EngineName`).
fn parameter_default<'a>(doc: &'a Document, node: &'a Node) -> Option<yaml::Scalar<'a>> {
    let name = match doc.tag_of(node) {
        Some(t) if t.tag == "!Ref" => node.as_str()?,
        Some(_) => return None,
        None => node.get("Ref")?.as_str()?,
    };
    doc.root
        .get("Parameters")?
        .get(name)?
        .get("Default")?
        .scalar()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn found(text: &str) -> Vec<(Kind, String, Option<String>, Form, String)> {
        let docs = crate::stack::yaml::parse(text).unwrap();
        let mut walk = Walk {
            doc: &docs[0],
            text,
            path: Vec::new(),
            found: Vec::new(),
            errors: Vec::new(),
        };
        walk.node(&docs[0].root);
        assert_eq!(walk.errors, []);
        walk.found
            .into_iter()
            .map(|(i, _)| {
                let at = i.interpolation.unwrap_or(i.whole);
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
                    s("!Ref RedisSecurityGroup")
                ),
                (
                    GetAtt,
                    s("Cache"),
                    Some(s("RedisEndpoint.Address")),
                    Short,
                    s("!GetAtt Cache.RedisEndpoint.Address")
                ),
                (
                    GetAtt,
                    s("Cache"),
                    Some(s("RedisEndpoint.Port")),
                    Short,
                    s("!GetAtt [Cache, RedisEndpoint.Port]")
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
                    s("!If [UseTls, !Ref TlsPort, 6379]")
                ),
                (Ref, s("TlsPort"), None, Short, s("!Ref TlsPort")),
                (
                    FindInMap,
                    s("Map"),
                    None,
                    Short,
                    s("!FindInMap [Map, !Ref AWS::Region, A]")
                ),
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
                    s("!GetAtt Cache.RedisEndpoint.Address")
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

    fn error(text: &str) -> ReadError {
        let e = read_copies(&[("t.yaml".into(), text.into())]).unwrap_err();
        e.into_iter().next().unwrap()
    }

    #[test]
    fn bad_templates_are_refused_where_they_go_wrong() {
        let base = "Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n";
        let e = error(&format!(
            "{base}    Properties:\n      VpcSecurityGroupIds: [!Ref RedisSG]\n  RedisSg:\n    Type: AWS::EC2::SecurityGroup\n"
        ));
        assert!(e.message.contains("`RedisSG`"), "{e:?}");
        assert_eq!(e.help.as_deref(), Some("did you mean `RedisSg`?"));
        let e = error(&format!("{base}    Properties:\n      Port: !Reff Port\n"));
        assert!(e.message.contains("`!Reff` is not"), "{e:?}");
        assert_eq!(e.help.as_deref(), Some("did you mean `!Ref`?"));
        let e = error(&format!(
            "{base}    Properties:\n      Port: {{\"Fn::GetAttr\": [A, B]}}\n"
        ));
        assert!(e.message.contains("`Fn::GetAttr` is not"), "{e:?}");
        let e = error(&format!("{base}    Properties:\n      Port: !Ref [A, B]\n"));
        assert!(e.message.contains("`Ref` takes a name"), "{e:?}");
        let e = error(&format!("{base}    DependsOn: !Ref X\n"));
        assert!(e.message.contains("`DependsOn` takes a name"), "{e:?}");
        let e = error("Resources:\n  Cache:\n    Properties: {}\n");
        assert!(e.message.contains("has no `Type`"), "{e:?}");
        let e = error("AWSTemplateFormatVersion: 2010-09-09\n");
        assert!(e.message.contains("no `Resources`"), "{e:?}");
        let e = error(&format!(
            "{base}    Properties:\n      Tags: &t [{{Key: a, Value: b}}]\n  Other:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *t\n"
        ));
        assert!(e.message.contains("a YAML alias"), "{e:?}");
        let e = error(
            "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Queues:\n    - Name\n    - [A, B]\n    - Queue${Name}:\n        Type: AWS::SQS::Queue\n",
        );
        assert!(e.message.contains("`Fn::ForEach`"), "{e:?}");
        // The `rain` tool's directives are kept.
        assert!(
            read_copies(&[(
                "t.yaml".into(),
                format!("{base}    Properties:\n      Code: !Rain::Embed code.js\n")
            )])
            .is_ok()
        );
    }
}
