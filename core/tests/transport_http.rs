//! The HTTP transport vectors (`tests/vectors/transport_http.json`, written
//! by the independent Python generator) against the core's HTTP codec: exact
//! encodings, and decoding with the input split at every point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mtproto_core::TransportError;
use mtproto_core::transport::Inbound;
use mtproto_core::transport::http::{HttpClient, HttpServer};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = format!(
        "{}/../tests/vectors/transport_http.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    doc["cases"].as_array().unwrap().clone()
}

fn bytes(case: &Value, field: &str) -> Vec<u8> {
    hex::decode(case[field].as_str().unwrap_or_else(|| panic!("no {field}"))).unwrap()
}

fn events(case: &Value) -> Vec<Inbound> {
    case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            if let Some(p) = e["packet"].as_str() {
                Inbound::Packet {
                    payload: hex::decode(p).unwrap(),
                    quick_ack: false,
                }
            } else {
                Inbound::TransportError {
                    code: i32::try_from(e["transport_error"].as_i64().unwrap()).unwrap(),
                }
            }
        })
        .collect()
}

/// What a decoder did with its input.
#[derive(Debug, PartialEq)]
struct Outcome {
    events: Vec<Inbound>,
    error: Option<TransportError>,
    /// Server: rejection status and what `poll_transmit` returned; client:
    /// whether it must close.
    rejection: Option<u16>,
    transmit: Option<Vec<u8>>,
    close: bool,
}

trait Decoder {
    fn feed(&mut self, bytes: &[u8]) -> Result<(), TransportError>;
    fn poll(&mut self) -> Option<Inbound>;
}

impl Decoder for HttpServer {
    fn feed(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        HttpServer::feed(self, bytes)
    }
    fn poll(&mut self) -> Option<Inbound> {
        HttpServer::poll(self)
    }
}

impl Decoder for HttpClient {
    fn feed(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        HttpClient::feed(self, bytes)
    }
    fn poll(&mut self) -> Option<Inbound> {
        HttpClient::poll(self)
    }
}

fn run(d: &mut dyn Decoder, chunks: &[&[u8]]) -> (Vec<Inbound>, Option<TransportError>) {
    let mut out = Vec::new();
    for c in chunks {
        let r = d.feed(c);
        out.extend(std::iter::from_fn(|| d.poll()));
        if let Err(e) = r {
            // Sticky.
            assert_eq!(d.feed(b"\r\n"), Err(e.clone()));
            return (out, Some(e));
        }
    }
    (out, None)
}

fn client(waiting: usize) -> HttpClient {
    let mut c = HttpClient::new("example.org").unwrap();
    for _ in 0..waiting {
        c.encode_request(b"q").unwrap();
    }
    c
}

fn decode_server(chunks: &[&[u8]]) -> Outcome {
    let mut s = HttpServer::new();
    let (events, error) = run(&mut s, chunks);
    Outcome {
        events,
        error,
        rejection: s.rejection_status(),
        transmit: s.poll_transmit(),
        close: false,
    }
}

fn decode_client(waiting: usize, chunks: &[&[u8]]) -> Outcome {
    let mut c = client(waiting);
    let (events, error) = run(&mut c, chunks);
    Outcome {
        events,
        error,
        rejection: None,
        transmit: None,
        close: c.should_close(),
    }
}

/// Decoding `wire` gives `expected` whole, split at every point, and byte
/// by byte.
fn check_splits(name: &str, wire: &[u8], expected: &Outcome, decode: impl Fn(&[&[u8]]) -> Outcome) {
    assert_eq!(&decode(&[wire]), expected, "{name}: whole");
    for i in 0..=wire.len() {
        assert_eq!(
            &decode(&[&wire[..i], &wire[i..]]),
            expected,
            "{name}: split at {i}"
        );
    }
    let bytes: Vec<&[u8]> = wire.chunks(1).collect();
    assert_eq!(&decode(&bytes), expected, "{name}: byte by byte");
}

