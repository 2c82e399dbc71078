/*
 * test_auth.c: auth key creation through the C API: every case of
 * handshake.json replayed on both sides (tests/vectors/README.md), live
 * exchanges with the OS random source (a permanent and a temporary key,
 * then binding the temporary key to the permanent one), the key store, RSA
 * keys, and the error codes and argument errors of every export.
 *
 * Usage: test_auth [VECTORS_DIR]   (default: tests/vectors)
 *
 * Besides handshake.json the directory holds two inputs of the generator,
 * rsa_test_key.pem (the test RSA key of every exchange case: the live
 * exchanges use it, generating keys costs time) and dh_test_prime.hex (the
 * custom DH prime, g = 2: the DH group checks use it).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdbool.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "check.h"

/* ---- helpers ---------------------------------------------------------------- */

static const char *case_name = "?";

/* The last error message contains `needle`. */
static int message_has(const char *needle) {
    const char *m = mtp_last_error_message();
    return m != NULL && strstr(m, needle) != NULL;
}

static const char *str_field(const cJSON *c, const char *field) {
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, field));
    CHECK(s != NULL, ctxf("%s: string field \"%s\"", case_name, field));
    return s;
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

/* A hex string (not from JSON), decoded; never NULL. */
static uint8_t *hex_string(const char *s, size_t *len) {
    uint8_t *out = s != NULL ? hex_decode(s, len) : NULL;
    if (out == NULL) {
        out = malloc(1);
        *len = 0;
    }
    return out;
}

/* An unsigned decimal string field (TL key ids, session ids, msg ids). */
static uint64_t u64_field(const cJSON *c, const char *field) {
    const char *s = str_field(c, field);
    if (s == NULL) return 0;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    CHECK(errno == 0 && end != s && *end == '\0' && s[0] != '-',
          ctxf("%s: decimal u64 field \"%s\"", case_name, field));
    return (uint64_t)v;
}

/* A signed decimal string field (TL longs: fingerprints, salts, nonces). */
static int64_t i64_field(const cJSON *c, const char *field) {
    const char *s = str_field(c, field);
    if (s == NULL) return 0;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    CHECK(errno == 0 && end != s && *end == '\0',
          ctxf("%s: decimal i64 field \"%s\"", case_name, field));
    return (int64_t)v;
}

/* The bodies one side sent, in order. */
#define MAX_BODIES 16
struct bodies {
    uint8_t *body[MAX_BODIES];
    size_t len[MAX_BODIES];
    size_t n;
};

static void bodies_of(const cJSON *c, const char *sender, struct bodies *out) {
    memset(out, 0, sizeof *out);
    const cJSON *messages = cJSON_GetObjectItemCaseSensitive(c, "messages");
    CHECK(cJSON_IsArray(messages), ctxf("%s: messages", case_name));
    const cJSON *m;
    cJSON_ArrayForEach(m, messages) {
        const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "sender"));
        if (s == NULL || strcmp(s, sender) != 0) continue;
        if (!CHECK(out->n < MAX_BODIES, ctxf("%s: at most %d bodies", case_name, MAX_BODIES)))
            break;
        out->body[out->n] = hex_field(m, "body", &out->len[out->n]);
        out->n++;
    }
}

static void bodies_free(struct bodies *b) {
    for (size_t i = 0; i < b->n; i++) free(b->body[i]);
    b->n = 0;
}

/* Compare library-owned bytes with the recorded ones, then free them. */
static void check_bytes(mtp_bytes *got, const uint8_t *want, size_t want_len, const char *what) {
    CHECK_MEM(got->data, got->len, want, want_len, ctxf("%s: %s", case_name, what));
    mtp_bytes_free(got);
}

/* A created key with every field zero (the "absent" value). */
static int created_is_zero(const mtp_created_auth_key *k) {
    mtp_created_auth_key zero;
    memset(&zero, 0, sizeof zero);
    return memcmp(k->auth_key, zero.auth_key, sizeof zero.auth_key) == 0 && k->auth_key_id == 0 &&
           k->first_salt == 0 && k->server_time == 0 && k->time_offset_ms == 0 && k->dc_id == 0 &&
           k->expires_at == 0;
}

/* The state name of a handshake equals `want`. */
static void check_client_state(const mtp_client_handshake *h, const char *want) {
    char *name = NULL;
    size_t len = 0;
    CHECK_RC(mtp_client_handshake_state_name(h, &name, &len), MTP_RESULT_OK, case_name);
    CHECK(name != NULL && strcmp(name, want) == 0 && len == strlen(want),
          ctxf("%s: client state \"%s\", want \"%s\"", case_name, name ? name : "(null)", want));
    mtp_string_free(name);
}

static void check_server_state(const mtp_server_handshake *h, const char *want) {
    char *name = NULL;
    size_t len = 0;
    CHECK_RC(mtp_server_handshake_state_name(h, &name, &len), MTP_RESULT_OK, case_name);
    CHECK(name != NULL && strcmp(name, want) == 0 && len == strlen(want),
          ctxf("%s: server state \"%s\", want \"%s\"", case_name, name ? name : "(null)", want));
    mtp_string_free(name);
}

static mtp_rsa_public_key *public_key_field(const cJSON *c, const char *field) {
    const char *pem = str_field(c, field);
    mtp_rsa_public_key *key = NULL;
    if (pem != NULL) {
        CHECK_RC(mtp_rsa_public_key_from_pem(pem, strlen(pem), &key), MTP_RESULT_OK,
                 ctxf("%s: %s", case_name, field));
    }
    return key;
}

static mtp_rsa_private_key *private_key_field(const cJSON *c, const char *field) {
    const char *pem = str_field(c, field);
    mtp_rsa_private_key *key = NULL;
    if (pem != NULL) {
        CHECK_RC(mtp_rsa_private_key_from_pem(pem, strlen(pem), &key), MTP_RESULT_OK,
                 ctxf("%s: %s", case_name, field));
    }
    return key;
}

/* ---- handshake.json: exchange ---------------------------------------------------- */

static int exchanges_with_retry = 0;
static int temporary_exchanges = 0;

