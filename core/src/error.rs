//! Errors: one enum per layer, and the one stable [`ErrorCode`] mapping.
//!
//! Layer enums say what was expected and what was found. Bindings convert any
//! of them into [`Error`] and expose [`Error::code`] plus the message; the
//! numbers of [`ErrorCode`] are part of the public ABI and are never reused.

use thiserror::Error as ThisError;

use crate::tl::gzip::GzipError;

/// Errors of the cryptographic primitives.
#[derive(Clone, Debug, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum CryptoError {
    /// AES-IGE works on whole 16-byte blocks.
    #[error("AES-IGE input must be a multiple of 16 bytes, got {len} bytes")]
    IgeLength {
        /// The length that was given.
        len: usize,
    },
    /// A key, IV or other fixed-size input had the wrong length.
    #[error("expected a {expected}-byte {what}, got {found} bytes")]
    InvalidLength {
        /// What the input is (`"AES key"`, `"auth key"`, ...).
        what: &'static str,
        /// The required length.
        expected: usize,
        /// The length that was given.
        found: usize,
    },
    /// The random source failed; nothing falls back to weaker randomness.
    #[error("the system random source is unavailable")]
    RandomUnavailable,
}

/// Errors of TL: reading and writing values, parsing schemas, and the
/// dynamic JSON codec.
#[derive(Clone, Debug, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum TlError {
    /// The input ended inside a value.
    #[error("unexpected end of input at byte {at}: needed {needed} bytes, {available} left")]
    UnexpectedEof {
        /// Offset of the read.
        at: usize,
        /// Bytes the read needed.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A constructor id that the expected type does not have.
    #[error("unknown constructor id {id:#010x} for type {expected} at byte {at}")]
    UnknownConstructor {
        /// The id found.
        id: u32,
        /// The type that was expected.
        expected: String,
        /// Offset of the id.
        at: usize,
    },
    /// Input left over after a complete value.
    #[error("{count} trailing bytes after the value")]
    TrailingBytes {
        /// How many bytes were left.
        count: usize,
    },
    /// A `bytes` length prefix that is invalid (`0xff`) or not in its
    /// shortest form.
    #[error("invalid or non-canonical bytes length prefix at byte {at}")]
    InvalidLength {
        /// Offset of the prefix.
        at: usize,
    },
    /// `bytes` padding that is not zeros.
    #[error("non-zero padding at byte {at}")]
    NonZeroPadding {
        /// Offset of the padding.
        at: usize,
    },
    /// A `string` that is not UTF-8.
    #[error("string at byte {at} is not valid UTF-8")]
    InvalidUtf8 {
        /// Offset of the string.
        at: usize,
    },
    /// A vector count larger than the input left could hold.
    #[error("vector of {count} elements at byte {at} cannot fit in the {available} bytes left")]
    VectorTooLong {
        /// Offset of the count.
        at: usize,
        /// The count found.
        count: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// Values nested deeper than the decoder allows.
    #[error("values nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// A schema line that does not parse.
    #[error("schema line {line}: {message}")]
    Schema {
        /// 1-based line number.
        line: usize,
        /// What was expected and what was found.
        message: String,
    },
    /// An explicit constructor id that differs from the CRC32 of its
    /// normalized declaration.
    #[error(
        "schema line {line}: {name} declares id {declared:#010x} but its declaration hashes to {computed:#010x}"
    )]
    IdMismatch {
        /// 1-based line number.
        line: usize,
        /// The combinator.
        name: String,
        /// The id written in the schema.
        declared: u32,
        /// The CRC32 of the normalized declaration.
        computed: u32,
    },
    /// A JSON value of the wrong kind for a TL type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What the TL type needs.
        expected: String,
        /// What was given.
        found: String,
    },
    /// A field the constructor needs is missing from the JSON object.
    #[error("missing field {field}")]
    MissingField {
        /// The field's name.
        field: String,
    },
    /// A constructor, function or type name the schema does not have.
    #[error("unknown name {name}")]
    UnknownName {
        /// The name.
        name: String,
    },
    /// `gzip_packed` data that does not inflate within the limit.
    #[error(transparent)]
    Gzip(#[from] crate::tl::gzip::GzipError),
    /// The error `source` happened at `path` (for instance
    /// `messages.messages.messages[3].message`).
    #[error("at {path}: {source}")]
    At {
        /// Where in the value.
        path: String,
        /// What happened there.
        source: Box<TlError>,
    },
}

