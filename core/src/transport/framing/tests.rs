use super::*;
use crate::rand::SeededRandom;
use crate::transport::DEFAULT_MAX_FRAME;

const KINDS: [FramingKind; 4] = [
    FramingKind::Abridged,
    FramingKind::Intermediate,
    FramingKind::PaddedIntermediate,
    FramingKind::Full,
];

fn payload(len: usize, seed: u8) -> Vec<u8> {
    // Starts with a non-zero, positive word so it reads as a message.
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) | 1)
        .map(|b| b & 0x7f)
        .collect()
}

fn pair(kind: FramingKind) -> (FramingCodec, FramingCodec) {
    (
        FramingCodec::new(kind, Role::Client, DEFAULT_MAX_FRAME),
        FramingCodec::new(kind, Role::Server, DEFAULT_MAX_FRAME),
    )
}

fn drain(c: &mut FramingCodec) -> Vec<Inbound> {
    std::iter::from_fn(|| c.poll()).collect()
}

/// Padded-intermediate payloads arrive with their padding; compare without.
fn unpad(kind: FramingKind, got: &[u8], want: &[u8]) -> bool {
    if kind == FramingKind::PaddedIntermediate {
        got.len() <= want.len() + MAX_PADDING && got.starts_with(want)
    } else {
        got == want
    }
}

#[test]
fn header_bytes_per_kind() {
    assert_eq!(header_bytes(FramingKind::Abridged), &[0xef]);
    assert_eq!(header_bytes(FramingKind::Intermediate), &[0xee; 4]);
    assert_eq!(header_bytes(FramingKind::PaddedIntermediate), &[0xdd; 4]);
    assert!(header_bytes(FramingKind::Full).is_empty());
    let c = FramingCodec::new(FramingKind::Abridged, Role::Client, 100);
    assert_eq!(c.header(), &[0xef]);
    assert_eq!(c.max_frame(), 100);
    assert_eq!(c.kind(), FramingKind::Abridged);
    assert_eq!(c.role(), Role::Client);
}

#[test]
fn client_to_server_round_trip() {
    let mut rng = SeededRandom::from_u64(7);
    for kind in KINDS {
        let (mut client, mut server) = pair(kind);
        let sizes = [4, 8, 24, 504, 508, 512, 1024, 70_000];
        let mut sent = Vec::new();
        for (i, &n) in sizes.iter().enumerate() {
            let quick = client.supports_quick_ack() && i % 2 == 1;
            let p = payload(n, i as u8);
            let wire = client.encode_packet(&p, quick, &mut rng).unwrap();
            server.feed(&wire).unwrap();
            sent.push((p, quick));
        }
        let got = drain(&mut server);
        assert_eq!(got.len(), sent.len(), "{kind:?}");
        for (g, (p, quick)) in got.iter().zip(&sent) {
            match g {
                Inbound::Packet { payload, quick_ack } => {
                    assert!(unpad(kind, payload, p), "{kind:?} {}", p.len());
                    assert_eq!(quick_ack, quick, "{kind:?}");
                }
                other => panic!("{kind:?}: {other:?}"),
            }
        }
        assert_eq!(server.buffered_len(), 0);
    }
}

#[test]
fn server_to_client_round_trip() {
    let mut rng = SeededRandom::from_u64(8);
    for kind in KINDS {
        let (mut client, mut server) = pair(kind);
        let mut want = Vec::new();
        let mut wire = Vec::new();
        for (i, n) in [72usize, 600, 4, 100_000].into_iter().enumerate() {
            let p = payload(n.max(72), i as u8);
            wire.extend(server.encode_packet(&p, false, &mut rng).unwrap());
            want.push(Some(p));
            if server.supports_quick_ack() {
                let token = 0x8000_0000 | (i as u32 * 0x0101_0101);
                wire.extend(server.encode_quick_ack(token, &mut rng).unwrap());
                want.push(None);
            }
        }
        wire.extend(server.encode_transport_error(-404, &mut rng).unwrap());
        client.feed(&wire).unwrap();
        let got = drain(&mut client);
        let mut it = got.iter();
        for (i, w) in want.iter().enumerate() {
            match (it.next().unwrap(), w) {
                (Inbound::Packet { payload, quick_ack }, Some(p)) => {
                    assert!(unpad(kind, payload, p), "{kind:?}");
                    assert!(!quick_ack);
                }
                (Inbound::QuickAck { token }, None) => {
                    assert_eq!(*token, 0x8000_0000 | (((i / 2) as u32) * 0x0101_0101));
                }
                (other, _) => panic!("{kind:?}: {other:?}"),
            }
        }
        assert_eq!(
            it.next(),
            Some(&Inbound::TransportError { code: -404 }),
            "{kind:?}"
        );
        assert_eq!(it.next(), None);
    }
}

