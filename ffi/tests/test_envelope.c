/*
 * test_envelope.c: sealing and opening through the C API: round trips in both
 * directions with random padding, tamper rejection, the primitives chained by
 * hand, plain messages and IGE in place.
 */
#include "check.h"

static mtp_auth_key *make_key(uint32_t seed) {
    uint8_t bytes[MTP_AUTH_KEY_LEN];
    fill_pattern(bytes, sizeof bytes, seed);
    mtp_auth_key *key = NULL;
    CHECK_RC(mtp_auth_key_new(bytes, sizeof bytes, &key), MTP_RESULT_OK, "make_key");
    return key;
}

static const char *dir_name(mtp_direction dir) {
    return dir == MTP_DIRECTION_CLIENT_TO_SERVER ? "client->server" : "server->client";
}

static mtp_direction reverse(mtp_direction dir) {
    return dir == MTP_DIRECTION_CLIENT_TO_SERVER ? MTP_DIRECTION_SERVER_TO_CLIENT
                                                 : MTP_DIRECTION_CLIENT_TO_SERVER;
}

/* Seal with random padding, open on the other side, and check everything
 * a receiver can see. */
static void round_trip(mtp_auth_key *key, mtp_auth_key *other, mtp_direction dir, size_t body_len) {
    const char *ctx = ctxf("%s body %zu", dir_name(dir), body_len);
    char saved[128];
    snprintf(saved, sizeof saved, "%s", ctx);
    ctx = saved;

    uint8_t *body = malloc(body_len + 1);
    fill_pattern(body, body_len, (uint32_t)body_len + 7);
    mtp_message_header h = {
        .salt = 0x0123456789abcdefull,
        .session_id = 0xfedcba9876543210ull + body_len,
        .msg_id = 0x51e57ac42e000000ull + (dir == MTP_DIRECTION_SERVER_TO_CLIENT ? 1 : 0),
        .seq_no = (uint32_t)(2 * body_len + 1),
    };
    size_t cap = body_len + MTP_SEAL_MAX_OVERHEAD;
    uint8_t *wire = malloc(cap);
    size_t wire_len = cap;
    if (!CHECK_RC(mtp_seal_encrypted(key, dir, &h, body, body_len, wire, &wire_len), MTP_RESULT_OK,
                  ctx)) {
        free(body);
        free(wire);
        return;
    }
    /* auth_key_id (8) | msg_key (16) | whole blocks of header + body + 12..1024 padding. */
    CHECK(wire_len % 16 == 8, ctx);
    CHECK(wire_len >= 24 + 32 + body_len + 12, ctx);
    CHECK(wire_len <= body_len + MTP_SEAL_MAX_OVERHEAD, ctx);
    uint8_t id_wire[MTP_AUTH_KEY_ID_LEN];
    size_t id_len = sizeof id_wire;
    CHECK_RC(mtp_auth_key_id_wire(key, id_wire, &id_len), MTP_RESULT_OK, ctx);
    CHECK_MEM(wire, (size_t)8, id_wire, id_len, ctx);

    /* The receiver opens in the same direction. */
    mtp_message_header got;
    memset(&got, 0, sizeof got);
    uint8_t *out = malloc(wire_len);
    size_t out_len = wire_len;
    CHECK_RC(mtp_open_encrypted(key, dir, wire, wire_len, &got, out, &out_len), MTP_RESULT_OK, ctx);
    CHECK(got.salt == h.salt && got.session_id == h.session_id && got.msg_id == h.msg_id &&
              got.seq_no == h.seq_no,
          ctx);
    CHECK_MEM(out, out_len, body, body_len, ctx);

    /* The primitives chained by hand give the same plaintext and msg_key. */
    mtp_aes_key_iv aes;
    CHECK_RC(mtp_derive_v2(key, dir, wire + 8, 16, &aes), MTP_RESULT_OK, ctx);
    size_t plain_len = wire_len - 24;
    uint8_t *plain = malloc(plain_len);
    CHECK_RC(mtp_ige_decrypt(aes.key, sizeof aes.key, aes.iv, sizeof aes.iv, wire + 24, plain_len,
                             plain, &plain_len),
             MTP_RESULT_OK, ctx);
    uint8_t mk[MTP_MSG_KEY_LEN];
    size_t mk_len = sizeof mk;
    CHECK_RC(mtp_msg_key_v2(key, dir, plain, plain_len, mk, &mk_len), MTP_RESULT_OK, ctx);
    CHECK_MEM(mk, mk_len, wire + 8, (size_t)16, ctx);
    CHECK_MEM(plain + 32, body_len, body, body_len, ctx);
    free(plain);

    /* The wrong direction, the wrong key: rejected. */
    size_t keep = out_len = wire_len;
    CHECK_RC(mtp_open_encrypted(key, reverse(dir), wire, wire_len, &got, out, &out_len),
             MTP_RESULT_ENVELOPE_REJECTED, ctx);
    CHECK(out_len == keep, ctx);
    CHECK_RC(mtp_open_encrypted(other, dir, wire, wire_len, &got, out, &out_len),
             MTP_RESULT_ENVELOPE_REJECTED, ctx);

    /* Any flipped byte is rejected, whatever its place. */
    size_t spots[] = {0, 7, 8, 23, 24, 24 + 28, wire_len / 2, wire_len - 1};
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        wire[spots[i]] ^= 0x01;
        out_len = wire_len;
        CHECK_RC(mtp_open_encrypted(key, dir, wire, wire_len, &got, out, &out_len),
                 MTP_RESULT_ENVELOPE_REJECTED, ctxf("%s, byte %zu flipped", ctx, spots[i]));
        wire[spots[i]] ^= 0x01;
    }
    /* Truncated or extended by a block: rejected. */
    out_len = wire_len;
    CHECK_RC(mtp_open_encrypted(key, dir, wire, wire_len - 16, &got, out, &out_len),
             MTP_RESULT_ENVELOPE_REJECTED, ctx);
    uint8_t *longer = calloc(wire_len + 16, 1);
    memcpy(longer, wire, wire_len);
    CHECK_RC(mtp_open_encrypted(key, dir, longer, wire_len + 16, &got, out, &out_len),
             MTP_RESULT_ENVELOPE_REJECTED, ctx);
    free(longer);
    /* Restored: opens again. */
    out_len = wire_len;
    CHECK_RC(mtp_open_encrypted(key, dir, wire, wire_len, &got, out, &out_len), MTP_RESULT_OK, ctx);

    free(out);
    free(wire);
    free(body);
}

