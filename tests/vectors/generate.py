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
import hashlib, json, os, re, sys, zlib

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


# --- transport framing (/mtproto/mtproto-transports) ---------------------------
class Framer:
    """One sender's side of a framing, written from the spec page: abridged,
    intermediate, padded intermediate, full (which numbers its packets)."""

    def __init__(self, framing):
        self.framing, self.seq = framing, 0

    def packet(self, body, quick_ack=False):
        """body includes any padded-intermediate padding."""
        if self.framing == "abridged":
            words, flag = len(body) // 4, 0x80 if quick_ack else 0
            head = bytes([words | flag]) if words < 0x7f else bytes([0x7f | flag]) + words.to_bytes(3, "little")
            return head + body
        if self.framing in ("intermediate", "padded_intermediate"):
            return (len(body) | (0x80000000 if quick_ack else 0)).to_bytes(4, "little") + body
        assert not quick_ack
        signed = (len(body) + 12).to_bytes(4, "little") + self.seq.to_bytes(4, "little") + body
        self.seq += 1
        return signed + zlib.crc32(signed).to_bytes(4, "little")

    def quick_ack(self, token, padding):
        if self.framing == "abridged":
            return token.to_bytes(4, "big")  # bswapped, no length
        if self.framing == "intermediate":
            return token.to_bytes(4, "little")  # no length
        assert self.framing == "padded_intermediate"
        return self.packet(b"\xff" * 4 + token.to_bytes(4, "little") + padding)


def transport_cases(sample, auth_key, encrypted):
    r = Drbg("transport")
    req_pq = bytes.fromhex(sample["messages"]["req_pq_multi"])

    def ack_token():
        # The token of an encrypted packet: msg_key_large[0..4] (LE) | 1 << 31.
        mkl = sha256(auth_key[88:120], r.take(64))
        return int.from_bytes(mkl[:4], "little") | 0x80000000, mkl

    cases = []
    for framing in ("abridged", "intermediate", "padded_intermediate", "full"):
        padded = framing == "padded_intermediate"
        pad = lambda n: r.take(n) if padded else b""
        ups = [(req_pq, False, pad(0), True), (encrypted, framing != "full", pad(15), True),
               (r.take(508), False, pad(3), False), (r.take(600), framing != "full", pad(1), False),
               (r.take(504), framing != "full", pad(0), False), (r.take(16), False, pad(7), False)]
        f, frames, wire = Framer(framing), [], b""
        for body, qa, padding, message in ups:
            wire += f.packet(body + padding, qa)
            frames.append({"type": "packet", "payload": body.hex(), "quick_ack": qa, "padding": padding.hex(),
                           "message": message})
        cases.append({"name": f"{framing}/client", "framing": framing, "sender": "client", "frames": frames,
                      "wire": wire.hex()})
        f, frames, wire = Framer(framing), [], b""
        for i, n in enumerate((72, 1200, 88)):
            body, padding = r.take(n), pad(15 - 4 * i)
            wire += f.packet(body + padding)
            frames.append({"type": "packet", "payload": body.hex(), "quick_ack": False, "padding": padding.hex(),
                           "message": False})
            if framing != "full":
                token, mkl = ack_token()
                padding = pad(7 - 7 * (i % 2))
                wire += f.quick_ack(token, padding)
                frames.append({"type": "quick_ack", "token": token, "msg_key_large": mkl.hex(),
                               "padding": padding.hex()})
        for code, n in ((-404, 11), (-429, 0)):
            padding = pad(n)
            wire += f.packet(code.to_bytes(4, "little", signed=True) + padding)
            frames.append({"type": "transport_error", "code": code, "padding": padding.hex()})
        cases.append({"name": f"{framing}/server", "framing": framing, "sender": "server", "frames": frames,
                      "wire": wire.hex()})
    return cases


