//! Result codes: [`mtp_result`], its names, and the internal `Failure` every
//! export turns into one.

use std::ffi::c_char;

use mtproto_core::error::{
    AuthError, CryptoError, EnvelopeError, Error, ErrorCode, TlError, TransportError,
};

use crate::panic::guard_value;

/// The outcome of a `mtp_*` call: `MTP_RESULT_OK` (0) or an error code.
///
/// The numbers are the core's stable `ErrorCode`s, shared by every binding
/// (Kotlin, Swift and JS expose the same numbers as `code`). They are ABI: a
/// value is never renumbered nor reused. Call `mtp_last_error_message` for the
/// message of the failure.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum mtp_result {
    /// Success.
    Ok = 0,
    /// An argument was invalid in a way no more specific code describes
    /// (for instance a direction that is not an `mtp_direction` value).
    InvalidArgument = 1,
    /// A bug inside the library (a caught panic). Please report it.
    Internal = 2,
    /// The caller's output buffer is too small; `*out_len` holds the size
    /// needed.
    BufferTooSmall = 3,
    /// A required pointer was NULL.
    NullPointer = 4,
    /// AES-IGE input length is not a multiple of 16 bytes.
    IgeLength = 100,
    /// A key, IV, nonce or other fixed-size input had the wrong length.
    InvalidLength = 101,
    /// The system random source failed; nothing falls back to weaker
    /// randomness.
    RandomUnavailable = 102,
    /// An encrypted message was rejected. Every reason (wrong auth_key_id,
    /// msg_key mismatch, bad length, bad padding) gives this same code, on
    /// purpose (MTProto security guidelines).
    EnvelopeRejected = 200,
    /// A plain (unencrypted) message is malformed.
    EnvelopeMalformed = 201,
    /// Explicit padding is not 12..=1024 bytes or does not align the
    /// plaintext to 16 bytes.
    InvalidPadding = 202,
    /// A message body is not a whole number of 4-byte words.
    BodyNotAligned = 203,
    /// A message body is larger than the transports can carry.
    MessageTooLarge = 204,
    /// TL input ended inside a value (truncated bytes).
    TlUnexpectedEof = 300,
    /// TL input has a constructor id that the expected type does not have.
    TlUnknownConstructor = 301,
    /// TL input has bytes left over after a complete value.
    TlTrailingBytes = 302,
    /// A TL `bytes`/`string` length prefix is invalid or not in its shortest
    /// form.
    TlInvalidLength = 303,
    /// The padding of a TL `bytes`/`string` is not zeros.
    TlNonZeroPadding = 304,
    /// A TL `string` is not UTF-8.
    TlInvalidUtf8 = 305,
    /// A TL vector count is larger than the input left could hold.
    TlVectorTooLong = 306,
    /// TL values nest deeper than the codec allows.
    TlTooDeep = 307,
    /// A TL schema line (or a type name) does not parse.
    TlSchema = 308,
    /// A TL schema declares a constructor id that differs from the CRC32 of its
    /// declaration (only for schemas that must verify, like the built-in
    /// MTProto one).
    TlIdMismatch = 309,
    /// A JSON value of the wrong kind for its TL type (the message names the
    /// field's path, e.g. `at invokeWithLayer.query.api_id: expected ...`).
    TlWrongType = 310,
    /// A field the TL constructor needs is missing from the JSON object.
    TlMissingField = 311,
    /// A constructor, function or type name the schema does not have.
    TlUnknownName = 312,
    /// A `gzip_packed` value inflates to more than the codec's limit.
    GzipTooLarge = 313,
    /// A `gzip_packed` value is not valid gzip data.
    GzipCorrupt = 314,
    /// A `gzip_packed` value has data after the end of its gzip stream.
    GzipTrailingData = 315,
    /// Memory for inflating a `gzip_packed` value could not be allocated.
    GzipAllocationFailed = 316,
    /// A key-exchange message has another constructor than the step accepts.
    AuthUnexpectedMessage = 400,
    /// A key-exchange call the handshake's state does not take (a second
    /// start, a server answer before the request).
    AuthOutOfOrder = 401,
    /// A key-exchange message echoed another `nonce` than the one sent.
    AuthNonceMismatch = 402,
    /// A key-exchange message carried another `server_nonce` than the
    /// server chose.
    AuthServerNonceMismatch = 403,
    /// resPQ offered no fingerprint of an RSA key the client holds.
    AuthUnknownFingerprint = 404,
    /// pq is not below 2^63 or not a product of two primes.
    AuthInvalidPq = 405,
    /// The SHA1 of the server's decrypted DH answer does not match.
    AuthAnswerHashMismatch = 406,
    /// dh_prime is not a 2048-bit safe prime.
    AuthInvalidDhPrime = 407,
    /// g is not in 2..=7 or fails its residue condition for dh_prime.
    AuthInvalidGenerator = 408,
    /// g_a or g_b is outside 2^(2048-64) ..= dh_prime - 2^(2048-64).
    AuthDhValueOutOfRange = 409,
    /// new_nonce_hash1/2/3 (or the server_DH_params_fail hash) does not
    /// match.
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
    /// RSA-encrypted data did not decrypt (req_DH_params' encrypted_data,
    /// or old-scheme data whose SHA1 does not match).
    AuthRsaDecryptFailed = 415,
    /// The decrypted inner data is inconsistent or refused (pq, p or q not
    /// the ones sent, a DC or expires_in the server does not accept).
    AuthInvalidInnerData = 416,
    /// auth.bindTempAuthKey failed a check.
    AuthInvalidBinding = 417,
    /// An auth key is not in the key store, or has expired.
    AuthUnknownKey = 418,
    /// The peer sent more than the receive buffer holds without completing a
    /// frame.
    TransportBufferFull = 600,
    /// A declared frame (or HTTP body) length above the maximum, refused
    /// before any allocation.
    TransportFrameTooLarge = 601,
    /// A frame that breaks its framing's rules (or a payload that cannot be
    /// framed: empty, not whole 4-byte words, a bad quick-ack token or code).
    TransportInvalidFrame = 602,
    /// Full transport: a sequence number out of order.
    TransportBadSequence = 603,
    /// Full transport: the CRC32 does not match.
    TransportBadCrc = 604,
    /// Server side: the first bytes match no transport this server accepts.
    TransportUnknownProtocol = 605,
    /// Obfuscated2: a bad init (forbidden random, unknown tag, wrong secret),
    /// or full framing asked to be obfuscated.
    TransportObfuscation = 606,
    /// Fake TLS: a bad hello, digest, timestamp or record.
    TransportFakeTls = 607,
    /// HTTP: a malformed request or response, or one over the size limits.
    TransportHttp = 608,
    /// HTTP: the peer answered with a status other than 200 (and the
    /// transport-error statuses).
    TransportHttpStatus = 609,
    /// A proxy secret that is not 16 bytes, `dd` + 16 bytes or `ee` + 16 bytes +
    /// a domain (or not hex/base64url text).
    TransportInvalidSecret = 610,
    /// A call the transport's state or role does not allow (for instance a
    /// quick-ack reply from a client codec, or HTTP with obfuscation).
    TransportInvalidState = 611,
}

