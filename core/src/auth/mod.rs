//! Authorization key creation for both roles (`/mtproto/auth_key`), the
//! server's key store, and temporary keys bound to permanent ones for perfect
//! forward secrecy (`/method/auth.bindTempAuthKey`).
//!
//! The exchange is four round trips of plain (unencrypted) messages:
//!
//! ```text
//! client                                   server
//! req_pq_multi(nonce)                 ──►
//!                                     ◄──  resPQ(server_nonce, pq, fingerprints)
//! req_DH_params(p, q, RSA(inner data)) ──►
//!                                     ◄──  server_DH_params_ok(AES(g, dh_prime, g_a, time))
//! set_client_DH_params(AES(g_b))      ──►
//!                                     ◄──  dh_gen_ok | dh_gen_retry | dh_gen_fail
//! ```
//!
//! Two levels of API:
//! - typed states ([`client`] and [`server`] modules): each state is consumed
//!   by the one message it accepts and yields the next state and the reply;
//!   every step has a `_with` form taking its randomness as arguments, for
//!   tests against recorded bytes;
//! - drivers ([`ClientHandshake`], [`ServerHandshake`]): one object per
//!   exchange that holds the current state and an RNG; feed each received TL
//!   body to `handle`, send what it returns, and read the key from
//!   `created_key` once it reports completion. The drivers also expose each
//!   step with explicit randomness, which is what bindings use to replay
//!   `tests/vectors/handshake.json`.
//!
//! Bodies are TL only: wrap them in plain messages
//! ([`crate::envelope::seal_plain`], [`crate::envelope::open_plain`]) and a
//! transport to put them on the wire.
//! Any error ends the exchange; the driver keeps returning that error.

pub mod bind;
pub mod client;
mod common;
pub mod handshake;
pub mod key_store;
pub mod server;

pub use bind::{
    TempKeyBinding, bind_temp_auth_key_query, bind_temp_auth_key_query_with,
    verify_bind_temp_auth_key,
};
pub use client::ClientHandshakeConfig;
pub use handshake::{ClientHandshake, ServerHandshake};
pub use key_store::{AuthKeyStore, StoredKey};
pub use server::ServerHandshakeConfig;

use crate::crypto::auth_key::AuthKey;
use crate::envelope::Salt;

/// Which kind of key to create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    /// A permanent key (`p_q_inner_data_dc`), kept until the app logs out.
    Permanent,
    /// A temporary key (`p_q_inner_data_temp_dc`) that the server forgets
    /// `expires_in` seconds after creating it; bind it to the permanent key
    /// with auth.bindTempAuthKey and use it for traffic (PFS).
    Temporary {
        /// Lifetime in seconds.
        expires_in: i32,
    },
}

/// The result of a successful exchange, on either side.
#[derive(Clone)]
pub struct CreatedAuthKey {
    /// The new authorization key.
    pub auth_key: AuthKey,
    /// The first server salt: `new_nonce[0..8] XOR server_nonce[0..8]`.
    pub first_salt: Salt,
    /// The server's clock (unix seconds) when it answered req_DH_params.
    pub server_time: i32,
    /// Client: server time minus the client's clock when the answer arrived,
    /// in milliseconds (add it to local time to get server time). Server: 0.
    pub time_offset_ms: i64,
    /// The DC id the client asked for (server: the one it sent; 0 when the
    /// client used the dc-less inner data).
    pub dc_id: i32,
    /// For a temporary key, when it expires (server unix seconds); `None`
    /// for a permanent key.
    pub expires_at: Option<i32>,
}

impl core::fmt::Debug for CreatedAuthKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The key prints as its id only; the salt is not secret from the
        // server but does not belong in logs either.
        f.debug_struct("CreatedAuthKey")
            .field("auth_key", &self.auth_key)
            .field("server_time", &self.server_time)
            .field("time_offset_ms", &self.time_offset_ms)
            .field("dc_id", &self.dc_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
