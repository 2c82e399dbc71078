//! The panic boundary: no unwind ever crosses into C.
//!
//! Every export runs its body through [`boundary`] (fallible calls) or
//! [`guard_value`] (infallible ones). A panic is a bug in this library; it is
//! caught here and reported as `MTP_RESULT_INTERNAL`, because unwinding into a
//! C frame is undefined behaviour.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::last_error;
use crate::result::{Failure, mtp_result};

/// The message recorded when a panic is caught.
const PANIC_MESSAGE: &str = "internal error: a panic was caught at the C boundary (a bug in mtproto-ffi or mtproto-core; please report it)";

/// Run a fallible export body: `Ok` becomes `MTP_RESULT_OK` and clears the
/// thread's last error; a [`Failure`] or a panic becomes its code and records
/// its message.
pub(crate) fn boundary(body: impl FnOnce() -> Result<(), Failure>) -> mtp_result {
    // AssertUnwindSafe: after a panic nothing the body touched is used again;
    // the only shared objects (auth key handles) are immutable.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            last_error::clear();
            mtp_result::Ok
        }
        Ok(Err(failure)) => {
            last_error::set(&failure.message);
            failure.code
        }
        Err(_payload) => {
            last_error::set(PANIC_MESSAGE);
            mtp_result::Internal
        }
    }
}

/// Run an infallible export body, returning `fallback` if it panics.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    // AssertUnwindSafe: as in `boundary`.
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn a_panic_becomes_internal_with_a_message() {
        let r = boundary(|| panic!("boom"));
        assert_eq!(r, mtp_result::Internal);
        // SAFETY: the getter returns a valid NUL-terminated string that lives
        // until the next call on this thread.
        let msg = unsafe { CStr::from_ptr(last_error::mtp_last_error_message()) };
        assert!(msg.to_str().unwrap().contains("panic"), "{msg:?}");
        assert_eq!(guard_value(7, || panic!("boom")), 7);
    }

    #[test]
    fn success_clears_the_message() {
        assert_eq!(
            boundary(|| Err(Failure::null("x"))),
            mtp_result::NullPointer
        );
        assert_eq!(boundary(|| Ok(())), mtp_result::Ok);
        // SAFETY: as above.
        let msg = unsafe { CStr::from_ptr(last_error::mtp_last_error_message()) };
        assert_eq!(msg, c"");
    }
}