/* Random padding: the same message sealed twice differs, and over many seals
 * the length varies (0..3 extra blocks). */
static void random_padding(mtp_auth_key *key) {
    mtp_message_header h = {.salt = 1, .session_id = 2, .msg_id = 4, .seq_no = 1};
    uint8_t body[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    uint8_t a[16 + MTP_SEAL_MAX_OVERHEAD], b[16 + MTP_SEAL_MAX_OVERHEAD];
    size_t a_len = sizeof a, b_len = sizeof b;
    CHECK_RC(mtp_seal_encrypted(key, MTP_DIRECTION_CLIENT_TO_SERVER, &h, body, sizeof body, a, &a_len),
             MTP_RESULT_OK, "random padding");
    CHECK_RC(mtp_seal_encrypted(key, MTP_DIRECTION_CLIENT_TO_SERVER, &h, body, sizeof body, b, &b_len),
             MTP_RESULT_OK, "random padding");
    CHECK(a_len != b_len || memcmp(a, b, a_len) != 0, "two seals of one message differ");
    size_t min_len = SIZE_MAX, max_len = 0;
    for (int i = 0; i < 64; i++) {
        a_len = sizeof a;
        if (mtp_seal_encrypted(key, MTP_DIRECTION_SERVER_TO_CLIENT, &h, body, sizeof body, a, &a_len) !=
            MTP_RESULT_OK) {
            CHECK(0, "seal in loop");
            break;
        }
        if (a_len < min_len) min_len = a_len;
        if (a_len > max_len) max_len = a_len;
    }
    CHECK(min_len < max_len, "padding length varies over 64 seals");
    CHECK(max_len - min_len <= 48, "at most 3 extra blocks");
}

/* A size query and a retry: the pattern a C caller uses without knowing sizes. */
static void size_queries(mtp_auth_key *key) {
    mtp_message_header h = {.salt = 9, .session_id = 8, .msg_id = 12, .seq_no = 3};
    uint8_t body[40];
    fill_pattern(body, sizeof body, 40);
    size_t need = 0;
    CHECK_RC(mtp_seal_encrypted(key, MTP_DIRECTION_CLIENT_TO_SERVER, &h, body, sizeof body, NULL, &need),
             MTP_RESULT_BUFFER_TOO_SMALL, "seal size query");
    CHECK(need >= 24 + 32 + sizeof body + 12 && need <= sizeof body + MTP_SEAL_MAX_OVERHEAD,
          "seal size query: plausible size");
    uint8_t wire[40 + MTP_SEAL_MAX_OVERHEAD];
    size_t wire_len = sizeof wire;
    CHECK_RC(mtp_seal_encrypted(key, MTP_DIRECTION_CLIENT_TO_SERVER, &h, body, sizeof body, wire,
                                &wire_len),
             MTP_RESULT_OK, "seal");

    /* Open with a too small body buffer: exact size back, header untouched. */
    mtp_message_header got;
    memset(&got, 0xAA, sizeof got);
    uint8_t small[8];
    size_t small_len = sizeof small;
    CHECK_RC(mtp_open_encrypted(key, MTP_DIRECTION_CLIENT_TO_SERVER, wire, wire_len, &got, small,
                                &small_len),
             MTP_RESULT_BUFFER_TOO_SMALL, "open into a small buffer");
    CHECK(small_len == sizeof body, "open reports the body size");
    CHECK(got.salt == 0xAAAAAAAAAAAAAAAAull && got.seq_no == 0xAAAAAAAAu, "header not written");
    size_t body_len = 0;
    CHECK_RC(mtp_open_encrypted(key, MTP_DIRECTION_CLIENT_TO_SERVER, wire, wire_len, &got, NULL,
                                &body_len),
             MTP_RESULT_BUFFER_TOO_SMALL, "open size query");
    CHECK(body_len == sizeof body, "open size query: body size");
    uint8_t *exact = malloc(body_len);
    CHECK_RC(mtp_open_encrypted(key, MTP_DIRECTION_CLIENT_TO_SERVER, wire, wire_len, &got, exact,
                                &body_len),
             MTP_RESULT_OK, "open into an exact buffer");
    CHECK_MEM(exact, body_len, body, sizeof body, "open into an exact buffer");
    CHECK(got.msg_id == 12 && got.seq_no == 3, "header written");
    free(exact);

    /* An empty body opens with a NULL body buffer. */
    uint8_t empty_wire[MTP_SEAL_MAX_OVERHEAD];
    size_t empty_len = sizeof empty_wire;
    CHECK_RC(mtp_seal_encrypted(key, MTP_DIRECTION_SERVER_TO_CLIENT, &h, NULL, 0, empty_wire,
                                &empty_len),
             MTP_RESULT_OK, "seal empty body");
    body_len = 0;
    CHECK_RC(mtp_open_encrypted(key, MTP_DIRECTION_SERVER_TO_CLIENT, empty_wire, empty_len, &got, NULL,
                                &body_len),
             MTP_RESULT_OK, "open empty body");
    CHECK(body_len == 0, "empty body");
}

static void plain_messages(void) {
    for (size_t body_len = 0; body_len <= 64; body_len += 4) {
        const char *ctx = ctxf("plain body %zu", body_len);
        uint8_t body[64], wire[20 + 64 + 15], out[64];
        fill_pattern(body, body_len, (uint32_t)body_len);
        size_t wire_len = sizeof wire;
        CHECK_RC(mtp_seal_plain(0x51e57ac42e000004ull + body_len, body, body_len, wire, &wire_len),
                 MTP_RESULT_OK, ctx);
        CHECK(wire_len == 20 + body_len, ctx);
        uint64_t id = 0;
        size_t out_len = sizeof out;
        CHECK_RC(mtp_open_plain(wire, wire_len, &id, out, &out_len), MTP_RESULT_OK, ctx);
        CHECK(id == 0x51e57ac42e000004ull + body_len, ctx);
        CHECK_MEM(out, out_len, body, body_len, ctx);
        /* Up to 15 bytes of transport padding may follow the message. */
        memset(wire + wire_len, 0, 15);
        out_len = sizeof out;
        CHECK_RC(mtp_open_plain(wire, wire_len + 15, &id, out, &out_len), MTP_RESULT_OK, ctx);
        CHECK_MEM(out, out_len, body, body_len, ctx);
    }
}

static void ige_round_trips(void) {
    uint8_t key[32], iv[32];
    fill_pattern(key, sizeof key, 1);
    fill_pattern(iv, sizeof iv, 2);
    for (size_t len = 0; len <= 4096; len = len * 2 + 16) {
        const char *ctx = ctxf("ige %zu bytes", len);
        uint8_t *data = malloc(len + 1), *buf = malloc(len + 1);
        fill_pattern(data, len, (uint32_t)len);
        memcpy(buf, data, len);
        size_t n = len;
        CHECK_RC(mtp_ige_encrypt(key, 32, iv, 32, buf, len, buf, &n), MTP_RESULT_OK, ctx);
        CHECK(n == len, ctx);
        CHECK(len == 0 || memcmp(buf, data, len) != 0, ctx);
        n = len;
        CHECK_RC(mtp_ige_decrypt(key, 32, iv, 32, buf, len, buf, &n), MTP_RESULT_OK, ctx);
        CHECK_MEM(buf, n, data, len, ctx);
        free(data);
        free(buf);
    }
}

int main(void) {
    mtp_auth_key *key = make_key(1);
    mtp_auth_key *other = make_key(2);
    if (key != NULL && other != NULL) {
        const size_t sizes[] = {0, 4, 8, 12, 16, 20, 100, 1024, 4096, 65536};
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            round_trip(key, other, MTP_DIRECTION_CLIENT_TO_SERVER, sizes[i]);
            round_trip(key, other, MTP_DIRECTION_SERVER_TO_CLIENT, sizes[i]);
        }
        random_padding(key);
        size_queries(key);
    }
    plain_messages();
    ige_round_trips();
    mtp_auth_key_free(key);
    mtp_auth_key_free(other);
    return check_finish();
}
