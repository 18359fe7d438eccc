//! An incremental session: the job's inputs held in a salsa database, so that
//! after an edit only what depends on it is computed again, and the result
//! equals a full run.
//!
//! Inputs are the stack files, one salsa input each, and their list; the
//! rules and bindings, checked once and kept beside the database until one
//! of them changes, which bumps a [`RulesRevision`] input; and the engine's
//! [`Scope`], worked out over the stack on each run and set only when it
//! changes ([`ScopeInput`]). The derived queries, per file: its parse
//! ([`parsed`]), its objects ([`objects`]), what others can call them
//! ([`named`]), its references ([`references`]), its matches ([`matches()`])
//! and its part of the plan ([`file_plan`]); for the stack: the names index
//! ([`names`]). A file's references read its own tree and the names index
//! only, and the index compares equal after an edit that renames nothing,
//! so such an edit reparses, relinks, rematches and replans its own file and
//! nothing else (salsa's early cut-off); new rules or bindings rematch and
//! replan every file and reparse none. A matcher that reads a derived
//! attribute (`service.dns`) needs the whole stack: then matching runs over
//! all of it. The reference index, the scope and the engine's conclusion
//! (drops, the dangling check, the output) run again over the stack put
//! together from the memoized parts, unless every file edited since the
//! last run was edited in a way the rest of the stack cannot see: then
//! [`Session::run`] patches the last result with those files' new work
//! ([`engine::patch_file`]), at a cost that does not grow with the stack.
//! Salsa is pinned exactly (`=0.26.1`, with its macro crates): its API
//! still changes between minor versions.
//!
//! ```
//! use graft::api::Job;
//! use graft::session::Session;
//!
//! let job = Job {
//!     rules: vec![("r.graft".into(), "service s { host: endpoint }".into())],
//!     bindings: ("b.yaml".into(), "{}".into()),
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

