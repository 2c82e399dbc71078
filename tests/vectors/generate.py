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


# --- auth key creation (/mtproto/auth_key, /method/auth.bindTempAuthKey) ------
# Written from the spec pages, not from the Rust code. The exchanges use a
# committed test RSA key (rsa_test_key.pem) in place of Telegram's, Telegram's
# DH prime (taken from the worked example) and a committed second safe prime
# (dh_test_prime.hex); `generate.py --new-handshake-keys` makes new ones.
RSA_KEY_PATH = os.path.join(HERE, "rsa_test_key.pem")
DH_PRIME_PATH = os.path.join(HERE, "dh_test_prime.hex")

# Telegram's published server keys, as tdlib ships them
# (github.com/tdlib/td, td/telegram/net/PublicRsaKeySharedMain.cpp).
TELEGRAM_RSA_KEYS = [
    ("telegram-production", 0xd09d1d85de64fd85,
     "-----BEGIN RSA PUBLIC KEY-----\n"
     "MIIBCgKCAQEA6LszBcC1LGzyr992NzE0ieY+BSaOW622Aa9Bd4ZHLl+TuFQ4lo4g\n"
     "5nKaMBwK/BIb9xUfg0Q29/2mgIR6Zr9krM7HjuIcCzFvDtr+L0GQjae9H0pRB2OO\n"
     "62cECs5HKhT5DZ98K33vmWiLowc621dQuwKWSQKjWf50XYFw42h21P2KXUGyp2y/\n"
     "+aEyZ+uVgLLQbRA1dEjSDZ2iGRy12Mk5gpYc397aYp438fsJoHIgJ2lgMv5h7WY9\n"
     "t6N/byY9Nw9p21Og3AoXSL2q/2IJ1WRUhebgAdGVMlV1fkuOQoEzR7EdpqtQD9Cs\n"
     "5+bfo3Nhmcyvk5ftB0WkJ9z6bNZ7yxrP8wIDAQAB\n"
     "-----END RSA PUBLIC KEY-----\n"),
    ("telegram-test", 0xb25898df208d2603,
     "-----BEGIN RSA PUBLIC KEY-----\n"
     "MIIBCgKCAQEAyMEdY1aR+sCR3ZSJrtztKTKqigvO/vBfqACJLZtS7QMgCGXJ6XIR\n"
     "yy7mx66W0/sOFa7/1mAZtEoIokDP3ShoqF4fVNb6XeqgQfaUHd8wJpDWHcR2OFwv\n"
     "plUUI1PLTktZ9uW2WE23b+ixNwJjJGwBDJPQEQFBE+vfmH0JP503wr5INS1poWg/\n"
     "j25sIWeYPHYeOrFp/eXaqhISP6G+q2IeTaWTXpwZj4LzXq5YOpk4bYEQ6mvRq7D1\n"
     "aHWfYmlEGepfaYR8Q0YqvvhYtMte3ITnuSJs171+GDqpdKcSwHnd6FudwGO4pcCO\n"
     "j4WcDuXc2CTHgH8gFTNhp/Y8/SpDOhvn9QIDAQAB\n"
     "-----END RSA PUBLIC KEY-----\n"),
]

ID = {"req_pq_multi": 0xbe7e8ef1, "resPQ": 0x05162463, "p_q_inner_data_dc": 0xa9f55f95,
      "p_q_inner_data_temp_dc": 0x56fddf88, "req_DH_params": 0xd712e4be, "server_DH_params_ok": 0xd0e8075c,
      "server_DH_inner_data": 0xb5890dba, "set_client_DH_params": 0xf5045f1f,
      "client_DH_inner_data": 0x6643b654, "dh_gen_ok": 0x3bcbf734, "dh_gen_retry": 0x46dc1fb9,
      "dh_gen_fail": 0xa69dae02, "vector": 0x1cb5c415, "bind_auth_key_inner": 0x75a3f765,
      "auth.bindTempAuthKey": 0xcdd42a05}


def u32(v):
    return (v & 0xffffffff).to_bytes(4, "little")


def u64(v):
    return (v & 0xffffffffffffffff).to_bytes(8, "little")


