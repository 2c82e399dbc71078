/*
 * test_errors.c: result codes and messages through the C API: wrong lengths,
 * NULL pointers, small buffers (with the size needed reported), invalid
 * arguments, names of codes, and the per-thread last error message.
 */
#include <threads.h>

#include "check.h"

/* The last error message contains `needle`. */
static int message_has(const char *needle) {
    const char *m = mtp_last_error_message();
    return m != NULL && strstr(m, needle) != NULL;
}

#define CHECK_MSG(needle, ctx) CHECK(message_has(needle), ctxf("%s: message \"%s\" has \"%s\"", (ctx), mtp_last_error_message(), (needle)))

static void result_names(void) {
    struct {
        mtp_result code;
        unsigned number;
        const char *name;
    } all[] = {
        {MTP_RESULT_OK, 0, "MTP_RESULT_OK"},
        {MTP_RESULT_INVALID_ARGUMENT, 1, "MTP_RESULT_INVALID_ARGUMENT"},
        {MTP_RESULT_INTERNAL, 2, "MTP_RESULT_INTERNAL"},
        {MTP_RESULT_BUFFER_TOO_SMALL, 3, "MTP_RESULT_BUFFER_TOO_SMALL"},
        {MTP_RESULT_NULL_POINTER, 4, "MTP_RESULT_NULL_POINTER"},
        {MTP_RESULT_IGE_LENGTH, 100, "MTP_RESULT_IGE_LENGTH"},
        {MTP_RESULT_INVALID_LENGTH, 101, "MTP_RESULT_INVALID_LENGTH"},
        {MTP_RESULT_RANDOM_UNAVAILABLE, 102, "MTP_RESULT_RANDOM_UNAVAILABLE"},
        {MTP_RESULT_ENVELOPE_REJECTED, 200, "MTP_RESULT_ENVELOPE_REJECTED"},
        {MTP_RESULT_ENVELOPE_MALFORMED, 201, "MTP_RESULT_ENVELOPE_MALFORMED"},
        {MTP_RESULT_INVALID_PADDING, 202, "MTP_RESULT_INVALID_PADDING"},
        {MTP_RESULT_BODY_NOT_ALIGNED, 203, "MTP_RESULT_BODY_NOT_ALIGNED"},
        {MTP_RESULT_MESSAGE_TOO_LARGE, 204, "MTP_RESULT_MESSAGE_TOO_LARGE"},
        {MTP_RESULT_TL_UNEXPECTED_EOF, 300, "MTP_RESULT_TL_UNEXPECTED_EOF"},
        {MTP_RESULT_TL_UNKNOWN_CONSTRUCTOR, 301, "MTP_RESULT_TL_UNKNOWN_CONSTRUCTOR"},
        {MTP_RESULT_TL_TRAILING_BYTES, 302, "MTP_RESULT_TL_TRAILING_BYTES"},
        {MTP_RESULT_TL_INVALID_LENGTH, 303, "MTP_RESULT_TL_INVALID_LENGTH"},
        {MTP_RESULT_TL_NON_ZERO_PADDING, 304, "MTP_RESULT_TL_NON_ZERO_PADDING"},
        {MTP_RESULT_TL_INVALID_UTF8, 305, "MTP_RESULT_TL_INVALID_UTF8"},
        {MTP_RESULT_TL_VECTOR_TOO_LONG, 306, "MTP_RESULT_TL_VECTOR_TOO_LONG"},
        {MTP_RESULT_TL_TOO_DEEP, 307, "MTP_RESULT_TL_TOO_DEEP"},
        {MTP_RESULT_TL_SCHEMA, 308, "MTP_RESULT_TL_SCHEMA"},
        {MTP_RESULT_TL_ID_MISMATCH, 309, "MTP_RESULT_TL_ID_MISMATCH"},
        {MTP_RESULT_TL_WRONG_TYPE, 310, "MTP_RESULT_TL_WRONG_TYPE"},
        {MTP_RESULT_TL_MISSING_FIELD, 311, "MTP_RESULT_TL_MISSING_FIELD"},
        {MTP_RESULT_TL_UNKNOWN_NAME, 312, "MTP_RESULT_TL_UNKNOWN_NAME"},
        {MTP_RESULT_GZIP_TOO_LARGE, 313, "MTP_RESULT_GZIP_TOO_LARGE"},
        {MTP_RESULT_GZIP_CORRUPT, 314, "MTP_RESULT_GZIP_CORRUPT"},
        {MTP_RESULT_GZIP_TRAILING_DATA, 315, "MTP_RESULT_GZIP_TRAILING_DATA"},
        {MTP_RESULT_GZIP_ALLOCATION_FAILED, 316, "MTP_RESULT_GZIP_ALLOCATION_FAILED"},
        {MTP_RESULT_AUTH_UNEXPECTED_MESSAGE, 400, "MTP_RESULT_AUTH_UNEXPECTED_MESSAGE"},
        {MTP_RESULT_AUTH_OUT_OF_ORDER, 401, "MTP_RESULT_AUTH_OUT_OF_ORDER"},
        {MTP_RESULT_AUTH_NONCE_MISMATCH, 402, "MTP_RESULT_AUTH_NONCE_MISMATCH"},
        {MTP_RESULT_AUTH_SERVER_NONCE_MISMATCH, 403, "MTP_RESULT_AUTH_SERVER_NONCE_MISMATCH"},
        {MTP_RESULT_AUTH_UNKNOWN_FINGERPRINT, 404, "MTP_RESULT_AUTH_UNKNOWN_FINGERPRINT"},
        {MTP_RESULT_AUTH_INVALID_PQ, 405, "MTP_RESULT_AUTH_INVALID_PQ"},
        {MTP_RESULT_AUTH_ANSWER_HASH_MISMATCH, 406, "MTP_RESULT_AUTH_ANSWER_HASH_MISMATCH"},
        {MTP_RESULT_AUTH_INVALID_DH_PRIME, 407, "MTP_RESULT_AUTH_INVALID_DH_PRIME"},
        {MTP_RESULT_AUTH_INVALID_GENERATOR, 408, "MTP_RESULT_AUTH_INVALID_GENERATOR"},
        {MTP_RESULT_AUTH_DH_VALUE_OUT_OF_RANGE, 409, "MTP_RESULT_AUTH_DH_VALUE_OUT_OF_RANGE"},
        {MTP_RESULT_AUTH_NEW_NONCE_HASH_MISMATCH, 410, "MTP_RESULT_AUTH_NEW_NONCE_HASH_MISMATCH"},
        {MTP_RESULT_AUTH_SERVER_DH_PARAMS_FAIL, 411, "MTP_RESULT_AUTH_SERVER_DH_PARAMS_FAIL"},
        {MTP_RESULT_AUTH_DH_GEN_FAIL, 412, "MTP_RESULT_AUTH_DH_GEN_FAIL"},
        {MTP_RESULT_AUTH_TOO_MANY_RETRIES, 413, "MTP_RESULT_AUTH_TOO_MANY_RETRIES"},
        {MTP_RESULT_AUTH_INVALID_RSA_KEY, 414, "MTP_RESULT_AUTH_INVALID_RSA_KEY"},
        {MTP_RESULT_AUTH_RSA_DECRYPT_FAILED, 415, "MTP_RESULT_AUTH_RSA_DECRYPT_FAILED"},
        {MTP_RESULT_AUTH_INVALID_INNER_DATA, 416, "MTP_RESULT_AUTH_INVALID_INNER_DATA"},
        {MTP_RESULT_AUTH_INVALID_BINDING, 417, "MTP_RESULT_AUTH_INVALID_BINDING"},
        {MTP_RESULT_AUTH_UNKNOWN_KEY, 418, "MTP_RESULT_AUTH_UNKNOWN_KEY"},
        {MTP_RESULT_TRANSPORT_BUFFER_FULL, 600, "MTP_RESULT_TRANSPORT_BUFFER_FULL"},
        {MTP_RESULT_TRANSPORT_FRAME_TOO_LARGE, 601, "MTP_RESULT_TRANSPORT_FRAME_TOO_LARGE"},
        {MTP_RESULT_TRANSPORT_INVALID_FRAME, 602, "MTP_RESULT_TRANSPORT_INVALID_FRAME"},
        {MTP_RESULT_TRANSPORT_BAD_SEQUENCE, 603, "MTP_RESULT_TRANSPORT_BAD_SEQUENCE"},
        {MTP_RESULT_TRANSPORT_BAD_CRC, 604, "MTP_RESULT_TRANSPORT_BAD_CRC"},
        {MTP_RESULT_TRANSPORT_UNKNOWN_PROTOCOL, 605, "MTP_RESULT_TRANSPORT_UNKNOWN_PROTOCOL"},
        {MTP_RESULT_TRANSPORT_OBFUSCATION, 606, "MTP_RESULT_TRANSPORT_OBFUSCATION"},
        {MTP_RESULT_TRANSPORT_FAKE_TLS, 607, "MTP_RESULT_TRANSPORT_FAKE_TLS"},
        {MTP_RESULT_TRANSPORT_HTTP, 608, "MTP_RESULT_TRANSPORT_HTTP"},
        {MTP_RESULT_TRANSPORT_HTTP_STATUS, 609, "MTP_RESULT_TRANSPORT_HTTP_STATUS"},
        {MTP_RESULT_TRANSPORT_INVALID_SECRET, 610, "MTP_RESULT_TRANSPORT_INVALID_SECRET"},
        {MTP_RESULT_TRANSPORT_INVALID_STATE, 611, "MTP_RESULT_TRANSPORT_INVALID_STATE"},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        CHECK((unsigned)all[i].code == all[i].number, all[i].name);
        CHECK(strcmp(mtp_result_name(all[i].code), all[i].name) == 0, all[i].name);
    }
    CHECK(strcmp(mtp_result_name(5), "MTP_RESULT_UNKNOWN") == 0, "unknown code 5");
    CHECK(strcmp(mtp_result_name(317), "MTP_RESULT_UNKNOWN") == 0, "unknown code 317");
    CHECK(strcmp(mtp_result_name(399), "MTP_RESULT_UNKNOWN") == 0, "unknown code 399");
    CHECK(strcmp(mtp_result_name(419), "MTP_RESULT_UNKNOWN") == 0, "unknown code 419");
    CHECK(strcmp(mtp_result_name(599), "MTP_RESULT_UNKNOWN") == 0, "unknown code 599");
    CHECK(strcmp(mtp_result_name(612), "MTP_RESULT_UNKNOWN") == 0, "unknown code 612");
    CHECK(strcmp(mtp_result_name(0xFFFFFFFFu), "MTP_RESULT_UNKNOWN") == 0, "unknown code max");
}

