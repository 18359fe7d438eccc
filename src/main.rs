//! The `graft` binary: everything lives in the library's `cli` module.

// jemalloc, not the system allocator: a run builds and frees millions of
// small nodes on every core, and glibc's malloc made the command line a
// fifth slower at 100k and 1M objects, with no less memory
// (docs/performance.md).
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    graft::cli::main()
}
