//! Unit tests of the HTTP transport: both roles, every split, limits,
//! malformed input, statuses.

use super::*;
use crate::error::TransportError;
use crate::transport::Inbound;

fn packet(p: &[u8]) -> Inbound {
    Inbound::Packet {
        payload: p.to_vec(),
        quick_ack: false,
    }
}

/// Feed `chunks` into a server, draining `poll` after each; the packets and
/// the error that stopped it, if any.
fn serve(server: &mut HttpServer, chunks: &[&[u8]]) -> (Vec<Inbound>, Option<TransportError>) {
    let mut out = Vec::new();
    for c in chunks {
        let r = server.feed(c);
        out.extend(std::iter::from_fn(|| server.poll()));
        if let Err(e) = r {
            assert_eq!(server.error(), Some(&e));
            return (out, Some(e));
        }
    }
    (out, None)
}

fn receive(client: &mut HttpClient, chunks: &[&[u8]]) -> (Vec<Inbound>, Option<TransportError>) {
    let mut out = Vec::new();
    for c in chunks {
        let r = client.feed(c);
        out.extend(std::iter::from_fn(|| client.poll()));
        if let Err(e) = r {
            assert_eq!(client.error(), Some(&e));
            return (out, Some(e));
        }
    }
    (out, None)
}

/// A client with `n` requests waiting.
fn client_waiting(n: usize) -> HttpClient {
    let mut c = HttpClient::new("example.org:80").unwrap();
    for _ in 0..n {
        c.encode_request(b"x").unwrap();
    }
    c
}

fn server_err(input: &[u8]) -> (TransportError, Option<u16>) {
    let mut s = HttpServer::new();
    let (_, e) = serve(&mut s, &[input]);
    (e.expect("an error"), s.rejection_status())
}

fn client_err(input: &[u8]) -> TransportError {
    let mut c = client_waiting(4);
    let r = receive(&mut c, &[input]);
    r.1.unwrap_or_else(|| panic!("{:?} accepted: {:?}", String::from_utf8_lossy(input), r.0))
}

fn is_http(e: &TransportError) -> bool {
    matches!(e, TransportError::Http(_))
}

fn payloads() -> Vec<Vec<u8>> {
    vec![
        (0..40u8).collect(),
        vec![0xff; 4],
        (0..=255u8).cycle().take(1000).collect(),
    ]
}

