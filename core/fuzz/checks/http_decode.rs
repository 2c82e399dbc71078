// The body of the `http_decode` fuzz target, shared with the corpus replay
// test (core/tests/fuzz_corpus.rs) through `include!`. Returns whether the
// input decoded to at least one packet, transport error or codec answer
// without error.
//
// The first byte picks the decoder: bit 0 the role (0 server: requests in;
// 1 client: responses in, after 16 requests), bit 1 small limits (256-byte
// header section, 8 fields, 64-byte bodies) instead of the defaults, bits
// 2-7 a chunk size (1..=64). The rest is fed once whole and once in chunks:
// nothing may panic; both runs must give the same items, error, rejection
// status, bytes to send and close flag; every decoded payload must survive a
// round trip through the other role; a server that failed must still be able
// to answer what it read and reject the rest.
//
// Seeds: `vector-*` are the cases of tests/vectors/transport_http.json that
// decode without error (selector byte + wire, decoded by the receiving role);
// `bad-*` are the ones that end in an error.
#[allow(dead_code)]
fn http_decode(data: &[u8]) -> bool {
    use mtproto_core::TransportError;
    use mtproto_core::transport::Inbound;
    use mtproto_core::transport::http::{HttpClient, HttpLimits, HttpServer};

    const WAITING: usize = 16;

    #[derive(Debug, PartialEq)]
    struct Run {
        items: Vec<Inbound>,
        error: Option<TransportError>,
        rejection: Option<u16>,
        /// Server: everything it writes (its own answers, then echoes of
        /// the packets and the rejection).
        sent: Vec<u8>,
        close: bool,
        pending: usize,
    }

    fn serve<'a>(limits: HttpLimits, chunks: impl IntoIterator<Item = &'a [u8]>) -> Run {
        let mut s = HttpServer::with_limits(limits);
        let (mut items, mut error, mut sent) = (Vec::new(), None, Vec::new());
        for chunk in chunks {
            let r = s.feed(chunk);
            items.extend(std::iter::from_fn(|| s.poll()));
            sent.extend(s.poll_transmit().unwrap_or_default());
            assert!(s.buffered_len() <= 2 * (limits.max_header_bytes + limits.max_body));
            if let Err(e) = r {
                assert_eq!(s.feed(b"POST"), Err(e.clone()), "sticky");
                error = Some(e);
                break;
            }
        }
        assert_eq!(s.pending(), items.len());
        assert_eq!(s.rejection_status().is_some(), error.is_some());
        let (rejection, pending) = (s.rejection_status(), s.pending());
        for item in &items {
            let Inbound::Packet {
                payload,
                quick_ack: false,
            } = item
            else {
                panic!("a server yields packets only: {item:?}");
            };
            match s.encode_response(payload) {
                Ok(bytes) => sent.extend(bytes),
                // A client that asked to close got its last answer.
                Err(TransportError::InvalidState(_)) => assert!(s.should_close()),
                Err(e) => panic!("answering a packet: {e}"),
            }
        }
        if let Some(status) = rejection {
            sent.extend(
                s.encode_error(status)
                    .expect("a failed request can be rejected"),
            );
            assert!(s.should_close());
        }
        Run {
            items,
            error,
            rejection,
            sent,
            close: s.should_close(),
            pending,
        }
    }

    fn receive<'a>(limits: HttpLimits, chunks: impl IntoIterator<Item = &'a [u8]>) -> Run {
        let mut c = HttpClient::with_limits("fuzz", limits).expect("valid host");
        for _ in 0..WAITING {
            c.encode_request(b"q").expect("a small request encodes");
        }
        let (mut items, mut error) = (Vec::new(), None);
        for chunk in chunks {
            let r = c.feed(chunk);
            items.extend(std::iter::from_fn(|| c.poll()));
            assert!(c.buffered_len() <= 2 * (limits.max_header_bytes + limits.max_body));
            if let Err(e) = r {
                assert_eq!(c.feed(b"HTTP"), Err(e.clone()), "sticky");
                error = Some(e);
                break;
            }
        }
        assert_eq!(c.pending() + items.len(), WAITING, "one item per response");
        let close = c.should_close();
        Run {
            items,
            error,
            rejection: None,
            sent: Vec::new(),
            close,
            pending: c.pending(),
        }
    }

    let Some((&selector, stream)) = data.split_first() else {
        return false;
    };
    let server = selector & 1 == 0;
    let limits = if selector & 2 == 0 {
        HttpLimits::default()
    } else {
        HttpLimits {
            max_header_bytes: 256,
            max_headers: 8,
            max_body: 64,
        }
    };
    let chunk = usize::from(selector >> 2) + 1;
    let run = |chunks: &mut dyn Iterator<Item = &[u8]>| {
        if server {
            serve(limits, chunks)
        } else {
            receive(limits, chunks)
        }
    };
    let whole = run(&mut std::iter::once(stream));
    let split = run(&mut stream.chunks(chunk));
    assert_eq!(whole, split, "the same bytes split differently");

    // Every payload goes back through the other role unchanged.
    for item in &whole.items {
        let Inbound::Packet { payload, .. } = item else {
            continue;
        };
        let mut c = HttpClient::with_limits("fuzz", limits).expect("valid host");
        let request = c.encode_request(payload).expect("a decoded payload fits");
        let mut s = HttpServer::with_limits(limits);
        s.feed(&request).expect("an encoded request decodes");
        assert_eq!(s.poll().as_ref(), Some(item));
        let response = s.encode_response(payload).expect("a decoded payload fits");
        c.feed(&response).expect("an encoded response decodes");
        let back = c.poll().expect("one response");
        match (
            <[u8; 4]>::try_from(payload.as_slice()).map(i32::from_le_bytes),
            back,
        ) {
            // A 4-byte negative body reads as a transport error.
            (Ok(code), Inbound::TransportError { code: got }) if code < 0 => assert_eq!(got, code),
            (_, back) => assert_eq!(&back, item),
        }
    }
    whole.error.is_none() && (!whole.items.is_empty() || !whole.sent.is_empty())
}
