use super::*;
use crate::error::CryptoError;
use crate::rand::SeededRandom;

const FRAMINGS: [FramingKind; 3] = [
    FramingKind::Abridged,
    FramingKind::Intermediate,
    FramingKind::PaddedIntermediate,
];

fn secrets() -> Vec<ProxySecret> {
    vec![
        ProxySecret::Simple(SecretKey::new([7; 16])),
        ProxySecret::PaddedRequired(SecretKey::new([8; 16])),
        ProxySecret::fake_tls([9; 16], "example.com").unwrap(),
    ]
}

/// Yields the queued 64-byte blocks first, then seeded bytes.
struct Scripted {
    queue: Vec<[u8; 64]>,
    rest: SeededRandom,
}

impl SecureRandom for Scripted {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        if dest.len() == 64 && !self.queue.is_empty() {
            dest.copy_from_slice(&self.queue.remove(0));
            return Ok(());
        }
        self.rest.fill(dest)
    }
}

fn round_trip(framing: FramingKind, secret: Option<&ProxySecret>, index: Option<usize>) {
    let all = secrets();
    let mut rng = SeededRandom::from_u64(framing as u64 + 10 * index.unwrap_or(9) as u64);
    let mut client = client_init(&mut rng, framing, -3, secret).unwrap();
    let accepted = AcceptedSecrets {
        secrets: &all,
        allow_no_secret: true,
    };
    let mut server = server_accept(&client.header, accepted).unwrap();
    assert_eq!(server.framing, framing);
    assert_eq!(server.dc_id, -3);
    assert_eq!(server.secret_index, index);
    assert_eq!(server.keys.encrypt_key, client.keys.decrypt_key);
    assert_eq!(server.keys.decrypt_iv, client.keys.encrypt_iv);

    // Both directions, with the streams continuing across calls.
    for round in 0..3u8 {
        let msg: Vec<u8> = (0..100u8).map(|i| i ^ round).collect();
        let mut wire = msg.clone();
        client.obfuscation.encrypt(&mut wire[..7]);
        client.obfuscation.encrypt(&mut wire[7..]);
        assert_ne!(wire, msg);
        server.obfuscation.decrypt(&mut wire);
        assert_eq!(wire, msg);
        let mut back = msg.clone();
        server.obfuscation.encrypt(&mut back);
        client.obfuscation.decrypt(&mut back);
        assert_eq!(back, msg);
    }
}

#[test]
fn round_trips_for_every_framing_and_secret_kind() {
    let all = secrets();
    for framing in FRAMINGS {
        round_trip(framing, None, None);
        round_trip(framing, Some(&all[0]), Some(0));
    }
    round_trip(FramingKind::PaddedIntermediate, Some(&all[1]), Some(1));
    round_trip(FramingKind::PaddedIntermediate, Some(&all[2]), Some(2));
}

#[test]
fn header_layout() {
    let mut random = [0x5a; 64];
    random[0] = 1;
    let c = client_init_with_random(&random, FramingKind::Intermediate, 10002, None).unwrap();
    assert_eq!(&c.header[..56], &random[..56]);
    assert_eq!(&c.keys.encrypt_key[..], &random[8..40]);
    assert_eq!(&c.keys.encrypt_iv[..], &random[40..56]);
    let mut rev = random[8..56].to_vec();
    rev.reverse();
    assert_eq!(&c.keys.decrypt_key[..], &rev[..32]);
    assert_eq!(&c.keys.decrypt_iv[..], &rev[32..]);
    // Decrypting the sent header with a fresh client-side stream shows the tag
    // and the DC id.
    let mut plain = c.header;
    let mut fresh = Obfuscation::new(&c.keys);
    fresh.encrypt(&mut plain);
    assert_eq!(&plain[56..60], &[0xee; 4]);
    assert_eq!(&plain[60..62], &10002i16.to_le_bytes());
    assert_eq!(&plain[62..], &random[62..]);
}

