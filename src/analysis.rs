//! The one entry point that `graft check`, `graft fmt`, the engine and the
//! language server share: parse every rule file, then check them together.

use crate::check::{self, Program};
use crate::diagnostics::{self, Diagnostic};
use crate::source::{FileId, Sources};
use crate::syntax::{self, Parse};
use rayon::prelude::*;

/// The result of analysing a set of rule files.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Each file's parse, indexed like the sources.
    pub parses: Vec<(FileId, Parse)>,
    /// The checked program.
    pub program: Program,
    /// Every diagnostic, parse and check alike, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// How many errors were found.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings were found.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// Parses and checks every file in `sources` as one rules folder.
///
/// ```
/// use graft::source::Sources;
///
/// let mut rules = Sources::new();
/// rules.add("a.graft", "service cache {\n  hostname: endpoint\n}\n");
/// rules.add("b.graft", "when cache is provided as c {\n  set env CACHE_HOST = c.hostname.host\n}\n");
/// let analysis = graft::analysis::analyze(&rules);
/// // The rule in b.graft uses the service declared in a.graft; no matcher
/// // finds `cache`, so the rule can never match: a warning, not an error.
/// assert_eq!(analysis.error_count(), 0);
/// assert_eq!(analysis.diagnostics[0].code.as_str(), "W0502");
/// ```
pub fn analyze(sources: &Sources) -> Analysis {
    let ids: Vec<FileId> = sources.iter().map(|(id, _)| id).collect();
    analyze_files(sources, &ids)
}

/// Parses and checks the files `ids` of `sources` as one rules folder.
///
/// The files are checked in the order of their names, whatever order they
/// are given in, so that which of two clashing declarations counts as the
/// first never depends on how the caller listed them.
pub fn analyze_files(sources: &Sources, ids: &[FileId]) -> Analysis {
    analyze_files_with(sources, ids, None)
}

/// [`analyze_files`], keeping overlap answers in `memo` across calls (the
/// language server's check on every edit).
pub fn analyze_files_with(
    sources: &Sources,
    ids: &[FileId],
    memo: Option<&check::OverlapMemo>,
) -> Analysis {
    analyze_parsed(sources, ids, &|_, _| None, memo)
}

/// [`analyze_files_with`], taking a file's parse from `parsed` where it has
/// one for that file and text (the language server keeps the parses of the
/// files an edit did not touch).
pub fn analyze_parsed(
    sources: &Sources,
    ids: &[FileId],
    parsed: &(dyn Fn(FileId, &str) -> Option<Parse> + Sync),
    memo: Option<&check::OverlapMemo>,
) -> Analysis {
    let mut ids = ids.to_vec();
    ids.sort_by(|a, b| {
        let name = |id: &FileId| sources.get(*id).map(|f| f.name());
        name(a).cmp(&name(b)).then(a.cmp(b))
    });
    // Files parse independently, so they parse in parallel; `collect` keeps
    // the order, so the result is the same as a sequential run.
    let parses: Vec<(FileId, Parse)> = ids
        .par_iter()
        .filter_map(|&id| {
            let text = sources.get(id)?.text();
            Some((
                id,
                parsed(id, text).unwrap_or_else(|| syntax::parse(id, text)),
            ))
        })
        .collect();
    let modules: Vec<_> = parses.iter().map(|(id, p)| (*id, &p.module)).collect();
    let (program, mut checked) = check::check_with(&modules, memo);
    let mut all: Vec<Diagnostic> = parses
        .iter()
        .flat_map(|(_, p)| p.diagnostics.iter().cloned())
        .collect();
    all.append(&mut checked);
    diagnostics::settle_fixes(&mut all, &|id| sources.get(id).map(|f| f.text()));
    diagnostics::sort(&mut all);
    Analysis {
        parses,
        program,
        diagnostics: all,
    }
}
