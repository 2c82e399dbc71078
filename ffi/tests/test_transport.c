/*
 * test_transport.c: the transports through the C API: every case of
 * transport_framing.json, transport_obfuscation.json and transport_http.json
 * (tests/vectors/README.md), round trips through mtp_client_transport and
 * mtp_server_transport for every kind (bytes fed in small chunks), refused
 * connections, sticky errors, and the argument errors of every export.
 *
 * Usage: test_transport [VECTORS_DIR]   (default: tests/vectors)
 */
#include <stdbool.h>

#include <cjson/cJSON.h>

#include "check.h"

/* ---- helpers ---------------------------------------------------------------- */

static const char *case_name = "?";


/* The "cases" of a vector file (the root is returned for cJSON_Delete). */
static cJSON *load_cases(const char *dir, const char *file, const cJSON **cases) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *text = read_file(path, NULL);
    *cases = NULL;
    if (!CHECK(text != NULL, ctxf("read %s", path))) return NULL;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!CHECK(root != NULL, ctxf("parse %s", path))) return NULL;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    CHECK(cJSON_IsNumber(version) && version->valueint == 1, ctxf("%s: version 1", file));
    *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    CHECK(cJSON_IsArray(*cases) && cJSON_GetArraySize(*cases) > 0, ctxf("%s: cases", file));
    return root;
}

static const char *str_field(const cJSON *c, const char *field) {
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, field));
    CHECK(s != NULL, ctxf("%s: string field \"%s\"", case_name, field));
    return s;
}

static int has_field(const cJSON *c, const char *field) {
    return cJSON_GetObjectItemCaseSensitive(c, field) != NULL;
}

static double num_field(const cJSON *c, const char *field) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(c, field);
    CHECK(cJSON_IsNumber(item), ctxf("%s: number field \"%s\"", case_name, field));
    return cJSON_IsNumber(item) ? item->valuedouble : 0;
}

/* A hex field, decoded into a new buffer (never NULL; empty on error). */
static uint8_t *hex_field(const cJSON *c, const char *field, size_t *len) {
    const char *s = str_field(c, field);
    *len = 0;
    uint8_t *out = s != NULL ? hex_decode(s, len) : NULL;
    if (s != NULL) CHECK(out != NULL, ctxf("%s: hex field \"%s\"", case_name, field));
    if (out == NULL) {
        out = malloc(1);
        *len = 0;
    }
    return out;
}

/* A growable list of decoded events. */
struct event {
    mtp_inbound_kind kind;
    uint8_t *payload;
    size_t len;
    bool quick_ack;
    uint32_t token;
    int32_t code;
};

struct events {
    struct event *items;
    size_t n, cap;
};

static void events_push(struct events *e, const mtp_inbound *in) {
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 8;
        e->items = realloc(e->items, e->cap * sizeof *e->items);
    }
    struct event *ev = &e->items[e->n++];
    ev->kind = in->kind;
    ev->len = in->payload.len;
    ev->payload = malloc(in->payload.len + 1);
    if (in->payload.len) memcpy(ev->payload, in->payload.data, in->payload.len);
    ev->quick_ack = in->quick_ack;
    ev->token = in->token;
    ev->code = in->code;
}

static void events_push_packet(struct events *e, const uint8_t *p, size_t n, bool qa) {
    mtp_inbound in = {MTP_INBOUND_PACKET, {(uint8_t *)(uintptr_t)p, n}, qa, 0, 0};
    events_push(e, &in);
}

static void events_push_simple(struct events *e, mtp_inbound_kind kind, uint32_t token, int32_t code) {
    mtp_inbound in = {kind, {NULL, 0}, false, token, code};
    events_push(e, &in);
}

static void events_clear(struct events *e) {
    for (size_t i = 0; i < e->n; i++) free(e->items[i].payload);
    free(e->items);
    e->items = NULL;
    e->n = e->cap = 0;
}

static int events_equal(const struct events *a, const struct events *b) {
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct event *x = &a->items[i], *y = &b->items[i];
        if (x->kind != y->kind || x->len != y->len || x->quick_ack != y->quick_ack ||
            x->token != y->token || x->code != y->code)
            return 0;
        if (x->len && memcmp(x->payload, y->payload, x->len) != 0) return 0;
    }
    return 1;
}

typedef mtp_result (*poll_fn)(void *h, mtp_inbound *out);

static mtp_result poll_codec(void *h, mtp_inbound *out) { return mtp_framing_codec_poll(h, out); }
static mtp_result poll_http_client(void *h, mtp_inbound *out) { return mtp_http_client_poll(h, out); }
static mtp_result poll_http_server(void *h, mtp_inbound *out) { return mtp_http_server_poll(h, out); }
static mtp_result poll_client_tr(void *h, mtp_inbound *out) {
    return mtp_client_transport_poll_inbound(h, out);
}
static mtp_result poll_server_tr(void *h, mtp_inbound *out) {
    return mtp_server_transport_poll_inbound(h, out);
}

/* Drain every event of a handle into `e`; returns 0 if a poll failed. */
static int drain(void *h, poll_fn poll, struct events *e) {
    for (;;) {
        mtp_inbound in;
        mtp_result rc = poll(h, &in);
        if (rc != MTP_RESULT_OK) return 0;
        if (in.kind == MTP_INBOUND_NONE) return 1;
        events_push(e, &in);
        mtp_inbound_free(&in);
    }
}

/* ---- transport_framing.json -------------------------------------------------- */

static mtp_transport_kind framing_of(const char *s) {
    if (strcmp(s, "abridged") == 0) return MTP_TRANSPORT_ABRIDGED;
    if (strcmp(s, "intermediate") == 0) return MTP_TRANSPORT_INTERMEDIATE;
    if (strcmp(s, "padded_intermediate") == 0) return MTP_TRANSPORT_PADDED_INTERMEDIATE;
    if (strcmp(s, "full") == 0) return MTP_TRANSPORT_FULL;
    CHECK(0, ctxf("%s: framing \"%s\"", case_name, s));
    return 99;
}

/* Decode `wire` with a fresh codec, fed in the given pieces: chunk = 0
 * whole, otherwise `chunk`-byte pieces; split = where to cut in two (used
 * when chunk == 0 and split <= len). */
static int framing_decode(mtp_transport_kind kind, mtp_role role, const uint8_t *wire, size_t len,
                          size_t chunk, size_t split, struct events *out) {
    mtp_framing_codec *codec = NULL;
    if (mtp_framing_codec_new(kind, role, MTP_TRANSPORT_DEFAULT_MAX_FRAME, &codec) != MTP_RESULT_OK)
        return 0;
    int ok = 1;
    if (chunk > 0) {
        for (size_t at = 0; at < len && ok; at += chunk) {
            size_t n = len - at < chunk ? len - at : chunk;
            ok = mtp_framing_codec_feed(codec, wire + at, n) == MTP_RESULT_OK;
        }
    } else if (split <= len) {
        ok = mtp_framing_codec_feed(codec, wire, split) == MTP_RESULT_OK &&
             mtp_framing_codec_feed(codec, wire + split, len - split) == MTP_RESULT_OK;
    } else {
        ok = mtp_framing_codec_feed(codec, wire, len) == MTP_RESULT_OK;
    }
    ok = ok && drain(codec, poll_codec, out);
    mtp_framing_codec_free(codec);
    return ok;
}

static int strips_checked = 0;

