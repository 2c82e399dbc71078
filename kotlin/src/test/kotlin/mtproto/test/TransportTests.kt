package mtproto.test

import mtproto.ClientTransport
import mtproto.ClientTransportConfig
import mtproto.FramingCodec
import mtproto.HttpClient
import mtproto.HttpServer
import mtproto.Inbound
import mtproto.MtprotoException
import mtproto.Role
import mtproto.ServerTransport
import mtproto.ServerTransportConfig
import mtproto.TransportKind
import mtproto.aesCtrApply
import mtproto.fakeTlsClientHello
import mtproto.fakeTlsKeyShare
import mtproto.fakeTlsServerHello
import mtproto.framingHeader
import mtproto.isValidObfuscationInit
import mtproto.obfuscationInit
import mtproto.parseProxySecret
import mtproto.quickAckToken
import mtproto.stripPaddedIntermediatePadding

/** The default `maxFrame` (16 MiB). */
private const val MAX_FRAME: ULong = 16_777_216uL

private fun framingOf(s: String): TransportKind = when (s) {
    "abridged" -> TransportKind.ABRIDGED
    "intermediate" -> TransportKind.INTERMEDIATE
    "padded_intermediate" -> TransportKind.PADDED_INTERMEDIATE
    "full" -> TransportKind.FULL
    else -> fail("unknown framing '$s'")
}

private fun roleOf(s: String): Role = when (s) {
    "client" -> Role.CLIENT
    "server" -> Role.SERVER
    else -> fail("unknown role '$s'")
}

@Suppress("UNCHECKED_CAST")
private fun obj(v: Any?): Map<String, Any?> = v as? Map<String, Any?> ?: fail("expected a JSON object, found $v")

private fun list(v: Any?): List<Any?> = v as? List<Any?> ?: fail("expected a JSON array, found $v")

private fun Map<String, Any?>.hexOf(key: String): ByteArray = hex(this[key] as? String ?: fail("missing hex field '$key'"))

private fun Map<String, Any?>.longOf(key: String): Long = this[key] as? Long ?: fail("missing number field '$key'")

/** A stable text form of an [Inbound], for comparisons and messages. */
fun describe(i: Inbound): String = when (i) {
    is Inbound.Packet -> "packet(${i.payload.toHex()}, quickAck=${i.quickAck})"
    is Inbound.QuickAck -> "quickAck(${i.token})"
    is Inbound.TransportError -> "transportError(${i.code})"
}

/** The code of the `MtprotoException.Failed` that [block] throws, or null if it returns. */
fun codeOf(block: () -> Unit): UInt? = try {
    block()
    null
} catch (e: MtprotoException.Failed) {
    e.code
}

/** Splits of [wire] a decoder must give the same result for: whole, byte by byte, at every point. */
fun splits(wire: ByteArray): List<List<ByteArray>> {
    val out = ArrayList<List<ByteArray>>()
    out.add(listOf(wire))
    out.add(wire.map { byteArrayOf(it) })
    for (i in 0..wire.size) out.add(listOf(wire.copyOfRange(0, i), wire.copyOfRange(i, wire.size)))
    return out
}

// ---------------------------------------------------------------------------
// transport_framing.json

private fun framingCase(c: Case) {
    val kind = framingOf(c.str("framing"))
    val sender = roleOf(c.str("sender"))
    val receiver = if (sender == Role.CLIENT) Role.SERVER else Role.CLIENT
    val frames = list(c.raw("frames")).map { obj(it) }
    // Encoding with the given padding gives the wire.
    val wire = FramingCodec(kind, sender, MAX_FRAME).use { codec ->
        val out = java.io.ByteArrayOutputStream()
        for (f in frames) {
            val padding = f.hexOf("padding")
            val bytes = when (f["type"]) {
                "packet" -> codec.encodePacketWithPadding(f.hexOf("payload"), f["quick_ack"] == true, padding)
                "quick_ack" -> {
                    val token = f.longOf("token").toUInt()
                    assertEq(token, quickAckToken(f.hexOf("msg_key_large")), "quickAckToken")
                    codec.encodeQuickAckWithPadding(token, padding)
                }
                "transport_error" -> codec.encodeTransportErrorWithPadding(f.longOf("code").toInt(), padding)
                else -> fail("unknown frame type ${f["type"]}")
            }
            out.write(bytes)
        }
        out.toByteArray()
    }
    assertBytes(c.bytes("wire"), wire, "encoded wire")
    // Decoding the wire, split anywhere, gives the frames back.
    val want = frames.map { f ->
        when (f["type"]) {
            "packet" -> describe(Inbound.Packet(f.hexOf("payload") + f.hexOf("padding"),
                receiver == Role.SERVER && f["quick_ack"] == true))
            "quick_ack" -> describe(Inbound.QuickAck(f.longOf("token").toUInt()))
            else -> describe(Inbound.TransportError(f.longOf("code").toInt()))
        }
    }
    for (chunks in splits(wire)) {
        val got = FramingCodec(kind, receiver, MAX_FRAME).use { codec ->
            for (chunk in chunks) codec.feed(chunk)
            generateSequence { codec.poll() }.map(::describe).toList()
        }
        assertEq(want, got, "decoded frames (${chunks.size} chunks)")
    }
    // Padded messages strip back to their payload.
    if (kind == TransportKind.PADDED_INTERMEDIATE) {
        for (f in frames.filter { it["message"] == true }) {
            val payload = f.hexOf("payload")
            assertBytes(payload, stripPaddedIntermediatePadding(payload + f.hexOf("padding")), "stripped")
        }
    }
}

