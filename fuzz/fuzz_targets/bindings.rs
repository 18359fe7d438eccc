//! A bindings file, its syntax picked by the first byte (YAML, JSON, TOML):
//! read, and no error shows a secret-shaped value (graft::fuzzing::bindings).
#![no_main]

static FIXTURE: std::sync::LazyLock<graft::fuzzing::Fixture> = std::sync::LazyLock::new(|| {
    graft::fuzzing::Fixture::shipped(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.."
    )))
});

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (syntax, body) = data.split_first().map_or((0, data), |(s, b)| (*s, b));
    let name = ["b.yaml", "b.json", "b.toml"][usize::from(syntax % 3)];
    graft::fuzzing::bindings(&FIXTURE, name, body);
});
