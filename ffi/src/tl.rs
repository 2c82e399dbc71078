//! [`mtp_tl_codec`]: the dynamic TL codec (core `tl::dynamic::Codec`) between
//! TL bytes and JSON text, for any schema loaded at run time.
//!
//! Text inputs (schema, JSON, type names) are `const char *` plus a `size_t`
//! length in bytes, UTF-8, not NUL-terminated (a terminating NUL is simply
//! not counted in the length). Byte outputs (`encode*`) use the caller-buffer
//! protocol of every byte output; text outputs (`decode*`, `result_type`) are
//! new library-owned NUL-terminated strings released with `mtp_string_free`,
//! because their size is not known before decoding.

use std::ffi::c_char;

use mtproto_core::tl::dynamic::Codec;
use serde_json::Value;

use crate::buffers::{input, output, output_string, reset_string_out, text};
use crate::panic::{boundary, guard_value};
use crate::result::{Failure, mtp_result};

/// A TL codec for one schema: encodes JSON text to TL bytes and decodes TL
/// bytes to JSON text.
///
/// The JSON form is the same in every language binding: a constructor or
/// function is an object whose `"_"` is its name (`"messages.getHistory"`),
/// followed by its fields by name; `int` is a number; `long` a decimal
/// string (`"-42"`; numbers are accepted on input); `double` a number;
/// `int128`/`int256` lowercase hex in wire order; `string` a string; `bytes`
/// base64 (standard alphabet, padded); `Bool` `true`/`false`; a set
/// `flags.N?true` is `true`, an unset flag field is absent; vectors are
/// arrays; flags words (`#`) are computed and omitted when decoding.
/// `gzip_packed` met where a boxed value is expected is inflated (up to
/// 16 MiB) and decoded in place.
///
/// Opaque: create it with `mtp_tl_codec_new` or `mtp_tl_codec_new_mtproto`,
/// release it with `mtp_tl_codec_free`. A codec is immutable, so it may be
/// used from several threads at once.
pub struct mtp_tl_codec {
    codec: Codec,
}

// A handle is shared between threads as documented above.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<mtp_tl_codec>();
};

/// The codec behind a handle, or `NullPointer`.
///
/// # Safety
/// Unless NULL, `codec` must come from `mtp_tl_codec_new*` and not be freed
/// yet.
unsafe fn borrow<'a>(codec: *const mtp_tl_codec) -> Result<&'a Codec, Failure> {
    // SAFETY: the caller guarantees codec is NULL or a live handle from
    // mtp_tl_codec_new* (a Box<mtp_tl_codec>), which is never mutated.
    unsafe { codec.as_ref() }
        .map(|c| &c.codec)
        .ok_or_else(|| Failure::null("codec"))
}

/// Parse the JSON text `(ptr, len)`. Text that is not JSON (or not UTF-8)
/// is `InvalidArgument`.
///
/// # Safety
/// As for [`input`].
unsafe fn json_arg(ptr: *const c_char, len: usize, what: &str) -> Result<Value, Failure> {
    // SAFETY: the caller's guarantee is input's; c_char and u8 have the same
    // size and alignment, and any byte is a valid u8.
    let bytes = unsafe { input(ptr.cast::<u8>(), len, what) }?;
    serde_json::from_slice(bytes)
        .map_err(|e| Failure::invalid(format!("`{what}` is not valid JSON text: {e}")))
}

/// A decoded value as compact JSON text.
fn json_text(value: &Value) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| Failure {
        code: mtp_result::Internal,
        message: format!("internal error: a decoded value does not serialize to JSON: {e}"),
    })
}

/// Check the caller-buffer out-length before any work is done.
fn check_out_len(out_len: *mut usize) -> Result<(), Failure> {
    if out_len.is_null() {
        Err(Failure::null("out_len"))
    } else {
        Ok(())
    }
}