/// Errors of the transports. Every one of them is fatal for its connection:
/// the codec that returned it keeps returning it.
#[derive(Clone, Debug, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum TransportError {
    /// The peer sent more than the receive buffer holds without completing a
    /// frame.
    #[error("more than {limit} bytes buffered without a complete frame")]
    BufferFull {
        /// The buffer's limit.
        limit: usize,
    },
    /// A declared frame length above the codec's maximum (refused before any
    /// allocation).
    #[error("frame of {len} bytes exceeds the maximum of {max} bytes")]
    FrameTooLarge {
        /// The declared length.
        len: usize,
        /// The maximum.
        max: usize,
    },
    /// A frame that breaks its framing's rules (what was expected and found).
    #[error("invalid frame: {0}")]
    InvalidFrame(String),
    /// Full transport: a sequence number out of order.
    #[error("full transport: expected sequence number {expected}, found {found}")]
    BadSequence {
        /// The next number due.
        expected: u32,
        /// The number received.
        found: u32,
    },
    /// Full transport: the CRC32 does not match.
    #[error(
        "full transport: CRC32 mismatch (computed {computed:#010x}, received {received:#010x})"
    )]
    BadCrc {
        /// CRC32 of the received bytes.
        computed: u32,
        /// The CRC32 the frame carries.
        received: u32,
    },
    /// Server side: the first bytes match no transport this server accepts.
    #[error("unrecognized protocol: {0}")]
    UnknownProtocol(String),
    /// Obfuscated2: a bad init (forbidden prefix, unknown tag, wrong secret).
    #[error("obfuscation: {0}")]
    Obfuscation(String),
    /// Fake TLS: a bad hello, digest, timestamp or record.
    #[error("fake TLS: {0}")]
    FakeTls(String),
    /// HTTP: a malformed request or response, or one over the size limits.
    #[error("HTTP: {0}")]
    Http(String),
    /// HTTP: the peer answered with a status other than 200.
    #[error("HTTP status {status}")]
    HttpStatus {
        /// The status code.
        status: u16,
    },
    /// A proxy secret that is not 16 bytes, `dd` + 16 bytes, or `ee` + 16
    /// bytes + a domain.
    #[error("invalid proxy secret: {0}")]
    InvalidSecret(String),
    /// A call the codec's state does not allow (for instance a server-only
    /// operation on a client codec).
    #[error("invalid state: {0}")]
    InvalidState(String),
}

