#!/usr/bin/env python3
"""Generate the cross-language crypto vectors from an implementation that is
independent of the Rust core: Python's hashlib and the `cryptography`
package's AES-ECB, with IGE, the KDFs and the envelope written from the spec
(core.telegram.org/mtproto/description, /mtproto/auth_key).

Cases from Telegram's worked example (samples_auth_key.json, a copy of the
published example) are checked against the example's own values before they
are written.

Run by hand (needs `pip install cryptography`); the output is committed and
`make test` only reads it. Re-running gives byte-identical files.
"""
import hashlib, json, os, re, sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "vectors")


def sha1(*p):
    return hashlib.sha1(b"".join(p)).digest()


def sha256(*p):
    return hashlib.sha256(b"".join(p)).digest()


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def ige(key, iv, data, encrypt):
    ecb = Cipher(algorithms.AES(key), modes.ECB())
    f = (ecb.encryptor() if encrypt else ecb.decryptor()).update
    # encrypt: c_i = E(p_i ^ c_{i-1}) ^ p_{i-1};  decrypt: p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}
    before, after = (iv[:16], iv[16:]) if encrypt else (iv[16:], iv[:16])
    out = b""
    for i in range(0, len(data), 16):
        blk = data[i:i + 16]
        o = xor(f(xor(blk, before)), after)
        out += o
        before, after = o, blk
    return out


class Drbg:
    """Deterministic bytes for the generated cases: SHA-256(label | counter)."""

    def __init__(self, label):
        self.label, self.n = label.encode(), 0

    def take(self, k):
        out = b""
        while len(out) < k:
            out += sha256(self.label, self.n.to_bytes(8, "little"))
            self.n += 1
        return out[:k]


def x_of(direction):
    return {"client": 0, "server": 8}[direction]


def kdf_v2(ak, direction, msg_key):
    x = x_of(direction)
    a = sha256(msg_key, ak[x:x + 36])
    b = sha256(ak[40 + x:76 + x], msg_key)
    return a[0:8] + b[8:24] + a[24:32], b[0:8] + a[8:24] + b[24:32]


def msg_key_v2(ak, direction, plaintext):
    x = x_of(direction)
    return sha256(ak[88 + x:120 + x], plaintext)[8:24]


def kdf_v1(ak, direction, msg_key):
    x = x_of(direction)
    a = sha1(msg_key, ak[x:x + 32])
    b = sha1(ak[32 + x:48 + x], msg_key, ak[48 + x:64 + x])
    c = sha1(ak[64 + x:96 + x], msg_key)
    d = sha1(msg_key, ak[96 + x:128 + x])
    return a[0:8] + b[8:20] + c[4:16], a[8:20] + b[0:8] + c[16:20] + d[0:8]


def tmp_key_iv(new_nonce, server_nonce):
    key = sha1(new_nonce, server_nonce) + sha1(server_nonce, new_nonce)[:12]
    iv = sha1(server_nonce, new_nonce)[12:20] + sha1(new_nonce, new_nonce) + new_nonce[:4]
    return key, iv


def write(name, source, cases):
    doc = {"version": 1, "source": source, "cases": cases}
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")

# --- TL (dynamic codec) -------------------------------------------------------
def tl_ids(path):
    ids = {}
    for line in open(path):
        m = re.match(r"^([\w.]+)#([0-9a-f]+)\s", line)
        if m:
            ids.setdefault(m.group(1), int(m.group(2), 16))
    return ids


def tl_bytes(data):
    head = bytes([len(data)]) if len(data) < 254 else b"\xfe" + len(data).to_bytes(3, "little")
    out = head + data
    return out + bytes(-len(out) % 4)