static void check_framing_case(const cJSON *c) {
    mtp_transport_kind kind = framing_of(str_field(c, "framing"));
    const char *sender = str_field(c, "sender");
    if (kind == 99 || sender == NULL) return;
    mtp_role role = strcmp(sender, "client") == 0 ? MTP_ROLE_CLIENT : MTP_ROLE_SERVER;
    mtp_role receiver = role == MTP_ROLE_CLIENT ? MTP_ROLE_SERVER : MTP_ROLE_CLIENT;

    mtp_framing_codec *codec = NULL;
    CHECK_RC(mtp_framing_codec_new(kind, role, MTP_TRANSPORT_DEFAULT_MAX_FRAME, &codec),
             MTP_RESULT_OK, case_name);
    uint8_t *wire = NULL;
    size_t wire_len = 0;
    struct events want = {0};
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(c, "frames")) {
        const char *type = str_field(f, "type");
        size_t pad_len;
        uint8_t *pad = hex_field(f, "padding", &pad_len);
        mtp_bytes enc;
        mtp_result rc = MTP_RESULT_INTERNAL;
        if (type != NULL && strcmp(type, "packet") == 0) {
            size_t len;
            uint8_t *payload = hex_field(f, "payload", &len);
            bool qa = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "quick_ack"));
            rc = mtp_framing_codec_encode_packet_with_padding(codec, payload, len, qa, pad, pad_len,
                                                              &enc);
            uint8_t *received = malloc(len + pad_len + 1);
            memcpy(received, payload, len);
            memcpy(received + len, pad, pad_len);
            events_push_packet(&want, received, len + pad_len, receiver == MTP_ROLE_SERVER && qa);
            if (kind == MTP_TRANSPORT_PADDED_INTERMEDIATE &&
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "message"))) {
                uint8_t stripped[4096];
                size_t stripped_len = sizeof stripped;
                CHECK_RC(mtp_strip_padded_intermediate_padding(received, len + pad_len, stripped,
                                                               &stripped_len),
                         MTP_RESULT_OK, case_name);
                CHECK_MEM(stripped, stripped_len, payload, len, ctxf("%s: strip", case_name));
                strips_checked++;
            }
            free(received);
            free(payload);
        } else if (type != NULL && strcmp(type, "quick_ack") == 0) {
            uint32_t token = (uint32_t)num_field(f, "token"), got = 0;
            size_t large_len;
            uint8_t *large = hex_field(f, "msg_key_large", &large_len);
            CHECK_RC(mtp_quick_ack_token(large, large_len, &got), MTP_RESULT_OK, case_name);
            CHECK(got == token, ctxf("%s: quick-ack token %08x == %08x", case_name, got, token));
            free(large);
            rc = mtp_framing_codec_encode_quick_ack_with_padding(codec, token, pad, pad_len, &enc);
            events_push_simple(&want, MTP_INBOUND_QUICK_ACK, token, 0);
        } else if (type != NULL && strcmp(type, "transport_error") == 0) {
            int32_t code = (int32_t)num_field(f, "code");
            rc = mtp_framing_codec_encode_transport_error_with_padding(codec, code, pad, pad_len,
                                                                       &enc);
            events_push_simple(&want, MTP_INBOUND_TRANSPORT_ERROR, 0, code);
        } else {
            CHECK(0, ctxf("%s: frame type", case_name));
            enc = (mtp_bytes){NULL, 0};
        }
        if (CHECK_RC(rc, MTP_RESULT_OK, ctxf("%s: encode %s", case_name, type))) {
            wire = realloc(wire, wire_len + enc.len + 1);
            memcpy(wire + wire_len, enc.data, enc.len);
            wire_len += enc.len;
        }
        mtp_bytes_free(&enc);
        free(pad);
    }
    mtp_framing_codec_free(codec);

    size_t want_len;
    uint8_t *want_wire = hex_field(c, "wire", &want_len);
    CHECK_MEM(wire, wire_len, want_wire, want_len, ctxf("%s: wire", case_name));

    struct events got = {0};
    CHECK(framing_decode(kind, receiver, want_wire, want_len, 0, want_len + 1, &got) &&
              events_equal(&got, &want),
          ctxf("%s: decode whole", case_name));
    events_clear(&got);
    CHECK(framing_decode(kind, receiver, want_wire, want_len, 1, 0, &got) && events_equal(&got, &want),
          ctxf("%s: decode byte by byte", case_name));
    events_clear(&got);
    size_t bad_split = (size_t)-1;
    for (size_t at = 0; at <= want_len; at++) {
        int ok = framing_decode(kind, receiver, want_wire, want_len, 0, at, &got) &&
                 events_equal(&got, &want);
        events_clear(&got);
        if (!ok) {
            bad_split = at;
            break;
        }
    }
    CHECK(bad_split == (size_t)-1, ctxf("%s: decode split at every point (first bad %zu)", case_name,
                                        bad_split));
    events_clear(&want);
    free(want_wire);
    free(wire);
}

/* ---- transport_obfuscation.json ------------------------------------------------- */

/* AES-CTR of `data` after skipping `skip` bytes of keystream. */
static void ctr_after(const uint8_t *key, const uint8_t *iv, size_t skip, const uint8_t *data,
                      size_t len, uint8_t *out) {
    uint8_t *buf = calloc(skip + len + 1, 1);
    memcpy(buf + skip, data, len);
    size_t out_len = skip + len;
    CHECK_RC(mtp_aes_ctr_apply(key, 32, iv, 16, buf, skip + len, buf, &out_len), MTP_RESULT_OK,
             case_name);
    memcpy(out, buf + skip, len);
    free(buf);
}

static void check_obfuscated2(const cJSON *c) {
    size_t random_len, secret_len, header_len, n;
    uint8_t *random = hex_field(c, "random", &random_len);
    const char *secret_hex = str_field(c, "secret");
    uint8_t *secret = hex_field(c, "secret", &secret_len);
    uint8_t *header = hex_field(c, "header", &header_len);
    mtp_transport_kind kind = framing_of(str_field(c, "framing"));
    int16_t dc = (int16_t)num_field(c, "dc_id");
    const char *secret_text = secret_len ? secret_hex : NULL;
    size_t secret_text_len = secret_len ? strlen(secret_hex) : 0;

    mtp_obfuscation_init_keys keys;
    if (CHECK_RC(mtp_obfuscation_init(random, random_len, kind, dc, secret_text, secret_text_len,
                                      &keys),
                 MTP_RESULT_OK, case_name)) {
        CHECK_MEM(keys.header, 64, header, header_len, ctxf("%s: header", case_name));
        static const struct {
            const char *field;
            size_t offset, len;
        } fields[] = {
            {"client_encrypt_key", offsetof(mtp_obfuscation_init_keys, client_encrypt_key), 32},
            {"client_encrypt_iv", offsetof(mtp_obfuscation_init_keys, client_encrypt_iv), 16},
            {"client_decrypt_key", offsetof(mtp_obfuscation_init_keys, client_decrypt_key), 32},
            {"client_decrypt_iv", offsetof(mtp_obfuscation_init_keys, client_decrypt_iv), 16},
            /* The server's keys are the client's reversed. */
            {"server_encrypt_key", offsetof(mtp_obfuscation_init_keys, client_decrypt_key), 32},
            {"server_encrypt_iv", offsetof(mtp_obfuscation_init_keys, client_decrypt_iv), 16},
            {"server_decrypt_key", offsetof(mtp_obfuscation_init_keys, client_encrypt_key), 32},
            {"server_decrypt_iv", offsetof(mtp_obfuscation_init_keys, client_encrypt_iv), 16},
        };
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            uint8_t *want = hex_field(c, fields[i].field, &n);
            CHECK_MEM((const uint8_t *)&keys + fields[i].offset, fields[i].len, want, n,
                      ctxf("%s: %s", case_name, fields[i].field));
            free(want);
        }
        size_t payload_len, cpe_len, spe_len;
        uint8_t *payload = hex_field(c, "payload", &payload_len);
        uint8_t *cpe = hex_field(c, "client_payload_encrypted", &cpe_len);
        uint8_t *spe = hex_field(c, "server_payload_encrypted", &spe_len);
        uint8_t *buf = malloc(payload_len + 1), *back = malloc(payload_len + 1);
        /* Client → server: the client's stream has used 64 bytes on the init. */
        ctr_after(keys.client_encrypt_key, keys.client_encrypt_iv, 64, payload, payload_len, buf);
        CHECK_MEM(buf, payload_len, cpe, cpe_len, ctxf("%s: client payload", case_name));
        ctr_after(keys.client_encrypt_key, keys.client_encrypt_iv, 64, buf, payload_len, back);
        CHECK_MEM(back, payload_len, payload, payload_len, ctxf("%s: server decrypts", case_name));
        /* Server → client: a fresh stream. */
        ctr_after(keys.client_decrypt_key, keys.client_decrypt_iv, 0, payload, payload_len, buf);
        CHECK_MEM(buf, payload_len, spe, spe_len, ctxf("%s: server payload", case_name));
        free(buf);
        free(back);
        free(payload);
        free(cpe);
        free(spe);
    }

    /* A server accepting the header finds the framing, DC and secret. */
    mtp_text secrets[2] = {{"00112233445566778899aabbccddeeff", 32}, {secret_hex, secret_text_len}};
    mtp_server_transport_config cfg = {secrets, secret_len ? 2 : 0, false, secret_len == 0, false,
                                       MTP_TRANSPORT_DEFAULT_MAX_FRAME};
    mtp_server_transport *server = NULL;
    bool ee = secret_len > 0 && secret[0] == 0xee;
    if (CHECK_RC(mtp_server_transport_new(&cfg, &server), MTP_RESULT_OK, case_name)) {
        if (ee) {
            /* An ee secret is only accepted inside fake TLS. */
            CHECK_RC(mtp_server_transport_handle_input(server, header, header_len, 0),
                     MTP_RESULT_TRANSPORT_OBFUSCATION, ctxf("%s: bare init refused", case_name));
        } else {
            CHECK_RC(mtp_server_transport_handle_input(server, header, header_len, 0), MTP_RESULT_OK,
                     case_name);
            mtp_detected_transport d;
            CHECK_RC(mtp_server_transport_detected(server, &d), MTP_RESULT_OK, case_name);
            CHECK(d.detected && d.obfuscated && !d.fake_tls && d.kind == kind && d.has_dc_id &&
                      d.dc_id == dc && d.has_secret_index == (secret_len != 0) &&
                      (secret_len == 0 || d.secret_index == 1),
                  ctxf("%s: server detection", case_name));
        }
    }
    mtp_server_transport_free(server);
    free(random);
    free(secret);
    free(header);
}

static void check_forbidden(const cJSON *c) {
    size_t len;
    uint8_t *random = hex_field(c, "random", &len);
    bool valid = true;
    CHECK_RC(mtp_is_valid_obfuscation_init(random, len, &valid), MTP_RESULT_OK, case_name);
    CHECK(!valid, case_name);
    mtp_obfuscation_init_keys keys;
    CHECK_RC(mtp_obfuscation_init(random, len, MTP_TRANSPORT_ABRIDGED, 1, NULL, 0, &keys),
             MTP_RESULT_TRANSPORT_OBFUSCATION, case_name);
    free(random);
}