/// Hand a new codec to the caller through `out` (checked non-NULL).
///
/// # Safety
/// `out` must point to a writable `mtp_tl_codec *`.
unsafe fn give(codec: Codec, out: *mut *mut mtp_tl_codec) {
    let handle = Box::into_raw(Box::new(mtp_tl_codec { codec }));
    // SAFETY: the caller guarantees out is non-NULL and writable.
    unsafe { out.write(handle) };
}

/// Check a handle out-pointer and set `*out` to NULL.
///
/// # Safety
/// Unless NULL, `out` must point to a writable `mtp_tl_codec *`.
unsafe fn reset_handle_out(out: *mut *mut mtp_tl_codec) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null("out"));
    }
    // SAFETY: out is non-NULL and the caller guarantees it is writable.
    unsafe { out.write(std::ptr::null_mut()) };
    Ok(())
}

/// Create a codec for the TL schema text `(schema, schema_len)` (UTF-8, as
/// Telegram publishes `api.tl`: `---functions---` sections, `// LAYER N`,
/// comments). Explicit constructor ids are used as written.
///
/// Errors: `MTP_RESULT_TL_SCHEMA` for a line that does not parse (the message
/// gives the line number), `MTP_RESULT_INVALID_ARGUMENT` for text that is not
/// UTF-8.
///
/// On success `*out` is a new handle the caller owns and must release with
/// `mtp_tl_codec_free`; on failure `*out` is set to NULL (if `out` is not
/// NULL). Parsing the full API schema takes on the order of 10 ms (release
/// build): create one codec and reuse it.
///
/// # Safety
/// `schema` must point to `schema_len` readable bytes (or be NULL with length
/// 0); `out` must point to a writable `mtp_tl_codec *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_new(
    schema: *const c_char,
    schema_len: usize,
    out: *mut *mut mtp_tl_codec,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees out per the contract above.
        unsafe { reset_handle_out(out) }?;
        // SAFETY: the caller guarantees (schema, schema_len) per the contract.
        let schema = unsafe { text(schema, schema_len, "schema") }?;
        let codec = Codec::from_schema_text(schema)?;
        // SAFETY: out was checked non-NULL above and is writable.
        unsafe { give(codec, out) };
        Ok(())
    })
}

/// Create a codec for the built-in MTProto service schema (the key exchange
/// and service messages: `resPQ`, `req_pq_multi`, `rpc_result`,
/// `msgs_ack`, `ping`, ...), every id of which is verified.
///
/// On success `*out` is a new handle the caller owns and must release with
/// `mtp_tl_codec_free`; on failure `*out` is set to NULL (if `out` is not
/// NULL).
///
/// # Safety
/// `out` must point to a writable `mtp_tl_codec *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_new_mtproto(out: *mut *mut mtp_tl_codec) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees out per the contract above.
        unsafe { reset_handle_out(out) }?;
        let codec = Codec::mtproto()?;
        // SAFETY: out was checked non-NULL above and is writable.
        unsafe { give(codec, out) };
        Ok(())
    })
}

/// Release a handle from `mtp_tl_codec_new` or `mtp_tl_codec_new_mtproto`.
/// NULL is accepted and ignored. The handle must not be used afterwards.
///
/// # Safety
/// `codec` must be NULL or a handle from `mtp_tl_codec_new*` not freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_free(codec: *mut mtp_tl_codec) {
    guard_value((), || {
        if !codec.is_null() {
            // SAFETY: the caller guarantees codec came from Box::into_raw in
            // mtp_tl_codec_new* and is freed only once.
            drop(unsafe { Box::from_raw(codec) });
        }
    });
}