use crate::api::{Checked, Done, Job, check_inputs, finish_with};
use crate::engine::{self, FilePlan, Match, Pins, Scope};
use crate::stack::kubernetes::{self, FileObjects, Named, Names};
use crate::stack::{FileView, ReadError, Reference, Stack, StackFile};
use salsa::Setter;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub use queries::{
    Database, Db, RulesRevision, ScopeInput, SourceFile, StackFiles, file_plan, file_view, matches,
    named, names, objects, parsed, place, references, template,
};

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
        linked: Arc<AtomicUsize>,
        matched: Arc<AtomicUsize>,
        planned: Arc<AtomicUsize>,
        /// The rules and bindings, checked: set beside the database, and
        /// read by queries that also read [`RulesRevision`], which changes
        /// whenever they are replaced.
        checked: Arc<std::sync::Mutex<Option<Arc<Checked>>>>,
    }

    #[salsa::db]
    impl salsa::Database for Database {}

    /// What the queries need of the database.
    #[salsa::db]
    pub trait Db: salsa::Database {
        /// Counts one file parse.
        fn count_parse(&self);
        /// Counts one file whose references were worked out.
        fn count_link(&self);
        /// Counts one file matched.
        fn count_match(&self);
        /// Counts one file whose part of the plan was worked out.
        fn count_plan(&self);
        /// The checked rules and bindings, once a run has checked them.
        fn checked(&self) -> Option<Arc<Checked>>;
    }

    #[salsa::db]
    impl Db for Database {
        fn count_parse(&self) {
            self.parses.fetch_add(1, Ordering::Relaxed);
        }

        fn count_link(&self) {
            self.linked.fetch_add(1, Ordering::Relaxed);
        }

        fn count_match(&self) {
            self.matched.fetch_add(1, Ordering::Relaxed);
        }

        fn count_plan(&self) {
            self.planned.fetch_add(1, Ordering::Relaxed);
        }

        fn checked(&self) -> Option<Arc<Checked>> {
            self.checked_slot().clone()
        }
    }

    impl Database {
        /// How many file parses this database has run.
        pub fn parses(&self) -> usize {
            self.parses.load(Ordering::Relaxed)
        }

        /// How many times this database worked out a file's references.
        pub fn linked(&self) -> usize {
            self.linked.load(Ordering::Relaxed)
        }

        /// How many times this database matched a file.
        pub fn matched(&self) -> usize {
            self.matched.load(Ordering::Relaxed)
        }

        /// How many times this database worked out a file's part of the plan.
        pub fn planned(&self) -> usize {
            self.planned.load(Ordering::Relaxed)
        }

        /// The checked rules and bindings, locked.
        pub fn checked_slot(&self) -> std::sync::MutexGuard<'_, Option<Arc<Checked>>> {
            match self.checked.lock() {
                Ok(c) => c,
                Err(poisoned) => poisoned.into_inner(),
            }
        }
    }

    /// Which rules and bindings are current: a salsa input that changes
    /// whenever either is replaced.
    #[salsa::input]
    pub struct RulesRevision {
        pub n: u64,
    }

    /// A file's matches, by the rules and bindings of `rules`; `None` when
    /// a matcher reads a derived attribute, so that only the whole stack
    /// can be matched.
    #[salsa::tracked(returns(ref))]
    pub fn matches(db: &dyn Db, file: SourceFile, rules: RulesRevision) -> Option<Arc<Vec<Match>>> {
        rules.n(db);
        db.count_match();
        let checked = db.checked();
        let Some((program, bindings)) = checked.as_ref().and_then(|c| c.inputs()) else {
            return Some(Arc::default());
        };
        let Ok(f) = parsed(db, file) else {
            return Some(Arc::default());
        };
        crate::engine::match_file(program, bindings, f, &objects(db, file).resources).map(Arc::new)
    }

    /// What the rules act on, worked out over the whole stack on each run:
    /// a salsa input, set only when it changes.
    #[salsa::input]
    pub struct ScopeInput {
        #[returns(ref)]
        pub scope: Arc<Scope>,
    }

    /// Where a file is in the stack: its index, and the number of its first
    /// resource (the same after most edits, even ones that rename).
    #[salsa::tracked]
    pub fn place(db: &dyn Db, file: SourceFile, stack: StackFiles) -> Option<(usize, u32)> {
        names(db, stack).file(file.path(db))
    }

    /// A file's part of the plan: computed again when the file, its
    /// references, the scope or the rules change.
    #[salsa::tracked(returns(ref))]
    pub fn file_plan(
        db: &dyn Db,
        file: SourceFile,
        stack: StackFiles,
        scope: ScopeInput,
        rules: RulesRevision,
    ) -> Arc<FilePlan> {
        rules.n(db);
        db.count_plan();
        let checked = db.checked();
        let Some(checked) = checked.as_ref() else {
            return Arc::default();
        };
        let Some((program, bindings)) = checked.inputs() else {
            return Arc::default();
        };
        let Some(view) = file_view(db, file, stack) else {
            return Arc::default();
        };
        Arc::new(engine::file_plan(
            program,
            &checked.sources,
            bindings,
            scope.scope(db),
            view,
        ))
    }

    /// A file as the engine's per-file work reads it: `None` when it does
    /// not parse.
    pub fn file_view(db: &dyn Db, file: SourceFile, stack: StackFiles) -> Option<FileView<'_>> {
        let (index, first) = place(db, file, stack)?;
        Some(FileView {
            index,
            file: parsed(db, file).as_ref().ok()?,
            first,
            resources: &objects(db, file).resources,
            references: references(db, file, stack),
        })
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

    /// The stack's files, in path order: a salsa input.
    #[salsa::input]
    pub struct StackFiles {
        #[returns(ref)]
        pub files: Vec<SourceFile>,
    }

    /// Whether a file is a CloudFormation template (its text searched once
    /// per edit, not on every run).
    #[salsa::tracked]
    pub fn template(db: &dyn Db, file: SourceFile) -> bool {
        crate::stack::cloudformation::is_template(file.path(db), file.text(db))
    }

    /// A file's parse, memoized: computed again only when its text changes.
    #[salsa::tracked(returns(ref))]
    pub fn parsed(db: &dyn Db, file: SourceFile) -> Result<Arc<StackFile>, ReadError> {
        db.count_parse();
        crate::stack::kubernetes::parse_file(file.path(db).clone(), file.text(db).clone())
            .map(Arc::new)
    }

    /// A file's objects (none when it does not parse).
    #[salsa::tracked(returns(ref))]
    pub fn objects(db: &dyn Db, file: SourceFile) -> Arc<FileObjects> {
        match parsed(db, file) {
            Ok(f) => Arc::new(kubernetes::objects(f)),
            Err(_) => Arc::default(),
        }
    }

    /// What others can call a file's objects: equal after an edit that
    /// renames nothing, so that the names index is kept.
    #[salsa::tracked(returns(ref))]
    pub fn named(db: &dyn Db, file: SourceFile) -> Option<Arc<Vec<Named>>> {
        parsed(db, file).as_ref().ok()?;
        Some(Arc::new(objects(db, file).named.clone()))
    }

    /// The names index of the whole stack. It reads each file's names
    /// only (never its tree), so that an edit which renames nothing does
    /// not build it again.
    #[salsa::tracked(returns(ref))]
    pub fn names(db: &dyn Db, stack: StackFiles) -> Arc<Names> {
        let files: Vec<(&String, &Arc<Vec<Named>>)> = stack
            .files(db)
            .iter()
            .filter_map(|f| Some((f.path(db), named(db, *f).as_ref()?)))
            .collect();
        Arc::new(Names::new(
            files.iter().map(|(p, n)| (p.as_str(), n.as_slice())),
        ))
    }

    /// A file's references: computed again when the file changes, or when
    /// the names index does.
    #[salsa::tracked(returns(ref))]
    pub fn references(db: &dyn Db, file: SourceFile, stack: StackFiles) -> Arc<Vec<Reference>> {
        db.count_link();
        match parsed(db, file) {
            Ok(f) => Arc::new(kubernetes::file_references(
                f,
                objects(db, file),
                names(db, stack),
            )),
            Err(_) => Arc::default(),
        }
    }
}

