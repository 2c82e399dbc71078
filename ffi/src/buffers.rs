//! Borrowing caller memory: input slices and text, in/out-length output
//! buffers, record out-pointers and library-owned output strings, with the
//! NULL and size checks of the crate docs.

use std::ffi::{CString, c_char};

use crate::result::Failure;

/// Borrow the caller's input bytes `(ptr, len)` for the duration of a call.
/// NULL is accepted when `len` is 0.
///
/// # Safety
/// Unless NULL, `ptr` must point to `len` readable bytes that stay valid and
/// unmodified until the export returns.
pub(crate) unsafe fn input<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    if isize::try_from(len).is_err() {
        return Err(Failure::invalid(format!(
            "`{what}_len` ({len}) exceeds the address space"
        )));
    }
    // SAFETY: ptr is non-NULL, len fits in isize, and the caller guarantees
    // `len` readable bytes that outlive the call (documented on every export);
    // u8 has no alignment or validity requirements.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrow the caller's input text `(ptr, len)` (not NUL-terminated; a NUL
/// inside is an ordinary character) as UTF-8 for the duration of a call.
/// NULL is accepted when `len` is 0 (the empty string).
///
/// # Safety
/// As for [`input`].
pub(crate) unsafe fn text<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, Failure> {
    // SAFETY: the caller's guarantee is input's; c_char and u8 have the same
    // size and alignment, and any byte is a valid u8.
    let bytes = unsafe { input(ptr.cast::<u8>(), len, what) }?;
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::invalid(format!(
            "`{what}` is not valid UTF-8 (at byte {})",
            e.valid_up_to()
        ))
    })
}

/// Check a string out-pointer before any work is done and set `*out` to
/// NULL, so that it is NULL on every failure.
///
/// # Safety
/// Unless NULL, `out` must point to a writable `char *`.
pub(crate) unsafe fn reset_string_out(out: *mut *mut c_char, what: &str) -> Result<(), Failure> {
    check_out(out, what)?;
    // SAFETY: out is non-NULL and the caller guarantees it is writable.
    unsafe { out.write(std::ptr::null_mut()) };
    Ok(())
}

/// Hand `text` to the caller as a new library-owned NUL-terminated string in
/// `*out` (released with `mtp_string_free`), and its length without the NUL
/// in `*out_len` unless `out_len` is NULL.
///
/// # Safety
/// `out` must be non-NULL and point to a writable `char *` (checked by
/// [`reset_string_out`] first); unless NULL, `out_len` must point to a
/// writable `size_t`.
pub(crate) unsafe fn output_string(
    text: String,
    out: *mut *mut c_char,
    out_len: *mut usize,
    what: &str,
) -> Result<(), Failure> {
    check_out(out, what)?;
    let len = text.len();
    let text = CString::new(text).map_err(|e| Failure {
        code: crate::result::mtp_result::Internal,
        message: format!(
            "internal error: `{what}` would contain a NUL byte at {}",
            e.nul_position()
        ),
    })?;
    if !out_len.is_null() {
        // SAFETY: out_len is non-NULL and the caller guarantees it writable.
        unsafe { out_len.write(len) };
    }
    // SAFETY: out is non-NULL and the caller guarantees it writable; the
    // string's ownership passes to the caller, who returns it through
    // mtp_string_free (CString::from_raw).
    unsafe { out.write(text.into_raw()) };
    Ok(())
}

/// Like [`output_string`] for secret text (a private key's PEM): copied
/// once into an allocation of exactly the right size, so that no stray copy
/// is left behind by a reallocation; the caller wipes `text` itself.
/// `mtp_string_free` wipes the caller's copy.
///
/// # Safety
/// As for [`output_string`].
pub(crate) unsafe fn output_secret_string(
    text: &str,
    out: *mut *mut c_char,
    out_len: *mut usize,
    what: &str,
) -> Result<(), Failure> {
    let mut owned = String::with_capacity(text.len() + 1);
    owned.push_str(text);
    // CString::new appends the NUL without reallocating: the capacity holds
    // it. (A NUL inside, impossible in PEM, is an Internal failure.)
    // SAFETY: passed on from the caller.
    unsafe { output_string(owned, out, out_len, what) }
}