/// Encode a constructor or function value given as JSON text
/// `(json, json_len)` (an object with `"_"`), boxed with its constructor id,
/// into `(out, *out_len)`.
///
/// Errors: `MTP_RESULT_INVALID_ARGUMENT` for text that is not JSON; the
/// codec's errors, whose message names the path of the field at fault
/// (`MTP_RESULT_TL_WRONG_TYPE` "at invokeWithLayer.query.api_id: expected
/// ...", `MTP_RESULT_TL_MISSING_FIELD`, `MTP_RESULT_TL_UNKNOWN_NAME`, ...);
/// `MTP_RESULT_BUFFER_TOO_SMALL` with the size needed in `*out_len`.
///
/// # Safety
/// `codec` must be a live handle; `json` must point to `json_len` readable
/// bytes (or be NULL with length 0); `out_len` must point to a writable
/// `size_t` holding the capacity of `out`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_encode(
    codec: *const mtp_tl_codec,
    json: *const c_char,
    json_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let codec = unsafe { borrow(codec) }?;
        check_out_len(out_len)?;
        // SAFETY: as above.
        let value = unsafe { json_arg(json, json_len, "json") }?;
        let bytes = codec.encode(&value)?;
        // SAFETY: as above.
        unsafe { output(&bytes, out, out_len, "out") }
    })
}

/// Encode the JSON text `(json, json_len)` as the TL type
/// `(type, type_len)`, e.g. `"Vector<long>"`, `"Bool"`, `"int"`,
/// `"messages.Messages"`, `"%Message"`, into `(out, *out_len)`. Boxed types
/// start with their constructor id, bare ones do not.
///
/// Errors: as `mtp_tl_codec_encode`, and `MTP_RESULT_TL_SCHEMA` or
/// `MTP_RESULT_TL_UNKNOWN_NAME` for a type that does not parse or that the
/// schema lacks.
///
/// # Safety
/// As for `mtp_tl_codec_encode`, and `type` must point to `type_len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_encode_as(
    codec: *const mtp_tl_codec,
    r#type: *const c_char,
    type_len: usize,
    json: *const c_char,
    json_len: usize,
    out: *mut u8,
    out_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        let codec = unsafe { borrow(codec) }?;
        check_out_len(out_len)?;
        // SAFETY: as above.
        let ty = unsafe { text(r#type, type_len, "type") }?;
        // SAFETY: as above.
        let value = unsafe { json_arg(json, json_len, "json") }?;
        let bytes = codec.encode_as(ty, &value)?;
        // SAFETY: as above.
        unsafe { output(&bytes, out, out_len, "out") }
    })
}

/// Decode one boxed constructor or function spanning all of
/// `(bytes, bytes_len)` to JSON text.
///
/// On success `*out_json` is a new NUL-terminated UTF-8 string (compact JSON,
/// fields in schema order) that the caller owns and must release with
/// `mtp_string_free`, and `*out_json_len` (unless `out_json_len` is NULL)
/// its length in bytes without the NUL. On failure `*out_json` is set to NULL
/// and `*out_json_len` is unchanged.
///
/// Errors: `MTP_RESULT_TL_UNEXPECTED_EOF` for truncated bytes,
/// `MTP_RESULT_TL_UNKNOWN_CONSTRUCTOR`, `MTP_RESULT_TL_TRAILING_BYTES`, and
/// the other TL and gzip codes; the message names the path of the field at
/// fault.
///
/// # Safety
/// `codec` must be a live handle; `bytes` must point to `bytes_len` readable
/// bytes (or be NULL with length 0); `out_json` must point to a writable
/// `char *`; `out_json_len` must be NULL or point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_decode(
    codec: *const mtp_tl_codec,
    bytes: *const u8,
    bytes_len: usize,
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        unsafe { reset_string_out(out_json, "out_json") }?;
        // SAFETY: as above.
        let codec = unsafe { borrow(codec) }?;
        // SAFETY: as above.
        let bytes = unsafe { input(bytes, bytes_len, "bytes") }?;
        let value = codec.decode(bytes)?;
        // SAFETY: as above.
        unsafe { output_string(json_text(&value)?, out_json, out_json_len, "out_json") }
    })
}