static void check_exchange_client(const cJSON *c) {
    const cJSON *cl = cJSON_GetObjectItemCaseSensitive(c, "client");
    const cJSON *attempts = cJSON_GetObjectItemCaseSensitive(cl, "attempts");
    if (!CHECK(cJSON_IsObject(cl) && cJSON_IsArray(attempts) && cJSON_GetArraySize(attempts) > 0,
               ctxf("%s: client randomness", case_name)))
        return;
    const char *key_type = str_field(c, "key_type");
    int32_t expires_in = key_type != NULL && strcmp(key_type, "temporary") == 0
                             ? (int32_t)num_field(c, "expires_in")
                             : 0;
    int32_t dc = (int32_t)num_field(c, "dc");
    uint64_t server_time = (uint64_t)num_field(c, "server_time");
    uint64_t now_ms = server_time * 1000;

    struct bodies sent, received;
    bodies_of(c, "client", &sent);
    bodies_of(c, "server", &received);
    size_t nonce_len, nn_len, pad_len, tk_len, key_len;
    uint8_t *nonce = hex_field(cl, "nonce", &nonce_len);
    uint8_t *new_nonce = hex_field(cl, "new_nonce", &nn_len);
    uint8_t *rsa_padding = hex_field(cl, "rsa_padding", &pad_len);
    uint8_t *rsa_temp_key = hex_field(cl, "rsa_temp_key", &tk_len);
    uint8_t *auth_key = hex_field(c, "auth_key", &key_len);
    mtp_rsa_public_key *pub = public_key_field(c, "rsa_public_key");

    mtp_client_handshake *client = NULL;
    const mtp_rsa_public_key *keys[1] = {pub};
    if (pub != NULL && sent.n >= 3 && received.n >= 3 &&
        CHECK_RC(mtp_client_handshake_new(keys, 1, dc, expires_in, &client), MTP_RESULT_OK,
                 case_name)) {
        check_client_state(client, "new");
        mtp_bytes out;
        CHECK_RC(mtp_client_handshake_start_with(client, nonce, nonce_len, &out), MTP_RESULT_OK,
                 case_name);
        check_bytes(&out, sent.body[0], sent.len[0], "req_pq_multi");
        check_client_state(client, "awaiting resPQ");
        CHECK_RC(mtp_client_handshake_handle_res_pq_with(client, received.body[0], received.len[0],
                                                         new_nonce, nn_len, rsa_padding, pad_len,
                                                         rsa_temp_key, tk_len, &out),
                 MTP_RESULT_OK, case_name);
        check_bytes(&out, sent.body[1], sent.len[1], "req_DH_params");

        const cJSON *first = cJSON_GetArrayItem(attempts, 0);
        size_t b_len, p_len;
        uint8_t *b = hex_field(first, "b", &b_len);
        uint8_t *padding = hex_field(first, "padding", &p_len);
        CHECK_RC(
            mtp_client_handshake_handle_server_dh_params_with(
                client, received.body[1], received.len[1], now_ms, b, b_len, padding, p_len, &out),
            MTP_RESULT_OK, case_name);
        check_bytes(&out, sent.body[2], sent.len[2], "set_client_DH_params");
        free(b);
        free(padding);

        bool done_early = false;
        for (size_t i = 2; i < received.n; i++) {
            /* A retry answers with attempt i-1's b and padding. */
            const cJSON *next = cJSON_GetArrayItem(attempts, (int)(i - 1));
            if (next == NULL) next = first;
            b = hex_field(next, "b", &b_len);
            padding = hex_field(next, "padding", &p_len);
            CHECK_RC(mtp_client_handshake_handle_dh_gen_with(
                         client, received.body[i], received.len[i], b, b_len, padding, p_len, &out),
                     MTP_RESULT_OK, case_name);
            if (out.len > 0) {
                CHECK(1 + i < sent.n, ctxf("%s: a body to compare with", case_name));
                if (1 + i < sent.n) check_bytes(&out, sent.body[1 + i], sent.len[1 + i], "retry");
                check_client_state(client, "awaiting dh_gen answer");
            } else {
                CHECK(i + 1 == received.n, ctxf("%s: done at the last answer", case_name));
                done_early = i + 1 != received.n;
            }
            mtp_bytes_free(&out);
            free(b);
            free(padding);
        }
        CHECK(!done_early, case_name);

        bool done = false, present = false;
        mtp_created_auth_key k;
        CHECK_RC(mtp_client_handshake_is_done(client, &done), MTP_RESULT_OK, case_name);
        CHECK(done, ctxf("%s: client done", case_name));
        check_client_state(client, "done");
        CHECK_RC(mtp_client_handshake_created_key(client, &present, &k), MTP_RESULT_OK, case_name);
        if (CHECK(present, ctxf("%s: client key present", case_name))) {
            CHECK_MEM(k.auth_key, sizeof k.auth_key, auth_key, key_len,
                      ctxf("%s: client auth_key", case_name));
            CHECK(k.auth_key_id == u64_field(c, "auth_key_id"),
                  ctxf("%s: client auth_key_id", case_name));
            CHECK(k.first_salt == i64_field(c, "server_salt"),
                  ctxf("%s: client first_salt", case_name));
            CHECK(k.time_offset_ms == 0, ctxf("%s: client time_offset_ms", case_name));
            CHECK(k.server_time == (int32_t)server_time, ctxf("%s: client server_time", case_name));
            CHECK(k.dc_id == dc, ctxf("%s: client dc_id", case_name));
            CHECK(k.expires_at == (int32_t)num_field(c, "expires_at"),
                  ctxf("%s: client expires_at", case_name));
        }
        /* The exchange is over: another answer is out of order. */
        CHECK_RC(
            mtp_client_handshake_handle(client, received.body[0], received.len[0], now_ms, &out),
            MTP_RESULT_AUTH_OUT_OF_ORDER, case_name);
        CHECK(out.data == NULL && out.len == 0, ctxf("%s: no bytes on failure", case_name));
        /* Out of order does not end it: no error recorded. */
        mtp_result err = MTP_RESULT_INTERNAL;
        CHECK_RC(mtp_client_handshake_error_code(client, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_OK, ctxf("%s: no client error", case_name));
        char *msg = (char *)"x";
        size_t msg_len = 9;
        CHECK_RC(mtp_client_handshake_error_message(client, &msg, &msg_len), MTP_RESULT_OK,
                 case_name);
        CHECK(msg == NULL && msg_len == 0, ctxf("%s: no client error message", case_name));
    }
    mtp_client_handshake_free(client);
    mtp_rsa_public_key_free(pub);
    bodies_free(&sent);
    bodies_free(&received);
    free(nonce);
    free(new_nonce);
    free(rsa_padding);
    free(rsa_temp_key);
    free(auth_key);
}

static void check_exchange_server(const cJSON *c) {
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(c, "server");
    if (!CHECK(cJSON_IsObject(sv), ctxf("%s: server randomness", case_name))) return;
    uint64_t now_ms = (uint64_t)num_field(c, "server_time") * 1000;
    struct bodies sent, received;
    bodies_of(c, "server", &sent);
    bodies_of(c, "client", &received);
    size_t prime_len, sn_len, a_len, pad_len, key_len;
    uint8_t *prime = hex_field(c, "dh_prime", &prime_len);
    uint8_t *server_nonce = hex_field(sv, "server_nonce", &sn_len);
    uint8_t *a = hex_field(sv, "a", &a_len);
    uint8_t *answer_padding = hex_field(sv, "answer_padding", &pad_len);
    uint8_t *auth_key = hex_field(c, "auth_key", &key_len);
    mtp_rsa_private_key *priv = private_key_field(c, "rsa_private_key");
    mtp_auth_key_store *store = NULL;
    CHECK_RC(mtp_auth_key_store_new(&store), MTP_RESULT_OK, case_name);

    if (priv != NULL) {
        int64_t fp = 0;
        CHECK_RC(mtp_rsa_private_key_fingerprint(priv, &fp), MTP_RESULT_OK, case_name);
        CHECK(fp == i64_field(c, "fingerprint"), ctxf("%s: fingerprint", case_name));
    }
    /* The keys whose ids make the server ask for a retry. */
    const cJSON *known = cJSON_GetObjectItemCaseSensitive(sv, "known_keys");
    const cJSON *known_ids = cJSON_GetObjectItemCaseSensitive(sv, "known_key_ids");
    CHECK(cJSON_IsArray(known) && cJSON_IsArray(known_ids), ctxf("%s: known keys", case_name));
    const cJSON *k;
    cJSON_ArrayForEach(k, known) {
        size_t len = 0;
        uint8_t *bytes = hex_string(cJSON_GetStringValue(k), &len);
        bool inserted = false;
        CHECK_RC(mtp_auth_key_store_insert_permanent(store, bytes, len, 0, &inserted),
                 MTP_RESULT_OK, case_name);
        CHECK(inserted, ctxf("%s: known key inserted", case_name));
        free(bytes);
    }
    cJSON_ArrayForEach(k, known_ids) {
        const char *s = cJSON_GetStringValue(k);
        bool found = false;
        uint64_t id = s != NULL ? strtoull(s, NULL, 10) : 0;
        CHECK_RC(mtp_auth_key_store_contains(store, id, &found), MTP_RESULT_OK, case_name);
        CHECK(found, ctxf("%s: known key id %s in the store", case_name, s ? s : "?"));
    }

    mtp_server_handshake *server = NULL;
    const mtp_rsa_private_key *keys[1] = {priv};
    if (priv != NULL && store != NULL && sent.n >= 3 && received.n >= 3 &&
        CHECK_RC(mtp_server_handshake_new(keys, 1, (int32_t)num_field(c, "g"), prime, prime_len,
                                          NULL, NULL, &server),
                 MTP_RESULT_OK, case_name)) {
        check_server_state(server, "awaiting req_pq_multi");
        mtp_bytes out;
        CHECK_RC(mtp_server_handshake_handle_req_pq_with(
                     server, received.body[0], received.len[0], server_nonce, sn_len,
                     (uint32_t)num_field(sv, "p"), (uint32_t)num_field(sv, "q"), &out),
                 MTP_RESULT_OK, case_name);
        check_bytes(&out, sent.body[0], sent.len[0], "resPQ");
        CHECK_RC(mtp_server_handshake_handle_req_dh_params_with(server, received.body[1],
                                                                received.len[1], now_ms, a, a_len,
                                                                answer_padding, pad_len, &out),
                 MTP_RESULT_OK, case_name);
        check_bytes(&out, sent.body[1], sent.len[1], "server_DH_params_ok");
        check_server_state(server, "awaiting set_client_DH_params");
        for (size_t i = 2; i < received.n; i++) {
            CHECK_RC(mtp_server_handshake_handle_set_client_dh_params(server, received.body[i],
                                                                      received.len[i], store, &out),
                     MTP_RESULT_OK, case_name);
            if (CHECK(i < sent.n, ctxf("%s: a reply to compare with", case_name))) {
                check_bytes(&out, sent.body[i], sent.len[i], "dh_gen answer");
            }
            mtp_bytes_free(&out);
        }
        bool done = false, present = false;
        mtp_created_auth_key key;
        CHECK_RC(mtp_server_handshake_is_done(server, &done), MTP_RESULT_OK, case_name);
        CHECK(done, ctxf("%s: server done", case_name));
        check_server_state(server, "done");
        mtp_result err = MTP_RESULT_INTERNAL;
        CHECK_RC(mtp_server_handshake_error_code(server, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_OK, ctxf("%s: no server error", case_name));
        char *msg = (char *)"x";
        CHECK_RC(mtp_server_handshake_error_message(server, &msg, NULL), MTP_RESULT_OK, case_name);
        CHECK(msg == NULL, ctxf("%s: no server error message", case_name));
        CHECK_RC(mtp_server_handshake_created_key(server, &present, &key), MTP_RESULT_OK,
                 case_name);
        if (CHECK(present, ctxf("%s: server key present", case_name))) {
            CHECK_MEM(key.auth_key, sizeof key.auth_key, auth_key, key_len,
                      ctxf("%s: server auth_key", case_name));
            CHECK(key.auth_key_id == u64_field(c, "auth_key_id"),
                  ctxf("%s: server auth_key_id", case_name));
            CHECK(key.first_salt == i64_field(c, "server_salt"),
                  ctxf("%s: server first_salt", case_name));
            CHECK(key.time_offset_ms == 0, ctxf("%s: server time_offset_ms", case_name));
            CHECK(key.expires_at == (int32_t)num_field(c, "expires_at"),
                  ctxf("%s: server expires_at", case_name));
            bool found = false;
            CHECK_RC(mtp_auth_key_store_contains(store, key.auth_key_id, &found), MTP_RESULT_OK,
                     case_name);
            CHECK(found, ctxf("%s: the new key is in the store", case_name));
        }
    }
    mtp_server_handshake_free(server);
    mtp_auth_key_store_free(store);
    mtp_rsa_private_key_free(priv);
    bodies_free(&sent);
    bodies_free(&received);
    free(prime);
    free(server_nonce);
    free(a);
    free(answer_padding);
    free(auth_key);
}

static void check_exchange(const cJSON *c) {
    struct bodies received;
    bodies_of(c, "server", &received);
    if (received.n > 3) exchanges_with_retry++;
    bodies_free(&received);
    const char *key_type = str_field(c, "key_type");
    if (key_type != NULL && strcmp(key_type, "temporary") == 0) temporary_exchanges++;
    check_exchange_client(c);
    check_exchange_server(c);
}

/* ---- handshake.json: bind, rsa_old_scheme, fingerprint --------------------------- */

/* The id of 256 key bytes, through mtp_auth_key. */
static uint64_t key_id_of(const uint8_t *bytes, size_t len) {
    mtp_auth_key *key = NULL;
    uint64_t id = 0;
    if (CHECK_RC(mtp_auth_key_new(bytes, len, &key), MTP_RESULT_OK, case_name)) {
        CHECK_RC(mtp_auth_key_id(key, &id), MTP_RESULT_OK, case_name);
    }
    mtp_auth_key_free(key);
    return id;
}

static void check_bind(const cJSON *c) {
    size_t perm_len, temp_len, random_len, padding_len, query_len;
    uint8_t *perm = hex_field(c, "perm_auth_key", &perm_len);
    uint8_t *temp = hex_field(c, "temp_auth_key", &temp_len);
    uint8_t *random = hex_field(c, "random", &random_len);
    uint8_t *padding = hex_field(c, "padding", &padding_len);
    uint8_t *query = hex_field(c, "query", &query_len);
    uint64_t perm_id = u64_field(c, "perm_auth_key_id");
    uint64_t temp_id = u64_field(c, "temp_auth_key_id");
    uint64_t session = u64_field(c, "temp_session_id");
    uint64_t msg_id = u64_field(c, "msg_id");
    int64_t nonce = i64_field(c, "nonce");
    int32_t expires_at = (int32_t)num_field(c, "expires_at");
    CHECK(key_id_of(perm, perm_len) == perm_id, ctxf("%s: perm_auth_key_id", case_name));
    CHECK(key_id_of(temp, temp_len) == temp_id, ctxf("%s: temp_auth_key_id", case_name));

    mtp_bytes out;
    CHECK_RC(mtp_bind_temp_auth_key_query_with(perm, perm_len, temp_id, session, msg_id, nonce,
                                               expires_at, random, random_len, padding, padding_len,
                                               &out),
             MTP_RESULT_OK, case_name);
    check_bytes(&out, query, query_len, "query");

    mtp_auth_key_store *store = NULL;
    bool inserted = false;
    CHECK_RC(mtp_auth_key_store_new(&store), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_auth_key_store_insert_permanent(store, perm, perm_len, 2, &inserted),
             MTP_RESULT_OK, case_name);
    CHECK(inserted, ctxf("%s: perm inserted", case_name));
    CHECK_RC(mtp_auth_key_store_insert_temporary(store, temp, temp_len, 2, expires_at, &inserted),
             MTP_RESULT_OK, case_name);
    CHECK(inserted, ctxf("%s: temp inserted", case_name));
    uint64_t now_ms = ((uint64_t)expires_at - 86400) * 1000;
    bool present = true;
    uint64_t bound = 1;
    CHECK_RC(mtp_auth_key_store_bound_permanent(store, temp_id, now_ms, &present, &bound),
             MTP_RESULT_OK, case_name);
    CHECK(!present && bound == 0, ctxf("%s: not bound before the query", case_name));
    mtp_temp_key_binding b;
    memset(&b, 0, sizeof b);
    CHECK_RC(mtp_verify_bind_temp_auth_key(store, query, query_len, temp_id, session, msg_id,
                                           now_ms, &b),
             MTP_RESULT_OK, case_name);
    CHECK(b.perm_auth_key_id == perm_id && b.temp_auth_key_id == temp_id &&
              b.temp_session_id == session && b.nonce == nonce && b.expires_at == expires_at,
          ctxf("%s: binding", case_name));
    CHECK_RC(mtp_auth_key_store_bound_permanent(store, temp_id, now_ms, &present, &bound),
             MTP_RESULT_OK, case_name);
    CHECK(present && bound == perm_id, ctxf("%s: bound_permanent", case_name));

    /* The same query in another session, or once the key expired, fails. */
    CHECK_RC(mtp_verify_bind_temp_auth_key(store, query, query_len, temp_id, session + 1, msg_id,
                                           now_ms, &b),
             MTP_RESULT_AUTH_INVALID_BINDING, case_name);
    CHECK(message_has("temp_session_id"), ctxf("%s: message names the session", case_name));
    CHECK_RC(mtp_verify_bind_temp_auth_key(store, query, query_len, temp_id, session, msg_id + 4,
                                           now_ms, &b),
             MTP_RESULT_AUTH_INVALID_BINDING, case_name);
    CHECK_RC(mtp_verify_bind_temp_auth_key(store, query, query_len, temp_id, session, msg_id,
                                           (uint64_t)expires_at * 1000, &b),
             MTP_RESULT_AUTH_UNKNOWN_KEY, case_name);
    /* A changed byte of encrypted_message (the last 3 bytes are TL padding). */
    query[query_len - 8] ^= 1;
    CHECK_RC(mtp_verify_bind_temp_auth_key(store, query, query_len, temp_id, session, msg_id,
                                           now_ms, &b),
             MTP_RESULT_AUTH_INVALID_BINDING, case_name);
    CHECK_RC(mtp_verify_bind_temp_auth_key(store, query, 20, temp_id, session, msg_id, now_ms, &b),
             MTP_RESULT_TL_UNEXPECTED_EOF, case_name);
    mtp_auth_key_store_free(store);
    free(perm);
    free(temp);
    free(random);
    free(padding);
    free(query);
}

static void check_old_scheme(const cJSON *c) {
    size_t enc_len, data_len;
    uint8_t *encrypted = hex_field(c, "encrypted", &enc_len);
    uint8_t *data = hex_field(c, "data", &data_len);
    mtp_rsa_private_key *priv = private_key_field(c, "rsa_private_key");
    if (priv != NULL) {
        uint8_t out[256];
        size_t out_len = sizeof out;
        CHECK_RC(mtp_rsa_private_key_decrypt_old_scheme(priv, encrypted, enc_len,
                                                        (uint32_t)data_len, out, &out_len),
                 MTP_RESULT_OK, case_name);
        CHECK_MEM(out, out_len, data, data_len, ctxf("%s: data", case_name));
        /* Too small a buffer: the size needed. */
        out_len = data_len - 1;
        CHECK_RC(mtp_rsa_private_key_decrypt_old_scheme(priv, encrypted, enc_len,
                                                        (uint32_t)data_len, out, &out_len),
                 MTP_RESULT_BUFFER_TOO_SMALL, case_name);
        CHECK(out_len == data_len, ctxf("%s: size needed", case_name));
        /* Another length fails the SHA1 check; so does a changed ciphertext. */
        out_len = sizeof out;
        CHECK_RC(mtp_rsa_private_key_decrypt_old_scheme(priv, encrypted, enc_len,
                                                        (uint32_t)data_len - 4, out, &out_len),
                 MTP_RESULT_AUTH_RSA_DECRYPT_FAILED, case_name);
        CHECK_RC(
            mtp_rsa_private_key_decrypt_old_scheme(priv, encrypted, enc_len, 236, out, &out_len),
            MTP_RESULT_AUTH_RSA_DECRYPT_FAILED, case_name);
        encrypted[enc_len - 1] ^= 1;
        CHECK_RC(mtp_rsa_private_key_decrypt_old_scheme(priv, encrypted, enc_len,
                                                        (uint32_t)data_len, out, &out_len),
                 MTP_RESULT_AUTH_RSA_DECRYPT_FAILED, case_name);
        CHECK(out_len == sizeof out, ctxf("%s: out_len unchanged on failure", case_name));
    }
    mtp_rsa_private_key_free(priv);
    free(encrypted);
    free(data);
}

static void check_fingerprint(const cJSON *c) {
    mtp_rsa_public_key *key = public_key_field(c, "pem");
    int64_t want = i64_field(c, "fingerprint");
    if (key != NULL) {
        int64_t fp = 0;
        CHECK_RC(mtp_rsa_public_key_fingerprint(key, &fp), MTP_RESULT_OK, case_name);
        CHECK(fp == want, ctxf("%s: fingerprint %lld", case_name, (long long)fp));
        /* The PKCS#1 PEM it writes reads back as the same key. */
        char *pem = NULL;
        size_t pem_len = 0;
        CHECK_RC(mtp_rsa_public_key_to_pem(key, &pem, &pem_len), MTP_RESULT_OK, case_name);
        CHECK(pem != NULL && pem_len == strlen(pem) &&
                  strncmp(pem, "-----BEGIN RSA PUBLIC KEY-----\n", 31) == 0,
              ctxf("%s: to_pem", case_name));
        mtp_rsa_public_key *again = NULL;
        if (pem != NULL) {
            CHECK_RC(mtp_rsa_public_key_from_pem(pem, pem_len, &again), MTP_RESULT_OK, case_name);
        }
        fp = 0;
        CHECK_RC(mtp_rsa_public_key_fingerprint(again, &fp), MTP_RESULT_OK, case_name);
        CHECK(fp == want, ctxf("%s: fingerprint after to_pem", case_name));
        uint8_t m1[MTP_RSA_MODULUS_LEN], m2[MTP_RSA_MODULUS_LEN], e[8];
        size_t m1_len = sizeof m1, m2_len = sizeof m2, e_len = sizeof e;
        CHECK_RC(mtp_rsa_public_key_modulus(key, m1, &m1_len), MTP_RESULT_OK, case_name);
        CHECK_RC(mtp_rsa_public_key_modulus(again, m2, &m2_len), MTP_RESULT_OK, case_name);
        CHECK(m1_len == 256 && (m1[0] & 0x80) != 0, ctxf("%s: 2048-bit modulus", case_name));
        CHECK_MEM(m2, m2_len, m1, m1_len, ctxf("%s: modulus after to_pem", case_name));
        CHECK_RC(mtp_rsa_public_key_exponent(key, e, &e_len), MTP_RESULT_OK, case_name);
        CHECK(e_len == 3 && e[0] == 1 && e[1] == 0 && e[2] == 1,
              ctxf("%s: exponent 65537", case_name));
        mtp_string_free(pem);
        mtp_rsa_public_key_free(again);
    }
    mtp_rsa_public_key_free(key);
}

/* Replay every case of handshake.json; returns the number of cases. */
static int run_handshake_vectors(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/handshake.json", dir);
    char *text = read_file(path, NULL);
    if (!CHECK(text != NULL, ctxf("read %s", path))) return 0;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!CHECK(root != NULL, ctxf("parse %s", path))) return 0;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    CHECK(cJSON_IsNumber(version) && version->valueint == 1, "handshake.json: version 1");
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    CHECK(cJSON_IsArray(cases) && cJSON_GetArraySize(cases) > 0, "handshake.json: cases");
    int n = 0, exchange = 0, bind = 0, old = 0, fingerprint = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));
        char saved[256];
        snprintf(saved, sizeof saved, "handshake.json %s", name != NULL ? name : "(unnamed)");
        case_name = saved;
        const char *kind = str_field(c, "kind");
        if (kind == NULL) {
        } else if (strcmp(kind, "exchange") == 0) {
            check_exchange(c);
            exchange++;
        } else if (strcmp(kind, "bind") == 0) {
            check_bind(c);
            bind++;
        } else if (strcmp(kind, "rsa_old_scheme") == 0) {
            check_old_scheme(c);
            old++;
        } else if (strcmp(kind, "fingerprint") == 0) {
            check_fingerprint(c);
            fingerprint++;
        } else {
            CHECK(0, ctxf("%s: unknown kind \"%s\"", case_name, kind));
        }
        n++;
        case_name = "?";
    }
    cJSON_Delete(root);
    CHECK(exchange >= 3, ctxf("handshake.json: %d exchange cases", exchange));
    CHECK(exchanges_with_retry >= 1,
          ctxf("handshake.json: %d exchanges with a retry", exchanges_with_retry));
    CHECK(temporary_exchanges >= 1,
          ctxf("handshake.json: %d temporary exchanges", temporary_exchanges));
    CHECK(bind >= 1, ctxf("handshake.json: %d bind cases", bind));
    CHECK(old >= 1, ctxf("handshake.json: %d rsa_old_scheme cases", old));
    CHECK(fingerprint >= 4, ctxf("handshake.json: %d fingerprint cases", fingerprint));
    printf("handshake.json: %d cases (%d exchange, %d bind, %d rsa_old_scheme, %d fingerprint)\n",
           n, exchange, bind, old, fingerprint);
    return n;
}