static void auth_key_errors(void) {
    uint8_t bytes[MTP_AUTH_KEY_LEN + 1];
    fill_pattern(bytes, sizeof bytes, 3);
    mtp_auth_key *key = (mtp_auth_key *)(uintptr_t)1; /* must be reset to NULL on failure */

    CHECK_RC(mtp_auth_key_new(bytes, 255, &key), MTP_RESULT_INVALID_LENGTH, "auth key 255 bytes");
    CHECK(key == NULL, "auth key 255 bytes: *out = NULL");
    CHECK_MSG("256", "auth key 255 bytes");
    CHECK_MSG("255", "auth key 255 bytes");
    CHECK_RC(mtp_auth_key_new(bytes, 257, &key), MTP_RESULT_INVALID_LENGTH, "auth key 257 bytes");
    CHECK_RC(mtp_auth_key_new(NULL, 0, &key), MTP_RESULT_INVALID_LENGTH, "auth key NULL, 0");
    CHECK_RC(mtp_auth_key_new(NULL, 256, &key), MTP_RESULT_NULL_POINTER, "auth key NULL, 256");
    CHECK_MSG("bytes", "auth key NULL, 256");
    CHECK_RC(mtp_auth_key_new(bytes, 256, NULL), MTP_RESULT_NULL_POINTER, "auth key out NULL");

    mtp_auth_key_free(NULL); /* NULL-safe */
    CHECK(1, "mtp_auth_key_free(NULL) returns");

    CHECK_RC(mtp_auth_key_new(bytes, 256, &key), MTP_RESULT_OK, "auth key");
    CHECK(strcmp(mtp_last_error_message(), "") == 0, "success clears the last error");
    uint64_t id = 0;
    CHECK_RC(mtp_auth_key_id(NULL, &id), MTP_RESULT_NULL_POINTER, "id of NULL");
    CHECK_MSG("auth_key", "id of NULL");
    CHECK_RC(mtp_auth_key_id(key, NULL), MTP_RESULT_NULL_POINTER, "id into NULL");

    /* In/out lengths: too small reports the size, nothing else is written. */
    uint8_t out[16];
    memset(out, 0xEE, sizeof out);
    size_t out_len = 7;
    CHECK_RC(mtp_auth_key_id_wire(key, out, &out_len), MTP_RESULT_BUFFER_TOO_SMALL, "id_wire 7");
    CHECK(out_len == 8, "id_wire 7: 8 needed");
    CHECK(out[0] == 0xEE && out[6] == 0xEE, "id_wire 7: buffer untouched");
    CHECK_MSG("8", "id_wire 7");
    out_len = 0;
    CHECK_RC(mtp_auth_key_aux_hash(key, NULL, &out_len), MTP_RESULT_BUFFER_TOO_SMALL,
             "aux_hash size query");
    CHECK(out_len == 8, "aux_hash size query: 8");
    CHECK_RC(mtp_auth_key_aux_hash(key, out, NULL), MTP_RESULT_NULL_POINTER, "aux_hash out_len NULL");
    out_len = 8;
    CHECK_RC(mtp_auth_key_aux_hash(key, NULL, &out_len), MTP_RESULT_NULL_POINTER, "aux_hash out NULL");
    CHECK(out_len == 8, "aux_hash out NULL: length unchanged");
    out_len = sizeof out;
    CHECK_RC(mtp_auth_key_id_wire(key, out, &out_len), MTP_RESULT_OK, "id_wire 16");
    CHECK(out_len == 8, "id_wire 16: 8 written");
    CHECK_RC(mtp_auth_key_id(key, &id), MTP_RESULT_OK, "id");
    uint64_t from_wire = 0;
    for (int i = 7; i >= 0; i--) from_wire = (from_wire << 8) | out[i];
    CHECK(from_wire == id, "id_wire is the id, little-endian");
    mtp_auth_key_free(key);
}