/// Decode `(bytes, bytes_len)` as the TL type `(type, type_len)` (see
/// `mtp_tl_codec_encode_as`) to JSON text; the output is as for
/// `mtp_tl_codec_decode` (a string to release with `mtp_string_free`). The
/// JSON may be any value: `[..]` for a vector, `true` for a `Bool`.
///
/// # Safety
/// As for `mtp_tl_codec_decode`, and `type` must point to `type_len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_decode_as(
    codec: *const mtp_tl_codec,
    r#type: *const c_char,
    type_len: usize,
    bytes: *const u8,
    bytes_len: usize,
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        unsafe { reset_string_out(out_json, "out_json") }?;
        // SAFETY: as above.
        let codec = unsafe { borrow(codec) }?;
        // SAFETY: as above.
        let ty = unsafe { text(r#type, type_len, "type") }?;
        // SAFETY: as above.
        let bytes = unsafe { input(bytes, bytes_len, "bytes") }?;
        let value = codec.decode_as(ty, bytes)?;
        // SAFETY: as above.
        unsafe { output_string(json_text(&value)?, out_json, out_json_len, "out_json") }
    })
}

/// The TL type a function call returns, with generic wrappers resolved: for
/// the query `invokeWithLayer(initConnection(help.getConfig))` given as JSON
/// text `(query, query_len)` it is `"Config"`.
///
/// On success `*out_type` is a new NUL-terminated string that the caller
/// owns and must release with `mtp_string_free`, and `*out_type_len`
/// (unless NULL) its length without the NUL; on failure `*out_type` is set
/// to NULL.
///
/// Errors: `MTP_RESULT_INVALID_ARGUMENT` for text that is not JSON,
/// `MTP_RESULT_TL_UNKNOWN_NAME` when the query is not a function of the
/// schema, `MTP_RESULT_TL_MISSING_FIELD` when a wrapper lacks its inner
/// query.
///
/// # Safety
/// `codec` must be a live handle; `query` must point to `query_len` readable
/// bytes (or be NULL with length 0); `out_type` must point to a writable
/// `char *`; `out_type_len` must be NULL or point to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_result_type(
    codec: *const mtp_tl_codec,
    query: *const c_char,
    query_len: usize,
    out_type: *mut *mut c_char,
    out_type_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        unsafe { reset_string_out(out_type, "out_type") }?;
        // SAFETY: as above.
        let codec = unsafe { borrow(codec) }?;
        // SAFETY: as above.
        let query = unsafe { json_arg(query, query_len, "query") }?;
        let ty = codec.result_type(&query)?;
        // SAFETY: as above.
        unsafe { output_string(ty.to_string(), out_type, out_type_len, "out_type") }
    })
}