/* ---- live exchanges ------------------------------------------------------------------ */

/* The test key of the exchange cases, from rsa_test_key.pem. */
static mtp_rsa_private_key *load_test_key(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s/rsa_test_key.pem", dir);
    size_t len = 0;
    char *pem = read_file(path, &len);
    mtp_rsa_private_key *key = NULL;
    if (CHECK(pem != NULL, ctxf("read %s", path))) {
        CHECK_RC(mtp_rsa_private_key_from_pem(pem, len, &key), MTP_RESULT_OK, "rsa_test_key.pem");
    }
    free(pem);
    return key;
}

/* The custom prime of the vectors, from dh_test_prime.hex (hex, one line). */
static uint8_t *load_test_prime(const char *dir, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/dh_test_prime.hex", dir);
    char *text = read_file(path, NULL);
    *len = 0;
    uint8_t *prime = NULL;
    if (CHECK(text != NULL, ctxf("read %s", path))) {
        text[strcspn(text, " \r\n")] = '\0';
        prime = hex_decode(text, len);
        CHECK(prime != NULL && *len == 256, "dh_test_prime.hex: 256 bytes of hex");
    }
    free(text);
    if (prime == NULL) {
        prime = malloc(1);
        *len = 0;
    }
    return prime;
}

static uint64_t now_unix_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Run one exchange between a client trusting `pub` and a server holding
 * `priv`, feeding `handle` on both sides until the client has nothing more
 * to send; both created keys go to *client_key / *server_key. Returns 1 when
 * both ended with a key. */