def tl_cases(sample):
    api = tl_ids(os.path.join(HERE, "..", "schema", "api.tl"))
    i32 = lambda v: (v & 0xffffffff).to_bytes(4, "little")
    i64 = lambda v: (v & 0xffffffffffffffff).to_bytes(8, "little")
    s = lambda t: tl_bytes(t.encode())
    cases = []
    query = {"_": "invokeWithLayer", "layer": 228, "query": {
        "_": "initConnection", "api_id": 12345, "device_model": "Test device", "system_version": "1.0",
        "app_version": "0.1.0", "system_lang_code": "en", "lang_pack": "", "lang_code": "en",
        "query": {"_": "help.getConfig"}}}
    wire = (i32(api["invokeWithLayer"]) + i32(228) + i32(api["initConnection"]) + i32(0) + i32(12345)
            + s("Test device") + s("1.0") + s("0.1.0") + s("en") + s("") + s("en") + i32(api["help.getConfig"]))
    cases.append({"name": "invokeWithLayer(initConnection(help.getConfig))", "schema": "api", "json": query,
                  "hex": wire.hex(), "result_type": "Config"})
    dialogs = {"_": "messages.getDialogs", "exclude_pinned": True, "folder_id": 1, "offset_date": 0,
               "offset_id": 0, "offset_peer": {"_": "inputPeerEmpty"}, "limit": 20, "hash": "-1"}
    wire = (i32(api["messages.getDialogs"]) + i32(0b11) + i32(1) + i32(0) + i32(0) + i32(api["inputPeerEmpty"])
            + i32(20) + i64(-1))
    cases.append({"name": "messages.getDialogs (flags, true flag, long)", "schema": "api", "json": dialogs,
                  "hex": wire.hex()})
    longs = ["1", "-2", "9223372036854775807"]
    wire = i32(0x1cb5c415) + i32(3) + b"".join(i64(int(v)) for v in longs)
    cases.append({"name": "Vector<long>", "schema": "api", "type": "Vector<long>", "json": longs, "hex": wire.hex()})
    h = bytes.fromhex
    res_pq = h(sample["messages"]["resPQ"])[20:]
    fps = [str(int.from_bytes(res_pq[56 + 8 * i:64 + 8 * i], "little", signed=True)) for i in range(3)]
    import base64
    cases.append({"name": "samples-auth_key/resPQ", "schema": "mtproto", "hex": res_pq.hex(), "json": {
        "_": "resPQ", "nonce": sample["nonce"], "server_nonce": sample["server_nonce"],
        "pq": base64.b64encode(int(sample["pq"]).to_bytes(8, "big")).decode(),
        "server_public_key_fingerprints": fps}})
    return cases