#[test]
fn secret_keys_are_hashed() {
    let random: [u8; 64] = core::array::from_fn(|i| i as u8 + 1);
    let s = ProxySecret::Simple(SecretKey::new([3; 16]));
    let c = client_init_with_random(&random, FramingKind::Abridged, 1, Some(&s)).unwrap();
    assert_eq!(c.keys.encrypt_key, sha256(&[&random[8..40], &[3; 16]]));
    assert_eq!(&c.header[..56], &random[..56]);
}

#[test]
fn forbidden_randoms_are_redrawn() {
    let mut good = [0x11u8; 64];
    good[0] = 0x12;
    let mut forbidden = Vec::new();
    let mut ef = good;
    ef[0] = 0xef;
    forbidden.push(ef);
    for w in FORBIDDEN_FIRST_WORDS {
        let mut r = good;
        r[..4].copy_from_slice(&w.to_le_bytes());
        forbidden.push(r);
    }
    let mut zero_second = good;
    zero_second[4..8].fill(0);
    forbidden.push(zero_second);
    for f in &forbidden {
        assert!(!is_valid_init_random(f));
        assert!(matches!(
            client_init_with_random(f, FramingKind::Abridged, 2, None),
            Err(TransportError::Obfuscation(_))
        ));
    }
    assert!(is_valid_init_random(&good));

    let mut queue = forbidden.clone();
    queue.push(good);
    let mut rng = Scripted {
        queue,
        rest: SeededRandom::from_u64(1),
    };
    let c = client_init(&mut rng, FramingKind::Abridged, 2, None).unwrap();
    assert_eq!(&c.header[..56], &good[..56]);
    assert!(rng.queue.is_empty());

    // A source that only ever yields forbidden values is an error, not a
    // loop.
    let mut rng = Scripted {
        queue: vec![ef; MAX_DRAWS],
        rest: SeededRandom::from_u64(1),
    };
    assert!(matches!(
        client_init(&mut rng, FramingKind::Abridged, 2, None),
        Err(Error::Transport(TransportError::Obfuscation(_)))
    ));
}

#[test]
fn framing_and_secret_rules() {
    let all = secrets();
    let mut rng = SeededRandom::from_u64(5);
    assert!(matches!(
        client_init(&mut rng, FramingKind::Full, 2, None),
        Err(Error::Transport(TransportError::Obfuscation(_)))
    ));
    for s in &all[1..] {
        assert!(matches!(
            client_init(&mut rng, FramingKind::Intermediate, 2, Some(s)),
            Err(Error::Transport(TransportError::InvalidSecret(_)))
        ));
    }
}

#[test]
fn server_rejects_wrong_or_missing_secret() {
    let all = secrets();
    let mut rng = SeededRandom::from_u64(6);
    let other = ProxySecret::Simple(SecretKey::new([1; 16]));
    let c = client_init(&mut rng, FramingKind::Intermediate, 2, Some(&other)).unwrap();
    let only_secrets = AcceptedSecrets {
        secrets: &all,
        allow_no_secret: true,
    };
    assert!(matches!(
        server_accept(&c.header, only_secrets),
        Err(TransportError::Obfuscation(_))
    ));
    // A client without a secret is refused when the server requires one.
    let c = client_init(&mut rng, FramingKind::Intermediate, 2, None).unwrap();
    let strict = AcceptedSecrets {
        secrets: &all,
        allow_no_secret: false,
    };
    assert!(server_accept(&c.header, strict).is_err());
    let nothing = AcceptedSecrets {
        secrets: &[],
        allow_no_secret: false,
    };
    assert!(server_accept(&c.header, nothing).is_err());
    // A dd secret with a non-padded tag (a client that ignored the dd prefix)
    // is refused.
    let dd_key_simple = ProxySecret::Simple(SecretKey::new([8; 16]));
    let c = client_init(&mut rng, FramingKind::Abridged, 2, Some(&dd_key_simple)).unwrap();
    match server_accept(&c.header, strict) {
        Err(TransportError::Obfuscation(m)) => assert!(m.contains("padded"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn keys_debug_is_redacted() {
    let c = client_init_with_random(&[0x42; 64], FramingKind::Abridged, 1, None).unwrap();
    let text = format!("{:?} {:?}", c.keys, c);
    assert!(!text.contains("66")); // 0x42 = 66
}