#[test]
fn request_bytes_are_exact() {
    let mut c = HttpClient::new("149.154.167.50:80").unwrap();
    let wire = c.encode_request(b"\x01\x02\x03\x04").unwrap();
    assert_eq!(
        wire,
        b"POST /api HTTP/1.1\r\nHost: 149.154.167.50:80\r\nConnection: keep-alive\r\n\
          Content-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n\x01\x02\x03\x04"
    );
    assert_eq!(c.pending(), 1);
    assert!(HttpClient::new("").is_ok(), "tdlib sends an empty Host");
    for bad in ["a\r\nb", "a b", "h\u{e9}", "a/b"] {
        assert!(
            matches!(HttpClient::new(bad), Err(TransportError::InvalidState(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn response_bytes_are_exact() {
    let mut s = HttpServer::new();
    let mut c = client_waiting(1);
    let (ev, _) = serve(&mut s, &[&c.encode_request(b"ping").unwrap()]);
    assert_eq!(ev, [packet(b"ping")]);
    let wire = s.encode_response(b"pong").unwrap();
    assert_eq!(
        wire,
        b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nAccess-Control-Allow-Origin: *\r\n\
          Content-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\npong"
    );
    let (ev, e) = receive(&mut c, &[&wire]);
    assert_eq!((ev, e), (vec![packet(b"pong")], None));
    assert_eq!(c.pending(), 1, "the first request is still waiting");
}

#[test]
fn round_trip_pipelined() {
    let mut c = HttpClient::new("localhost").unwrap();
    let mut s = HttpServer::new();
    let mut wire = Vec::new();
    for p in payloads() {
        wire.extend(c.encode_request(&p).unwrap());
    }
    assert_eq!(c.pending(), 3);
    let (ev, e) = serve(&mut s, &[&wire]);
    assert_eq!(e, None);
    let expected: Vec<_> = payloads().iter().map(|p| packet(p)).collect();
    assert_eq!(ev, expected);
    assert_eq!(s.pending(), 3);
    let mut back = Vec::new();
    for p in payloads().iter().rev() {
        back.extend(s.encode_response(p).unwrap());
    }
    assert_eq!(s.pending(), 0);
    assert_eq!(s.poll_transmit(), None);
    let (ev, e) = receive(&mut c, &[&back]);
    assert_eq!(e, None);
    // The 4-byte 0xffffffff payload is -1: a transport error framed the
    // TCP way.
    assert_eq!(
        ev,
        vec![
            packet(&payloads()[2]),
            Inbound::TransportError { code: -1 },
            packet(&payloads()[0]),
        ]
    );
    assert_eq!(c.pending(), 0);
    assert!(matches!(
        s.encode_response(b"x"),
        Err(TransportError::InvalidState(_))
    ));
}

#[test]
fn every_split_point_of_pipelined_requests() {
    let mut c = HttpClient::new("h").unwrap();
    let mut wire = b"\r\n".to_vec();
    for p in payloads() {
        wire.extend(c.encode_request(&p).unwrap());
    }
    // A CORS preflight in the middle changes nothing for the packets.
    wire.extend_from_slice(b"OPTIONS /api HTTP/1.1\r\nHost: h\r\n\r\n");
    wire.extend(c.encode_request(b"last").unwrap());
    let mut expected: Vec<_> = payloads().iter().map(|p| packet(p)).collect();
    expected.push(packet(b"last"));
    for i in 0..=wire.len() {
        let mut s = HttpServer::new();
        let (ev, e) = serve(&mut s, &[&wire[..i], &wire[i..]]);
        assert_eq!((&ev, &e), (&expected, &None), "split at {i}");
    }
    let mut s = HttpServer::new();
    let bytes: Vec<&[u8]> = wire.chunks(1).collect();
    assert_eq!(serve(&mut s, &bytes), (expected, None));
}

#[test]
fn every_split_point_of_pipelined_responses() {
    let mut s = HttpServer::new();
    let mut c = client_waiting(0);
    let mut req = Vec::new();
    for p in payloads() {
        req.extend(c.encode_request(&p).unwrap());
    }
    req.extend(c.encode_request(b"e").unwrap());
    serve(&mut s, &[&req]);
    let mut wire = Vec::new();
    wire.extend(s.encode_response(&payloads()[0]).unwrap());
    wire.extend(s.encode_transport_error(-404).unwrap());
    wire.extend(s.encode_response(&payloads()[2]).unwrap());
    wire.extend(b"HTTP/1.1 100 Continue\r\n\r\n");
    wire.extend(s.encode_response(b"done").unwrap());
    let expected = vec![
        packet(&payloads()[0]),
        Inbound::TransportError { code: -404 },
        packet(&payloads()[2]),
        packet(b"done"),
    ];
    for i in 0..=wire.len() {
        let mut c = client_waiting(4);
        let r = receive(&mut c, &[&wire[..i], &wire[i..]]);
        assert_eq!(r, (expected.clone(), None), "split at {i}");
        assert_eq!(c.pending(), 0);
    }
    let mut c = client_waiting(4);
    let bytes: Vec<&[u8]> = wire.chunks(1).collect();
    assert_eq!(receive(&mut c, &bytes), (expected, None));
}

#[test]
fn header_limits() {
    let limits = HttpLimits {
        max_header_bytes: 128,
        max_headers: 4,
        max_body: 64,
    };
    let head = |extra: &str, len: usize| {
        format!("POST /api HTTP/1.1\r\nHost: h\r\n{extra}Content-Length: {len}\r\n\r\n")
            .into_bytes()
    };
    // Exactly at the header limit is fine; one byte more is not.
    let base = head("", 1).len();
    let pad = |n: usize| format!("X: {}\r\n", "a".repeat(n - 5));
    let at_limit = head(&pad(128 - base), 1);
    assert_eq!(at_limit.len(), 128);
    let mut s = HttpServer::with_limits(limits);
    let (ev, e) = serve(&mut s, &[&at_limit, b"z"]);
    assert_eq!((ev, e), (vec![packet(b"z")], None));
    let over = head(&pad(129 - base), 1);
    for chunks in [vec![&over[..]], over.chunks(1).collect()] {
        let mut s = HttpServer::with_limits(limits);
        let (_, e) = serve(&mut s, &chunks);
        assert!(is_http(&e.unwrap()));
        assert_eq!(s.rejection_status(), Some(431));
    }
    // A head that never ends fails once it passes the limit.
    let mut s = HttpServer::with_limits(limits);
    let (_, e) = serve(&mut s, &[&[b'a'; 129]]);
    assert!(is_http(&e.unwrap()));
    assert_eq!(s.rejection_status(), Some(431));
    // Empty lines before the request line count too.
    let mut s = HttpServer::with_limits(limits);
    let (_, e) = serve(&mut s, &[&b"\r\n".repeat(65)]);
    assert!(is_http(&e.unwrap()));
    // Header count: 4 fields are fine, 5 are not.
    let mut s = HttpServer::with_limits(limits);
    let (ev, e) = serve(&mut s, &[&head("A: 1\r\nB: 2\r\n", 0)]);
    assert_eq!((ev, e), (vec![packet(b"")], None));
    let mut s = HttpServer::with_limits(limits);
    let (_, e) = serve(&mut s, &[&head("A: 1\r\nB: 2\r\nC: 3\r\n", 0)]);
    assert!(is_http(&e.unwrap()));
    assert_eq!(s.rejection_status(), Some(431));
}

#[test]
fn body_limit() {
    let limits = HttpLimits {
        max_body: 16,
        ..HttpLimits::default()
    };
    let mut s = HttpServer::with_limits(limits);
    let (_, e) = serve(
        &mut s,
        &[b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 17\r\n\r\n"],
    );
    assert_eq!(e, Some(TransportError::FrameTooLarge { len: 17, max: 16 }));
    assert_eq!(s.rejection_status(), Some(413));
    let mut c = HttpClient::with_limits("h", limits).unwrap();
    assert_eq!(
        c.encode_request(&[0; 17]),
        Err(TransportError::FrameTooLarge { len: 17, max: 16 })
    );
    assert_eq!(c.pending(), 0, "an oversized payload is not sent");
    c.encode_request(&[0; 16]).unwrap();
    let (_, e) = receive(
        &mut c,
        &[b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"],
    );
    assert!(is_http(&e.unwrap()), "overflow");
    let mut c = HttpClient::with_limits("h", limits).unwrap();
    c.encode_request(b"").unwrap();
    let (_, e) = receive(
        &mut c,
        &[b"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n"],
    );
    assert!(matches!(
        e,
        Some(TransportError::FrameTooLarge { max: 16, .. })
    ));
    // Any amount in one read: less than one message stays buffered.
    let mut s = HttpServer::with_limits(limits);
    let mut c = HttpClient::with_limits("h", limits).unwrap();
    let one = c.encode_request(&[7; 16]).unwrap();
    let many = one.repeat(2000);
    let (ev, e) = serve(&mut s, &[&many[..many.len() - 3]]);
    assert_eq!((ev.len(), e), (1999, None));
    assert_eq!(
        s.buffered_len(),
        13,
        "the head is parsed; 13 body bytes wait"
    );
    assert_eq!(
        serve(&mut s, &[&many[many.len() - 3..]]),
        (vec![packet(&[7; 16])], None)
    );
    assert_eq!(s.buffered_len(), 0);
}

#[test]
fn malformed_requests() {
    let cases: &[(&[u8], u16)] = &[
        (b"POST /api HTTP/1.1\nHost: h\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\rX\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\n folded\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost : h\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\xe9\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\x00\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nNoColon\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\ncontent-length: 2\r\n\r\nxx", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\nx", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 0x1\r\n\r\nx", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 1\r\n\r\nx", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n", 411),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\nx", 411),
        (b"POST /api HTTP/1.1\r\nHost: h\r\n\r\n", 411),
        (b"POST /api HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/2.0\r\nHost: h\r\nContent-Length: 0\r\n\r\n", 505),
        (b"POST /api HTTP/1.1 \r\nHost: h\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST  /api HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api\r\nHost: h\r\nContent-Length: 0\r\n\r\n", 400),
        (b"PO(ST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST api HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", 400),
        (b"POST /api HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 0\r\n\r\n", 417),
        (b"\x16\x03\x01\x02\x00", 400),
        (b"\xef\x0a\x00\x00", 400),
    ];
    for (input, status) in cases {
        for chunks in [vec![*input], input.chunks(1).collect()] {
            let mut s = HttpServer::new();
            let (ev, e) = serve(&mut s, &chunks);
            let e = e
                .unwrap_or_else(|| panic!("{:?} accepted: {ev:?}", String::from_utf8_lossy(input)));
            assert!(is_http(&e), "{e}");
            assert_eq!(
                s.rejection_status(),
                Some(*status),
                "{:?}",
                String::from_utf8_lossy(input)
            );
            assert_eq!(s.feed(b"more"), Err(e.clone()), "sticky");
            assert_eq!(s.error(), Some(&e));
            assert_eq!(s.poll(), None);
        }
    }
}

#[test]
fn errors_after_good_requests_still_answer_them() {
    let mut c = client_waiting(0);
    let mut wire = c.encode_request(b"one").unwrap();
    wire.extend(b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n");
    c.encode_request(b"the bad one, as far as the client knows")
        .unwrap();
    let mut s = HttpServer::new();
    let (ev, e) = serve(&mut s, &[&wire]);
    assert_eq!(ev, [packet(b"one")]);
    assert!(is_http(&e.unwrap()));
    assert_eq!(s.rejection_status(), Some(400));
    let r1 = s.encode_response(b"reply").unwrap();
    let r2 = s.encode_error(400).unwrap();
    assert!(r2.starts_with(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"));
    assert!(s.should_close());
    assert!(matches!(
        s.encode_error(400),
        Err(TransportError::InvalidState(_))
    ));
    let mut all = r1;
    all.extend(r2);
    let (ev, e) = receive(&mut c, &[&all]);
    assert_eq!(ev, [packet(b"reply")]);
    assert_eq!(e, Some(TransportError::HttpStatus { status: 400 }));
}

#[test]
fn encode_error_rules() {
    let mut s = HttpServer::new();
    assert!(
        matches!(s.encode_error(400), Err(TransportError::InvalidState(_))),
        "nothing to answer"
    );
    assert!(matches!(
        s.encode_error(200),
        Err(TransportError::InvalidState(_))
    ));
    assert!(matches!(
        s.encode_transport_error(404),
        Err(TransportError::InvalidState(_))
    ));
    assert!(matches!(
        s.encode_transport_error(-1),
        Err(TransportError::InvalidState(_))
    ));
    assert!(matches!(
        s.encode_transport_error(i32::MIN),
        Err(TransportError::InvalidState(_))
    ));
    let mut c = client_waiting(0);
    let req = c.encode_request(b"a").unwrap();
    serve(&mut s, &[&req, &req]);
    assert_eq!(s.pending(), 2);
    let wire = s.encode_error(503).unwrap();
    assert_eq!(
        wire,
        b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\
          Access-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n"
    );
    assert!(s.should_close());
    assert_eq!(s.pending(), 0);
    assert!(matches!(
        s.encode_response(b"x"),
        Err(TransportError::InvalidState(_))
    ));
}

#[test]
fn transport_errors_both_ways() {
    let mut s = HttpServer::new();
    let mut c = client_waiting(0);
    let req = c.encode_request(b"a").unwrap();
    serve(&mut s, &[&req]);
    let wire = s.encode_transport_error(-404).unwrap();
    assert_eq!(
        wire,
        b"HTTP/1.1 404 Not Found\r\nConnection: keep-alive\r\nAccess-Control-Allow-Origin: *\r\n\
          Content-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n\x6c\xfe\xff\xff"
    );
    assert_eq!(
        receive(&mut c, &[&wire]),
        (vec![Inbound::TransportError { code: -404 }], None)
    );
    assert!(!c.should_close());
    // MadelineProto's reading: any body is ignored.
    let mut c = client_waiting(2);
    let r = receive(
        &mut c,
        &[
            b"HTTP/1.1 429 Too Many Requests\r\nContent-Length: 5\r\n\r\nhello\
            HTTP/1.1 444 \r\nContent-Length: 0\r\n\r\n",
        ],
    );
    assert_eq!(
        r,
        (
            vec![
                Inbound::TransportError { code: -429 },
                Inbound::TransportError { code: -444 }
            ],
            None
        )
    );
    // Without a length, the body runs to the close.
    let mut c = client_waiting(2);
    let r = receive(
        &mut c,
        &[b"HTTP/1.1 403 Forbidden\r\n\r\nwhatever", b"more"],
    );
    assert_eq!(r, (vec![Inbound::TransportError { code: -403 }], None));
    assert!(c.should_close());
    assert_eq!(c.pending(), 1);
    assert!(matches!(
        c.encode_request(b"x"),
        Err(TransportError::InvalidState(_))
    ));
    // tdlib's reading: a 4-byte negative body of a 200.
    let mut c = client_waiting(1);
    let r = receive(
        &mut c,
        &[b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n\x6c\xfe\xff\xff"],
    );
    assert_eq!(r, (vec![Inbound::TransportError { code: -404 }], None));
    // A non-negative 4-byte body is just a (bad) payload for the next layer.
    let mut c = client_waiting(1);
    let r = receive(
        &mut c,
        &[b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n\x01\x00\x00\x00"],
    );
    assert_eq!(r, (vec![packet(&[1, 0, 0, 0])], None));
}

#[test]
fn response_statuses_and_framing() {
    for (input, expected) in [
        (
            &b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"[..],
            TransportError::HttpStatus { status: 502 },
        ),
        (
            b"HTTP/1.1 101 Switching Protocols\r\n\r\n",
            TransportError::HttpStatus { status: 101 },
        ),
        (
            b"HTTP/1.1 204 No Content\r\n\r\n",
            TransportError::HttpStatus { status: 204 },
        ),
        (
            b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
            TransportError::HttpStatus { status: 400 },
        ),
    ] {
        assert_eq!(client_err(input), expected);
    }
    for input in [
        &b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"[..],
        b"HTTP/1.1 200 OK\r\n\r\nbody-to-close",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        b"HTTP/2 200\r\n\r\n",
        b"HTTP/1.2 200 OK\r\n\r\n",
        b"HTTP/1.1 2000 OK\r\n\r\n",
        b"HTTP/1.1 20 OK\r\n\r\n",
        b"HTTP/1.1 099 X\r\n\r\n",
        b"HTTP/1.1 600 X\r\n\r\n",
        b"HTTP/1.1 200OK\r\n\r\n",
        b"http/1.1 200 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nX: \x7f\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\nContent-Length: 0\n\n",
    ] {
        assert!(
            is_http(&client_err(input)),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    // A bare status code without a reason is accepted, and so is an empty one.
    let mut c = client_waiting(2);
    let r = receive(
        &mut c,
        &[b"HTTP/1.1 200\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 \r\ncontent-length:  1 \r\n\r\nb"],
    );
    assert_eq!(r, (vec![packet(b"a"), packet(b"b")], None));
    // A response with no request waiting.
    let mut c = client_waiting(0);
    let (_, e) = receive(&mut c, &[b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"]);
    assert!(is_http(&e.unwrap()));
    assert!(c.encode_request(b"x").is_err(), "sticky");
    let mut c = client_waiting(0);
    let (_, e) = receive(&mut c, &[b"HTTP/1.1 100 Continue\r\n\r\n"]);
    assert!(is_http(&e.unwrap()));
}

#[test]
fn connection_close_from_the_server() {
    for head in [
        &b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na"[..],
        b"HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 1\r\n\r\na",
        b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\na",
    ] {
        let mut c = client_waiting(2);
        let mut wire = head.to_vec();
        wire.extend(b"garbage after close is ignored");
        assert_eq!(receive(&mut c, &[&wire]), (vec![packet(b"a")], None));
        assert!(c.should_close());
        assert_eq!(c.pending(), 1);
        assert!(matches!(
            c.encode_request(b"x"),
            Err(TransportError::InvalidState(_))
        ));
    }
    let mut c = client_waiting(2);
    let r = receive(
        &mut c,
        &[
            b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\na\
            HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nb",
        ],
    );
    assert_eq!(r, (vec![packet(b"a"), packet(b"b")], None));
    assert!(!c.should_close());
}

#[test]
fn connection_close_from_the_client() {
    let mut s = HttpServer::new();
    let wire = b"POST /api HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi\
                 POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nno";
    assert_eq!(serve(&mut s, &[wire]), (vec![packet(b"hi")], None));
    assert!(!s.should_close());
    let r = s.encode_response(b"bye").unwrap();
    assert!(r.starts_with(b"HTTP/1.1 200 OK\r\nConnection: close\r\n"));
    assert!(s.should_close());
    assert!(s.poll_transmit().is_none());
    assert_eq!(serve(&mut s, &[b"POST /api HTTP/1.1\r\n"]), (vec![], None));
    // HTTP/1.0 closes unless it asks to keep the connection.
    let mut s = HttpServer::new();
    let wire = b"POST /api HTTP/1.0\r\nContent-Length: 1\r\n\r\na\
                 POST /api HTTP/1.0\r\nContent-Length: 1\r\n\r\nb";
    assert_eq!(serve(&mut s, &[wire]), (vec![packet(b"a")], None));
    assert!(
        s.encode_response(b"x")
            .unwrap()
            .starts_with(b"HTTP/1.1 200 OK\r\nConnection: close\r\n")
    );
    let mut s = HttpServer::new();
    let wire = b"POST /api HTTP/1.0\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\na\
                 POST /api HTTP/1.0\r\nContent-Length: 1\r\n\r\nb";
    assert_eq!(
        serve(&mut s, &[wire]),
        (vec![packet(b"a"), packet(b"b")], None)
    );
}

#[test]
fn other_methods_and_paths_are_answered_in_order() {
    let mut s = HttpServer::new();
    let wire = b"POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\na\
                 OPTIONS /api HTTP/1.1\r\nHost: h\r\nOrigin: http://x\r\n\r\n\
                 GET / HTTP/1.1\r\nHost: h\r\n\r\n\
                 POST /api HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nb\
                 POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz\
                 HEAD /api HTTP/1.1\r\nHost: h\r\n\r\n\
                 post /api HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nc";
    assert_eq!(
        serve(&mut s, &[wire]),
        (vec![packet(b"a"), packet(b"b")], None)
    );
    assert_eq!(s.pending(), 2);
    assert_eq!(
        s.poll_transmit(),
        None,
        "the first packet is not answered yet"
    );
    let r1 = s.encode_response(b"A").unwrap();
    let preflight =
        b"HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\nAllow: POST, OPTIONS\r\n\
        Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, OPTIONS\r\n\
        Access-Control-Allow-Headers: Content-Type\r\nAccess-Control-Max-Age: 86400\r\n\r\n";
    let not_allowed = b"HTTP/1.1 405 Method Not Allowed\r\nConnection: keep-alive\r\n\
        Allow: POST, OPTIONS\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n";
    let not_found = b"HTTP/1.1 404 Not Found\r\nConnection: keep-alive\r\n\
        Access-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n";
    let ok_a = b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nAccess-Control-Allow-Origin: *\r\n\
        Content-Type: application/octet-stream\r\nContent-Length: 1\r\n\r\nA";
    let mut expected = ok_a.to_vec();
    expected.extend_from_slice(preflight);
    expected.extend_from_slice(not_allowed);
    assert_eq!(r1, expected);
    let r2 = s.encode_response(b"B").unwrap();
    let mut expected = ok_a.to_vec();
    *expected.last_mut().unwrap() = b'B';
    expected.extend_from_slice(not_found);
    expected.extend_from_slice(not_allowed);
    expected.extend_from_slice(not_allowed);
    assert_eq!(r2, expected);
    assert_eq!(s.poll_transmit(), None);
    // Codec answers with nothing before them go out at once.
    let mut s = HttpServer::new();
    assert_eq!(
        serve(&mut s, &[b"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"]),
        (vec![], None)
    );
    assert_eq!(s.poll_transmit().as_deref(), Some(&preflight[..]));
    assert!(matches!(
        s.encode_response(b"x"),
        Err(TransportError::InvalidState(_))
    ));
    // A GET that asks to close is answered and closes.
    let mut s = HttpServer::new();
    serve(
        &mut s,
        &[b"GET /api HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nignored"],
    );
    let r = s.poll_transmit().unwrap();
    assert!(r.starts_with(b"HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\n"));
    assert!(s.should_close());
}

#[test]
fn absolute_form_and_empty_lines() {
    for target in [
        "http://149.154.167.50:80/api",
        "HTTP://h/api",
        "https://h/api",
    ] {
        let mut s = HttpServer::new();
        let wire =
            format!("\r\n\r\nPOST {target} HTTP/1.1\r\nHost: \r\nContent-Length: 1\r\n\r\nz");
        assert_eq!(
            serve(&mut s, &[wire.as_bytes()]),
            (vec![packet(b"z")], None),
            "{target}"
        );
    }
    for target in ["http:///api", "ftp://h/api"] {
        let (_, status) = server_err(
            format!("POST {target} HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").as_bytes(),
        );
        assert_eq!(status, Some(400), "{target}");
    }
    let mut s = HttpServer::new();
    serve(
        &mut s,
        &[b"POST http://h HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"],
    );
    assert!(s.poll_transmit().unwrap().starts_with(b"HTTP/1.1 404"));
    let mut s = HttpServer::new();
    serve(
        &mut s,
        &[b"POST /api?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"],
    );
    assert!(s.poll_transmit().unwrap().starts_with(b"HTTP/1.1 404"));
}

#[test]
fn expect_continue() {
    let mut s = HttpServer::new();
    let head =
        b"POST /api HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n";
    assert_eq!(serve(&mut s, &[head]), (vec![], None));
    assert_eq!(
        s.poll_transmit().as_deref(),
        Some(&b"HTTP/1.1 100 Continue\r\n\r\n"[..])
    );
    assert_eq!(s.poll_transmit(), None);
    assert_eq!(serve(&mut s, &[b"abc"]), (vec![packet(b"abc")], None));
    assert!(
        s.encode_response(b"ok")
            .unwrap()
            .starts_with(b"HTTP/1.1 200 OK")
    );
    // Behind a waiting packet, the 100 waits for that packet's answer.
    let mut s = HttpServer::new();
    let mut c = client_waiting(0);
    let mut wire = c.encode_request(b"first").unwrap();
    wire.extend_from_slice(head);
    assert_eq!(serve(&mut s, &[&wire]), (vec![packet(b"first")], None));
    assert_eq!(s.poll_transmit(), None);
    let r = s.encode_response(b"1").unwrap();
    assert!(r.ends_with(b"\r\n\r\n1HTTP/1.1 100 Continue\r\n\r\n"));
    // The client skips interim responses.
    let mut c = client_waiting(1);
    let r = receive(&mut c, &[b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"]);
    assert_eq!(r, (vec![packet(b"ok")], None));
}

#[test]
fn client_errors_are_sticky() {
    let mut c = client_waiting(1);
    let e = receive(
        &mut c,
        &[b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"],
    )
    .1
    .unwrap();
    assert_eq!(e, TransportError::HttpStatus { status: 500 });
    assert_eq!(c.feed(b"x"), Err(e.clone()));
    assert_eq!(c.error(), Some(&e));
    assert_eq!(c.encode_request(b"x"), Err(e));
}

#[test]
fn header_names_are_case_insensitive_and_values_trimmed() {
    let mut s = HttpServer::new();
    let wire = b"POST /api HTTP/1.1\r\nhOsT:h\r\nCONTENT-LENGTH:\t 2 \t\r\nX-Empty:\r\nconnection: KEEP-ALIVE\r\n\r\nok";
    assert_eq!(serve(&mut s, &[wire]), (vec![packet(b"ok")], None));
    // What MadelineProto sends.
    let mut s = HttpServer::new();
    let wire = b"POST /api HTTP/1.1\r\nHost: 149.154.167.50:80\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                 Connection: keep-alive\r\nKeep-Alive: timeout=100000, max=10000000\r\nContent-Length: 2\r\n\r\nok";
    assert_eq!(serve(&mut s, &[wire]), (vec![packet(b"ok")], None));
}
