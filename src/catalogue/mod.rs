//! The built-in catalogue of resource types, per stack format.
//!
//! For every resource type that rules may match or that may consume a backing
//! service, the catalogue records its attributes (what predicates and endpoint
//! roles may name) with a short doc each, so that the checker can reject a
//! predicate on an attribute a type does not have, and the language server can
//! hover and complete them.
//!
//! Architecture invariant: this module is plain static data plus lookups. It
//! knows nothing of syntax, diagnostics or stacks on disk.

mod cloudformation;
mod compose;
mod kubernetes;
mod terraform;

pub use kubernetes::{GENERATED, Generated, generated, generated_at, operator_kind};
pub use terraform::{CREDENTIALS, is_credential};

use std::fmt;

/// A stack format graft reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Terraform configurations (`.tf`, `.tf.json`).
    Terraform,
    /// CloudFormation templates (JSON or YAML).
    CloudFormation,
    /// Kubernetes manifests (YAML or JSON).
    Kubernetes,
    /// Docker Compose files.
    Compose,
}

impl Format {
    /// Every format, in a fixed order.
    pub const ALL: [Format; 4] = [
        Format::Terraform,
        Format::CloudFormation,
        Format::Kubernetes,
        Format::Compose,
    ];

    /// The keyword that names this format in rule files.
    pub fn keyword(self) -> &'static str {
        match self {
            Format::Terraform => "terraform",
            Format::CloudFormation => "cloudformation",
            Format::Kubernetes => "kubernetes",
            Format::Compose => "compose",
        }
    }

    /// The format a rule-file keyword names, if any.
    pub fn from_keyword(word: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.keyword() == word)
    }

    /// The resource types this format's catalogue knows.
    pub fn types(self) -> &'static [ResourceType] {
        match self {
            Format::Terraform => terraform::TYPES,
            Format::CloudFormation => cloudformation::TYPES,
            Format::Kubernetes => kubernetes::TYPES,
            Format::Compose => compose::TYPES,
        }
    }

    /// Looks up one resource type of this format by its exact name.
    pub fn resource_type(self, name: &str) -> Option<&'static ResourceType> {
        self.types().iter().find(|t| t.name == name)
    }

    /// Whether consumers in this format can carry out `action`.
    pub fn supports(self, action: ActionKind) -> bool {
        match action {
            // CloudFormation consumers (ECS task definitions, Lambda functions,
            // EC2 user data) have neither annotations nor labels to write.
            ActionKind::Annotate => self != Format::CloudFormation,
            // A file can be mounted into a pod or a Compose service; ECS and
            // Lambda take secrets and certificates as environment values only.
            // A name can be kept alive where consumers find services by
            // name and a name can point elsewhere: a Kubernetes
            // `ExternalName` Service (a Compose name needs a container).
            ActionKind::Alias => self == Format::Kubernetes,
            ActionKind::MountFile | ActionKind::InjectFile => {
                matches!(
                    self,
                    Format::Kubernetes | Format::Compose | Format::Terraform
                )
            }
            ActionKind::Drop
            | ActionKind::Bind
            | ActionKind::InjectEnv
            | ActionKind::SetEnv
            | ActionKind::MountEnv => true,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// The kinds of action a rule can take, as far as format support goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// `drop`
    Drop,
    /// `alias`
    Alias,
    /// `bind ROLE = VALUE`
    Bind,
    /// `inject SECRET as env NAME`
    InjectEnv,
    /// `inject SECRET at "PATH"`
    InjectFile,
    /// `set env NAME = VALUE`
    SetEnv,
    /// `mount FILE as env NAME`
    MountEnv,
    /// `mount FILE at "PATH"`
    MountFile,
    /// `annotate "KEY" = VALUE`
    Annotate,
}

/// What a resource type is for, as far as rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKind {
    /// A backing service that rules may match and drop (a cache, a database).
    Service,
    /// A workload whose environment, secrets and files can be set.
    Workload,
    /// Anything else: networking, configuration, storage, schedules.
    Supporting,
}

/// The shape of an attribute's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrType {
    /// A string.
    String,
    /// An integer.
    Int,
    /// A boolean.
    Bool,
    /// A list of values.
    List,
    /// A map with free-form keys: any sub-path below it is accepted.
    Map,
    /// A nested object; its fields are listed as their own dotted paths.
    Object,
}

impl AttrType {
    /// How this type is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            AttrType::String => "string",
            AttrType::Int => "integer",
            AttrType::Bool => "boolean",
            AttrType::List => "list",
            AttrType::Map => "map",
            AttrType::Object => "object",
        }
    }

    /// How this type is named in a sentence: "a string", "an integer".
    pub fn with_article(self) -> &'static str {
        match self {
            AttrType::String => "a string",
            AttrType::Int => "an integer",
            AttrType::Bool => "a boolean",
            AttrType::List => "a list",
            AttrType::Map => "a map",
            AttrType::Object => "an object",
        }
    }
}