/// Every value, in numeric order.
const ALL: [mtp_result; 61] = [
    mtp_result::Ok,
    mtp_result::InvalidArgument,
    mtp_result::Internal,
    mtp_result::BufferTooSmall,
    mtp_result::NullPointer,
    mtp_result::IgeLength,
    mtp_result::InvalidLength,
    mtp_result::RandomUnavailable,
    mtp_result::EnvelopeRejected,
    mtp_result::EnvelopeMalformed,
    mtp_result::InvalidPadding,
    mtp_result::BodyNotAligned,
    mtp_result::MessageTooLarge,
    mtp_result::TlUnexpectedEof,
    mtp_result::TlUnknownConstructor,
    mtp_result::TlTrailingBytes,
    mtp_result::TlInvalidLength,
    mtp_result::TlNonZeroPadding,
    mtp_result::TlInvalidUtf8,
    mtp_result::TlVectorTooLong,
    mtp_result::TlTooDeep,
    mtp_result::TlSchema,
    mtp_result::TlIdMismatch,
    mtp_result::TlWrongType,
    mtp_result::TlMissingField,
    mtp_result::TlUnknownName,
    mtp_result::GzipTooLarge,
    mtp_result::GzipCorrupt,
    mtp_result::GzipTrailingData,
    mtp_result::GzipAllocationFailed,
    mtp_result::AuthUnexpectedMessage,
    mtp_result::AuthOutOfOrder,
    mtp_result::AuthNonceMismatch,
    mtp_result::AuthServerNonceMismatch,
    mtp_result::AuthUnknownFingerprint,
    mtp_result::AuthInvalidPq,
    mtp_result::AuthAnswerHashMismatch,
    mtp_result::AuthInvalidDhPrime,
    mtp_result::AuthInvalidGenerator,
    mtp_result::AuthDhValueOutOfRange,
    mtp_result::AuthNewNonceHashMismatch,
    mtp_result::AuthServerDhParamsFail,
    mtp_result::AuthDhGenFail,
    mtp_result::AuthTooManyRetries,
    mtp_result::AuthInvalidRsaKey,
    mtp_result::AuthRsaDecryptFailed,
    mtp_result::AuthInvalidInnerData,
    mtp_result::AuthInvalidBinding,
    mtp_result::AuthUnknownKey,
    mtp_result::TransportBufferFull,
    mtp_result::TransportFrameTooLarge,
    mtp_result::TransportInvalidFrame,
    mtp_result::TransportBadSequence,
    mtp_result::TransportBadCrc,
    mtp_result::TransportUnknownProtocol,
    mtp_result::TransportObfuscation,
    mtp_result::TransportFakeTls,
    mtp_result::TransportHttp,
    mtp_result::TransportHttpStatus,
    mtp_result::TransportInvalidSecret,
    mtp_result::TransportInvalidState,
];