static int live_exchange(const mtp_rsa_public_key *pub, const mtp_rsa_private_key *priv, int32_t g,
                         int32_t expires_in, uint64_t now_ms, mtp_auth_key_store *store,
                         mtp_created_auth_key *client_key, mtp_created_auth_key *server_key) {
    const mtp_rsa_public_key *pubs[1] = {pub};
    const mtp_rsa_private_key *privs[1] = {priv};
    mtp_client_handshake *client = NULL;
    mtp_server_handshake *server = NULL;
    int ok = CHECK_RC(mtp_client_handshake_new(pubs, 1, 2, expires_in, &client), MTP_RESULT_OK,
                      case_name);
    ok &= CHECK_RC(mtp_server_handshake_new(privs, 1, g, NULL, 0, NULL, NULL, &server),
                   MTP_RESULT_OK, case_name);
    mtp_bytes to_server = {NULL, 0}, to_client = {NULL, 0};
    if (ok) ok = CHECK_RC(mtp_client_handshake_start(client, &to_server), MTP_RESULT_OK, case_name);
    int rounds = 0;
    while (ok && to_server.len > 0 && rounds < 8) {
        ok = CHECK_RC(mtp_server_handshake_handle(server, to_server.data, to_server.len, now_ms,
                                                  store, &to_client),
                      MTP_RESULT_OK, case_name);
        mtp_bytes_free(&to_server);
        if (ok) {
            ok = CHECK_RC(mtp_client_handshake_handle(client, to_client.data, to_client.len, now_ms,
                                                      &to_server),
                          MTP_RESULT_OK, case_name);
        }
        mtp_bytes_free(&to_client);
        rounds++;
    }
    mtp_bytes_free(&to_server);
    CHECK(rounds == 3, ctxf("%s: 3 round trips after req_pq_multi, took %d", case_name, rounds));
    bool client_done = false, server_done = false, client_has = false, server_has = false;
    CHECK_RC(mtp_client_handshake_is_done(client, &client_done), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_server_handshake_is_done(server, &server_done), MTP_RESULT_OK, case_name);
    CHECK(client_done && server_done, ctxf("%s: both done", case_name));
    CHECK_RC(mtp_client_handshake_created_key(client, &client_has, client_key), MTP_RESULT_OK,
             case_name);
    CHECK_RC(mtp_server_handshake_created_key(server, &server_has, server_key), MTP_RESULT_OK,
             case_name);
    CHECK(client_has && server_has, ctxf("%s: both have the key", case_name));
    mtp_client_handshake_free(client);
    mtp_server_handshake_free(server);
    return ok && client_has && server_has;
}

/* The two created keys are the same key. */
static void check_same_key(const mtp_created_auth_key *c, const mtp_created_auth_key *s,
                           int32_t expires_in, uint64_t now_ms) {
    CHECK_MEM(c->auth_key, sizeof c->auth_key, s->auth_key, sizeof s->auth_key,
              ctxf("%s: auth_key", case_name));
    CHECK(c->auth_key_id == s->auth_key_id && c->auth_key_id != 0,
          ctxf("%s: auth_key_id", case_name));
    CHECK(c->first_salt == s->first_salt, ctxf("%s: first_salt", case_name));
    CHECK(c->server_time == s->server_time && c->server_time == (int32_t)(now_ms / 1000),
          ctxf("%s: server_time", case_name));
    CHECK(c->dc_id == 2 && s->dc_id == 2, ctxf("%s: dc_id", case_name));
    CHECK(c->time_offset_ms <= 0 && c->time_offset_ms > -1000 && s->time_offset_ms == 0,
          ctxf("%s: time offsets %lld, %lld", case_name, (long long)c->time_offset_ms,
               (long long)s->time_offset_ms));
    int32_t want_expiry = expires_in == 0 ? 0 : c->server_time + expires_in;
    CHECK(c->expires_at == want_expiry && s->expires_at == want_expiry,
          ctxf("%s: expires_at", case_name));
    mtp_auth_key *key = NULL;
    uint64_t id = 0;
    CHECK_RC(mtp_auth_key_new(c->auth_key, sizeof c->auth_key, &key), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_auth_key_id(key, &id), MTP_RESULT_OK, case_name);
    CHECK(id == c->auth_key_id, ctxf("%s: auth_key_id is the id of auth_key", case_name));
    mtp_auth_key_free(key);
}

static void live_exchanges(const char *dir) {
    case_name = "live";
    mtp_rsa_private_key *priv = load_test_key(dir);
    mtp_rsa_public_key *pub = NULL;
    CHECK_RC(mtp_rsa_private_key_public_key(priv, &pub), MTP_RESULT_OK, case_name);
    mtp_auth_key_store *store = NULL;
    CHECK_RC(mtp_auth_key_store_new(&store), MTP_RESULT_OK, case_name);
    uint64_t now_ms = now_unix_ms();
    mtp_created_auth_key perm_c, perm_s, temp_c, temp_s;
    size_t n = 0;

    case_name = "live permanent";
    int have_perm = pub && store && live_exchange(pub, priv, 0, 0, now_ms, store, &perm_c, &perm_s);
    if (have_perm) check_same_key(&perm_c, &perm_s, 0, now_ms);
    case_name = "live temporary";
    int have_temp =
        pub && store && live_exchange(pub, priv, 3, 3600, now_ms, store, &temp_c, &temp_s);
    if (have_temp) check_same_key(&temp_c, &temp_s, 3600, now_ms);
    case_name = "live store";
    CHECK_RC(mtp_auth_key_store_len(store, &n), MTP_RESULT_OK, case_name);
    CHECK(n == 2, ctxf("live: 2 keys in the store, %zu", n));
    bool empty = true;
    CHECK_RC(mtp_auth_key_store_is_empty(store, &empty), MTP_RESULT_OK, case_name);
    CHECK(!empty, "live: the store is not empty");
    bool found = false;
    if (have_perm) {
        CHECK_RC(mtp_auth_key_store_contains(store, perm_s.auth_key_id, &found), MTP_RESULT_OK,
                 case_name);
        CHECK(found, "live: permanent key in the store");
    }
    if (have_perm && have_temp) {
        CHECK(memcmp(temp_c.auth_key, perm_c.auth_key, sizeof perm_c.auth_key) != 0,
              "live: keys differ");
    }

    case_name = "live bind";
    if (have_perm && have_temp) {
        uint64_t session = 0, msg_id = (now_ms / 1000) << 32;
        fill_pattern((uint8_t *)&session, sizeof session, (uint32_t)now_ms);
        mtp_bytes query;
        int64_t nonce = 0;
        CHECK_RC(mtp_bind_temp_auth_key_query(perm_c.auth_key, sizeof perm_c.auth_key,
                                              temp_c.auth_key_id, session, msg_id,
                                              temp_c.expires_at, &query, &nonce),
                 MTP_RESULT_OK, case_name);
        CHECK(query.len > 0 && nonce != 0, "live: a query and a nonce");
        bool present = true;
        uint64_t bound = 0;
        CHECK_RC(
            mtp_auth_key_store_bound_permanent(store, temp_s.auth_key_id, now_ms, &present, &bound),
            MTP_RESULT_OK, case_name);
        CHECK(!present, "live: not bound yet");
        mtp_temp_key_binding b;
        memset(&b, 0, sizeof b);
        CHECK_RC(mtp_verify_bind_temp_auth_key(store, query.data, query.len, temp_s.auth_key_id,
                                               session, msg_id, now_ms, &b),
                 MTP_RESULT_OK, case_name);
        CHECK(b.perm_auth_key_id == perm_s.auth_key_id &&
                  b.temp_auth_key_id == temp_s.auth_key_id && b.temp_session_id == session &&
                  b.nonce == nonce && b.expires_at == temp_s.expires_at,
              "live: binding");
        CHECK_RC(
            mtp_auth_key_store_bound_permanent(store, temp_s.auth_key_id, now_ms, &present, &bound),
            MTP_RESULT_OK, case_name);
        CHECK(present && bound == perm_s.auth_key_id, "live: bound to the permanent key");
        /* Binding the permanent key itself is refused. */
        CHECK_RC(mtp_verify_bind_temp_auth_key(store, query.data, query.len, perm_s.auth_key_id,
                                               session, msg_id, now_ms, &b),
                 MTP_RESULT_AUTH_INVALID_BINDING, case_name);
        mtp_bytes_free(&query);

        /* Expiry: nothing expired now; at expires_at the temporary key goes. */
        size_t removed = 99;
        CHECK_RC(mtp_auth_key_store_remove_expired(store, now_ms, &removed), MTP_RESULT_OK,
                 case_name);
        CHECK(removed == 0, "live: nothing expired yet");
        CHECK_RC(
            mtp_auth_key_store_bound_permanent(
                store, temp_s.auth_key_id, (uint64_t)temp_s.expires_at * 1000, &present, &bound),
            MTP_RESULT_OK, case_name);
        CHECK(!present && bound == 0, "live: an expired key is bound to nothing");
        CHECK_RC(
            mtp_auth_key_store_remove_expired(store, (uint64_t)temp_s.expires_at * 1000, &removed),
            MTP_RESULT_OK, case_name);
        CHECK(removed == 1, ctxf("live: the temporary key expired (%zu removed)", removed));
        CHECK_RC(mtp_auth_key_store_contains(store, temp_s.auth_key_id, &found), MTP_RESULT_OK,
                 case_name);
        CHECK(!found, "live: temporary key gone");
        CHECK_RC(mtp_auth_key_store_remove(store, perm_s.auth_key_id, &found), MTP_RESULT_OK,
                 case_name);
        CHECK(found, "live: permanent key removed");
        CHECK_RC(mtp_auth_key_store_remove(store, perm_s.auth_key_id, &found), MTP_RESULT_OK,
                 case_name);
        CHECK(!found, "live: removed once");
        CHECK_RC(mtp_auth_key_store_len(store, &n), MTP_RESULT_OK, case_name);
        CHECK(n == 0, "live: no key left");
        CHECK_RC(mtp_auth_key_store_is_empty(store, &empty), MTP_RESULT_OK, case_name);
        CHECK(empty, "live: the store is empty again");
    }
    mtp_auth_key_store_free(store);
    mtp_rsa_public_key_free(pub);
    mtp_rsa_private_key_free(priv);
    /* Key material in the records: wipe it, as the header asks. */
    memset(&perm_c, 0, sizeof perm_c);
    memset(&perm_s, 0, sizeof perm_s);
    memset(&temp_c, 0, sizeof temp_c);
    memset(&temp_s, 0, sizeof temp_s);
    case_name = "?";
}