// ---------------------------------------------------------------------------
// transport_obfuscation.json

private fun obfuscationCase(c: Case) {
    when (c.str("kind")) {
        "obfuscated2" -> {
            val secretHex = c.str("secret")
            val secret = secretHex.ifEmpty { null }
            val kind = framingOf(c.str("framing"))
            val dc = (c.raw("dc_id") as Long).toShort()
            val random = c.bytes("random")
            check(isValidObfuscationInit(random)) { "random is not a valid init" }
            val init = obfuscationInit(random, kind, dc, secret)
            assertBytes(c.bytes("header"), init.header, "header")
            assertBytes(c.bytes("client_encrypt_key"), init.clientEncryptKey, "client encrypt key")
            assertBytes(c.bytes("client_encrypt_iv"), init.clientEncryptIv, "client encrypt iv")
            assertBytes(c.bytes("client_decrypt_key"), init.clientDecryptKey, "client decrypt key")
            assertBytes(c.bytes("client_decrypt_iv"), init.clientDecryptIv, "client decrypt iv")
            // The server's keys are the client's, reversed.
            assertBytes(c.bytes("server_encrypt_key"), init.clientDecryptKey, "server encrypt key")
            assertBytes(c.bytes("server_encrypt_iv"), init.clientDecryptIv, "server encrypt iv")
            assertBytes(c.bytes("server_decrypt_key"), init.clientEncryptKey, "server decrypt key")
            assertBytes(c.bytes("server_decrypt_iv"), init.clientEncryptIv, "server decrypt iv")
            // Payloads: the client's stream has consumed the 64 init bytes, the server's none.
            val payload = c.bytes("payload")
            val skip = ByteArray(64)
            val cEnc = aesCtrApply(init.clientEncryptKey, init.clientEncryptIv, skip + payload).copyOfRange(64, 64 + payload.size)
            assertBytes(c.bytes("client_payload_encrypted"), cEnc, "client payload encrypted")
            val sDec = aesCtrApply(c.bytes("server_decrypt_key"), c.bytes("server_decrypt_iv"), skip + cEnc).copyOfRange(64, 64 + payload.size)
            assertBytes(payload, sDec, "server decrypts the client payload")
            val sEnc = aesCtrApply(c.bytes("server_encrypt_key"), c.bytes("server_encrypt_iv"), payload)
            assertBytes(c.bytes("server_payload_encrypted"), sEnc, "server payload encrypted")
            assertBytes(payload, aesCtrApply(init.clientDecryptKey, init.clientDecryptIv, sEnc), "client decrypts the server payload")
            // A server accepting the header finds the framing, DC and secret
            // (ee secrets arrive inside fake TLS: checked by the round trips).
            if (!secretHex.startsWith("ee")) {
                val config = ServerTransportConfig(
                    secrets = listOfNotNull(secret), allowPlain = false,
                    allowObfuscatedWithoutSecret = secret == null, allowHttp = false, maxFrame = MAX_FRAME)
                ServerTransport(config).use { s ->
                    s.handleInput(init.header, 0uL)
                    val d = s.detected() ?: fail("nothing detected")
                    assertEq(kind, d.kind, "detected kind")
                    assertEq(true, d.obfuscated, "detected obfuscated")
                    assertEq(false, d.fakeTls, "detected fake TLS")
                    assertEq(dc, d.dcId, "detected dc")
                    assertEq(if (secret == null) null else 0u, d.secretIndex, "detected secret index")
                }
            }
        }
        "obfuscated2_forbidden" -> {
            val random = c.bytes("random")
            check(!isValidObfuscationInit(random)) { "forbidden random accepted" }
            expectCode(606u, "obfuscationInit with a forbidden random") {
                obfuscationInit(random, TransportKind.ABRIDGED, 1, null)
            }
        }
        "key_share" -> {
            val want = c.bytes("key_share")
            val got = fakeTlsKeyShare(c.bytes("candidate"))
            if (want.isEmpty()) check(got == null) { "candidate accepted: ${got?.toHex()}" }
            else assertBytes(want, got ?: fail("candidate rejected"), "key share")
        }
        "client_hello" -> {
            val order = list(c.raw("extension_order")).map { (it as Long).toByte() }.toByteArray()
            val now = c.u64("now_ms")
            val h = fakeTlsClientHello(c.str("secret"), now, c.bytes("session_id"), c.bytes("grease_seed"),
                c.bytes("key_share"), order)
            assertBytes(c.bytes("hello"), h.hello, "hello")
            assertBytes(c.bytes("random"), h.random, "random")
            assertBytes(c.bytes("digest"), h.digest, "digest")
            // A server holding the secret accepts it at now_ms and answers.
            ServerTransport(ServerTransportConfig(secrets = listOf(c.str("secret")), allowPlain = false,
                allowObfuscatedWithoutSecret = false, allowHttp = false)).use { s ->
                s.handleInput(h.hello, now)
                val answer = s.pollTransmit() ?: fail("no ServerHello")
                assertEq(0x16.toByte(), answer[0], "answer is a TLS handshake record")
            }
        }
        "server_hello" -> {
            val response = fakeTlsServerHello(c.str("secret"), c.bytes("client_random"), c.bytes("session_id"),
                c.bytes("key_share"), c.bytes("app_data"))
            assertBytes(c.bytes("response"), response, "response")
            assertBytes(c.bytes("server_random"), response.copyOfRange(11, 43), "server random")
        }
        else -> fail("unknown kind ${c.str("kind")}")
    }
}