def be_min(x):
    return x.to_bytes((x.bit_length() + 7) // 8, "big")


def be256(x):
    return x.to_bytes(256, "big")


def s64(b):
    """8 bytes as a signed little-endian long (TL `long`)."""
    return int.from_bytes(b, "little", signed=True)


def key_id(auth_key):
    return int.from_bytes(sha1(auth_key)[12:20], "little")


def aux_hash(auth_key):
    return sha1(auth_key)[0:8]


def new_nonce_hash(new_nonce, n, auth_key):
    return sha1(new_nonce, bytes([n]), aux_hash(auth_key))[4:20]


SMALL_PRIMES = [q for q in range(2, 200) if all(q % d for d in range(2, q))]


def is_probable_prime(n):
    """Miller-Rabin with the primes below 200 as bases (deterministic for
    n < 3.3e24; for the 2048-bit primes, 46 independent-enough rounds)."""
    if n < 2:
        return False
    for q in SMALL_PRIMES:
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in SMALL_PRIMES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


CHECKED_DH = set()


def check_dh_params(p, g):
    """The client's checks of /mtproto/auth_key on (dh_prime, g)."""
    if (p, g) in CHECKED_DH:
        return
    assert 2 ** 2047 < p < 2 ** 2048
    assert is_probable_prime(p) and is_probable_prime((p - 1) // 2)
    assert {2: p % 8 == 7, 3: p % 3 == 2, 4: True, 5: p % 5 in (1, 4), 6: p % 24 in (19, 23),
            7: p % 7 in (3, 5, 6)}[g]
    assert 1 < g < p - 1
    CHECKED_DH.add((p, g))


def dh_value_ok(x, p):
    return 1 < x < p - 1 and 2 ** (2048 - 64) <= x <= p - 2 ** (2048 - 64)


def rsa_fingerprint(n, e):
    return s64(sha1(tl_bytes(be_min(n)), tl_bytes(be_min(e)))[12:20])


def load_handshake_keys():
    from cryptography.hazmat.primitives import serialization
    if not (os.path.exists(RSA_KEY_PATH) and os.path.exists(DH_PRIME_PATH)):
        sys.exit("missing rsa_test_key.pem / dh_test_prime.hex: run generate.py --new-handshake-keys once")
    pem = open(RSA_KEY_PATH).read()
    assert pem.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    nums = key.private_numbers()
    n, e, d = nums.public_numbers.n, nums.public_numbers.e, nums.d
    assert e == 65537 and 2 ** 2047 < n < 2 ** 2048
    prime = int(open(DH_PRIME_PATH).read().strip(), 16)
    return pem, key, (n, e, d), prime


def new_handshake_keys():
    """Only with --new-handshake-keys: a new test RSA key and a new safe prime."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import dh, rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    with open(RSA_KEY_PATH, "wb") as f:
        f.write(pem)
    p = dh.generate_parameters(generator=2, key_size=2048).parameter_numbers().p
    check_dh_params(p, 2)
    with open(DH_PRIME_PATH, "w") as f:
        f.write(be256(p).hex() + "\n")


def telegram_dh_prime(sample):
    """dh_prime and g from the worked example's server_DH_inner_data,
    after checking the SHA1 in front of it."""
    awh = bytes.fromhex(sample["server_dh"]["answer_with_hash"])
    ans = awh[20:]
    assert ans[0:4] == u32(ID["server_DH_inner_data"])
    assert ans[4:20] == bytes.fromhex(sample["nonce"]) and ans[20:36] == bytes.fromhex(sample["server_nonce"])
    g = int.from_bytes(ans[36:40], "little")
    assert ans[40:44] == b"\xfe\x00\x01\x00" and ans[300:304] == b"\xfe\x00\x01\x00"
    p, g_a = ans[44:300], ans[304:560]
    length = 560 + 4
    assert sha1(ans[:length]) == awh[:20] and len(awh) % 16 == 0 and len(awh) - 20 - length < 16
    assert int.from_bytes(ans[560:564], "little") == 1705754877
    return int.from_bytes(p, "big"), g, int.from_bytes(g_a, "big")


# TL bodies (no envelope), field by field.
def body_req_pq_multi(nonce):
    return u32(ID["req_pq_multi"]) + nonce


def body_res_pq(nonce, server_nonce, pq, fingerprints):
    return (u32(ID["resPQ"]) + nonce + server_nonce + tl_bytes(be_min(pq)) + u32(ID["vector"])
            + u32(len(fingerprints)) + b"".join(u64(f) for f in fingerprints))


def body_p_q_inner(pq, p, q, nonce, server_nonce, new_nonce, dc, expires_in=None):
    cid = ID["p_q_inner_data_dc"] if expires_in is None else ID["p_q_inner_data_temp_dc"]
    out = (u32(cid) + tl_bytes(be_min(pq)) + tl_bytes(be_min(p)) + tl_bytes(be_min(q)) + nonce + server_nonce
           + new_nonce + u32(dc))
    return out if expires_in is None else out + u32(expires_in)


def body_req_dh_params(nonce, server_nonce, p, q, fingerprint, encrypted_data):
    return (u32(ID["req_DH_params"]) + nonce + server_nonce + tl_bytes(be_min(p)) + tl_bytes(be_min(q))
            + u64(fingerprint) + tl_bytes(encrypted_data))


def body_server_dh_inner(nonce, server_nonce, g, dh_prime, g_a, server_time):
    return (u32(ID["server_DH_inner_data"]) + nonce + server_nonce + u32(g) + tl_bytes(be256(dh_prime))
            + tl_bytes(be256(g_a)) + u32(server_time))


def body_server_dh_params_ok(nonce, server_nonce, encrypted_answer):
    return u32(ID["server_DH_params_ok"]) + nonce + server_nonce + tl_bytes(encrypted_answer)


def body_client_dh_inner(nonce, server_nonce, retry_id, g_b):
    return u32(ID["client_DH_inner_data"]) + nonce + server_nonce + u64(retry_id) + tl_bytes(be256(g_b))


def body_set_client_dh_params(nonce, server_nonce, encrypted_data):
    return u32(ID["set_client_DH_params"]) + nonce + server_nonce + tl_bytes(encrypted_data)


def body_dh_gen(kind, nonce, server_nonce, hash_n):
    return u32(ID[kind]) + nonce + server_nonce + hash_n


def rsa_pad(data, padding, temp_key, n, e):
    """RSA_PAD of /mtproto/auth_key 4.1; None when key_aes_encrypted >= n."""
    assert len(data) <= 144 and len(data) + len(padding) == 192 and len(temp_key) == 32
    data_with_padding = data + padding
    data_with_hash = data_with_padding[::-1] + sha256(temp_key, data_with_padding)
    aes_encrypted = ige(temp_key, bytes(32), data_with_hash, True)
    key_aes_encrypted = xor(temp_key, sha256(aes_encrypted)) + aes_encrypted
    assert len(key_aes_encrypted) == 256
    k = int.from_bytes(key_aes_encrypted, "big")
    return None if k >= n else be256(pow(k, e, n))


def rsa_pad_decrypt(encrypted, n, d):
    """The server's side: data_with_padding (192 bytes), after checking the hash."""
    kae = be256(pow(int.from_bytes(encrypted, "big"), d, n))
    aes_encrypted = kae[32:]
    temp_key = xor(kae[:32], sha256(aes_encrypted))
    data_with_hash = ige(temp_key, bytes(32), aes_encrypted, False)
    data_with_padding = data_with_hash[:192][::-1]
    assert sha256(temp_key, data_with_padding) == data_with_hash[192:]
    return data_with_padding, temp_key


def draw_pq(r):
    """Two distinct primes p < q in [2^30, 2^31), drawn from r."""
    found = []
    while len(found) < 2:
        x = int.from_bytes(r.take(4), "big") & (2 ** 31 - 1) | 2 ** 30
        if is_probable_prime(x) and x not in found:
            found.append(x)
    return min(found), max(found)


def draw_exponent(r, g, p):
    """A 2048-bit secret exponent (256 bytes, big-endian) whose g^x passes the
    range checks; re-drawn otherwise."""
    while True:
        x = r.take(256)
        gx = pow(g, int.from_bytes(x, "big"), p)
        if dh_value_ok(gx, p):
            return x, gx


def exchange_case(name, key_type, dc, expires_in, server_time, rsa, dh_prime, g, retry):
    (pem, pub_pem, (n, e, d)) = rsa
    fingerprint = rsa_fingerprint(n, e)
    check_dh_params(dh_prime, g)
    r = Drbg("handshake/" + name)
    h2 = lambda b: b.hex()
    msgs = []

    def send(sender, kind, body):
        msgs.append({"sender": sender, "name": kind, "body": body.hex()})

    # 1-2) req_pq_multi, resPQ
    nonce = r.take(16)
    send("client", "req_pq_multi", body_req_pq_multi(nonce))
    server_nonce = r.take(16)
    p, q = draw_pq(r)
    pq = p * q
    assert len(be_min(pq)) == 8 and len(be_min(p)) == 4 and len(be_min(q)) == 4 and pq < 2 ** 63
    send("server", "res_pq", body_res_pq(nonce, server_nonce, pq, [fingerprint]))

    # 4-5) req_DH_params with RSA_PAD(p_q_inner_data(_temp)_dc)
    new_nonce = r.take(32)
    inner = body_p_q_inner(pq, p, q, nonce, server_nonce, new_nonce, dc,
                           expires_in if key_type == "temporary" else None)
    rsa_padding = r.take(192 - len(inner))
    while True:
        rsa_temp_key = r.take(32)
        encrypted_data = rsa_pad(inner, rsa_padding, rsa_temp_key, n, e)
        if encrypted_data is not None:
            break
    send("client", "req_dh_params", body_req_dh_params(nonce, server_nonce, p, q, fingerprint, encrypted_data))
    # The server: decrypt and recover everything.
    dwp, tk = rsa_pad_decrypt(encrypted_data, n, d)
    assert dwp == inner + rsa_padding and tk == rsa_temp_key

    # 6) server_DH_params_ok
    a, g_a = draw_exponent(r, g, dh_prime)
    answer = body_server_dh_inner(nonce, server_nonce, g, dh_prime, g_a, server_time)
    answer_padding = r.take(-(20 + len(answer)) % 16)
    tkey, tiv = tmp_key_iv(new_nonce, server_nonce)
    answer_with_hash = sha1(answer) + answer + answer_padding
    encrypted_answer = ige(tkey, tiv, answer_with_hash, True)
    send("server", "server_dh_params_ok", body_server_dh_params_ok(nonce, server_nonce, encrypted_answer))
    # The client: decrypt, check the hash and g_a.
    plain = ige(tkey, tiv, encrypted_answer, False)
    assert plain == answer_with_hash and sha1(plain[20:20 + len(answer)]) == plain[:20]
    assert dh_value_ok(int.from_bytes(plain[20 + 304:20 + 560], "big"), dh_prime)

    # 7-9) set_client_DH_params, once or twice
    attempts, known, known_keys, retry_id = [], [], [], 0
    for attempt in range(2 if retry else 1):
        b, g_b = draw_exponent(r, g, dh_prime)
        data = body_client_dh_inner(nonce, server_nonce, retry_id, g_b)
        padding = r.take(-(20 + len(data)) % 16)
        data_with_hash = sha1(data) + data + padding
        enc = ige(tkey, tiv, data_with_hash, True)
        send("client", "set_client_dh_params", body_set_client_dh_params(nonce, server_nonce, enc))
        attempts.append({"b": b.hex(), "padding": padding.hex()})
        # Server side: decrypt, check, compute the key.
        plain = ige(tkey, tiv, enc, False)
        assert plain == data_with_hash and sha1(plain[20:20 + len(data)]) == plain[:20]
        g_b_seen = int.from_bytes(plain[20 + 48:20 + 304], "big")
        assert g_b_seen == g_b and dh_value_ok(g_b_seen, dh_prime)
        auth_key = be256(pow(g_b_seen, int.from_bytes(a, "big"), dh_prime))
        assert auth_key == be256(pow(g_a, int.from_bytes(b, "big"), dh_prime))  # the client's view
        if retry and attempt == 0:
            known.append(key_id(auth_key))  # the server already holds a key with this id
            known_keys.append(auth_key.hex())
        if key_id(auth_key) in known and attempt == 0:
            send("server", "dh_gen_retry", body_dh_gen("dh_gen_retry", nonce, server_nonce,
                                                       new_nonce_hash(new_nonce, 2, auth_key)))
            retry_id = s64(aux_hash(auth_key))
            continue
        assert key_id(auth_key) not in known
        hash1 = new_nonce_hash(new_nonce, 1, auth_key)
        send("server", "dh_gen_ok", body_dh_gen("dh_gen_ok", nonce, server_nonce, hash1))
    assert len(attempts) == (2 if retry else 1)
    return {"name": name, "kind": "exchange", "key_type": key_type, "dc": dc, "expires_in": expires_in,
            "server_time": server_time, "rsa_private_key": pem, "rsa_public_key": pub_pem,
            "fingerprint": str(fingerprint), "dh_prime": be256(dh_prime).hex(), "g": g,
            "client": {"nonce": h2(nonce), "new_nonce": h2(new_nonce), "rsa_temp_key": h2(rsa_temp_key),
                       "rsa_padding": h2(rsa_padding), "attempts": attempts},
            "server": {"server_nonce": h2(server_nonce), "p": p, "q": q, "a": h2(a),
                       "answer_padding": h2(answer_padding), "known_key_ids": [str(k) for k in known],
                       "known_keys": known_keys},
            "messages": msgs, "auth_key": auth_key.hex(), "auth_key_id": str(key_id(auth_key)),
            "server_salt": str(s64(xor(new_nonce[:8], server_nonce[:8]))), "new_nonce_hash1": hash1.hex(),
            "expires_at": server_time + expires_in if key_type == "temporary" else 0}


def bind_case(perm, temp):
    """auth.bindTempAuthKey: bind_auth_key_inner encrypted MTProto-1.0 style
    under the permanent key (x = 0), carried in the query."""
    r = Drbg("handshake/bind")
    perm_key, temp_key = bytes.fromhex(perm["auth_key"]), bytes.fromhex(temp["auth_key"])
    perm_id, temp_id = key_id(perm_key), key_id(temp_key)
    temp_session_id = int.from_bytes(r.take(8), "little")
    msg_id = ((temp["server_time"] + 7) << 32) | (int.from_bytes(r.take(4), "little") & ~3)
    while True:
        nonce = s64(r.take(8))
        if nonce:
            break
    expires_at = temp["expires_at"]
    inner = (u32(ID["bind_auth_key_inner"]) + u64(nonce) + u64(temp_id) + u64(perm_id) + u64(temp_session_id)
             + u32(expires_at))
    assert len(inner) == 40
    random = r.take(16)
    plaintext = random + u64(msg_id) + u32(0) + u32(len(inner)) + inner
    assert len(plaintext) == 72
    msg_key = sha1(plaintext)[4:20]
    padding = r.take(-len(plaintext) % 16)
    assert len(padding) == 8
    aes_key, aes_iv = kdf_v1(perm_key, "client", msg_key)
    encrypted_message = u64(perm_id) + msg_key + ige(aes_key, aes_iv, plaintext + padding, True)
    query = (u32(ID["auth.bindTempAuthKey"]) + u64(perm_id) + u64(nonce) + u32(expires_at)
             + tl_bytes(encrypted_message))
    # The server's check: the key by its id, msg_key, header, inner fields.
    assert encrypted_message[:8] == u64(perm_id)
    mk = encrypted_message[8:24]
    k, iv = kdf_v1(perm_key, "client", mk)
    dec = ige(k, iv, encrypted_message[24:], False)
    assert sha1(dec[:32 + int.from_bytes(dec[28:32], "little")])[4:20] == mk
    assert dec[16:24] == u64(msg_id) and dec[24:28] == u32(0) and dec[32:72] == inner
    return {"name": "bind", "kind": "bind", "perm_auth_key": perm_key.hex(), "temp_auth_key": temp_key.hex(),
            "perm_auth_key_id": str(perm_id), "temp_auth_key_id": str(temp_id),
            "temp_session_id": str(temp_session_id), "msg_id": str(msg_id), "nonce": str(nonce),
            "expires_at": expires_at, "random": random.hex(), "padding": padding.hex(), "inner": inner.hex(),
            "encrypted_message": encrypted_message.hex(), "query": query.hex()}


def rsa_old_scheme_case(pem, n, e, d):
    """The pre-RSA_PAD scheme: SHA1(data) + data + padding as a 255-byte number."""
    r = Drbg("handshake/rsa_old_scheme")
    nonce, server_nonce, new_nonce = r.take(16), r.take(16), r.take(32)
    p, q = draw_pq(r)
    data = body_p_q_inner(p * q, p, q, nonce, server_nonce, new_nonce, 2)
    padding = r.take(235 - len(data))
    m = sha1(data) + data + padding
    assert len(m) == 255 and int.from_bytes(m, "big") < n
    encrypted = be256(pow(int.from_bytes(m, "big"), e, n))
    back = pow(int.from_bytes(encrypted, "big"), d, n).to_bytes(255, "big")
    assert back == m and sha1(back[20:20 + len(data)]) == back[:20]
    return {"name": "rsa_old_scheme/p_q_inner_data_dc", "kind": "rsa_old_scheme", "rsa_private_key": pem,
            "data": data.hex(), "padding": padding.hex(), "encrypted": encrypted.hex()}


def fingerprint_cases(key):
    from cryptography.hazmat.primitives import serialization
    pub = key.public_key()
    out = []
    forms = [("test-key/pkcs1", pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)),
             ("test-key/spki",
              pub.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))]
    nums = pub.public_numbers()
    for name, pem in forms:
        assert serialization.load_pem_public_key(pem).public_numbers() == nums
        out.append({"name": "fingerprint/" + name, "kind": "fingerprint", "pem": pem.decode(),
                    "fingerprint": str(rsa_fingerprint(nums.n, nums.e))})
    assert forms[0][1].startswith(b"-----BEGIN RSA PUBLIC KEY-----") and forms[1][1].startswith(
        b"-----BEGIN PUBLIC KEY-----")
    for name, known, pem in TELEGRAM_RSA_KEYS:
        k = serialization.load_pem_public_key(pem.encode()).public_numbers()
        fp = rsa_fingerprint(k.n, k.e)
        assert fp & 0xffffffffffffffff == known
        out.append({"name": "fingerprint/" + name, "kind": "fingerprint", "pem": pem, "fingerprint": str(fp)})
    return out


