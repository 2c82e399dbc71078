/*
 * test_tl.c: the TL codec through the C API (mtp_tl_codec): every case of
 * tests/vectors/tl.json with tests/schema/api.tl or the built-in MTProto
 * schema, the required invokeWithLayer(initConnection(help.getConfig))
 * known answer, encode_as/decode_as, result_type/decode_result, gzip_packed,
 * the buffer protocol, library-owned strings, error codes with their field
 * paths, NULL arguments, and one codec shared by several threads.
 *
 * Usage: test_tl [VECTORS_DIR [SCHEMA_DIR]]
 *        (defaults: tests/vectors and tests/schema)
 *
 * Decoded JSON is compared structurally (cJSON_Compare), never as text.
 */
#include <threads.h>

#include <cjson/cJSON.h>

#include "check.h"

/* ---- helpers --------------------------------------------------------------- */

static int message_has(const char *needle) {
    const char *m = mtp_last_error_message();
    return m != NULL && strstr(m, needle) != NULL;
}

#define CHECK_MSG(needle, ctx)                                                               \
    CHECK(message_has(needle),                                                               \
          ctxf("%s: message \"%s\" has \"%s\"", (ctx), mtp_last_error_message(), (needle)))


/*
 * Encode `json` (NUL-terminated; its length is passed, not the NUL) with
 * mtp_tl_codec_encode, or mtp_tl_codec_encode_as when `type` is not NULL,
 * through the size protocol: ask for the size with (NULL, 0), then encode
 * into a buffer of exactly that size. Returns a malloc'd buffer (non-NULL
 * even when empty) or NULL on failure, with the result in *rc.
 */
static uint8_t *encode(const mtp_tl_codec *codec, const char *type, const char *json, size_t *len,
                       mtp_result *rc) {
    size_t need = 0;
    mtp_result r = type != NULL
                       ? mtp_tl_codec_encode_as(codec, type, strlen(type), json, strlen(json), NULL,
                                                &need)
                       : mtp_tl_codec_encode(codec, json, strlen(json), NULL, &need);
    if (r == MTP_RESULT_OK && need == 0) {
        *rc = r;
        *len = 0;
        return malloc(1);
    }
    if (r != MTP_RESULT_BUFFER_TOO_SMALL) {
        *rc = r;
        return NULL;
    }
    uint8_t *out = malloc(need);
    size_t got = need;
    r = type != NULL
            ? mtp_tl_codec_encode_as(codec, type, strlen(type), json, strlen(json), out, &got)
            : mtp_tl_codec_encode(codec, json, strlen(json), out, &got);
    *rc = r;
    if (r != MTP_RESULT_OK || got != need) {
        free(out);
        return NULL;
    }
    *len = got;
    return out;
}

/* Parse `text` (library-owned, released here) and compare it with `want`.
 * Also checks the reported length against strlen. */
static void check_json_text(char *text, size_t text_len, const cJSON *want, const char *ctx) {
    if (!CHECK(text != NULL, ctxf("%s: JSON text returned", ctx))) return;
    CHECK(strlen(text) == text_len, ctxf("%s: reported length %zu == strlen", ctx, text_len));
    cJSON *got = cJSON_Parse(text);
    if (CHECK(got != NULL, ctxf("%s: decoded text parses as JSON", ctx))) {
        if (!CHECK(cJSON_Compare(got, want, 1), ctxf("%s: decoded JSON equals the expected", ctx))) {
            char *w = cJSON_PrintUnformatted(want);
            fprintf(stderr, "  got  %s\n  want %s\n", text, w != NULL ? w : "?");
            free(w);
        }
    }
    cJSON_Delete(got);
    mtp_string_free(text);
}

/* Same, with the expected value as JSON text. */
static void check_json_text_s(char *text, size_t text_len, const char *want_json, const char *ctx) {
    cJSON *want = cJSON_Parse(want_json);
    if (CHECK(want != NULL, ctxf("%s: expected JSON parses", ctx))) {
        check_json_text(text, text_len, want, ctx);
    } else {
        mtp_string_free(text);
    }
    cJSON_Delete(want);
}

/* Decode with mtp_tl_codec_decode, or _decode_as when `type` is not NULL,
 * and compare with `want_json`. */
static void check_decode(const mtp_tl_codec *codec, const char *type, const uint8_t *bytes,
                         size_t len, const char *want_json, const char *ctx) {
    char *text = NULL;
    size_t text_len = 0;
    mtp_result r = type != NULL ? mtp_tl_codec_decode_as(codec, type, strlen(type), bytes, len,
                                                         &text, &text_len)
                                : mtp_tl_codec_decode(codec, bytes, len, &text, &text_len);
    if (CHECK_RC(r, MTP_RESULT_OK, ctx)) {
        check_json_text_s(text, text_len, want_json, ctx);
    } else {
        CHECK(text == NULL, ctxf("%s: no text on failure", ctx));
    }
}

