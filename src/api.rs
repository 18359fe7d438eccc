//! The whole job in one call, for a compiler that embeds graft: rules,
//! bindings and a stack given in memory, the output stack, the plan and the
//! hand-off back. The command line runs exactly this after reading files.
//!
//! ```
//! use graft::api::{Job, run};
//!
//! let rules = r#"
//! service redis {
//!   hostname: endpoint(default_port = 6379)
//!   auth: secret
//! }
//! match redis {
//!   kubernetes StatefulSet | Deployment if image ~ r"^redis(:|$)" {
//!     host = service.dns
//!     port = service.port
//!   }
//! }
//! when redis is provided as c {
//!   drop
//!   bind host = c.hostname.host
//!   bind port = c.hostname.port
//!   inject c.auth as env REDIS_PASSWORD
//! }
//! "#;
//! let stack = r#"
//! apiVersion: apps/v1
//! kind: Deployment
//! metadata: {name: cache}
//! spec:
//!   template:
//!     metadata: {labels: {app: cache}}
//!     spec:
//!       containers: [{name: redis, image: "redis:7"}]
//! ---
//! apiVersion: v1
//! kind: Service
//! metadata: {name: cache}
//! spec:
//!   selector: {app: cache}
//!   ports: [{port: 6379}]
//! ---
//! apiVersion: apps/v1
//! kind: Deployment
//! metadata: {name: web}
//! spec:
//!   template:
//!     metadata: {labels: {app: web}}
//!     spec:
//!       containers:
//!         - name: web
//!           image: example/web:1
//!           env:
//!             - name: CACHE_HOST
//!               value: cache
//! "#;
//! let bindings = r#"
//! redis:
//!   hostname: my-redis.example.com:6380
//!   auth: { secret: { store: kubernetes, name: redis-auth, key: password } }
//! "#;
//! let job = Job {
//!     rules: vec![("redis.graft".into(), rules.into())],
//!     bindings: ("bindings.yaml".into(), bindings.into()),
//!     stack: vec![("app.yaml".into(), stack.into())],
//!     certificates: Default::default(),
//! };
//! let done = run(&job);
//! assert!(done.errors() == 0, "{:?}", done.diagnostics);
//! let outcome = done.outcome.unwrap();
//! let out = outcome.files[0].text.as_deref().unwrap();
//! assert!(!out.contains("image: \"redis:7\""));
//! assert!(out.contains("value: my-redis.example.com"));
//! assert!(out.contains("secretKeyRef"));
//! ```

use crate::bindings::read::{self, Syntax};
use crate::diagnostics::{Code, Diagnostic};
use crate::engine::{self, Outcome};
use crate::source::{FileId, Sources};
use std::collections::BTreeMap;

/// Everything one customer's compile needs, in memory.
#[derive(Clone, Debug, Default)]
pub struct Job {
    /// Rule files: (name, text).
    pub rules: Vec<(String, String)>,
    /// The bindings file: (name, text). The name's extension picks the
    /// syntax: `.toml`, `.json`, otherwise YAML.
    pub bindings: (String, String),
    /// Stack files: (path relative to the stack root, text).
    pub stack: Vec<(String, String)>,
    /// Certificate files the bindings name, by the path written there.
    pub certificates: BTreeMap<String, String>,
}

/// What a job gave.
#[derive(Clone, Debug, Default)]
pub struct Done {
    /// Every file diagnostics point into: rules, the bindings (secret values
    /// masked), stack files with errors.
    pub sources: Sources,
    /// Diagnostics of the rules, the bindings and the stack.
    pub diagnostics: Vec<Diagnostic>,
    /// The plan and output, when rules, bindings and stack were all read.
    pub outcome: Option<Outcome>,
    /// The customer hand-off (Markdown), when the plan has no errors.
    pub handoff: Option<String>,
}

impl Done {
    /// How many errors: diagnostics and plan problems.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
            + self.outcome.as_ref().map_or(0, |o| {
                o.plan
                    .problems
                    .iter()
                    .filter(|p| p.level == engine::plan::Level::Error)
                    .count()
            })
    }
}

/// Runs a job: check the rules, read the bindings against them, read the
/// stack, plan and write.
pub fn run(job: &Job) -> Done {
    run_with(job, &|path| {
        job.certificates
            .get(path)
            .cloned()
            .ok_or_else(|| "no such file was given".to_string())
    })
}

/// [`run`], with certificates loaded by `certificate` (the command line
/// reads them relative to the bindings file).
pub fn run_with(job: &Job, certificate: &(dyn Fn(&str) -> Result<String, String> + Sync)) -> Done {
    run_observed(job, certificate, &())
}

/// Where a long run is, for a progress display (`graft apply` and `graft
/// plan` draw one on a terminal). Each method does nothing unless
/// overridden, and `()` watches nothing.
pub trait Progress: Sync {
    /// A stage begins, of `total` steps (0 when they are not counted).
    fn stage(&self, _stage: Stage, _total: usize) {}
    /// One step of the current stage is done (called from any thread).
    fn step(&self) {}
}