def check_sample_handshake(sample, tg_prime, g, g_a):
    """The builders and key derivation above reproduce Telegram's worked example."""
    h = bytes.fromhex
    nonce, server_nonce, new_nonce = h(sample["nonce"]), h(sample["server_nonce"]), h(sample["new_nonce"])
    body = lambda name: h(sample["messages"][name])[20:]
    pq, p, q = sample["pq"], sample["p"], sample["q"]
    assert p * q == pq and p < q
    assert body("req_pq_multi") == body_req_pq_multi(nonce)
    fps = [s64(body("resPQ")[56 + 8 * i:64 + 8 * i]) for i in range(3)]
    assert body("resPQ") == body_res_pq(nonce, server_nonce, pq, fps)
    fp = s64(h(sample["rsa"]["public_key_fingerprint_wire"]))
    assert fp in fps and fp & 0xffffffffffffffff == TELEGRAM_RSA_KEYS[0][1]
    inner = body_p_q_inner(pq, p, q, nonce, server_nonce, new_nonce, sample["dc"])
    assert inner == h(sample["rsa"]["p_q_inner_data_dc"])
    assert len(inner) + len(h(sample["rsa"]["random_padding_bytes"])) == 192
    assert body("req_DH_params") == body_req_dh_params(nonce, server_nonce, p, q, fp,
                                                       h(sample["rsa"]["encrypted_data"]))
    assert body("server_DH_params_ok") == body_server_dh_params_ok(nonce, server_nonce,
                                                                   h(sample["server_dh"]["encrypted_answer"]))
    answer = body_server_dh_inner(nonce, server_nonce, g, tg_prime, g_a, 1705754877)
    assert h(sample["server_dh"]["answer_with_hash"]).startswith(sha1(answer) + answer)
    check_dh_params(tg_prime, g)
    assert g == 3 and dh_value_ok(g_a, tg_prime)
    b = int.from_bytes(h(sample["client_dh"]["b"]), "big")
    g_b = pow(g, b, tg_prime)
    assert be256(g_b) == h(sample["client_dh"]["g_b"]) and dh_value_ok(g_b, tg_prime)
    cdi = body_client_dh_inner(nonce, server_nonce, 0, g_b)
    assert cdi == h(sample["client_dh"]["client_DH_inner_data"])
    tkey, tiv = tmp_key_iv(new_nonce, server_nonce)
    enc = ige(tkey, tiv, sha1(cdi) + cdi + h(sample["client_dh"]["padding"]), True)
    assert body("set_client_DH_params") == body_set_client_dh_params(nonce, server_nonce, enc)
    auth_key = be256(pow(g_a, b, tg_prime))
    assert auth_key == h(sample["auth_key"])
    hash1 = new_nonce_hash(new_nonce, 1, auth_key)
    assert hash1 == h(sample["new_nonce_hash1"])
    assert body("dh_gen_ok") == body_dh_gen("dh_gen_ok", nonce, server_nonce, hash1)


