// The body of the `envelope_open` fuzz target, shared with the corpus replay
// test (core/tests/fuzz_corpus.rs) through `include!` so both run the same
// checks. Returns whether any decoder accepted the input.
//
// Arbitrary bytes go into `open_encrypted` in both directions under a fixed
// key, and into `open_plain`. Nothing may panic; what opens must be
// consistent, and a plain message must re-seal to the same bytes.
#[allow(dead_code)]
fn envelope_open(data: &[u8]) -> bool {
    use mtproto_core::envelope::{open_encrypted, open_plain, seal_plain};
    use mtproto_core::{AuthKey, Direction};

    // The key the corpus seeds were sealed with: bytes 0, 1, ..., 255.
    let key = AuthKey::new(core::array::from_fn(|i| i as u8));
    let mut opened = false;
    for dir in [Direction::ClientToServer, Direction::ServerToClient] {
        if let Ok(m) = open_encrypted(&key, dir, data) {
            assert!(m.body.len() % 4 == 0);
            assert!(data.len() >= 24 + 32 + m.body.len() + 12);
            opened = true;
        }
    }
    if let Ok(m) = open_plain(data) {
        let again = seal_plain(m.msg_id, m.body).expect("a parsed body re-seals");
        assert_eq!(data.get(..again.len()), Some(&again[..]));
        opened = true;
    }
    opened
}