impl Progress for () {}

/// The stages of a run, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// The stack's files are parsed: a step per file.
    Reading,
    /// The rules are matched and applied, and the output's texts made.
    Applying,
}

/// [`run_with`], telling `progress` where it is.
pub fn run_observed(
    job: &Job,
    certificate: &(dyn Fn(&str) -> Result<String, String> + Sync),
    progress: &dyn Progress,
) -> Done {
    run_reading(job, job.stack.len(), certificate, progress, |stop, tick| {
        read_stack(job, stop, tick).map_err(|errors| crate::stack::kubernetes::Unread {
            errors,
            texts: Vec::new(),
        })
    })
}

/// [`run_observed`], taking the job: a Kubernetes stack's texts move into
/// the read rather than being copied (the command line has no other use
/// for them, and at a million objects they are hundreds of megabytes).
pub fn run_taking(
    mut job: Job,
    certificate: &(dyn Fn(&str) -> Result<String, String> + Sync),
    progress: &dyn Progress,
) -> Done {
    if crate::stack::whole_reader(job.stack.iter().map(|(p, t)| (p.as_str(), t.as_str()))).is_some()
    {
        return run_observed(&job, certificate, progress);
    }
    let files = std::mem::take(&mut job.stack);
    let count = files.len();
    run_reading(&job, count, certificate, progress, |stop, tick| {
        crate::stack::kubernetes::read_owned_until(files, stop, tick)
    })
}

/// The job with its stack (`files` of them) read by `read`, which stops
/// early once the flag it is given is set: the stack is read while the
/// rules and bindings are checked, and reading stops (what was read is
/// dropped) when they have errors. A file that does not read is shown
/// with the text `read` gave back, or else the job's.
fn run_reading(
    job: &Job,
    files: usize,
    certificate: &(dyn Fn(&str) -> Result<String, String> + Sync),
    progress: &dyn Progress,
    read: impl FnOnce(
        &std::sync::atomic::AtomicBool,
        &(dyn Fn() + Sync),
    ) -> Result<crate::stack::Stack, crate::stack::kubernetes::Unread>
    + Send,
) -> Done {
    progress.stage(Stage::Reading, files);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (checked, read) = rayon::join(
        || {
            let checked = check_inputs(job, certificate);
            if checked.inputs().is_none() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            checked
        },
        || read(&stop, &|| progress.step()),
    );
    let texts = std::cell::RefCell::new(Vec::new());
    let mut read = Some(read);
    finish_with(
        checked,
        &mut || match read.take() {
            Some(Ok(stack)) => Ok(stack),
            Some(Err(unread)) => {
                *texts.borrow_mut() = unread.texts;
                Err(unread.errors)
            }
            None => Err(Vec::new()),
        },
        &|path| {
            let texts = texts.borrow();
            let given = texts
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, t)| t.clone());
            given.or_else(|| stack_text(job, path))
        },
        &mut |p, r, b, s| {
            progress.stage(Stage::Applying, 0);
            engine::apply_matched(p, r, b, s, None)
        },
    )
}

/// Reads the job's stack in its format, calling `tick` as each file is
/// read (a Kubernetes read stops early once `stop` is set).
fn read_stack(
    job: &Job,
    stop: &std::sync::atomic::AtomicBool,
    tick: &(dyn Fn() + Sync),
) -> Result<crate::stack::Stack, Vec<crate::stack::ReadError>> {
    match crate::stack::whole_reader(job.stack.iter().map(|(p, t)| (p.as_str(), t.as_str()))) {
        Some(read) => read(&job.stack, tick),
        None => crate::stack::kubernetes::read_copies_until(&job.stack, stop, tick),
    }
}

/// The text of the job's stack file `path`.
fn stack_text(job: &Job, path: &str) -> Option<String> {
    job.stack
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, t)| t.clone())
}

/// The rules and bindings of a job, checked: what every run over a stack
/// starts from (an incremental session keeps it while they do not change).
#[derive(Clone, Debug, Default)]
pub struct Checked {
    /// The rule files and the bindings file (secret values masked).
    pub sources: Sources,
    /// Their diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The checked program and the bindings, when both read without error.
    inputs: Option<(crate::check::program::Program, crate::bindings::Bindings)>,
}

impl Checked {
    /// The checked program and the bindings, when both read without error.
    pub fn inputs(&self) -> Option<(&crate::check::program::Program, &crate::bindings::Bindings)> {
        self.inputs.as_ref().map(|(p, b)| (p, b))
    }
}

/// The answers of the rules' overlap analysis (can two services' matchers
/// match one resource?), kept for the process: a compiler that embeds graft
/// compiles customer after customer with the same rules, and each answer is
/// the same every time (keyed by what the matchers say; bounded).
static OVERLAPS: std::sync::LazyLock<crate::check::OverlapMemo> =
    std::sync::LazyLock::new(Default::default);

