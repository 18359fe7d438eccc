//! Writes a generated stack to a folder, for benchmarks and comparisons
//! with other tools (`benches/compare.sh`): realistic and deterministic
//! (seeded), of any size, in each format, with a share of Redis instances
//! and consumers that reach them in every way the adapters know.
//!
//! ```text
//! cargo run --release --example generate -- kubernetes 10000 /tmp/k8s-10k
//! graft plan /tmp/k8s-10k/stack --rules rules --bindings /tmp/k8s-10k/bindings.yaml
//! ```
//!
//! The folder gets `stack/` (the stack's files) and `bindings.yaml` (a
//! customer's Redis, with its credential in the format's secret store).

use clap::{Parser, ValueEnum};
use graft::stack::generate::{self, Shape};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Write a generated stack and bindings to a folder")]
struct Args {
    /// The stack format.
    #[arg(value_enum)]
    format: Format,
    /// About how many resources (objects, services, resources) in all.
    objects: usize,
    /// The folder to write (it must not exist, or be empty).
    out: PathBuf,
    /// One namespace, team or project in this many has its own Redis (0: none).
    #[arg(long, default_value_t = 4)]
    redis_every: usize,
    /// Objects per file (Kubernetes).
    #[arg(long, default_value_t = 40)]
    per_file: usize,
    /// The seed: the same seed gives the same stack.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Kubernetes,
    Terraform,
    Compose,
    Cloudformation,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.objects == 0 || args.per_file == 0 {
        eprintln!("error: OBJECTS and --per-file must be at least 1");
        return ExitCode::from(2);
    }
    if std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!(
            "error: {} is not empty\n  help: name a new folder; generate writes a whole stack there",
            args.out.display()
        );
        return ExitCode::from(2);
    }
    let shape = Shape {
        objects: args.objects,
        redis_every: args.redis_every,
        per_file: args.per_file,
        seed: args.seed,
    };
    let files = match args.format {
        Format::Kubernetes => generate::kubernetes(shape),
        Format::Terraform => generate::terraform(shape),
        Format::Compose => generate::compose(shape),
        Format::Cloudformation => generate::cloudformation(shape),
    };
    let stack = args.out.join("stack");
    let write = || -> std::io::Result<usize> {
        let mut bytes = 0;
        for (path, text) in &files {
            let to = stack.join(path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&to, text)?;
            bytes += text.len();
        }
        std::fs::write(
            args.out.join("bindings.yaml"),
            generate::bindings(matches!(args.format, Format::Kubernetes)),
        )?;
        Ok(bytes)
    };
    match write() {
        Ok(bytes) => {
            println!(
                "Wrote {} files ({:.1} MB) to {}, and its bindings.yaml",
                files.len(),
                bytes as f64 / 1e6,
                stack.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing {}: {e}", args.out.display());
            ExitCode::from(2)
        }
    }
}
