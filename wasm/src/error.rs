//! Errors as JavaScript `MtprotoError` objects carrying the core's stable code.

use mtproto_core::error::Error as CoreError;
use wasm_bindgen::prelude::*;

// The error class lives in JavaScript so that it is a real `Error` subclass
// (stack trace, `instanceof Error`, `instanceof MtprotoError`); the package
// re-exports it.
#[wasm_bindgen(inline_js = r#"
export class MtprotoError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "MtprotoError";
    this.code = code;
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(extends = js_sys::Error)]
    type MtprotoError;

    // Imported only to re-export the class from the package; never called.
    // Its TypeScript declaration is the custom section below.
    #[wasm_bindgen(js_name = MtprotoError, reexport, skip_typescript)]
    fn mtproto_error_class();

    #[wasm_bindgen(constructor)]
    fn new(code: u32, message: &str) -> MtprotoError;
}

/// The stable numeric error codes, as carried by `MtprotoError.code`.
///
/// The same numbers as the core's `mtproto_core::ErrorCode` (they are ABI,
/// never renumbered nor reused). Compare `err.code` with these constants to
/// tell errors apart.
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ErrorCode {
    /// An argument was invalid in a way no more specific code describes (for
    /// example a header field of the wrong type).
    InvalidArgument = 1,
    /// A bug inside the binding.
    Internal = 2,
    /// A caller-supplied output buffer is too small (C API only).
    BufferTooSmall = 3,
    /// A required pointer was NULL (C API only).
    NullPointer = 4,
    /// AES-IGE input that is not a multiple of 16 bytes.
    IgeLength = 100,
    /// A key, IV, nonce or msg_key of the wrong length.
    InvalidLength = 101,
    /// The random source (`crypto.getRandomValues`) failed.
    RandomUnavailable = 102,
    /// An encrypted message failed a check (any reason: they look the same).
    EnvelopeRejected = 200,
    /// A plain message is malformed.
    EnvelopeMalformed = 201,
    /// Explicit padding of the wrong length.
    InvalidPadding = 202,
    /// A message body that is not whole 32-bit words.
    BodyNotAligned = 203,
    /// A message body above the largest frame the transports carry.
    MessageTooLarge = 204,
    /// TL bytes that end inside a value.
    TlUnexpectedEof = 300,
    /// A constructor id that the expected TL type does not have.
    TlUnknownConstructor = 301,
    /// Bytes left over after a complete TL value.
    TlTrailingBytes = 302,
    /// A TL `bytes` length prefix that is invalid or not in its shortest form.
    TlInvalidLength = 303,
    /// TL `bytes` padding that is not zeros.
    TlNonZeroPadding = 304,
    /// A TL `string` that is not UTF-8.
    TlInvalidUtf8 = 305,
    /// A vector count larger than the bytes left could hold.
    TlVectorTooLong = 306,
    /// TL values nested deeper than the codec allows.
    TlTooDeep = 307,
    /// A schema line that does not parse.
    TlSchema = 308,
    /// A schema constructor id that differs from the CRC32 of its declaration.
    TlIdMismatch = 309,
    /// A value of the wrong kind for its TL type (a string where an `int`
    /// belongs, ...).
    TlWrongType = 310,
    /// A field the constructor needs is missing from the object.
    TlMissingField = 311,
    /// A constructor, function or type name the schema does not have.
    TlUnknownName = 312,
    /// `gzip_packed` data that inflates beyond the limit.
    GzipTooLarge = 313,
    /// `gzip_packed` data that is not valid gzip.
    GzipCorrupt = 314,
    /// Bytes after the end of the gzip stream in a `gzip_packed`.
    GzipTrailingData = 315,
    /// The inflated `gzip_packed` data could not be allocated.
    GzipAllocationFailed = 316,
    /// A key-exchange message with another constructor than the step accepts.
    AuthUnexpectedMessage = 400,
    /// A key-exchange step called in a state that does not take it (a second
    /// `start`, an answer before the request).
    AuthOutOfOrder = 401,
    /// A message echoed another `nonce` than the one this exchange sent.
    AuthNonceMismatch = 402,
    /// A message carried another `server_nonce` than the server chose.
    AuthServerNonceMismatch = 403,
    /// resPQ offered no fingerprint of an RSA key the client holds.
    AuthUnknownFingerprint = 404,
    /// pq is not below 2^63 or not a product of two primes.
    AuthInvalidPq = 405,
    /// The server's DH answer failed its SHA1 check.
    AuthAnswerHashMismatch = 406,
    /// dh_prime is not a 2048-bit safe prime.
    AuthInvalidDhPrime = 407,
    /// g is not in 2..=7 or fails its residue condition for dh_prime.
    AuthInvalidGenerator = 408,
    /// g_a or g_b is out of the allowed range.
    AuthDhValueOutOfRange = 409,
    /// new_nonce_hash1/2/3 or the server_DH_params_fail hash does not match.
    AuthNewNonceHashMismatch = 410,
    /// The server answered server_DH_params_fail.
    AuthServerDhParamsFail = 411,
    /// The server answered dh_gen_fail.
    AuthDhGenFail = 412,
    /// The server asked for too many retries (dh_gen_retry).
    AuthTooManyRetries = 413,
    /// An RSA key could not be loaded or is unusable (not 2048 bits, bad PEM
    /// or DER, an inconsistent private key).
    AuthInvalidRsaKey = 414,
    /// RSA-encrypted data could not be decrypted (req_DH_params'
    /// encrypted_data, or an old-scheme payload whose hash fails).
    AuthRsaDecryptFailed = 415,
    /// The decrypted inner data is inconsistent (pq, p or q not the ones sent,
    /// a DC or expires_in the server does not accept).
    AuthInvalidInnerData = 416,
    /// auth.bindTempAuthKey failed a check.
    AuthInvalidBinding = 417,
    /// An auth key is not in the key store, or has expired.
    AuthUnknownKey = 418,
    /// More buffered input than the codec holds (a frame too large for its buffer).
    TransportBufferFull = 600,
    /// A frame or payload above the largest allowed (`maxFrame`).
    TransportFrameTooLarge = 601,
    /// A frame, payload, token, code or padding that is malformed or not allowed.
    TransportInvalidFrame = 602,
    /// A full-framing packet with an unexpected sequence number.
    TransportBadSequence = 603,
    /// A full-framing packet whose CRC32 does not match.
    TransportBadCrc = 604,
    /// First bytes that no accepted transport starts with.
    TransportUnknownProtocol = 605,
    /// An obfuscated2 init that is invalid or matches no accepted secret.
    TransportObfuscation = 606,
    /// A fake-TLS hello or record that is malformed or refused.
    TransportFakeTls = 607,
    /// Malformed HTTP.
    TransportHttp = 608,
    /// An HTTP response with an error status.
    TransportHttpStatus = 609,
    /// A proxy secret that does not parse or does not fit the transport.
    TransportInvalidSecret = 610,
    /// A call the transport cannot take in its state or configuration.
    TransportInvalidState = 611,
}

