//! Customer inputs: the bindings file a customer fills in, one section per
//! provided service, checked against the service declarations.
//!
//! The declarations *are* the schema: [`schema`] turns a checked program's
//! services into the JSON Schema of the bindings file (`graft schema`).
//!
//! Architecture invariant: bindings hold references to secrets, never their
//! values; nothing here reads a secret store. No I/O: files are read at the
//! edges.

pub mod read;
pub mod schema;

use crate::source::{FileId, Span};
use std::collections::BTreeMap;

/// What one customer provides: one section per service they bring.
#[derive(Clone, Debug, PartialEq)]
pub struct Bindings {
    /// The bindings file.
    pub file: FileId,
    /// The provided services by name.
    pub services: BTreeMap<String, Provided>,
}

/// One provided service: every input, given or defaulted.
#[derive(Clone, Debug, PartialEq)]
pub struct Provided {
    /// The service.
    pub name: String,
    /// Where its section starts.
    pub span: Span,
    /// Every field: its value, where it was given, and whether it was given
    /// (rather than defaulted).
    pub inputs: BTreeMap<String, (Input, Span, bool)>,
}

/// One input value.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// Not given (an optional input).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string or enum value.
    Str(String),
    /// `host[:port]`; the port is the default when none was given.
    Endpoint {
        /// The host.
        host: String,
        /// The port.
        port: Option<u16>,
    },
    /// A reference to a secret.
    Secret(SecretRef),
    /// A cloud identity used instead of a password: an AWS IAM role, an
    /// Azure managed identity or a GCP service account.
    IamRole {
        /// Which cloud's identity.
        kind: Identity,
        /// The role ARN, the managed identity's client or resource id, or
        /// the service account's email.
        id: String,
        /// The user name to authenticate as.
        user: Option<String>,
    },
    /// A PEM certificate (public: a CA certificate).
    Certificate {
        /// The path as written in the bindings file.
        path: String,
        /// Its PEM text.
        pem: String,
    },
}

/// Where a secret is kept; never its value.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretRef {
    /// The store: `kubernetes`, `aws-secretsmanager`, `aws-ssm`,
    /// `gcp-secretmanager`, `azure-keyvault`.
    pub store: String,
    /// The store's coordinates (`name`, `key`, `arn`, ...).
    pub fields: BTreeMap<String, String>,
}

impl SecretRef {
    /// One coordinate.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.get(key).map(String::as_str)
    }

    /// The reference as one line of text: `kubernetes:redis-auth/password`.
    pub fn describe(&self) -> String {
        let f = |k: &str| self.get(k).unwrap_or("");
        match self.store.as_str() {
            "kubernetes" => format!("kubernetes:{}/{}", f("name"), f("key")),
            "aws-secretsmanager" => match self.get("key") {
                Some(k) => format!("{}:{k}::", f("arn")),
                None => f("arn").to_string(),
            },
            "aws-ssm" => format!("ssm:{}", f("name")),
            "gcp-secretmanager" => match self.get("version") {
                Some(v) => format!("{}/versions/{v}", f("name")),
                None => f("name").to_string(),
            },
            "azure-keyvault" => format!(
                "https://{}.vault.azure.net/secrets/{}",
                f("vault"),
                f("name")
            ),
            other => other.to_string(),
        }
    }
}

impl Input {
    /// The keyword of the type this value has, as `is` tests it.
    pub fn keyword(&self) -> &'static str {
        match self {
            Input::Null => "null",
            Input::Bool(_) => "bool",
            Input::Int(_) => "int",
            Input::Str(_) => "string",
            Input::Endpoint { .. } => "endpoint",
            Input::Secret(_) => "secret",
            Input::IamRole { .. } => "iam_role",
            Input::Certificate { .. } => "certificate",
        }
    }

    /// The plain value, or one part of an endpoint (`host`, `port`); `None`
    /// for credentials and certificates, which are never values.
    pub fn as_value(&self, member: Option<&str>) -> Option<crate::check::program::Value> {
        use crate::check::program::Value;
        match (self, member) {
            (Input::Null, _) => Some(Value::Null),
            (Input::Bool(b), None) => Some(Value::Bool(*b)),
            (Input::Int(i), None) => Some(Value::Int(*i)),
            (Input::Str(s), None) => Some(Value::Str(s.clone())),
            (Input::Endpoint { host, .. }, Some("host")) => Some(Value::Str(host.clone())),
            (Input::Endpoint { port, .. }, Some("port")) => {
                Some(port.map_or(Value::Null, |p| Value::Int(i64::from(p))))
            }
            (Input::Endpoint { host, port }, None) => Some(Value::Str(match port {
                Some(p) if host.contains(':') => format!("[{host}]:{p}"),
                Some(p) => format!("{host}:{p}"),
                None => host.clone(),
            })),
            (Input::IamRole { id, .. }, None) => Some(Value::Str(id.clone())),
            _ => None,
        }
    }
}

/// The cloud identities an `iam_role` input may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// An AWS IAM role (`arn:aws:iam::ACCOUNT:role/NAME`): ElastiCache,
    /// MemoryDB, RDS and Aurora IAM authentication.
    AwsRole,
    /// An Azure managed identity (its client id, or its resource id):
    /// Microsoft Entra authentication.
    AzureManagedIdentity,
    /// A GCP service account (`NAME@PROJECT.iam.gserviceaccount.com`): Cloud
    /// SQL and Memorystore IAM authentication.
    GcpServiceAccount,
}

impl Identity {
    /// The key the bindings file names it with.
    pub fn key(self) -> &'static str {
        match self {
            Identity::AwsRole => "iam_role",
            Identity::AzureManagedIdentity => "managed_identity",
            Identity::GcpServiceAccount => "service_account",
        }
    }

    /// What it is, for people: `IAM role`, `managed identity`, `service account`.
    pub fn noun(self) -> &'static str {
        match self {
            Identity::AwsRole => "IAM role",
            Identity::AzureManagedIdentity => "managed identity",
            Identity::GcpServiceAccount => "service account",
        }
    }

    /// The annotation of a Kubernetes ServiceAccount that lets its pods
    /// act as the identity (EKS IRSA, Azure and GKE workload identity).
    pub fn service_account_annotation(self) -> &'static str {
        match self {
            Identity::AwsRole => "eks.amazonaws.com/role-arn",
            Identity::AzureManagedIdentity => "azure.workload.identity/client-id",
            Identity::GcpServiceAccount => "iam.gke.io/gcp-service-account",
        }
    }
}