static void check_key_share(const cJSON *c) {
    size_t cand_len, want_len;
    uint8_t *cand = hex_field(c, "candidate", &cand_len);
    uint8_t *want = hex_field(c, "key_share", &want_len);
    uint8_t out[32];
    size_t out_len = sizeof out;
    CHECK_RC(mtp_fake_tls_key_share(cand, cand_len, out, &out_len), MTP_RESULT_OK, case_name);
    CHECK_MEM(out, out_len, want, want_len, case_name);
    free(cand);
    free(want);
}

static void check_client_hello(const cJSON *c) {
    const char *secret = str_field(c, "secret");
    const char *now_s = str_field(c, "now_ms");
    if (secret == NULL || now_s == NULL) return;
    uint64_t now = strtoull(now_s, NULL, 10);
    size_t sid_len, seed_len, ks_len, hello_len, random_len, digest_len;
    uint8_t *sid = hex_field(c, "session_id", &sid_len);
    uint8_t *seed = hex_field(c, "grease_seed", &seed_len);
    uint8_t *ks = hex_field(c, "key_share", &ks_len);
    uint8_t order[64];
    size_t order_len = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(c, "extension_order")) {
        if (order_len < sizeof order) order[order_len++] = (uint8_t)v->valueint;
    }
    uint8_t *hello = hex_field(c, "hello", &hello_len);
    uint8_t *random = hex_field(c, "random", &random_len);
    uint8_t *digest = hex_field(c, "digest", &digest_len);
    mtp_client_hello out;
    if (CHECK_RC(mtp_fake_tls_client_hello(secret, strlen(secret), now, sid, sid_len, seed, seed_len,
                                           ks, ks_len, order, order_len, &out),
                 MTP_RESULT_OK, case_name)) {
        CHECK_MEM(out.hello.data, out.hello.len, hello, hello_len, ctxf("%s: hello", case_name));
        CHECK_MEM(out.random, 32, random, random_len, ctxf("%s: random", case_name));
        CHECK_MEM(out.digest, 32, digest, digest_len, ctxf("%s: digest", case_name));
        mtp_bytes_free(&out.hello);
    }
    /* A server holding the secret accepts it at now_ms and answers. */
    mtp_text secrets[1] = {{secret, strlen(secret)}};
    mtp_server_transport_config cfg = {secrets, 1, false, false, false,
                                       MTP_TRANSPORT_DEFAULT_MAX_FRAME};
    mtp_server_transport *server = NULL;
    if (CHECK_RC(mtp_server_transport_new(&cfg, &server), MTP_RESULT_OK, case_name)) {
        CHECK_RC(mtp_server_transport_handle_input(server, hello, hello_len, now), MTP_RESULT_OK,
                 ctxf("%s: server accepts", case_name));
        mtp_bytes answer;
        CHECK_RC(mtp_server_transport_poll_transmit(server, &answer), MTP_RESULT_OK, case_name);
        CHECK(answer.len > 0 && answer.data[0] == 0x16, ctxf("%s: server hello sent", case_name));
        mtp_bytes_free(&answer);
    }
    mtp_server_transport_free(server);
    /* Far from now_ms it is refused. */
    if (CHECK_RC(mtp_server_transport_new(&cfg, &server), MTP_RESULT_OK, case_name)) {
        CHECK_RC(mtp_server_transport_handle_input(server, hello, hello_len, now + 3600 * 1000),
                 MTP_RESULT_TRANSPORT_FAKE_TLS, ctxf("%s: stale hello", case_name));
    }
    mtp_server_transport_free(server);
    free(sid);
    free(seed);
    free(ks);
    free(hello);
    free(random);
    free(digest);
}

static void check_server_hello(const cJSON *c) {
    const char *secret = str_field(c, "secret");
    if (secret == NULL) return;
    size_t cr_len, sid_len, ks_len, ad_len, resp_len, sr_len;
    uint8_t *cr = hex_field(c, "client_random", &cr_len);
    uint8_t *sid = hex_field(c, "session_id", &sid_len);
    uint8_t *ks = hex_field(c, "key_share", &ks_len);
    uint8_t *ad = hex_field(c, "app_data", &ad_len);
    uint8_t *resp = hex_field(c, "response", &resp_len);
    uint8_t *sr = hex_field(c, "server_random", &sr_len);
    mtp_bytes out;
    if (CHECK_RC(mtp_fake_tls_server_hello(secret, strlen(secret), cr, cr_len, sid, sid_len, ks,
                                           ks_len, ad, ad_len, &out),
                 MTP_RESULT_OK, case_name)) {
        CHECK_MEM(out.data, out.len, resp, resp_len, ctxf("%s: response", case_name));
        if (CHECK(out.len >= 43, case_name)) {
            CHECK_MEM(out.data + 11, 32, sr, sr_len, ctxf("%s: server random", case_name));
        }
    }
    mtp_bytes_free(&out);
    free(cr);
    free(sid);
    free(ks);
    free(ad);
    free(resp);
    free(sr);
}

static void check_obfuscation_case(const cJSON *c) {
    const char *kind = str_field(c, "kind");
    if (kind == NULL) return;
    if (strcmp(kind, "obfuscated2") == 0) check_obfuscated2(c);
    else if (strcmp(kind, "obfuscated2_forbidden") == 0) check_forbidden(c);
    else if (strcmp(kind, "key_share") == 0) check_key_share(c);
    else if (strcmp(kind, "client_hello") == 0) check_client_hello(c);
    else if (strcmp(kind, "server_hello") == 0) check_server_hello(c);
    else CHECK(0, ctxf("%s: kind %s", case_name, kind));
}

/* ---- transport_http.json -------------------------------------------------------- */

/* What an HTTP decoder did with its input. */
struct outcome {
    struct events events;
    mtp_result error;
    uint16_t rejection;
    uint8_t *transmit;
    size_t transmit_len;
    bool close;
};

static void outcome_clear(struct outcome *o) {
    events_clear(&o->events);
    free(o->transmit);
    memset(o, 0, sizeof *o);
}

static int outcome_equal(const struct outcome *a, const struct outcome *b) {
    return events_equal(&a->events, &b->events) && a->error == b->error &&
           a->rejection == b->rejection && a->close == b->close &&
           a->transmit_len == b->transmit_len &&
           (a->transmit_len == 0 || memcmp(a->transmit, b->transmit, a->transmit_len) == 0);
}

typedef mtp_result (*feed_fn)(void *h, const uint8_t *b, size_t n);
static mtp_result feed_http_client(void *h, const uint8_t *b, size_t n) {
    return mtp_http_client_feed(h, b, n);
}
static mtp_result feed_http_server(void *h, const uint8_t *b, size_t n) {
    return mtp_http_server_feed(h, b, n);
}

static int sticky_failures = 0;

/* Feed `wire` in pieces (as framing_decode), collecting events; stops at the
 * first error, which must be sticky. */
static void http_run(void *h, feed_fn feed, poll_fn poll, const uint8_t *wire, size_t len,
                     size_t chunk, size_t split, struct outcome *o) {
    /* The pieces: [start, end) pairs. */
    size_t starts[2], ends[2], npieces = 0;
    if (chunk == 0 && split <= len) {
        starts[0] = 0, ends[0] = split, starts[1] = split, ends[1] = len, npieces = 2;
    } else if (chunk == 0) {
        starts[0] = 0, ends[0] = len, npieces = 1;
    }
    for (size_t at = 0, k = 0;; k++) {
        size_t start, end;
        if (chunk > 0) {
            if (at >= len) break;
            start = at;
            end = at + chunk < len ? at + chunk : len;
            at = end;
        } else {
            if (k >= npieces) break;
            start = starts[k];
            end = ends[k];
        }
        mtp_result rc = feed(h, wire + start, end - start);
        drain(h, poll, &o->events);
        if (rc != MTP_RESULT_OK) {
            o->error = rc;
            if (feed(h, (const uint8_t *)"\r\n", 2) != rc) sticky_failures++;
            return;
        }
    }
}

static void http_client_with(size_t waiting, mtp_http_client **out) {
    *out = NULL;
    mtp_http_client_new("example.org", 11, out);
    for (size_t i = 0; i < waiting && *out != NULL; i++) {
        mtp_bytes req;
        mtp_http_client_encode_request(*out, (const uint8_t *)"q", 1, &req);
        mtp_bytes_free(&req);
    }
}

static void http_decode_client(size_t waiting, const uint8_t *wire, size_t len, size_t chunk,
                               size_t split, struct outcome *o) {
    mtp_http_client *c;
    http_client_with(waiting, &c);
    http_run(c, feed_http_client, poll_http_client, wire, len, chunk, split, o);
    mtp_http_client_should_close(c, &o->close);
    mtp_http_client_free(c);
}