/* Encode and compare the bytes with `want_hex`. */
static void check_encode(const mtp_tl_codec *codec, const char *type, const char *json,
                         const char *want_hex, const char *ctx) {
    size_t want_len = 0, len = 0;
    uint8_t *want = hex_decode(want_hex, &want_len);
    mtp_result rc = MTP_RESULT_INTERNAL;
    uint8_t *got = encode(codec, type, json, &len, &rc);
    if (CHECK_RC(rc, MTP_RESULT_OK, ctx) && CHECK(want != NULL && got != NULL, ctx)) {
        CHECK_MEM(got, len, want, want_len, ctxf("%s: encoded bytes", ctx));
    }
    free(got);
    free(want);
}

/* The result type of `query` equals `want`. */
static void check_result_type(const mtp_tl_codec *codec, const char *query, const char *want,
                              const char *ctx) {
    char *ty = NULL;
    size_t ty_len = 0;
    if (CHECK_RC(mtp_tl_codec_result_type(codec, query, strlen(query), &ty, &ty_len),
                 MTP_RESULT_OK, ctx)) {
        CHECK(ty != NULL && strcmp(ty, want) == 0 && ty_len == strlen(want),
              ctxf("%s: result type \"%s\" == \"%s\"", ctx, ty != NULL ? ty : "(null)", want));
    }
    mtp_string_free(ty);
}

/* ---- fixtures --------------------------------------------------------------- */

static mtp_tl_codec *api = NULL;     /* tests/schema/api.tl */
static mtp_tl_codec *mtproto = NULL; /* mtp_tl_codec_new_mtproto */
static char *api_text = NULL;
static size_t api_text_len = 0;

/* The required known answer (the same as the first case of tl.json, written
 * out here so that this test stands on its own). */
static const char INIT_JSON[] =
    "{\"_\":\"invokeWithLayer\",\"layer\":228,\"query\":{\"_\":\"initConnection\",\"api_id\":12345,"
    "\"device_model\":\"Test device\",\"system_version\":\"1.0\",\"app_version\":\"0.1.0\","
    "\"system_lang_code\":\"en\",\"lang_pack\":\"\",\"lang_code\":\"en\","
    "\"query\":{\"_\":\"help.getConfig\"}}}";
static const char INIT_HEX[] =
    "0d0d9bdae4000000a95ecdc100000000393000000b546573742064657669636503312e3005302e312e30000002"
    "656e000000000002656e006b18f9c4";

/* ---- tests ----------------------------------------------------------------- */

static void codecs(const char *schema_dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/api.tl", schema_dir);
    api_text = read_file(path, &api_text_len);
    if (!CHECK(api_text != NULL, ctxf("read %s", path))) return;
    /* Stale garbage must be replaced by the handle. */
    api = (mtp_tl_codec *)(uintptr_t)1;
    CHECK_RC(mtp_tl_codec_new(api_text, api_text_len, &api), MTP_RESULT_OK, "codec from api.tl");
    CHECK(api != NULL && api != (mtp_tl_codec *)(uintptr_t)1, "api codec handle");
    CHECK(strcmp(mtp_last_error_message(), "") == 0, "success clears the last error");
    CHECK_RC(mtp_tl_codec_new_mtproto(&mtproto), MTP_RESULT_OK, "mtproto codec");
    CHECK(mtproto != NULL, "mtproto codec handle");
}

/* Every case of tl.json. */
static void vectors(const char *vectors_dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/tl.json", vectors_dir);
    char *text = read_file(path, NULL);
    if (!CHECK(text != NULL, ctxf("read %s", path))) return;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!CHECK(root != NULL, ctxf("parse %s", path))) return;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    CHECK(cJSON_IsNumber(version) && version->valueint == 1, "tl.json: version 1");
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    int seen = 0, with_type = 0, with_result_type = 0, mtproto_cases = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));
        char ctx[256];
        snprintf(ctx, sizeof ctx, "tl.json %s", name != NULL ? name : "(unnamed)");
        const char *schema = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "schema"));
        const char *hex = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "hex"));
        const cJSON *json = cJSON_GetObjectItemCaseSensitive(c, "json");
        const cJSON *type_item = cJSON_GetObjectItemCaseSensitive(c, "type");
        const cJSON *rt_item = cJSON_GetObjectItemCaseSensitive(c, "result_type");
        const char *type = cJSON_GetStringValue(type_item);
        const char *result_type = cJSON_GetStringValue(rt_item);
        seen++;
        if (!CHECK(schema != NULL && hex != NULL && json != NULL, ctxf("%s: fields", ctx))) continue;
        CHECK(type_item == NULL || type != NULL, ctxf("%s: \"type\" is a string", ctx));
        CHECK(rt_item == NULL || result_type != NULL, ctxf("%s: \"result_type\" is a string", ctx));
        const mtp_tl_codec *codec = NULL;
        if (strcmp(schema, "api") == 0) {
            codec = api;
        } else if (strcmp(schema, "mtproto") == 0) {
            codec = mtproto;
            mtproto_cases++;
        }
        if (!CHECK(codec != NULL, ctxf("%s: schema \"%s\" known and loaded", ctx, schema))) continue;
        with_type += type != NULL;
        with_result_type += result_type != NULL;

        char *json_text = cJSON_PrintUnformatted(json);
        if (!CHECK(json_text != NULL, ctx)) continue;
        check_encode(codec, type, json_text, hex, ctxf("%s: encode", ctx));
        free(json_text);

        size_t len = 0;
        uint8_t *bytes = hex_decode(hex, &len);
        if (CHECK(bytes != NULL, ctxf("%s: hex", ctx))) {
            char *out = NULL;
            size_t out_len = 0;
            mtp_result r = type != NULL ? mtp_tl_codec_decode_as(codec, type, strlen(type), bytes,
                                                                 len, &out, &out_len)
                                        : mtp_tl_codec_decode(codec, bytes, len, &out, &out_len);
            if (CHECK_RC(r, MTP_RESULT_OK, ctxf("%s: decode", ctx))) {
                check_json_text(out, out_len, json, ctxf("%s: decode", ctx));
            }
        }
        free(bytes);

        if (result_type != NULL) {
            json_text = cJSON_PrintUnformatted(json);
            if (json_text != NULL) {
                check_result_type(codec, json_text, result_type, ctxf("%s: result type", ctx));
            }
            free(json_text);
        }
    }
    CHECK(seen > 0, "tl.json has cases");
    CHECK(with_type > 0, "tl.json has a case with \"type\"");
    CHECK(with_result_type > 0, "tl.json has a case with \"result_type\"");
    CHECK(mtproto_cases > 0, "tl.json has an mtproto case");
    printf("tl.json: %d cases\n", seen);
    cJSON_Delete(root);
}