impl mtp_result {
    /// The name of the C constant, e.g. `"MTP_RESULT_ENVELOPE_REJECTED"`.
    pub fn name(self) -> &'static std::ffi::CStr {
        match self {
            mtp_result::Ok => c"MTP_RESULT_OK",
            mtp_result::InvalidArgument => c"MTP_RESULT_INVALID_ARGUMENT",
            mtp_result::Internal => c"MTP_RESULT_INTERNAL",
            mtp_result::BufferTooSmall => c"MTP_RESULT_BUFFER_TOO_SMALL",
            mtp_result::NullPointer => c"MTP_RESULT_NULL_POINTER",
            mtp_result::IgeLength => c"MTP_RESULT_IGE_LENGTH",
            mtp_result::InvalidLength => c"MTP_RESULT_INVALID_LENGTH",
            mtp_result::RandomUnavailable => c"MTP_RESULT_RANDOM_UNAVAILABLE",
            mtp_result::EnvelopeRejected => c"MTP_RESULT_ENVELOPE_REJECTED",
            mtp_result::EnvelopeMalformed => c"MTP_RESULT_ENVELOPE_MALFORMED",
            mtp_result::InvalidPadding => c"MTP_RESULT_INVALID_PADDING",
            mtp_result::BodyNotAligned => c"MTP_RESULT_BODY_NOT_ALIGNED",
            mtp_result::MessageTooLarge => c"MTP_RESULT_MESSAGE_TOO_LARGE",
            mtp_result::TlUnexpectedEof => c"MTP_RESULT_TL_UNEXPECTED_EOF",
            mtp_result::TlUnknownConstructor => c"MTP_RESULT_TL_UNKNOWN_CONSTRUCTOR",
            mtp_result::TlTrailingBytes => c"MTP_RESULT_TL_TRAILING_BYTES",
            mtp_result::TlInvalidLength => c"MTP_RESULT_TL_INVALID_LENGTH",
            mtp_result::TlNonZeroPadding => c"MTP_RESULT_TL_NON_ZERO_PADDING",
            mtp_result::TlInvalidUtf8 => c"MTP_RESULT_TL_INVALID_UTF8",
            mtp_result::TlVectorTooLong => c"MTP_RESULT_TL_VECTOR_TOO_LONG",
            mtp_result::TlTooDeep => c"MTP_RESULT_TL_TOO_DEEP",
            mtp_result::TlSchema => c"MTP_RESULT_TL_SCHEMA",
            mtp_result::TlIdMismatch => c"MTP_RESULT_TL_ID_MISMATCH",
            mtp_result::TlWrongType => c"MTP_RESULT_TL_WRONG_TYPE",
            mtp_result::TlMissingField => c"MTP_RESULT_TL_MISSING_FIELD",
            mtp_result::TlUnknownName => c"MTP_RESULT_TL_UNKNOWN_NAME",
            mtp_result::GzipTooLarge => c"MTP_RESULT_GZIP_TOO_LARGE",
            mtp_result::GzipCorrupt => c"MTP_RESULT_GZIP_CORRUPT",
            mtp_result::GzipTrailingData => c"MTP_RESULT_GZIP_TRAILING_DATA",
            mtp_result::GzipAllocationFailed => c"MTP_RESULT_GZIP_ALLOCATION_FAILED",
            mtp_result::AuthUnexpectedMessage => c"MTP_RESULT_AUTH_UNEXPECTED_MESSAGE",
            mtp_result::AuthOutOfOrder => c"MTP_RESULT_AUTH_OUT_OF_ORDER",
            mtp_result::AuthNonceMismatch => c"MTP_RESULT_AUTH_NONCE_MISMATCH",
            mtp_result::AuthServerNonceMismatch => c"MTP_RESULT_AUTH_SERVER_NONCE_MISMATCH",
            mtp_result::AuthUnknownFingerprint => c"MTP_RESULT_AUTH_UNKNOWN_FINGERPRINT",
            mtp_result::AuthInvalidPq => c"MTP_RESULT_AUTH_INVALID_PQ",
            mtp_result::AuthAnswerHashMismatch => c"MTP_RESULT_AUTH_ANSWER_HASH_MISMATCH",
            mtp_result::AuthInvalidDhPrime => c"MTP_RESULT_AUTH_INVALID_DH_PRIME",
            mtp_result::AuthInvalidGenerator => c"MTP_RESULT_AUTH_INVALID_GENERATOR",
            mtp_result::AuthDhValueOutOfRange => c"MTP_RESULT_AUTH_DH_VALUE_OUT_OF_RANGE",
            mtp_result::AuthNewNonceHashMismatch => c"MTP_RESULT_AUTH_NEW_NONCE_HASH_MISMATCH",
            mtp_result::AuthServerDhParamsFail => c"MTP_RESULT_AUTH_SERVER_DH_PARAMS_FAIL",
            mtp_result::AuthDhGenFail => c"MTP_RESULT_AUTH_DH_GEN_FAIL",
            mtp_result::AuthTooManyRetries => c"MTP_RESULT_AUTH_TOO_MANY_RETRIES",
            mtp_result::AuthInvalidRsaKey => c"MTP_RESULT_AUTH_INVALID_RSA_KEY",
            mtp_result::AuthRsaDecryptFailed => c"MTP_RESULT_AUTH_RSA_DECRYPT_FAILED",
            mtp_result::AuthInvalidInnerData => c"MTP_RESULT_AUTH_INVALID_INNER_DATA",
            mtp_result::AuthInvalidBinding => c"MTP_RESULT_AUTH_INVALID_BINDING",
            mtp_result::AuthUnknownKey => c"MTP_RESULT_AUTH_UNKNOWN_KEY",
            mtp_result::TransportBufferFull => c"MTP_RESULT_TRANSPORT_BUFFER_FULL",
            mtp_result::TransportFrameTooLarge => c"MTP_RESULT_TRANSPORT_FRAME_TOO_LARGE",
            mtp_result::TransportInvalidFrame => c"MTP_RESULT_TRANSPORT_INVALID_FRAME",
            mtp_result::TransportBadSequence => c"MTP_RESULT_TRANSPORT_BAD_SEQUENCE",
            mtp_result::TransportBadCrc => c"MTP_RESULT_TRANSPORT_BAD_CRC",
            mtp_result::TransportUnknownProtocol => c"MTP_RESULT_TRANSPORT_UNKNOWN_PROTOCOL",
            mtp_result::TransportObfuscation => c"MTP_RESULT_TRANSPORT_OBFUSCATION",
            mtp_result::TransportFakeTls => c"MTP_RESULT_TRANSPORT_FAKE_TLS",
            mtp_result::TransportHttp => c"MTP_RESULT_TRANSPORT_HTTP",
            mtp_result::TransportHttpStatus => c"MTP_RESULT_TRANSPORT_HTTP_STATUS",
            mtp_result::TransportInvalidSecret => c"MTP_RESULT_TRANSPORT_INVALID_SECRET",
            mtp_result::TransportInvalidState => c"MTP_RESULT_TRANSPORT_INVALID_STATE",
        }
    }
}