/* A generated key: consistent halves and a PEM round trip. */
static void generated_key(const char *dir) {
    case_name = "generate";
    mtp_rsa_private_key *priv = NULL, *again = NULL;
    mtp_rsa_public_key *pub = NULL;
    if (!CHECK_RC(mtp_rsa_private_key_generate(&priv), MTP_RESULT_OK, case_name)) return;
    CHECK_RC(mtp_rsa_private_key_public_key(priv, &pub), MTP_RESULT_OK, case_name);
    int64_t fp_priv = 0, fp_pub = 1, fp_again = 2;
    CHECK_RC(mtp_rsa_private_key_fingerprint(priv, &fp_priv), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_rsa_public_key_fingerprint(pub, &fp_pub), MTP_RESULT_OK, case_name);
    CHECK(fp_priv == fp_pub, "generate: fingerprints of both halves");
    char *pem = NULL;
    size_t pem_len = 0;
    CHECK_RC(mtp_rsa_private_key_to_pem(priv, &pem, &pem_len), MTP_RESULT_OK, case_name);
    CHECK(pem != NULL && strncmp(pem, "-----BEGIN RSA PRIVATE KEY-----\n", 32) == 0 &&
              pem_len == strlen(pem),
          "generate: PKCS#1 PEM");
    if (pem != NULL) {
        CHECK_RC(mtp_rsa_private_key_from_pem(pem, pem_len, &again), MTP_RESULT_OK, case_name);
        CHECK_RC(mtp_rsa_private_key_fingerprint(again, &fp_again), MTP_RESULT_OK, case_name);
        CHECK(fp_again == fp_priv, "generate: PEM round trip");
    }
    mtp_string_free(pem);
    /* It is not the test key (and generation is random). */
    mtp_rsa_private_key *test_key = load_test_key(dir);
    int64_t fp_test = fp_priv;
    CHECK_RC(mtp_rsa_private_key_fingerprint(test_key, &fp_test), MTP_RESULT_OK, case_name);
    CHECK(fp_test != fp_priv, "generate: a new key");
    mtp_rsa_private_key_free(test_key);
    /* The live exchanges use the test key to save time (under valgrind); the
     * core's auth tests run their exchanges with a generated key. */
    mtp_rsa_private_key_free(again);
    mtp_rsa_public_key_free(pub);
    mtp_rsa_private_key_free(priv);
    case_name = "?";
}

/* ---- errors ---------------------------------------------------------------------------- */

/* The first exchange case's client nonce and resPQ, for the error tests. */
struct res_pq_sample {
    uint8_t *nonce, *res_pq;
    size_t nonce_len, res_pq_len;
};

static void load_res_pq_sample(const char *dir, struct res_pq_sample *out) {
    memset(out, 0, sizeof *out);
    char path[4096];
    snprintf(path, sizeof path, "%s/handshake.json", dir);
    char *text = read_file(path, NULL);
    cJSON *root = text != NULL ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "cases")) {
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "kind"));
        if (kind == NULL || strcmp(kind, "exchange") != 0) continue;
        struct bodies received;
        bodies_of(c, "server", &received);
        if (received.n > 0) {
            out->res_pq = received.body[0];
            out->res_pq_len = received.len[0];
            received.body[0] = malloc(1);
        }
        bodies_free(&received);
        out->nonce =
            hex_field(cJSON_GetObjectItemCaseSensitive(c, "client"), "nonce", &out->nonce_len);
        break;
    }
    cJSON_Delete(root);
    CHECK(out->res_pq != NULL && out->nonce != NULL, "errors: a resPQ sample");
}