def handshake_cases(sample):
    from cryptography.hazmat.primitives import serialization
    pem, key, (n, e, d), test_prime = load_handshake_keys()
    pub_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.PKCS1).decode()
    tg_prime, tg_g, sample_g_a = telegram_dh_prime(sample)
    check_sample_handshake(sample, tg_prime, tg_g, sample_g_a)
    assert test_prime != tg_prime
    check_dh_params(test_prime, 2)
    rsa = (pem, pub_pem, (n, e, d))
    perm = exchange_case("permanent", "permanent", 2, 0, 1735689600, rsa, tg_prime, tg_g, False)
    temp = exchange_case("temporary", "temporary", 2, 86400, 1735689660, rsa, tg_prime, tg_g, False)
    retry = exchange_case("permanent-custom-prime-retry", "permanent", 10002, 0, 1735689720, rsa, test_prime, 2,
                          True)
    assert [m["name"] for m in retry["messages"]][-4:] == [
        "set_client_dh_params", "dh_gen_retry", "set_client_dh_params", "dh_gen_ok"]
    return ([perm, temp, retry, bind_case(perm, temp), rsa_old_scheme_case(pem, n, e, d)]
            + fingerprint_cases(key))


def main():
    args = sys.argv[1:]
    if set(args) - {"--new-handshake-keys"}:
        sys.exit("usage: generate.py [--new-handshake-keys]")
    if args:
        new_handshake_keys()  # then write every file with them
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

    # --- auth key creation ---------------------------------------------------
    write("handshake.json", "Auth key creation (/mtproto/auth_key) and auth.bindTempAuthKey, computed in Python "
          "from the spec with a test RSA key (rsa_test_key.pem) in place of Telegram's. Bytes hex; TL bodies "
          "without the plain-message envelope; big numbers big-endian. 64-bit values as decimal strings: "
          "fingerprint, server_salt and bind nonce are signed (TL long); auth key ids, known_key_ids, "
          "temp_session_id and msg_id are unsigned. kind exchange: resPQ carries [fingerprint], pq = p*q and "
          "p, q as minimal big-endian bytes; the client's inner data is p_q_inner_data_dc (permanent) or "
          "p_q_inner_data_temp_dc (temporary, expires_in) with new_nonce and dc, RSA_PAD with rsa_padding "
          "(192 - len(data) bytes) and rsa_temp_key (the first one below the modulus); server_DH_inner_data "
          "has g, dh_prime and g_a = g^a (both 256 bytes) and server_time, then SHA1 + answer + "
          "answer_padding under tmp_aes_key/iv; attempt i sends client_DH_inner_data with retry_id (0, then "
          "the previous attempt's auth_key_aux_hash as a long) and g_b = g^b (256 bytes), then SHA1 + data + "
          "padding; the server answers dh_gen_retry (new_nonce_hash2 of that attempt's key) when the key's id "
          "is in known_key_ids, else dh_gen_ok. A client replaying with its randomness (nonce, new_nonce, "
          "rsa_temp_key, rsa_padding, attempts) must send exactly the client bodies and a server replaying "
          "with its own (server_nonce, p, q, a, answer_padding, known_keys (the keys of known_key_ids, to put in the server's key store first), server_time) exactly the server "
          "bodies; both end with auth_key, auth_key_id, server_salt (new_nonce[0..8] XOR server_nonce[0..8]) "
          "and, for temporary keys, expires_at = server_time + expires_in. kind bind: inner = "
          "bind_auth_key_inner, encrypted_message = perm_auth_key_id | msg_key | AES-IGE(random | msg_id | "
          "seq_no 0 | length 40 | inner | padding) with the MTProto 1.0 KDF of perm_auth_key (x = 0), msg_key "
          "= SHA1 of the 72 bytes before padding [4..20]; query = auth.bindTempAuthKey; the client builds "
          "query, the server decrypts and verifies it. kind rsa_old_scheme: encrypted = (SHA1(data) | data | "
          "padding, 255 bytes)^e mod n; the server decrypts it back to data. kind fingerprint: pem (PKCS#1 "
          "or SPKI) gives fingerprint", handshake_cases(sample))


if __name__ == "__main__":
    sys.exit(main())