# --- HTTP transport (/mtproto/transports#http) -------------------------------
# Written from the spec page, RFC 9112 and the project's documented choices
# (core/src/transport/http/mod.rs), not from the Rust code: requests as
# tdlib's HttpTransport.cpp writes them plus Content-Type, responses with
# Content-Length, transport errors as status codes (/mtproto/mtproto-transports
# "Transport errors"), and the requests and responses other implementations send.
HTTP_MAX_FRAME = 1 << 24


def http_request(host, payload, extra=""):
    return (f"POST /api HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n{extra}"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload


HTTP_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
                411: "Length Required", 413: "Content Too Large", 429: "Too Many Requests",
                431: "Request Header Fields Too Large", 505: "HTTP Version Not Supported"}


def http_response(status, body, close=False):
    head = f"HTTP/1.1 {status} {HTTP_REASONS.get(status, 'Error')}\r\nConnection: {'close' if close else 'keep-alive'}\r\n"
    if status == 405:
        head += "Allow: POST, OPTIONS\r\n"
    head += "Access-Control-Allow-Origin: *\r\n"
    if body:
        head += "Content-Type: application/octet-stream\r\n"
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


HTTP_PREFLIGHT = (b"HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\nAllow: POST, OPTIONS\r\n"
                  b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, OPTIONS\r\n"
                  b"Access-Control-Allow-Headers: Content-Type\r\nAccess-Control-Max-Age: 86400\r\n\r\n")