// ---------------------------------------------------------------------------
// transport_http.json

private fun errorCodeOfKind(kind: String): UInt = when (kind) {
    "http" -> 608u
    "http_status" -> 609u
    "frame_too_large" -> 601u
    else -> fail("unknown error kind '$kind'")
}

/** Feeds [chunks] to a decoder, polling after each; stops at the first error, checking it is sticky. */
private fun runDecoder(chunks: List<ByteArray>, feed: (ByteArray) -> Unit, poll: () -> Inbound?): Pair<List<String>, String?> {
    val events = ArrayList<String>()
    for (chunk in chunks) {
        var error: MtprotoException.Failed? = null
        try {
            feed(chunk)
        } catch (e: MtprotoException.Failed) {
            error = e
        }
        events.addAll(generateSequence { poll() }.map(::describe))
        if (error != null) {
            assertEq(error.code, codeOf { feed("\r\n".toByteArray()) }, "sticky error")
            return events to "${error.code}: ${error.reason}"
        }
    }
    return events to null
}

/** A client with [waiting] requests sent. */
private fun httpClient(waiting: Int): HttpClient {
    val c = HttpClient("example.org")
    repeat(waiting) { c.encodeRequest("q".toByteArray()) }
    return c
}

private data class HttpOutcome(val events: List<String>, val errorCode: UInt?, val extra: String)

private fun decodeServer(chunks: List<ByteArray>): Pair<HttpOutcome, String?> = HttpServer().use { s ->
    val (events, error) = runDecoder(chunks, s::feed, s::poll)
    HttpOutcome(events, error?.substringBefore(':')?.toUInt(),
        "rejection=${s.rejectionStatus()} transmit=${s.pollTransmit()?.toHex()}") to error
}

private fun decodeClient(waiting: Int, chunks: List<ByteArray>): Pair<HttpOutcome, String?> = httpClient(waiting).use { c ->
    val (events, error) = runDecoder(chunks, c::feed, c::poll)
    // A client whose server closes the connection refuses new requests (611).
    val close = error == null && codeOf { c.encodeRequest("q".toByteArray()) } == 611u
    HttpOutcome(events, error?.substringBefore(':')?.toUInt(), "close=$close") to error
}

private fun checkSplits(wire: ByteArray, want: HttpOutcome, errorMustMention: String?, decode: (List<ByteArray>) -> Pair<HttpOutcome, String?>) {
    for (chunks in splits(wire)) {
        val (got, error) = decode(chunks)
        assertEq(want, got, "decoded (${chunks.size} chunks)")
        if (errorMustMention != null) check(error?.contains(errorMustMention) == true) { "error '$error' lacks $errorMustMention" }
    }
}