/// Checks a job's rules, then reads its bindings against them.
pub fn check_inputs(job: &Job, certificate: &dyn Fn(&str) -> Result<String, String>) -> Checked {
    let mut checked = Checked::default();
    let ids: Vec<FileId> = job
        .rules
        .iter()
        .map(|(name, text)| checked.sources.add(name.clone(), text.clone()))
        .collect();
    let analysis = crate::analysis::analyze_files_with(&checked.sources, &ids, Some(&OVERLAPS));
    checked
        .diagnostics
        .extend(analysis.diagnostics.iter().cloned());
    if analysis.error_count() > 0 {
        return checked;
    }
    let program = analysis.program;
    let (bname, btext) = &job.bindings;
    let read = read::read(
        &program,
        FileId(checked.sources.len() as u32),
        btext,
        Syntax::from_path(bname),
        certificate,
    );
    let mut shown = btext.clone();
    for span in &read.redact {
        mask(&mut shown, span.start, span.end);
    }
    checked.sources.add(bname.clone(), shown);
    checked.diagnostics.extend(read.diagnostics);
    if let Some(bindings) = read.bindings {
        checked.inputs = Some((program, bindings));
    }
    checked
}

/// How the engine runs over a stack that was read: at once
/// ([`engine::apply_matched`]), or through an incremental session's memos.
pub type Engine<'a> = dyn FnMut(
        &crate::check::program::Program,
        &Sources,
        &crate::bindings::Bindings,
        &crate::stack::Stack,
    ) -> Outcome
    + 'a;

/// Runs checked rules and bindings over a stack: the stack read by `stack`
/// (only when the rules and bindings were read without error) and the
/// engine run by `engine` (at once, [`engine::apply_matched`], or through an
/// incremental session's memos). `text_of` gives a stack file's text, to
/// show where a reading error is.
pub fn finish_with(
    checked: Checked,
    stack: &mut dyn FnMut() -> Result<crate::stack::Stack, Vec<crate::stack::ReadError>>,
    text_of: &dyn Fn(&str) -> Option<String>,
    engine: &mut Engine<'_>,
) -> Done {
    let mut done = Done {
        sources: checked.sources,
        diagnostics: checked.diagnostics,
        ..Done::default()
    };
    let Some((program, bindings)) = checked.inputs else {
        return done;
    };
    let stack = match stack() {
        Ok(stack) => stack,
        Err(errors) => {
            for e in errors {
                let text = text_of(&e.path).unwrap_or_default();
                let file = done.sources.add(e.path.clone(), text);
                let mut d = Diagnostic::new(Code::InvalidStack, file, e.span, e.message).label("");
                if let Some(h) = e.help {
                    d = d.help(h);
                }
                done.diagnostics.push(d);
            }
            return done;
        }
    };
    let outcome = engine(&program, &done.sources, &bindings, &stack);
    stack.discard();
    if !outcome.plan.has_errors() {
        done.handoff = Some(engine::handoff::handoff(&program, &bindings, &outcome.plan));
    }
    done.outcome = Some(outcome);
    done
}

/// Replaces `text[start..end]` with asterisks, byte for byte, so that offsets
/// stay valid and the value is gone.
fn mask(text: &mut String, start: usize, end: usize) {
    let end = end.min(text.len());
    if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return;
    }
    let stars = "*".repeat(end - start);
    text.replace_range(start..end, &stars);
}

/// What [`explain_with`] found.
#[derive(Debug)]
pub enum Explained {
    /// The rules, the bindings or the stack have errors: the run that says
    /// so.
    Failed(Box<Done>),
    /// No resource of the stack has that address: the closest one, if any.
    Unknown(Option<String>),
    /// The explanation.
    Found(Box<engine::explain::Explanation>),
}

/// Explains what the job's rules do with one resource of its stack (by its
/// address in the plan): every matcher arm, the actions, the plan's changes
/// and the references (`graft explain`).
pub fn explain_with(
    job: &Job,
    certificate: &(dyn Fn(&str) -> Result<String, String> + Sync),
    address: &str,
) -> Explained {
    let failed = || Explained::Failed(Box::new(run_with(job, certificate)));
    let checked = check_inputs(job, certificate);
    let Some((program, bindings)) = checked.inputs() else {
        return failed();
    };
    let Ok(stack) = read_stack(job, &std::sync::atomic::AtomicBool::new(false), &|| {}) else {
        return failed();
    };
    let Some(id) = stack.ids().find(|&i| stack.resource(i).address == address) else {
        let addresses: Vec<&str> = stack.resources.iter().map(|r| r.address.as_str()).collect();
        return Explained::Unknown(
            crate::diagnostics::did_you_mean(address, addresses).map(String::from),
        );
    };
    let outcome = engine::apply(program, &checked.sources, bindings, &stack);
    Explained::Found(Box::new(engine::explain::explain(
        program,
        &checked.sources,
        bindings,
        &stack,
        &outcome,
        id,
    )))
}