/// What [`Session::run_observed`] shows the matched resources to.
pub type Observer<'a> =
    dyn FnMut(&crate::check::program::Program, &crate::bindings::Bindings, &[Match]) + 'a;

/// A job whose inputs can change, run again at the cost of what changed.
pub struct Session {
    db: Database,
    job: Job,
    files: BTreeMap<String, SourceFile>,
    /// The same files, as the input the names index reads.
    stack: StackFiles,
    /// Changes whenever the rules or bindings do.
    revision: RulesRevision,
    /// The scope of the last run.
    scope: ScopeInput,
    /// The last whole run of a Kubernetes stack, while only files' texts
    /// have changed since.
    last: Option<LastRun>,
    /// The files whose text changed since the last run.
    edited: Vec<SourceFile>,
    /// How many runs patched the last one's result.
    patched: usize,
}

/// What a whole run of a Kubernetes stack leaves for the next one to patch
/// (see [`Session::run`]): its result and, per file in stack order, the
/// parts of its work the patch compares against.
struct LastRun {
    done: Arc<Done>,
    files: Vec<SourceFile>,
    named: Vec<Option<Arc<Vec<Named>>>>,
    matches: Vec<Option<Arc<Vec<Match>>>>,
    parsed: Vec<Arc<StackFile>>,
    references: Vec<Arc<Vec<Reference>>>,
    plans: Vec<Arc<FilePlan>>,
    /// What the conclusion read of each file and wrote into it.
    pins: Vec<Pins>,
}

impl Session {
    /// A session over `job`'s inputs.
    pub fn new(job: &Job) -> Session {
        let db = Database::default();
        let files: BTreeMap<String, SourceFile> = job
            .stack
            .iter()
            .map(|(path, text)| {
                (
                    path.clone(),
                    SourceFile::new(&db, path.clone(), text.clone()),
                )
            })
            .collect();
        // The stack's texts live in the database only.
        let job = Job {
            stack: Vec::new(),
            rules: job.rules.clone(),
            bindings: job.bindings.clone(),
            certificates: job.certificates.clone(),
        };
        let stack = StackFiles::new(&db, files.values().copied().collect());
        let revision = RulesRevision::new(&db, 0);
        let scope = ScopeInput::new(&db, Arc::default());
        Session {
            db,
            job,
            files,
            stack,
            revision,
            scope,
            last: None,
            edited: Vec::new(),
            patched: 0,
        }
    }

