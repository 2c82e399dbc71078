//! The one error type every exported call throws.

use std::sync::{Mutex, MutexGuard};

use mtproto_core::error::Error as CoreError;
use mtproto_core::{AuthError, CryptoError, EnvelopeError, ErrorCode, TlError, TransportError};

/// An error of the MTProto core, as Kotlin (`MtprotoException.Failed`) and
/// Swift (`MtprotoError.Failed`) see it.
///
/// Match on `code` (stable across releases and identical in every language,
/// see the core's `ErrorCode`); show `message` to people. In Kotlin the field
/// is named `reason`, because every Kotlin exception already has a `message`
/// (there it reads `code=<code>, reason=<reason>`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum MtprotoError {
    /// The call failed.
    #[error("{message} (code {code})")]
    Failed {
        /// The stable numeric error code (for example 100: AES-IGE input not a
        /// multiple of 16 bytes; 101: wrong length of a fixed-size input;
        /// 200: encrypted message rejected).
        code: u32,
        /// What was expected and what was found (Kotlin: `reason`).
        message: String,
    },
}

impl From<CoreError> for MtprotoError {
    fn from(e: CoreError) -> Self {
        // `Error::code` is the only place codes are mapped (DESIGN.md section 4).
        MtprotoError::Failed {
            code: e.code().as_u32(),
            message: e.to_string(),
        }
    }
}

impl From<CryptoError> for MtprotoError {
    fn from(e: CryptoError) -> Self {
        CoreError::from(e).into()
    }
}

impl From<EnvelopeError> for MtprotoError {
    fn from(e: EnvelopeError) -> Self {
        CoreError::from(e).into()
    }
}

impl From<TlError> for MtprotoError {
    fn from(e: TlError) -> Self {
        CoreError::from(e).into()
    }
}

impl From<TransportError> for MtprotoError {
    fn from(e: TransportError) -> Self {
        CoreError::from(e).into()
    }
}

impl From<AuthError> for MtprotoError {
    fn from(e: AuthError) -> Self {
        CoreError::from(e).into()
    }
}

impl MtprotoError {
    /// An error with a binding-level `code` (one of the core's `ErrorCode`s
    /// that no core error maps to, such as `InvalidArgument`).
    pub(crate) fn binding(code: ErrorCode, message: String) -> Self {
        MtprotoError::Failed {
            code: code.as_u32(),
            message,
        }
    }
}

/// Lock an object's state; a poisoned lock (a panic while it was held) is
/// code 2 (Internal): the object is unusable.
pub(crate) fn lock<'a, T>(m: &'a Mutex<T>, what: &str) -> Result<MutexGuard<'a, T>, MtprotoError> {
    m.lock().map_err(|_| {
        MtprotoError::binding(
            ErrorCode::Internal,
            format!("the {what} lock is poisoned; the object is unusable"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_the_core() {
        let e: MtprotoError = CryptoError::IgeLength { len: 17 }.into();
        assert!(matches!(e, MtprotoError::Failed { code: 100, .. }));
        let e: MtprotoError = EnvelopeError::Rejected.into();
        assert_eq!(
            e,
            MtprotoError::Failed {
                code: 200,
                message: "encrypted message rejected".into()
            }
        );
        assert_eq!(e.to_string(), "encrypted message rejected (code 200)");
        // A located TL error keeps the code of what happened and its path.
        let e: MtprotoError = TlError::At {
            path: "a.b".into(),
            source: Box::new(TlError::MissingField { field: "c".into() }),
        }
        .into();
        assert_eq!(
            e,
            MtprotoError::Failed {
                code: 311,
                message: "at a.b: missing field c".into()
            }
        );
        // Auth errors keep the code of what happened: 400.., or the crypto
        // and TL code they wrap.
        let e: MtprotoError = AuthError::NonceMismatch.into();
        assert!(matches!(e, MtprotoError::Failed { code: 402, .. }));
        let e: MtprotoError = AuthError::Crypto(CryptoError::InvalidLength {
            what: "nonce",
            expected: 16,
            found: 15,
        })
        .into();
        assert!(matches!(e, MtprotoError::Failed { code: 101, .. }));
        let e: MtprotoError = AuthError::Tl(TlError::TrailingBytes { count: 1 }).into();
        assert!(matches!(e, MtprotoError::Failed { code: 302, .. }));
    }
}
