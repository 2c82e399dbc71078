/*
 * check.h: the tiny assertion and counting helpers shared by the C tests.
 *
 * Every CHECK* counts one check. A failure prints where and why (with the
 * library's last error message) and the test carries on; check_finish()
 * prints "N passed, M failed" as the binary's last line and gives the exit
 * status.
 */
#ifndef MTP_TEST_CHECK_H
#define MTP_TEST_CHECK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtproto.h"

static int check_passed = 0;
static int check_failed = 0;

/* Context strings for messages: a few rotating static buffers, so that a
 * call may take two of them. */
static inline const char *ctxf(const char *fmt, ...) {
    static char bufs[4][256];
    static unsigned next = 0;
    char *buf = bufs[next++ % 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof bufs[0], fmt, ap);
    va_end(ap);
    return buf;
}

static inline int check_true(int ok, const char *expr, const char *ctx, const char *file, int line) {
    if (ok) {
        check_passed++;
    } else {
        check_failed++;
        fprintf(stderr, "FAIL %s:%d [%s]: %s\n", file, line, ctx, expr);
    }
    return ok;
}

static inline int check_rc(mtp_result got, mtp_result want, const char *expr, const char *ctx,
                           const char *file, int line) {
    if (got == want) {
        check_passed++;
        return 1;
    }
    check_failed++;
    fprintf(stderr, "FAIL %s:%d [%s]: %s returned %s (%u), expected %s (%u); last error: %s\n",
            file, line, ctx, expr, mtp_result_name(got), (unsigned)got, mtp_result_name(want),
            (unsigned)want, mtp_last_error_message());
    return 0;
}

static inline void print_hex(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n && i < 64; i++) fprintf(stderr, "%02x", p[i]);
    if (n > 64) fprintf(stderr, "...");
}

static inline int check_mem(const uint8_t *got, size_t got_len, const uint8_t *want, size_t want_len,
                            const char *what, const char *ctx, const char *file, int line) {
    if (got_len == want_len && (want_len == 0 || memcmp(got, want, want_len) == 0)) {
        check_passed++;
        return 1;
    }
    check_failed++;
    fprintf(stderr, "FAIL %s:%d [%s]: %s differs\n  got  (%zu) ", file, line, ctx, what, got_len);
    print_hex(got, got_len);
    fprintf(stderr, "\n  want (%zu) ", want_len);
    print_hex(want, want_len);
    fprintf(stderr, "\n");
    return 0;
}

#define CHECK(cond, ctx) check_true((cond) ? 1 : 0, #cond, (ctx), __FILE__, __LINE__)
#define CHECK_RC(expr, want, ctx) check_rc((expr), (want), #expr, (ctx), __FILE__, __LINE__)
#define CHECK_MEM(got, got_len, want, want_len, ctx) \
    check_mem((got), (got_len), (want), (want_len), #got, (ctx), __FILE__, __LINE__)

/* Decode a hex string into a new buffer (always non-NULL, even for ""), or
 * NULL if the string is not hex. Free with free(). */
static inline uint8_t *hex_decode(const char *hex, size_t *len) {
    size_t n = strlen(hex);
    if (n % 2 != 0) return NULL;
    uint8_t *out = malloc(n / 2 + 1);
    if (out == NULL) return NULL;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + (size_t)k];
            unsigned d;
            if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
            else {
                free(out);
                return NULL;
            }
            v = v * 16 + d;
        }
        out[i] = (uint8_t)v;
    }
    *len = n / 2;
    return out;
}

/* Deterministic test bytes (not random: reproducible failures). */
static inline void fill_pattern(uint8_t *p, size_t n, uint32_t seed) {
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)x;
    }
}

static inline int check_finish(void) {
    printf("%d passed, %d failed\n", check_passed, check_failed);
    fflush(stdout);
    return check_failed == 0 ? 0 : 1;
}

/* Read a whole file into a NUL-terminated malloc'd buffer (NULL on failure);
 * its length without the NUL goes to *out_len unless out_len is NULL. */
static inline char *read_file(const char *path, size_t *out_len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) buf[len] = '\0';
    if (out_len != NULL) *out_len = len;
    return buf;
}

#endif /* MTP_TEST_CHECK_H */