    /// Tells the database which files the stack has now.
    fn list_files(&mut self) {
        self.last = None;
        let files: Vec<SourceFile> = self.files.values().copied().collect();
        if self.stack.files(&self.db) != &files {
            self.stack.set_files(&mut self.db).to(files);
        }
    }

    /// Sets the text of the stack file at `path`, adding it if it is new.
    pub fn set_file(&mut self, path: &str, text: &str) {
        match self.files.get(path) {
            Some(file) => {
                if file.text(&self.db) != text {
                    file.set_text(&mut self.db).to(text.to_string());
                    if !self.edited.contains(file) {
                        self.edited.push(*file);
                    }
                }
            }
            None => {
                let file = SourceFile::new(&self.db, path.to_string(), text.to_string());
                self.files.insert(path.to_string(), file);
                self.list_files();
            }
        }
    }

    /// Removes the stack file at `path`.
    pub fn remove_file(&mut self, path: &str) {
        if self.files.remove(path).is_some() {
            self.list_files();
        }
    }

    /// Replaces the bindings file (nothing is forgotten when it is the
    /// same).
    pub fn set_bindings(&mut self, name: &str, text: &str) {
        if self.job.bindings.0 == name && self.job.bindings.1 == text {
            return;
        }
        self.job.bindings = (name.to_string(), text.to_string());
        self.forget_checked();
    }

    /// Replaces the rule files (nothing is forgotten when they are the
    /// same).
    pub fn set_rules(&mut self, rules: Vec<(String, String)>) {
        if self.job.rules == rules {
            return;
        }
        self.job.rules = rules;
        self.forget_checked();
    }