static void ige_errors(void) {
    uint8_t key[33], iv[33], data[64], out[64];
    fill_pattern(key, sizeof key, 4);
    fill_pattern(iv, sizeof iv, 5);
    fill_pattern(data, sizeof data, 6);
    size_t out_len = sizeof out;

    CHECK_RC(mtp_ige_encrypt(key, 32, iv, 32, data, 17, out, &out_len), MTP_RESULT_IGE_LENGTH,
             "ige 17 bytes");
    CHECK_MSG("17", "ige 17 bytes");
    CHECK(out_len == sizeof out, "ige 17 bytes: length unchanged");
    CHECK_RC(mtp_ige_decrypt(key, 32, iv, 32, data, 15, out, &out_len), MTP_RESULT_IGE_LENGTH,
             "ige decrypt 15 bytes");
    CHECK_RC(mtp_ige_encrypt(key, 31, iv, 32, data, 16, out, &out_len), MTP_RESULT_INVALID_LENGTH,
             "ige key 31");
    CHECK_MSG("32", "ige key 31");
    CHECK_RC(mtp_ige_encrypt(key, 32, iv, 33, data, 16, out, &out_len), MTP_RESULT_INVALID_LENGTH,
             "ige iv 33");
    CHECK_RC(mtp_ige_encrypt(NULL, 32, iv, 32, data, 16, out, &out_len), MTP_RESULT_NULL_POINTER,
             "ige key NULL");
    CHECK_RC(mtp_ige_encrypt(key, 32, iv, 32, NULL, 16, out, &out_len), MTP_RESULT_NULL_POINTER,
             "ige data NULL");
    CHECK_RC(mtp_ige_encrypt(key, 32, iv, 32, NULL, 0, NULL, &out_len), MTP_RESULT_OK,
             "ige empty with NULLs");
    CHECK(out_len == 0, "ige empty: 0 written");

    memset(out, 0xEE, sizeof out);
    out_len = 16;
    CHECK_RC(mtp_ige_encrypt(key, 32, iv, 32, data, 32, out, &out_len), MTP_RESULT_BUFFER_TOO_SMALL,
             "ige out 16 for 32");
    CHECK(out_len == 32, "ige out 16 for 32: 32 needed");
    CHECK(out[0] == 0xEE && out[15] == 0xEE, "ige out 16 for 32: untouched");
    CHECK_RC(mtp_ige_encrypt(key, 32, iv, 32, data, 32, out, &out_len), MTP_RESULT_OK,
             "ige retry with the size reported");
    CHECK_RC(mtp_ige_encrypt(key, 32, iv, 32, data, 32, out, NULL), MTP_RESULT_NULL_POINTER,
             "ige out_len NULL");
}