def main():
    shared_ige = json.load(open(os.path.join(SHARED, "aes256_ige.json")))
    sample = json.load(open(os.path.join(HERE, "samples_auth_key.json")))
    h = bytes.fromhex
    new_nonce, server_nonce = h(sample["new_nonce"]), h(sample["server_nonce"])
    auth_key = h(sample["auth_key"])

    # --- IGE --------------------------------------------------------------
    ige_cases = []
    for c in shared_ige["cases"]:
        assert ige(h(c["key"]), h(c["iv"]), h(c["plaintext"]), True) == h(c["ciphertext"])
        ige_cases.append(dict(c, name="shared/" + c["name"]))
    tkey, tiv = tmp_key_iv(new_nonce, server_nonce)
    assert tkey == h(sample["server_dh"]["tmp_aes_key"]) and tiv == h(sample["server_dh"]["tmp_aes_iv"])
    answer_with_hash = h(sample["server_dh"]["answer_with_hash"])
    encrypted_answer = h(sample["server_dh"]["encrypted_answer"])
    assert ige(tkey, tiv, encrypted_answer, False) == answer_with_hash
    ige_cases.append({"name": "samples-auth_key/server_DH_inner_data", "key": tkey.hex(), "iv": tiv.hex(),
                      "plaintext": answer_with_hash.hex(), "ciphertext": encrypted_answer.hex()})
    inner = h(sample["client_dh"]["client_DH_inner_data"])
    client_plain = sha1(inner) + inner + h(sample["client_dh"]["padding"])
    client_cipher = h(sample["client_dh"]["encrypted_data"])
    assert ige(tkey, tiv, client_plain, True) == client_cipher
    ige_cases.append({"name": "samples-auth_key/client_DH_inner_data", "key": tkey.hex(), "iv": tiv.hex(),
                      "plaintext": client_plain.hex(), "ciphertext": client_cipher.hex()})
    r = Drbg("ige")
    for blocks in (1, 3, 64):
        k, iv, p = r.take(32), r.take(32), r.take(16 * blocks)
        ige_cases.append({"name": f"generated/{blocks}-blocks", "key": k.hex(), "iv": iv.hex(),
                          "plaintext": p.hex(), "ciphertext": ige(k, iv, p, True).hex()})
    write("ige.json", "AES-256-IGE: the shared known answer, the two IGE payloads of Telegram's worked "
          "key-creation example (checked against it), and cases generated by tests/vectors/generate.py "
          "(Python hashlib + cryptography AES-ECB)", ige_cases)

    # --- auth key id and aux hash -----------------------------------------
    r = Drbg("auth_key")
    keys = [("samples-auth_key", auth_key), ("generated/1", r.take(256)), ("generated/2", r.take(256))]
    write("auth_key.json", "auth_key_id = SHA1(auth_key)[12..20] read as a little-endian long (as a decimal "
          "string, and as wire bytes); aux_hash = SHA1(auth_key)[0..8]",
          [{"name": n, "auth_key": k.hex(), "id": str(int.from_bytes(sha1(k)[12:20], "little")),
            "id_wire": sha1(k)[12:20].hex(), "aux_hash": sha1(k)[0:8].hex()} for n, k in keys])

    # --- handshake temporary key ------------------------------------------
    write("handshake_tmp_key.json", "tmp_aes_key/iv of /mtproto/auth_key from new_nonce and server_nonce; "
          "the case is Telegram's worked example (samples-auth_key)",
          [{"name": "samples-auth_key", "new_nonce": new_nonce.hex(), "server_nonce": server_nonce.hex(),
            "tmp_aes_key": tkey.hex(), "tmp_aes_iv": tiv.hex()}])

    # --- KDF v2 and v1 ------------------------------------------------------
    r = Drbg("kdf")
    v2, v1 = [], []
    for i, (kname, k) in enumerate(keys):
        for direction in ("client", "server"):
            plain = r.take(48 + 16 * i)
            mk = msg_key_v2(k, direction, plain)
            key, iv = kdf_v2(k, direction, mk)
            v2.append({"name": f"{kname}/{direction}", "auth_key": k.hex(), "direction": direction,
                       "plaintext": plain.hex(), "msg_key": mk.hex(), "aes_key": key.hex(), "aes_iv": iv.hex()})
            plain = r.take(40 + 4 * i)
            mk = sha1(plain)[4:20]
            key, iv = kdf_v1(k, direction, mk)
            v1.append({"name": f"{kname}/{direction}", "auth_key": k.hex(), "direction": direction,
                       "plaintext": plain.hex(), "msg_key": mk.hex(), "aes_key": key.hex(), "aes_iv": iv.hex()})
    write("kdf_v2.json", "MTProto 2.0: msg_key = SHA256(auth_key[88+x..120+x] | plaintext)[8..24] over the "
          "plaintext with its padding, and the AES key/iv derived from it; x = 0 client, 8 server", v2)
    write("kdf_v1.json", "MTProto 1.0 (bindTempAuthKey): msg_key = SHA1(plaintext without padding)[4..20], and "
          "the AES key/iv derived from it; x = 0 client, 8 server", v1)

    # --- encrypted envelope ----------------------------------------------
    r = Drbg("envelope")
    env = []
    specs = [("samples-auth_key", auth_key, "client", 0, 12), ("samples-auth_key", auth_key, "server", 4, 28),
             ("generated/1", keys[1][1], "client", 100, 24), ("generated/2", keys[2][1], "server", 1024, 1024 - 0)]
    for kname, k, direction, body_len, pad_len in specs:
        pad_len += (16 - (32 + body_len + pad_len) % 16) % 16
        if pad_len > 1024:
            pad_len -= 16
        salt, session, msg_id = (int.from_bytes(r.take(8), "little") for _ in range(3))
        msg_id = (msg_id & ~3) | (0 if direction == "client" else 1)
        seq_no = int.from_bytes(r.take(2), "little")
        body, padding = r.take(body_len), r.take(pad_len)
        plain = (salt.to_bytes(8, "little") + session.to_bytes(8, "little") + msg_id.to_bytes(8, "little")
                 + seq_no.to_bytes(4, "little") + body_len.to_bytes(4, "little") + body + padding)
        assert len(plain) % 16 == 0 and 12 <= pad_len <= 1024
        mk = msg_key_v2(k, direction, plain)
        key, iv = kdf_v2(k, direction, mk)
        wire = sha1(k)[12:20] + mk + ige(key, iv, plain, True)
        env.append({"name": f"{kname}/{direction}/{body_len}", "auth_key": k.hex(), "direction": direction,
                    "salt": str(salt), "session_id": str(session), "msg_id": str(msg_id), "seq_no": seq_no,
                    "body": body.hex(), "padding": padding.hex(), "wire": wire.hex()})
    write("envelope.json", "MTProto 2.0 encrypted messages: auth_key_id | msg_key | AES-IGE(salt | session_id | "
          "msg_id | seq_no | length | body | padding); 64-bit fields as decimal strings", env)

    # --- plain envelope ----------------------------------------------------
    plain_cases = []
    for name in ("req_pq_multi", "req_DH_params", "set_client_DH_params"):
        wire = h(sample["messages"][name])
        length = int.from_bytes(wire[16:20], "little")
        assert length == len(wire) - 20
        plain_cases.append({"name": "samples-auth_key/" + name, "msg_id": str(int.from_bytes(wire[8:16], "little")),
                            "body": wire[20:].hex(), "wire": wire.hex()})
    write("tl.json", "TL dynamic codec: the JSON form of the README encodes to these bytes (built here field by "
          "field from the ids in the schema) and decodes back; 'schema' names tests/schema/api.tl or the core's "
          "mtproto.tl; with 'type', use encode_as/decode_as", tl_cases(sample))
    write("plain.json", "Unencrypted messages (auth_key_id = 0 | msg_id | length | body): the client messages of "
          "Telegram's worked key-creation example", plain_cases)


if __name__ == "__main__":
    sys.exit(main())
