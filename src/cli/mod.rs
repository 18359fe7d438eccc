//! The `graft` command line: argument parsing, files, the terminal and exit
//! codes (0 done, 1 the inputs are wrong, 2 usage or I/O errors).
//!
//! Architecture invariant: this is the only module (with `lsp`) that reads
//! files or knows about the terminal; everything it does goes through the
//! same library functions the language server calls.

pub(crate) mod apply;
mod check;
mod explain;
pub(crate) mod files;
mod fmt;
mod output;
mod progress;
pub mod render;
mod sarif;
mod schema;
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// graft: rewire a vendor's deployment stack onto a customer's own backing
/// services, by rules.
#[derive(Parser, Debug)]
#[command(name = "graft", version, about, propagate_version = true)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check rule files: names, types, conflicts.
    Check(CheckArgs),
    /// Format rule files in the canonical layout.
    Fmt(FmtArgs),
    /// Print the JSON Schema of the bindings file the services imply.
    Schema(SchemaArgs),
    /// Apply the rules to a stack: write the customer's stack and hand-off, print the plan.
    Apply(ApplyArgs),
    /// Print what `apply` would do, writing nothing.
    Plan(ApplyArgs),
    /// Explain what the rules do with one resource: every matcher arm with what its predicates saw, the actions that fired or were skipped, the plan's changes, the references.
    Explain(ExplainArgs),
    /// Run rule tests: each case folder under a rules folder's `tests/` is a stack, bindings and the plan and output stack the rules must give; every case is also applied again to its output, which must not change.
    Test(TestArgs),
    /// Serve the language server protocol on standard input and output.
    Lsp,
    /// Print a shell's completions for graft (`graft completions bash > /etc/bash_completion.d/graft`).
    Completions(CompletionsArgs),
}

/// Arguments of `graft completions`.
#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells `graft completions` writes for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// Bash: source the output, or put it in `/etc/bash_completion.d/graft`.
    Bash,
    /// Zsh: put the output in a folder of `$fpath`, as `_graft`.
    Zsh,
    /// Fish: put the output in `~/.config/fish/completions/graft.fish`.
    Fish,
}

/// Arguments of `graft apply` and `graft plan`.
#[derive(clap::Args, Debug)]
pub struct ApplyArgs {
    /// The stack: manifest files or folders, or one folder with a graft.toml
    pub stack: Vec<PathBuf>,
    /// The rules folder [default: from graft.toml, or rules]
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// The customer's bindings file (YAML, JSON or TOML) [default: from graft.toml]
    #[arg(long)]
    pub bindings: Option<PathBuf>,
    /// Where `apply` writes the output stack [default: from graft.toml]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// How to print the plan.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Draw no progress display (it is drawn on stderr only when that is a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `graft explain`.
#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The resource, by its address in the plan (`apps/v1/StatefulSet/shop/redis`, `service.redis`, `aws_elasticache_replication_group.cache`)
    #[arg(long)]
    pub resource: String,
    /// The stack: manifest files or folders, or one folder with a graft.toml
    pub stack: Vec<PathBuf>,
    /// The rules folder [default: from graft.toml, or rules]
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// The customer's bindings file (YAML, JSON or TOML) [default: from graft.toml]
    #[arg(long)]
    pub bindings: Option<PathBuf>,
    /// How to print the explanation (text or json).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// Arguments of `graft test`.
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Rules folders (their `tests/` cases), `tests/` folders or folders in them, or case folders [default: rules]
    pub paths: Vec<PathBuf>,
    /// Accept what the rules give: rewrite each differing case's `plan.txt` and `expected/`.
    #[arg(long)]
    pub update: bool,
    /// How to print the results.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    pub format: TestFormat,
}

/// Output formats of `graft test`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    /// A line per case, then each failure with unified diffs, for people.
    Text,
    /// One JSON document, for programs.
    Json,
    /// JUnit XML, for CI test reporters.
    Junit,
}

/// Arguments of `graft schema`.
#[derive(clap::Args, Debug)]
pub struct SchemaArgs {
    /// Only this service's section.
    pub service: Option<String>,
    /// The rules folder [default: rules]
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

/// Arguments of `graft check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Rule files or folders of them [default: rules]
    pub paths: Vec<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// Arguments of `graft fmt`.
#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// Write nothing; exit 1 and name the files that would change.
    #[arg(long)]
    pub check: bool,
    /// Rule files or folders of them, or `-` for standard input [default: rules]
    pub paths: Vec<PathBuf>,
}

/// Output formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Source snippets with labels, for people.
    Text,
    /// One JSON document, for programs.
    Json,
    /// A SARIF 2.1.0 log of the diagnostics, for code-scanning services.
    Sarif,
}

/// Colour choices.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour when standard error is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}

/// A usage or I/O error: exit code 2.
#[derive(Debug)]
pub struct CliError {
    message: String,
    hint: String,
}

