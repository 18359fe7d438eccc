//! Customer inputs: the bindings file a customer fills in, one section per
//! provided service, checked against the service declarations.
//!
//! The declarations *are* the schema: [`schema`] turns a checked program's
//! services into the JSON Schema of the bindings file (`graft schema`).
//!
//! Architecture invariant: bindings hold references to secrets, never their
//! values; nothing here reads a secret store. No I/O: files are read at the
//! edges.

pub mod schema;
