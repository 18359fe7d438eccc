//! graft: a declarative rules engine that turns a vendor's origin deployment
//! stack into the stack one customer gets when that customer brings their own
//! backing service (their own Redis, Valkey, PostgreSQL, ...).
//!
//! The library is layered (see `ARCHITECTURE.md`):
//!
//! - [`source`] and [`diagnostics`]: text, spans, and the one diagnostic model;
//! - [`syntax`]: rule-file text to syntax tree, never failing;
//! - [`catalogue`]: the resource types each stack format has;
//! - [`check`]: names, types and conflicts, to a checked program;
//! - [`analysis`]: both steps over a set of files, the entry point the command
//!   line and the language server share.
//!
//! Checking rules held in memory, as a compiler embedding graft would:
//!
//! ```
//! use graft::source::Sources;
//!
//! let mut rules = Sources::new();
//! rules.add(
//!     "rules/cache.graft",
//!     r#"
//!     service cache {
//!       hostname: endpoint(default_port = 6379)
//!       database: int(0..=15) = 16
//!     }
//!     "#,
//! );
//! let analysis = graft::analysis::analyze(&rules);
//! assert_eq!(analysis.error_count(), 1);
//! let error = analysis.diagnostics.iter().find(|d| d.is_error()).unwrap();
//! assert_eq!(error.code.as_str(), "E0202");
//! assert_eq!(error.message, "default for `database` is out of range");
//! ```

pub mod analysis;
pub mod api;
pub mod bindings;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod lsp;
pub mod session;
pub mod source;
pub mod stack;
pub mod syntax;