impl CliError {
    /// The error and its hint, as one line of prose.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.message, self.hint)
    }

    /// An error with a hint on what to do.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, e: &std::io::Error) -> CliError {
        let hint = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "check the file's permissions",
            std::io::ErrorKind::NotFound => "check the path",
            _ => "check that the path is a readable file or folder",
        };
        CliError::new(
            format!("cannot read or write `{}`: {e}", path.display()),
            hint,
        )
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let color = cli.color.enabled();
    let result = match cli.command {
        Command::Check(args) => check::run(&args, color),
        Command::Fmt(args) => fmt::run(&args, color),
        Command::Schema(args) => schema::run(&args, color),
        Command::Apply(args) => apply::run(&args, true, color),
        Command::Plan(args) => apply::run(&args, false, color),
        Command::Explain(args) => explain::run(&args, color),
        Command::Test(args) => test::run(&args, color),
        Command::Completions(args) => {
            use clap::CommandFactory;
            let shell = match args.shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "graft", &mut out);
            print_stdout(&String::from_utf8_lossy(&out));
            Ok(ExitCode::SUCCESS)
        }
        Command::Lsp => crate::lsp::serve_stdio()
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| {
                CliError::new(
                    format!("cannot start the language server: {e}"),
                    "run `graft lsp` from an editor, which talks to it on standard input and output",
                )
            }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", e.message);
            eprintln!("  help: {}", e.hint);
            ExitCode::from(2)
        }
    }
}

/// The paths to work on: those given, or `rules/`.
fn paths_or_default(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    if !paths.is_empty() {
        return Ok(paths.to_vec());
    }
    let default = PathBuf::from("rules");
    if default.is_dir() {
        Ok(vec![default])
    } else {
        Err(CliError::new(
            "no `rules/` folder here, and no paths were given",
            "run graft from a folder that holds `rules/`, or name the rule files or folders",
        ))
    }
}

/// Writes to standard output, ignoring a closed pipe.
fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes a JSON document, pretty-printed, to standard output.
fn print_json(value: &serde_json::Value) {
    print_stdout(&serde_json::to_string_pretty(value).unwrap_or_default());
    print_stdout("\n");
}

/// Writes to standard error.
fn print_stderr(text: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// The command-line reference (`docs/cli.md`), generated from the argument
/// definitions: each subcommand with its usage, arguments and options, their
/// help, values and defaults.
pub fn reference_markdown() -> String {
    use clap::CommandFactory;
    use std::fmt::Write;
    let mut root = Cli::command();
    root.build();
    let mut out = String::from(
        "# Command-line reference\n\n\
         Generated from graft's argument definitions (`src/cli/mod.rs`); a test checks that\n\
         it is current (`GRAFT_UPDATE_DOCS=1 cargo test --test docs` rewrites it). Exit codes\n\
         and output formats are in the [README](../README.md#commands) and\n\
         [plan.md](plan.md).\n\n",
    );
    let _ = writeln!(
        out,
        "{}\n",
        root.get_about().map(|a| a.to_string()).unwrap_or_default()
    );
    // The global options are listed once, under `graft`.
    let options = |cmd: &clap::Command, out: &mut String, globals: bool| {
        let args: Vec<&clap::Arg> = cmd
            .get_arguments()
            .filter(|a| !a.is_hide_set() && a.get_id() != "help" && a.get_id() != "version")
            .filter(|a| globals || !a.is_global_set())
            .collect();
        if args.is_empty() {
            return;
        }
        out.push_str("| argument | what |\n|---|---|\n");
        for a in args {
            let name = match (a.get_long(), a.is_positional()) {
                (_, true) => format!(
                    "`{}`",
                    a.get_value_names().map_or_else(
                        || a.get_id().to_string().to_uppercase(),
                        |v| v
                            .iter()
                            .map(|s| s.to_string())
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                ),
                (Some(l), false) if a.get_action().takes_values() => {
                    let value = a
                        .get_value_names()
                        .and_then(|v| v.first().map(|s| s.to_string()))
                        .unwrap_or_else(|| a.get_id().to_string().to_uppercase());
                    format!("`--{l} {value}`")
                }
                (Some(l), false) => format!("`--{l}`"),
                (None, false) => format!("`{}`", a.get_id()),
            };
            let mut what = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            if !what.is_empty() && !what.ends_with(['.', ']', ')']) {
                what.push('.');
            }
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| match v.get_help() {
                    Some(h) => format!(
                        "`{}` ({})",
                        v.get_name(),
                        h.to_string().trim_end_matches('.')
                    ),
                    None => format!("`{}`", v.get_name()),
                })
                .collect();
            if !values.is_empty() {
                let _ = write!(what, " One of: {}.", values.join(", "));
            }
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|d| d.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && a.get_action().takes_values() {
                let _ = write!(what, " Default: `{}`.", defaults.join(" "));
            }
            if a.is_global_set() {
                what.push_str(" Global: accepted by every subcommand.");
            }
            let _ = writeln!(out, "| {name} | {} |", what.replace('|', "\\|"));
        }
        out.push('\n');
    };
    out.push_str("## graft\n\n");
    let _ = writeln!(
        out,
        "```\n{}\n```\n",
        root.render_usage()
            .to_string()
            .trim_start_matches("Usage: ")
    );
    options(&root, &mut out, true);
    let subcommands: Vec<clap::Command> = root.get_subcommands().cloned().collect();
    for mut sub in subcommands {
        if sub.get_name() == "help" {
            continue;
        }
        let _ = writeln!(out, "## graft {}\n", sub.get_name());
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            let about = about.to_string();
            let stop = if about.ends_with(['.', ')']) { "" } else { "." };
            let _ = writeln!(out, "{about}{stop}\n");
        }
        let usage = sub.render_usage().to_string();
        let _ = writeln!(
            out,
            "```\n{}\n```\n",
            usage.trim_start_matches("Usage: ").trim_end()
        );
        options(&sub, &mut out, false);
    }
    out.trim_end().to_string() + "\n"
}
