use super::*;
use crate::error::TransportError;
use crate::rand::{SecureRandom, SeededRandom};
use crate::time::UnixMillis;
use crate::transport::obfuscated::{AcceptedSecrets, ProxySecret, client_init, server_accept};
use crate::transport::{FramingKind, Role};

const NOW: UnixMillis = UnixMillis(1_700_000_000_000);

fn secret(n: u8, domain: &str) -> ProxySecret {
    ProxySecret::fake_tls([n; 16], domain).unwrap()
}

fn hello_for(s: &ProxySecret, now: UnixMillis, seed: u64) -> ClientHello {
    client_hello(s, now, &mut SeededRandom::from_u64(seed)).unwrap()
}

fn server(secrets: Vec<ProxySecret>) -> FakeTlsServer {
    FakeTlsServer::new(secrets, FakeTlsServerConfig::default()).unwrap()
}

#[test]
fn client_hello_layout() {
    let s = secret(1, "www.example.com");
    let h = hello_for(&s, NOW, 1);
    assert_eq!(h.bytes.len(), CLIENT_HELLO_LEN);
    assert_eq!(&h.bytes[..11], &[0x16, 3, 1, 2, 0, 1, 0, 1, 0xfc, 3, 3]);
    assert_eq!(&h.bytes[11..43], &h.random);
    assert_eq!(client_hello_len(&h.bytes).unwrap(), Some(517));
    let p = parse_client_hello(&h.bytes).unwrap();
    assert_eq!(p.domain, "www.example.com");
    assert_eq!(p.random, h.random);
    // The random is the digest with the time mixed into its last 4 bytes.
    assert_eq!(&h.random[..28], &h.digest[..28]);
    let t: Vec<u8> = h.random[28..]
        .iter()
        .zip(&h.digest[28..])
        .map(|(a, b)| a ^ b)
        .collect();
    assert_eq!(t, (NOW.as_secs() as u32).to_le_bytes());
    // The digest is HMAC over the hello with the random zeroed.
    let mut zeroed = h.bytes.clone();
    zeroed[11..43].fill(0);
    assert_eq!(hmac_sha256(s.key(), &[&zeroed]), h.digest);
    // Extension total: 403 bytes; padding fills to 517.
    assert_eq!(&h.bytes[112..114], &[0x01, 0x93]);
}

#[test]
fn client_hello_from_fixed_parts_and_orders() {
    let s = secret(2, "a.b");
    let mut r = ClientHelloRandom {
        session_id: [3; 32],
        grease_seed: [0x11, 0x12, 0x33, 0x34, 0x55, 0x56, 0x77],
        key_share: [4; 32],
        extension_order: core::array::from_fn(|i| i as u8),
    };
    let a = build_client_hello(&s, NOW, &r).unwrap();
    assert_eq!(build_client_hello(&s, NOW, &r).unwrap(), a);
    // Unshuffled: the SNI extension comes right after the first GREASE one.
    assert_eq!(&a.bytes[114..120], &[0x3a, 0x3a, 0, 0, 0, 0]);
    r.extension_order.reverse();
    let b = build_client_hello(&s, NOW, &r).unwrap();
    assert_ne!(a.bytes, b.bytes);
    assert_eq!(parse_client_hello(&b.bytes).unwrap().domain, "a.b");
    r.extension_order[0] = r.extension_order[1];
    assert!(matches!(
        build_client_hello(&s, NOW, &r),
        Err(TransportError::FakeTls(_))
    ));
    let simple = ProxySecret::parse("00112233445566778899aabbccddeeff").unwrap();
    assert!(matches!(
        build_client_hello(&simple, NOW, &r),
        Err(TransportError::InvalidSecret(_))
    ));
}

#[test]
fn grease_rules() {
    let g = grease_values(&[0x00, 0x05, 0xff, 0xf0, 0x12, 0x9a, 0x47]);
    assert_eq!(g, [0x0a, 0x1a, 0xfa, 0xea, 0x1a, 0x9a, 0x4a]);
    for seed in 0..50u64 {
        let mut raw = [0u8; 7];
        SeededRandom::from_u64(seed).fill(&mut raw).unwrap();
        let g = grease_values(&raw);
        assert!(g.iter().all(|b| b & 0x0f == 0x0a));
        assert!(g[0] != g[1] && g[2] != g[3] && g[4] != g[5]);
    }
}

#[test]
fn generated_randoms_are_valid() {
    let mut rng = SeededRandom::from_u64(9);
    for _ in 0..20 {
        let r = ClientHelloRandom::generate(&mut rng).unwrap();
        let mut sorted = r.extension_order;
        sorted.sort();
        assert_eq!(sorted, core::array::from_fn(|i| i as u8));
        assert!(r.key_share[31] & 0x80 == 0);
    }
}