def http_cases(sample):
    r = Drbg("http")
    h = bytes.fromhex
    req_pq, res_pq = h(sample["messages"]["req_pq_multi"]), h(sample["messages"]["resPQ"])
    p40, p1000 = r.take(40), r.take(1000)
    pk = lambda p: {"packet": p.hex()}
    te = lambda code: {"transport_error": code}
    cases = []

    def enc(name, kind, wire, **kw):
        cases.append(dict({"name": name, "kind": kind}, **kw, wire=wire.hex()))

    def dec(name, role, wire, events, error=None, **kw):
        c = {"name": name, "kind": "decode", "role": role, "wire": wire.hex(), "events": events, "error": error}
        c.update(kw)
        cases.append(c)

    # Encoding: exact bytes; decoding them back gives the payload.
    enc("request/samples-auth_key/req_pq_multi", "request", http_request("149.154.167.50:80", req_pq),
        host="149.154.167.50:80", payload=req_pq.hex())
    enc("request/empty-host", "request", http_request("", p40), host="", payload=p40.hex())
    enc("request/1000", "request", http_request("venus.web.telegram.org", p1000),
        host="venus.web.telegram.org", payload=p1000.hex())
    enc("response/samples-auth_key/resPQ", "response", http_response(200, res_pq), payload=res_pq.hex())
    enc("response/1000", "response", http_response(200, p1000), payload=p1000.hex())
    for code in (-404, -429, -444, -403):
        enc(f"transport_error/{code}", "transport_error", http_response(-code, code.to_bytes(4, "little", signed=True)),
            code=code)
    for status in (400, 405, 411, 413, 431, 505):
        enc(f"error/{status}", "error", http_response(status, b"", close=True), status=status)

    # Responses as servers send them (client decodes; `waiting` requests sent first).
    tg = lambda body, extra="": (f"HTTP/1.1 200 OK\r\n{extra}Content-Length: {len(body)}\r\n\r\n").encode() + body
    dec("response/pipelined-with-extra-headers", "client",
        tg(res_pq, "Server: nginx\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nCONTENT-TYPE: application/octet-stream\r\n"
                   "Cache-Control: no-store\r\nconnection: Keep-Alive\r\nAccess-Control-Allow-Origin: *\r\n")
        + tg(p40, "Pragma: no-cache\r\n"), [pk(res_pq), pk(p40)], waiting=2)
    dec("response/interim-100-then-200", "client", b"HTTP/1.1 100 Continue\r\n\r\n" + tg(p40), [pk(p40)], waiting=1)
    dec("response/status-404-is-transport-error", "client",
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\n" + (-404).to_bytes(4, "little", signed=True) + tg(p40),
        [te(-404), pk(p40)], waiting=2)
    dec("response/status-429-body-ignored", "client",
        b"HTTP/1.1 429 Too Many Requests\r\nContent-Length: 11\r\n\r\nslow down!\n", [te(-429)], waiting=1)
    dec("response/status-444-no-length-closes", "client", b"HTTP/1.1 444 \r\n\r\n...", [te(-444)], waiting=2,
        close=True)
    dec("response/4-byte-body-is-transport-error", "client", tg((-404).to_bytes(4, "little", signed=True)),
        [te(-404)], waiting=1)
    dec("response/http-1.0-keep-alive", "client",
        (b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 40\r\n\r\n" + p40) * 2, [pk(p40)] * 2, waiting=2)
    dec("response/http-1.0-closes", "client", b"HTTP/1.0 200 OK\r\nContent-Length: 40\r\n\r\n" + p40, [pk(p40)],
        waiting=2, close=True)
    dec("response/connection-close", "client", tg(p40, "Connection: close\r\n") + b"ignored", [pk(p40)], waiting=2,
        close=True)
    for name, wire, error in [
        ("chunked", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n", "http"),
        ("no-content-length", b"HTTP/1.1 200 OK\r\n\r\n" + p40, "http"),
        ("duplicate-content-length", b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", "http"),
        ("signed-content-length", b"HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\nx", "http"),
        ("content-length-too-large",
         f"HTTP/1.1 200 OK\r\nContent-Length: {HTTP_MAX_FRAME + 1}\r\n\r\n".encode(), "frame_too_large"),
        ("bare-lf", b"HTTP/1.1 200 OK\nContent-Length: 0\n\n", "http"),
        ("obs-fold", b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", "http"),
        ("non-ascii", b"HTTP/1.1 200 OK\r\nX: \xc3\xa9\r\nContent-Length: 0\r\n\r\n", "http"),
        ("status-502", b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n", "http_status:502"),
        ("status-101", b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "http_status:101"),
        ("version-2", b"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", "http"),
    ]:
        kind, _, status = error.partition(":")
        dec("response/error/" + name, "client", wire, [], dict({"kind": kind}, **({"status": int(status)} if status else {})),
            waiting=1)
    dec("response/error/nothing-waiting", "client", tg(p40), [], {"kind": "http"}, waiting=0)
    dec("response/error/after-a-good-one", "client", tg(p40) + b"HTTP/1.1 500 Internal Server Error\r\n\r\n",
        [pk(p40)], {"kind": "http_status", "status": 500}, waiting=2)

    # Requests as clients send them (server decodes).
    dec("request/tdlib", "server",
        f"POST /api HTTP/1.1\r\nHost: \r\nConnection: keep-alive\r\nContent-Length: {len(req_pq)}\r\n\r\n".encode()
        + req_pq, [pk(req_pq)])
    dec("request/tdlib-through-http-proxy", "server",
        (f"POST HTTP://149.154.167.50:80/api HTTP/1.1\r\nHost: 149.154.167.50\r\nUser-Agent: curl/7.35.0\r\n"
         f"Accept: */*\r\nProxy-Connection: keep-alive\r\nContent-Length: {len(req_pq)}\r\n\r\n").encode() + req_pq,
        [pk(req_pq)])
    dec("request/madelineproto", "server",
        (f"POST /api HTTP/1.1\r\nHost: 149.154.167.50:80\r\nContent-Type: application/x-www-form-urlencoded\r\n"
         f"Connection: keep-alive\r\nKeep-Alive: timeout=100000, max=10000000\r\nContent-Length: {len(p40)}\r\n\r\n"
         ).encode() + p40, [pk(p40)])
    dec("request/pipelined-after-empty-line", "server",
        b"\r\n" + http_request("h", req_pq) + http_request("h", p1000) + http_request("h", p40),
        [pk(req_pq), pk(p1000), pk(p40)])
    dec("request/options-preflight", "server",
        b"OPTIONS /api HTTP/1.1\r\nHost: h\r\nOrigin: https://example.org\r\nAccess-Control-Request-Method: POST\r\n"
        b"Access-Control-Request-Headers: content-type\r\n\r\n" + http_request("h", p40),
        [pk(p40)], transmit=HTTP_PREFLIGHT.hex())
    dec("request/get-is-405", "server", b"GET / HTTP/1.1\r\nHost: h\r\n\r\n", [],
        transmit=http_response(405, b"").hex())
    dec("request/other-path-is-404", "server", b"POST /apiw HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
        [], transmit=http_response(404, b"").hex())
    dec("request/expect-100-continue", "server",
        (f"POST /api HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: {len(p40)}\r\n\r\n").encode()
        + p40, [pk(p40)], transmit=b"HTTP/1.1 100 Continue\r\n\r\n".hex())
    bad = lambda extra, body=b"", line="POST /api HTTP/1.1": (f"{line}\r\n{extra}\r\n").encode() + body
    for name, wire, status in [
        ("chunked", bad("Host: h\r\nTransfer-Encoding: chunked\r\n", b"4\r\nabcd\r\n0\r\n\r\n"), 411),
        ("chunked-and-length", bad("Host: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n", b"abcd"), 411),
        ("no-content-length", bad("Host: h\r\n"), 411),
        ("no-host", bad("Content-Length: 0\r\n"), 400),
        ("two-hosts", bad("Host: a\r\nHost: b\r\nContent-Length: 0\r\n"), 400),
        ("two-content-lengths", bad("Host: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n", b"xx"), 400),
        ("content-length-list", bad("Host: h\r\nContent-Length: 1, 1\r\n", b"x"), 400),
        ("content-length-hex", bad("Host: h\r\nContent-Length: 0x10\r\n"), 400),
        ("content-length-too-large", bad(f"Host: h\r\nContent-Length: {HTTP_MAX_FRAME + 1}\r\n"), 413),
        ("http-2.0", bad("Host: h\r\nContent-Length: 0\r\n", line="POST /api HTTP/2.0"), 505),
        ("space-before-colon", bad("Host : h\r\nContent-Length: 0\r\n"), 400),
        ("obs-fold", bad("Host: h\r\nX: a\r\n b\r\nContent-Length: 0\r\n"), 400),
        ("bare-lf", b"POST /api HTTP/1.1\nHost: h\nContent-Length: 0\n\n", 400),
        ("non-ascii", b"POST /api HTTP/1.1\r\nHost: h\xe9\r\nContent-Length: 0\r\n\r\n", 400),
        ("expect-other", bad("Host: h\r\nExpect: something\r\nContent-Length: 0\r\n"), 417),
        ("header-section-too-long", bad("Host: h\r\nX: " + "a" * 8192 + "\r\nContent-Length: 0\r\n"), 431),
        ("too-many-headers", bad("Host: h\r\n" + "X: a\r\n" * 64 + "Content-Length: 0\r\n"), 431),
        ("not-http", bytes([0xef, 0x0a]) + b"\x00" * 40, 400),
    ]:
        dec("request/error/" + name, "server", wire, [],
            {"kind": "frame_too_large" if status == 413 else "http", "rejection": status})
    return cases


# --- transport obfuscation: obfuscated2 and fake TLS ---------------------------
# Written from /mtproto/mtproto-transports ("Transport obfuscation") and from the
# fake-TLS facts of tdlib (TlsInit.cpp, TcpTransport.cpp) and MTProxy
# (net-tcp-rpc-ext-server.c); AES-CTR from the `cryptography` package, HMAC
# from Python's hmac module, the curve arithmetic with Python integers.
import hmac

OBF_TAGS = {"abridged": b"\xef" * 4, "intermediate": b"\xee" * 4, "padded_intermediate": b"\xdd" * 4}
OBF_FORBIDDEN = [b"HEAD", b"POST", b"GET ", b"OPTI", b"\x16\x03\x01\x02", b"\xdd" * 4, b"\xee" * 4]


def aes_ctr(key, iv):
    return Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()


def obf_random_ok(r):
    return r[0] != 0xEF and r[:4] not in OBF_FORBIDDEN and r[4:8] != b"\0" * 4


def obf_case(name, random, framing, dc_id, secret, payload):
    """secret: the raw secret bytes (16, dd+16 or ee+16+domain) or None."""
    init = random[:56] + OBF_TAGS[framing] + dc_id.to_bytes(2, "little", signed=True) + random[62:]
    key = None if secret is None else (secret if len(secret) == 16 else secret[1:17])
    fix = (lambda k: k) if key is None else (lambda k: sha256(k, key))
    rev = init[8:56][::-1]
    c_enc_key, c_enc_iv = fix(init[8:40]), init[40:56]
    c_dec_key, c_dec_iv = fix(rev[:32]), rev[32:]
    client = aes_ctr(c_enc_key, c_enc_iv)
    header = init[:56] + client.update(init)[56:]
    client_payload = client.update(payload)
    server_payload = aes_ctr(c_dec_key, c_dec_iv).update(payload)
    return {"name": name, "kind": "obfuscated2", "random": random.hex(), "framing": framing, "dc_id": dc_id,
            "secret": "" if secret is None else secret.hex(), "header": header.hex(),
            "client_encrypt_key": c_enc_key.hex(), "client_encrypt_iv": c_enc_iv.hex(),
            "client_decrypt_key": c_dec_key.hex(), "client_decrypt_iv": c_dec_iv.hex(),
            "server_encrypt_key": c_dec_key.hex(), "server_encrypt_iv": c_dec_iv.hex(),
            "server_decrypt_key": c_enc_key.hex(), "server_decrypt_iv": c_enc_iv.hex(),
            "payload": payload.hex(), "client_payload_encrypted": client_payload.hex(),
            "server_payload_encrypted": server_payload.hex()}


P25519 = 2 ** 255 - 19


def curve_y2(x):
    return (x * x * x + 486662 * x * x + x) % P25519


def key_share_from_candidate(c):
    """tdlib's key share: x from the candidate (little-endian, top bit
    cleared); on the curve when y^2 is a non-zero square; then 3 doublings."""
    x = (int.from_bytes(c, "little") & ((1 << 255) - 1)) % P25519
    if pow(curve_y2(x), (P25519 - 1) // 2, P25519) != 1:
        return None
    for _ in range(3):
        x = (x * x - 1) ** 2 * pow(4 * curve_y2(x), P25519 - 2, P25519) % P25519
    return x.to_bytes(32, "little")


def grease(seed):
    g = [(b & 0xF0) + 0x0A for b in seed]
    for i in range(1, len(g), 2):
        if g[i] == g[i - 1]:
            g[i] ^= 0x10
    return g


def client_hello(secret, now_ms, session_id, grease_seed, key_share, order):
    key, domain = secret[1:17], secret[17:]
    g = [bytes([v, v]) for v in grease(grease_seed)]
    u16 = lambda v: v.to_bytes(2, "big")
    d = len(domain)
    ext = [
        b"\x00\x00" + u16(d + 5) + u16(d + 3) + b"\x00" + u16(d) + domain,
        bytes.fromhex("000500050100000000"),
        bytes.fromhex("000a000a0008") + g[4] + bytes.fromhex("001d00170018"),
        bytes.fromhex("000b00020100"),
        bytes.fromhex("000d0012001004030804040105030805050108060601"),
        bytes.fromhex("0010000e000c02") + b"h2" + b"\x08" + b"http/1.1",
        bytes.fromhex("00120000"), bytes.fromhex("00170000"), bytes.fromhex("001b0003020002"),
        bytes.fromhex("00230000"),
        bytes.fromhex("002b000706") + g[6] + bytes.fromhex("03040303"),
        bytes.fromhex("002d00020101"),
        bytes.fromhex("0033002b0029") + g[4] + bytes.fromhex("000100001d0020") + key_share,
        bytes.fromhex("4469000500030268") + b"2",
        bytes.fromhex("ff01000100"),
    ]
    suites = g[0] + bytes.fromhex("130113021303c02bc02fc02cc030cca9cca8c013c014009c009d002f0035")
    exts = g[2] + b"\0\0" + b"".join(ext[i] for i in order) + g[3] + b"\x00\x01\x00" + b"\x00\x15"
    body_wo_pad = b"\x03\x03" + b"\0" * 32 + b"\x20" + session_id + u16(len(suites)) + suites + b"\x01\x00"
    pad = 512 - 4 - len(body_wo_pad) - 2 - len(exts) - 2
    exts += u16(pad) + b"\0" * pad
    body = body_wo_pad + u16(len(exts)) + exts
    hello = b"\x16\x03\x01" + u16(len(body) + 4) + b"\x01\x00" + u16(len(body)) + body
    assert len(hello) == 517 and len(exts) == 0x193
    digest = hmac.new(key, hello, hashlib.sha256).digest()
    t = (now_ms // 1000 & 0xFFFFFFFF).to_bytes(4, "little")
    random = digest[:28] + xor(digest[28:], t)
    return hello[:11] + random + hello[43:], random, digest


def server_hello(key, client_random, session_id, key_share, data):
    sh = (b"\x03\x03" + b"\0" * 32 + b"\x20" + session_id + b"\x13\x01\x00" + b"\x00\x2e"
          + b"\x00\x33\x00\x24\x00\x1d\x00\x20" + key_share + b"\x00\x2b\x00\x02\x03\x04")
    sh = b"\x02" + len(sh).to_bytes(3, "big") + sh
    out = (b"\x16\x03\x03" + len(sh).to_bytes(2, "big") + sh + b"\x14\x03\x03\x00\x01\x01"
           + b"\x17\x03\x03" + len(data).to_bytes(2, "big") + data)
    assert len(sh) + 5 == 127
    digest = hmac.new(key, client_random + out, hashlib.sha256).digest()
    return out[:11] + digest + out[43:], digest


def obfuscation_cases():
    r = Drbg("obfuscation")
    cases = []

    def good_random():
        while True:
            x = r.take(64)
            if obf_random_ok(x):
                return x

    simple = r.take(16)
    secrets = [("no-secret", None), ("simple", simple), ("dd", b"\xdd" + r.take(16)),
               ("ee", b"\xee" + r.take(16) + b"www.example.com")]
    dcs = {"abridged": 2, "intermediate": -4, "padded_intermediate": 10002}
    for sname, secret in secrets:
        framings = ["padded_intermediate"] if sname in ("dd", "ee") else list(OBF_TAGS)
        for framing in framings:
            cases.append(obf_case(f"obfuscated2/{sname}/{framing}", good_random(), framing, dcs[framing],
                                  secret, r.take(40 + 8 * len(cases))))
    # Randoms a client must re-draw: every forbidden start.
    base = good_random()
    bad = [("first-byte-ef", b"\xef" + base[1:]), ("second-word-zero", base[:4] + b"\0" * 4 + base[8:])]
    bad += [(f"first-word-{w.hex()}", w + base[4:]) for w in OBF_FORBIDDEN]
    for n, x in bad:
        assert not obf_random_ok(x)
        cases.append({"name": f"obfuscated2/forbidden/{n}", "kind": "obfuscated2_forbidden", "random": x.hex()})

    # Key shares: candidates and what tdlib's procedure makes of them.
    shares = []
    for i in range(8):
        c = r.take(32)
        k = key_share_from_candidate(c)
        cases.append({"name": f"key_share/{i}", "kind": "key_share", "candidate": c.hex(),
                      "key_share": "" if k is None else k.hex()})
        if k is not None:
            shares.append(k)
    assert len(shares) >= 2 and len(shares) < 8

    # Fake-TLS ClientHello and the server's answer.
    for i, domain in enumerate([b"www.example.com", b"a.b", b"x" * 182]):
        secret = b"\xee" + r.take(16) + domain
        now_ms = 1_700_000_000_123 + 1000 * 1000 * i
        session_id, seed = r.take(32), r.take(7)
        order = list(range(15))
        if i > 0:
            perm = r.take(15)
            order = sorted(range(15), key=lambda j: (perm[j], j))
        hello, random, digest = client_hello(secret, now_ms, session_id, seed, shares[i % len(shares)], order)
        cases.append({"name": f"fake_tls/client_hello/{i}", "kind": "client_hello", "secret": secret.hex(),
                      "now_ms": str(now_ms), "session_id": session_id.hex(), "grease_seed": seed.hex(),
                      "key_share": shares[i % len(shares)].hex(), "extension_order": order,
                      "hello": hello.hex(), "random": random.hex(), "digest": digest.hex()})
        data = r.take(64 + 100 * i)
        answer, server_random = server_hello(secret[1:17], random, session_id, shares[(i + 1) % len(shares)], data)
        cases.append({"name": f"fake_tls/server_hello/{i}", "kind": "server_hello", "secret": secret.hex(),
                      "client_random": random.hex(), "session_id": session_id.hex(),
                      "key_share": shares[(i + 1) % len(shares)].hex(), "app_data": data.hex(),
                      "response": answer.hex(), "server_random": server_random.hex()})
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

    # --- transport framing -------------------------------------------------
    write("transport_framing.json", "MTProto transport framing (/mtproto/mtproto-transports): each case is one "
          "sender's frames on a fresh connection (after the one-time header) and their concatenated wire bytes; "
          "packets carry the given padded-intermediate padding, quick-ack requests set the length's top bit, "
          "server quick acks are the token (byte-swapped for abridged; a 0xffffffff | token | padding packet for "
          "padded intermediate), transport errors are 4-byte negative codes framed as payloads; the first client "
          "packet is Telegram's worked req_pq_multi, the second an encrypted envelope of envelope.json",
          transport_cases(sample, auth_key, h(env[0]["wire"])))


    # --- HTTP transport ----------------------------------------------------
    write("transport_http.json", "MTProto's HTTP transport (/mtproto/transports#http), as the core's HTTP codec "
          "documents it: kind request/response/transport_error/error = exact bytes the client (host, payload) or "
          "the server (payload, code, status; one request waiting) encodes, which the other side decodes back; "
          "kind decode = wire fed to the role's decoder (client: after `waiting` requests) gives `events` "
          "({packet: hex} or {transport_error: code}), then `error` (kind http, http_status with status, "
          "frame_too_large; server: the rejection status), `transmit` = the server's own answers "
          "(poll_transmit), `close` = the client must close", http_cases(sample))

    # --- transport obfuscation -------------------------------------------
    write("transport_obfuscation.json", "Transport obfuscation (/mtproto/mtproto-transports) and fake TLS (as "
          "tdlib's TlsInit.cpp and MTProxy's net-tcp-rpc-ext-server.c build them). kind obfuscated2: the client "
          "init from `random` (tag of `framing` at 56..60, dc_id int16 LE at 60..62), the 64 bytes sent "
          "(`header`), both sides' AES-256-CTR keys/ivs (with a secret: key = SHA256(key | secret[key bytes])), "
          "and `payload` as each side's first bytes after the init; kind obfuscated2_forbidden: a random a "
          "client must re-draw; kind key_share: tdlib's X25519 key share from a 32-byte candidate (empty: not on "
          "the curve, re-draw); kind client_hello: the 517-byte ClientHello for the ee secret at now_ms with the "
          "given session id, GREASE seed, key share and extension order, its random and HMAC digest; kind "
          "server_hello: the server's answer to client_random/session_id with the given key share and "
          "application data, and its random", obfuscation_cases())


if __name__ == "__main__":
    sys.exit(main())