    /// Makes the stack exactly `files` (path, text): changed files set, new
    /// ones added, missing ones removed.
    pub fn set_stack(&mut self, files: &[(String, String)]) {
        let keep: std::collections::BTreeSet<&str> =
            files.iter().map(|(p, _)| p.as_str()).collect();
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|p| !keep.contains(p.as_str()))
            .cloned()
            .collect();
        for path in gone {
            self.remove_file(&path);
        }
        for (path, text) in files {
            self.set_file(path, text);
        }
    }

    /// Drops the checked rules and bindings, and tells the queries that
    /// read them.
    fn forget_checked(&mut self) {
        self.last = None;
        *self.db.checked_slot() = None;
        let n = self.revision.n(&self.db);
        self.revision.set_n(&mut self.db).to(n + 1);
    }

    /// Runs the job on the current inputs.
    ///
    /// The result is shared with the session: when only the texts of
    /// Kubernetes files changed since the last run, and each edited file
    /// changed in a way the rest of the stack cannot see (see
    /// [`engine::patch_file`]), the last result is patched with those files'
    /// new work instead of putting the whole stack together again. That is
    /// in place when the caller has let go of the last result, and on a copy
    /// when it has not. Either way it equals a full run.
    pub fn run(&mut self) -> Arc<Done> {
        let certificates = self.job.certificates.clone();
        self.run_with(&|path| {
            certificates
                .get(path)
                .cloned()
                .ok_or_else(|| "no such file was given".to_string())
        })
    }

    /// [`Session::run`], with certificates loaded by `certificate`.
    pub fn run_with(&mut self, certificate: &dyn Fn(&str) -> Result<String, String>) -> Arc<Done> {
        if let Some(done) = self.patch() {
            self.patched += 1;
            return done;
        }
        let mut pins = None;
        let done = Arc::new(self.run_whole(certificate, &mut |_, _, _| {}, &mut pins));
        self.last = pins.and_then(|pins| self.keep(&done, pins));
        done
    }

    /// [`Session::run_with`], showing `observe` the resources the matchers
    /// select (indexes in the stack) before the plan is made from them (the
    /// language server's preview counts them). It always puts the whole
    /// stack together.
    pub fn run_observed(
        &mut self,
        certificate: &dyn Fn(&str) -> Result<String, String>,
        observe: &mut Observer<'_>,
    ) -> Done {
        self.last = None;
        self.run_whole(certificate, observe, &mut None)
    }

    /// How many runs patched the last result rather than putting the whole
    /// stack together.
    pub fn patched(&self) -> usize {
        self.patched
    }

    /// What the last run leaves for the next to patch: each file's work as
    /// the database holds it now. `None` when the run had errors.
    fn keep(&self, done: &Arc<Done>, pins: Vec<Pins>) -> Option<LastRun> {
        let db = &self.db;
        let (list, revision, scope) = (self.stack, self.revision, self.scope);
        let files = list.files(db).clone();
        if done.errors() > 0 || done.outcome.is_none() || pins.len() != files.len() {
            return None;
        }
        let mut last = LastRun {
            done: done.clone(),
            named: Vec::with_capacity(files.len()),
            matches: Vec::with_capacity(files.len()),
            parsed: Vec::with_capacity(files.len()),
            references: Vec::with_capacity(files.len()),
            plans: Vec::with_capacity(files.len()),
            files,
            pins,
        };
        for &f in &last.files {
            last.parsed.push(parsed(db, f).as_ref().ok()?.clone());
            last.named.push(named(db, f).clone());
            last.matches.push(matches(db, f, revision).clone());
            last.references.push(references(db, f, list).clone());
            last.plans
                .push(file_plan(db, f, list, scope, revision).clone());
        }
        Some(last)
    }

    /// The last result, patched with the work of the files edited since
    /// (see [`Session::run`]); `None` when the whole stack must be put
    /// together again.
    fn patch(&mut self) -> Option<Arc<Done>> {
        let edited = std::mem::take(&mut self.edited);
        let mut last = self.last.take()?;
        let db = &self.db;
        let (list, revision, scope) = (self.stack, self.revision, self.scope);
        if *list.files(db) != last.files {
            return None;
        }
        let checked = db.checked()?;
        let (program, bindings) = checked.inputs()?;
        let mut handoff = false;
        let passwords =
            engine::Passwords::new(scope.scope(db).origin_passwords().map(str::to_string));
        for file in edited {
            let fi = last.files.iter().position(|&f| f == file)?;
            let view = file_view(db, file, list)?;
            let found = matches(db, file, revision).as_ref()?;
            if named(db, file) != &last.named[fi] || Some(found) != last.matches[fi].as_ref() {
                return None;
            }
            let new = file_plan(db, file, list, scope, revision);
            let done = Arc::make_mut(&mut last.done);
            let outcome = done.outcome.as_mut()?;
            handoff |= engine::patch_file(
                outcome,
                &checked.sources,
                view,
                (&last.parsed[fi], &last.references[fi]),
                &mut last.pins[fi],
                &last.plans[fi],
                new,
                &passwords,
            )?;
            last.parsed[fi] = parsed(db, file).as_ref().ok()?.clone();
            last.plans[fi] = new.clone();
            last.references[fi] = references(db, file, list).clone();
        }
        if handoff {
            let done = Arc::make_mut(&mut last.done);
            if let Some(outcome) = &done.outcome {
                done.handoff = Some(engine::handoff::handoff(program, bindings, &outcome.plan));
            }
        }
        let done = last.done.clone();
        self.last = Some(last);
        Some(done)
    }

    /// Runs the job on the current inputs, putting the whole stack
    /// together; for a Kubernetes stack without errors, `pins` gets what
    /// the conclusion read of each file and wrote into it.
    fn run_whole(
        &mut self,
        certificate: &dyn Fn(&str) -> Result<String, String>,
        observe: &mut Observer<'_>,
        pins: &mut Option<Vec<Pins>>,
    ) -> Done {
        self.edited.clear();
        let checked = self
            .db
            .checked_slot()
            .get_or_insert_with(|| Arc::new(check_inputs(&self.job, certificate)))
            .clone();
        // A Terraform configuration, a Compose project or CloudFormation
        // templates are read and applied whole: their references cross
        // files (through modules, or overrides), so no file is planned
        // alone (the salsa queries are the Kubernetes adapter's).
        let texts: Vec<(&str, &str)> = self
            .files
            .iter()
            .map(|(p, f)| (p.as_str(), f.text(&self.db).as_str()))
            .collect();
        let db = &self.db;
        let whole = crate::stack::whole_reader_by(texts.iter().map(|(p, _)| *p), || {
            self.files.values().any(|f| template(db, *f))
        });
        if let Some(read) = whole {
            let stack: Vec<(String, String)> = texts
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            return finish_with(
                (*checked).clone(),
                &mut || read(&stack, &|| {}),
                &|path| {
                    stack
                        .iter()
                        .find(|(p, _)| p == path)
                        .map(|(_, t)| t.clone())
                },
                &mut |program, rules, bindings, read| {
                    let matches = engine::match_stack(program, bindings, read);
                    observe(program, bindings, &matches);
                    engine::apply_matched(program, rules, bindings, read, Some(matches))
                },
            );
        }
        let (list, revision, scope) = (self.stack, self.revision, self.scope);
        let files = &self.files;
        // The stack is read and the engine run one after the other, each
        // with the database: shared, then (to set the scope) its own.
        let db = std::cell::RefCell::new(&mut self.db);
        finish_with(
            (*checked).clone(),
            &mut || read_stack(*db.borrow(), list, revision),
            &|path| files.get(path).map(|f| f.text(*db.borrow()).clone()),
            &mut |program, _, bindings, stack| {
                let mut db = db.borrow_mut();
                let matches = stack_matches(*db, list, revision)
                    .unwrap_or_else(|| engine::match_stack(program, bindings, stack));
                observe(program, bindings, &matches);
                let prepared = engine::prepare(program, bindings, stack, Some(matches));
                if **scope.scope(*db) != prepared.scope {
                    scope
                        .set_scope(&mut **db)
                        .to(Arc::new(prepared.scope.clone()));
                }
                let plans = file_plans(*db, list, scope, revision);
                let (outcome, files) =
                    engine::conclude(program, &checked.sources, bindings, stack, prepared, plans);
                *pins = Some(files);
                outcome
            },
        )
    }

    /// How many file parses this session has run.
    pub fn parses(&self) -> usize {
        self.db.parses()
    }

    /// How many times this session worked out a file's references.
    pub fn linked(&self) -> usize {
        self.db.linked()
    }

    /// How many times this session matched a file.
    pub fn matched(&self) -> usize {
        self.db.matched()
    }

    /// How many times this session worked out a file's part of the plan.
    pub fn planned(&self) -> usize {
        self.db.planned()
    }
}

