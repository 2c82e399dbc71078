/*
 * test_vectors.c: every case of every tests/vectors JSON file through the
 * C API (the cross-language contract of tests/vectors/README.md).
 *
 * Usage: test_vectors [VECTORS_DIR]   (default: tests/vectors)
 *
 * Every *.json file in the directory must have a checker here (or be listed
 * as checked by another test binary), and every listed file must be present
 * with at least one case, so a new vector file cannot be silently skipped.
 * tl.json needs the TL schemas and is checked case by case in test_tl.c,
 * the transport_*.json files in test_transport.c (with the transport
 * handles) and handshake.json in test_auth.c (with the handshake handles);
 * here they are only required to be present with cases. Reference data that
 * is not in the cases format (Telegram's worked example) is listed in
 * not_vector_files and skipped. Only *.json files are vector files: the
 * other files of the directory (README.md, generate.py, and the generator's
 * inputs rsa_test_key.pem and dh_test_prime.hex, which test_auth.c reads)
 * are not looked at here.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>

#include <cjson/cJSON.h>

#include "check.h"

/* ---- reading cases ------------------------------------------------------ */

/* The case currently checked, for messages. */
static const char *case_name = "?";

static const char *str_field(const cJSON *c, const char *field) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(c, field);
    const char *s = cJSON_GetStringValue(item);
    CHECK(s != NULL, ctxf("%s: string field \"%s\"", case_name, field));
    return s;
}

/* A hex field, decoded into a new buffer (NULL on error, counted). */
static uint8_t *hex_field(const cJSON *c, const char *field, size_t *len) {
    const char *s = str_field(c, field);
    *len = 0;
    if (s == NULL) return NULL;
    uint8_t *out = hex_decode(s, len);
    CHECK(out != NULL, ctxf("%s: hex field \"%s\"", case_name, field));
    return out;
}

/* A u64 given as a decimal string. */
static int u64_field(const cJSON *c, const char *field, uint64_t *out) {
    const char *s = str_field(c, field);
    if (s == NULL) return 0;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    int ok = errno == 0 && end != s && *end == '\0' && s[0] != '-';
    CHECK(ok, ctxf("%s: decimal u64 field \"%s\"", case_name, field));
    *out = (uint64_t)v;
    return ok;
}

static int direction_field(const cJSON *c, mtp_direction *out) {
    const char *s = str_field(c, "direction");
    if (s == NULL) return 0;
    if (strcmp(s, "client") == 0) {
        *out = MTP_DIRECTION_CLIENT_TO_SERVER;
        return 1;
    }
    if (strcmp(s, "server") == 0) {
        *out = MTP_DIRECTION_SERVER_TO_CLIENT;
        return 1;
    }
    CHECK(0, ctxf("%s: direction \"%s\" is neither client nor server", case_name, s));
    return 0;
}

/* A new auth key handle from the case's hex field "auth_key" (NULL on error). */
static mtp_auth_key *auth_key_field(const cJSON *c) {
    size_t len;
    uint8_t *bytes = hex_field(c, "auth_key", &len);
    mtp_auth_key *key = NULL;
    if (bytes != NULL) {
        CHECK_RC(mtp_auth_key_new(bytes, len, &key), MTP_RESULT_OK, case_name);
    }
    free(bytes);
    return key;
}

/* ---- one checker per file ------------------------------------------------ */

static void check_ige(const cJSON *c) {
    size_t key_len, iv_len, pt_len, ct_len;
    uint8_t *key = hex_field(c, "key", &key_len);
    uint8_t *iv = hex_field(c, "iv", &iv_len);
    uint8_t *pt = hex_field(c, "plaintext", &pt_len);
    uint8_t *ct = hex_field(c, "ciphertext", &ct_len);
    if (key && iv && pt && ct) {
        uint8_t *out = malloc(pt_len + ct_len + 1);
        size_t out_len = pt_len + ct_len;
        CHECK_RC(mtp_ige_encrypt(key, key_len, iv, iv_len, pt, pt_len, out, &out_len), MTP_RESULT_OK,
                 case_name);
        CHECK_MEM(out, out_len, ct, ct_len, ctxf("%s: encrypt", case_name));
        out_len = pt_len + ct_len;
        CHECK_RC(mtp_ige_decrypt(key, key_len, iv, iv_len, ct, ct_len, out, &out_len), MTP_RESULT_OK,
                 case_name);
        CHECK_MEM(out, out_len, pt, pt_len, ctxf("%s: decrypt", case_name));
        /* In place: out == data. */
        memcpy(out, pt, pt_len);
        out_len = pt_len;
        CHECK_RC(mtp_ige_encrypt(key, key_len, iv, iv_len, out, pt_len, out, &out_len), MTP_RESULT_OK,
                 case_name);
        CHECK_MEM(out, out_len, ct, ct_len, ctxf("%s: encrypt in place", case_name));
        free(out);
    }
    free(key);
    free(iv);
    free(pt);
    free(ct);
}