static void http_decode_server(const uint8_t *wire, size_t len, size_t chunk, size_t split,
                               struct outcome *o) {
    mtp_http_server *s = NULL;
    mtp_http_server_new(&s);
    http_run(s, feed_http_server, poll_http_server, wire, len, chunk, split, o);
    mtp_http_server_rejection_status(s, &o->rejection);
    mtp_bytes t;
    mtp_http_server_poll_transmit(s, &t);
    o->transmit_len = t.len;
    o->transmit = malloc(t.len + 1);
    if (t.len) memcpy(o->transmit, t.data, t.len);
    mtp_bytes_free(&t);
    mtp_http_server_free(s);
}

/* Decoding `wire` gives `want` whole, byte by byte, and split in two at
 * (up to about 300) points spread over the input, always including the
 * first and last 64. */
static void http_check_splits(const uint8_t *wire, size_t len, const struct outcome *want,
                              int server, size_t waiting) {
    struct outcome got = {0};
    const char *how[2] = {"whole", "byte by byte"};
    for (int mode = 0; mode < 2; mode++) {
        if (server) http_decode_server(wire, len, mode == 0 ? 0 : 1, len + 1, &got);
        else http_decode_client(waiting, wire, len, mode == 0 ? 0 : 1, len + 1, &got);
        CHECK(outcome_equal(&got, want), ctxf("%s: decode %s", case_name, how[mode]));
        outcome_clear(&got);
    }
    size_t stride = len / 200 + 1, bad = (size_t)-1;
    for (size_t at = 0; at <= len; at += (at < 64 || at + 64 > len) ? 1 : stride) {
        if (server) http_decode_server(wire, len, 0, at, &got);
        else http_decode_client(waiting, wire, len, 0, at, &got);
        int ok = outcome_equal(&got, want);
        outcome_clear(&got);
        if (!ok) {
            bad = at;
            break;
        }
    }
    CHECK(bad == (size_t)-1, ctxf("%s: decode split (first bad at %zu)", case_name, bad));
}

static mtp_result http_error_of(const cJSON *c) {
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(c, "error");
    if (e == NULL || cJSON_IsNull(e)) return MTP_RESULT_OK;
    const char *kind = str_field(e, "kind");
    if (kind == NULL) return MTP_RESULT_INTERNAL;
    if (strcmp(kind, "http") == 0) return MTP_RESULT_TRANSPORT_HTTP;
    if (strcmp(kind, "http_status") == 0) return MTP_RESULT_TRANSPORT_HTTP_STATUS;
    if (strcmp(kind, "frame_too_large") == 0) return MTP_RESULT_TRANSPORT_FRAME_TOO_LARGE;
    CHECK(0, ctxf("%s: error kind %s", case_name, kind));
    return MTP_RESULT_INTERNAL;
}

static void http_events_of(const cJSON *c, struct events *e) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(c, "events")) {
        if (has_field(ev, "packet")) {
            size_t n;
            uint8_t *p = hex_field(ev, "packet", &n);
            events_push_packet(e, p, n, false);
            free(p);
        } else {
            events_push_simple(e, MTP_INBOUND_TRANSPORT_ERROR, 0,
                               (int32_t)num_field(ev, "transport_error"));
        }
    }
}

static void check_http_case(const cJSON *c) {
    const char *kind = str_field(c, "kind");
    if (kind == NULL) return;
    size_t wire_len;
    uint8_t *wire = hex_field(c, "wire", &wire_len);
    struct outcome want = {0};
    want.transmit = malloc(1);
    if (strcmp(kind, "request") == 0) {
        const char *host = str_field(c, "host");
        size_t len;
        uint8_t *payload = hex_field(c, "payload", &len);
        mtp_http_client *client = NULL;
        CHECK_RC(mtp_http_client_new(host, host ? strlen(host) : 0, &client), MTP_RESULT_OK,
                 case_name);
        mtp_bytes req;
        CHECK_RC(mtp_http_client_encode_request(client, payload, len, &req), MTP_RESULT_OK,
                 case_name);
        CHECK_MEM(req.data, req.len, wire, wire_len, ctxf("%s: request", case_name));
        size_t pending = 0;
        CHECK_RC(mtp_http_client_pending(client, &pending), MTP_RESULT_OK, case_name);
        CHECK(pending == 1, ctxf("%s: one pending", case_name));
        mtp_bytes_free(&req);
        mtp_http_client_free(client);
        events_push_packet(&want.events, payload, len, false);
        http_check_splits(wire, wire_len, &want, 1, 0);
        free(payload);
    } else if (strcmp(kind, "response") == 0 || strcmp(kind, "transport_error") == 0 ||
               strcmp(kind, "error") == 0) {
        mtp_http_server *s = NULL;
        mtp_http_client *q = NULL;
        http_client_with(0, &q);
        mtp_bytes req, enc = {NULL, 0};
        mtp_http_server_new(&s);
        mtp_http_client_encode_request(q, (const uint8_t *)"q", 1, &req);
        CHECK_RC(mtp_http_server_feed(s, req.data, req.len), MTP_RESULT_OK, case_name);
        mtp_inbound in;
        CHECK_RC(mtp_http_server_poll(s, &in), MTP_RESULT_OK, case_name);
        CHECK(in.kind == MTP_INBOUND_PACKET, case_name);
        mtp_inbound_free(&in);
        size_t pending = 0;
        CHECK_RC(mtp_http_server_pending(s, &pending), MTP_RESULT_OK, case_name);
        CHECK(pending == 1, ctxf("%s: one request waiting", case_name));
        mtp_result rc;
        if (strcmp(kind, "response") == 0) {
            size_t len;
            uint8_t *payload = hex_field(c, "payload", &len);
            rc = mtp_http_server_encode_response(s, payload, len, &enc);
            events_push_packet(&want.events, payload, len, false);
            free(payload);
        } else if (strcmp(kind, "transport_error") == 0) {
            int32_t code = (int32_t)num_field(c, "code");
            rc = mtp_http_server_encode_transport_error(s, code, &enc);
            events_push_simple(&want.events, MTP_INBOUND_TRANSPORT_ERROR, 0, code);
        } else {
            rc = mtp_http_server_encode_error(s, (uint16_t)num_field(c, "status"), &enc);
            want.error = MTP_RESULT_TRANSPORT_HTTP_STATUS;
        }
        CHECK_RC(rc, MTP_RESULT_OK, case_name);
        CHECK_MEM(enc.data, enc.len, wire, wire_len, ctxf("%s: encoding", case_name));
        mtp_bytes_free(&enc);
        mtp_bytes_free(&req);
        mtp_http_server_free(s);
        mtp_http_client_free(q);
        http_check_splits(wire, wire_len, &want, 0, 1);
    } else if (strcmp(kind, "decode") == 0) {
        const char *role = str_field(c, "role");
        http_events_of(c, &want.events);
        want.error = http_error_of(c);
        if (role != NULL && strcmp(role, "server") == 0) {
            const cJSON *e = cJSON_GetObjectItemCaseSensitive(c, "error");
            const cJSON *rej = e ? cJSON_GetObjectItemCaseSensitive(e, "rejection") : NULL;
            want.rejection = cJSON_IsNumber(rej) ? (uint16_t)rej->valueint : 0;
            if (has_field(c, "transmit")) {
                free(want.transmit);
                want.transmit = hex_field(c, "transmit", &want.transmit_len);
            }
            http_check_splits(wire, wire_len, &want, 1, 0);
        } else {
            want.close = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "close"));
            http_check_splits(wire, wire_len, &want, 0, (size_t)num_field(c, "waiting"));
        }
    } else {
        CHECK(0, ctxf("%s: kind %s", case_name, kind));
    }
    outcome_clear(&want);
    free(wire);
}

/* ---- running the vector files ---------------------------------------------------- */

static int run_file(const char *dir, const char *file, void (*check)(const cJSON *)) {
    const cJSON *cases;
    cJSON *root = load_cases(dir, file, &cases);
    int n = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        char saved[256];
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));
        snprintf(saved, sizeof saved, "%s %s", file, name ? name : "(unnamed)");
        case_name = saved;
        check(c);
        case_name = "?";
        n++;
    }
    cJSON_Delete(root);
    printf("%-28s %d cases\n", file, n);
    return n;
}

/* ---- round trips ------------------------------------------------------------------ */

/* A plain MTProto message of `body_len` (a multiple of 4) body bytes:
 * auth_key_id 0, msg_id, length, body; its padding can be stripped. */
static size_t make_message(uint8_t *out, size_t body_len, uint32_t seed) {
    memset(out, 0, 8);
    fill_pattern(out + 8, 8, seed);
    out[16] = (uint8_t)body_len;
    out[17] = (uint8_t)(body_len >> 8);
    out[18] = 0;
    out[19] = 0;
    fill_pattern(out + 20, body_len, seed + 1);
    return 20 + body_len;
}

/* Move everything `from` has to transmit into `to`, `chunk` bytes at a time;
 * returns the first error of `to`. */
static mtp_result pump_c2s(mtp_client_transport *from, mtp_server_transport *to, size_t chunk,
                           uint64_t now) {
    for (;;) {
        mtp_bytes b;
        if (mtp_client_transport_poll_transmit(from, &b) != MTP_RESULT_OK) return MTP_RESULT_INTERNAL;
        if (b.len == 0) return MTP_RESULT_OK;
        for (size_t at = 0; at < b.len; at += chunk) {
            size_t n = b.len - at < chunk ? b.len - at : chunk;
            mtp_result rc = mtp_server_transport_handle_input(to, b.data + at, n, now);
            if (rc != MTP_RESULT_OK) {
                mtp_bytes_free(&b);
                return rc;
            }
        }
        mtp_bytes_free(&b);
    }
}

