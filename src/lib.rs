//! graft: a declarative rules engine that turns a vendor's origin deployment
//! stack into the stack one customer gets when that customer brings their own
//! backing service (their own Redis, Valkey, PostgreSQL, ...).
//!
//! The library is layered (see `ARCHITECTURE.md`):
//!
//! - [`source`] and [`diagnostics`]: text, spans, and the one diagnostic model;
//! - [`syntax`]: rule-file text to syntax tree, never failing;
//! - [`catalogue`]: the resource types each stack format has;
//! - [`check`]: names, types and conflicts, to a checked program.

pub mod analysis;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod source;
pub mod syntax;