/* The required test: invokeWithLayer(228, initConnection(..., help.getConfig))
 * from JSON, byte-identical, and back. */
static void init_connection(void) {
    check_encode(api, NULL, INIT_JSON, INIT_HEX, "invokeWithLayer(initConnection(help.getConfig))");
    size_t len = 0;
    uint8_t *bytes = hex_decode(INIT_HEX, &len);
    if (CHECK(bytes != NULL, "INIT_HEX")) {
        check_decode(api, NULL, bytes, len, INIT_JSON, "decode invokeWithLayer(initConnection)");
        /* The length is honoured: no NUL terminator needed, nothing after it read. */
        char padded[sizeof INIT_JSON + 8];
        memcpy(padded, INIT_JSON, sizeof INIT_JSON - 1);
        memcpy(padded + sizeof INIT_JSON - 1, "garbage!", 8);
        uint8_t out[128];
        size_t out_len = sizeof out;
        CHECK_RC(mtp_tl_codec_encode(api, padded, sizeof INIT_JSON - 1, out, &out_len), MTP_RESULT_OK,
                 "encode from a buffer without NUL");
        CHECK_MEM(out, out_len, bytes, len, "encode from a buffer without NUL");
        /* The decoded text's length may be ignored (NULL). */
        char *text = NULL;
        CHECK_RC(mtp_tl_codec_decode(api, bytes, len, &text, NULL), MTP_RESULT_OK,
                 "decode with out_json_len NULL");
        if (text != NULL) check_json_text_s(text, strlen(text), INIT_JSON, "decode, length NULL");
    }
    free(bytes);
    check_result_type(api, INIT_JSON, "Config", "result type of invokeWithLayer(initConnection)");
}

/* The caller-buffer protocol of encode. */
static void buffer_protocol(void) {
    size_t want_len = 0;
    uint8_t *want = hex_decode(INIT_HEX, &want_len);
    if (!CHECK(want != NULL, "INIT_HEX")) return;
    size_t len = 0;
    CHECK_RC(mtp_tl_codec_encode(api, INIT_JSON, strlen(INIT_JSON), NULL, &len),
             MTP_RESULT_BUFFER_TOO_SMALL, "size query");
    CHECK(len == want_len, ctxf("size query: %zu needed, want %zu", len, want_len));
    CHECK_MSG("needed", "size query");

    uint8_t out[128];
    memset(out, 0xEE, sizeof out);
    len = want_len - 1;
    CHECK_RC(mtp_tl_codec_encode(api, INIT_JSON, strlen(INIT_JSON), out, &len),
             MTP_RESULT_BUFFER_TOO_SMALL, "one byte short");
    CHECK(len == want_len, "one byte short: size needed");
    CHECK(out[0] == 0xEE && out[want_len - 2] == 0xEE, "one byte short: buffer untouched");

    len = sizeof out;
    CHECK_RC(mtp_tl_codec_encode(api, INIT_JSON, strlen(INIT_JSON), out, &len), MTP_RESULT_OK,
             "large buffer");
    CHECK_MEM(out, len, want, want_len, "large buffer: exactly the bytes, length updated");
    CHECK(out[want_len] == 0xEE, "large buffer: nothing written past the value");

    len = 3;
    CHECK_RC(mtp_tl_codec_encode_as(api, "int", 3, "7", 1, out, &len), MTP_RESULT_BUFFER_TOO_SMALL,
             "encode_as int into 3 bytes");
    CHECK(len == 4, "encode_as int: 4 needed");
    free(want);
}