static mtp_result pump_s2c(mtp_server_transport *from, mtp_client_transport *to, size_t chunk) {
    for (;;) {
        mtp_bytes b;
        if (mtp_server_transport_poll_transmit(from, &b) != MTP_RESULT_OK) return MTP_RESULT_INTERNAL;
        if (b.len == 0) return MTP_RESULT_OK;
        for (size_t at = 0; at < b.len; at += chunk) {
            size_t n = b.len - at < chunk ? b.len - at : chunk;
            mtp_result rc = mtp_client_transport_handle_input(to, b.data + at, n);
            if (rc != MTP_RESULT_OK) {
                mtp_bytes_free(&b);
                return rc;
            }
        }
        mtp_bytes_free(&b);
    }
}

/* The payload of a received packet equals `want` (padded intermediate:
 * after stripping its padding). */
static int payload_is(const struct event *ev, const uint8_t *want, size_t want_len) {
    if (ev->kind != MTP_INBOUND_PACKET) return 0;
    uint8_t buf[4096];
    size_t n = sizeof buf;
    if (mtp_strip_padded_intermediate_padding(ev->payload, ev->len, buf, &n) != MTP_RESULT_OK)
        return 0;
    return n == want_len && memcmp(buf, want, n) == 0;
}

struct round_trip {
    const char *name;
    mtp_transport_kind kind;
    bool obfuscate;
    const char *secret; /* NULL: none */
    bool quick_ack;     /* supported */
};

#define NOW_MS 1700000000000ull
#define SECRET16 "0123456789abcdef0123456789abcdef"
/* ee + key + "example.com" */
#define SECRET_EE "ee0123456789abcdef0123456789abcdef6578616d706c652e636f6d"

static void round_trip(const struct round_trip *rt) {
    case_name = rt->name;
    mtp_client_transport_config ccfg = {rt->kind, rt->obfuscate, -2, rt->secret,
                                        rt->secret ? strlen(rt->secret) : 0, "example.org", 11,
                                        MTP_TRANSPORT_DEFAULT_MAX_FRAME};
    mtp_text secrets[2] = {{"ffeeddccbbaa99887766554433221100", 32},
                           {rt->secret, rt->secret ? strlen(rt->secret) : 0}};
    mtp_server_transport_config scfg = {secrets, rt->secret ? 2 : 1, !rt->obfuscate && !rt->secret,
                                        rt->obfuscate && !rt->secret,
                                        rt->kind == MTP_TRANSPORT_HTTP,
                                        MTP_TRANSPORT_DEFAULT_MAX_FRAME};
    mtp_client_transport *client = NULL;
    mtp_server_transport *server = NULL;
    if (!CHECK_RC(mtp_client_transport_new(&ccfg, NOW_MS, &client), MTP_RESULT_OK, case_name) ||
        !CHECK_RC(mtp_server_transport_new(&scfg, &server), MTP_RESULT_OK, case_name)) {
        mtp_client_transport_free(client);
        mtp_server_transport_free(server);
        return;
    }
    struct events got = {0};
    uint8_t msg[3][600];
    size_t msg_len[3];
    for (int round = 0; round < 3; round++) {
        msg_len[round] = make_message(msg[round], 40 + 172 * (size_t)round, (uint32_t)round + 1);
    }
    for (int round = 0; round < 3; round++) {
        size_t chunk = (size_t)(round * 5 + 1);
        bool qa = rt->quick_ack && round == 1;
        /* Client → server. */
        CHECK_RC(mtp_client_transport_send(client, msg[round], msg_len[round], qa), MTP_RESULT_OK,
                 ctxf("%s: client send %d", rt->name, round));
        CHECK_RC(pump_c2s(client, server, chunk, NOW_MS), MTP_RESULT_OK,
                 ctxf("%s: server reads %d", rt->name, round));
        CHECK(drain(server, poll_server_tr, &got) && got.n == 1 &&
                  payload_is(&got.items[0], msg[round], msg_len[round]) &&
                  got.items[0].quick_ack == qa,
              ctxf("%s: server got packet %d (%zu events)", rt->name, round, got.n));
        events_clear(&got);
        if (round == 0) {
            mtp_detected_transport d;
            CHECK_RC(mtp_server_transport_detected(server, &d), MTP_RESULT_OK, case_name);
            bool tls = rt->secret != NULL && strncmp(rt->secret, "ee", 2) == 0;
            bool obf = rt->obfuscate || rt->secret != NULL;
            CHECK(d.detected && d.kind == rt->kind && d.obfuscated == obf && d.fake_tls == tls &&
                      d.has_secret_index == (rt->secret != NULL) &&
                      (!d.has_secret_index || d.secret_index == 1) && d.has_dc_id == obf &&
                      (!obf || d.dc_id == -2),
                  ctxf("%s: detected", rt->name));
        }
        /* Server → client. */
        if (qa) {
            CHECK_RC(mtp_server_transport_send_quick_ack(server, 0x80001234u), MTP_RESULT_OK,
                     case_name);
        }
        CHECK_RC(mtp_server_transport_send(server, msg[2 - round], msg_len[2 - round]),
                 MTP_RESULT_OK, ctxf("%s: server send %d", rt->name, round));
        CHECK_RC(pump_s2c(server, client, chunk), MTP_RESULT_OK,
                 ctxf("%s: client reads %d", rt->name, round));
        size_t want_n = qa ? 2 : 1;
        CHECK(drain(client, poll_client_tr, &got) && got.n == want_n &&
                  (!qa || (got.items[0].kind == MTP_INBOUND_QUICK_ACK &&
                           got.items[0].token == 0x80001234u)) &&
                  payload_is(&got.items[want_n - 1], msg[2 - round], msg_len[2 - round]),
              ctxf("%s: client got packet %d (%zu events)", rt->name, round, got.n));
        events_clear(&got);
    }
    /* A transport error, server → client (HTTP: as the answer to a request). */
    if (rt->kind == MTP_TRANSPORT_HTTP) {
        CHECK_RC(mtp_client_transport_send(client, msg[0], msg_len[0], false), MTP_RESULT_OK,
                 case_name);
        CHECK_RC(pump_c2s(client, server, 3, NOW_MS), MTP_RESULT_OK, case_name);
        drain(server, poll_server_tr, &got);
        events_clear(&got);
    }
    CHECK_RC(mtp_server_transport_send_transport_error(server, -404), MTP_RESULT_OK, case_name);
    CHECK_RC(pump_s2c(server, client, 2), MTP_RESULT_OK, case_name);
    CHECK(drain(client, poll_client_tr, &got) && got.n == 1 &&
              got.items[0].kind == MTP_INBOUND_TRANSPORT_ERROR && got.items[0].code == -404,
          ctxf("%s: transport error", rt->name));
    events_clear(&got);
    mtp_client_transport_free(client);
    mtp_server_transport_free(server);
    case_name = "?";
}

static void round_trips(void) {
    static const struct round_trip all[] = {
        {"plain abridged", MTP_TRANSPORT_ABRIDGED, false, NULL, true},
        {"plain intermediate", MTP_TRANSPORT_INTERMEDIATE, false, NULL, true},
        {"plain padded", MTP_TRANSPORT_PADDED_INTERMEDIATE, false, NULL, true},
        {"plain full", MTP_TRANSPORT_FULL, false, NULL, false},
        {"obfuscated abridged", MTP_TRANSPORT_ABRIDGED, true, NULL, true},
        {"obfuscated intermediate", MTP_TRANSPORT_INTERMEDIATE, true, NULL, true},
        {"obfuscated padded", MTP_TRANSPORT_PADDED_INTERMEDIATE, true, NULL, true},
        {"16-byte secret", MTP_TRANSPORT_INTERMEDIATE, false, SECRET16, true},
        {"dd secret", MTP_TRANSPORT_PADDED_INTERMEDIATE, false, "dd" SECRET16, true},
        {"ee secret (fake TLS)", MTP_TRANSPORT_PADDED_INTERMEDIATE, false, SECRET_EE, true},
        {"http", MTP_TRANSPORT_HTTP, false, NULL, false},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) round_trip(&all[i]);
}

