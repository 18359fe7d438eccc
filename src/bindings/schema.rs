//! The JSON Schema (draft 2020-12) of the bindings file, derived from the
//! service declarations: `graft schema [SERVICE]`.
//!
//! Every service is an optional top-level section; its fields are the
//! section's properties, with their doc comments as descriptions, their
//! defaults, ranges and enums. A field without a default that is not
//! optional is required. Credentials are references: a `secret` is
//! `{ secret: { store: ..., ... } }`, an `iam_role` is `{ iam_role: ARN }`;
//! a plain string where a secret belongs does not validate.

use crate::check::program::{FieldDef, InputType, Program, ServiceDef, Value};
use serde_json::{Map, Value as Json, json};

/// The schema of a bindings file that may provide any of `program`'s
/// services, or only `only` when given.
pub fn bindings_schema(program: &Program, only: Option<&str>) -> Json {
    let mut properties = Map::new();
    for (name, service) in &program.services {
        if only.is_some_and(|o| o != name) {
            continue;
        }
        properties.insert(name.clone(), service_schema(service));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://graft.dev/schemas/bindings.json",
        "title": "graft bindings",
        "description": "What one customer provides: one section per service they bring their own of.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "$defs": defs(),
    })
}

fn service_schema(service: &ServiceDef) -> Json {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in &service.fields {
        properties.insert(field.name.clone(), field_schema(field));
        if field.default.is_none() && !field.ty.optional {
            required.push(Json::String(field.name.clone()));
        }
    }
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    if let Some(obj) = schema.as_object_mut() {
        if !service.docs.is_empty() {
            obj.insert("description".into(), Json::String(service.docs.clone()));
        }
        if !service.customer_owns.is_empty() {
            obj.insert(
                "x-customer-owns".into(),
                Json::Array(
                    service
                        .customer_owns
                        .iter()
                        .cloned()
                        .map(Json::String)
                        .collect(),
                ),
            );
        }
    }
    schema
}

fn field_schema(field: &FieldDef) -> Json {
    let alternatives: Vec<Json> = field.ty.alternatives.iter().map(type_schema).collect();
    let mut schema = match <[Json; 1]>::try_from(alternatives) {
        Ok([one]) => one,
        Err(many) => json!({ "oneOf": many }),
    };
    if let Some(obj) = schema.as_object_mut() {
        if !field.docs.is_empty() {
            obj.insert("description".into(), Json::String(field.docs.clone()));
        }
        if let Some(default) = &field.default {
            obj.insert("default".into(), value_json(default));
        }
    }
    if field.ty.optional {
        schema = json!({ "anyOf": [schema, { "type": "null" }] });
    }
    schema
}

fn type_schema(ty: &InputType) -> Json {
    match ty {
        InputType::String => json!({ "type": "string" }),
        InputType::Bool => json!({ "type": "boolean" }),
        InputType::Int { min, max } => {
            let mut s = json!({ "type": "integer" });
            if let Some(obj) = s.as_object_mut() {
                if let Some(min) = min {
                    obj.insert("minimum".into(), json!(min));
                }
                if let Some(max) = max {
                    obj.insert("maximum".into(), json!(max));
                }
            }
            s
        }
        InputType::Enum(values) => json!({ "type": "string", "enum": values }),
        InputType::Endpoint { default_port } => {
            let port = match default_port {
                Some(p) => format!("; the port defaults to {p}"),
                None => String::new(),
            };
            json!({
                "type": "string",
                "pattern": ENDPOINT_PATTERN,
                "x-graft-type": "endpoint",
                "$comment": format!("`host` or `host:port`{port}"),
            })
        }
        InputType::Secret => json!({ "$ref": "#/$defs/secret" }),
        InputType::IamRole => json!({ "$ref": "#/$defs/iam_role" }),
        InputType::Certificate => json!({
            "type": "string",
            "minLength": 1,
            "x-graft-type": "certificate",
            "$comment": "path to a PEM certificate file, relative to the bindings file",
        }),
    }
}

