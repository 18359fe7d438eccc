//! The `graft` binary: everything lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    graft::cli::main()
}
