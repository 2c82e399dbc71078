// The body of the `transport_framing` fuzz target, shared with the corpus
// replay test (core/tests/fuzz_corpus.rs) through `include!`. Returns whether
// the input decoded to at least one item without error.
//
// The first byte picks the codec: bits 0-1 the framing (abridged,
// intermediate, padded intermediate, full), bit 2 the receiving role (0
// server, 1 client), bit 3 a 256-byte maximum instead of the default, bits
// 4-7 a chunk size (1..=16). The rest is fed once whole and once in chunks:
// nothing may panic, both runs must give the same items and the same error,
// and every decoded packet must re-encode and decode to itself.
//
// Seeds: `vector-*` are the cases of tests/vectors/transport_framing.json
// (selector byte + wire), decoded by the receiving role.
#[allow(dead_code)]
fn transport_framing(data: &[u8]) -> bool {
    use mtproto_core::TransportError;
    use mtproto_core::transport::framing::FramingCodec;
    use mtproto_core::transport::{DEFAULT_MAX_FRAME, FramingKind, Inbound, Role};

    fn run<'a>(
        kind: FramingKind,
        role: Role,
        max: usize,
        chunks: impl IntoIterator<Item = &'a [u8]>,
    ) -> (Vec<Inbound>, Option<TransportError>) {
        let mut codec = FramingCodec::new(kind, role, max);
        let mut error = None;
        for chunk in chunks {
            if let Err(e) = codec.feed(chunk) {
                // Sticky: the same error again.
                assert_eq!(codec.feed(&[0; 4]), Err(e.clone()));
                error = Some(e);
                break;
            }
            assert!(codec.buffered_len() <= max + 64);
        }
        (std::iter::from_fn(|| codec.poll()).collect(), error)
    }

    let Some((&selector, stream)) = data.split_first() else {
        return false;
    };
    let kind = match selector & 3 {
        0 => FramingKind::Abridged,
        1 => FramingKind::Intermediate,
        2 => FramingKind::PaddedIntermediate,
        _ => FramingKind::Full,
    };
    let (receiver, sender) = if selector & 4 == 0 {
        (Role::Server, Role::Client)
    } else {
        (Role::Client, Role::Server)
    };
    let max = if selector & 8 == 0 {
        DEFAULT_MAX_FRAME
    } else {
        256
    };
    let chunk = usize::from(selector >> 4) + 1;

    let (items, error) = run(kind, receiver, max, [stream]);
    let (chunked, chunked_error) = run(kind, receiver, max, stream.chunks(chunk));
    assert_eq!(items, chunked, "split changes the items");
    assert_eq!(error, chunked_error, "split changes the error");

    // Round trip through a fresh pair of codecs.
    let mut tx = FramingCodec::new(kind, sender, max);
    let mut wire = Vec::new();
    let mut sent = Vec::new();
    for item in &items {
        let bytes = match item {
            Inbound::Packet { payload, quick_ack } => {
                tx.encode_packet_with_padding(payload, *quick_ack, &[])
            }
            Inbound::QuickAck { token } => tx.encode_quick_ack_with_padding(*token, &[]),
            Inbound::TransportError { code } => tx.encode_transport_error_with_padding(*code, &[]),
        };
        // Padded payloads need not be whole words; tokens from a client
        // decoder need not have the top bit: those do not re-encode.
        if let Ok(bytes) = bytes {
            wire.extend(bytes);
            sent.push(item.clone());
        }
    }
    let (again, again_error) = run(kind, receiver, max, [&wire[..]]);
    assert_eq!(again_error, None);
    assert_eq!(again, sent, "re-encoded items decode differently");

    error.is_none() && !items.is_empty()
}
