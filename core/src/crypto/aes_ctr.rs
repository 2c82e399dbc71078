//! AES-256-CTR as a stream cipher, for the obfuscated transports
//! (`/mtproto/mtproto-transports`, "Transport obfuscation"): one keystream per
//! direction that runs over the whole connection, with a 128-bit big-endian
//! counter as OpenSSL's `AES_ctr128_encrypt` uses.

use aes::Aes256;
use ctr::cipher::{KeyIvInit, StreamCipher};

/// A running AES-256-CTR keystream. Encryption and decryption are the same
/// operation; successive calls continue the stream.
pub struct AesCtr256 {
    inner: ctr::Ctr128BE<Aes256>,
}

impl AesCtr256 {
    /// A keystream starting at counter block `iv`.
    pub fn new(key: &[u8; 32], iv: &[u8; 16]) -> Self {
        AesCtr256 {
            inner: ctr::Ctr128BE::<Aes256>::new(key.into(), iv.into()),
        }
    }

    /// XOR the next `data.len()` keystream bytes into `data`.
    pub fn apply(&mut self, data: &mut [u8]) {
        self.inner.apply_keystream(data);
    }
}

impl core::fmt::Debug for AesCtr256 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AesCtr256 { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nist_sp800_38a_f5_5() {
        // NIST SP 800-38A, F.5.5 CTR-AES256.Encrypt, first two blocks.
        let key = hex::decode("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
            .unwrap();
        let iv = hex::decode("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff").unwrap();
        let mut data =
            hex::decode("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
                .unwrap();
        let mut c = AesCtr256::new(&key.try_into().unwrap(), &iv.try_into().unwrap());
        // Split calls continue the same stream.
        let (a, b) = data.split_at_mut(5);
        c.apply(a);
        c.apply(b);
        assert_eq!(
            hex::encode(&data),
            "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
        );
    }
}
