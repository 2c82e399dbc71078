use super::*;
use crate::rand::SeededRandom;

const NOW: UnixMillis = UnixMillis(1_705_754_877_000);

fn payload(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn simple() -> ProxySecret {
    ProxySecret::from_bytes(&[7u8; 16]).unwrap()
}

fn padded() -> ProxySecret {
    ProxySecret::from_bytes(&[[0xdd].as_slice(), &[9u8; 16]].concat()).unwrap()
}

fn fake_tls() -> ProxySecret {
    ProxySecret::fake_tls([5u8; 16], "example.com").unwrap()
}

fn drain(c: &mut ClientTransport) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(b) = c.poll_transmit() {
        out.extend(b);
    }
    out
}

fn drain_server(s: &mut ServerTransport) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(b) = s.poll_transmit() {
        out.extend(b);
    }
    out
}

/// A client and a server over a perfect link; `chunk` splits every write.
fn converse(
    config: ClientTransportConfig,
    server: ServerTransportConfig,
    chunk: usize,
) -> DetectedTransport {
    let mut c =
        ClientTransport::new(config.clone(), Box::new(SeededRandom::from_u64(1)), NOW).unwrap();
    let mut s = ServerTransport::new(server, Box::new(SeededRandom::from_u64(2))).unwrap();
    let quick = !matches!(
        config.kind,
        TransportKind::Http | TransportKind::Framed(FramingKind::Full)
    );
    let sent: Vec<Vec<u8>> = vec![payload(40, 1), payload(2000, 2), payload(4, 3)];
    for (i, p) in sent.iter().enumerate() {
        c.send(p, quick && i == 0).unwrap();
    }
    let wire = drain(&mut c);
    for part in wire.chunks(chunk) {
        s.handle_input(part, NOW).unwrap();
    }
    let mut got = Vec::new();
    while let Some(i) = s.poll_inbound() {
        got.push(i);
    }
    assert_eq!(got.len(), 3, "{config:?}");
    for (i, (g, p)) in got.iter().zip(&sent).enumerate() {
        match g {
            Inbound::Packet { payload, quick_ack } => {
                let body = match s.detected().unwrap().kind {
                    TransportKind::Framed(FramingKind::PaddedIntermediate) => &payload[..p.len()],
                    _ => &payload[..],
                };
                assert_eq!(body, &p[..], "{config:?} packet {i}");
                assert_eq!(*quick_ack, quick && i == 0);
            }
            other => panic!("{other:?}"),
        }
    }
    // Answers: each request is answered (HTTP needs one response per request).
    for p in &sent {
        s.send(&p.iter().rev().copied().collect::<Vec<_>>())
            .unwrap();
    }
    if quick {
        s.send_quick_ack(0x8000_1234).unwrap();
        s.send_transport_error(-404).unwrap();
    }
    let back = drain_server(&mut s);
    for part in back.chunks(chunk) {
        c.handle_input(part).unwrap();
    }
    let mut inbound = Vec::new();
    while let Some(i) = c.poll_inbound() {
        inbound.push(i);
    }
    let packets: Vec<&Vec<u8>> = inbound
        .iter()
        .filter_map(|i| {
            if let Inbound::Packet { payload, .. } = i {
                Some(payload)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(packets.len(), 3, "{config:?}: {inbound:?}");
    for (g, p) in packets.iter().zip(&sent) {
        let want: Vec<u8> = p.iter().rev().copied().collect();
        assert_eq!(&g[..want.len()], &want[..]);
    }
    if quick {
        assert!(
            inbound.contains(&Inbound::QuickAck { token: 0x8000_1234 }),
            "{inbound:?}"
        );
        assert!(
            inbound.contains(&Inbound::TransportError { code: -404 }),
            "{inbound:?}"
        );
    }
    s.detected().unwrap().clone()
}

#[test]
fn every_transport_round_trips_in_both_directions() {
    let all = ServerTransportConfig {
        secrets: vec![simple(), padded(), fake_tls()],
        ..Default::default()
    };
    let kinds = [
        FramingKind::Abridged,
        FramingKind::Intermediate,
        FramingKind::PaddedIntermediate,
        FramingKind::Full,
    ];
    for chunk in [1usize, 7, 1 << 20] {
        for kind in kinds {
            let d = converse(
                ClientTransportConfig::new(TransportKind::Framed(kind)),
                all.clone(),
                chunk,
            );
            assert_eq!(d.kind, TransportKind::Framed(kind));
            assert!(!d.obfuscated);
            if kind == FramingKind::Full {
                continue;
            }
            let mut c = ClientTransportConfig::new(TransportKind::Framed(kind));
            c.obfuscate = true;
            c.dc_id = -3;
            let d = converse(c.clone(), all.clone(), chunk);
            assert_eq!(
                (d.obfuscated, d.secret_index, d.dc_id),
                (true, None, Some(-3))
            );
            c.secret = Some(simple());
            let d = converse(c, all.clone(), chunk);
            assert_eq!(d.secret_index, Some(0));
        }
        for (secret, index, tls) in [(padded(), 1, false), (fake_tls(), 2, true)] {
            let mut c =
                ClientTransportConfig::new(TransportKind::Framed(FramingKind::PaddedIntermediate));
            c.secret = Some(secret);
            let d = converse(c, all.clone(), chunk);
            assert_eq!(
                (d.obfuscated, d.fake_tls, d.secret_index),
                (true, tls, Some(index))
            );
        }
        let mut h = ClientTransportConfig::new(TransportKind::Http);
        h.http_host = "127.0.0.1:8080".into();
        assert_eq!(converse(h, all.clone(), chunk).kind, TransportKind::Http);
    }
}

#[test]
fn servers_refuse_what_they_do_not_accept() {
    let strict = ServerTransportConfig {
        secrets: vec![simple()],
        allow_plain: false,
        allow_obfuscated_without_secret: false,
        allow_http: false,
        ..Default::default()
    };
    let attempt = |config: ClientTransportConfig| {
        let mut c = ClientTransport::new(config, Box::new(SeededRandom::from_u64(3)), NOW).unwrap();
        c.send(&payload(40, 0), false).unwrap();
        let mut s =
            ServerTransport::new(strict.clone(), Box::new(SeededRandom::from_u64(4))).unwrap();
        let r = s.handle_input(&drain(&mut c), NOW);
        // Sticky: the same error again.
        if r.is_err() {
            assert_eq!(
                s.handle_input(&[0; 4], NOW).unwrap_err(),
                r.clone().unwrap_err()
            );
        }
        r
    };
    assert!(
        attempt(ClientTransportConfig::new(TransportKind::Framed(
            FramingKind::Intermediate
        )))
        .is_err()
    );
    let mut obf = ClientTransportConfig::new(TransportKind::Framed(FramingKind::Abridged));
    obf.obfuscate = true;
    assert!(attempt(obf.clone()).is_err(), "no secret");
    obf.secret = Some(ProxySecret::from_bytes(&[8u8; 16]).unwrap());
    assert!(attempt(obf.clone()).is_err(), "wrong secret");
    obf.secret = Some(simple());
    assert!(attempt(obf).is_ok());
    let mut tls =
        ClientTransportConfig::new(TransportKind::Framed(FramingKind::PaddedIntermediate));
    tls.secret = Some(fake_tls());
    assert!(attempt(tls).is_err(), "no ee secret configured");
}

#[test]
fn client_configuration_errors() {
    let mut c = ClientTransportConfig::new(TransportKind::Framed(FramingKind::Full));
    c.obfuscate = true;
    assert!(ClientTransport::new(c, Box::new(SeededRandom::from_u64(1)), NOW).is_err());
    let mut c = ClientTransportConfig::new(TransportKind::Framed(FramingKind::Abridged));
    c.secret = Some(padded());
    assert!(
        ClientTransport::new(c, Box::new(SeededRandom::from_u64(1)), NOW).is_err(),
        "dd needs padded"
    );
    let mut c = ClientTransportConfig::new(TransportKind::Http);
    c.obfuscate = true;
    assert!(ClientTransport::new(c, Box::new(SeededRandom::from_u64(1)), NOW).is_err());
}