impl From<ErrorCode> for mtp_result {
    /// The core's code as the C enum. Both share the same numbers (checked by
    /// a test); a code added to the core before this enum learns it is
    /// reported as `Internal`.
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::InvalidArgument => mtp_result::InvalidArgument,
            ErrorCode::Internal => mtp_result::Internal,
            ErrorCode::BufferTooSmall => mtp_result::BufferTooSmall,
            ErrorCode::NullPointer => mtp_result::NullPointer,
            ErrorCode::IgeLength => mtp_result::IgeLength,
            ErrorCode::InvalidLength => mtp_result::InvalidLength,
            ErrorCode::RandomUnavailable => mtp_result::RandomUnavailable,
            ErrorCode::EnvelopeRejected => mtp_result::EnvelopeRejected,
            ErrorCode::EnvelopeMalformed => mtp_result::EnvelopeMalformed,
            ErrorCode::InvalidPadding => mtp_result::InvalidPadding,
            ErrorCode::BodyNotAligned => mtp_result::BodyNotAligned,
            ErrorCode::MessageTooLarge => mtp_result::MessageTooLarge,
            ErrorCode::TlUnexpectedEof => mtp_result::TlUnexpectedEof,
            ErrorCode::TlUnknownConstructor => mtp_result::TlUnknownConstructor,
            ErrorCode::TlTrailingBytes => mtp_result::TlTrailingBytes,
            ErrorCode::TlInvalidLength => mtp_result::TlInvalidLength,
            ErrorCode::TlNonZeroPadding => mtp_result::TlNonZeroPadding,
            ErrorCode::TlInvalidUtf8 => mtp_result::TlInvalidUtf8,
            ErrorCode::TlVectorTooLong => mtp_result::TlVectorTooLong,
            ErrorCode::TlTooDeep => mtp_result::TlTooDeep,
            ErrorCode::TlSchema => mtp_result::TlSchema,
            ErrorCode::TlIdMismatch => mtp_result::TlIdMismatch,
            ErrorCode::TlWrongType => mtp_result::TlWrongType,
            ErrorCode::TlMissingField => mtp_result::TlMissingField,
            ErrorCode::TlUnknownName => mtp_result::TlUnknownName,
            ErrorCode::GzipTooLarge => mtp_result::GzipTooLarge,
            ErrorCode::GzipCorrupt => mtp_result::GzipCorrupt,
            ErrorCode::GzipTrailingData => mtp_result::GzipTrailingData,
            ErrorCode::GzipAllocationFailed => mtp_result::GzipAllocationFailed,
            ErrorCode::AuthUnexpectedMessage => mtp_result::AuthUnexpectedMessage,
            ErrorCode::AuthOutOfOrder => mtp_result::AuthOutOfOrder,
            ErrorCode::AuthNonceMismatch => mtp_result::AuthNonceMismatch,
            ErrorCode::AuthServerNonceMismatch => mtp_result::AuthServerNonceMismatch,
            ErrorCode::AuthUnknownFingerprint => mtp_result::AuthUnknownFingerprint,
            ErrorCode::AuthInvalidPq => mtp_result::AuthInvalidPq,
            ErrorCode::AuthAnswerHashMismatch => mtp_result::AuthAnswerHashMismatch,
            ErrorCode::AuthInvalidDhPrime => mtp_result::AuthInvalidDhPrime,
            ErrorCode::AuthInvalidGenerator => mtp_result::AuthInvalidGenerator,
            ErrorCode::AuthDhValueOutOfRange => mtp_result::AuthDhValueOutOfRange,
            ErrorCode::AuthNewNonceHashMismatch => mtp_result::AuthNewNonceHashMismatch,
            ErrorCode::AuthServerDhParamsFail => mtp_result::AuthServerDhParamsFail,
            ErrorCode::AuthDhGenFail => mtp_result::AuthDhGenFail,
            ErrorCode::AuthTooManyRetries => mtp_result::AuthTooManyRetries,
            ErrorCode::AuthInvalidRsaKey => mtp_result::AuthInvalidRsaKey,
            ErrorCode::AuthRsaDecryptFailed => mtp_result::AuthRsaDecryptFailed,
            ErrorCode::AuthInvalidInnerData => mtp_result::AuthInvalidInnerData,
            ErrorCode::AuthInvalidBinding => mtp_result::AuthInvalidBinding,
            ErrorCode::AuthUnknownKey => mtp_result::AuthUnknownKey,
            ErrorCode::TransportBufferFull => mtp_result::TransportBufferFull,
            ErrorCode::TransportFrameTooLarge => mtp_result::TransportFrameTooLarge,
            ErrorCode::TransportInvalidFrame => mtp_result::TransportInvalidFrame,
            ErrorCode::TransportBadSequence => mtp_result::TransportBadSequence,
            ErrorCode::TransportBadCrc => mtp_result::TransportBadCrc,
            ErrorCode::TransportUnknownProtocol => mtp_result::TransportUnknownProtocol,
            ErrorCode::TransportObfuscation => mtp_result::TransportObfuscation,
            ErrorCode::TransportFakeTls => mtp_result::TransportFakeTls,
            ErrorCode::TransportHttp => mtp_result::TransportHttp,
            ErrorCode::TransportHttpStatus => mtp_result::TransportHttpStatus,
            ErrorCode::TransportInvalidSecret => mtp_result::TransportInvalidSecret,
            ErrorCode::TransportInvalidState => mtp_result::TransportInvalidState,
            _ => mtp_result::Internal,
        }
    }
}