/// Copy `bytes` into the caller's buffer `(out, *out_len)` and set `*out_len`
/// to the number written. If the capacity `*out_len` is too small, only
/// `*out_len` is written (the size needed) and `BufferTooSmall` returned.
///
/// # Safety
/// `out_len` must be NULL or point to a writable `size_t`; unless NULL, `out`
/// must point to `*out_len` writable bytes.
pub(crate) unsafe fn output(
    bytes: &[u8],
    out: *mut u8,
    out_len: *mut usize,
    what: &str,
) -> Result<(), Failure> {
    if out_len.is_null() {
        return Err(Failure::null(&format!("{what}_len")));
    }
    // SAFETY: out_len is non-NULL and the caller guarantees it points to a
    // readable and writable size_t.
    let capacity = unsafe { out_len.read() };
    if capacity < bytes.len() {
        // SAFETY: as above.
        unsafe { out_len.write(bytes.len()) };
        return Err(Failure::too_small(what, capacity, bytes.len()));
    }
    if !bytes.is_empty() {
        if out.is_null() {
            return Err(Failure::null(what));
        }
        // SAFETY: out is non-NULL and the caller guarantees `capacity` writable
        // bytes, at least bytes.len(); `bytes` is library-owned memory, so the
        // ranges do not overlap.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out, bytes.len()) };
    }
    // SAFETY: as for the read above.
    unsafe { out_len.write(bytes.len()) };
    Ok(())
}

/// Check a record out-pointer before any work is done.
pub(crate) fn check_out<T>(out: *mut T, what: &str) -> Result<(), Failure> {
    if out.is_null() {
        Err(Failure::null(what))
    } else {
        Ok(())
    }
}

/// Write a record through the caller's out-pointer.
///
/// # Safety
/// Unless NULL, `out` must point to writable, suitably aligned memory for a `T`.
pub(crate) unsafe fn write_record<T>(out: *mut T, value: T, what: &str) -> Result<(), Failure> {
    check_out(out, what)?;
    // SAFETY: out is non-NULL, and the caller guarantees it is writable and
    // aligned for T. `write` does not drop the (uninitialised) old value.
    unsafe { out.write(value) };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::mtp_result;

    #[test]
    fn input_rules() {
        // SAFETY: NULL with length 0 is the documented empty input.
        assert_eq!(
            unsafe { input(std::ptr::null(), 0, "x") }.unwrap(),
            &[] as &[u8]
        );
        // SAFETY: NULL is rejected before any read.
        let err = unsafe { input(std::ptr::null(), 1, "x") }.unwrap_err();
        assert_eq!(err.code, mtp_result::NullPointer);
        let data = [1u8, 2, 3];
        // SAFETY: data holds 3 bytes for the whole call.
        assert_eq!(unsafe { input(data.as_ptr(), 3, "x") }.unwrap(), &data);
    }

    #[test]
    fn output_rules() {
        let mut buf = [0u8; 4];
        let mut len = 2usize;
        // SAFETY: buf holds 4 >= len bytes; len is a valid size_t.
        let err = unsafe { output(&[9, 9, 9], buf.as_mut_ptr(), &mut len, "out") }.unwrap_err();
        assert_eq!(
            (err.code, len, buf),
            (mtp_result::BufferTooSmall, 3, [0; 4])
        );
        len = 0;
        // SAFETY: size query: out NULL with capacity 0.
        let err = unsafe { output(&[9, 9, 9], std::ptr::null_mut(), &mut len, "out") }.unwrap_err();
        assert_eq!((err.code, len), (mtp_result::BufferTooSmall, 3));
        len = 4;
        // SAFETY: as above.
        unsafe { output(&[9, 9, 9], buf.as_mut_ptr(), &mut len, "out") }.unwrap();
        assert_eq!((len, buf), (3, [9, 9, 9, 0]));
        // SAFETY: NULL out_len is rejected before any access.
        let err =
            unsafe { output(&[1], buf.as_mut_ptr(), std::ptr::null_mut(), "out") }.unwrap_err();
        assert_eq!(err.code, mtp_result::NullPointer);
        // SAFETY: out NULL with a non-zero capacity is rejected before writing.
        let err = unsafe { output(&[1], std::ptr::null_mut(), &mut len, "out") }.unwrap_err();
        assert_eq!(err.code, mtp_result::NullPointer);
    }
}