#[test]
fn exact_encodings() {
    let p8 = [1u8, 2, 3, 4, 5, 6, 7, 8];
    let mut c = FramingCodec::new(FramingKind::Abridged, Role::Client, DEFAULT_MAX_FRAME);
    assert_eq!(
        c.encode_packet_with_padding(&p8, false, &[]).unwrap(),
        [&[2u8][..], &p8].concat()
    );
    assert_eq!(
        c.encode_packet_with_padding(&p8, true, &[]).unwrap(),
        [&[0x82u8][..], &p8].concat()
    );
    let long = vec![9u8; 127 * 4];
    let wire = c.encode_packet_with_padding(&long, false, &[]).unwrap();
    assert_eq!(wire[..4], [0x7f, 127, 0, 0]);
    let wire = c.encode_packet_with_padding(&long, true, &[]).unwrap();
    assert_eq!(wire[..4], [0xff, 127, 0, 0]);
    let short_max = vec![9u8; 126 * 4];
    let wire = c.encode_packet_with_padding(&short_max, true, &[]).unwrap();
    assert_eq!(wire[0], 0x80 | 126);

    let mut s = FramingCodec::new(FramingKind::Abridged, Role::Server, DEFAULT_MAX_FRAME);
    assert_eq!(
        s.encode_quick_ack_with_padding(0x8123_4567, &[]).unwrap(),
        [0x81, 0x23, 0x45, 0x67]
    );
    assert_eq!(
        s.encode_transport_error_with_padding(-404, &[]).unwrap(),
        [0x01, 0x6c, 0xfe, 0xff, 0xff]
    );

    let mut c = FramingCodec::new(FramingKind::Intermediate, Role::Client, DEFAULT_MAX_FRAME);
    assert_eq!(
        c.encode_packet_with_padding(&p8, true, &[]).unwrap(),
        [&[8u8, 0, 0, 0x80][..], &p8].concat()
    );
    let mut s = FramingCodec::new(FramingKind::Intermediate, Role::Server, DEFAULT_MAX_FRAME);
    assert_eq!(
        s.encode_quick_ack_with_padding(0x8123_4567, &[]).unwrap(),
        [0x67, 0x45, 0x23, 0x81]
    );

    let mut c = FramingCodec::new(
        FramingKind::PaddedIntermediate,
        Role::Client,
        DEFAULT_MAX_FRAME,
    );
    assert_eq!(
        c.encode_packet_with_padding(&p8, true, &[0xaa, 0xbb, 0xcc])
            .unwrap(),
        [&[11u8, 0, 0, 0x80][..], &p8, &[0xaa, 0xbb, 0xcc]].concat()
    );
    let mut s = FramingCodec::new(
        FramingKind::PaddedIntermediate,
        Role::Server,
        DEFAULT_MAX_FRAME,
    );
    assert_eq!(
        s.encode_quick_ack_with_padding(0x8123_4567, &[0xee])
            .unwrap(),
        [
            9, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x67, 0x45, 0x23, 0x81, 0xee
        ]
    );

    let mut c = FramingCodec::new(FramingKind::Full, Role::Client, DEFAULT_MAX_FRAME);
    let first = c.encode_packet_with_padding(&p8, false, &[]).unwrap();
    let second = c.encode_packet_with_padding(&p8, false, &[]).unwrap();
    assert_eq!(first[..8], [20, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(second[..8], [20, 0, 0, 0, 1, 0, 0, 0]);
    assert_eq!(first[16..], crc32fast::hash(&first[..16]).to_le_bytes());
}

/// A server → client stream and a client → server stream per kind, with
/// every kind of frame, including long abridged lengths, quick acks and
/// transport errors.
fn streams(kind: FramingKind) -> [(Role, Vec<u8>); 2] {
    let (mut client, mut server) = pair(kind);
    let mut up = Vec::new();
    for (i, n) in [4usize, 508, 1200, 24, 64].into_iter().enumerate() {
        let quick = client.supports_quick_ack() && i % 2 == 0;
        let pad = if kind == FramingKind::PaddedIntermediate {
            vec![0x5a; i * 3]
        } else {
            vec![]
        };
        up.extend(
            client
                .encode_packet_with_padding(&payload(n, i as u8), quick, &pad)
                .unwrap(),
        );
    }
    let mut down = Vec::new();
    for (i, n) in [72usize, 508, 1200, 80].into_iter().enumerate() {
        let pad = if kind == FramingKind::PaddedIntermediate {
            vec![0xa5; 15 - i]
        } else {
            vec![]
        };
        down.extend(
            server
                .encode_packet_with_padding(&payload(n, i as u8), false, &pad)
                .unwrap(),
        );
        if server.supports_quick_ack() {
            let qpad = if kind == FramingKind::PaddedIntermediate {
                vec![0x11; i]
            } else {
                vec![]
            };
            down.extend(
                server
                    .encode_quick_ack_with_padding(0x8000_0000 | i as u32, &qpad)
                    .unwrap(),
            );
        }
        let epad = if kind == FramingKind::PaddedIntermediate {
            vec![0x22; 11 - i]
        } else {
            vec![]
        };
        down.extend(
            server
                .encode_transport_error_with_padding(-429 - i as i32, &epad)
                .unwrap(),
        );
    }
    [(Role::Server, up), (Role::Client, down)]
}

fn decode_chunks<'a>(
    kind: FramingKind,
    role: Role,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> Vec<Inbound> {
    let mut c = FramingCodec::new(kind, role, DEFAULT_MAX_FRAME);
    for chunk in chunks {
        c.feed(chunk).unwrap();
    }
    assert_eq!(c.buffered_len(), 0);
    drain(&mut c)
}

#[test]
fn every_split_point_decodes_identically() {
    for kind in KINDS {
        for (role, stream) in streams(kind) {
            let whole = decode_chunks(kind, role, [&stream[..]]);
            assert!(whole.len() >= 5, "{kind:?} {role:?}");
            let bytewise = decode_chunks(kind, role, stream.chunks(1));
            assert_eq!(bytewise, whole, "{kind:?} {role:?} byte by byte");
            for at in 0..=stream.len() {
                let (a, b) = stream.split_at(at);
                let split = decode_chunks(kind, role, [a, b]);
                assert_eq!(split, whole, "{kind:?} {role:?} split at {at}");
            }
            for size in [3, 7, 64, 1000] {
                let chunked = decode_chunks(kind, role, stream.chunks(size));
                assert_eq!(chunked, whole, "{kind:?} {role:?} chunks of {size}");
            }
        }
    }
}

#[test]
fn streams_decode_to_what_was_sent() {
    for kind in KINDS {
        let [(_, up), (_, down)] = streams(kind);
        let got = decode_chunks(kind, Role::Server, [&up[..]]);
        let quick: Vec<bool> = got
            .iter()
            .map(|g| {
                matches!(
                    g,
                    Inbound::Packet {
                        quick_ack: true,
                        ..
                    }
                )
            })
            .collect();
        if kind == FramingKind::Full {
            assert_eq!(quick, [false; 5]);
        } else {
            assert_eq!(quick, [true, false, true, false, true]);
        }
        let got = decode_chunks(kind, Role::Client, [&down[..]]);
        let errors: Vec<i32> = got
            .iter()
            .filter_map(|g| match g {
                Inbound::TransportError { code } => Some(*code),
                _ => None,
            })
            .collect();
        assert_eq!(errors, [-429, -430, -431, -432], "{kind:?}");
        let acks: Vec<u32> = got
            .iter()
            .filter_map(|g| match g {
                Inbound::QuickAck { token } => Some(*token),
                _ => None,
            })
            .collect();
        if kind == FramingKind::Full {
            assert!(acks.is_empty());
        } else {
            assert_eq!(acks, [0x8000_0000, 0x8000_0001, 0x8000_0002, 0x8000_0003]);
        }
    }
}

#[test]
fn many_frames_in_one_feed_exceed_the_buffer_limit() {
    // 100 frames of the maximum size in one call: the codec never buffers
    // more than one frame.
    for kind in KINDS {
        let (mut client, _) = pair(kind);
        let mut server = FramingCodec::new(kind, Role::Server, 64);
        let mut wire = Vec::new();
        for i in 0..100u8 {
            wire.extend(
                client
                    .encode_packet_with_padding(&payload(64, i), false, &[])
                    .unwrap(),
            );
        }
        server.feed(&wire[..wire.len() - 1]).unwrap();
        assert_eq!(drain(&mut server).len(), 99, "{kind:?}");
        server.feed(&wire[wire.len() - 1..]).unwrap();
        assert_eq!(drain(&mut server).len(), 1);
    }
}

#[test]
fn max_frame_is_enforced_from_the_length_alone() {
    let headers: [(FramingKind, &[u8]); 4] = [
        (FramingKind::Abridged, &[0x7f, 0x00, 0x00, 0x01]), // 2^16 words
        (FramingKind::Intermediate, &[0x04, 0x01, 0x00, 0x00]), // 260
        (FramingKind::PaddedIntermediate, &[0x14, 0x01, 0x00, 0x00]), // 276 > 256 + 15
        (FramingKind::Full, &[0x14, 0x01, 0x00, 0x00]),     // 276 - 12 = 264
    ];
    for (kind, header) in headers {
        let mut c = FramingCodec::new(kind, Role::Server, 256);
        let err = c.feed(header).unwrap_err();
        assert!(
            matches!(err, TransportError::FrameTooLarge { .. }),
            "{kind:?}: {err}"
        );
        // Sticky: the same error again, even for valid bytes.
        assert_eq!(c.feed(&[1, 0, 0, 0]), Err(err.clone()));
        assert_eq!(c.error(), Some(&err));
        assert_eq!(c.encode_packet_with_padding(&[0; 4], false, &[]), Err(err));
        // Encoding refuses too large payloads without closing the codec.
        let mut c = FramingCodec::new(kind, Role::Client, 256);
        assert_eq!(
            c.encode_packet_with_padding(&[0; 260], false, &[]),
            Err(TransportError::FrameTooLarge { len: 260, max: 256 })
        );
        assert!(c.encode_packet_with_padding(&[0; 256], false, &[]).is_ok());
    }
    // The default maximum, and the limit just at it.
    let mut c = FramingCodec::new(FramingKind::Intermediate, Role::Server, DEFAULT_MAX_FRAME);
    c.feed(&(DEFAULT_MAX_FRAME as u32).to_le_bytes()).unwrap();
    let mut c = FramingCodec::new(FramingKind::Intermediate, Role::Server, DEFAULT_MAX_FRAME);
    assert!(
        c.feed(&(DEFAULT_MAX_FRAME as u32 + 4).to_le_bytes())
            .is_err()
    );
}

#[test]
fn full_rejects_bad_crc_and_sequence() {
    let (mut client, _) = pair(FramingKind::Full);
    let a = client
        .encode_packet_with_padding(&payload(32, 1), false, &[])
        .unwrap();
    let b = client
        .encode_packet_with_padding(&payload(32, 2), false, &[])
        .unwrap();

    let mut corrupt = a.clone();
    corrupt[10] ^= 1;
    let mut s = FramingCodec::new(FramingKind::Full, Role::Server, DEFAULT_MAX_FRAME);
    let err = s.feed(&corrupt).unwrap_err();
    assert!(matches!(err, TransportError::BadCrc { .. }), "{err}");
    assert_eq!(s.feed(&a), Err(err));

    // b (sequence 1) first, then a replay of a.
    let mut s = FramingCodec::new(FramingKind::Full, Role::Server, DEFAULT_MAX_FRAME);
    assert_eq!(
        s.feed(&b),
        Err(TransportError::BadSequence {
            expected: 0,
            found: 1
        })
    );
    let mut s = FramingCodec::new(FramingKind::Full, Role::Server, DEFAULT_MAX_FRAME);
    s.feed(&a).unwrap();
    assert_eq!(
        s.feed(&a),
        Err(TransportError::BadSequence {
            expected: 1,
            found: 0
        })
    );
    assert_eq!(
        drain(&mut s).len(),
        1,
        "the good packet before the error stays"
    );

    // Lengths that cannot be full packets.
    for len in [0u32, 4, 12, 18] {
        let mut s = FramingCodec::new(FramingKind::Full, Role::Server, DEFAULT_MAX_FRAME);
        let err = s.feed(&len.to_le_bytes()).unwrap_err();
        assert!(
            matches!(err, TransportError::InvalidFrame(_)),
            "{len}: {err}"
        );
    }
}

#[test]
fn malformed_lengths_are_invalid_frames() {
    let cases: [(FramingKind, Role, &[u8]); 6] = [
        (FramingKind::Abridged, Role::Server, &[0x00]),
        (FramingKind::Abridged, Role::Server, &[0x80]),
        // Overlong: 0x7e words in the long form.
        (FramingKind::Abridged, Role::Client, &[0x7f, 0x7e, 0, 0]),
        (FramingKind::Intermediate, Role::Server, &[0, 0, 0, 0]),
        (FramingKind::Intermediate, Role::Server, &[6, 0, 0, 0]),
        (FramingKind::PaddedIntermediate, Role::Client, &[0, 0, 0, 0]),
    ];
    for (kind, role, bytes) in cases {
        let mut c = FramingCodec::new(kind, role, DEFAULT_MAX_FRAME);
        let err = c.feed(bytes).unwrap_err();
        assert!(
            matches!(err, TransportError::InvalidFrame(_)),
            "{kind:?} {bytes:02x?}: {err}"
        );
    }
    // A padded payload of 1..3 bytes is no message, but a server passes it
    // on (the envelope rejects it) while a client cannot read it.
    let mut s = FramingCodec::new(FramingKind::PaddedIntermediate, Role::Server, 64);
    s.feed(&[2, 0, 0, 0, 9, 9]).unwrap();
    assert!(matches!(s.poll(), Some(Inbound::Packet { .. })));
    let mut c = FramingCodec::new(FramingKind::PaddedIntermediate, Role::Client, 64);
    assert!(matches!(
        c.feed(&[2, 0, 0, 0, 9, 9]),
        Err(TransportError::InvalidFrame(_))
    ));
}

#[test]
fn padded_accepts_every_quick_ack_form_and_drops_filler() {
    let mut c = FramingCodec::new(
        FramingKind::PaddedIntermediate,
        Role::Client,
        DEFAULT_MAX_FRAME,
    );
    let mut wire = Vec::new();
    // tdlib's reading: a bare token where a length would be.
    wire.extend(0x8765_4321u32.to_le_bytes());
    // MTProxy: -1, token, a random word, then padding; then a filler
    // packet (0 and a random word) with padding.
    wire.extend([15, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    wire.extend(0x8000_0042u32.to_le_bytes());
    wire.extend([1, 2, 3, 4, 5, 6, 7]);
    wire.extend([11, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 1, 2, 3]);
    // A transport error with padding.
    wire.extend([7, 0, 0, 0, 0x53, 0xfe, 0xff, 0xff, 0, 0, 0]);
    c.feed(&wire).unwrap();
    assert_eq!(
        drain(&mut c),
        [
            Inbound::QuickAck { token: 0x8765_4321 },
            Inbound::QuickAck { token: 0x8000_0042 },
            Inbound::TransportError { code: -429 },
        ]
    );
}

#[test]
fn short_control_payloads_on_every_framing() {
    // -1 ‖ token framed as a packet is a quick ack on the other framings
    // too (tdlib reads it so); a plain message is not mistaken for filler.
    let plain = crate::envelope::seal_plain(crate::envelope::MsgId(4), &[1, 2, 3, 4]).unwrap();
    for kind in KINDS {
        let mut s = FramingCodec::new(kind, Role::Server, DEFAULT_MAX_FRAME);
        let mut wire = Vec::new();
        let ack = [0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0x80];
        wire.extend(s.frame(&[&ack], false));
        wire.extend(s.frame(&[&[0, 0, 0, 0]], false));
        wire.extend(s.encode_packet_with_padding(&plain, false, &[]).unwrap());
        wire.extend(s.frame(&[&(-1i32).to_le_bytes()], false));
        let mut c = FramingCodec::new(kind, Role::Client, DEFAULT_MAX_FRAME);
        c.feed(&wire).unwrap();
        assert_eq!(
            drain(&mut c),
            [
                Inbound::QuickAck { token: 0x8000_0001 },
                Inbound::Packet {
                    payload: plain.clone(),
                    quick_ack: false
                },
                Inbound::TransportError { code: -1 },
            ],
            "{kind:?}"
        );
    }
}

#[test]
fn wrong_role_and_bad_arguments() {
    let mut rng = SeededRandom::from_u64(1);
    for kind in KINDS {
        let (mut client, mut server) = pair(kind);
        let state =
            |r: Result<Vec<u8>, TransportError>| matches!(r, Err(TransportError::InvalidState(_)));
        let frame =
            |r: Result<Vec<u8>, TransportError>| matches!(r, Err(TransportError::InvalidFrame(_)));
        assert!(state(client.encode_quick_ack(0x8000_0000, &mut rng)));
        assert!(state(client.encode_transport_error(-404, &mut rng)));
        assert!(state(server.encode_packet(&[0; 4], true, &mut rng)));
        if kind == FramingKind::Full {
            assert!(state(client.encode_packet(&[0; 4], true, &mut rng)));
            assert!(state(server.encode_quick_ack(0x8000_0000, &mut rng)));
        } else {
            assert!(frame(server.encode_quick_ack(0x7fff_ffff, &mut rng)));
        }
        assert!(frame(server.encode_transport_error(404, &mut rng)));
        assert!(frame(server.encode_transport_error(-1, &mut rng)));
        assert!(frame(client.encode_packet(&[], false, &mut rng)));
        assert!(frame(client.encode_packet(&[0; 5], false, &mut rng)));
        if kind == FramingKind::PaddedIntermediate {
            assert!(frame(
                client.encode_packet_with_padding(&[0; 4], false, &[0; 16])
            ));
            assert!(frame(
                server.encode_quick_ack_with_padding(0x8000_0000, &[0; 8])
            ));
            assert!(frame(
                server.encode_transport_error_with_padding(-404, &[0; 12])
            ));
        } else {
            assert!(state(client.encode_packet_with_padding(
                &[0; 4],
                false,
                &[0]
            )));
        }
        // None of these closed the codecs.
        assert!(client.error().is_none() && server.error().is_none());
        assert!(client.encode_packet(&[0; 4], false, &mut rng).is_ok());
    }
}

#[test]
fn random_padding_stays_in_range() {
    let mut rng = SeededRandom::from_u64(3);
    let (mut client, mut server) = pair(FramingKind::PaddedIntermediate);
    let mut seen = std::collections::HashSet::new();
    for _ in 0..400 {
        let wire = client.encode_packet(&[1; 8], false, &mut rng).unwrap();
        assert!((12..=12 + MAX_PADDING).contains(&wire.len()));
        seen.insert(wire.len());
        let ack = server.encode_quick_ack(0x8000_0000, &mut rng).unwrap();
        assert!((12..=12 + MAX_QUICK_ACK_PADDING).contains(&ack.len()));
        let err = server.encode_transport_error(-404, &mut rng).unwrap();
        assert!((8..=8 + MAX_TRANSPORT_ERROR_PADDING).contains(&err.len()));
    }
    assert_eq!(seen.len(), 16, "every padding length occurs");
}

#[test]
fn strip_padding_of_plain_and_encrypted_messages() {
    let plain = crate::envelope::seal_plain(crate::envelope::MsgId(4), &[7; 8]).unwrap();
    for pad in 0..=15 {
        let mut padded = plain.clone();
        padded.extend(vec![0xcc; pad]);
        assert_eq!(strip_padded_intermediate_padding(&padded), &plain[..]);
    }
    let encrypted: Vec<u8> = (1..=(24 + 48) as u8).collect();
    for pad in 0..=15 {
        let mut padded = encrypted.clone();
        padded.extend(vec![0xcc; pad]);
        assert_eq!(strip_padded_intermediate_padding(&padded), &encrypted[..]);
    }
    // Too short or inconsistent: unchanged.
    for odd in [
        &[1u8, 2, 3][..],
        &[0; 12],
        &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0],
        &[1; 20],
    ] {
        assert_eq!(strip_padded_intermediate_padding(odd), odd);
    }
}

#[test]
fn quick_ack_token_and_tracker() {
    let mut large = [0u8; 32];
    large[..4].copy_from_slice(&[0x01, 0x02, 0x03, 0x04]);
    assert_eq!(quick_ack_token(&large), 0x8403_0201);

    let mut t = QuickAckTracker::new(3);
    assert!(t.is_empty());
    assert_eq!(t.insert(1, 10u64), None);
    assert_eq!(t.insert(2, 20), None);
    assert_eq!(t.insert(3, 30), None);
    assert_eq!(t.insert(4, 40), Some(10), "the oldest is forgotten");
    assert_eq!(t.len(), 3);
    assert_eq!(t.resolve(1), None);
    assert_eq!(t.resolve(3), Some(30));
    assert_eq!(t.resolve(3), None, "resolved once");
    assert_eq!(t.resolve(2), Some(20));
    t.clear();
    assert!(t.is_empty());
    assert_eq!(t.capacity(), 3);
    assert_eq!(QuickAckTracker::<u64>::new(0).capacity(), 1);
    assert_eq!(
        QuickAckTracker::<u64>::default().capacity(),
        DEFAULT_QUICK_ACK_CAPACITY
    );
}
