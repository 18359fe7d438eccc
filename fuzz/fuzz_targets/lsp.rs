//! Messages to the language server, split at NUL bytes; it must still
//! answer `shutdown` (graft::fuzzing::lsp_messages).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| graft::fuzzing::lsp_messages(data));