/// The name of a result code as a static NUL-terminated string, e.g.
/// `"MTP_RESULT_ENVELOPE_REJECTED"`; `"MTP_RESULT_UNKNOWN"` for a number that
/// is not a code. Never NULL; the string must not be freed.
///
/// Takes a plain `uint32_t` so that any number is safe to pass.
#[unsafe(no_mangle)]
pub extern "C" fn mtp_result_name(result: u32) -> *const c_char {
    guard_value(c"MTP_RESULT_INTERNAL".as_ptr(), || {
        ALL.iter()
            .find(|r| **r as u32 == result)
            .map_or(c"MTP_RESULT_UNKNOWN", |r| r.name())
            .as_ptr()
    })
}

/// Why a call failed: the code returned to C and the message kept for
/// `mtp_last_error_message`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: mtp_result,
    pub(crate) message: String,
}

impl Failure {
    /// A required pointer argument was NULL.
    pub(crate) fn null(what: &str) -> Self {
        Failure {
            code: mtp_result::NullPointer,
            message: format!("`{what}` is NULL"),
        }
    }

    /// The caller's buffer holds `capacity` bytes, `needed` are required.
    pub(crate) fn too_small(what: &str, capacity: usize, needed: usize) -> Self {
        Failure {
            code: mtp_result::BufferTooSmall,
            message: format!("`{what}` holds {capacity} bytes, {needed} are needed"),
        }
    }