/// Decode `(bytes, bytes_len)`, the result of the function call given as
/// JSON text `(query, query_len)` (for instance the `result` of the
/// `rpc_result` answering it), as the query's result type (see
/// `mtp_tl_codec_result_type`). The output is as for `mtp_tl_codec_decode`
/// (a string to release with `mtp_string_free`).
///
/// # Safety
/// As for `mtp_tl_codec_decode`, and `query` must point to `query_len`
/// readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mtp_tl_codec_decode_result(
    codec: *const mtp_tl_codec,
    query: *const c_char,
    query_len: usize,
    bytes: *const u8,
    bytes_len: usize,
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
) -> mtp_result {
    boundary(|| {
        // SAFETY: the caller guarantees every pointer per the contract above.
        unsafe { reset_string_out(out_json, "out_json") }?;
        // SAFETY: as above.
        let codec = unsafe { borrow(codec) }?;
        // SAFETY: as above.
        let query = unsafe { json_arg(query, query_len, "query") }?;
        // SAFETY: as above.
        let bytes = unsafe { input(bytes, bytes_len, "bytes") }?;
        let value = codec.decode_result(&query, bytes)?;
        // SAFETY: as above.
        unsafe { output_string(json_text(&value)?, out_json, out_json_len, "out_json") }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::mtp_string_free;
    use std::ffi::CStr;

    /// A tiny schema (ids as written; `ping` returns `Bool` here).
    const SCHEMA: &str = "boolFalse#bc799737 = Bool;\nboolTrue#997275b5 = Bool;\n\
        ---functions---\nping#7abe77ec ping_id:long = Bool;\n";

    fn codec() -> *mut mtp_tl_codec {
        let mut c = std::ptr::null_mut();
        // SAFETY: SCHEMA outlives the call; c is a writable pointer.
        let r = unsafe { mtp_tl_codec_new(SCHEMA.as_ptr().cast(), SCHEMA.len(), &mut c) };
        assert_eq!(r, mtp_result::Ok);
        assert!(!c.is_null());
        c
    }

    fn take(s: *mut c_char) -> String {
        assert!(!s.is_null());
        // SAFETY: s is a live NUL-terminated string from the library.
        let text = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_owned();
        // SAFETY: s came from an out-parameter and is freed once.
        unsafe { mtp_string_free(s) };
        text
    }

    #[test]
    fn encode_decode_round_trip() {
        let c = codec();
        let json = r#"{"_":"ping","ping_id":"-2"}"#;
        let mut out = [0u8; 16];
        let mut len = out.len();
        // SAFETY: json and out outlive the call; len holds out's capacity.
        let r = unsafe {
            mtp_tl_codec_encode(
                c,
                json.as_ptr().cast(),
                json.len(),
                out.as_mut_ptr(),
                &mut len,
            )
        };
        assert_eq!(r, mtp_result::Ok);
        assert_eq!(
            &out[..len],
            &[
                0xec, 0x77, 0xbe, 0x7a, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
            ]
        );
        let mut s = std::ptr::null_mut();
        let mut s_len = 0usize;
        // SAFETY: out holds len bytes; s and s_len are writable.
        let r = unsafe { mtp_tl_codec_decode(c, out.as_ptr(), len, &mut s, &mut s_len) };
        assert_eq!(r, mtp_result::Ok);
        let text = take(s);
        assert_eq!((text.as_str(), s_len), (json, json.len()));
        // SAFETY: the query outlives the call; s is writable.
        let r = unsafe {
            mtp_tl_codec_result_type(
                c,
                json.as_ptr().cast(),
                json.len(),
                &mut s,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(r, mtp_result::Ok);
        assert_eq!(take(s), "Bool");
        // SAFETY: c is a live handle, freed once.
        unsafe { mtp_tl_codec_free(c) };
    }

    #[test]
    fn failures_reset_the_outputs_and_keep_codes() {
        let c = codec();
        let mut s: *mut c_char = std::ptr::NonNull::dangling().as_ptr();
        let mut s_len = 77usize;
        let truncated = [0xecu8, 0x77, 0xbe];
        // SAFETY: truncated outlives the call; s and s_len are writable.
        let r = unsafe { mtp_tl_codec_decode(c, truncated.as_ptr(), 3, &mut s, &mut s_len) };
        assert_eq!(r, mtp_result::TlUnexpectedEof);
        assert!(s.is_null());
        assert_eq!(s_len, 77);
        let bad = "{";
        let mut len = 0usize;
        // SAFETY: bad outlives the call; out NULL with capacity 0.
        let r = unsafe {
            mtp_tl_codec_encode(c, bad.as_ptr().cast(), 1, std::ptr::null_mut(), &mut len)
        };
        assert_eq!(r, mtp_result::InvalidArgument);
        let mut h: *mut mtp_tl_codec = std::ptr::NonNull::dangling().as_ptr();
        let schema = "nonsense";
        // SAFETY: schema outlives the call; h is writable.
        let r = unsafe { mtp_tl_codec_new(schema.as_ptr().cast(), schema.len(), &mut h) };
        assert_eq!(r, mtp_result::TlSchema);
        assert!(h.is_null());
        // SAFETY: NULL handles are accepted; c is freed once.
        unsafe {
            mtp_tl_codec_free(std::ptr::null_mut());
            mtp_string_free(std::ptr::null_mut());
            mtp_tl_codec_free(c);
        }
    }

    #[test]
    fn the_mtproto_schema_loads() {
        let mut h = std::ptr::null_mut();
        // SAFETY: h is writable.
        assert_eq!(unsafe { mtp_tl_codec_new_mtproto(&mut h) }, mtp_result::Ok);
        // SAFETY: h is a live handle, freed once.
        unsafe { mtp_tl_codec_free(h) };
    }
}
