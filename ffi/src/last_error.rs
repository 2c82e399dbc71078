//! The thread-local message of the last failed call, so that C callers get
//! the same "expected ..., got ..." text as the other bindings.

use std::cell::RefCell;
use std::ffi::{CString, c_char};

use crate::panic::guard_value;

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

/// Record `message` as the calling thread's last error.
pub(crate) fn set(message: &str) {
    // A NUL inside would end the C string early; core messages have none, but
    // never fail on it.
    let message = CString::new(message.replace('\0', "?")).ok();
    store(message);
}

/// Forget the calling thread's last error (after a successful call).
pub(crate) fn clear() {
    store(None);
}

fn store(message: Option<CString>) {
    // try_with/try_borrow_mut: during thread teardown, or re-entrantly, the
    // message is simply not updated rather than panicking.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = message;
        }
    });
}

/// Why the last fallible `mtp_*` call (one returning `mtp_result`) on the
/// calling thread failed, as a NUL-terminated UTF-8 string, e.g.
/// `"expected a 256-byte auth key, got 255 bytes"`; the empty string when that
/// call returned `MTP_RESULT_OK` or no call was made yet.
///
/// Never NULL. The string is owned by the library: do not free it. It stays
/// valid until the next `mtp_*` call on the same thread (copy it to keep it).
/// Each thread has its own message.
#[unsafe(no_mangle)]
pub extern "C" fn mtp_last_error_message() -> *const c_char {
    guard_value(c"".as_ptr(), || {
        LAST_ERROR
            .try_with(|slot| {
                slot.try_borrow()
                    .ok()
                    .and_then(|s| s.as_ref().map(|c| c.as_ptr()))
            })
            .ok()
            .flatten()
            .unwrap_or(c"".as_ptr())
    })
}