static void check_auth_key(const cJSON *c) {
    uint64_t want_id = 0;
    size_t wire_len, aux_len;
    int have_id = u64_field(c, "id", &want_id);
    uint8_t *id_wire = hex_field(c, "id_wire", &wire_len);
    uint8_t *aux = hex_field(c, "aux_hash", &aux_len);
    mtp_auth_key *key = auth_key_field(c);
    if (key && have_id && id_wire && aux) {
        uint64_t id = 0;
        CHECK_RC(mtp_auth_key_id(key, &id), MTP_RESULT_OK, case_name);
        CHECK(id == want_id, ctxf("%s: id", case_name));
        uint8_t out[MTP_AUTH_KEY_ID_LEN];
        size_t out_len = sizeof out;
        CHECK_RC(mtp_auth_key_id_wire(key, out, &out_len), MTP_RESULT_OK, case_name);
        CHECK_MEM(out, out_len, id_wire, wire_len, ctxf("%s: id_wire", case_name));
        out_len = sizeof out;
        CHECK_RC(mtp_auth_key_aux_hash(key, out, &out_len), MTP_RESULT_OK, case_name);
        CHECK_MEM(out, out_len, aux, aux_len, ctxf("%s: aux_hash", case_name));
    }
    mtp_auth_key_free(key);
    free(id_wire);
    free(aux);
}

static void check_kdf(const cJSON *c, int v2) {
    mtp_direction dir = 0;
    size_t pt_len, mk_len, ak_len, iv_len;
    int have_dir = direction_field(c, &dir);
    uint8_t *pt = hex_field(c, "plaintext", &pt_len);
    uint8_t *mk = hex_field(c, "msg_key", &mk_len);
    uint8_t *aes_key = hex_field(c, "aes_key", &ak_len);
    uint8_t *aes_iv = hex_field(c, "aes_iv", &iv_len);
    mtp_auth_key *key = auth_key_field(c);
    if (key && have_dir && pt && mk && aes_key && aes_iv) {
        uint8_t out[MTP_MSG_KEY_LEN];
        size_t out_len = sizeof out;
        if (v2) {
            CHECK_RC(mtp_msg_key_v2(key, dir, pt, pt_len, out, &out_len), MTP_RESULT_OK, case_name);
        } else {
            CHECK_RC(mtp_msg_key_v1(pt, pt_len, out, &out_len), MTP_RESULT_OK, case_name);
        }
        CHECK_MEM(out, out_len, mk, mk_len, ctxf("%s: msg_key", case_name));
        mtp_aes_key_iv derived;
        memset(&derived, 0, sizeof derived);
        if (v2) {
            CHECK_RC(mtp_derive_v2(key, dir, mk, mk_len, &derived), MTP_RESULT_OK, case_name);
        } else {
            CHECK_RC(mtp_derive_v1(key, dir, mk, mk_len, &derived), MTP_RESULT_OK, case_name);
        }
        CHECK_MEM(derived.key, sizeof derived.key, aes_key, ak_len, ctxf("%s: aes_key", case_name));
        CHECK_MEM(derived.iv, sizeof derived.iv, aes_iv, iv_len, ctxf("%s: aes_iv", case_name));
    }
    mtp_auth_key_free(key);
    free(pt);
    free(mk);
    free(aes_key);
    free(aes_iv);
}

static void check_kdf_v2(const cJSON *c) { check_kdf(c, 1); }
static void check_kdf_v1(const cJSON *c) { check_kdf(c, 0); }