static void kdf_errors(void) {
    uint8_t bytes[MTP_AUTH_KEY_LEN], buf[64];
    fill_pattern(bytes, sizeof bytes, 7);
    fill_pattern(buf, sizeof buf, 8);
    mtp_auth_key *key = NULL;
    CHECK_RC(mtp_auth_key_new(bytes, sizeof bytes, &key), MTP_RESULT_OK, "kdf key");
    uint8_t mk[MTP_MSG_KEY_LEN];
    size_t mk_len = sizeof mk;
    mtp_aes_key_iv aes;

    CHECK_RC(mtp_msg_key_v2(key, 2, buf, 32, mk, &mk_len), MTP_RESULT_INVALID_ARGUMENT,
             "msg_key_v2 direction 2");
    CHECK_MSG("direction", "msg_key_v2 direction 2");
    CHECK_RC(mtp_derive_v2(key, 0xFFFFFFFFu, buf, 16, &aes), MTP_RESULT_INVALID_ARGUMENT,
             "derive_v2 direction max");
    CHECK_RC(mtp_msg_key_v2(NULL, MTP_DIRECTION_CLIENT_TO_SERVER, buf, 32, mk, &mk_len),
             MTP_RESULT_NULL_POINTER, "msg_key_v2 key NULL");
    mk_len = 15;
    CHECK_RC(mtp_msg_key_v2(key, MTP_DIRECTION_CLIENT_TO_SERVER, buf, 32, mk, &mk_len),
             MTP_RESULT_BUFFER_TOO_SMALL, "msg_key_v2 out 15");
    CHECK(mk_len == 16, "msg_key_v2 out 15: 16 needed");
    CHECK_RC(mtp_msg_key_v2(key, MTP_DIRECTION_CLIENT_TO_SERVER, NULL, 0, mk, &mk_len), MTP_RESULT_OK,
             "msg_key_v2 of empty plaintext");
    mk_len = 0;
    CHECK_RC(mtp_msg_key_v1(buf, 20, NULL, &mk_len), MTP_RESULT_BUFFER_TOO_SMALL,
             "msg_key_v1 size query");
    CHECK(mk_len == 16, "msg_key_v1 size query: 16");

    CHECK_RC(mtp_derive_v2(key, MTP_DIRECTION_CLIENT_TO_SERVER, buf, 15, &aes),
             MTP_RESULT_INVALID_LENGTH, "derive_v2 msg_key 15");
    CHECK_MSG("msg_key", "derive_v2 msg_key 15");
    CHECK_RC(mtp_derive_v1(key, MTP_DIRECTION_SERVER_TO_CLIENT, buf, 17, &aes),
             MTP_RESULT_INVALID_LENGTH, "derive_v1 msg_key 17");
    CHECK_RC(mtp_derive_v2(key, MTP_DIRECTION_CLIENT_TO_SERVER, buf, 16, NULL),
             MTP_RESULT_NULL_POINTER, "derive_v2 out NULL");
    CHECK_RC(mtp_derive_v1(NULL, MTP_DIRECTION_CLIENT_TO_SERVER, buf, 16, &aes),
             MTP_RESULT_NULL_POINTER, "derive_v1 key NULL");

    CHECK_RC(mtp_handshake_tmp_key_iv(buf, 31, buf, 16, &aes), MTP_RESULT_INVALID_LENGTH,
             "handshake new_nonce 31");
    CHECK_MSG("new_nonce", "handshake new_nonce 31");
    CHECK_RC(mtp_handshake_tmp_key_iv(buf, 32, buf, 17, &aes), MTP_RESULT_INVALID_LENGTH,
             "handshake server_nonce 17");
    CHECK_MSG("server_nonce", "handshake server_nonce 17");
    CHECK_RC(mtp_handshake_tmp_key_iv(buf, 32, buf, 16, NULL), MTP_RESULT_NULL_POINTER,
             "handshake out NULL");
    CHECK_RC(mtp_handshake_tmp_key_iv(buf, 32, buf, 16, &aes), MTP_RESULT_OK, "handshake");
    mtp_auth_key_free(key);
}