static void typed(void) {
    /* encode_as / decode_as with several types. */
    check_encode(api, "Vector<long>", "[\"1\",\"-2\",\"9223372036854775807\"]",
                 "15c4b51c030000000100000000000000feffffffffffffffffffffffffffff7f", "Vector<long>");
    check_encode(api, "Vector<long>", "[1, -2]",
                 "15c4b51c020000000100000000000000feffffffffffffff", "Vector<long> from numbers");
    check_encode(api, "Bool", "true", "b5757299", "Bool true");
    check_encode(api, "Bool", "false", "379779bc", "Bool false");
    check_encode(api, "int", "-1", "ffffffff", "int -1");
    check_encode(api, "vector<int>", "[1,2]", "020000000100000002000000", "bare vector<int>");
    check_encode(api, "InputPeer", "{\"_\":\"inputPeerEmpty\"}", "ea183b7f", "boxed InputPeer");
    check_encode(api, "string", "\"h\\u00e9\"", "0368c3a9", "string UTF-8");
    check_encode(api, "bytes", "\"AQID\"", "03010203", "bytes base64");

    uint8_t b[64];
    size_t n = 0;
    uint8_t *h = hex_decode("15c4b51c020000000100000000000000feffffffffffffff", &n);
    if (h != NULL) check_decode(api, "Vector<long>", h, n, "[\"1\",\"-2\"]", "decode_as Vector<long>");
    free(h);
    memcpy(b, "\xb5\x75\x72\x99", 4);
    check_decode(api, "Bool", b, 4, "true", "decode_as Bool");
    memcpy(b, "\x03\x68\xc3\xa9", 4);
    check_decode(api, "string", b, 4, "\"h\\u00e9\"", "decode_as string");
    check_decode(api, "bytes", (const uint8_t *)"\x03\x01\x02\x03", 4, "\"AQID\"", "decode_as bytes");

    /* int128 as hex, long as decimal string, from the MTProto schema. */
    check_encode(mtproto, NULL, "{\"_\":\"req_pq_multi\",\"nonce\":\"3e0549828cca27e966b301a48fece2fc\"}",
                 "f18e7ebe3e0549828cca27e966b301a48fece2fc", "req_pq_multi");
    check_encode(mtproto, NULL, "{\"_\":\"ping\",\"ping_id\":\"-1\"}", "ec77be7affffffffffffffff",
                 "ping");
    check_decode(mtproto, NULL, (const uint8_t *)"\xec\x77\xbe\x7a\xff\xff\xff\xff\xff\xff\xff\xff",
                 12, "{\"_\":\"ping\",\"ping_id\":\"-1\"}", "decode ping");
}

static void results(void) {
    /* Generic wrappers resolve to the inner query's result type. */
    const char *status = "{\"_\":\"invokeWithLayer\",\"layer\":228,"
                         "\"query\":{\"_\":\"account.updateStatus\",\"offline\":false}}";
    check_result_type(api, status, "Bool", "result type of invokeWithLayer(account.updateStatus)");
    check_result_type(api, "{\"_\":\"help.getConfig\"}", "Config", "result type of help.getConfig");
    check_result_type(mtproto, "{\"_\":\"req_pq_multi\",\"nonce\":\"00000000000000000000000000000000\"}",
                      "ResPQ", "result type of req_pq_multi");

    char *text = NULL;
    size_t text_len = 0;
    CHECK_RC(mtp_tl_codec_decode_result(api, status, strlen(status),
                                        (const uint8_t *)"\xb5\x75\x72\x99", 4, &text, &text_len),
             MTP_RESULT_OK, "decode_result Bool");
    if (text != NULL) check_json_text_s(text, text_len, "true", "decode_result Bool");

    /* resPQ of Telegram's worked example as the result of req_pq_multi. */
    const char *res_pq_hex =
        "6324160515a084b3b9ca2a17f03925f44b78fe68d6701fcd212ceb87c966e5318f5564a8081460e7d3fa7277910"
        "0000015c4b51c03000000a5b7f709355fc30b216be86c022bb4c385fd64de851d9dd0";
    const char *res_pq_json =
        "{\"_\":\"resPQ\",\"nonce\":\"15a084b3b9ca2a17f03925f44b78fe68\","
        "\"server_nonce\":\"d6701fcd212ceb87c966e5318f5564a8\",\"pq\":\"FGDn0/pyd5E=\","
        "\"server_public_key_fingerprints\":[\"847625836280919973\",\"-4344800451088585951\","
        "\"-3414540481677951611\"]}";
    const char *req = "{\"_\":\"req_pq_multi\",\"nonce\":\"15a084b3b9ca2a17f03925f44b78fe68\"}";
    size_t n = 0;
    uint8_t *bytes = hex_decode(res_pq_hex, &n);
    if (CHECK(bytes != NULL, "resPQ hex")) {
        text = NULL;
        CHECK_RC(mtp_tl_codec_decode_result(mtproto, req, strlen(req), bytes, n, &text, &text_len),
                 MTP_RESULT_OK, "decode_result resPQ");
        if (text != NULL) check_json_text_s(text, text_len, res_pq_json, "decode_result resPQ");
        /* Truncated result. */
        text = (char *)(uintptr_t)1;
        text_len = 12345;
        CHECK_RC(mtp_tl_codec_decode_result(mtproto, req, strlen(req), bytes, 20, &text,
                                            &text_len),
                 MTP_RESULT_TL_UNEXPECTED_EOF, "decode_result truncated");
        CHECK(text == NULL && text_len == 12345, "decode_result truncated: no output");
        /* Not a function. */
        CHECK_RC(mtp_tl_codec_decode_result(mtproto, res_pq_json, strlen(res_pq_json), bytes, n,
                                            &text, &text_len),
                 MTP_RESULT_TL_UNKNOWN_NAME, "decode_result with a constructor as query");
        CHECK_MSG("resPQ", "decode_result with a constructor as query");
    }
    free(bytes);

    text = (char *)(uintptr_t)1;
    CHECK_RC(mtp_tl_codec_result_type(api, "{\"_\":\"inputPeerEmpty\"}", 22, &text, NULL),
             MTP_RESULT_TL_UNKNOWN_NAME, "result type of a constructor");
    CHECK(text == NULL, "result type failure: *out_type = NULL");
    const char *no_inner = "{\"_\":\"invokeWithLayer\",\"layer\":1}";
    CHECK_RC(mtp_tl_codec_result_type(api, no_inner, strlen(no_inner), &text, NULL),
             MTP_RESULT_TL_MISSING_FIELD, "result type of a wrapper without its query");
    CHECK_MSG("query", "result type of a wrapper without its query");
    CHECK_RC(mtp_tl_codec_result_type(api, "[1]", 3, &text, NULL), MTP_RESULT_TL_WRONG_TYPE,
             "result type of an array");
}