private fun httpCase(c: Case) {
    val wire = c.bytes("wire")
    when (val kind = c.str("kind")) {
        "request" -> {
            val payload = c.bytes("payload")
            HttpClient(c.str("host")).use { cl ->
                assertBytes(wire, cl.encodeRequest(payload), "request")
                assertEq(1uL, cl.pending(), "pending")
            }
            checkSplits(wire, HttpOutcome(listOf(describe(Inbound.Packet(payload, false))), null, "rejection=null transmit=null"), null, ::decodeServer)
        }
        "response", "transport_error", "error" -> {
            HttpServer().use { s ->
                s.feed(HttpClient("example.org").use { it.encodeRequest("q".toByteArray()) })
                check(s.poll() != null) { "the request was not decoded" }
                assertEq(1uL, s.pending(), "pending")
                val (encoded, want) = when (kind) {
                    "response" -> {
                        val payload = c.bytes("payload")
                        s.encodeResponse(payload) to HttpOutcome(listOf(describe(Inbound.Packet(payload, false))), null, "close=false")
                    }
                    "transport_error" -> {
                        val code = (c.raw("code") as Long).toInt()
                        s.encodeTransportError(code) to HttpOutcome(listOf(describe(Inbound.TransportError(code))), null, "close=false")
                    }
                    else -> s.encodeError((c.raw("status") as Long).toInt().toUShort()) to HttpOutcome(emptyList(), 609u, "close=false")
                }
                assertBytes(wire, encoded, kind)
                assertEq(0uL, s.pending(), "pending after the answer")
                val mention = if (kind == "error") "${c.raw("status")}" else null
                checkSplits(wire, want, mention) { decodeClient(1, it) }
            }
        }
        "decode" -> {
            val events = list(c.raw("events")).map { obj(it) }.map { e ->
                if (e.containsKey("packet")) describe(Inbound.Packet(e.hexOf("packet"), false))
                else describe(Inbound.TransportError(e.longOf("transport_error").toInt()))
            }
            val error = c.raw("error")?.let { obj(it) }
            val code = error?.let { errorCodeOfKind(it["kind"] as String) }
            val mention = error?.get("status")?.toString()
            when (c.str("role")) {
                "server" -> {
                    val rejection = error?.get("rejection")?.let { (it as Long).toInt().toUShort() }
                    val transmit = c.optStr("transmit")
                    checkSplits(wire, HttpOutcome(events, code, "rejection=$rejection transmit=$transmit"), mention, ::decodeServer)
                }
                "client" -> {
                    val waiting = (c.raw("waiting") as Long).toInt()
                    val close = c.opt("close") == true
                    checkSplits(wire, HttpOutcome(events, code, "close=$close"), mention) { decodeClient(waiting, it) }
                }
                else -> fail("unknown role ${c.str("role")}")
            }
        }
        else -> fail("unknown kind $kind")
    }
}

/** One test per case of the three transport vector files. */
fun transportVectorTests(): List<Test> {
    val out = ArrayList<Test>()
    fun each(file: String, body: (Case) -> Unit) {
        for (c in Vectors.load(file)) out.add(Test("$file ${c.name}") { body(c) })
    }
    each("transport_framing.json", ::framingCase)
    each("transport_obfuscation.json", ::obfuscationCase)
    each("transport_http.json", ::httpCase)
    return out
}

// ---------------------------------------------------------------------------
// Round trips through ClientTransport and ServerTransport

/** A 16-byte secret, a dd secret (another key) and an ee (fake TLS) secret for example.com, as hex. */
private const val SIMPLE_SECRET = "00112233445566778899aabbccddeeff"
private const val DD_SECRET = "dd0123456789abcdef0123456789abcdef"
private val EE_SECRET = "ee$SIMPLE_SECRET" + "example.com".toByteArray().toHex()

/** Moves everything [from] has to transmit to [to], in chunks of [chunk] bytes. */
private fun pump(from: () -> ByteArray?, to: (ByteArray) -> Unit, chunk: Int) {
    while (true) {
        val bytes = from() ?: return
        var i = 0
        while (i < bytes.size) {
            val end = minOf(bytes.size, i + chunk)
            to(bytes.copyOfRange(i, end))
            i = end
        }
    }
}

private class Link(val client: ClientTransport, val server: ServerTransport, val now: ULong, val chunk: Int) {
    fun up() = pump(client::pollTransmit, { server.handleInput(it, now) }, chunk)
    fun down() = pump(server::pollTransmit, client::handleInput, chunk)
    fun atServer(): List<Inbound> = generateSequence { server.pollInbound() }.toList()
    fun atClient(): List<Inbound> = generateSequence { client.pollInbound() }.toList()
}

/**
 * [n] pattern bytes whose first 32-bit word is positive (a short payload with
 * a negative first word would read as a quick ack or transport error).
 */
private fun payload(n: Int, seed: Int): ByteArray = ByteArray(n) { i -> ((i * 31 + seed) and 0x7f).toByte() }