/* A client with the wrong secret is refused, and the error is sticky. */
static void refused_connections(void) {
    const char *client_secrets[] = {SECRET16, "dd" SECRET16, SECRET_EE};
    mtp_transport_kind kinds[] = {MTP_TRANSPORT_ABRIDGED, MTP_TRANSPORT_PADDED_INTERMEDIATE,
                                  MTP_TRANSPORT_PADDED_INTERMEDIATE};
    for (int i = 0; i < 3; i++) {
        case_name = ctxf("refused %s", client_secrets[i]);
        mtp_client_transport_config ccfg = {kinds[i], false, 2, client_secrets[i],
                                            strlen(client_secrets[i]), NULL, 0,
                                            MTP_TRANSPORT_DEFAULT_MAX_FRAME};
        mtp_text other[2] = {{"ffeeddccbbaa99887766554433221100", 32},
                             {"eeffeeddccbbaa998877665544332211006578616d706c652e636f6d", 56}};
        mtp_server_transport_config scfg = {other, 2, false, false, false,
                                            MTP_TRANSPORT_DEFAULT_MAX_FRAME};
        mtp_client_transport *client = NULL;
        mtp_server_transport *server = NULL;
        CHECK_RC(mtp_client_transport_new(&ccfg, NOW_MS, &client), MTP_RESULT_OK, case_name);
        CHECK_RC(mtp_server_transport_new(&scfg, &server), MTP_RESULT_OK, case_name);
        CHECK_RC(mtp_client_transport_send(client, (const uint8_t *)"abcdefgh", 8, false),
                 MTP_RESULT_OK, case_name);
        mtp_result rc = pump_c2s(client, server, 5, NOW_MS);
        CHECK(rc == MTP_RESULT_TRANSPORT_OBFUSCATION || rc == MTP_RESULT_TRANSPORT_UNKNOWN_PROTOCOL ||
                  rc == MTP_RESULT_TRANSPORT_FAKE_TLS,
              ctxf("%s: refused with %s", case_name, mtp_result_name(rc)));
        if (rc != MTP_RESULT_OK) {
            CHECK_RC(mtp_server_transport_handle_input(server, (const uint8_t *)"x", 1, NOW_MS), rc,
                     ctxf("%s: sticky", case_name));
            CHECK_RC(mtp_server_transport_send(server, (const uint8_t *)"abcd", 4), rc,
                     ctxf("%s: sticky send", case_name));
        }
        mtp_inbound in;
        CHECK_RC(mtp_server_transport_poll_inbound(server, &in), MTP_RESULT_OK, case_name);
        CHECK(in.kind == MTP_INBOUND_NONE, case_name);
        mtp_client_transport_free(client);
        mtp_server_transport_free(server);
    }
    /* Plain refused when the server takes only obfuscated: 605. */
    case_name = "refused plain";
    mtp_client_transport_config ccfg = {MTP_TRANSPORT_INTERMEDIATE, false, 2, NULL, 0, NULL, 0,
                                        MTP_TRANSPORT_DEFAULT_MAX_FRAME};
    mtp_server_transport_config scfg = {NULL, 0, false, true, false, MTP_TRANSPORT_DEFAULT_MAX_FRAME};
    mtp_client_transport *client = NULL;
    mtp_server_transport *server = NULL;
    CHECK_RC(mtp_client_transport_new(&ccfg, NOW_MS, &client), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_server_transport_new(&scfg, &server), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_client_transport_send(client, (const uint8_t *)"abcdefgh", 8, false), MTP_RESULT_OK,
             case_name);
    CHECK_RC(pump_c2s(client, server, 1, NOW_MS), MTP_RESULT_TRANSPORT_UNKNOWN_PROTOCOL, case_name);
    CHECK_RC(mtp_server_transport_handle_input(server, (const uint8_t *)"x", 1, NOW_MS),
             MTP_RESULT_TRANSPORT_UNKNOWN_PROTOCOL, ctxf("%s: sticky", case_name));
    mtp_detected_transport d;
    CHECK_RC(mtp_server_transport_detected(server, &d), MTP_RESULT_OK, case_name);
    CHECK(!d.detected, ctxf("%s: nothing detected", case_name));
    mtp_client_transport_free(client);
    mtp_server_transport_free(server);
    case_name = "?";
}

/* ---- argument errors and the smaller functions ------------------------------------- */