static void check_handshake(const cJSON *c) {
    size_t nn_len, sn_len, k_len, iv_len;
    uint8_t *nn = hex_field(c, "new_nonce", &nn_len);
    uint8_t *sn = hex_field(c, "server_nonce", &sn_len);
    uint8_t *k = hex_field(c, "tmp_aes_key", &k_len);
    uint8_t *iv = hex_field(c, "tmp_aes_iv", &iv_len);
    if (nn && sn && k && iv) {
        mtp_aes_key_iv out;
        memset(&out, 0, sizeof out);
        CHECK_RC(mtp_handshake_tmp_key_iv(nn, nn_len, sn, sn_len, &out), MTP_RESULT_OK, case_name);
        CHECK_MEM(out.key, sizeof out.key, k, k_len, ctxf("%s: tmp_aes_key", case_name));
        CHECK_MEM(out.iv, sizeof out.iv, iv, iv_len, ctxf("%s: tmp_aes_iv", case_name));
    }
    free(nn);
    free(sn);
    free(k);
    free(iv);
}

static void check_envelope(const cJSON *c) {
    mtp_direction dir = 0;
    mtp_message_header h;
    memset(&h, 0, sizeof h);
    size_t body_len, pad_len, wire_len;
    int ok = direction_field(c, &dir);
    ok &= u64_field(c, "salt", &h.salt);
    ok &= u64_field(c, "session_id", &h.session_id);
    ok &= u64_field(c, "msg_id", &h.msg_id);
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(c, "seq_no");
    int seq_ok = cJSON_IsNumber(seq) && seq->valuedouble >= 0 && seq->valuedouble <= 4294967295.0;
    CHECK(seq_ok, ctxf("%s: number field \"seq_no\"", case_name));
    if (seq_ok) h.seq_no = (uint32_t)seq->valuedouble;
    uint8_t *body = hex_field(c, "body", &body_len);
    uint8_t *pad = hex_field(c, "padding", &pad_len);
    uint8_t *wire = hex_field(c, "wire", &wire_len);
    mtp_auth_key *key = auth_key_field(c);
    if (ok && seq_ok && body && pad && wire && key) {
        size_t cap = body_len + MTP_SEAL_MAX_OVERHEAD;
        uint8_t *out = malloc(cap);
        size_t out_len = cap;
        CHECK_RC(mtp_seal_encrypted_with_padding(key, dir, &h, body, body_len, pad, pad_len, out,
                                                 &out_len),
                 MTP_RESULT_OK, case_name);
        CHECK_MEM(out, out_len, wire, wire_len, ctxf("%s: sealed wire", case_name));

        mtp_message_header got;
        memset(&got, 0, sizeof got);
        out_len = cap;
        CHECK_RC(mtp_open_encrypted(key, dir, wire, wire_len, &got, out, &out_len), MTP_RESULT_OK,
                 case_name);
        CHECK(got.salt == h.salt, ctxf("%s: salt", case_name));
        CHECK(got.session_id == h.session_id, ctxf("%s: session_id", case_name));
        CHECK(got.msg_id == h.msg_id, ctxf("%s: msg_id", case_name));
        CHECK(got.seq_no == h.seq_no, ctxf("%s: seq_no", case_name));
        CHECK_MEM(out, out_len, body, body_len, ctxf("%s: opened body", case_name));
        free(out);
    }
    mtp_auth_key_free(key);
    free(body);
    free(pad);
    free(wire);
}

static void check_plain(const cJSON *c) {
    uint64_t msg_id = 0;
    size_t body_len, wire_len;
    int have_id = u64_field(c, "msg_id", &msg_id);
    uint8_t *body = hex_field(c, "body", &body_len);
    uint8_t *wire = hex_field(c, "wire", &wire_len);
    if (have_id && body && wire) {
        size_t cap = body_len + wire_len + 32;
        uint8_t *out = malloc(cap);
        size_t out_len = cap;
        CHECK_RC(mtp_seal_plain(msg_id, body, body_len, out, &out_len), MTP_RESULT_OK, case_name);
        CHECK_MEM(out, out_len, wire, wire_len, ctxf("%s: sealed wire", case_name));
        uint64_t got_id = 0;
        out_len = cap;
        CHECK_RC(mtp_open_plain(wire, wire_len, &got_id, out, &out_len), MTP_RESULT_OK, case_name);
        CHECK(got_id == msg_id, ctxf("%s: msg_id", case_name));
        CHECK_MEM(out, out_len, body, body_len, ctxf("%s: opened body", case_name));
        free(out);
    }
    free(body);
    free(wire);
}

