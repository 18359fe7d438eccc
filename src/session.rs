//! An incremental session: the job's inputs held in a salsa database, so that
//! after an edit only what depends on it is computed again, and the result
//! equals a full run.
//!
//! Inputs are the stack files, one salsa input each; the rules and bindings
//! are held beside them. Memoized: each file's parse, the largest part of a
//! run. An edit to one file reparses that file only; the objects, references
//! and plan are then assembled again from the parsed files. The rules and
//! bindings are checked once and kept until one of them changes. Finer steps (per-file
//! references behind the name index, per-service plans) are the next ones to
//! move behind queries. Salsa is pinned exactly (`=0.26.1`, with its macro
//! crates): its API still changes between minor versions.
//!
//! ```
//! use graft::api::Job;
//! use graft::session::Session;
//!
//! let job = Job {
//!     rules: vec![("r.graft".into(), "service s { host: endpoint }".into())],
//!     bindings: ("b.yaml".into(), String::new()),
//!     stack: vec![("a.yaml".into(), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n".into())],
//!     certificates: Default::default(),
//! };
//! let mut session = Session::new(&job);
//! assert_eq!(session.run().errors(), 0);
//! session.set_file("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
//! let done = session.run();
//! assert_eq!(done.errors(), 0);
//! assert_eq!(session.parses(), 2);
//! ```

use crate::api::{Checked, Done, Job, check_inputs, finish};
use crate::stack::{ReadError, StackFile};
use salsa::Setter;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use queries::{Database, Db, SourceFile, parsed};

/// The salsa items. The methods salsa generates for them carry no docs of
/// their own, hence the `allow`.
mod queries {
    #![allow(missing_docs)]
    use super::*;

    /// The salsa database, with a count of the parses it ran.
    #[salsa::db]
    #[derive(Clone, Default)]
    pub struct Database {
        storage: salsa::Storage<Self>,
        parses: Arc<AtomicUsize>,
    }

    #[salsa::db]
    impl salsa::Database for Database {}

    /// What the queries need of the database.
    #[salsa::db]
    pub trait Db: salsa::Database {
        /// Counts one file parse.
        fn count_parse(&self);
    }

    #[salsa::db]
    impl Db for Database {
        fn count_parse(&self) {
            self.parses.fetch_add(1, Ordering::Relaxed);
        }
    }

    impl Database {
        /// How many file parses this database has run.
        pub fn parses(&self) -> usize {
            self.parses.load(Ordering::Relaxed)
        }
    }

    /// One stack file: a salsa input.
    #[salsa::input]
    pub struct SourceFile {
        /// Its path relative to the stack root.
        #[returns(ref)]
        pub path: String,
        /// Its text.
        #[returns(ref)]
        pub text: String,
    }

    /// A file's parse, memoized: computed again only when its text changes.
    #[salsa::tracked(returns(ref))]
    pub fn parsed(db: &dyn Db, file: SourceFile) -> Result<Arc<StackFile>, ReadError> {
        db.count_parse();
        crate::stack::kubernetes::parse_file(file.path(db).clone(), file.text(db).clone())
            .map(Arc::new)
    }
}

/// A job whose inputs can change, run again at the cost of what changed.
pub struct Session {
    db: Database,
    job: Job,
    files: BTreeMap<String, SourceFile>,
    /// The rules and bindings checked, kept until either changes.
    checked: std::sync::Mutex<Option<Checked>>,
}

impl Session {
    /// A session over `job`'s inputs.
    pub fn new(job: &Job) -> Session {
        let db = Database::default();
        let files = job
            .stack
            .iter()
            .map(|(path, text)| {
                (
                    path.clone(),
                    SourceFile::new(&db, path.clone(), text.clone()),
                )
            })
            .collect();
        let mut job = job.clone();
        job.stack.clear();
        Session {
            db,
            job,
            files,
            checked: std::sync::Mutex::new(None),
        }
    }

    /// Sets the text of the stack file at `path`, adding it if it is new.
    pub fn set_file(&mut self, path: &str, text: &str) {
        match self.files.get(path) {
            Some(file) => {
                if file.text(&self.db) != text {
                    file.set_text(&mut self.db).to(text.to_string());
                }
            }
            None => {
                let file = SourceFile::new(&self.db, path.to_string(), text.to_string());
                self.files.insert(path.to_string(), file);
            }
        }
    }

    /// Removes the stack file at `path`.
    pub fn remove_file(&mut self, path: &str) {
        self.files.remove(path);
    }

    /// Replaces the bindings file.
    pub fn set_bindings(&mut self, name: &str, text: &str) {
        self.job.bindings = (name.to_string(), text.to_string());
        self.forget_checked();
    }

    /// Replaces the rule files.
    pub fn set_rules(&mut self, rules: Vec<(String, String)>) {
        self.job.rules = rules;
        self.forget_checked();
    }

    fn forget_checked(&mut self) {
        if let Ok(mut c) = self.checked.lock() {
            *c = None;
        }
    }

    /// Runs the job on the current inputs.
    pub fn run(&self) -> Done {
        self.run_with(&|path| {
            self.job
                .certificates
                .get(path)
                .cloned()
                .ok_or_else(|| "no such file was given".to_string())
        })
    }

    /// [`Session::run`], with certificates loaded by `certificate`.
    pub fn run_with(&self, certificate: &dyn Fn(&str) -> Result<String, String>) -> Done {
        let db: &dyn Db = &self.db;
        let stack = || {
            let parsed: Vec<Result<Arc<StackFile>, ReadError>> = self
                .files
                .values()
                .map(|f| parsed(db, *f).clone())
                .collect();
            crate::stack::kubernetes::assemble(parsed)
        };
        let checked = {
            let mut cache = match self.checked.lock() {
                Ok(c) => c,
                Err(poisoned) => poisoned.into_inner(),
            };
            cache
                .get_or_insert_with(|| check_inputs(&self.job, certificate))
                .clone()
        };
        finish(checked, &stack, &|path| {
            self.files.get(path).map(|f| f.text(&self.db).clone())
        })
    }

    /// How many file parses this session has run.
    pub fn parses(&self) -> usize {
        self.db.parses()
    }
}