/** The received packet carries [sent] (padded intermediate may add up to 15 bytes). */
private fun checkPacket(sent: ByteArray, got: Inbound?, quickAck: Boolean, padded: Boolean, what: String) {
    val p = got as? Inbound.Packet ?: fail("$what: expected a packet, got ${got?.let(::describe)}")
    val extra = p.payload.size - sent.size
    check(extra == 0 || (padded && extra in 0..15)) { "$what: ${p.payload.size} bytes for ${sent.size}" }
    assertBytes(sent, p.payload.copyOfRange(0, sent.size), what)
    assertEq(quickAck, p.quickAck, "$what quickAck")
}

private class Setup(val name: String, val client: ClientTransportConfig, val server: ServerTransportConfig,
                    val obfuscated: Boolean, val fakeTls: Boolean, val secretIndex: UInt?)

private fun setups(): List<Setup> {
    val out = ArrayList<Setup>()
    val plainServer = ServerTransportConfig()
    for (k in listOf(TransportKind.ABRIDGED, TransportKind.INTERMEDIATE, TransportKind.PADDED_INTERMEDIATE, TransportKind.FULL)) {
        out.add(Setup("plain $k", ClientTransportConfig(kind = k), plainServer, false, false, null))
    }
    for (k in listOf(TransportKind.ABRIDGED, TransportKind.INTERMEDIATE, TransportKind.PADDED_INTERMEDIATE)) {
        out.add(Setup("obfuscated $k", ClientTransportConfig(kind = k, obfuscate = true, dcId = -4), plainServer, true, false, null))
    }
    val secrets = listOf(SIMPLE_SECRET, DD_SECRET, EE_SECRET)
    val proxy = ServerTransportConfig(secrets = secrets, allowPlain = false, allowObfuscatedWithoutSecret = false, allowHttp = false)
    out.add(Setup("16-byte secret", ClientTransportConfig(kind = TransportKind.INTERMEDIATE, secret = SIMPLE_SECRET, dcId = 2), proxy, true, false, 0u))
    out.add(Setup("dd secret", ClientTransportConfig(kind = TransportKind.PADDED_INTERMEDIATE, secret = DD_SECRET, dcId = 10002), proxy, true, false, 1u))
    out.add(Setup("ee secret (fake TLS)", ClientTransportConfig(kind = TransportKind.PADDED_INTERMEDIATE, secret = EE_SECRET, dcId = 2), proxy, true, true, 2u))
    out.add(Setup("HTTP", ClientTransportConfig(kind = TransportKind.HTTP, httpHost = "example.org:80"), plainServer, false, false, null))
    return out
}

private fun roundTrip(s: Setup, chunk: Int) {
    val now = System.currentTimeMillis().toULong()
    ClientTransport(s.client, now).use { client ->
        ServerTransport(s.server).use { server ->
            val link = Link(client, server, now, chunk)
            val kind = s.client.kind
            val http = kind == TransportKind.HTTP
            val padded = kind == TransportKind.PADDED_INTERMEDIATE
            val quickAcks = kind != TransportKind.FULL && !http
            val obfuscatedDc: Short? = if (s.obfuscated) s.client.dcId else null
            // Client to server, then the answer.
            // (Byte by byte, the 16 KiB payload would only cost time.)
            val sizes = if (chunk == 1) listOf(72, 4, 1024) else listOf(72, 4, 1024, 16 * 1024 + 4)
            for ((i, size) in sizes.withIndex()) {
                val up = payload(size, i)
                client.send(up, false)
                link.up()
                val got = link.atServer()
                assertEq(1, got.size, "${s.name}: packets at the server")
                checkPacket(up, got.firstOrNull(), false, padded, "${s.name} up $size")
                val d = server.detected() ?: fail("${s.name}: nothing detected")
                assertEq(kind, d.kind, "${s.name} detected kind")
                assertEq(s.obfuscated, d.obfuscated, "${s.name} detected obfuscated")
                assertEq(s.fakeTls, d.fakeTls, "${s.name} detected fake TLS")
                assertEq(s.secretIndex, d.secretIndex, "${s.name} detected secret")
                assertEq(obfuscatedDc, d.dcId, "${s.name} detected dc")
                val down = payload(size + 8, i + 100)
                server.send(down)
                link.down()
                val back = link.atClient()
                assertEq(1, back.size, "${s.name}: packets at the client")
                checkPacket(down, back.firstOrNull(), false, padded, "${s.name} down $size")
            }
            // A quick ack where the framing has them.
            val token = quickAckToken(ByteArray(32) { (it * 5).toByte() })
            if (quickAcks) {
                val up = payload(96, 7)
                client.send(up, true)
                link.up()
                checkPacket(up, link.atServer().firstOrNull(), true, padded, "${s.name} quick-ack request")
                server.sendQuickAck(token)
                link.down()
                assertEq(listOf(describe(Inbound.QuickAck(token))), link.atClient().map(::describe), "${s.name} quick ack")
            } else {
                expectCode(611u, "${s.name}: quick ack request") { client.send(payload(8, 1), true) }
            }
            // A transport error (over HTTP it answers a waiting request).
            if (http) {
                client.send(payload(8, 2), false)
                link.up()
                check(link.atServer().size == 1) { "${s.name}: request lost" }
            }
            server.sendTransportError(-404)
            link.down()
            assertEq(listOf(describe(Inbound.TransportError(-404))), link.atClient().map(::describe), "${s.name} transport error")
        }
    }
}