#[test]
fn server_accepts_the_right_secret() {
    let secrets = vec![secret(1, "one.example"), secret(2, "two.example")];
    let mut srv = server(secrets.clone());
    let h = hello_for(&secrets[1], NOW, 5);
    let a = srv.accept_client_hello(&h.bytes, NOW).unwrap();
    assert_eq!(a.secret_index, 1);
    assert_eq!(a.client_random, h.random);
    assert_eq!(a.timestamp as u64, NOW.as_secs());
    assert_eq!(a.domain, "two.example");
    assert_eq!(&a.session_id[..], &h.bytes[44..76]);
    assert_eq!(srv.replay_cache().len(), 1);
    // The domain compares case-insensitively.
    let upper = secret(2, "TWO.example");
    let h = hello_for(&upper, NOW, 6);
    assert_eq!(
        srv.accept_client_hello(&h.bytes, NOW).unwrap().secret_index,
        1
    );
}

fn expect_fake_tls(r: Result<AcceptedHello, TransportError>, needle: &str) {
    match r {
        Err(TransportError::FakeTls(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected FakeTls({needle}), got {other:?}"),
    }
}

#[test]
fn server_rejections() {
    let good = secret(1, "one.example");
    let mut srv = server(vec![good.clone()]);

    // Wrong secret (same domain).
    let h = hello_for(&secret(7, "one.example"), NOW, 1);
    expect_fake_tls(srv.accept_client_hello(&h.bytes, NOW), "digest");

    // Wrong domain with the right key.
    let h = hello_for(&secret(1, "other.example"), NOW, 2);
    expect_fake_tls(srv.accept_client_hello(&h.bytes, NOW), "SNI");

    // Stale and future times.
    let h = hello_for(&good, UnixMillis(NOW.0 - 121_000), 3);
    expect_fake_tls(srv.accept_client_hello(&h.bytes, NOW), "window");
    let h = hello_for(&good, UnixMillis(NOW.0 + 121_000), 4);
    expect_fake_tls(srv.accept_client_hello(&h.bytes, NOW), "window");
    // Just inside the window on both sides.
    let h = hello_for(&good, UnixMillis(NOW.0 - 119_000), 5);
    srv.accept_client_hello(&h.bytes, NOW).unwrap();
    let h = hello_for(&good, UnixMillis(NOW.0 + 119_000), 6);
    srv.accept_client_hello(&h.bytes, NOW).unwrap();

    // Replay of an accepted hello.
    let h = hello_for(&good, NOW, 7);
    srv.accept_client_hello(&h.bytes, NOW).unwrap();
    expect_fake_tls(
        srv.accept_client_hello(&h.bytes, UnixMillis(NOW.0 + 1000)),
        "replay",
    );

    // A tampered byte anywhere breaks the digest (or the structure).
    let h = hello_for(&good, NOW, 8);
    for i in [0usize, 5, 50, 100, 300, 516] {
        let mut bad = h.bytes.clone();
        bad[i] ^= 1;
        assert!(srv.accept_client_hello(&bad, NOW).is_err(), "byte {i}");
    }
    // Only ee secrets configure a fake-TLS server.
    let simple = ProxySecret::parse("00112233445566778899aabbccddeeff").unwrap();
    assert!(matches!(
        FakeTlsServer::new(vec![simple], FakeTlsServerConfig::default()),
        Err(TransportError::InvalidSecret(_))
    ));
}

#[test]
fn replay_cache_is_bounded_and_expires() {
    let mut c = ReplayCache::new(3, 1000);
    assert!(c.insert([1; 32], UnixMillis(0)));
    assert!(!c.insert([1; 32], UnixMillis(10)));
    assert!(c.insert([2; 32], UnixMillis(10)));
    assert!(c.insert([3; 32], UnixMillis(20)));
    assert!(c.insert([4; 32], UnixMillis(30)));
    assert_eq!(c.len(), 3);
    assert!(!c.contains(&[1; 32]));
    assert!(c.insert([5; 32], UnixMillis(1015)));
    assert!(!c.contains(&[2; 32]) && c.contains(&[3; 32]) && c.contains(&[5; 32]));
    assert!(c.insert([6; 32], UnixMillis(10_000)));
    assert_eq!(c.len(), 1);
}

#[test]
fn malformed_hellos_are_errors() {
    let good = hello_for(&secret(1, "x.example"), NOW, 1).bytes;
    assert_eq!(client_hello_len(&[]).unwrap(), None);
    assert_eq!(client_hello_len(&[0x16, 3]).unwrap(), None);
    assert!(client_hello_len(&[0x17]).is_err());
    assert!(client_hello_len(&[0x16, 3, 1, 0x10, 0x00]).is_err()); // 4101 bytes
    assert!(client_hello_len(&[0x16, 3, 1, 0, 10]).is_err());
    for cut in [5, 50, 516] {
        assert!(parse_client_hello(&good[..cut]).is_err());
    }
    let mut long = good.clone();
    long.push(0);
    assert!(parse_client_hello(&long).is_err());
    // A hello without SNI: rewrite the SNI extension type to an unknown one.
    let p = good.windows(4).position(|w| w == [0, 0, 0, 14]).unwrap();
    let mut no_sni = good.clone();
    no_sni[p + 1] = 0x99;
    assert!(parse_client_hello(&no_sni).is_err());
}

#[test]
fn server_hello_round_trip() {
    let s = secret(1, "one.example");
    let mut srv = server(vec![s.clone()]);
    let h = hello_for(&s, NOW, 11);
    let a = srv.accept_client_hello(&h.bytes, NOW).unwrap();
    let mut rng = SeededRandom::from_u64(12);
    let resp = server_hello(s.key(), &a.client_random, &a.session_id, &mut rng).unwrap();
    assert!(resp.len() >= 127 + 11 + 2500 && resp.len() < 127 + 11 + 3620);
    assert_eq!(&resp[..11], &[0x16, 3, 3, 0, 0x7a, 2, 0, 0, 0x76, 3, 3]);
    assert_eq!(&resp[44..76], &h.bytes[44..76]);
    assert_eq!(&resp[127..136], &[0x14, 3, 3, 0, 1, 1, 0x17, 3, 3]);
    // Incremental length at every split point.
    for cut in 0..resp.len() {
        assert_eq!(
            server_response_len(&resp[..cut])
                .unwrap()
                .unwrap_or(resp.len()),
            resp.len()
        );
    }
    assert_eq!(server_response_len(&resp).unwrap(), Some(resp.len()));
    verify_server_hello(s.key(), &h.random, &resp).unwrap();
    // Wrong key, wrong client random, tampering, truncation: all fail.
    let other = secret(2, "one.example");
    assert!(verify_server_hello(other.key(), &h.random, &resp).is_err());
    assert!(verify_server_hello(s.key(), &[0; 32], &resp).is_err());
    for i in [0usize, 11, 42, 60, 100, 130, 140, resp.len() - 1] {
        let mut bad = resp.clone();
        bad[i] ^= 0x40;
        assert!(
            verify_server_hello(s.key(), &h.random, &bad).is_err(),
            "byte {i}"
        );
    }
    assert!(verify_server_hello(s.key(), &h.random, &resp[..resp.len() - 1]).is_err());
    // Empty or oversized data is refused when building.
    let r = ServerHelloRandom {
        key_share: [0; 32],
        app_data: vec![],
    };
    assert!(build_server_hello(s.key(), &h.random, &a.session_id, &r).is_err());
    let r = ServerHelloRandom {
        key_share: [0; 32],
        app_data: vec![0; MAX_RECORD_PAYLOAD + 1],
    };
    assert!(build_server_hello(s.key(), &h.random, &a.session_id, &r).is_err());
}

#[test]
fn records_round_trip_split_at_every_point() {
    for role in [Role::Client, Role::Server] {
        let peer = if role == Role::Client {
            Role::Server
        } else {
            Role::Client
        };
        let data: Vec<u8> = (0..700u32).map(|i| (i * 7) as u8).collect();
        let more: Vec<u8> = (0..90u8).collect();
        let mut w = TlsRecordWriter::with_max_payload(role, 256);
        let mut wire = Vec::new();
        w.write(&data, &mut wire).unwrap();
        w.write(&[], &mut wire).unwrap();
        w.write(&more, &mut wire).unwrap();
        let ccs = if role == Role::Client { 6 } else { 0 };
        // 700 = 256 + 256 + 188, then 90: four records.
        assert_eq!(wire.len(), ccs + 700 + 90 + 4 * 5);
        let expect = [data.clone(), more.clone()].concat();
        for cut in 0..=wire.len() {
            let mut r = TlsRecordReader::new(peer);
            let mut out = Vec::new();
            r.read(&wire[..cut], &mut out).unwrap();
            r.read(&wire[cut..], &mut out).unwrap();
            assert_eq!(out, expect, "cut at {cut}");
            assert!(!r.is_mid_record());
        }
        // Byte by byte.
        let mut r = TlsRecordReader::new(peer);
        let mut out = Vec::new();
        for b in &wire {
            r.read(std::slice::from_ref(b), &mut out).unwrap();
        }
        assert_eq!(out, expect);
    }
}

#[test]
fn record_rules() {
    // A client's first write must hold the init.
    let mut w = TlsRecordWriter::new(Role::Client);
    assert!(matches!(
        w.write(&[0; 63], &mut Vec::new()),
        Err(TransportError::InvalidState(_))
    ));
    // Large writes split at the default sizes.
    let mut wire = Vec::new();
    w.write(&vec![1; 6000], &mut wire).unwrap();
    assert_eq!(&wire[6..11], &[0x17, 3, 3, 0x0b, 0x3e]); // 2878
    let mut wire = Vec::new();
    TlsRecordWriter::new(Role::Server)
        .write(&vec![1; 3000], &mut wire)
        .unwrap();
    assert_eq!(&wire[..5], &[0x17, 3, 3, 0x05, 0x91]); // 1425

    let mut out = Vec::new();
    // Server side: the CCS must come first, then a record of >= 64 bytes.
    let mut r = TlsRecordReader::new(Role::Server);
    assert!(r.read(&[0x17, 3, 3, 0, 64], &mut out).is_err());
    let mut r = TlsRecordReader::new(Role::Server);
    let mut bytes = CHANGE_CIPHER_SPEC.to_vec();
    bytes.extend_from_slice(&[0x17, 3, 3, 0, 63]);
    assert!(r.read(&bytes, &mut out).is_err());
    // Sticky: later calls fail the same way.
    assert!(r.read(&[0; 10], &mut out).is_err());
    // Client side: wrong type, too long.
    for bad in [
        &[0x15u8, 3, 3, 0, 2][..],
        &[0x17, 3, 1],
        &[0x17, 3, 3, 0x41, 0x01],
    ] {
        let mut r = TlsRecordReader::new(Role::Client);
        assert!(r.read(bad, &mut out).is_err(), "{bad:02x?}");
    }
    let mut r = TlsRecordReader::new(Role::Client);
    r.read(&[0x17, 3, 3, 0x41, 0x00], &mut out).unwrap(); // exactly 16640
    assert!(r.is_mid_record());
    // Empty records are allowed.
    let mut r = TlsRecordReader::new(Role::Client);
    r.read(&[0x17, 3, 3, 0, 0, 0x17, 3, 3, 0, 1, 9], &mut out)
        .unwrap();
    assert_eq!(out.last(), Some(&9));
}

/// The whole connection: fake TLS handshake, then obfuscated2 inside TLS
/// records, both ways.
#[test]
fn end_to_end_through_fake_tls() {
    let secrets = vec![secret(1, "one.example"), secret(2, "two.example")];
    let mut srv = server(secrets.clone());
    let mut crng = SeededRandom::from_u64(100);
    let mut srng = SeededRandom::from_u64(200);
    let client_secret = &secrets[1];

    // Client hello, server answer, client check.
    let hello = client_hello(client_secret, NOW, &mut crng).unwrap();
    let len = client_hello_len(&hello.bytes[..5]).unwrap().unwrap();
    let accepted = srv.accept_client_hello(&hello.bytes[..len], NOW).unwrap();
    let key = srv.secrets()[accepted.secret_index].key().clone();
    let answer = server_hello(
        &key,
        &accepted.client_random,
        &accepted.session_id,
        &mut srng,
    )
    .unwrap();
    verify_server_hello(client_secret.key(), &hello.random, &answer).unwrap();

    // Client: obfuscated2 init keyed by the secret, padded intermediate.
    let mut init = client_init(
        &mut crng,
        FramingKind::PaddedIntermediate,
        2,
        Some(client_secret),
    )
    .unwrap();
    let mut payload = b"hello through fake TLS".to_vec();
    init.obfuscation.encrypt(&mut payload);
    let mut cw = TlsRecordWriter::new(Role::Client);
    let mut wire = Vec::new();
    cw.write(&[&init.header[..], &payload].concat(), &mut wire)
        .unwrap();

    // Server: records, then the init with the matched secret only.
    let mut sr = TlsRecordReader::new(Role::Server);
    let mut stream = Vec::new();
    sr.read(&wire, &mut stream).unwrap();
    let header: [u8; 64] = stream[..64].try_into().unwrap();
    let only = [secrets[accepted.secret_index].clone()];
    let mut sinit = server_accept(
        &header,
        AcceptedSecrets {
            secrets: &only,
            allow_no_secret: false,
        },
    )
    .unwrap();
    assert_eq!(sinit.framing, FramingKind::PaddedIntermediate);
    assert_eq!(sinit.dc_id, 2);
    let mut got = stream[64..].to_vec();
    sinit.obfuscation.decrypt(&mut got);
    assert_eq!(got, b"hello through fake TLS");

    // And back.
    let mut reply = vec![0x5au8; 5000];
    sinit.obfuscation.encrypt(&mut reply);
    let mut back = Vec::new();
    TlsRecordWriter::new(Role::Server)
        .write(&reply, &mut back)
        .unwrap();
    let mut cr = TlsRecordReader::new(Role::Client);
    let mut got = Vec::new();
    cr.read(&back, &mut got).unwrap();
    init.obfuscation.decrypt(&mut got);
    assert_eq!(got, vec![0x5a; 5000]);
}
