//! The `AuthKey` class (core [`mtproto_core::AuthKey`]).

use wasm_bindgen::prelude::*;

use crate::error::to_js;

/// A 2048-bit MTProto authorization key, with its id and aux hash computed
/// once.
///
/// Create it from the 256 key bytes, then pass it to the key derivations and
/// the encrypted envelope. The bytes live in wasm memory and are wiped when
/// the object is freed: call `free()` when the key is no longer needed (or
/// leave it to the garbage collector). The key bytes cannot be read back.
#[wasm_bindgen]
pub struct AuthKey {
    inner: mtproto_core::AuthKey,
}

#[wasm_bindgen]
impl AuthKey {
    /// An auth key from its 256 bytes; any other length throws
    /// `InvalidLength` (101).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<AuthKey, JsValue> {
        let inner = mtproto_core::AuthKey::from_slice(bytes).map_err(to_js)?;
        Ok(AuthKey { inner })
    }

    /// The auth_key_id: the low 64 bits of SHA1(auth_key), as a `bigint`
    /// (read little-endian from the wire).
    pub fn id(&self) -> u64 {
        self.inner.id().0
    }

    /// The auth_key_id as the 8 bytes that start every encrypted message.
    #[wasm_bindgen(js_name = idWire)]
    pub fn id_wire(&self) -> Vec<u8> {
        self.inner.id().to_wire().to_vec()
    }

    /// The aux_hash: the first 8 bytes of SHA1(auth_key), as used by the key
    /// exchange (`dh_gen_ok` and friends).
    #[wasm_bindgen(js_name = auxHash)]
    pub fn aux_hash(&self) -> Vec<u8> {
        self.inner.aux_hash().to_vec()
    }
}

impl AuthKey {
    /// The wrapped core key.
    pub(crate) fn core(&self) -> &mtproto_core::AuthKey {
        &self.inner
    }
}
