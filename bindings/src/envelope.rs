//! Message framing (core `envelope`): the plain envelope of the key exchange
//! and the encrypted MTProto 2.0 envelope of everything else
//! (`/mtproto/description`, "Message Structure").

use std::sync::Arc;

use mtproto_core::OsRandom;
use mtproto_core::envelope::{self as core_env, MsgId, Salt, SeqNo, SessionId};

use crate::crypto::{AuthKey, Direction};
use crate::error::MtprotoError;

/// The plaintext header fields of an encrypted message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Record)]
pub struct MessageHeader {
    /// The server salt.
    pub salt: u64,
    /// The session id, chosen at random by the client.
    pub session_id: u64,
    /// The message id (≡ 0 mod 4 from clients, 1 or 3 mod 4 from servers).
    pub msg_id: u64,
    /// The sequence number.
    pub seq_no: u32,
}

impl From<MessageHeader> for core_env::MessageHeader {
    fn from(h: MessageHeader) -> Self {
        core_env::MessageHeader {
            salt: Salt(h.salt),
            session_id: SessionId(h.session_id),
            msg_id: MsgId(h.msg_id),
            seq_no: SeqNo(h.seq_no),
        }
    }
}

impl From<core_env::MessageHeader> for MessageHeader {
    fn from(h: core_env::MessageHeader) -> Self {
        MessageHeader {
            salt: h.salt.0,
            session_id: h.session_id.0,
            msg_id: h.msg_id.0,
            seq_no: h.seq_no.0,
        }
    }
}

/// An encrypted message that passed every check of [`open_encrypted`].
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct DecryptedMessage {
    /// The header fields. Checking them against the session's state is the
    /// session layer's job.
    pub header: MessageHeader,
    /// The TL body.
    pub body: Vec<u8>,
}

/// A parsed plain (unencrypted) message.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct PlainMessage {
    /// The message id.
    pub msg_id: u64,
    /// The TL body.
    pub body: Vec<u8>,
}

/// Seal `body` (whole 32-bit words) as an encrypted message sent in
/// `direction`, with random padding from the operating system's CSPRNG.
/// Returns the bytes to hand to the transport.
///
/// Throws code 203 for a body that is not a multiple of 4 bytes, 204 for one
/// that is too large, 102 if the system random source fails.
#[uniffi::export]
pub fn seal_encrypted(
    auth_key: Arc<AuthKey>,
    direction: Direction,
    header: MessageHeader,
    body: Vec<u8>,
) -> Result<Vec<u8>, MtprotoError> {
    Ok(core_env::seal_encrypted(
        auth_key.core(),
        direction.into(),
        &header.into(),
        &body,
        &mut OsRandom,
    )?)
}

/// Seal `body` with the given padding bytes: deterministic, for tests and
/// vectors. The padding must be 12..=1024 bytes and make
/// `32 + body.len + padding.len` a multiple of 16 (otherwise code 202).
#[uniffi::export]
pub fn seal_encrypted_with_padding(
    auth_key: Arc<AuthKey>,
    direction: Direction,
    header: MessageHeader,
    body: Vec<u8>,
    padding: Vec<u8>,
) -> Result<Vec<u8>, MtprotoError> {
    Ok(core_env::seal_encrypted_with_padding(
        auth_key.core(),
        direction.into(),
        &header.into(),
        &body,
        &padding,
    )?)
}

/// Open an encrypted message received in `direction` (a client receives
/// `ServerToClient`). Every check of the security guidelines runs; any failure
/// throws code 200 (EnvelopeRejected), whatever the reason.
#[uniffi::export]
pub fn open_encrypted(
    auth_key: Arc<AuthKey>,
    direction: Direction,
    wire: Vec<u8>,
) -> Result<DecryptedMessage, MtprotoError> {
    let m = core_env::open_encrypted(auth_key.core(), direction.into(), &wire)?;
    Ok(DecryptedMessage {
        header: m.header.into(),
        body: m.body,
    })
}

/// Frame `body` (whole 32-bit words) as a plain message, as used during key
/// creation. Throws code 203 for an unaligned body, 204 for a too large one.
#[uniffi::export]
pub fn seal_plain(msg_id: u64, body: Vec<u8>) -> Result<Vec<u8>, MtprotoError> {
    Ok(core_env::seal_plain(MsgId(msg_id), &body)?)
}

/// Parse a plain message. Throws code 201 (EnvelopeMalformed) when the bytes
/// are not one.
#[uniffi::export]
pub fn open_plain(wire: Vec<u8>) -> Result<PlainMessage, MtprotoError> {
    let m = core_env::open_plain(&wire)?;
    Ok(PlainMessage {
        msg_id: m.msg_id.0,
        body: m.body.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<impl Sized, MtprotoError>) -> u32 {
        match r {
            Ok(_) => 0,
            Err(MtprotoError::Failed { code, .. }) => code,
        }
    }

    #[test]
    fn encrypted_round_trip_both_directions() {
        let key = AuthKey::new((0..=255).collect()).unwrap();
        let header = MessageHeader {
            salt: u64::MAX,
            session_id: 2,
            msg_id: 4,
            seq_no: 1,
        };
        for dir in [Direction::ClientToServer, Direction::ServerToClient] {
            let wire = seal_encrypted(key.clone(), dir, header, vec![9; 8]).unwrap();
            let m = open_encrypted(key.clone(), dir, wire.clone()).unwrap();
            assert_eq!(m.header, header);
            assert_eq!(m.body, vec![9; 8]);
            let mut bad = wire;
            bad[40] ^= 1;
            assert_eq!(code(open_encrypted(key.clone(), dir, bad)), 200);
        }
        assert_eq!(
            code(seal_encrypted(
                key.clone(),
                Direction::ClientToServer,
                header,
                vec![0; 3]
            )),
            203
        );
        assert_eq!(
            code(seal_encrypted_with_padding(
                key,
                Direction::ClientToServer,
                header,
                vec![0; 4],
                vec![0; 4]
            )),
            202
        );
    }

    #[test]
    fn plain_round_trip_and_errors() {
        let wire = seal_plain(8, vec![1, 2, 3, 4]).unwrap();
        assert_eq!(
            open_plain(wire).unwrap(),
            PlainMessage {
                msg_id: 8,
                body: vec![1, 2, 3, 4]
            }
        );
        assert_eq!(code(open_plain(vec![0; 3])), 201);
        assert_eq!(code(seal_plain(8, vec![1])), 203);
    }
}
