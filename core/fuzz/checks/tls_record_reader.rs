// The body of the `tls_record_reader` fuzz target, shared with the corpus
// replay test (core/tests/fuzz_corpus.rs) through `include!`. Returns whether
// the whole input read without error.
//
// Input: a role byte (bit 0: server side), a chunk-size byte, then wire
// bytes. The reader takes the wire in chunks and must give the same bytes and
// the same error as in one piece; nothing may panic. Then the wire's bytes,
// written by the peer's writer (record size from the chunk byte), must read
// back unchanged.
#[allow(dead_code)]
fn tls_record_reader(data: &[u8]) -> bool {
    use mtproto_core::transport::Role;
    use mtproto_core::transport::fake_tls::{TlsRecordReader, TlsRecordWriter};

    let [role, chunk, wire @ ..] = data else {
        return false;
    };
    let (role, peer) = if role & 1 == 1 {
        (Role::Server, Role::Client)
    } else {
        (Role::Client, Role::Server)
    };
    let mut whole = Vec::new();
    let one = TlsRecordReader::new(role).read(wire, &mut whole);
    let mut reader = TlsRecordReader::new(role);
    let mut pieces = Vec::new();
    let mut chunked = Ok(());
    for c in wire.chunks(usize::from(*chunk) + 1) {
        chunked = reader.read(c, &mut pieces);
        if chunked.is_err() {
            break;
        }
    }
    assert_eq!(one, chunked);
    assert_eq!(whole, pieces);

    let mut writer = TlsRecordWriter::with_max_payload(peer, 64 + 64 * usize::from(*chunk));
    let mut records = Vec::new();
    if writer.write(wire, &mut records).is_ok() {
        let mut back = Vec::new();
        TlsRecordReader::new(role)
            .read(&records, &mut back)
            .expect("written records read back");
        assert_eq!(back, wire);
    }
    one.is_ok()
}