static void api_errors(void) {
    case_name = "api";
    uint8_t buf[64];
    size_t len;

    /* NULL-safe frees; freeing bytes twice is harmless. */
    mtp_client_transport_free(NULL);
    mtp_server_transport_free(NULL);
    mtp_framing_codec_free(NULL);
    mtp_http_client_free(NULL);
    mtp_http_server_free(NULL);
    mtp_bytes_free(NULL);
    mtp_inbound_free(NULL);
    mtp_bytes empty = {NULL, 0};
    mtp_bytes_free(&empty);
    CHECK(1, "NULL frees return");

    /* Framing headers. */
    const struct {
        mtp_transport_kind kind;
        const char *hex;
    } headers[] = {{MTP_TRANSPORT_ABRIDGED, "ef"},
                   {MTP_TRANSPORT_INTERMEDIATE, "eeeeeeee"},
                   {MTP_TRANSPORT_PADDED_INTERMEDIATE, "dddddddd"},
                   {MTP_TRANSPORT_FULL, ""}};
    for (size_t i = 0; i < 4; i++) {
        size_t want_len = 0;
        uint8_t *want = hex_decode(headers[i].hex, &want_len);
        len = sizeof buf;
        CHECK_RC(mtp_framing_header(headers[i].kind, buf, &len), MTP_RESULT_OK, "framing header");
        CHECK_MEM(buf, len, want, want_len, ctxf("framing header %u", headers[i].kind));
        free(want);
    }
    len = 2;
    CHECK_RC(mtp_framing_header(MTP_TRANSPORT_INTERMEDIATE, buf, &len), MTP_RESULT_BUFFER_TOO_SMALL,
             "framing header small buffer");
    CHECK(len == 4, "framing header: size needed");
    len = sizeof buf;
    CHECK_RC(mtp_framing_header(MTP_TRANSPORT_HTTP, buf, &len), MTP_RESULT_INVALID_ARGUMENT,
             "framing header of HTTP");
    CHECK_RC(mtp_framing_header(17, buf, &len), MTP_RESULT_INVALID_ARGUMENT, "framing header of 17");
    CHECK_RC(mtp_framing_header(MTP_TRANSPORT_ABRIDGED, buf, NULL), MTP_RESULT_NULL_POINTER,
             "framing header NULL out_len");

    /* Codec construction. */
    mtp_framing_codec *codec = (mtp_framing_codec *)(uintptr_t)1;
    CHECK_RC(mtp_framing_codec_new(MTP_TRANSPORT_HTTP, MTP_ROLE_CLIENT, 1024, &codec),
             MTP_RESULT_INVALID_ARGUMENT, "codec of HTTP");
    CHECK(codec == NULL, "codec: *out = NULL on failure");
    CHECK_RC(mtp_framing_codec_new(MTP_TRANSPORT_FULL, 2, 1024, &codec), MTP_RESULT_INVALID_ARGUMENT,
             "codec role 2");
    CHECK_RC(mtp_framing_codec_new(MTP_TRANSPORT_FULL, MTP_ROLE_CLIENT, 1024, NULL),
             MTP_RESULT_NULL_POINTER, "codec out NULL");

    /* NULL handles. */
    mtp_bytes out;
    mtp_inbound in;
    CHECK_RC(mtp_framing_codec_feed(NULL, buf, 1), MTP_RESULT_NULL_POINTER, "feed NULL codec");
    CHECK_RC(mtp_framing_codec_poll(NULL, &in), MTP_RESULT_NULL_POINTER, "poll NULL codec");
    CHECK(in.kind == MTP_INBOUND_NONE, "poll NULL codec: out reset");
    CHECK_RC(mtp_framing_codec_encode_packet(NULL, buf, 4, false, &out), MTP_RESULT_NULL_POINTER,
             "encode NULL codec");
    CHECK(out.data == NULL && out.len == 0, "encode NULL codec: out reset");
    CHECK_RC(mtp_client_transport_send(NULL, buf, 4, false), MTP_RESULT_NULL_POINTER, "client NULL");
    CHECK_RC(mtp_client_transport_poll_transmit(NULL, &out), MTP_RESULT_NULL_POINTER, "client NULL");
    CHECK_RC(mtp_server_transport_poll_inbound(NULL, &in), MTP_RESULT_NULL_POINTER, "server NULL");
    CHECK_RC(mtp_server_transport_send_quick_ack(NULL, 0x80000000u), MTP_RESULT_NULL_POINTER,
             "server NULL");
    CHECK_RC(mtp_http_client_feed(NULL, buf, 1), MTP_RESULT_NULL_POINTER, "http client NULL");
    CHECK_RC(mtp_http_server_poll_transmit(NULL, &out), MTP_RESULT_NULL_POINTER, "http server NULL");
    size_t pending;
    CHECK_RC(mtp_http_server_pending(NULL, &pending), MTP_RESULT_NULL_POINTER, "http server NULL");
    CHECK_RC(mtp_client_transport_new(NULL, 0, NULL), MTP_RESULT_NULL_POINTER, "client new NULL");
    mtp_client_transport *client = (mtp_client_transport *)(uintptr_t)1;
    CHECK_RC(mtp_client_transport_new(NULL, 0, &client), MTP_RESULT_NULL_POINTER, "client config NULL");
    CHECK(client == NULL, "client: *out = NULL on failure");

    /* Codec errors: roles, padding, codes, tokens; sticky feed errors. */
    CHECK_RC(mtp_framing_codec_new(MTP_TRANSPORT_PADDED_INTERMEDIATE, MTP_ROLE_CLIENT, 64, &codec),
             MTP_RESULT_OK, "codec");
    CHECK_RC(mtp_framing_codec_encode_quick_ack(codec, 0x80000001u, &out),
             MTP_RESULT_TRANSPORT_INVALID_STATE, "client quick-ack reply");
    CHECK_RC(mtp_framing_codec_encode_transport_error(codec, -404, &out),
             MTP_RESULT_TRANSPORT_INVALID_STATE, "client transport error");
    CHECK_RC(mtp_framing_codec_encode_packet(codec, buf, 3, false, &out),
             MTP_RESULT_TRANSPORT_INVALID_FRAME, "3-byte payload");
    CHECK_RC(mtp_framing_codec_encode_packet(codec, buf, 0, false, &out),
             MTP_RESULT_TRANSPORT_INVALID_FRAME, "empty payload");
    CHECK_RC(mtp_framing_codec_encode_packet(codec, NULL, 4, false, &out), MTP_RESULT_NULL_POINTER,
             "NULL payload");
    uint8_t big[128] = {0};
    CHECK_RC(mtp_framing_codec_encode_packet(codec, big, sizeof big, false, &out),
             MTP_RESULT_TRANSPORT_FRAME_TOO_LARGE, "payload over max_frame");
    CHECK_RC(mtp_framing_codec_encode_packet_with_padding(codec, buf, 4, true, big, 16, &out),
             MTP_RESULT_TRANSPORT_INVALID_FRAME, "16 bytes of padding");
    /* Random padding: 0..15 bytes after a 4-byte length. */
    CHECK_RC(mtp_framing_codec_encode_packet(codec, buf, 8, true, &out), MTP_RESULT_OK, "encode");
    CHECK(out.len >= 12 && out.len <= 27 && (out.data[3] & 0x80) != 0, "padded packet with quick ack");
    mtp_bytes_free(&out);
    mtp_bytes_free(&out); /* harmless */
    /* A declared length over max_frame: fatal and sticky. */
    const uint8_t huge[4] = {0x00, 0x10, 0x00, 0x00};
    CHECK_RC(mtp_framing_codec_feed(codec, huge, 4), MTP_RESULT_TRANSPORT_FRAME_TOO_LARGE, "huge frame");
    CHECK_RC(mtp_framing_codec_feed(codec, buf, 1), MTP_RESULT_TRANSPORT_FRAME_TOO_LARGE, "sticky");
    CHECK_RC(mtp_framing_codec_encode_packet(codec, buf, 4, false, &out),
             MTP_RESULT_TRANSPORT_FRAME_TOO_LARGE, "sticky encode");
    mtp_framing_codec_free(codec);

    CHECK_RC(mtp_framing_codec_new(MTP_TRANSPORT_ABRIDGED, MTP_ROLE_SERVER, 1024, &codec),
             MTP_RESULT_OK, "codec");
    CHECK_RC(mtp_framing_codec_encode_transport_error(codec, 5, &out),
             MTP_RESULT_TRANSPORT_INVALID_FRAME, "positive transport error code");
    CHECK_RC(mtp_framing_codec_encode_transport_error(codec, -1, &out),
             MTP_RESULT_TRANSPORT_INVALID_FRAME, "transport error -1");
    CHECK_RC(mtp_framing_codec_encode_quick_ack(codec, 0x1234, &out),
             MTP_RESULT_TRANSPORT_INVALID_FRAME, "token without top bit");
    CHECK_RC(mtp_framing_codec_encode_quick_ack(codec, 0x80001234u, &out), MTP_RESULT_OK, "quick ack");
    CHECK(out.len == 4 && out.data[0] == 0x80 && out.data[3] == 0x34, "abridged quick ack big-endian");
    mtp_bytes_free(&out);
    CHECK_RC(mtp_framing_codec_encode_transport_error(codec, -429, &out), MTP_RESULT_OK, "error");
    CHECK(out.len == 5, "abridged transport error: 1 + 4 bytes");
    mtp_bytes_free(&out);
    CHECK_RC(mtp_framing_codec_encode_packet(codec, buf, 4, true, &out),
             MTP_RESULT_TRANSPORT_INVALID_STATE, "server asks for a quick ack");
    mtp_framing_codec_free(codec);

    /* Quick-ack tokens. */
    uint8_t large[32];
    for (int i = 0; i < 32; i++) large[i] = (uint8_t)i;
    uint32_t token = 0;
    CHECK_RC(mtp_quick_ack_token(large, 32, &token), MTP_RESULT_OK, "token");
    CHECK(token == (0x03020100u | 0x80000000u), ctxf("token %08x", token));
    CHECK_RC(mtp_quick_ack_token(large, 31, &token), MTP_RESULT_INVALID_LENGTH, "token 31 bytes");
    CHECK_RC(mtp_quick_ack_token(large, 32, NULL), MTP_RESULT_NULL_POINTER, "token out NULL");

    /* Stripping what cannot be measured returns it unchanged; in place. */
    uint8_t odd[6] = {1, 2, 3, 4, 5, 6};
    len = sizeof odd;
    CHECK_RC(mtp_strip_padded_intermediate_padding(odd, sizeof odd, odd, &len), MTP_RESULT_OK, "strip");
    CHECK(len == 6 && odd[5] == 6, "strip short input unchanged");

    /* Proxy secrets: hex, base64url, normalization, errors. */
    len = sizeof buf;
    CHECK_RC(mtp_parse_proxy_secret("DD" SECRET16, 34, buf, &len), MTP_RESULT_OK, "dd secret");
    CHECK(len == 17 && buf[0] == 0xdd && buf[1] == 0x01, "dd secret bytes");
    len = sizeof buf;
    /* base64url of 16 bytes 0x00..0x0f */
    CHECK_RC(mtp_parse_proxy_secret("AAECAwQFBgcICQoLDA0ODw", 22, buf, &len), MTP_RESULT_OK,
             "base64url secret");
    CHECK(len == 16 && buf[0] == 0 && buf[15] == 15, "base64url secret bytes");
    len = sizeof buf;
    CHECK_RC(mtp_parse_proxy_secret(SECRET_EE, strlen(SECRET_EE), buf, &len), MTP_RESULT_OK, "ee");
    CHECK(len == 28 && buf[0] == 0xee && memcmp(buf + 17, "example.com", 11) == 0, "ee bytes");
    len = 4;
    CHECK_RC(mtp_parse_proxy_secret(SECRET16, 32, buf, &len), MTP_RESULT_BUFFER_TOO_SMALL, "small");
    CHECK(len == 16, "secret: size needed");
    len = sizeof buf;
    CHECK_RC(mtp_parse_proxy_secret("0123", 4, buf, &len), MTP_RESULT_TRANSPORT_INVALID_SECRET,
             "short secret");
    CHECK_RC(mtp_parse_proxy_secret("not a secret!", 13, buf, &len),
             MTP_RESULT_TRANSPORT_INVALID_SECRET, "garbage secret");
    CHECK_RC(mtp_parse_proxy_secret(NULL, 0, buf, &len), MTP_RESULT_TRANSPORT_INVALID_SECRET,
             "empty secret");
    CHECK_RC(mtp_parse_proxy_secret(NULL, 5, buf, &len), MTP_RESULT_NULL_POINTER, "NULL secret");
    CHECK(strstr(mtp_last_error_message(), "secret") != NULL, "NULL secret: message");

    /* Obfuscation init: lengths, kinds, secrets. */
    uint8_t random[64];
    fill_pattern(random, 64, 9);
    random[0] = 0x11;
    random[4] = 0x22;
    bool valid = false;
    CHECK_RC(mtp_is_valid_obfuscation_init(random, 64, &valid), MTP_RESULT_OK, "valid init");
    CHECK(valid, "pattern init is valid");
    CHECK_RC(mtp_is_valid_obfuscation_init(random, 63, &valid), MTP_RESULT_INVALID_LENGTH, "63 bytes");
    mtp_obfuscation_init_keys keys;
    CHECK_RC(mtp_obfuscation_init(random, 64, MTP_TRANSPORT_FULL, 2, NULL, 0, &keys),
             MTP_RESULT_TRANSPORT_OBFUSCATION, "obfuscated full");
    CHECK_RC(mtp_obfuscation_init(random, 64, MTP_TRANSPORT_HTTP, 2, NULL, 0, &keys),
             MTP_RESULT_INVALID_ARGUMENT, "obfuscated HTTP");
    CHECK_RC(mtp_obfuscation_init(random, 64, MTP_TRANSPORT_ABRIDGED, 2, "dd" SECRET16, 34, &keys),
             MTP_RESULT_TRANSPORT_INVALID_SECRET, "dd secret with abridged");
    CHECK_RC(mtp_obfuscation_init(random, 64, MTP_TRANSPORT_ABRIDGED, 2, NULL, 0, NULL),
             MTP_RESULT_NULL_POINTER, "init out NULL");
    CHECK_RC(mtp_obfuscation_init(random, 64, MTP_TRANSPORT_ABRIDGED, 7, NULL, 0, &keys), MTP_RESULT_OK,
             "init");
    CHECK(memcmp(keys.header, random, 56) == 0, "init: first 56 bytes in clear");

    /* AES-CTR: twice gives the data back; wrong lengths. */
    uint8_t data[40], enc[40];
    fill_pattern(data, sizeof data, 4);
    len = sizeof enc;
    CHECK_RC(mtp_aes_ctr_apply(keys.client_encrypt_key, 32, keys.client_encrypt_iv, 16, data, 40, enc,
                               &len),
             MTP_RESULT_OK, "ctr");
    CHECK(len == 40 && memcmp(enc, data, 40) != 0, "ctr changes data");
    CHECK_RC(mtp_aes_ctr_apply(keys.client_encrypt_key, 32, keys.client_encrypt_iv, 16, enc, 40, enc,
                               &len),
             MTP_RESULT_OK, "ctr in place");
    CHECK_MEM(enc, len, data, 40, "ctr twice");
    CHECK_RC(mtp_aes_ctr_apply(keys.client_encrypt_key, 31, keys.client_encrypt_iv, 16, data, 40, enc,
                               &len),
             MTP_RESULT_INVALID_LENGTH, "ctr key 31");
    CHECK_RC(mtp_aes_ctr_apply(keys.client_encrypt_key, 32, keys.client_encrypt_iv, 32, data, 40, enc,
                               &len),
             MTP_RESULT_INVALID_LENGTH, "ctr iv 32");
    len = 10;
    CHECK_RC(mtp_aes_ctr_apply(keys.client_encrypt_key, 32, keys.client_encrypt_iv, 16, data, 40, enc,
                               &len),
             MTP_RESULT_BUFFER_TOO_SMALL, "ctr small");
    CHECK(len == 40, "ctr: size needed");

    /* Fake TLS argument errors. */
    uint8_t sid[32] = {0}, seed[7] = {0}, ks[32] = {0}, order[15];
    for (int i = 0; i < 15; i++) order[i] = (uint8_t)i;
    mtp_client_hello hello;
    CHECK_RC(mtp_fake_tls_client_hello(SECRET16, 32, NOW_MS, sid, 32, seed, 7, ks, 32, order, 15,
                                       &hello),
             MTP_RESULT_TRANSPORT_INVALID_SECRET, "client hello without ee secret");
    CHECK(hello.hello.data == NULL, "client hello: out reset");
    CHECK_RC(mtp_fake_tls_client_hello(SECRET_EE, strlen(SECRET_EE), NOW_MS, sid, 31, seed, 7, ks, 32,
                                       order, 15, &hello),
             MTP_RESULT_INVALID_LENGTH, "session id 31");
    order[0] = 1;
    CHECK_RC(mtp_fake_tls_client_hello(SECRET_EE, strlen(SECRET_EE), NOW_MS, sid, 32, seed, 7, ks, 32,
                                       order, 15, &hello),
             MTP_RESULT_TRANSPORT_FAKE_TLS, "order not a permutation");
    mtp_bytes_free(&hello.hello);
    CHECK_RC(mtp_fake_tls_server_hello(SECRET_EE, strlen(SECRET_EE), sid, 32, sid, 32, ks, 32, NULL, 0,
                                       &out),
             MTP_RESULT_TRANSPORT_FAKE_TLS, "server hello without app data");
    CHECK_RC(mtp_fake_tls_key_share(ks, 31, buf, &len), MTP_RESULT_INVALID_LENGTH, "key share 31");

    /* Client transport configuration errors. */
    mtp_client_transport_config cfg = {MTP_TRANSPORT_HTTP, true, 2, NULL, 0, "h", 1,
                                       MTP_TRANSPORT_DEFAULT_MAX_FRAME};
    CHECK_RC(mtp_client_transport_new(&cfg, NOW_MS, &client), MTP_RESULT_TRANSPORT_INVALID_STATE,
             "obfuscated HTTP client");
    cfg.kind = MTP_TRANSPORT_FULL;
    CHECK_RC(mtp_client_transport_new(&cfg, NOW_MS, &client), MTP_RESULT_TRANSPORT_OBFUSCATION,
             "obfuscated full client");
    cfg.kind = 9;
    CHECK_RC(mtp_client_transport_new(&cfg, NOW_MS, &client), MTP_RESULT_INVALID_ARGUMENT, "kind 9");
    cfg.kind = MTP_TRANSPORT_ABRIDGED;
    cfg.secret = "zz";
    cfg.secret_len = 2;
    CHECK_RC(mtp_client_transport_new(&cfg, NOW_MS, &client), MTP_RESULT_TRANSPORT_INVALID_SECRET,
             "client bad secret");
    cfg.secret = "dd" SECRET16;
    cfg.secret_len = 34;
    CHECK_RC(mtp_client_transport_new(&cfg, NOW_MS, &client), MTP_RESULT_TRANSPORT_INVALID_SECRET,
             "dd secret with abridged");
    CHECK(client == NULL, "client NULL after failures");
    /* The full framing cannot ask for quick acks. */
    mtp_client_transport_config full = {MTP_TRANSPORT_FULL, false, 2, NULL, 0, NULL, 0, 1024};
    CHECK_RC(mtp_client_transport_new(&full, NOW_MS, &client), MTP_RESULT_OK, "full client");
    CHECK_RC(mtp_client_transport_poll_transmit(client, &out), MTP_RESULT_OK, "full: no header");
    CHECK(out.len == 0 && out.data == NULL, "full: nothing to send first");
    CHECK_RC(mtp_client_transport_send(client, buf, 8, true), MTP_RESULT_TRANSPORT_INVALID_STATE,
             "full quick ack");
    /* A refused argument is not a connection failure. */
    CHECK_RC(mtp_client_transport_send(client, buf, 8, false), MTP_RESULT_OK, "send after it");
    mtp_client_transport_free(client);

    /* Server transport configuration errors. */
    mtp_text bad[2] = {{SECRET16, 32}, {"nope", 4}};
    mtp_server_transport_config scfg = {bad, 2, true, true, true, MTP_TRANSPORT_DEFAULT_MAX_FRAME};
    mtp_server_transport *server = (mtp_server_transport *)(uintptr_t)1;
    CHECK_RC(mtp_server_transport_new(&scfg, &server), MTP_RESULT_TRANSPORT_INVALID_SECRET,
             "server bad secret");
    CHECK(server == NULL && strstr(mtp_last_error_message(), "[1]") != NULL,
          "server bad secret: index named");
    scfg.secrets = NULL;
    CHECK_RC(mtp_server_transport_new(&scfg, &server), MTP_RESULT_NULL_POINTER, "NULL secrets");
    scfg.secrets_len = 0;
    CHECK_RC(mtp_server_transport_new(&scfg, &server), MTP_RESULT_OK, "no secrets");
    CHECK_RC(mtp_server_transport_send(server, buf, 4), MTP_RESULT_TRANSPORT_INVALID_STATE,
             "send before detection");
    mtp_server_transport_free(server);

    /* HTTP odds and ends. */
    mtp_http_client *hc = (mtp_http_client *)(uintptr_t)1;
    CHECK_RC(mtp_http_client_new("a\r\nb", 4, &hc), MTP_RESULT_TRANSPORT_INVALID_STATE, "bad host");
    CHECK(hc == NULL, "http client NULL on failure");
    CHECK_RC(mtp_http_client_new("h", 1, &hc), MTP_RESULT_OK, "http client");
    bool close = true;
    CHECK_RC(mtp_http_client_should_close(hc, &close), MTP_RESULT_OK, "should close");
    CHECK(!close, "fresh client stays open");
    CHECK_RC(mtp_http_client_pending(hc, NULL), MTP_RESULT_NULL_POINTER, "pending out NULL");
    mtp_http_client_free(hc);
    mtp_http_server *hs = NULL;
    CHECK_RC(mtp_http_server_new(&hs), MTP_RESULT_OK, "http server");
    uint16_t status = 1;
    CHECK_RC(mtp_http_server_rejection_status(hs, &status), MTP_RESULT_OK, "rejection");
    CHECK(status == 0, "no rejection yet");
    CHECK_RC(mtp_http_server_should_close(hs, &close), MTP_RESULT_OK, "server should close");
    CHECK(!close, "fresh server stays open");
    CHECK_RC(mtp_http_server_encode_response(hs, buf, 4, &out), MTP_RESULT_TRANSPORT_INVALID_STATE,
             "response with nothing waiting");
    CHECK_RC(mtp_http_server_feed(hs, (const uint8_t *)"GARBAGE\r\n\r\n", 11), MTP_RESULT_TRANSPORT_HTTP,
             "garbage request");
    CHECK_RC(mtp_http_server_rejection_status(hs, &status), MTP_RESULT_OK, "rejection");
    CHECK(status == 400, ctxf("rejection status %u", status));
    mtp_http_server_free(hs);
    case_name = "?";
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/vectors";
    int framing = run_file(dir, "transport_framing.json", check_framing_case);
    CHECK(framing == 8, ctxf("transport_framing.json: 8 cases, got %d", framing));
    CHECK(strips_checked == 2, ctxf("padded messages stripped: %d", strips_checked));
    int obf = run_file(dir, "transport_obfuscation.json", check_obfuscation_case);
    CHECK(obf >= 31, ctxf("transport_obfuscation.json: %d cases", obf));
    int http = run_file(dir, "transport_http.json", check_http_case);
    CHECK(http >= 50, ctxf("transport_http.json: %d cases", http));
    CHECK(sticky_failures == 0, ctxf("HTTP errors sticky (%d were not)", sticky_failures));
    round_trips();
    refused_connections();
    api_errors();
    return check_finish();
}
