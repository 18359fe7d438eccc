//! A one-file stack read as `stack.yaml`: applied with the shipped rules, and what
//! is written read back (graft::fuzzing::stack).
#![no_main]

static FIXTURE: std::sync::LazyLock<graft::fuzzing::Fixture> = std::sync::LazyLock::new(|| {
    graft::fuzzing::Fixture::shipped(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.."
    )))
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| graft::fuzzing::stack(&FIXTURE, "stack.yaml", data));