/// The `MtprotoError` for any core error: its code from
/// [`CoreError::code`] (the one mapping) and the core's message.
pub(crate) fn to_js(err: impl Into<CoreError>) -> JsValue {
    let err = err.into();
    MtprotoError::new(err.code().as_u32(), &err.to_string()).into()
}

/// An `MtprotoError` with code `InvalidArgument`, for arguments whose
/// JavaScript type or range is wrong before the core is even called.
pub(crate) fn invalid_argument(message: &str) -> JsValue {
    MtprotoError::new(mtproto_core::ErrorCode::InvalidArgument.as_u32(), message).into()
}

/// An `MtprotoError` with code `Internal`: a bug inside the binding (a value
/// the core produced that JavaScript cannot hold).
pub(crate) fn internal(message: &str) -> JsValue {
    MtprotoError::new(mtproto_core::ErrorCode::Internal.as_u32(), message).into()
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &str = r#"
/**
 * Thrown by every function of this package on failure.
 *
 * `code` is the stable numeric code shared by every binding (see `ErrorCode`),
 * `message` the core's description of what was expected and what was found.
 */
export class MtprotoError extends Error {
  private constructor();
  readonly name: "MtprotoError";
  /** The stable error code; compare with the `ErrorCode` constants. */
  readonly code: ErrorCode;
}
"#;

#[cfg(test)]
mod tests {
    use super::ErrorCode;
    use mtproto_core::ErrorCode as Core;

    #[test]
    fn codes_match_the_core() {
        let pairs = [
            (ErrorCode::InvalidArgument, Core::InvalidArgument),
            (ErrorCode::Internal, Core::Internal),
            (ErrorCode::BufferTooSmall, Core::BufferTooSmall),
            (ErrorCode::NullPointer, Core::NullPointer),
            (ErrorCode::IgeLength, Core::IgeLength),
            (ErrorCode::InvalidLength, Core::InvalidLength),
            (ErrorCode::RandomUnavailable, Core::RandomUnavailable),
            (ErrorCode::EnvelopeRejected, Core::EnvelopeRejected),
            (ErrorCode::EnvelopeMalformed, Core::EnvelopeMalformed),
            (ErrorCode::InvalidPadding, Core::InvalidPadding),
            (ErrorCode::BodyNotAligned, Core::BodyNotAligned),
            (ErrorCode::MessageTooLarge, Core::MessageTooLarge),
            (ErrorCode::TlUnexpectedEof, Core::TlUnexpectedEof),
            (ErrorCode::TlUnknownConstructor, Core::TlUnknownConstructor),
            (ErrorCode::TlTrailingBytes, Core::TlTrailingBytes),
            (ErrorCode::TlInvalidLength, Core::TlInvalidLength),
            (ErrorCode::TlNonZeroPadding, Core::TlNonZeroPadding),
            (ErrorCode::TlInvalidUtf8, Core::TlInvalidUtf8),
            (ErrorCode::TlVectorTooLong, Core::TlVectorTooLong),
            (ErrorCode::TlTooDeep, Core::TlTooDeep),
            (ErrorCode::TlSchema, Core::TlSchema),
            (ErrorCode::TlIdMismatch, Core::TlIdMismatch),
            (ErrorCode::TlWrongType, Core::TlWrongType),
            (ErrorCode::TlMissingField, Core::TlMissingField),
            (ErrorCode::TlUnknownName, Core::TlUnknownName),
            (ErrorCode::GzipTooLarge, Core::GzipTooLarge),
            (ErrorCode::GzipCorrupt, Core::GzipCorrupt),
            (ErrorCode::GzipTrailingData, Core::GzipTrailingData),
            (ErrorCode::GzipAllocationFailed, Core::GzipAllocationFailed),
            (
                ErrorCode::AuthUnexpectedMessage,
                Core::AuthUnexpectedMessage,
            ),
            (ErrorCode::AuthOutOfOrder, Core::AuthOutOfOrder),
            (ErrorCode::AuthNonceMismatch, Core::AuthNonceMismatch),
            (
                ErrorCode::AuthServerNonceMismatch,
                Core::AuthServerNonceMismatch,
            ),
            (
                ErrorCode::AuthUnknownFingerprint,
                Core::AuthUnknownFingerprint,
            ),
            (ErrorCode::AuthInvalidPq, Core::AuthInvalidPq),
            (
                ErrorCode::AuthAnswerHashMismatch,
                Core::AuthAnswerHashMismatch,
            ),
            (ErrorCode::AuthInvalidDhPrime, Core::AuthInvalidDhPrime),
            (ErrorCode::AuthInvalidGenerator, Core::AuthInvalidGenerator),
            (
                ErrorCode::AuthDhValueOutOfRange,
                Core::AuthDhValueOutOfRange,
            ),
            (
                ErrorCode::AuthNewNonceHashMismatch,
                Core::AuthNewNonceHashMismatch,
            ),
            (
                ErrorCode::AuthServerDhParamsFail,
                Core::AuthServerDhParamsFail,
            ),
            (ErrorCode::AuthDhGenFail, Core::AuthDhGenFail),
            (ErrorCode::AuthTooManyRetries, Core::AuthTooManyRetries),
            (ErrorCode::AuthInvalidRsaKey, Core::AuthInvalidRsaKey),
            (ErrorCode::AuthRsaDecryptFailed, Core::AuthRsaDecryptFailed),
            (ErrorCode::AuthInvalidInnerData, Core::AuthInvalidInnerData),
            (ErrorCode::AuthInvalidBinding, Core::AuthInvalidBinding),
            (ErrorCode::AuthUnknownKey, Core::AuthUnknownKey),
            (ErrorCode::TransportBufferFull, Core::TransportBufferFull),
            (
                ErrorCode::TransportFrameTooLarge,
                Core::TransportFrameTooLarge,
            ),
            (
                ErrorCode::TransportInvalidFrame,
                Core::TransportInvalidFrame,
            ),
            (ErrorCode::TransportBadSequence, Core::TransportBadSequence),
            (ErrorCode::TransportBadCrc, Core::TransportBadCrc),
            (
                ErrorCode::TransportUnknownProtocol,
                Core::TransportUnknownProtocol,
            ),
            (ErrorCode::TransportObfuscation, Core::TransportObfuscation),
            (ErrorCode::TransportFakeTls, Core::TransportFakeTls),
            (ErrorCode::TransportHttp, Core::TransportHttp),
            (ErrorCode::TransportHttpStatus, Core::TransportHttpStatus),
            (
                ErrorCode::TransportInvalidSecret,
                Core::TransportInvalidSecret,
            ),
            (
                ErrorCode::TransportInvalidState,
                Core::TransportInvalidState,
            ),
        ];
        for (ours, core) in pairs {
            assert_eq!(ours as u32, core.as_u32(), "{ours:?}");
        }
    }
}