static void envelope_errors(void) {
    uint8_t bytes[MTP_AUTH_KEY_LEN], body[64], pad[1100];
    fill_pattern(bytes, sizeof bytes, 9);
    fill_pattern(body, sizeof body, 10);
    fill_pattern(pad, sizeof pad, 11);
    mtp_auth_key *key = NULL;
    CHECK_RC(mtp_auth_key_new(bytes, sizeof bytes, &key), MTP_RESULT_OK, "envelope key");
    mtp_message_header h = {.salt = 1, .session_id = 2, .msg_id = 4, .seq_no = 1};
    uint8_t wire[64 + MTP_SEAL_MAX_OVERHEAD];
    size_t wire_len = sizeof wire;
    const mtp_direction c2s = MTP_DIRECTION_CLIENT_TO_SERVER;

    CHECK_RC(mtp_seal_encrypted(key, c2s, &h, body, 3, wire, &wire_len), MTP_RESULT_BODY_NOT_ALIGNED,
             "seal body 3");
    CHECK_MSG("multiple of 4", "seal body 3");
    CHECK_RC(mtp_seal_encrypted(key, c2s, NULL, body, 4, wire, &wire_len), MTP_RESULT_NULL_POINTER,
             "seal header NULL");
    CHECK_MSG("header", "seal header NULL");
    CHECK_RC(mtp_seal_encrypted(key, 7, &h, body, 4, wire, &wire_len), MTP_RESULT_INVALID_ARGUMENT,
             "seal direction 7");
    CHECK_RC(mtp_seal_encrypted(NULL, c2s, &h, body, 4, wire, &wire_len), MTP_RESULT_NULL_POINTER,
             "seal key NULL");
    CHECK_RC(mtp_seal_encrypted(key, c2s, &h, NULL, 4, wire, &wire_len), MTP_RESULT_NULL_POINTER,
             "seal body NULL");
    CHECK(wire_len == sizeof wire, "failed seals leave *out_len unchanged");

    /* Larger than any transport frame: 2^24 bytes. */
    size_t huge = (size_t)1 << 24;
    uint8_t *big = calloc(huge, 1);
    if (CHECK(big != NULL, "calloc 16 MiB")) {
        CHECK_RC(mtp_seal_encrypted(key, c2s, &h, big, huge, wire, &wire_len),
                 MTP_RESULT_MESSAGE_TOO_LARGE, "seal 16 MiB");
        CHECK_RC(mtp_seal_plain(4, big, huge, wire, &wire_len), MTP_RESULT_MESSAGE_TOO_LARGE,
                 "seal_plain 16 MiB");
        free(big);
    }

    /* Padding: 12..=1024 bytes, aligning 32 + body + padding to 16. */
    CHECK_RC(mtp_seal_encrypted_with_padding(key, c2s, &h, body, 4, pad, 11, wire, &wire_len),
             MTP_RESULT_INVALID_PADDING, "padding 11");
    CHECK_RC(mtp_seal_encrypted_with_padding(key, c2s, &h, body, 4, pad, 13, wire, &wire_len),
             MTP_RESULT_INVALID_PADDING, "padding 13 (unaligned)");
    CHECK_RC(mtp_seal_encrypted_with_padding(key, c2s, &h, body, 4, pad, 1036, wire, &wire_len),
             MTP_RESULT_INVALID_PADDING, "padding 1036 (> 1024)");
    CHECK_RC(mtp_seal_encrypted_with_padding(key, c2s, &h, body, 4, NULL, 12, wire, &wire_len),
             MTP_RESULT_NULL_POINTER, "padding NULL");
    size_t small = 40;
    CHECK_RC(mtp_seal_encrypted_with_padding(key, c2s, &h, body, 4, pad, 12, wire, &small),
             MTP_RESULT_BUFFER_TOO_SMALL, "seal_with_padding out 40");
    CHECK(small == 24 + 32 + 4 + 12, "seal_with_padding out 40: 72 needed");
    CHECK_MSG("72", "seal_with_padding out 40");
    wire_len = sizeof wire;
    CHECK_RC(mtp_seal_encrypted_with_padding(key, c2s, &h, body, 4, pad, 12, wire, &wire_len),
             MTP_RESULT_OK, "seal_with_padding");

    /* Opening: any failure is 200; pointer checks first. */
    mtp_message_header got;
    uint8_t out[64];
    size_t out_len = sizeof out;
    CHECK_RC(mtp_open_encrypted(key, c2s, wire, 3, &got, out, &out_len), MTP_RESULT_ENVELOPE_REJECTED,
             "open 3 bytes");
    CHECK_RC(mtp_open_encrypted(key, c2s, NULL, 0, &got, out, &out_len), MTP_RESULT_ENVELOPE_REJECTED,
             "open empty");
    CHECK_RC(mtp_open_encrypted(key, c2s, wire, wire_len, NULL, out, &out_len),
             MTP_RESULT_NULL_POINTER, "open header NULL");
    CHECK_RC(mtp_open_encrypted(key, c2s, wire, wire_len, &got, out, NULL), MTP_RESULT_NULL_POINTER,
             "open body_len NULL");
    CHECK_RC(mtp_open_encrypted(key, c2s, NULL, 100, &got, out, &out_len), MTP_RESULT_NULL_POINTER,
             "open wire NULL");
    wire[30] ^= 0x80;
    CHECK_RC(mtp_open_encrypted(key, c2s, wire, wire_len, &got, out, &out_len),
             MTP_RESULT_ENVELOPE_REJECTED, "open tampered");
    CHECK_MSG("rejected", "open tampered");
    CHECK(out_len == sizeof out, "rejected open leaves *body_len unchanged");
    wire[30] ^= 0x80;
    CHECK_RC(mtp_open_encrypted(key, c2s, wire, wire_len, &got, out, &out_len), MTP_RESULT_OK,
             "open restored");
    CHECK(out_len == 4, "open restored: 4-byte body");

    /* Plain messages. */
    uint64_t id = 0;
    CHECK_RC(mtp_open_plain(body, 3, &id, out, &out_len), MTP_RESULT_ENVELOPE_MALFORMED,
             "open_plain 3 bytes");
    CHECK_MSG("20-byte header", "open_plain 3 bytes");
    uint8_t plain[28];
    size_t plain_len = sizeof plain;
    CHECK_RC(mtp_seal_plain(8, body, 8, plain, &plain_len), MTP_RESULT_OK, "seal_plain");
    plain[0] = 1;
    CHECK_RC(mtp_open_plain(plain, plain_len, &id, out, &out_len), MTP_RESULT_ENVELOPE_MALFORMED,
             "open_plain auth_key_id 1");
    plain[0] = 0;
    CHECK_RC(mtp_open_plain(plain, plain_len, NULL, out, &out_len), MTP_RESULT_NULL_POINTER,
             "open_plain msg_id NULL");
    out_len = 4;
    CHECK_RC(mtp_open_plain(plain, plain_len, &id, out, &out_len), MTP_RESULT_BUFFER_TOO_SMALL,
             "open_plain body 4 of 8");
    CHECK(out_len == 8, "open_plain body 4 of 8: 8 needed");
    plain_len = 27;
    CHECK_RC(mtp_seal_plain(8, body, 8, plain, &plain_len), MTP_RESULT_BUFFER_TOO_SMALL,
             "seal_plain out 27");
    CHECK(plain_len == 28, "seal_plain out 27: 28 needed");
    CHECK_RC(mtp_seal_plain(8, body, 6, plain, &plain_len), MTP_RESULT_BODY_NOT_ALIGNED,
             "seal_plain body 6");
    mtp_auth_key_free(key);
}

