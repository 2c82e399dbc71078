//! Cryptographic primitives of MTProto: AES-256-IGE and AES-256-CTR, SHA-1 and
//! SHA-256, the [`AuthKey`](auth_key::AuthKey), and the MTProto 2.0 and 1.0 key
//! derivations (`/mtproto/description`, "Defining AES Key and Initialization
//! Vector").

pub mod aes_ctr;
pub mod aes_ige;
pub mod auth_key;
pub mod bigint;
pub mod dh;
pub mod factorize;
pub mod hash;
pub mod kdf;
pub mod rsa;

use crate::error::CryptoError;

/// Which way a message travels. MTProto derives different keys for each
/// direction through the offset `x` into the auth key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client to server: `x = 0`.
    ClientToServer,
    /// Server to client: `x = 8`.
    ServerToClient,
}

impl Direction {
    /// The offset `x` of the spec (`/mtproto/description`): 0 for messages from
    /// the client, 8 for messages from the server.
    pub fn x(self) -> usize {
        match self {
            Direction::ClientToServer => 0,
            Direction::ServerToClient => 8,
        }
    }

    /// The opposite direction: what a peer receives is what the other sent.
    pub fn reverse(self) -> Self {
        match self {
            Direction::ClientToServer => Direction::ServerToClient,
            Direction::ServerToClient => Direction::ClientToServer,
        }
    }
}

/// Copy a slice into a fixed-size array, or say what was expected.
///
/// Bindings use this to turn caller bytes into keys, IVs and nonces with one
/// uniform error.
pub fn fixed<const N: usize>(what: &'static str, bytes: &[u8]) -> Result<[u8; N], CryptoError> {
    bytes.try_into().map_err(|_| CryptoError::InvalidLength {
        what,
        expected: N,
        found: bytes.len(),
    })
}
