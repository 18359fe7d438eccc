//! Rule files: parsing, checking, rendering and formatting (graft::fuzzing::rules).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| graft::fuzzing::rules(data));
