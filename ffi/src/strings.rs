//! Library-owned strings: the text outputs (JSON, type names, PEM keys)
//! that the library allocates and the caller releases with
//! [`mtp_string_free`].

use std::ffi::{CString, c_char};

use zeroize::Zeroize;

use crate::panic::guard_value;

/// Release a string the library returned through a `char **` out-parameter
/// (`mtp_tl_codec_decode`, `mtp_tl_codec_result_type`,
/// `mtp_rsa_private_key_to_pem`, ...). NULL is accepted and ignored. The
/// bytes are wiped before the memory is released, since some of these
/// strings are secret (a private key's PEM).
///
/// Such strings are NUL-terminated UTF-8, owned by the caller until passed
/// here exactly once. Read them, but do not write to them: the library finds
/// their length again with `strlen` when freeing. Never pass a string from
/// `malloc`, nor the one of `mtp_last_error_message`.
///
/// # Safety
/// `s` must be NULL or a string from a `char **` out-parameter of this
/// library, unmodified and not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_string_free(s: *mut c_char) {
    guard_value((), || {
        if !s.is_null() {
            // SAFETY: the caller guarantees s came from CString::into_raw in
            // buffers::output_string, unmodified (so strlen finds the original
            // length) and freed only once.
            let mut bytes = unsafe { CString::from_raw(s) }.into_bytes_with_nul();
            bytes.zeroize();
        }
    });
}