/** Behaviour beyond the vectors: round trips, refusals, sticky errors, argument errors. */
fun transportApiTests(): List<Test> {
    val out = ArrayList<Test>()
    for (s in setups()) {
        for (chunk in listOf(1, 7, 1 shl 20)) {
            out.add(Test("transport round trip ${s.name}, $chunk-byte chunks") { roundTrip(s, chunk) })
        }
    }
    out.add(Test("transport: a wrong secret is refused (605/606) and errors are sticky") {
        val config = ServerTransportConfig(secrets = listOf(DD_SECRET), allowPlain = false,
            allowObfuscatedWithoutSecret = false, allowHttp = false)
        for (clientConfig in listOf(
            ClientTransportConfig(kind = TransportKind.PADDED_INTERMEDIATE, secret = "dd" + "ff".repeat(16)),
            ClientTransportConfig(kind = TransportKind.INTERMEDIATE, obfuscate = true),
            ClientTransportConfig(kind = TransportKind.INTERMEDIATE),
        )) {
            ClientTransport(clientConfig, 0uL).use { c ->
                c.send(payload(72, 1), false)
                ServerTransport(config).use { s ->
                    var code: UInt? = null
                    while (code == null) {
                        val bytes = c.pollTransmit() ?: break
                        code = codeOf { s.handleInput(bytes, 0uL) }
                    }
                    check(code == 605u || code == 606u) { "${clientConfig.kind}: refused with $code" }
                    assertEq(code, codeOf { s.handleInput(ByteArray(4), 0uL) }, "sticky handleInput")
                    assertEq(code, codeOf { s.send(ByteArray(4)) }, "sticky send")
                    assertEq(null, s.detected(), "nothing detected")
                }
            }
        }
        // A client's decoding error is sticky too: an empty abridged packet.
        ClientTransport(ClientTransportConfig(kind = TransportKind.ABRIDGED), 0uL).use { c ->
            assertBytes(byteArrayOf(0xef.toByte()), c.pollTransmit() ?: fail("no header"), "abridged header")
            expectCode(602u, "empty abridged packet") { c.handleInput(byteArrayOf(0)) }
            expectCode(602u, "sticky send") { c.send(ByteArray(8), false) }
            expectCode(602u, "sticky handleInput") { c.handleInput(byteArrayOf(1, 0, 0, 0, 0)) }
        }
    })
    out.add(Test("transport: configuration errors") {
        expectCode(610u, "bad secret text") { ClientTransport(ClientTransportConfig(kind = TransportKind.INTERMEDIATE, secret = "zz"), 0uL) }
        expectCode(610u, "dd secret with intermediate") { ClientTransport(ClientTransportConfig(kind = TransportKind.INTERMEDIATE, secret = DD_SECRET), 0uL) }
        expectCode(611u, "obfuscated HTTP") { ClientTransport(ClientTransportConfig(kind = TransportKind.HTTP, obfuscate = true), 0uL) }
        expectCode(606u, "obfuscated full") { ClientTransport(ClientTransportConfig(kind = TransportKind.FULL, obfuscate = true), 0uL) }
        expectCode(610u, "server with a bad secret") { ServerTransport(ServerTransportConfig(secrets = listOf("00"))) }
        expectCode(611u, "HTTP host with a space") { HttpClient("a b") }
        // Defaults: DC 2, 16 MiB, everything a Telegram server accepts.
        val d = ClientTransportConfig(kind = TransportKind.ABRIDGED)
        assertEq(false, d.obfuscate, "default obfuscate"); assertEq(2.toShort(), d.dcId, "default dc")
        assertEq(null, d.secret, "default secret"); assertEq("", d.httpHost, "default host"); assertEq(MAX_FRAME, d.maxFrame, "default maxFrame")
        val sd = ServerTransportConfig()
        check(sd.secrets.isEmpty() && sd.allowPlain && sd.allowObfuscatedWithoutSecret && sd.allowHttp && sd.maxFrame == MAX_FRAME) { "server defaults $sd" }
    })
    out.add(Test("framing: headers, tokens, random padding and argument errors") {
        assertBytes(hex("ef"), framingHeader(TransportKind.ABRIDGED), "abridged header")
        assertBytes(hex("eeeeeeee"), framingHeader(TransportKind.INTERMEDIATE), "intermediate header")
        assertBytes(hex("dddddddd"), framingHeader(TransportKind.PADDED_INTERMEDIATE), "padded header")
        assertBytes(ByteArray(0), framingHeader(TransportKind.FULL), "full header")
        expectCode(1u, "HTTP header") { framingHeader(TransportKind.HTTP) }
        expectCode(1u, "HTTP codec") { FramingCodec(TransportKind.HTTP, Role.CLIENT, MAX_FRAME) }
        assertEq(0x84030201u, quickAckToken(byteArrayOf(1, 2, 3, 4) + ByteArray(28)), "quickAckToken")
        expectCode(101u, "quickAckToken of 31 bytes") { quickAckToken(ByteArray(31)) }
        assertBytes(byteArrayOf(1, 2, 3), stripPaddedIntermediatePadding(byteArrayOf(1, 2, 3)), "short input unchanged")
        FramingCodec(TransportKind.PADDED_INTERMEDIATE, Role.SERVER, MAX_FRAME).use { server ->
            FramingCodec(TransportKind.PADDED_INTERMEDIATE, Role.CLIENT, MAX_FRAME).use { client ->
                val p = payload(80, 3)
                val sizes = HashSet<Int>()
                repeat(64) { sizes.add(client.encodePacket(p, false).size) }
                check(sizes.size > 1 && sizes.all { it in 84..99 }) { "random padding sizes $sizes" }
                server.feed(client.encodePacket(p, true))
                checkPacket(p, server.poll(), true, true, "padded packet")
                client.feed(server.encodeQuickAck(0x80000001u))
                client.feed(server.encodeTransportError(-429))
                client.feed(server.encodePacket(p, false))
                val got = generateSequence { client.poll() }.toList()
                assertEq(listOf(describe(Inbound.QuickAck(0x80000001u)), describe(Inbound.TransportError(-429))),
                    got.take(2).map(::describe), "control packets")
                checkPacket(p, got.getOrNull(2), false, true, "server packet")
                expectCode(611u, "quick-ack request from the server") { server.encodePacket(p, true) }
                expectCode(611u, "quick-ack reply from the client") { client.encodeQuickAck(0x80000001u) }
                expectCode(602u, "token without its top bit") { server.encodeQuickAck(1u) }
                expectCode(602u, "transport error -1") { server.encodeTransportError(-1) }
                expectCode(602u, "unaligned payload") { client.encodePacket(ByteArray(5), false) }
                expectCode(602u, "padding too long") { client.encodePacketWithPadding(ByteArray(8), false, ByteArray(16)) }
                // Argument errors are not sticky.
                server.feed(client.encodePacket(p, false))
                checkPacket(p, server.poll(), false, true, "after argument errors")
            }
        }
        FramingCodec(TransportKind.ABRIDGED, Role.SERVER, 64uL).use { s ->
            expectCode(601u, "frame over maxFrame") { s.feed(byteArrayOf(17)) }
            expectCode(601u, "sticky") { s.feed(byteArrayOf(1)) }
        }
        FramingCodec(TransportKind.FULL, Role.SERVER, MAX_FRAME).use { s ->
            FramingCodec(TransportKind.FULL, Role.CLIENT, MAX_FRAME).use { c ->
                val a = c.encodePacket(payload(8, 1), false)
                c.encodePacket(payload(8, 2), false)
                val third = c.encodePacket(payload(8, 3), false)
                s.feed(a)
                checkPacket(payload(8, 1), s.poll(), false, false, "full first")
                expectCode(603u, "full sequence gap") { s.feed(third) }
            }
        }
        FramingCodec(TransportKind.FULL, Role.SERVER, MAX_FRAME).use { s ->
            val a = FramingCodec(TransportKind.FULL, Role.CLIENT, MAX_FRAME).use { it.encodePacket(payload(8, 1), false) }
            a[a.size - 1] = (a[a.size - 1].toInt() xor 1).toByte()
            expectCode(604u, "full CRC") { s.feed(a) }
        }
    })
    out.add(Test("HTTP: server answers, rejections and pending counts") {
        HttpClient("example.org").use { c ->
            HttpServer().use { s ->
                assertEq(null, s.rejectionStatus(), "no rejection yet")
                expectCode(611u, "a response with nothing waiting") { s.encodeResponse(ByteArray(4)) }
                s.feed(c.encodeRequest(payload(8, 1)) + c.encodeRequest(payload(8, 2)))
                assertEq(2uL, c.pending(), "client pending")
                checkPacket(payload(8, 1), s.poll(), false, false, "first request")
                checkPacket(payload(8, 2), s.poll(), false, false, "second request")
                assertEq(2uL, s.pending(), "server pending")
                expectCode(611u, "transport error without a status") { s.encodeTransportError(-1) }
                c.feed(s.encodeResponse(payload(12, 3)))
                c.feed(s.encodeTransportError(-429))
                checkPacket(payload(12, 3), c.poll(), false, false, "response")
                assertEq(describe(Inbound.TransportError(-429)), c.poll()?.let(::describe), "transport error")
                assertEq(0uL, c.pending(), "client pending after the answers")
                assertEq(null, s.pollTransmit(), "nothing to transmit")
                expectCode(611u, "error status 200") { s.encodeError(200u) }
            }
        }
        HttpServer().use { s ->
            expectCode(608u, "not HTTP") { s.feed(byteArrayOf(0xef.toByte(), 0x0a) + ByteArray(40)) }
            val status = s.rejectionStatus() ?: fail("no rejection status")
            val answer = String(s.encodeError(status))
            check(answer.startsWith("HTTP/1.1 $status")) { "answer: $answer" }
        }
    })
    out.add(Test("obfuscation helpers: secrets, inits, AES-CTR and argument errors") {
        val raw = hex(EE_SECRET)
        assertBytes(raw, parseProxySecret(EE_SECRET.uppercase()), "hex secret")
        val b64 = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw)
        assertBytes(raw, parseProxySecret(b64), "base64url secret")
        assertBytes(hex(DD_SECRET), parseProxySecret(" $DD_SECRET "), "dd secret")
        expectCode(610u, "15-byte secret") { parseProxySecret("00".repeat(15)) }
        expectCode(610u, "not a secret") { parseProxySecret("not a secret!") }
        expectCode(101u, "63-byte init") { isValidObfuscationInit(ByteArray(63)) }
        val random = ByteArray(64) { (it + 1).toByte() }
        check(isValidObfuscationInit(random)) { "valid random refused" }
        expectCode(606u, "full cannot be obfuscated") { obfuscationInit(random, TransportKind.FULL, 2, null) }
        expectCode(1u, "HTTP cannot be obfuscated") { obfuscationInit(random, TransportKind.HTTP, 2, null) }
        expectCode(610u, "dd secret needs padded") { obfuscationInit(random, TransportKind.ABRIDGED, 2, DD_SECRET) }
        val init = obfuscationInit(random, TransportKind.ABRIDGED, 2, null)
        assertBytes(random.copyOfRange(0, 56), init.header.copyOfRange(0, 56), "header starts with the random")
        // AES-256-CTR.
        val key = ByteArray(32) { 1 }; val iv = ByteArray(16) { 2 }
        val data = payload(48, 5)
        val ct = aesCtrApply(key, iv, data)
        assertBytes(data, aesCtrApply(key, iv, ct), "CTR is its own inverse")
        expectCode(101u, "CTR key of 16 bytes") { aesCtrApply(ByteArray(16), iv, data) }
        expectCode(101u, "CTR iv of 32 bytes") { aesCtrApply(key, ByteArray(32), data) }
        // NIST SP 800-38A F.5.5, first block.
        assertBytes(hex("601ec313775789a5b7a7f504bbf3d228"),
            aesCtrApply(hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"),
                hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), hex("6bc1bee22e409f96e93d7e117393172a")), "NIST CTR")
        expectCode(101u, "key share candidate of 31 bytes") { fakeTlsKeyShare(ByteArray(31)) }
        val order = ByteArray(15) { it.toByte() }
        expectCode(610u, "client hello for a dd secret") { fakeTlsClientHello(DD_SECRET, 0uL, ByteArray(32), ByteArray(7), ByteArray(32), order) }
        expectCode(607u, "extension order not a permutation") { fakeTlsClientHello(EE_SECRET, 0uL, ByteArray(32), ByteArray(7), ByteArray(32), ByteArray(15)) }
        expectCode(101u, "extension order of 14") { fakeTlsClientHello(EE_SECRET, 0uL, ByteArray(32), ByteArray(7), ByteArray(32), ByteArray(14)) }
        expectCode(607u, "server hello without app data") { fakeTlsServerHello(EE_SECRET, ByteArray(32), ByteArray(32), ByteArray(32), ByteArray(0)) }
        expectCode(101u, "server hello with a short client random") { fakeTlsServerHello(EE_SECRET, ByteArray(31), ByteArray(32), ByteArray(32), ByteArray(1)) }
    })
    return out
}