static void handshake_errors(const char *dir) {
    case_name = "errors";
    struct res_pq_sample sample;
    load_res_pq_sample(dir, &sample);
    mtp_rsa_private_key *priv = load_test_key(dir);
    mtp_rsa_public_key *pub = NULL;
    CHECK_RC(mtp_rsa_private_key_public_key(priv, &pub), MTP_RESULT_OK, case_name);
    const mtp_rsa_public_key *pubs[1] = {pub};
    const mtp_rsa_private_key *privs[1] = {priv};
    mtp_bytes out;
    mtp_client_handshake *client = NULL;

    /* A resPQ echoing another nonce: 402, then sticky. */
    if (sample.res_pq != NULL && sample.res_pq_len > 4) {
        CHECK_RC(mtp_client_handshake_new(pubs, 1, 2, 0, &client), MTP_RESULT_OK, case_name);
        CHECK_RC(mtp_client_handshake_start_with(client, sample.nonce, sample.nonce_len, &out),
                 MTP_RESULT_OK, case_name);
        mtp_bytes_free(&out);
        mtp_result err = MTP_RESULT_INTERNAL;
        char *msg = (char *)"x";
        size_t msg_len = 9;
        CHECK_RC(mtp_client_handshake_error_code(client, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_OK, "wrong nonce: no client error before");
        CHECK_RC(mtp_client_handshake_error_message(client, &msg, &msg_len), MTP_RESULT_OK,
                 case_name);
        CHECK(msg == NULL && msg_len == 0, "wrong nonce: no client error message before");
        sample.res_pq[4] ^= 1;
        CHECK_RC(mtp_client_handshake_handle(client, sample.res_pq, sample.res_pq_len, 0, &out),
                 MTP_RESULT_AUTH_NONCE_MISMATCH, "wrong nonce");
        CHECK(out.data == NULL && out.len == 0, "wrong nonce: no bytes");
        /* The handshake keeps the error: its code and the message of the call. */
        CHECK_RC(mtp_client_handshake_error_code(client, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_AUTH_NONCE_MISMATCH,
              ctxf("wrong nonce: client error %s", mtp_result_name(err)));
        CHECK_RC(mtp_client_handshake_error_message(client, &msg, &msg_len), MTP_RESULT_OK,
                 case_name);
        CHECK(msg != NULL && msg_len > 0 && msg_len == strlen(msg) &&
                  strstr(msg, "nonce does not match") != NULL,
              ctxf("wrong nonce: client message \"%s\"", msg ? msg : "(null)"));
        mtp_string_free(msg);
        msg = NULL;
        CHECK_RC(mtp_client_handshake_error_message(client, &msg, NULL), MTP_RESULT_OK,
                 "error_message without out_len");
        CHECK(msg != NULL, "wrong nonce: message without out_len");
        mtp_string_free(msg);
        sample.res_pq[4] ^= 1;
        CHECK_RC(mtp_client_handshake_handle(client, sample.res_pq, sample.res_pq_len, 0, &out),
                 MTP_RESULT_AUTH_NONCE_MISMATCH, "the error is sticky");
        CHECK_RC(mtp_client_handshake_start(client, &out), MTP_RESULT_AUTH_NONCE_MISMATCH,
                 "sticky for start");
        check_client_state(client, "failed");
        mtp_client_handshake_free(client);
        client = NULL;
    }

    /* Out of order: a second start, an answer before start. */
    CHECK_RC(mtp_client_handshake_new(pubs, 1, 2, 0, &client), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_client_handshake_handle(client, sample.res_pq, sample.res_pq_len, 0, &out),
             MTP_RESULT_AUTH_OUT_OF_ORDER, "answer before start");
    CHECK(message_has("not valid in state new"), ctxf("message: %s", mtp_last_error_message()));
    CHECK_RC(mtp_client_handshake_start(client, &out), MTP_RESULT_OK, case_name);
    CHECK(out.len == 20, ctxf("req_pq_multi is 20 bytes, got %zu", out.len));
    mtp_bytes_free(&out);
    CHECK_RC(mtp_client_handshake_start(client, &out), MTP_RESULT_AUTH_OUT_OF_ORDER,
             "second start");
    CHECK_RC(mtp_client_handshake_start_with(client, sample.nonce, sample.nonce_len, &out),
             MTP_RESULT_AUTH_OUT_OF_ORDER, "start_with after start");
    /* Out of order is not fatal: the exchange still waits for resPQ. */
    check_client_state(client, "awaiting resPQ");
    bool present = true;
    mtp_created_auth_key k;
    memset(&k, 0xaa, sizeof k);
    CHECK_RC(mtp_client_handshake_created_key(client, &present, &k), MTP_RESULT_OK, case_name);
    CHECK(!present && created_is_zero(&k), "no key yet: absent and zero");
    mtp_client_handshake_free(client);
    client = NULL;

    /* A server for DC 4 refuses a client for DC 2: server_DH_params_fail is
     * still a reply; the server reports 416, the client fails with 411. */
    {
        int32_t dc4 = 4;
        mtp_server_handshake *server = NULL;
        mtp_auth_key_store *store = NULL;
        CHECK_RC(mtp_auth_key_store_new(&store), MTP_RESULT_OK, case_name);
        CHECK_RC(mtp_server_handshake_new(privs, 1, 0, NULL, 0, &dc4, NULL, &server), MTP_RESULT_OK,
                 case_name);
        CHECK_RC(mtp_client_handshake_new(pubs, 1, 2, 0, &client), MTP_RESULT_OK, case_name);
        mtp_bytes a = {NULL, 0}, b = {NULL, 0};
        CHECK_RC(mtp_client_handshake_start(client, &a), MTP_RESULT_OK, "dc: start");
        CHECK_RC(mtp_server_handshake_handle(server, a.data, a.len, 0, store, &b), MTP_RESULT_OK,
                 "dc: resPQ");
        mtp_bytes_free(&a);
        CHECK_RC(mtp_client_handshake_handle(client, b.data, b.len, 0, &a), MTP_RESULT_OK,
                 "dc: req_DH_params");
        mtp_bytes_free(&b);
        mtp_result err = MTP_RESULT_INTERNAL;
        CHECK_RC(mtp_server_handshake_error_code(server, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_OK, "dc: no server error yet");
        CHECK_RC(mtp_server_handshake_handle(server, a.data, a.len, 1000, store, &b), MTP_RESULT_OK,
                 "dc: refusal is a reply");
        CHECK(b.len > 0, "dc: server_DH_params_fail to send");
        mtp_bytes_free(&a);
        CHECK_RC(mtp_server_handshake_error_code(server, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_AUTH_INVALID_INNER_DATA,
              ctxf("dc: server error %s", mtp_result_name(err)));
        char *msg = NULL;
        size_t msg_len = 0;
        CHECK_RC(mtp_server_handshake_error_message(server, &msg, &msg_len), MTP_RESULT_OK,
                 case_name);
        CHECK(msg != NULL && strstr(msg, "another DC") != NULL && msg_len == strlen(msg),
              ctxf("dc: server message \"%s\"", msg ? msg : "(null)"));
        mtp_string_free(msg);
        check_server_state(server, "failed");
        bool done = true;
        CHECK_RC(mtp_server_handshake_is_done(server, &done), MTP_RESULT_OK, case_name);
        CHECK(!done, "dc: server not done");
        CHECK_RC(mtp_client_handshake_handle(client, b.data, b.len, 0, &a),
                 MTP_RESULT_AUTH_SERVER_DH_PARAMS_FAIL, "dc: client sees the refusal");
        CHECK_RC(mtp_client_handshake_error_code(client, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_AUTH_SERVER_DH_PARAMS_FAIL,
              ctxf("dc: client error %s", mtp_result_name(err)));
        /* The server's exchange is over: any further body repeats its error. */
        CHECK_RC(mtp_server_handshake_handle(server, b.data, b.len, 0, store, &a),
                 MTP_RESULT_AUTH_INVALID_INNER_DATA, "dc: server error is sticky");
        mtp_bytes_free(&b);
        size_t n = 9;
        CHECK_RC(mtp_auth_key_store_len(store, &n), MTP_RESULT_OK, case_name);
        CHECK(n == 0, "dc: no key stored");
        mtp_client_handshake_free(client);
        client = NULL;
        mtp_server_handshake_free(server);
        mtp_auth_key_store_free(store);
    }

    /* A server that does not know the fingerprint; a temporary key longer
     * than the server accepts. */
    {
        int32_t max = 60;
        mtp_server_handshake *server = NULL;
        mtp_auth_key_store *store = NULL;
        CHECK_RC(mtp_auth_key_store_new(&store), MTP_RESULT_OK, case_name);
        CHECK_RC(mtp_server_handshake_new(privs, 1, 3, NULL, 0, NULL, &max, &server), MTP_RESULT_OK,
                 case_name);
        CHECK_RC(mtp_client_handshake_new(pubs, 1, 2, 61, &client), MTP_RESULT_OK, case_name);
        mtp_bytes a = {NULL, 0}, b = {NULL, 0};
        CHECK_RC(mtp_client_handshake_start(client, &a), MTP_RESULT_OK, "temp: start");
        CHECK_RC(mtp_server_handshake_handle(server, a.data, a.len, 0, store, &b), MTP_RESULT_OK,
                 "temp: resPQ");
        mtp_bytes_free(&a);
        CHECK_RC(mtp_client_handshake_handle(client, b.data, b.len, 0, &a), MTP_RESULT_OK,
                 "temp: req_DH_params");
        mtp_bytes_free(&b);
        CHECK_RC(mtp_server_handshake_handle(server, a.data, a.len, 0, store, &b), MTP_RESULT_OK,
                 "temp: refusal");
        mtp_bytes_free(&a);
        mtp_result err = MTP_RESULT_OK;
        CHECK_RC(mtp_server_handshake_error_code(server, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_AUTH_INVALID_INNER_DATA, "temp: expires_in refused");
        CHECK_RC(mtp_client_handshake_handle(client, b.data, b.len, 0, &a),
                 MTP_RESULT_AUTH_SERVER_DH_PARAMS_FAIL, "temp: client sees the refusal");
        mtp_bytes_free(&b);
        mtp_client_handshake_free(client);
        client = NULL;
        mtp_server_handshake_free(server);

        /* resPQ offers a fingerprint the client does not hold. */
        mtp_rsa_public_key *prod = NULL;
        CHECK_RC(mtp_rsa_public_key_telegram_production(&prod), MTP_RESULT_OK, case_name);
        const mtp_rsa_public_key *prods[1] = {prod};
        CHECK_RC(mtp_server_handshake_new(privs, 1, 0, NULL, 0, NULL, NULL, &server), MTP_RESULT_OK,
                 case_name);
        CHECK_RC(mtp_client_handshake_new(prods, 1, 2, 0, &client), MTP_RESULT_OK, case_name);
        mtp_rsa_public_key_free(prod); /* copied by _new */
        CHECK_RC(mtp_client_handshake_start(client, &a), MTP_RESULT_OK, "fp: start");
        CHECK_RC(mtp_server_handshake_handle(server, a.data, a.len, 0, store, &b), MTP_RESULT_OK,
                 "fp: resPQ");
        mtp_bytes_free(&a);
        CHECK_RC(mtp_client_handshake_handle(client, b.data, b.len, 0, &a),
                 MTP_RESULT_AUTH_UNKNOWN_FINGERPRINT, "fp: unknown fingerprint");
        mtp_bytes_free(&b);
        /* The server refuses a body that is not req_pq_multi. */
        mtp_server_handshake_free(server);
        CHECK_RC(mtp_server_handshake_new(privs, 1, 0, NULL, 0, NULL, NULL, &server), MTP_RESULT_OK,
                 case_name);
        CHECK_RC(
            mtp_server_handshake_handle(server, sample.res_pq, sample.res_pq_len, 0, store, &b),
            MTP_RESULT_AUTH_UNEXPECTED_MESSAGE, "server: resPQ is not a request");
        CHECK_RC(mtp_server_handshake_error_code(server, &err), MTP_RESULT_OK, case_name);
        CHECK(err == MTP_RESULT_AUTH_UNEXPECTED_MESSAGE, "server: error_code after a failed call");
        mtp_server_handshake_free(server);
        mtp_client_handshake_free(client);
        client = NULL;
        mtp_auth_key_store_free(store);
    }

    /* Wrong lengths of fixed-size inputs: 101. */
    CHECK_RC(mtp_client_handshake_new(pubs, 1, 2, 0, &client), MTP_RESULT_OK, case_name);
    uint8_t buf[300];
    memset(buf, 0x11, sizeof buf);
    CHECK_RC(mtp_client_handshake_start_with(client, buf, 15, &out), MTP_RESULT_INVALID_LENGTH,
             "nonce of 15");
    CHECK(message_has("16"), ctxf("message: %s", mtp_last_error_message()));
    CHECK_RC(mtp_client_handshake_start_with(client, buf, 17, &out), MTP_RESULT_INVALID_LENGTH,
             "nonce of 17");
    /* A wrong length is refused before the state changes. */
    check_client_state(client, "new");
    CHECK_RC(mtp_client_handshake_start_with(client, sample.nonce, sample.nonce_len, &out),
             MTP_RESULT_OK, case_name);
    mtp_bytes_free(&out);
    CHECK_RC(mtp_client_handshake_handle_res_pq_with(client, sample.res_pq, sample.res_pq_len, buf,
                                                     31, buf, 100, buf, 32, &out),
             MTP_RESULT_INVALID_LENGTH, "new_nonce of 31");
    CHECK_RC(mtp_client_handshake_handle_res_pq_with(client, sample.res_pq, sample.res_pq_len, buf,
                                                     32, buf, 100, buf, 33, &out),
             MTP_RESULT_INVALID_LENGTH, "rsa_temp_key of 33");
    CHECK_RC(mtp_client_handshake_handle_server_dh_params_with(client, buf, 8, 0, buf, 255, buf, 0,
                                                               &out),
             MTP_RESULT_INVALID_LENGTH, "b of 255");
    CHECK_RC(mtp_client_handshake_handle_dh_gen_with(client, buf, 8, buf, 257, buf, 0, &out),
             MTP_RESULT_INVALID_LENGTH, "retry_b of 257");
    mtp_client_handshake_free(client);
    client = NULL;
    {
        mtp_server_handshake *server = NULL;
        CHECK_RC(mtp_server_handshake_new(privs, 1, 0, NULL, 0, NULL, NULL, &server), MTP_RESULT_OK,
                 case_name);
        CHECK_RC(mtp_server_handshake_handle_req_pq_with(server, buf, 20, buf, 8, 5, 7, &out),
                 MTP_RESULT_INVALID_LENGTH, "server_nonce of 8");
        CHECK_RC(mtp_server_handshake_handle_req_dh_params_with(server, buf, 8, 0, buf, 128, buf, 0,
                                                                &out),
                 MTP_RESULT_INVALID_LENGTH, "a of 128");
        mtp_server_handshake_free(server);
    }

    /* DH groups: g with Telegram's prime, a prime that is not one. */
    {
        mtp_server_handshake *server = (mtp_server_handshake *)(uintptr_t)1;
        CHECK_RC(mtp_server_handshake_new(privs, 1, 2, NULL, 0, NULL, NULL, &server),
                 MTP_RESULT_AUTH_INVALID_GENERATOR, "g = 2 with Telegram's prime");
        CHECK(server == NULL, "server: *out = NULL on failure");
        CHECK_RC(mtp_server_handshake_new(privs, 1, -1, NULL, 0, NULL, NULL, &server),
                 MTP_RESULT_AUTH_INVALID_GENERATOR, "g = -1");
        uint8_t not_prime[256];
        memset(not_prime, 0xff, sizeof not_prime);
        CHECK_RC(
            mtp_server_handshake_new(privs, 1, 3, not_prime, sizeof not_prime, NULL, NULL, &server),
            MTP_RESULT_AUTH_INVALID_DH_PRIME, "2^2048 - 1");
        CHECK_RC(mtp_server_handshake_new(privs, 1, 3, not_prime, 100, NULL, NULL, &server),
                 MTP_RESULT_AUTH_INVALID_DH_PRIME, "a short prime");
        size_t prime_len = 0;
        uint8_t *prime = load_test_prime(dir, &prime_len);
        CHECK_RC(mtp_server_handshake_new(privs, 1, 8, prime, prime_len, NULL, NULL, &server),
                 MTP_RESULT_AUTH_INVALID_GENERATOR, "g = 8");
        CHECK_RC(mtp_server_handshake_new(privs, 1, 2, prime, prime_len, NULL, NULL, &server),
                 MTP_RESULT_OK, "the custom prime with g = 2");
        mtp_server_handshake_free(server);
        free(prime);
    }

    mtp_rsa_public_key_free(pub);
    mtp_rsa_private_key_free(priv);
    free(sample.nonce);
    free(sample.res_pq);
    case_name = "?";
}

static void rsa_errors(void) {
    case_name = "rsa";
    /* Built-in keys. */
    mtp_rsa_public_key *prod = NULL, *test = NULL;
    int64_t fp = 0;
    CHECK_RC(mtp_rsa_public_key_telegram_production(&prod), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_rsa_public_key_fingerprint(prod, &fp), MTP_RESULT_OK, case_name);
    CHECK(fp == -3414540481677951611LL, ctxf("production fingerprint %lld", (long long)fp));
    CHECK_RC(mtp_rsa_public_key_telegram_test(&test), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_rsa_public_key_fingerprint(test, &fp), MTP_RESULT_OK, case_name);
    CHECK(fp == -5595554452916591101LL, ctxf("test fingerprint %lld", (long long)fp));

    /* Caller buffers: size query, too small, exact. */
    uint8_t m[MTP_RSA_MODULUS_LEN];
    size_t len = 0;
    CHECK_RC(mtp_rsa_public_key_modulus(prod, NULL, &len), MTP_RESULT_BUFFER_TOO_SMALL,
             "modulus size query");
    CHECK(len == MTP_RSA_MODULUS_LEN, "modulus: size needed");
    len = 255;
    CHECK_RC(mtp_rsa_public_key_modulus(prod, m, &len), MTP_RESULT_BUFFER_TOO_SMALL,
             "modulus in 255");
    CHECK(len == 256, "modulus: 256 needed");
    CHECK_RC(mtp_rsa_public_key_modulus(prod, m, NULL), MTP_RESULT_NULL_POINTER,
             "modulus NULL out_len");
    len = 2;
    CHECK_RC(mtp_rsa_public_key_exponent(prod, m, &len), MTP_RESULT_BUFFER_TOO_SMALL,
             "exponent in 2");
    CHECK(len == 3, "exponent: 3 needed");

    /* From components: the modulus and exponent read back as the same key. */
    uint8_t e[8];
    size_t m_len = sizeof m, e_len = sizeof e;
    CHECK_RC(mtp_rsa_public_key_modulus(prod, m, &m_len), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_rsa_public_key_exponent(prod, e, &e_len), MTP_RESULT_OK, case_name);
    mtp_rsa_public_key *built = NULL;
    CHECK_RC(mtp_rsa_public_key_from_components(m, m_len, e, e_len, &built), MTP_RESULT_OK,
             "from_components");
    int64_t fp_built = 0;
    CHECK_RC(mtp_rsa_public_key_fingerprint(built, &fp_built), MTP_RESULT_OK, case_name);
    CHECK(fp_built == -3414540481677951611LL,
          ctxf("from_components: fingerprint %lld", (long long)fp_built));
    mtp_rsa_public_key_free(built);
    /* Leading zeros are ignored. */
    uint8_t padded[MTP_RSA_MODULUS_LEN + 2] = {0};
    memcpy(padded + 2, m, sizeof m);
    CHECK_RC(mtp_rsa_public_key_from_components(padded, sizeof padded, e, e_len, &built),
             MTP_RESULT_OK, "from_components with leading zeros");
    fp_built = 0;
    CHECK_RC(mtp_rsa_public_key_fingerprint(built, &fp_built), MTP_RESULT_OK, case_name);
    CHECK(fp_built == -3414540481677951611LL, "from_components: leading zeros");
    mtp_rsa_public_key_free(built);
    /* A 1024-bit modulus (the top half of the key's), an even one, exponent 1: 414. */
    built = (mtp_rsa_public_key *)(uintptr_t)1;
    CHECK_RC(mtp_rsa_public_key_from_components(m, 128, e, e_len, &built),
             MTP_RESULT_AUTH_INVALID_RSA_KEY, "from_components: 1024-bit modulus");
    CHECK(built == NULL, "from_components: *out = NULL on failure");
    CHECK(message_has("1024 bits"), ctxf("message: %s", mtp_last_error_message()));
    m[MTP_RSA_MODULUS_LEN - 1] ^= 1;
    CHECK_RC(mtp_rsa_public_key_from_components(m, m_len, e, e_len, &built),
             MTP_RESULT_AUTH_INVALID_RSA_KEY, "from_components: even modulus");
    m[MTP_RSA_MODULUS_LEN - 1] ^= 1;
    const uint8_t one = 1;
    CHECK_RC(mtp_rsa_public_key_from_components(m, m_len, &one, 1, &built),
             MTP_RESULT_AUTH_INVALID_RSA_KEY, "from_components: exponent 1");
    CHECK_RC(mtp_rsa_public_key_from_components(NULL, 0, e, e_len, &built),
             MTP_RESULT_AUTH_INVALID_RSA_KEY, "from_components: empty modulus");
    CHECK_RC(mtp_rsa_public_key_from_components(NULL, 256, e, e_len, &built),
             MTP_RESULT_NULL_POINTER, "from_components: NULL n");
    CHECK_RC(mtp_rsa_public_key_from_components(m, m_len, NULL, 3, &built),
             MTP_RESULT_NULL_POINTER, "from_components: NULL e");
    CHECK_RC(mtp_rsa_public_key_from_components(m, m_len, e, e_len, NULL),
             MTP_RESULT_NULL_POINTER, "from_components: NULL out");

    /* Garbage PEM: 414, *out NULL. */
    const char *garbage =
        "-----BEGIN RSA PUBLIC KEY-----\nnot base64!\n-----END RSA PUBLIC KEY-----\n";
    mtp_rsa_public_key *pub = (mtp_rsa_public_key *)(uintptr_t)1;
    CHECK_RC(mtp_rsa_public_key_from_pem(garbage, strlen(garbage), &pub),
             MTP_RESULT_AUTH_INVALID_RSA_KEY, "garbage public PEM");
    CHECK(pub == NULL, "public: *out = NULL on failure");
    CHECK(message_has("invalid RSA key"), ctxf("message: %s", mtp_last_error_message()));
    CHECK_RC(mtp_rsa_public_key_from_pem("hello", 5, &pub), MTP_RESULT_AUTH_INVALID_RSA_KEY,
             "not PEM");
    CHECK_RC(mtp_rsa_public_key_from_pem(NULL, 0, &pub), MTP_RESULT_AUTH_INVALID_RSA_KEY,
             "empty PEM");
    CHECK_RC(mtp_rsa_public_key_from_pem("\xff\xfe", 2, &pub), MTP_RESULT_INVALID_ARGUMENT,
             "not UTF-8");
    CHECK_RC(mtp_rsa_public_key_from_pem(NULL, 5, &pub), MTP_RESULT_NULL_POINTER, "NULL PEM");
    CHECK_RC(mtp_rsa_public_key_from_pem("x", 1, NULL), MTP_RESULT_NULL_POINTER, "NULL out");
    mtp_rsa_private_key *priv = (mtp_rsa_private_key *)(uintptr_t)1;
    CHECK_RC(mtp_rsa_private_key_from_pem(garbage, strlen(garbage), &priv),
             MTP_RESULT_AUTH_INVALID_RSA_KEY, "garbage private PEM");
    CHECK(priv == NULL, "private: *out = NULL on failure");
    /* A public key is not a private key, and the other way round. */
    char *pem = NULL;
    size_t pem_len = 0;
    CHECK_RC(mtp_rsa_public_key_to_pem(prod, &pem, &pem_len), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_rsa_private_key_from_pem(pem, pem_len, &priv), MTP_RESULT_AUTH_INVALID_RSA_KEY,
             "public PEM as private");
    CHECK(message_has("PEM label"), ctxf("message: %s", mtp_last_error_message()));
    mtp_string_free(pem);

    /* NULL handles and out-pointers. */
    CHECK_RC(mtp_rsa_public_key_fingerprint(NULL, &fp), MTP_RESULT_NULL_POINTER, "NULL key");
    CHECK_RC(mtp_rsa_public_key_fingerprint(prod, NULL), MTP_RESULT_NULL_POINTER, "NULL out");
    CHECK_RC(mtp_rsa_private_key_fingerprint(NULL, &fp), MTP_RESULT_NULL_POINTER,
             "NULL private key");
    pem = (char *)"x";
    CHECK_RC(mtp_rsa_public_key_to_pem(NULL, &pem, NULL), MTP_RESULT_NULL_POINTER,
             "to_pem NULL key");
    CHECK(pem == NULL, "to_pem: NULL on failure");
    CHECK_RC(mtp_rsa_private_key_to_pem(NULL, &pem, NULL), MTP_RESULT_NULL_POINTER,
             "private to_pem NULL key");
    CHECK_RC(mtp_rsa_private_key_public_key(NULL, &pub), MTP_RESULT_NULL_POINTER,
             "public_key of NULL");
    CHECK_RC(mtp_rsa_private_key_generate(NULL), MTP_RESULT_NULL_POINTER, "generate NULL out");
    CHECK_RC(mtp_rsa_public_key_telegram_production(NULL), MTP_RESULT_NULL_POINTER,
             "production NULL out");
    len = sizeof m;
    CHECK_RC(mtp_rsa_private_key_decrypt_old_scheme(NULL, m, 0, 0, m, &len),
             MTP_RESULT_NULL_POINTER, "decrypt NULL key");
    mtp_rsa_public_key_free(NULL);
    mtp_rsa_private_key_free(NULL);
    mtp_rsa_public_key_free(prod);
    mtp_rsa_public_key_free(test);
    case_name = "?";
}

static void argument_errors(void) {
    case_name = "arguments";
    mtp_rsa_public_key *prod = NULL;
    CHECK_RC(mtp_rsa_public_key_telegram_production(&prod), MTP_RESULT_OK, case_name);
    mtp_client_handshake *client = (mtp_client_handshake *)(uintptr_t)1;
    const mtp_rsa_public_key *with_null[2] = {prod, NULL};
    CHECK_RC(mtp_client_handshake_new(NULL, 1, 2, 0, &client), MTP_RESULT_NULL_POINTER,
             "NULL key list");
    CHECK(client == NULL, "client: *out = NULL on failure");
    CHECK_RC(mtp_client_handshake_new(with_null, 2, 2, 0, &client), MTP_RESULT_NULL_POINTER,
             "NULL in key list");
    CHECK(message_has("keys[1]"), ctxf("message: %s", mtp_last_error_message()));
    CHECK_RC(mtp_client_handshake_new(with_null, 1, 2, -1, &client), MTP_RESULT_INVALID_ARGUMENT,
             "negative expires_in");
    CHECK_RC(mtp_client_handshake_new(with_null, 1, 2, 0, NULL), MTP_RESULT_NULL_POINTER,
             "NULL out");
    /* No keys at all is allowed; resPQ then names no known key. */
    CHECK_RC(mtp_client_handshake_new(NULL, 0, 2, 0, &client), MTP_RESULT_OK, "no keys");
    mtp_client_handshake_free(client);
    mtp_server_handshake *server = (mtp_server_handshake *)(uintptr_t)1;
    const mtp_rsa_private_key *no_priv[1] = {NULL};
    CHECK_RC(mtp_server_handshake_new(no_priv, 1, 0, NULL, 0, NULL, NULL, &server),
             MTP_RESULT_NULL_POINTER, "NULL private key");
    CHECK(server == NULL, "server: *out = NULL on failure");
    CHECK_RC(mtp_server_handshake_new(NULL, 0, 0, NULL, 5, NULL, NULL, &server),
             MTP_RESULT_NULL_POINTER, "NULL dh_prime with a length");

    /* NULL handles and out-pointers. */
    mtp_bytes out = {(uint8_t *)(uintptr_t)1, 7};
    bool flag = false;
    mtp_created_auth_key k;
    mtp_result err;
    char *s = NULL;
    uint8_t buf[32] = {0};
    CHECK_RC(mtp_client_handshake_start(NULL, &out), MTP_RESULT_NULL_POINTER,
             "start NULL handshake");
    CHECK(out.data == NULL && out.len == 0, "start: out reset on failure");
    CHECK_RC(mtp_client_handshake_handle(NULL, buf, 4, 0, &out), MTP_RESULT_NULL_POINTER,
             "handle NULL");
    CHECK_RC(mtp_client_handshake_is_done(NULL, &flag), MTP_RESULT_NULL_POINTER, "is_done NULL");
    CHECK_RC(mtp_client_handshake_state_name(NULL, &s, NULL), MTP_RESULT_NULL_POINTER,
             "state_name NULL");
    CHECK_RC(mtp_client_handshake_created_key(NULL, &flag, &k), MTP_RESULT_NULL_POINTER,
             "created_key NULL");
    CHECK_RC(mtp_server_handshake_handle(NULL, buf, 4, 0, NULL, &out), MTP_RESULT_NULL_POINTER,
             "server NULL");
    CHECK_RC(mtp_server_handshake_error_code(NULL, &err), MTP_RESULT_NULL_POINTER,
             "error_code NULL");
    CHECK_RC(mtp_server_handshake_error_message(NULL, &s, NULL), MTP_RESULT_NULL_POINTER,
             "error_message NULL");
    CHECK_RC(mtp_client_handshake_error_code(NULL, &err), MTP_RESULT_NULL_POINTER,
             "client error_code NULL");
    s = (char *)"x";
    CHECK_RC(mtp_client_handshake_error_message(NULL, &s, NULL), MTP_RESULT_NULL_POINTER,
             "client error_message NULL");
    CHECK(s == NULL, "client error_message: NULL on failure");
    CHECK_RC(mtp_auth_key_store_len(NULL, NULL), MTP_RESULT_NULL_POINTER, "store NULL");
    CHECK_RC(mtp_auth_key_store_is_empty(NULL, &flag), MTP_RESULT_NULL_POINTER,
             "is_empty NULL store");
    CHECK_RC(mtp_client_handshake_new(NULL, 0, 2, 0, &client), MTP_RESULT_OK, case_name);
    CHECK_RC(mtp_client_handshake_start(client, NULL), MTP_RESULT_NULL_POINTER, "start NULL out");
    CHECK_RC(mtp_client_handshake_created_key(client, NULL, &k), MTP_RESULT_NULL_POINTER,
             "created_key NULL present");
    CHECK_RC(mtp_client_handshake_created_key(client, &flag, NULL), MTP_RESULT_NULL_POINTER,
             "created_key NULL out");
    CHECK_RC(mtp_client_handshake_is_done(client, NULL), MTP_RESULT_NULL_POINTER,
             "is_done NULL out");
    CHECK_RC(mtp_client_handshake_error_code(client, NULL), MTP_RESULT_NULL_POINTER,
             "client error_code NULL out");
    CHECK_RC(mtp_client_handshake_error_message(client, NULL, NULL), MTP_RESULT_NULL_POINTER,
             "client error_message NULL out");
    mtp_client_handshake_free(client);
    CHECK_RC(mtp_server_handshake_new(NULL, 0, 0, NULL, 0, NULL, NULL, &server), MTP_RESULT_OK,
             "no server keys");
    CHECK_RC(mtp_server_handshake_handle(server, buf, 4, 0, NULL, &out), MTP_RESULT_NULL_POINTER,
             "NULL store");
    CHECK(message_has("store"), ctxf("message: %s", mtp_last_error_message()));
    CHECK_RC(mtp_server_handshake_error_code(server, NULL), MTP_RESULT_NULL_POINTER,
             "error_code NULL out");
    mtp_server_handshake_free(server);

    /* The key store. */
    mtp_auth_key_store *store = NULL;
    CHECK_RC(mtp_auth_key_store_new(&store), MTP_RESULT_OK, case_name);
    uint8_t key[MTP_AUTH_KEY_LEN];
    fill_pattern(key, sizeof key, 7);
    bool inserted = false, empty = false;
    CHECK_RC(mtp_auth_key_store_is_empty(store, &empty), MTP_RESULT_OK, case_name);
    CHECK(empty, "store: a new store is empty");
    CHECK_RC(mtp_auth_key_store_is_empty(store, NULL), MTP_RESULT_NULL_POINTER,
             "store: is_empty NULL out");
    CHECK_RC(mtp_auth_key_store_insert_permanent(store, key, 255, 1, &inserted),
             MTP_RESULT_INVALID_LENGTH, "store: 255-byte key");
    CHECK_RC(mtp_auth_key_store_insert_permanent(store, key, sizeof key, 1, NULL),
             MTP_RESULT_NULL_POINTER, "store: NULL inserted");
    CHECK_RC(mtp_auth_key_store_insert_permanent(store, key, sizeof key, 1, &inserted),
             MTP_RESULT_OK, case_name);
    CHECK(inserted, "store: inserted");
    CHECK_RC(mtp_auth_key_store_insert_temporary(store, key, sizeof key, 1, 100, &inserted),
             MTP_RESULT_OK, case_name);
    CHECK(!inserted, "store: the same id is not inserted twice");
    size_t n = 0;
    CHECK_RC(mtp_auth_key_store_len(store, &n), MTP_RESULT_OK, case_name);
    CHECK(n == 1, "store: one key");
    CHECK_RC(mtp_auth_key_store_is_empty(store, &empty), MTP_RESULT_OK, case_name);
    CHECK(!empty, "store: not empty after an insert");
    uint64_t id = 0;
    CHECK_RC(mtp_auth_key_store_bound_permanent(store, 1, 0, NULL, &id), MTP_RESULT_NULL_POINTER,
             "store: NULL present");

    /* Binding arguments. */
    uint8_t random[MTP_BIND_RANDOM_LEN] = {0}, padding[MTP_BIND_PADDING_LEN + 1] = {0};
    CHECK_RC(
        mtp_bind_temp_auth_key_query_with(key, sizeof key, 1, 2, 3, 4, 5, random, sizeof random,
                                          padding, MTP_BIND_PADDING_LEN + 1, &out),
        MTP_RESULT_INVALID_LENGTH, "bind: 9 bytes of padding");
    CHECK_RC(mtp_bind_temp_auth_key_query_with(key, sizeof key, 1, 2, 3, 4, 5, random, 15, padding,
                                               MTP_BIND_PADDING_LEN, &out),
             MTP_RESULT_INVALID_LENGTH, "bind: 15 random bytes");
    CHECK_RC(mtp_bind_temp_auth_key_query_with(key, 200, 1, 2, 3, 4, 5, random, sizeof random,
                                               padding, MTP_BIND_PADDING_LEN, &out),
             MTP_RESULT_INVALID_LENGTH, "bind: short key");
    int64_t nonce = 0;
    CHECK_RC(mtp_bind_temp_auth_key_query(key, sizeof key, 1, 2, 3, 4, &out, NULL),
             MTP_RESULT_NULL_POINTER, "bind: NULL nonce");
    CHECK(out.data == NULL && out.len == 0, "bind: query reset on failure");
    CHECK_RC(mtp_bind_temp_auth_key_query(key, sizeof key, 1, 2, 3, 4, &out, &nonce), MTP_RESULT_OK,
             case_name);
    mtp_temp_key_binding b;
    /* Over a key the store does not have: 418. */
    CHECK_RC(mtp_verify_bind_temp_auth_key(store, out.data, out.len, 12345, 2, 3, 0, &b),
             MTP_RESULT_AUTH_UNKNOWN_KEY, "bind: unknown temporary key");
    CHECK_RC(mtp_verify_bind_temp_auth_key(NULL, out.data, out.len, 1, 2, 3, 0, &b),
             MTP_RESULT_NULL_POINTER, "bind: NULL store");
    CHECK_RC(mtp_verify_bind_temp_auth_key(store, out.data, out.len, 1, 2, 3, 0, NULL),
             MTP_RESULT_NULL_POINTER, "bind: NULL out");
    mtp_bytes_free(&out);
    mtp_auth_key_store_free(store);

    /* NULL-safe frees. */
    mtp_client_handshake_free(NULL);
    mtp_server_handshake_free(NULL);
    mtp_auth_key_store_free(NULL);
    mtp_string_free(NULL);
    CHECK(1, "NULL frees return");
    mtp_rsa_public_key_free(prod);
    case_name = "?";
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/vectors";
    int cases = run_handshake_vectors(dir);
    CHECK(cases >= 9, ctxf("handshake.json: %d cases", cases));
    live_exchanges(dir);
    generated_key(dir);
    handshake_errors(dir);
    rsa_errors();
    argument_errors();
    return check_finish();
}
