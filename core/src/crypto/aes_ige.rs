//! AES-256 in IGE mode (Infinite Garble Extension), the cipher of every
//! MTProto message (`/mtproto/description`, "Encrypted Message").
//!
//! With blocks `p_i` (plaintext) and `c_i` (ciphertext), and the 32-byte IV
//! split as `c_0 = iv[0..16]`, `p_0 = iv[16..32]`:
//! `c_i = E(p_i ⊕ c_{i-1}) ⊕ p_{i-1}` and `p_i = D(c_i ⊕ p_{i-1}) ⊕ c_{i-1}`.
//!
//! Both directions are a serial chain, so they cannot run faster than
//! AES-CBC encryption of the same length. The loop runs inside the `aes`
//! crate's backend closure, so the CPU-feature dispatch (AES-NI and friends)
//! happens once per call instead of once per block; the RustCrypto `ige` crate
//! is the reference it is tested against (`ige_matches_rustcrypto_reference`)
//! and benchmarked beside (`core/benches/crypto.rs`).

use aes::Aes256;
use aes::cipher::consts::U16;
use aes::cipher::{
    Array, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherDecrypt, BlockCipherEncBackend,
    BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser, KeyInit,
};

use crate::error::CryptoError;

/// IGE-encrypt `data` in place under `key` and `iv`.
///
/// `data.len()` must be a multiple of 16; otherwise nothing is changed and
/// [`CryptoError::IgeLength`] is returned.
pub fn ige_encrypt(key: &[u8; 32], iv: &[u8; 32], data: &mut [u8]) -> Result<(), CryptoError> {
    check_len(data)?;
    let cipher = Aes256::new(key.into());
    cipher.encrypt_with_backend(EncryptChain::new(iv, data));
    Ok(())
}

/// IGE-decrypt `data` in place under `key` and `iv`.
///
/// `data.len()` must be a multiple of 16; otherwise nothing is changed and
/// [`CryptoError::IgeLength`] is returned.
pub fn ige_decrypt(key: &[u8; 32], iv: &[u8; 32], data: &mut [u8]) -> Result<(), CryptoError> {
    check_len(data)?;
    let cipher = Aes256::new(key.into());
    cipher.decrypt_with_backend(DecryptChain::new(iv, data));
    Ok(())
}

fn check_len(data: &[u8]) -> Result<(), CryptoError> {
    if data.len() % 16 == 0 {
        Ok(())
    } else {
        Err(CryptoError::IgeLength { len: data.len() })
    }
}

fn word(bytes: &[u8]) -> u128 {
    let mut a = [0u8; 16];
    a.copy_from_slice(bytes);
    u128::from_ne_bytes(a)
}

/// The chain state: `prev_in` is XORed into each block before the cipher,
/// `prev_out` after it. XOR is bytewise, so native-endian words are fine.
struct Chain<'a> {
    prev_before: u128,
    prev_after: u128,
    data: &'a mut [u8],
}

struct EncryptChain<'a>(Chain<'a>);
struct DecryptChain<'a>(Chain<'a>);

impl<'a> EncryptChain<'a> {
    fn new(iv: &[u8; 32], data: &'a mut [u8]) -> Self {
        let (c0, p0) = iv.split_at(16);
        EncryptChain(Chain {
            prev_before: word(c0),
            prev_after: word(p0),
            data,
        })
    }
}

impl<'a> DecryptChain<'a> {
    fn new(iv: &[u8; 32], data: &'a mut [u8]) -> Self {
        let (c0, p0) = iv.split_at(16);
        DecryptChain(Chain {
            prev_before: word(p0),
            prev_after: word(c0),
            data,
        })
    }
}

impl Chain<'_> {
    /// One IGE pass: `out_i = F(in_i ⊕ prev_before) ⊕ prev_after`, then
    /// `prev_before = out_i`, `prev_after = in_i`. With `F = E` this is
    /// encryption, with `F = D` (and the IV halves swapped) decryption.
    #[inline(always)]
    fn run(self, mut f: impl FnMut(&mut Array<u8, U16>)) {
        let (mut before, mut after) = (self.prev_before, self.prev_after);
        for chunk in self.data.chunks_exact_mut(16) {
            let input = word(chunk);
            let mut block = Array((input ^ before).to_ne_bytes());
            f(&mut block);
            let output = u128::from_ne_bytes(block.0) ^ after;
            chunk.copy_from_slice(&output.to_ne_bytes());
            before = output;
            after = input;
        }
    }
}

impl BlockSizeUser for EncryptChain<'_> {
    type BlockSize = U16;
}

impl BlockCipherEncClosure for EncryptChain<'_> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        self.0.run(|block| backend.encrypt_block_inplace(block));
    }
}

impl BlockSizeUser for DecryptChain<'_> {
    type BlockSize = U16;
}

impl BlockCipherDecClosure for DecryptChain<'_> {
    #[inline(always)]
    fn call<B: BlockCipherDecBackend<BlockSize = U16>>(self, backend: &B) {
        self.0.run(|block| backend.decrypt_block_inplace(block));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ige::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};

    fn reference_encrypt(key: &[u8; 32], iv: &[u8; 32], data: &mut [u8]) {
        let mut m = ige::Encryptor::<Aes256>::new(key.into(), iv.into());
        for chunk in data.chunks_exact_mut(16) {
            m.encrypt_block(chunk.try_into().unwrap());
        }
    }

    fn reference_decrypt(key: &[u8; 32], iv: &[u8; 32], data: &mut [u8]) {
        let mut m = ige::Decryptor::<Aes256>::new(key.into(), iv.into());
        for chunk in data.chunks_exact_mut(16) {
            m.decrypt_block(chunk.try_into().unwrap());
        }
    }

    #[test]
    fn ige_matches_rustcrypto_reference() {
        let mut rng = 0x1234_5678_9abc_def0u64;
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng as u8
        };
        for blocks in [0usize, 1, 2, 3, 7, 64, 257] {
            let key: [u8; 32] = core::array::from_fn(|_| next());
            let iv: [u8; 32] = core::array::from_fn(|_| next());
            let plain: Vec<u8> = (0..blocks * 16).map(|_| next()).collect();
            let (mut ours, mut theirs) = (plain.clone(), plain.clone());
            ige_encrypt(&key, &iv, &mut ours).unwrap();
            reference_encrypt(&key, &iv, &mut theirs);
            assert_eq!(ours, theirs, "encrypt, {blocks} blocks");
            ige_decrypt(&key, &iv, &mut ours).unwrap();
            reference_decrypt(&key, &iv, &mut theirs);
            assert_eq!(ours, plain, "decrypt, {blocks} blocks");
            assert_eq!(theirs, plain);
        }
    }

    #[test]
    fn unaligned_length_is_an_error_and_leaves_data_alone() {
        let mut data = vec![7u8; 17];
        assert_eq!(
            ige_encrypt(&[0; 32], &[0; 32], &mut data),
            Err(CryptoError::IgeLength { len: 17 })
        );
        assert_eq!(
            ige_decrypt(&[0; 32], &[0; 32], &mut data),
            Err(CryptoError::IgeLength { len: 17 })
        );
        assert_eq!(data, vec![7u8; 17]);
    }
}