fn expected_error(case: &Value) -> Option<TransportError> {
    let e = &case["error"];
    if e.is_null() {
        return None;
    }
    Some(match e["kind"].as_str().unwrap() {
        "http" => TransportError::Http(String::new()),
        "http_status" => TransportError::HttpStatus {
            status: u16::try_from(e["status"].as_u64().unwrap()).unwrap(),
        },
        "frame_too_large" => TransportError::FrameTooLarge {
            len: 0,
            max: mtproto_core::transport::DEFAULT_MAX_FRAME,
        },
        other => panic!("error kind {other}"),
    })
}

/// Error messages and lengths are not part of the vectors: compare kinds
/// (and statuses, and the limit).
fn normalize(mut o: Outcome) -> Outcome {
    o.error = o.error.map(|e| match e {
        TransportError::Http(_) => TransportError::Http(String::new()),
        TransportError::FrameTooLarge { max, .. } => TransportError::FrameTooLarge { len: 0, max },
        other => other,
    });
    o
}

#[test]
fn http_vectors() {
    let cases = cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut kinds = std::collections::BTreeMap::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let kind = case["kind"].as_str().unwrap();
        *kinds.entry(kind.to_owned()).or_insert(0) += 1;
        let wire = bytes(case, "wire");
        match kind {
            "request" => {
                let payload = bytes(case, "payload");
                let mut c = HttpClient::new(case["host"].as_str().unwrap()).unwrap();
                assert_eq!(c.encode_request(&payload).unwrap(), wire, "{name}");
                let expected = Outcome {
                    events: vec![Inbound::Packet {
                        payload,
                        quick_ack: false,
                    }],
                    error: None,
                    rejection: None,
                    transmit: None,
                    close: false,
                };
                check_splits(name, &wire, &expected, decode_server);
            }
            "response" | "transport_error" | "error" => {
                let mut s = HttpServer::new();
                s.feed(&client(0).encode_request(b"q").unwrap()).unwrap();
                assert!(s.poll().is_some());
                let (encoded, event, error) = match kind {
                    "response" => {
                        let payload = bytes(case, "payload");
                        let event = Inbound::Packet {
                            payload: payload.clone(),
                            quick_ack: false,
                        };
                        (s.encode_response(&payload).unwrap(), Some(event), None)
                    }
                    "transport_error" => {
                        let code = i32::try_from(case["code"].as_i64().unwrap()).unwrap();
                        let event = Inbound::TransportError { code };
                        (s.encode_transport_error(code).unwrap(), Some(event), None)
                    }
                    _ => {
                        let status = u16::try_from(case["status"].as_u64().unwrap()).unwrap();
                        let error = TransportError::HttpStatus { status };
                        (s.encode_error(status).unwrap(), None, Some(error))
                    }
                };
                assert_eq!(encoded, wire, "{name}");
                let expected = Outcome {
                    events: event.into_iter().collect(),
                    error,
                    rejection: None,
                    transmit: None,
                    close: false,
                };
                check_splits(name, &wire, &expected, |c| decode_client(1, c));
            }
            "decode" => {
                let error = expected_error(case);
                match case["role"].as_str().unwrap() {
                    "server" => {
                        let rejection = case["error"]["rejection"]
                            .as_u64()
                            .map(|s| u16::try_from(s).unwrap());
                        let transmit = case.get("transmit").map(|_| bytes(case, "transmit"));
                        let expected = Outcome {
                            events: events(case),
                            error,
                            rejection,
                            transmit,
                            close: false,
                        };
                        check_splits(name, &wire, &expected, |c| normalize(decode_server(c)));
                    }
                    "client" => {
                        let waiting = usize::try_from(case["waiting"].as_u64().unwrap()).unwrap();
                        let expected = Outcome {
                            events: events(case),
                            error,
                            rejection: None,
                            transmit: None,
                            close: case["close"].as_bool().unwrap_or(false),
                        };
                        check_splits(name, &wire, &expected, |c| {
                            normalize(decode_client(waiting, c))
                        });
                    }
                    other => panic!("role {other}"),
                }
            }
            other => panic!("kind {other}"),
        }
    }
    assert_eq!(
        kinds.keys().map(String::as_str).collect::<Vec<_>>(),
        ["decode", "error", "request", "response", "transport_error"]
    );
}