/* ---- the files ------------------------------------------------------------ */

struct vector_file {
    const char *name;
    /* NULL: the cases are checked by the test binary `elsewhere`. */
    void (*check)(const cJSON *c);
    int cases_seen;
    const char *elsewhere;
};

static struct vector_file files[] = {
    {"ige.json", check_ige, 0, NULL},
    {"auth_key.json", check_auth_key, 0, NULL},
    {"kdf_v2.json", check_kdf_v2, 0, NULL},
    {"kdf_v1.json", check_kdf_v1, 0, NULL},
    {"handshake_tmp_key.json", check_handshake, 0, NULL},
    {"envelope.json", check_envelope, 0, NULL},
    {"plain.json", check_plain, 0, NULL},
    {"tl.json", NULL, 0, "test_tl.c"},
    {"transport_framing.json", NULL, 0, "test_transport.c"},
    {"transport_obfuscation.json", NULL, 0, "test_transport.c"},
    {"transport_http.json", NULL, 0, "test_transport.c"},
    {"handshake.json", NULL, 0, "test_auth.c"},
};
#define N_FILES (sizeof files / sizeof files[0])

/* JSON files in the directory that are not vector files (no "cases"). */
static const char *const not_vector_files[] = {
    /* Telegram's worked example of auth-key creation (/mtproto/samples-auth_key):
     * the source data generate.py checks its values against, and the Rust
     * core's known answers read directly. */
    "samples_auth_key.json",
};
#define N_NOT_VECTOR_FILES (sizeof not_vector_files / sizeof not_vector_files[0])

static int is_not_vector_file(const char *name) {
    for (size_t i = 0; i < N_NOT_VECTOR_FILES; i++) {
        if (strcmp(not_vector_files[i], name) == 0) return 1;
    }
    return 0;
}


static void run_file(const char *dir, struct vector_file *vf) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, vf->name);
    char *text = read_file(path, NULL);
    if (!CHECK(text != NULL, ctxf("read %s", path))) return;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!CHECK(root != NULL, ctxf("parse %s", path))) return;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    CHECK(cJSON_IsNumber(version) && version->valueint == 1, ctxf("%s: version 1", vf->name));
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    if (CHECK(cJSON_IsArray(cases) && cJSON_GetArraySize(cases) > 0,
              ctxf("%s: non-empty \"cases\"", vf->name))) {
        const cJSON *c;
        cJSON_ArrayForEach(c, cases) {
            const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name"));
            case_name = ctxf("%s %s", vf->name, name != NULL ? name : "(unnamed)");
            /* Stable copy: ctxf buffers rotate. */
            char saved[256];
            snprintf(saved, sizeof saved, "%s", case_name);
            case_name = saved;
            if (vf->check != NULL) vf->check(c);
            vf->cases_seen++;
            case_name = "?";
        }
    }
    cJSON_Delete(root);
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/vectors";

    DIR *d = opendir(dir);
    if (CHECK(d != NULL, ctxf("open vectors dir %s", dir))) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!ends_with(e->d_name, ".json") || is_not_vector_file(e->d_name)) continue;
            struct vector_file *vf = NULL;
            for (size_t i = 0; i < N_FILES; i++) {
                if (strcmp(files[i].name, e->d_name) == 0) vf = &files[i];
            }
            if (!CHECK(vf != NULL,
                       ctxf("%s/%s has a checker in test_vectors.c (or is listed as checked "
                            "elsewhere)",
                            dir, e->d_name))) {
                continue;
            }
            run_file(dir, vf);
        }
        closedir(d);
    }
    int total = 0;
    for (size_t i = 0; i < N_FILES; i++) {
        CHECK(files[i].cases_seen > 0, ctxf("%s present with cases", files[i].name));
        if (files[i].elsewhere != NULL) {
            printf("%-24s %d cases (checked by %s)\n", files[i].name, files[i].cases_seen,
                   files[i].elsewhere);
            continue;
        }
        printf("%-24s %d cases\n", files[i].name, files[i].cases_seen);
        total += files[i].cases_seen;
    }
    printf("%d vector cases checked here\n", total);
    return check_finish();
}