/// Errors of the message envelope (plain and encrypted framing).
#[derive(Clone, Debug, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// An encrypted message failed a check: wrong auth_key_id, bad size or
    /// alignment, msg_key mismatch, inconsistent length, padding out of range.
    ///
    /// All these failures are deliberately one value (security guidelines:
    /// nothing about the decrypted contents may leak to the sender).
    #[error("encrypted message rejected")]
    Rejected,
    /// A plain (unencrypted) message is malformed.
    #[error("plain message malformed: {0}")]
    Malformed(&'static str),
    /// Explicit padding for sealing has the wrong length.
    #[error(
        "padding must be 12..=1024 bytes and make the plaintext a multiple of 16; got {len} bytes for a {body_len}-byte body"
    )]
    InvalidPadding {
        /// Padding length given.
        len: usize,
        /// Body length given.
        body_len: usize,
    },
    /// TL bodies are always whole 32-bit words.
    #[error("message body must be a multiple of 4 bytes, got {len} bytes")]
    BodyNotAligned {
        /// Body length given.
        len: usize,
    },
    /// The message would exceed the largest frame the transports carry.
    #[error("message body of {len} bytes exceeds the maximum of {max} bytes")]
    TooLarge {
        /// Body length given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A cryptographic primitive failed (for instance the RNG).
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// Errors of auth key creation (`/mtproto/auth_key`), temporary key binding
/// (`/method/auth.bindTempAuthKey`) and the RSA and Diffie-Hellman checks
/// behind them.
///
/// Any of these ends the exchange it happened in: the handshake object moves
/// to a failed state and returns the same error from every later call.
#[derive(Clone, Debug, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum AuthError {
    /// The message has another constructor than this step accepts.
    #[error("expected {expected}, got constructor {found:#010x}")]
    UnexpectedMessage {
        /// The constructor(s) this step accepts.
        expected: &'static str,
        /// The constructor id that came.
        found: u32,
    },
    /// A step was called in a state that does not take it (for instance a
    /// second `start`, or a server answer before the request).
    #[error("{call} is not valid in state {state}")]
    OutOfOrder {
        /// The call that was made.
        call: &'static str,
        /// The state the exchange was in.
        state: &'static str,
    },
    /// A message echoed another `nonce` than the one this exchange sent.
    #[error("nonce does not match the one sent")]
    NonceMismatch,
    /// A message carried another `server_nonce` than the server chose.
    #[error("server_nonce does not match the one received")]
    ServerNonceMismatch,
    /// resPQ offered no fingerprint of an RSA key this client holds.
    #[error("none of the server's {offered} RSA key fingerprints is known")]
    UnknownFingerprint {
        /// How many fingerprints the server offered.
        offered: usize,
    },
    /// pq is not below 2^63 or is not a product of two primes.
    #[error("invalid pq: {0}")]
    InvalidPq(&'static str),
    /// SHA1 of the decrypted server_DH_inner_data does not match.
    #[error("the server's DH answer failed its SHA1 check")]
    AnswerHashMismatch,
    /// dh_prime is not a 2048-bit safe prime.
    #[error("invalid dh_prime: {0}")]
    InvalidDhPrime(&'static str),
    /// g is not in 2..=7 or fails its residue condition for dh_prime.
    #[error("invalid generator g = {g}: {reason}")]
    InvalidGenerator {
        /// The generator the peer sent.
        g: i64,
        /// Which condition failed.
        reason: &'static str,
    },
    /// g_a or g_b is outside 2^(2048-64) ..= dh_prime - 2^(2048-64).
    #[error("{which} is out of the allowed range")]
    DhValueOutOfRange {
        /// `"g_a"` or `"g_b"`.
        which: &'static str,
    },
    /// new_nonce_hash1/2/3 or the server_DH_params_fail hash does not match.
    #[error("{which} does not match")]
    NewNonceHashMismatch {
        /// Which hash failed.
        which: &'static str,
    },
    /// The server answered server_DH_params_fail.
    #[error("the server refused the DH parameters request (server_DH_params_fail)")]
    ServerDhParamsFail,
    /// The server answered dh_gen_fail.
    #[error("the server refused the key (dh_gen_fail)")]
    DhGenFail,
    /// The server asked for too many retries (dh_gen_retry).
    #[error("gave up after {attempts} dh_gen_retry answers")]
    TooManyRetries {
        /// Attempts made.
        attempts: u32,
    },
    /// An RSA key could not be loaded or is unusable (not 2048 bits, bad
    /// PEM or DER, inconsistent private key).
    #[error("invalid RSA key: {0}")]
    InvalidRsaKey(String),
    /// encrypted_data of req_DH_params did not decrypt under any padding
    /// scheme with the key its fingerprint names.
    #[error("encrypted_data of req_DH_params could not be decrypted")]
    RsaDecryptFailed,
    /// The decrypted inner data is inconsistent (pq, p or q not the ones
    /// sent, a dc or expires_in the server does not accept).
    #[error("invalid inner data: {0}")]
    InvalidInnerData(&'static str),
    /// auth.bindTempAuthKey failed a check.
    #[error("invalid temporary key binding: {0}")]
    InvalidBinding(&'static str),
    /// An auth key is not known to the key store, or has expired.
    #[error("unknown or expired auth key")]
    UnknownKey,
    /// A message failed to parse.
    #[error(transparent)]
    Tl(#[from] TlError),
    /// A cryptographic primitive failed (for instance the RNG).
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// Any error of the core.
#[derive(Clone, Debug, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum Error {
    /// See [`CryptoError`].
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// See [`EnvelopeError`].
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    /// See [`TlError`].
    #[error(transparent)]
    Tl(#[from] TlError),
    /// See [`TransportError`].
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// See [`AuthError`].
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// Stable numeric error codes shared by every binding.
///
/// The numbers are ABI: a value is never renumbered nor reused. Ranges: 1..99
/// binding-level, 100.. crypto, 200.. envelope, 300.. TL, 600.. transport
/// 400.. auth key creation (500.. session is reserved).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
#[non_exhaustive]
pub enum ErrorCode {
    /// An argument was invalid in a way no more specific code describes.
    InvalidArgument = 1,
    /// A bug or a poisoned lock inside a binding; the object is unusable.
    Internal = 2,
    /// A caller-supplied output buffer is too small (C API).
    BufferTooSmall = 3,
    /// A required pointer was NULL (C API).
    NullPointer = 4,
    /// See [`CryptoError::IgeLength`].
    IgeLength = 100,
    /// See [`CryptoError::InvalidLength`].
    InvalidLength = 101,
    /// See [`CryptoError::RandomUnavailable`].
    RandomUnavailable = 102,
    /// See [`EnvelopeError::Rejected`].
    EnvelopeRejected = 200,
    /// See [`EnvelopeError::Malformed`].
    EnvelopeMalformed = 201,
    /// See [`EnvelopeError::InvalidPadding`].
    InvalidPadding = 202,
    /// See [`EnvelopeError::BodyNotAligned`].
    BodyNotAligned = 203,
    /// See [`EnvelopeError::TooLarge`].
    MessageTooLarge = 204,
    /// See [`TlError::UnexpectedEof`].
    TlUnexpectedEof = 300,
    /// See [`TlError::UnknownConstructor`].
    TlUnknownConstructor = 301,
    /// See [`TlError::TrailingBytes`].
    TlTrailingBytes = 302,
    /// See [`TlError::InvalidLength`].
    TlInvalidLength = 303,
    /// See [`TlError::NonZeroPadding`].
    TlNonZeroPadding = 304,
    /// See [`TlError::InvalidUtf8`].
    TlInvalidUtf8 = 305,
    /// See [`TlError::VectorTooLong`].
    TlVectorTooLong = 306,
    /// See [`TlError::TooDeep`].
    TlTooDeep = 307,
    /// See [`TlError::Schema`].
    TlSchema = 308,
    /// See [`TlError::IdMismatch`].
    TlIdMismatch = 309,
    /// See [`TlError::WrongType`].
    TlWrongType = 310,
    /// See [`TlError::MissingField`].
    TlMissingField = 311,
    /// See [`TlError::UnknownName`].
    TlUnknownName = 312,
    /// See [`GzipError::TooLarge`].
    GzipTooLarge = 313,
    /// See [`GzipError::Corrupt`].
    GzipCorrupt = 314,
    /// See [`GzipError::TrailingData`].
    GzipTrailingData = 315,
    /// See [`GzipError::AllocationFailed`].
    GzipAllocationFailed = 316,
    /// A handshake message had an unexpected constructor.
    AuthUnexpectedMessage = 400,
    /// A handshake step was called out of order.
    AuthOutOfOrder = 401,
    /// A nonce did not match.
    AuthNonceMismatch = 402,
    /// A server_nonce did not match.
    AuthServerNonceMismatch = 403,
    /// No known RSA key fingerprint.
    AuthUnknownFingerprint = 404,
    /// pq invalid or not factorizable into two primes.
    AuthInvalidPq = 405,
    /// The DH answer's SHA1 did not match.
    AuthAnswerHashMismatch = 406,
    /// dh_prime is not a 2048-bit safe prime.
    AuthInvalidDhPrime = 407,
    /// g invalid for dh_prime.
    AuthInvalidGenerator = 408,
    /// g_a or g_b out of range.
    AuthDhValueOutOfRange = 409,
    /// A new_nonce hash did not match.
    AuthNewNonceHashMismatch = 410,
    /// The server answered server_DH_params_fail.
    AuthServerDhParamsFail = 411,
    /// The server answered dh_gen_fail.
    AuthDhGenFail = 412,
    /// Too many dh_gen_retry answers.
    AuthTooManyRetries = 413,
    /// An RSA key is invalid.
    AuthInvalidRsaKey = 414,
    /// encrypted_data could not be decrypted.
    AuthRsaDecryptFailed = 415,
    /// Inner data inconsistent.
    AuthInvalidInnerData = 416,
    /// A temporary key binding failed a check.
    AuthInvalidBinding = 417,
    /// Unknown or expired auth key.
    AuthUnknownKey = 418,
    /// See [`TransportError::BufferFull`].
    TransportBufferFull = 600,
    /// See [`TransportError::FrameTooLarge`].
    TransportFrameTooLarge = 601,
    /// See [`TransportError::InvalidFrame`].
    TransportInvalidFrame = 602,
    /// See [`TransportError::BadSequence`].
    TransportBadSequence = 603,
    /// See [`TransportError::BadCrc`].
    TransportBadCrc = 604,
    /// See [`TransportError::UnknownProtocol`].
    TransportUnknownProtocol = 605,
    /// See [`TransportError::Obfuscation`].
    TransportObfuscation = 606,
    /// See [`TransportError::FakeTls`].
    TransportFakeTls = 607,
    /// See [`TransportError::Http`].
    TransportHttp = 608,
    /// See [`TransportError::HttpStatus`].
    TransportHttpStatus = 609,
    /// See [`TransportError::InvalidSecret`].
    TransportInvalidSecret = 610,
    /// See [`TransportError::InvalidState`].
    TransportInvalidState = 611,
}

impl ErrorCode {
    /// The numeric value, as every binding exposes it.
    pub fn as_u32(self) -> u32 {
        self as u32
    }
}

impl Error {
    /// The stable code of this error. This is the only place errors are
    /// mapped to numbers.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Crypto(e)
            | Error::Envelope(EnvelopeError::Crypto(e))
            | Error::Auth(AuthError::Crypto(e)) => match e {
                CryptoError::IgeLength { .. } => ErrorCode::IgeLength,
                CryptoError::InvalidLength { .. } => ErrorCode::InvalidLength,
                CryptoError::RandomUnavailable => ErrorCode::RandomUnavailable,
            },
            Error::Envelope(e) => match e {
                EnvelopeError::Rejected => ErrorCode::EnvelopeRejected,
                EnvelopeError::Malformed(_) => ErrorCode::EnvelopeMalformed,
                EnvelopeError::InvalidPadding { .. } => ErrorCode::InvalidPadding,
                EnvelopeError::BodyNotAligned { .. } => ErrorCode::BodyNotAligned,
                EnvelopeError::TooLarge { .. } => ErrorCode::MessageTooLarge,
                EnvelopeError::Crypto(_) => ErrorCode::Internal,
            },
            Error::Tl(e) | Error::Auth(AuthError::Tl(e)) => tl_code(e),
            Error::Auth(e) => auth_code(e),
            Error::Transport(e) => match e {
                TransportError::BufferFull { .. } => ErrorCode::TransportBufferFull,
                TransportError::FrameTooLarge { .. } => ErrorCode::TransportFrameTooLarge,
                TransportError::InvalidFrame(_) => ErrorCode::TransportInvalidFrame,
                TransportError::BadSequence { .. } => ErrorCode::TransportBadSequence,
                TransportError::BadCrc { .. } => ErrorCode::TransportBadCrc,
                TransportError::UnknownProtocol(_) => ErrorCode::TransportUnknownProtocol,
                TransportError::Obfuscation(_) => ErrorCode::TransportObfuscation,
                TransportError::FakeTls(_) => ErrorCode::TransportFakeTls,
                TransportError::Http(_) => ErrorCode::TransportHttp,
                TransportError::HttpStatus { .. } => ErrorCode::TransportHttpStatus,
                TransportError::InvalidSecret(_) => ErrorCode::TransportInvalidSecret,
                TransportError::InvalidState(_) => ErrorCode::TransportInvalidState,
            },
        }
    }
}

fn tl_code(e: &TlError) -> ErrorCode {
    match e {
        TlError::UnexpectedEof { .. } => ErrorCode::TlUnexpectedEof,
        TlError::UnknownConstructor { .. } => ErrorCode::TlUnknownConstructor,
        TlError::TrailingBytes { .. } => ErrorCode::TlTrailingBytes,
        TlError::InvalidLength { .. } => ErrorCode::TlInvalidLength,
        TlError::NonZeroPadding { .. } => ErrorCode::TlNonZeroPadding,
        TlError::InvalidUtf8 { .. } => ErrorCode::TlInvalidUtf8,
        TlError::VectorTooLong { .. } => ErrorCode::TlVectorTooLong,
        TlError::TooDeep { .. } => ErrorCode::TlTooDeep,
        TlError::Schema { .. } => ErrorCode::TlSchema,
        TlError::IdMismatch { .. } => ErrorCode::TlIdMismatch,
        TlError::WrongType { .. } => ErrorCode::TlWrongType,
        TlError::MissingField { .. } => ErrorCode::TlMissingField,
        TlError::UnknownName { .. } => ErrorCode::TlUnknownName,
        TlError::Gzip(g) => match g {
            GzipError::TooLarge { .. } => ErrorCode::GzipTooLarge,
            GzipError::Corrupt { .. } => ErrorCode::GzipCorrupt,
            GzipError::TrailingData { .. } => ErrorCode::GzipTrailingData,
            GzipError::AllocationFailed { .. } => ErrorCode::GzipAllocationFailed,
        },
        // A located error has the code of what happened there.
        TlError::At { source, .. } => tl_code(source),
    }
}

fn auth_code(e: &AuthError) -> ErrorCode {
    match e {
        AuthError::UnexpectedMessage { .. } => ErrorCode::AuthUnexpectedMessage,
        AuthError::OutOfOrder { .. } => ErrorCode::AuthOutOfOrder,
        AuthError::NonceMismatch => ErrorCode::AuthNonceMismatch,
        AuthError::ServerNonceMismatch => ErrorCode::AuthServerNonceMismatch,
        AuthError::UnknownFingerprint { .. } => ErrorCode::AuthUnknownFingerprint,
        AuthError::InvalidPq(_) => ErrorCode::AuthInvalidPq,
        AuthError::AnswerHashMismatch => ErrorCode::AuthAnswerHashMismatch,
        AuthError::InvalidDhPrime(_) => ErrorCode::AuthInvalidDhPrime,
        AuthError::InvalidGenerator { .. } => ErrorCode::AuthInvalidGenerator,
        AuthError::DhValueOutOfRange { .. } => ErrorCode::AuthDhValueOutOfRange,
        AuthError::NewNonceHashMismatch { .. } => ErrorCode::AuthNewNonceHashMismatch,
        AuthError::ServerDhParamsFail => ErrorCode::AuthServerDhParamsFail,
        AuthError::DhGenFail => ErrorCode::AuthDhGenFail,
        AuthError::TooManyRetries { .. } => ErrorCode::AuthTooManyRetries,
        AuthError::InvalidRsaKey(_) => ErrorCode::AuthInvalidRsaKey,
        AuthError::RsaDecryptFailed => ErrorCode::AuthRsaDecryptFailed,
        AuthError::InvalidInnerData(_) => ErrorCode::AuthInvalidInnerData,
        AuthError::InvalidBinding(_) => ErrorCode::AuthInvalidBinding,
        AuthError::UnknownKey => ErrorCode::AuthUnknownKey,
        // Mapped by `Error::code` before this is reached; kept total.
        AuthError::Tl(t) => tl_code(t),
        AuthError::Crypto(_) => ErrorCode::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable() {
        // These numbers are ABI; changing one breaks every binding's users.
        let cases: [(Error, u32); 10] = [
            (TlError::TrailingBytes { count: 1 }.into(), 302),
            (
                TlError::At {
                    path: "a.b".into(),
                    source: Box::new(TlError::MissingField { field: "c".into() }),
                }
                .into(),
                311,
            ),
            (CryptoError::IgeLength { len: 3 }.into(), 100),
            (
                CryptoError::InvalidLength {
                    what: "x",
                    expected: 1,
                    found: 2,
                }
                .into(),
                101,
            ),
            (CryptoError::RandomUnavailable.into(), 102),
            (
                EnvelopeError::Crypto(CryptoError::RandomUnavailable).into(),
                102,
            ),
            (EnvelopeError::Rejected.into(), 200),
            (EnvelopeError::Malformed("x").into(), 201),
            (
                EnvelopeError::InvalidPadding {
                    len: 1,
                    body_len: 4,
                }
                .into(),
                202,
            ),
            (EnvelopeError::TooLarge { len: 1, max: 0 }.into(), 204),
        ];
        for (err, code) in cases {
            assert_eq!(err.code().as_u32(), code, "{err}");
        }
    }

    #[test]
    fn messages_say_expected_and_found() {
        let e = CryptoError::InvalidLength {
            what: "AES key",
            expected: 32,
            found: 5,
        };
        assert_eq!(e.to_string(), "expected a 32-byte AES key, got 5 bytes");
    }
}
