use super::*;
use crate::rand::SeededRandom;

fn key() -> AuthKey {
    AuthKey::new(core::array::from_fn(|i| (i * 7 + 3) as u8))
}

fn header() -> MessageHeader {
    MessageHeader {
        salt: Salt(0x1122_3344_5566_7788),
        session_id: SessionId(0x0102_0304_0506_0708),
        msg_id: MsgId(0x5e0b_800e_0000_0004),
        seq_no: SeqNo(7),
    }
}

/// Encrypt an arbitrary plaintext with a correct msg_key, so the checks
/// behind the msg_key can be reached.
fn seal_raw(key: &AuthKey, dir: Direction, plaintext: &[u8]) -> Vec<u8> {
    let msg_key = msg_key_v2(key, dir, plaintext);
    let aes = derive_v2(key, dir, &msg_key);
    let mut data = plaintext.to_vec();
    ige_encrypt(&aes.key, &aes.iv, &mut data).unwrap();
    [&key.id().to_wire()[..], &msg_key.0, &data].concat()
}

fn raw_plaintext(len_field: u32, body_and_padding: usize) -> Vec<u8> {
    let mut p = vec![0u8; 32 + body_and_padding];
    p[28..32].copy_from_slice(&len_field.to_le_bytes());
    p
}

#[test]
fn round_trip_both_directions_and_sizes() {
    let k = key();
    let mut rng = SeededRandom::from_u64(9);
    for dir in [Direction::ClientToServer, Direction::ServerToClient] {
        for len in [0usize, 4, 12, 16, 100, 1024, 65536] {
            let body: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let wire = seal_encrypted(&k, dir, &header(), &body, &mut rng).unwrap();
            assert_eq!((wire.len() - 24) % 16, 0);
            let pad = wire.len() - 24 - 32 - len;
            assert!((12..=1024).contains(&pad), "padding {pad}");
            let m = open_encrypted(&k, dir, &wire).unwrap();
            assert_eq!(m.header, header());
            assert_eq!(m.body, body);
            // The other direction's keys do not open it.
            assert_eq!(
                open_checked(&k, dir.reverse(), &wire),
                Err(RejectReason::MsgKey)
            );
        }
    }
}

#[test]
fn explicit_padding_is_checked() {
    let k = key();
    let d = Direction::ClientToServer;
    assert!(seal_encrypted_with_padding(&k, d, &header(), &[0; 4], &[0; 12]).is_ok());
    for bad in [0usize, 8, 11, 13, 1036] {
        assert_eq!(
            seal_encrypted_with_padding(&k, d, &header(), &[0; 4], &vec![0; bad]),
            Err(EnvelopeError::InvalidPadding {
                len: bad,
                body_len: 4
            })
        );
    }
    assert_eq!(
        seal_encrypted_with_padding(&k, d, &header(), &[0; 3], &[0; 13]),
        Err(EnvelopeError::BodyNotAligned { len: 3 })
    );
}

#[test]
fn every_tampered_byte_is_rejected() {
    let k = key();
    let d = Direction::ServerToClient;
    let wire = seal_encrypted_with_padding(&k, d, &header(), &[5; 20], &[9; 12]).unwrap();
    for i in 0..wire.len() {
        let mut t = wire.clone();
        t[i] ^= 0x40;
        let why = open_checked(&k, d, &t).unwrap_err();
        let expected = if i < 8 {
            RejectReason::AuthKeyId
        } else {
            RejectReason::MsgKey
        };
        assert_eq!(why, expected, "byte {i}");
        assert_eq!(open_encrypted(&k, d, &t), Err(EnvelopeError::Rejected));
    }
}

#[test]
fn size_checks() {
    let k = key();
    let d = Direction::ClientToServer;
    let wire = seal_encrypted_with_padding(&k, d, &header(), &[], &[0; 16]).unwrap();
    assert_eq!(wire.len(), 24 + 48);
    assert!(open_encrypted(&k, d, &wire).is_ok());
    for cut in [0, 7, 8, 24, 24 + 32, wire.len() - 1] {
        assert_eq!(
            open_checked(&k, d, &wire[..cut]),
            Err(RejectReason::Size),
            "cut {cut}"
        );
    }
    let mut long = wire.clone();
    long.push(0);
    assert_eq!(open_checked(&k, d, &long), Err(RejectReason::Size));
    let other = AuthKey::new([1; 256]);
    assert_eq!(open_checked(&other, d, &wire), Err(RejectReason::AuthKeyId));
}

#[test]
fn authenticated_but_inconsistent_fields_are_rejected() {
    let k = key();
    let d = Direction::ClientToServer;
    let cases = [
        // (declared length, bytes after the header: whole blocks, expected)
        (16u32, 32, Ok(())),
        (6, 32, Err(RejectReason::Length)),
        (64, 32, Err(RejectReason::Length)),
        (32, 32, Err(RejectReason::Padding)),  // no padding
        (24, 32, Err(RejectReason::Padding)),  // 8 bytes
        (4, 1040, Err(RejectReason::Padding)), // 1036 bytes
        (4, 1024, Ok(())),                     // 1020 bytes
    ];
    for (len, rest, expected) in cases {
        assert_eq!((32 + rest) % 16, 0);
        let wire = seal_raw(&k, d, &raw_plaintext(len, rest));
        let got = open_checked(&k, d, &wire).map(|_| ());
        assert_eq!(got, expected, "length {len}, rest {rest}");
    }
}

#[test]
fn too_large_body_is_refused() {
    let body = vec![0u8; MAX_BODY_LEN + 4];
    let err = seal_encrypted(
        &key(),
        Direction::ClientToServer,
        &header(),
        &body,
        &mut SeededRandom::from_u64(1),
    );
    assert!(matches!(err, Err(EnvelopeError::TooLarge { .. })));
}
