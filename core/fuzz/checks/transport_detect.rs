// The body of the `transport_detect` fuzz target, shared with the corpus
// replay test (core/tests/fuzz_corpus.rs) through `include!`. Returns whether
// the input was enough to decide.
//
// `detect` must never panic, never ask for more than 8 bytes, and decide the
// same way for every prefix long enough to decide; the bytes after a
// detected framing's header are then fed to that framing's server codec.
//
// Seeds: `vector-*` start like each transport (tests/vectors and the rules
// of detect.rs).
#[allow(dead_code)]
fn transport_detect(data: &[u8]) -> bool {
    use mtproto_core::transport::detect::{Detection, detect};
    use mtproto_core::transport::framing::FramingCodec;
    use mtproto_core::transport::{DEFAULT_MAX_FRAME, Role};

    let decided = detect(data);
    for n in 0..=data.len().min(16) {
        match detect(data.get(..n).unwrap_or_default()) {
            Detection::NeedMore { needed } => assert!(needed > n && needed <= 8),
            d => assert_eq!(d, decided, "the {n}-byte prefix decides otherwise"),
        }
    }
    if let Detection::NeedMore { needed } = decided {
        assert!(needed > data.len());
        return false;
    }
    if let Some(kind) = decided.framing() {
        let mut codec = FramingCodec::new(kind, Role::Server, DEFAULT_MAX_FRAME);
        let _ = codec.feed(data.get(decided.header_len()..).unwrap_or_default());
        while codec.poll().is_some() {}
    }
    true
}