    /// Any other bad argument.
    pub(crate) fn invalid(message: String) -> Self {
        Failure {
            code: mtp_result::InvalidArgument,
            message,
        }
    }
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure {
            code: err.code().into(),
            message: err.to_string(),
        }
    }
}

impl From<CryptoError> for Failure {
    fn from(err: CryptoError) -> Self {
        Error::from(err).into()
    }
}

impl From<EnvelopeError> for Failure {
    fn from(err: EnvelopeError) -> Self {
        Error::from(err).into()
    }
}

impl From<TransportError> for Failure {
    fn from(err: TransportError) -> Self {
        Error::from(err).into()
    }
}

impl From<AuthError> for Failure {
    fn from(err: AuthError) -> Self {
        Error::from(err).into()
    }
}

impl From<TlError> for Failure {
    fn from(err: TlError) -> Self {
        Error::from(err).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    const CORE_CODES: [ErrorCode; 60] = [
        ErrorCode::InvalidArgument,
        ErrorCode::Internal,
        ErrorCode::BufferTooSmall,
        ErrorCode::NullPointer,
        ErrorCode::IgeLength,
        ErrorCode::InvalidLength,
        ErrorCode::RandomUnavailable,
        ErrorCode::EnvelopeRejected,
        ErrorCode::EnvelopeMalformed,
        ErrorCode::InvalidPadding,
        ErrorCode::BodyNotAligned,
        ErrorCode::MessageTooLarge,
        ErrorCode::TlUnexpectedEof,
        ErrorCode::TlUnknownConstructor,
        ErrorCode::TlTrailingBytes,
        ErrorCode::TlInvalidLength,
        ErrorCode::TlNonZeroPadding,
        ErrorCode::TlInvalidUtf8,
        ErrorCode::TlVectorTooLong,
        ErrorCode::TlTooDeep,
        ErrorCode::TlSchema,
        ErrorCode::TlIdMismatch,
        ErrorCode::TlWrongType,
        ErrorCode::TlMissingField,
        ErrorCode::TlUnknownName,
        ErrorCode::GzipTooLarge,
        ErrorCode::GzipCorrupt,
        ErrorCode::GzipTrailingData,
        ErrorCode::GzipAllocationFailed,
        ErrorCode::AuthUnexpectedMessage,
        ErrorCode::AuthOutOfOrder,
        ErrorCode::AuthNonceMismatch,
        ErrorCode::AuthServerNonceMismatch,
        ErrorCode::AuthUnknownFingerprint,
        ErrorCode::AuthInvalidPq,
        ErrorCode::AuthAnswerHashMismatch,
        ErrorCode::AuthInvalidDhPrime,
        ErrorCode::AuthInvalidGenerator,
        ErrorCode::AuthDhValueOutOfRange,
        ErrorCode::AuthNewNonceHashMismatch,
        ErrorCode::AuthServerDhParamsFail,
        ErrorCode::AuthDhGenFail,
        ErrorCode::AuthTooManyRetries,
        ErrorCode::AuthInvalidRsaKey,
        ErrorCode::AuthRsaDecryptFailed,
        ErrorCode::AuthInvalidInnerData,
        ErrorCode::AuthInvalidBinding,
        ErrorCode::AuthUnknownKey,
        ErrorCode::TransportBufferFull,
        ErrorCode::TransportFrameTooLarge,
        ErrorCode::TransportInvalidFrame,
        ErrorCode::TransportBadSequence,
        ErrorCode::TransportBadCrc,
        ErrorCode::TransportUnknownProtocol,
        ErrorCode::TransportObfuscation,
        ErrorCode::TransportFakeTls,
        ErrorCode::TransportHttp,
        ErrorCode::TransportHttpStatus,
        ErrorCode::TransportInvalidSecret,
        ErrorCode::TransportInvalidState,
    ];

    #[test]
    fn numbers_equal_the_core_codes() {
        for code in CORE_CODES {
            assert_eq!(mtp_result::from(code) as u32, code.as_u32(), "{code:?}");
        }
        // Every non-OK value comes from exactly one core code.
        assert_eq!(ALL.len(), CORE_CODES.len() + 1);
        assert_eq!(mtp_result::Ok as u32, 0);
    }

    #[test]
    fn names() {
        for r in ALL {
            // SAFETY: mtp_result_name returns a static NUL-terminated string.
            let name = unsafe { CStr::from_ptr(mtp_result_name(r as u32)) };
            assert_eq!(name, r.name());
            assert!(name.to_str().unwrap().starts_with("MTP_RESULT_"));
        }
        // SAFETY: as above.
        let unknown = unsafe { CStr::from_ptr(mtp_result_name(99)) };
        assert_eq!(unknown, c"MTP_RESULT_UNKNOWN");
    }

    #[test]
    fn core_errors_keep_code_and_message() {
        let f = Failure::from(CryptoError::IgeLength { len: 17 });
        assert_eq!(f.code, mtp_result::IgeLength);
        assert!(f.message.contains("17"), "{}", f.message);
        let f = Failure::from(EnvelopeError::Rejected);
        assert_eq!(f.code, mtp_result::EnvelopeRejected);
        let f = Failure::from(TransportError::HttpStatus { status: 502 });
        assert_eq!(f.code, mtp_result::TransportHttpStatus);
        assert!(f.message.contains("502"), "{}", f.message);
        let f = Failure::from(AuthError::ServerDhParamsFail);
        assert_eq!(f.code, mtp_result::AuthServerDhParamsFail);
        assert!(f.message.contains("server_DH_params_fail"), "{}", f.message);
        // An auth error wrapping a crypto error keeps the crypto code.
        let f = Failure::from(AuthError::from(CryptoError::RandomUnavailable));
        assert_eq!(f.code, mtp_result::RandomUnavailable);
    }
}