/// `host` or `host:port`, with a bracketed IPv6 host allowed.
const ENDPOINT_PATTERN: &str = r"^([^\s:/\[\]]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$";

fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Str(s) => json!(s),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
    }
}

/// The shapes of a secret reference, per secret store, and of an IAM role.
fn defs() -> Json {
    let store = |name: &str, description: &str, properties: Json, required: &[&str]| {
        let mut props = properties;
        if let Some(obj) = props.as_object_mut() {
            obj.insert("store".into(), json!({ "const": name }));
        }
        let mut req: Vec<&str> = vec!["store"];
        req.extend_from_slice(required);
        json!({
            "description": description,
            "type": "object",
            "properties": props,
            "required": req,
            "additionalProperties": false,
        })
    };
    json!({
        "secret": {
            "description": "A reference to a secret in the customer's store. The value itself never appears in a bindings file.",
            "type": "object",
            "properties": {
                "secret": {
                    "oneOf": [
                        store(
                            "kubernetes",
                            "A key of a Kubernetes Secret",
                            json!({
                                "name": { "type": "string", "minLength": 1 },
                                "key": { "type": "string", "minLength": 1 },
                                "namespace": { "type": "string", "minLength": 1 },
                            }),
                            &["name", "key"],
                        ),
                        store(
                            "aws-secretsmanager",
                            "An AWS Secrets Manager secret, or one JSON key of it",
                            json!({
                                "arn": { "type": "string", "pattern": "^arn:aws[a-z-]*:secretsmanager:" },
                                "key": { "type": "string", "minLength": 1 },
                            }),
                            &["arn"],
                        ),
                        store(
                            "aws-ssm",
                            "An AWS Systems Manager SecureString parameter",
                            json!({ "name": { "type": "string", "minLength": 1 } }),
                            &["name"],
                        ),
                        store(
                            "gcp-secretmanager",
                            "A GCP Secret Manager secret",
                            json!({
                                "name": { "type": "string", "pattern": "^projects/[^/]+/secrets/[^/]+$" },
                                "version": { "type": "string", "minLength": 1 },
                            }),
                            &["name"],
                        ),
                        store(
                            "azure-keyvault",
                            "An Azure Key Vault secret",
                            json!({
                                "vault": { "type": "string", "minLength": 1 },
                                "name": { "type": "string", "minLength": 1 },
                                "version": { "type": "string", "minLength": 1 },
                            }),
                            &["vault", "name"],
                        ),
                    ],
                },
            },
            "required": ["secret"],
            "additionalProperties": false,
        },
        "iam_role": {
            "description": "A cloud identity used instead of a password: an AWS IAM role (ElastiCache, MemoryDB, RDS and Aurora IAM authentication), an Azure managed identity (Microsoft Entra authentication) or a GCP service account (Cloud SQL and Memorystore IAM authentication), with the user to connect as.",
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "iam_role": { "type": "string", "pattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$" },
                        "user": { "type": "string", "minLength": 1 },
                    },
                    "required": ["iam_role"],
                    "additionalProperties": false,
                },
                {
                    "type": "object",
                    "properties": {
                        "managed_identity": {
                            "description": "A user-assigned managed identity: its client id, or its resource id",
                            "type": "string",
                            "pattern": "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/[^/]+)$",
                        },
                        "user": { "type": "string", "minLength": 1 },
                    },
                    "required": ["managed_identity"],
                    "additionalProperties": false,
                },
                {
                    "type": "object",
                    "properties": {
                        "service_account": {
                            "description": "A GCP service account's email",
                            "type": "string",
                            "pattern": "^[^@\\s]+@[^@\\s]+\\.gserviceaccount\\.com$",
                        },
                        "user": { "type": "string", "minLength": 1 },
                    },
                    "required": ["service_account"],
                    "additionalProperties": false,
                },
            ],
        },
    })
}