/* The last error message is per thread. */
static int other_thread(void *arg) {
    (void)arg;
    uint8_t one = 0;
    mtp_auth_key *key = NULL;
    mtp_result r = mtp_auth_key_new(&one, 1, &key);
    int ok = r == MTP_RESULT_INVALID_LENGTH && strstr(mtp_last_error_message(), "got 1 bytes") != NULL;
    return ok ? 0 : 1;
}

static void thread_local_messages(void) {
    uint8_t data[17] = {0};
    uint8_t key[32] = {0};
    size_t out_len = sizeof data;
    CHECK_RC(mtp_ige_encrypt(key, 32, key, 32, data, 17, data, &out_len), MTP_RESULT_IGE_LENGTH,
             "ige 17 on main thread");
    thrd_t t;
    int thread_rc = 1;
    if (CHECK(thrd_create(&t, other_thread, NULL) == thrd_success, "thrd_create")) {
        CHECK(thrd_join(t, &thread_rc) == thrd_success, "thrd_join");
        CHECK(thread_rc == 0, "the other thread saw its own error");
    }
    CHECK_MSG("got 17 bytes", "main thread message unchanged by the other thread");
}

int main(void) {
    CHECK(strcmp(mtp_last_error_message(), "") == 0, "no error yet: empty message");
    result_names();
    auth_key_errors();
    ige_errors();
    kdf_errors();
    envelope_errors();
    thread_local_messages();
    return check_finish();
}