/* CRC-32 (IEEE) for the gzip trailer. */
static uint32_t crc32_ieee(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

/* gzip_packed met where a boxed value is expected is inflated and decoded in
 * place. The gzip stream is built by hand with one stored deflate block. */
static void gzip_packed(void) {
    const uint8_t payload[] = {0xea, 0x18, 0x3b, 0x7f}; /* inputPeerEmpty */
    uint8_t gz[64];
    size_t g = 0;
    const uint8_t header[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
    memcpy(gz, header, sizeof header);
    g += sizeof header;
    gz[g++] = 0x01; /* final stored block */
    gz[g++] = sizeof payload;
    gz[g++] = 0;
    gz[g++] = (uint8_t)~sizeof payload;
    gz[g++] = 0xff;
    memcpy(gz + g, payload, sizeof payload);
    g += sizeof payload;
    uint32_t crc = crc32_ieee(payload, sizeof payload);
    for (int i = 0; i < 4; i++) gz[g++] = (uint8_t)(crc >> (8 * i));
    for (int i = 0; i < 4; i++) gz[g++] = (uint8_t)((uint32_t)sizeof payload >> (8 * i));

    /* gzip_packed#3072cfa1 packed_data:bytes (g < 254: short length form). */
    uint8_t msg[80];
    size_t m = 0;
    const uint8_t id[] = {0xa1, 0xcf, 0x72, 0x30};
    memcpy(msg, id, 4);
    m += 4;
    msg[m++] = (uint8_t)g;
    memcpy(msg + m, gz, g);
    m += g;
    while (m % 4 != 0) msg[m++] = 0;
    check_decode(api, NULL, msg, m, "{\"_\":\"inputPeerEmpty\"}", "gzip_packed as Object");
    check_decode(api, "InputPeer", msg, m, "{\"_\":\"inputPeerEmpty\"}", "gzip_packed as InputPeer");

    /* Corrupt deflate data: a reserved block type. */
    uint8_t bad[sizeof msg];
    memcpy(bad, msg, m);
    bad[5 + sizeof header] = 0x07;
    char *text = NULL;
    mtp_result r = mtp_tl_codec_decode(api, bad, m, &text, NULL);
    CHECK(r == MTP_RESULT_GZIP_CORRUPT, ctxf("corrupt gzip_packed: %s", mtp_result_name(r)));
    CHECK(text == NULL, "corrupt gzip_packed: no output");
}

static void errors(void) {
    uint8_t out[256];
    size_t len = 0;

    /* A wrong JSON kind carries its code and the field's path. */
    const char *twelve =
        "{\"_\":\"invokeWithLayer\",\"layer\":228,\"query\":{\"_\":\"initConnection\",\"api_id\":"
        "\"twelve\",\"device_model\":\"d\",\"system_version\":\"1\",\"app_version\":\"1\","
        "\"system_lang_code\":\"en\",\"lang_pack\":\"\",\"lang_code\":\"en\","
        "\"query\":{\"_\":\"help.getConfig\"}}}";
    len = sizeof out;
    CHECK_RC(mtp_tl_codec_encode(api, twelve, strlen(twelve), out, &len), MTP_RESULT_TL_WRONG_TYPE,
             "api_id \"twelve\"");
    CHECK(len == sizeof out, "api_id \"twelve\": *out_len unchanged");
    CHECK_MSG("invokeWithLayer.query.api_id", "api_id \"twelve\"");
    CHECK_MSG("twelve", "api_id \"twelve\"");
    CHECK((unsigned)MTP_RESULT_TL_WRONG_TYPE == 310, "TL_WRONG_TYPE is 310");

    /* Truncated bytes: 300. */
    size_t n = 0;
    uint8_t *bytes = hex_decode(INIT_HEX, &n);
    if (CHECK(bytes != NULL, "INIT_HEX")) {
        size_t cuts[] = {n - 1, n - 4, 10, 4, 2, 0};
        for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
            char *text = (char *)(uintptr_t)1;
            size_t text_len = 777;
            CHECK_RC(mtp_tl_codec_decode(api, bytes, cuts[i], &text, &text_len),
                     MTP_RESULT_TL_UNEXPECTED_EOF, ctxf("truncated to %zu bytes", cuts[i]));
            CHECK(text == NULL && text_len == 777,
                  ctxf("truncated to %zu bytes: *out_json NULL, length unchanged", cuts[i]));
        }
        CHECK((unsigned)MTP_RESULT_TL_UNEXPECTED_EOF == 300, "TL_UNEXPECTED_EOF is 300");
        CHECK_RC(mtp_tl_codec_decode(api, NULL, 0, &(char *){NULL}, NULL),
                 MTP_RESULT_TL_UNEXPECTED_EOF, "decode NULL, 0");

        /* Trailing bytes: 302. */
        uint8_t *longer = malloc(n + 4);
        memcpy(longer, bytes, n);
        memset(longer + n, 0, 4);
        char *text = NULL;
        CHECK_RC(mtp_tl_codec_decode(api, longer, n + 4, &text, NULL), MTP_RESULT_TL_TRAILING_BYTES,
                 "trailing bytes");
        /* Unknown constructor id: 301. */
        memcpy(longer, "\xef\xbe\xad\xde", 4);
        CHECK_RC(mtp_tl_codec_decode(api, longer, n, &text, NULL), MTP_RESULT_TL_UNKNOWN_CONSTRUCTOR,
                 "unknown constructor id");
        CHECK_MSG("0xdeadbeef", "unknown constructor id");
        free(longer);
    }
    free(bytes);

    /* Missing field: 311, with the path. */
    const char *missing = "{\"_\":\"invokeWithLayer\",\"query\":{\"_\":\"help.getConfig\"}}";
    len = sizeof out;
    CHECK_RC(mtp_tl_codec_encode(api, missing, strlen(missing), out, &len),
             MTP_RESULT_TL_MISSING_FIELD, "missing layer");
    CHECK_MSG("layer", "missing layer");
    /* Unknown name: 312. */
    const char *unknown = "{\"_\":\"help.getNothing\"}";
    CHECK_RC(mtp_tl_codec_encode(api, unknown, strlen(unknown), out, &len),
             MTP_RESULT_TL_UNKNOWN_NAME, "unknown constructor name");
    CHECK_MSG("help.getNothing", "unknown constructor name");
    CHECK_RC(mtp_tl_codec_encode_as(api, "NoSuchType", 10, "{\"_\":\"inputPeerEmpty\"}", 22, out,
                                    &len),
             MTP_RESULT_TL_WRONG_TYPE, "encode_as a type the schema lacks");
    CHECK_MSG("NoSuchType", "encode_as a type the schema lacks");
    /* A type that does not parse. */
    mtp_result r = mtp_tl_codec_encode_as(api, "Vector<", 7, "[]", 2, out, &len);
    CHECK(r == MTP_RESULT_TL_SCHEMA || r == MTP_RESULT_TL_UNKNOWN_NAME,
          ctxf("encode_as \"Vector<\": %s", mtp_result_name(r)));
    /* An int out of range. */
    CHECK_RC(mtp_tl_codec_encode_as(api, "int", 3, "4294967296", 10, out, &len),
             MTP_RESULT_TL_WRONG_TYPE, "int out of range");

    /* Text that is not JSON: MTP_RESULT_INVALID_ARGUMENT with a message. */
    len = sizeof out;
    CHECK_RC(mtp_tl_codec_encode(api, "{\"_\":", 5, out, &len), MTP_RESULT_INVALID_ARGUMENT,
             "invalid JSON");
    CHECK_MSG("JSON", "invalid JSON");
    CHECK(len == sizeof out, "invalid JSON: *out_len unchanged");
    CHECK_RC(mtp_tl_codec_encode(api, NULL, 0, out, &len), MTP_RESULT_INVALID_ARGUMENT,
             "empty JSON text");
    CHECK_RC(mtp_tl_codec_encode(api, "{} x", 4, out, &len), MTP_RESULT_INVALID_ARGUMENT,
             "JSON with trailing characters");
    CHECK_RC(mtp_tl_codec_encode(api, "\"\xff\"", 3, out, &len), MTP_RESULT_INVALID_ARGUMENT,
             "JSON not UTF-8");
    char *text = (char *)(uintptr_t)1;
    CHECK_RC(mtp_tl_codec_result_type(api, "nope", 4, &text, NULL), MTP_RESULT_INVALID_ARGUMENT,
             "result_type of invalid JSON");
    CHECK(text == NULL, "result_type of invalid JSON: *out_type NULL");
    CHECK_RC(mtp_tl_codec_decode_result(api, "", 0, (const uint8_t *)"\xb5\x75\x72\x99", 4, &text,
                                        NULL),
             MTP_RESULT_INVALID_ARGUMENT, "decode_result of invalid JSON");
    /* A valid JSON value of the wrong kind is a TL error. */
    CHECK_RC(mtp_tl_codec_encode(api, "42", 2, out, &len), MTP_RESULT_TL_WRONG_TYPE,
             "encode a number");

    /* Schemas. */
    mtp_tl_codec *c = (mtp_tl_codec *)(uintptr_t)1;
    const char *bad_schema = "boolTrue#997275b5 = Bool;\nthis is not TL\n";
    CHECK_RC(mtp_tl_codec_new(bad_schema, strlen(bad_schema), &c), MTP_RESULT_TL_SCHEMA,
             "schema that does not parse");
    CHECK(c == NULL, "bad schema: *out = NULL");
    CHECK_MSG("line 2", "bad schema");
    CHECK((unsigned)MTP_RESULT_TL_SCHEMA == 308, "TL_SCHEMA is 308");
    c = (mtp_tl_codec *)(uintptr_t)1;
    CHECK_RC(mtp_tl_codec_new("\xff\xfe", 2, &c), MTP_RESULT_INVALID_ARGUMENT, "schema not UTF-8");
    CHECK(c == NULL, "schema not UTF-8: *out = NULL");
    CHECK_MSG("UTF-8", "schema not UTF-8");
    CHECK_RC(mtp_tl_codec_new(NULL, 5, &c), MTP_RESULT_NULL_POINTER, "schema NULL, 5");
    CHECK_RC(mtp_tl_codec_new("x", 1, NULL), MTP_RESULT_NULL_POINTER, "new: out NULL");
    CHECK_RC(mtp_tl_codec_new_mtproto(NULL), MTP_RESULT_NULL_POINTER, "new_mtproto: out NULL");

    /* A small schema of its own, with a NUL-free, non-terminated buffer. */
    const char small[] = "boolFalse#bc799737 = Bool;boolTrue#997275b5 = Bool;XXXX";
    CHECK_RC(mtp_tl_codec_new(small, sizeof small - 1 - 4, &c), MTP_RESULT_OK, "small schema");
    if (c != NULL) {
        check_encode(c, "Bool", "true", "b5757299", "small schema: Bool");
        CHECK_RC(mtp_tl_codec_encode(c, INIT_JSON, strlen(INIT_JSON), out, &len),
                 MTP_RESULT_TL_UNKNOWN_NAME, "small schema lacks invokeWithLayer");
    }
    mtp_tl_codec_free(c);

    /* NULL arguments. */
    len = sizeof out;
    CHECK_RC(mtp_tl_codec_encode(NULL, "{}", 2, out, &len), MTP_RESULT_NULL_POINTER, "encode NULL codec");
    CHECK_MSG("codec", "encode NULL codec");
    CHECK_RC(mtp_tl_codec_encode(api, NULL, 5, out, &len), MTP_RESULT_NULL_POINTER, "encode json NULL, 5");
    CHECK_MSG("json", "encode json NULL, 5");
    CHECK_RC(mtp_tl_codec_encode(api, INIT_JSON, strlen(INIT_JSON), out, NULL),
             MTP_RESULT_NULL_POINTER, "encode out_len NULL");
    len = 8;
    CHECK_RC(mtp_tl_codec_encode(api, INIT_JSON, strlen(INIT_JSON), NULL, &len),
             MTP_RESULT_BUFFER_TOO_SMALL, "encode out NULL, capacity 8: size first");
    len = sizeof out;
    CHECK_RC(mtp_tl_codec_encode(api, INIT_JSON, strlen(INIT_JSON), NULL, &len),
             MTP_RESULT_NULL_POINTER, "encode out NULL with a capacity");
    CHECK_RC(mtp_tl_codec_encode_as(NULL, "int", 3, "1", 1, out, &len), MTP_RESULT_NULL_POINTER,
             "encode_as NULL codec");
    CHECK_RC(mtp_tl_codec_encode_as(api, NULL, 3, "1", 1, out, &len), MTP_RESULT_NULL_POINTER,
             "encode_as type NULL");
    CHECK_RC(mtp_tl_codec_decode(NULL, (const uint8_t *)"x", 1, &text, NULL),
             MTP_RESULT_NULL_POINTER, "decode NULL codec");
    CHECK_RC(mtp_tl_codec_decode(api, NULL, 4, &text, NULL), MTP_RESULT_NULL_POINTER,
             "decode bytes NULL, 4");
    CHECK_RC(mtp_tl_codec_decode(api, (const uint8_t *)"\xb5\x75\x72\x99", 4, NULL, NULL),
             MTP_RESULT_NULL_POINTER, "decode out_json NULL");
    CHECK_MSG("out_json", "decode out_json NULL");
    CHECK_RC(mtp_tl_codec_decode_as(NULL, "Bool", 4, (const uint8_t *)"x", 1, &text, NULL),
             MTP_RESULT_NULL_POINTER, "decode_as NULL codec");
    CHECK_RC(mtp_tl_codec_decode_as(api, "Bool", 4, (const uint8_t *)"\xb5\x75\x72\x99", 4, NULL,
                                    NULL),
             MTP_RESULT_NULL_POINTER, "decode_as out_json NULL");
    CHECK_RC(mtp_tl_codec_result_type(NULL, "{}", 2, &text, NULL), MTP_RESULT_NULL_POINTER,
             "result_type NULL codec");
    CHECK_RC(mtp_tl_codec_result_type(api, "{}", 2, NULL, NULL), MTP_RESULT_NULL_POINTER,
             "result_type out NULL");
    CHECK_RC(mtp_tl_codec_decode_result(NULL, "{}", 2, (const uint8_t *)"x", 1, &text, NULL),
             MTP_RESULT_NULL_POINTER, "decode_result NULL codec");
    CHECK_RC(mtp_tl_codec_decode_result(api, NULL, 2, (const uint8_t *)"x", 1, &text, NULL),
             MTP_RESULT_NULL_POINTER, "decode_result query NULL");
    CHECK_RC(mtp_tl_codec_decode_result(api, "{}", 2, (const uint8_t *)"x", 1, NULL, NULL),
             MTP_RESULT_NULL_POINTER, "decode_result out NULL");
    CHECK(text == NULL, "failed calls leave *out_json NULL");

    mtp_tl_codec_free(NULL);
    mtp_string_free(NULL);
    CHECK(1, "mtp_tl_codec_free(NULL) and mtp_string_free(NULL) return");

    /* Names of the TL codes. */
    CHECK(strcmp(mtp_result_name(MTP_RESULT_TL_UNEXPECTED_EOF), "MTP_RESULT_TL_UNEXPECTED_EOF") == 0,
          "name of 300");
    CHECK(strcmp(mtp_result_name(310), "MTP_RESULT_TL_WRONG_TYPE") == 0, "name of 310");
    CHECK(strcmp(mtp_result_name(316), "MTP_RESULT_GZIP_ALLOCATION_FAILED") == 0, "name of 316");
}

/* One codec used by several threads at once. */
struct worker {
    const mtp_tl_codec *codec;
    const uint8_t *want;
    size_t want_len;
    int failures;
};

static int worker_main(void *arg) {
    struct worker *w = arg;
    cJSON *want_json = cJSON_Parse(INIT_JSON);
    for (int i = 0; i < 50; i++) {
        uint8_t out[128];
        size_t len = sizeof out;
        if (mtp_tl_codec_encode(w->codec, INIT_JSON, strlen(INIT_JSON), out, &len) != MTP_RESULT_OK ||
            len != w->want_len || memcmp(out, w->want, len) != 0) {
            w->failures++;
            continue;
        }
        char *text = NULL;
        if (mtp_tl_codec_decode(w->codec, out, len, &text, NULL) != MTP_RESULT_OK) {
            w->failures++;
            continue;
        }
        cJSON *got = cJSON_Parse(text);
        if (got == NULL || !cJSON_Compare(got, want_json, 1)) w->failures++;
        cJSON_Delete(got);
        mtp_string_free(text);
        /* A failure on this thread sets this thread's message only. */
        len = sizeof out;
        if (mtp_tl_codec_encode(w->codec, "[", 1, out, &len) != MTP_RESULT_INVALID_ARGUMENT ||
            strstr(mtp_last_error_message(), "JSON") == NULL) {
            w->failures++;
        }
    }
    cJSON_Delete(want_json);
    return 0;
}

static void threads(void) {
    size_t n = 0;
    uint8_t *want = hex_decode(INIT_HEX, &n);
    if (!CHECK(want != NULL, "INIT_HEX")) return;
    enum { N = 4 };
    thrd_t t[N];
    struct worker w[N];
    int started[N];
    for (int i = 0; i < N; i++) {
        w[i] = (struct worker){api, want, n, 0};
        started[i] = thrd_create(&t[i], worker_main, &w[i]) == thrd_success;
        CHECK(started[i], ctxf("thread %d started", i));
    }
    for (int i = 0; i < N; i++) {
        if (!started[i]) continue;
        CHECK(thrd_join(t[i], NULL) == thrd_success, ctxf("thread %d joined", i));
        CHECK(w[i].failures == 0, ctxf("thread %d: %d failures", i, w[i].failures));
    }
    free(want);
}

int main(int argc, char **argv) {
    const char *vectors_dir = argc > 1 ? argv[1] : "tests/vectors";
    const char *schema_dir = argc > 2 ? argv[2] : "tests/schema";
    codecs(schema_dir);
    if (api != NULL && mtproto != NULL) {
        vectors(vectors_dir);
        init_connection();
        buffer_protocol();
        typed();
        results();
        gzip_packed();
        errors();
        threads();
    }
    mtp_tl_codec_free(api);
    mtp_tl_codec_free(mtproto);
    free(api_text);
    return check_finish();
}