/// One attribute of a resource type.
#[derive(Debug)]
pub struct Attribute {
    /// The dotted path rules write, such as `engine` or `PrimaryEndPoint.Address`.
    pub path: &'static str,
    /// The shape of its value.
    pub ty: AttrType,
    /// Whether the attribute is computed by the provider (an output, such as an
    /// endpoint address) rather than written in the stack.
    pub computed: bool,
    /// One line on what it holds.
    pub doc: &'static str,
}

/// One resource type of one format.
#[derive(Debug)]
pub struct ResourceType {
    /// The format it belongs to.
    pub format: Format,
    /// Its name as rules write it: `aws_elasticache_replication_group`,
    /// `AWS::ElastiCache::ReplicationGroup`, `StatefulSet`, `service`.
    pub name: &'static str,
    /// What it is for.
    pub kind: TypeKind,
    /// One or two lines on what it is.
    pub doc: &'static str,
    /// Its attributes, in groups: the per-format modules share a run of
    /// attributes that several types have (the Kubernetes object header, the
    /// AWS tags) as one named group. The groups are read in order and so are
    /// the attributes within each; use [`ResourceType::attributes`] to walk
    /// them as one list.
    pub attributes: &'static [&'static [Attribute]],
}

/// What looking up an attribute path on a type found.
#[derive(Debug, PartialEq, Eq)]
pub enum AttrLookup {
    /// The path names a known attribute of this type.
    Found(AttrType),
    /// The path lies below a map attribute, whose keys are free-form.
    InMap,
    /// The type has no such attribute.
    Missing,
}

impl ResourceType {
    /// Its attributes, in order: the groups of [`ResourceType::attributes`]
    /// flattened, first group first.
    pub fn attributes(&self) -> impl Iterator<Item = &'static Attribute> {
        self.attributes.iter().flat_map(|group| group.iter())
    }

    /// Looks up a dotted attribute path on this type.
    pub fn attribute(&self, path: &str) -> AttrLookup {
        if let Some(a) = self.attributes().find(|a| a.path == path) {
            return AttrLookup::Found(a.ty);
        }
        let under_map = self.attributes().any(|a| {
            a.ty == AttrType::Map
                && path.len() > a.path.len()
                && path.starts_with(a.path)
                && path.as_bytes().get(a.path.len()) == Some(&b'.')
        });
        if under_map {
            AttrLookup::InMap
        } else {
            AttrLookup::Missing
        }
    }
}

/// Shorthand for the static attribute tables of the per-format modules.
const fn attr(path: &'static str, ty: AttrType, doc: &'static str) -> Attribute {
    Attribute {
        path,
        ty,
        computed: false,
        doc,
    }
}

/// Shorthand for a computed (provider-output) attribute.
const fn out(path: &'static str, ty: AttrType, doc: &'static str) -> Attribute {
    Attribute {
        path,
        ty,
        computed: true,
        doc,
    }
}

/// The catalogue as Markdown: the text of `docs/catalogue.md`, which a test
/// keeps in step with the tables above.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Resource type catalogue\n\n\
         The resource types graft knows, per stack format, with the attributes that match\n\
         predicates and endpoint roles may name. A predicate or role on an attribute a type\n\
         does not have is an error (`E0107`). Below a `map` attribute any key is accepted\n\
         (`metadata.labels.app`). *Computed* attributes are set by the provider (endpoint\n\
         addresses, `Fn::GetAtt` attributes) or derived by graft (`service.dns`).\n\n\
         This file is generated from `src/catalogue/`; run\n\
         `GRAFT_UPDATE_DOCS=1 cargo test --test docs` after changing the catalogue.\n",
    );
    for format in Format::ALL {
        out.push_str(&format!("\n## {format}\n"));
        for kind in [TypeKind::Service, TypeKind::Workload, TypeKind::Supporting] {
            let types: Vec<&ResourceType> =
                format.types().iter().filter(|t| t.kind == kind).collect();
            if types.is_empty() {
                continue;
            }
            let heading = match kind {
                TypeKind::Service => "Backing services",
                TypeKind::Workload => "Workloads (consumers)",
                TypeKind::Supporting => "Supporting resources",
            };
            out.push_str(&format!("\n### {heading}\n"));
            for t in types {
                out.push_str(&format!("\n#### `{}`\n\n{}\n\n", t.name, t.doc));
                out.push_str(
                    "| attribute | type | computed | what it holds |\n|---|---|---|---|\n",
                );
                for a in t.attributes() {
                    out.push_str(&format!(
                        "| `{}` | {} | {} | {} |\n",
                        a.path,
                        a.ty.describe(),
                        if a.computed { "yes" } else { "" },
                        a.doc.replace('|', "\\|")
                    ));
                }
            }
        }
    }
    out
}
