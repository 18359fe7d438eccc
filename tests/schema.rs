//! `graft schema`: a snapshot of the bindings schema of the shipped rules,
//! and a check with the reference JSON Schema implementation (Python's
//! `jsonschema`) that it is a valid draft 2020-12 schema which accepts the
//! bindings DESIGN.md shows and refuses the mistakes customers make.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use graft::bindings::schema::bindings_schema;
use serde_json::json;
use std::process::Command;

fn shipped_schema() -> serde_json::Value {
    let files = common::graft_files(&common::root().join("rules"));
    let mut sources = graft::source::Sources::new();
    for f in &files {
        sources.add(common::display_name(f), std::fs::read_to_string(f).unwrap());
    }
    let analysis = graft::analysis::analyze(&sources);
    assert_eq!(analysis.error_count(), 0);
    bindings_schema(&analysis.program, None)
}

#[test]
fn the_schema_of_the_shipped_rules() {
    insta::assert_json_snapshot!(shipped_schema());
}

#[test]
fn the_schema_validates_real_bindings_and_refuses_mistakes() {
    let k8s_secret =
        json!({ "secret": { "store": "kubernetes", "name": "redis-auth", "key": "password" } });
    let cases = json!([
        { "name": "design example", "valid": true, "instance": { "redis": {
            "hostname": "master.prod-cache.abc123.use1.cache.amazonaws.com:6380",
            "auth": k8s_secret, "database": 2, "tls_ca": "certs/private-ca.pem", "cluster": false } } },
        { "name": "only what is required", "valid": true, "instance": { "redis": {
            "hostname": "redis.internal", "auth": k8s_secret } } },
        { "name": "iam role", "valid": true, "instance": { "redis": {
            "hostname": "clustercfg.x.use1.cache.amazonaws.com",
            "auth": { "iam_role": "arn:aws:iam::123456789012:role/app", "user": "app" }, "cluster": true } } },
        { "name": "secrets manager", "valid": true, "instance": { "valkey": {
            "hostname": "[::1]:6379",
            "auth": { "secret": { "store": "aws-secretsmanager", "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis", "key": "password" } } } } },
        { "name": "no services at all", "valid": true, "instance": {} },
        { "name": "database out of range", "valid": false, "instance": { "redis": {
            "hostname": "h", "auth": k8s_secret, "database": 16 } } },
        { "name": "plaintext password", "valid": false, "instance": { "redis": {
            "hostname": "h", "auth": "hunter2" } } },
        { "name": "password value inside the reference", "valid": false, "instance": { "redis": {
            "hostname": "h", "auth": { "secret": { "store": "kubernetes", "name": "n", "key": "k", "value": "hunter2" } } } } },
        { "name": "unknown field", "valid": false, "instance": { "redis": {
            "hostname": "h", "auth": k8s_secret, "databse": 2 } } },
        { "name": "unknown service", "valid": false, "instance": { "memcached": {} } },
        { "name": "missing hostname", "valid": false, "instance": { "redis": { "auth": k8s_secret } } },
        { "name": "a URL is not an endpoint", "valid": false, "instance": { "redis": {
            "hostname": "redis://h:6379", "auth": k8s_secret } } },
        { "name": "unknown secret store", "valid": false, "instance": { "redis": {
            "hostname": "h", "auth": { "secret": { "store": "vault", "path": "x" } } } } },
        { "name": "gcp service account", "valid": true, "instance": { "postgresql": {
            "hostname": "10.40.0.3", "database": "orders", "username": "orders-api@shop.iam",
            "auth": { "service_account": "orders-api@shop.iam.gserviceaccount.com" } } } },
        { "name": "azure managed identity by resource id", "valid": true, "instance": { "valkey": {
            "hostname": "sessions.redis.cache.windows.net:6380",
            "auth": { "managed_identity": "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/shop/providers/Microsoft.ManagedIdentity/userAssignedIdentities/sessions" } } } },
        { "name": "a managed identity by its display name", "valid": false, "instance": { "postgresql": {
            "hostname": "h", "database": "d", "username": "u",
            "auth": { "managed_identity": "orders-api-identity" } } } },
        { "name": "two identities at once", "valid": false, "instance": { "postgresql": {
            "hostname": "h", "database": "d", "username": "u",
            "auth": { "iam_role": "arn:aws:iam::123456789012:role/app", "service_account": "a@b.iam.gserviceaccount.com" } } } },
    ]);
    let dir = tempfile::tempdir().unwrap();
    let schema_path = dir.path().join("schema.json");
    let cases_path = dir.path().join("cases.json");
    std::fs::write(
        &schema_path,
        serde_json::to_string(&shipped_schema()).unwrap(),
    )
    .unwrap();
    std::fs::write(&cases_path, serde_json::to_string(&cases).unwrap()).unwrap();
    let output = Command::new("python3")
        .arg(common::root().join("tests/schema/validate.py"))
        .arg(&schema_path)
        .arg(&cases_path)
        .arg(common::root().join("docs/bindings.md"))
        .output()
        .unwrap_or_else(|e| {
            panic!("python3 is needed to validate the schema ({e}): install Python 3")
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{stdout}{stderr}\n(if a package is missing: python3 -m pip install jsonschema pyyaml)"
    );
    // The 17 cases above and the 4 examples of docs/bindings.md.
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        21,
        "{stdout}"
    );
}
