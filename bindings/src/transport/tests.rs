//! The wrappers against the core: round trips, error codes, lock poisoning.

use super::obfuscation::*;
use super::*;

fn code(r: Result<impl Sized, MtprotoError>) -> u32 {
    match r {
        Ok(_) => 0,
        Err(MtprotoError::Failed { code, .. }) => code,
    }
}

fn client_config(kind: TransportKind) -> ClientTransportConfig {
    ClientTransportConfig {
        kind,
        obfuscate: false,
        dc_id: 2,
        secret: None,
        http_host: String::new(),
        max_frame: 1 << 24,
    }
}

fn server_config() -> ServerTransportConfig {
    ServerTransportConfig {
        secrets: Vec::new(),
        allow_plain: true,
        allow_obfuscated_without_secret: true,
        allow_http: true,
        max_frame: 1 << 24,
    }
}

fn pump(from: &dyn Fn() -> Option<Vec<u8>>, to: &dyn Fn(Vec<u8>)) {
    while let Some(bytes) = from() {
        for chunk in bytes.chunks(5) {
            to(chunk.to_vec());
        }
    }
}

#[test]
fn client_and_server_round_trip() {
    let secret = "dd0123456789abcdef0123456789abcdef".to_owned();
    for (kind, secret, http) in [
        (TransportKind::Abridged, None, false),
        (TransportKind::Full, None, false),
        (TransportKind::PaddedIntermediate, Some(secret), false),
        (TransportKind::Http, None, true),
    ] {
        let mut cc = client_config(kind);
        cc.secret = secret.clone();
        let mut sc = server_config();
        sc.secrets = secret.iter().cloned().collect();
        let client = ClientTransport::new(cc, 0).unwrap();
        let server = ServerTransport::new(sc).unwrap();
        client.send(vec![7; 80], false).unwrap();
        pump(&|| client.poll_transmit().unwrap(), &|b| {
            server.handle_input(b, 0).unwrap()
        });
        let Some(Inbound::Packet { payload, quick_ack }) = server.poll_inbound().unwrap() else {
            panic!("{kind:?}: no packet");
        };
        assert_eq!(&payload[..80], &[7; 80][..], "{kind:?}");
        assert!(!quick_ack);
        let detected = server.detected().unwrap().unwrap();
        assert_eq!(detected.kind, kind);
        assert_eq!(detected.secret_index, secret.as_ref().map(|_| 0));
        server.send(vec![9; 76]).unwrap();
        if !http {
            server.send_transport_error(-404).unwrap();
        }
        pump(&|| server.poll_transmit().unwrap(), &|b| {
            client.handle_input(b).unwrap()
        });
        let Some(Inbound::Packet { payload, .. }) = client.poll_inbound().unwrap() else {
            panic!("{kind:?}: no answer");
        };
        assert_eq!(&payload[..76], &[9; 76][..]);
        if !http {
            assert_eq!(
                client.poll_inbound().unwrap(),
                Some(Inbound::TransportError { code: -404 })
            );
        }
        assert_eq!(client.poll_inbound().unwrap(), None);
    }
}

#[test]
fn argument_errors_keep_the_core_codes() {
    assert_eq!(
        code(FramingCodec::new(TransportKind::Http, Role::Client, 64)),
        1
    );
    assert_eq!(code(framing_header(TransportKind::Http)), 1);
    assert_eq!(framing_header(TransportKind::Abridged).unwrap(), vec![0xef]);
    assert_eq!(code(quick_ack_token(vec![0; 31])), 101);
    assert_eq!(quick_ack_token(vec![0; 32]).unwrap(), 0x8000_0000);
    let mut cc = client_config(TransportKind::Intermediate);
    cc.secret = Some("zz".into());
    assert_eq!(code(ClientTransport::new(cc, 0)), 610);
    let mut cc = client_config(TransportKind::Http);
    cc.obfuscate = true;
    assert_eq!(code(ClientTransport::new(cc, 0)), 611);
    assert_eq!(code(parse_proxy_secret("00".into())), 610);
    assert_eq!(code(is_valid_obfuscation_init(vec![1; 63])), 101);
    assert_eq!(
        code(obfuscation_init(vec![1; 64], TransportKind::Full, 2, None)),
        606
    );
    assert_eq!(code(aes_ctr_apply(vec![0; 32], vec![0; 15], vec![])), 101);
    assert_eq!(code(fake_tls_key_share(vec![0; 33])), 101);
    let init = obfuscation_init(vec![1; 64], TransportKind::Abridged, 2, None).unwrap();
    assert_eq!(format!("{init:?}"), "ObfuscationInit { .. }");
    let mut cc = client_config(TransportKind::Abridged);
    cc.secret = Some("00112233445566778899aabbccddeeff".into());
    assert!(!format!("{cc:?}").contains("0011"));
    let http = HttpServer::new();
    assert_eq!(code(http.encode_response(vec![1])), 611);
    assert_eq!(http.pending().unwrap(), 0);
    assert_eq!(HttpClient::new("h".into()).unwrap().pending().unwrap(), 0);
}

#[test]
fn a_poisoned_lock_is_internal() {
    let codec = FramingCodec::new(TransportKind::Abridged, Role::Client, 64).unwrap();
    let poisoned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _guard = codec.inner.lock().unwrap();
        panic!("poison");
    }));
    assert!(poisoned.is_err());
    assert_eq!(code(codec.feed(vec![1])), 2);
    assert_eq!(code(codec.poll()), 2);
}
