// The body of the `tl_decode` fuzz target, shared with the corpus replay test
// (core/tests/fuzz_corpus.rs) through `include!`. Returns whether the input
// decoded.
//
// Arbitrary bytes are decoded as any object of the layer-228 API schema (and
// as two common result types). Nothing may panic; whatever decodes must
// encode again, and decoding that encoding must give the same value.
#[allow(dead_code)]
fn tl_decode(data: &[u8]) -> bool {
    use mtproto_core::tl::dynamic::Codec;
    use std::sync::OnceLock;

    static CODEC: OnceLock<Codec> = OnceLock::new();
    let codec = CODEC.get_or_init(|| {
        Codec::from_schema_text(include_str!("../../../tests/schema/api.tl"))
            .expect("api.tl parses")
            .with_gzip_limit(1 << 20)
    });
    let mut decoded = false;
    for ty in [None, Some("messages.Messages"), Some("Vector<long>")] {
        let result = match ty {
            None => codec.decode(data),
            Some(t) => codec.decode_as(t, data),
        };
        if let Ok(value) = result {
            let again = match ty {
                None => codec.encode(&value),
                Some(t) => codec.encode_as(t, &value),
            }
            .expect("a decoded value encodes");
            let back = match ty {
                None => codec.decode(&again),
                Some(t) => codec.decode_as(t, &again),
            }
            .expect("an encoded value decodes");
            assert_eq!(back, value);
            decoded = true;
        }
    }
    decoded
}