/// The stack from the memoized parts of every file, after working out what
/// changed on every core (each with its own handle on the database).
fn read_stack(
    db: &Database,
    list: StackFiles,
    revision: RulesRevision,
) -> Result<Stack, Vec<ReadError>> {
    use rayon::prelude::*;
    let files = list.files(db);
    files.par_iter().for_each_with(db.clone(), |db, f| {
        references(db, *f, list);
        matches(db, *f, revision);
    });
    let mut errors = Vec::new();
    let (mut parts, mut found, mut refs) = (Vec::new(), Vec::new(), Vec::new());
    for &f in files {
        match parsed(db, f) {
            Ok(file) => {
                parts.push(file.clone());
                found.push(objects(db, f).clone());
                refs.push(references(db, f, list).clone());
            }
            Err(e) => errors.push(e.clone()),
        }
    }
    kubernetes::combine(parts, found, refs, errors)
}

/// Each file's matches, kept while neither it nor the rules change, put in
/// stack order; `None` when a matcher needs the whole stack.
fn stack_matches(db: &Database, list: StackFiles, revision: RulesRevision) -> Option<Vec<Match>> {
    let names = names(db, list);
    let mut all = Vec::new();
    for &f in list.files(db) {
        if parsed(db, f).is_err() {
            continue;
        }
        let found = matches(db, f, revision).as_ref()?;
        let (_, first) = names.file(f.path(db))?;
        all.extend(found.iter().map(|m| Match {
            resource: first + m.resource,
            ..*m
        }));
    }
    Some(all)
}

/// Every file's part of the plan, in stack order: what changed is worked
/// out on every core.
fn file_plans(
    db: &Database,
    list: StackFiles,
    scope: ScopeInput,
    revision: RulesRevision,
) -> Vec<Arc<FilePlan>> {
    use rayon::prelude::*;
    let files = list.files(db);
    files.par_iter().for_each_with(db.clone(), |db, f| {
        file_plan(db, *f, list, scope, revision);
    });
    files
        .iter()
        .map(|&f| file_plan(db, f, list, scope, revision).clone())
        .collect()
}
