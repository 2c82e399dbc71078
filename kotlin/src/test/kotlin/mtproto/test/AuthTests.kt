package mtproto.test

import java.io.File
import mtproto.AuthKeyStore
import mtproto.ClientHandshake
import mtproto.CreatedAuthKey
import mtproto.RsaPrivateKey
import mtproto.RsaPublicKey
import mtproto.ServerHandshake
import mtproto.bindTempAuthKeyQuery
import mtproto.bindTempAuthKeyQueryWith
import mtproto.verifyBindTempAuthKey

/** Telegram's production key fingerprint (0xd09d1d85de64fd85 as a signed long). */
private const val TELEGRAM_PRODUCTION_FINGERPRINT = -3414540481677951611L

/** The 2048-bit test RSA key handshake.json uses (tests/vectors/rsa_test_key.pem). */
private val testKeyPem: String by lazy { File(Vectors.dir, "rsa_test_key.pem").readText() }

@Suppress("UNCHECKED_CAST")
private fun authObj(v: Any?): Map<String, Any?> = v as? Map<String, Any?> ?: fail("expected a JSON object, found $v")

private fun authList(v: Any?): List<Any?> = v as? List<Any?> ?: fail("expected a JSON array, found $v")

private fun Map<String, Any?>.hexAt(key: String): ByteArray = hex(this[key] as? String ?: fail("missing hex field '$key'"))

private fun Map<String, Any?>.numAt(key: String): Long = this[key] as? Long ?: fail("missing number field '$key'")

private fun Case.num(key: String): Long = raw(key) as? Long ?: fail("$name: '$key' is not a number")

/** A signed 64-bit value written as a decimal string (fingerprints, salts, nonces). */
private fun Case.i64(key: String): Long = str(key).toLong()

/** The TL bodies one side sent, in order. */
private fun bodies(c: Case, sender: String): List<ByteArray> =
    authList(c.raw("messages")).map { authObj(it) }.filter { it["sender"] == sender }.map { it.hexAt("body") }

/** Checks a created key against the case's auth_key, auth_key_id, server_salt, dc and expires_at. */
private fun checkCreated(c: Case, key: CreatedAuthKey, side: String) {
    assertBytes(c.bytes("auth_key"), key.authKey, "$side auth_key")
    assertEq(c.u64("auth_key_id"), key.authKeyId, "$side auth_key_id")
    assertEq(c.i64("server_salt"), key.firstSalt, "$side first salt")
    assertEq(c.num("server_time").toInt(), key.serverTime, "$side server time")
    assertEq(c.num("dc").toInt(), key.dcId, "$side dc")
    assertEq(c.num("expires_at").toInt(), key.expiresAt, "$side expires_at")
    assertEq(0L, key.timeOffsetMs, "$side time offset")
}

// ---------------------------------------------------------------------------
// handshake.json

/** The client replays its recorded randomness and must send exactly the recorded bodies. */
private fun exchangeClient(c: Case) {
    val client = authObj(c.raw("client"))
    val sent = bodies(c, "client")
    val received = bodies(c, "server")
    val attempts = authList(client["attempts"]).map { authObj(it) }
    val now = (c.num("server_time") * 1000).toULong()
    ClientHandshake(listOf(RsaPublicKey.fromPem(c.str("rsa_public_key"))), c.num("dc").toInt(),
        c.num("expires_in").toInt()).use { h ->
        assertEq("new", h.stateName(), "initial state")
        assertBytes(sent[0], h.startWith(client.hexAt("nonce")), "req_pq_multi")
        assertBytes(sent[1], h.handleResPqWith(received[0], client.hexAt("new_nonce"), client.hexAt("rsa_padding"),
            client.hexAt("rsa_temp_key")), "req_DH_params")
        assertBytes(sent[2], h.handleServerDhParamsWith(received[1], now, attempts[0].hexAt("b"),
            attempts[0].hexAt("padding")), "set_client_DH_params")
        for ((i, answer) in received.drop(2).withIndex()) {
            val next = attempts.getOrElse(i + 1) { attempts[0] }
            val out = h.handleDhGenWith(answer, next.hexAt("b"), next.hexAt("padding"))
            if (out != null) {
                assertBytes(sent[3 + i], out, "set_client_DH_params after retry $i")
            } else {
                assertEq(received.size - 2, i + 1, "answers before the key exists")
            }
        }
        check(h.isDone()) { "client not done" }
        assertEq("done", h.stateName(), "final state")
        assertEq(null, h.errorCode(), "error code")
        assertEq(null, h.errorMessage(), "error message")
        checkCreated(c, h.createdKey() ?: fail("no created key"), "client")
    }
}

/** The server replays its recorded randomness and must send exactly the recorded bodies. */
private fun exchangeServer(c: Case) {
    val server = authObj(c.raw("server"))
    val sent = bodies(c, "server")
    val received = bodies(c, "client")
    val now = (c.num("server_time") * 1000).toULong()
    val privateKey = RsaPrivateKey.fromPem(c.str("rsa_private_key"))
    assertEq(c.i64("fingerprint"), privateKey.fingerprint(), "fingerprint")
    val store = AuthKeyStore()
    for (k in authList(server["known_keys"])) {
        check(store.insertPermanent(hex(k as String), 0)) { "known key not inserted" }
    }
    for (id in authList(server["known_key_ids"])) {
        check(store.contains((id as String).toULong())) { "known key id $id not in the store" }
    }
    ServerHandshake(listOf(privateKey), c.num("g").toInt(), c.bytes("dh_prime"), null, null).use { h ->
        assertBytes(sent[0], h.handleReqPqWith(received[0], server.hexAt("server_nonce"),
            server.numAt("p").toUInt(), server.numAt("q").toUInt()), "resPQ")
        assertBytes(sent[1], h.handleReqDhParamsWith(received[1], now, server.hexAt("a"),
            server.hexAt("answer_padding")), "server_DH_params_ok")
        for ((i, body) in received.drop(2).withIndex()) {
            assertBytes(sent[2 + i], h.handleSetClientDhParams(body, store), "dh_gen answer $i")
        }
        check(h.isDone()) { "server not done" }
        assertEq(null, h.errorCode(), "error code")
        assertEq(null, h.errorMessage(), "error message")
        val key = h.createdKey() ?: fail("no created key")
        checkCreated(c, key, "server")
        check(store.contains(key.authKeyId)) { "the created key is not in the store" }
    }
}

/** The query is reproduced from its randomness, and a server holding both keys accepts it. */
private fun bindCase(c: Case) {
    val expiresAt = c.num("expires_at").toInt()
    val tempId = c.u64("temp_auth_key_id")
    val session = c.u64("temp_session_id")
    val msgId = c.u64("msg_id")
    val query = bindTempAuthKeyQueryWith(c.bytes("perm_auth_key"), tempId, session, msgId, c.i64("nonce"),
        expiresAt, c.bytes("random"), c.bytes("padding"))
    assertBytes(c.bytes("query"), query, "query")
    AuthKeyStore().use { store ->
        check(store.insertPermanent(c.bytes("perm_auth_key"), 2)) { "perm key not inserted" }
        check(store.insertTemporary(c.bytes("temp_auth_key"), 2, expiresAt)) { "temp key not inserted" }
        check(store.contains(c.u64("perm_auth_key_id"))) { "perm_auth_key_id is not the perm key's id" }
        check(store.contains(tempId)) { "temp_auth_key_id is not the temp key's id" }
        val now = ((expiresAt - 86400).toLong() * 1000).toULong()
        assertEq(null, store.boundPermanent(tempId, now), "bound before the query")
        val b = verifyBindTempAuthKey(store, query, tempId, session, msgId, now)
        assertEq(c.u64("perm_auth_key_id"), b.permAuthKeyId, "perm id")
        assertEq(tempId, b.tempAuthKeyId, "temp id")
        assertEq(session, b.tempSessionId, "session")
        assertEq(c.i64("nonce"), b.nonce, "nonce")
        assertEq(expiresAt, b.expiresAt, "expires_at")
        assertEq(c.u64("perm_auth_key_id"), store.boundPermanent(tempId, now), "bound permanent key")
    }
}

/** One test per case of tests/vectors/handshake.json (exchanges: one per side). */
fun authVectorTests(): List<Test> {
    val out = ArrayList<Test>()
    for (c in Vectors.load("handshake.json")) {
        val name = "handshake.json ${c.name}"
        when (val kind = c.str("kind")) {
            "exchange" -> {
                out.add(Test("$name (client)") { exchangeClient(c) })
                out.add(Test("$name (server)") { exchangeServer(c) })
            }
            "bind" -> out.add(Test(name) { bindCase(c) })
            "rsa_old_scheme" -> out.add(Test(name) {
                val data = c.bytes("data")
                val got = RsaPrivateKey.fromPem(c.str("rsa_private_key")).decryptOldScheme(c.bytes("encrypted"), data.size.toUInt())
                assertBytes(data, got, "decrypted data")
            })
            "fingerprint" -> out.add(Test(name) {
                assertEq(c.i64("fingerprint"), RsaPublicKey.fromPem(c.str("pem")).fingerprint(), "fingerprint")
            })
            else -> out.add(Test(name) { fail("unknown kind '$kind'") })
        }
    }
    return out
}

// ---------------------------------------------------------------------------
// Live exchanges, binding and errors

private fun nowMs(): ULong = System.currentTimeMillis().toULong()

/** Drives a client and a server against each other until the client has its key. */
private fun exchange(client: ClientHandshake, server: ServerHandshake, store: AuthKeyStore): Pair<CreatedAuthKey, CreatedAuthKey> {
    var toServer = client.start()
    for (round in 0 until 10) {
        val toClient = server.handle(toServer, nowMs(), store)
        val next = client.handle(toClient, nowMs())
        if (next == null) {
            check(client.isDone() && server.isDone()) { "done: client ${client.isDone()}, server ${server.isDone()}" }
            return Pair(client.createdKey() ?: fail("client: no key"), server.createdKey() ?: fail("server: no key"))
        }
        toServer = next
    }
    fail("the exchange did not finish in 10 rounds")
}

/** Both sides created the same key. */
private fun checkSameKey(c: CreatedAuthKey, s: CreatedAuthKey, what: String) {
    assertEq(256, c.authKey.size, "$what key size")
    assertBytes(c.authKey, s.authKey, "$what key")
    assertEq(c.authKeyId, s.authKeyId, "$what key id")
    assertEq(c.firstSalt, s.firstSalt, "$what salt")
    assertEq(c.serverTime, s.serverTime, "$what server time")
    assertEq(c.dcId, s.dcId, "$what dc")
    assertEq(c.expiresAt, s.expiresAt, "$what expires_at")
    assertEq(0L, s.timeOffsetMs, "$what server time offset")
}

/** Behaviour beyond the vectors: live exchanges with OS randomness, binding, the store, errors. */
fun authApiTests(): List<Test> = listOf(
    Test("auth: RSA keys convert both ways; a generated key round-trips through PEM") {
        RsaPublicKey.telegramProduction().use { k ->
            assertEq(TELEGRAM_PRODUCTION_FINGERPRINT, k.fingerprint(), "production fingerprint")
            assertEq(256, k.modulus().size, "modulus size")
            assertBytes(byteArrayOf(1, 0, 1), k.exponent(), "exponent")
            check(k.toPem().startsWith("-----BEGIN RSA PUBLIC KEY-----")) { "PEM: ${k.toPem()}" }
            assertEq(k.fingerprint(), RsaPublicKey.fromPem(k.toPem()).fingerprint(), "PEM round trip")
            RsaPublicKey.fromComponents(k.modulus(), k.exponent()).use { built ->
                assertEq(k.fingerprint(), built.fingerprint(), "fromComponents fingerprint")
                assertEq(k.toPem(), built.toPem(), "fromComponents PEM")
            }
            expectCode(414u, "a 1024-bit modulus") { RsaPublicKey.fromComponents(k.modulus().copyOf(128), k.exponent()) }
            expectCode(414u, "exponent 1") { RsaPublicKey.fromComponents(k.modulus(), byteArrayOf(1)) }
            check(RsaPublicKey.telegramTest().fingerprint() != k.fingerprint()) { "test key = production key" }
        }
        val generated = RsaPrivateKey.generate()
        val public = generated.publicKey()
        assertEq(generated.fingerprint(), public.fingerprint(), "public key fingerprint")
        assertEq(256, public.modulus().size, "generated modulus size")
        val again = RsaPrivateKey.fromPem(generated.toPem())
        assertEq(generated.fingerprint(), again.fingerprint(), "private PEM round trip")
        check(generated.toPem().startsWith("-----BEGIN RSA PRIVATE KEY-----")) { "private PEM label" }
        check(!generated.toString().contains("PRIVATE")) { "toString shows the key" }
    },
    Test("auth: live permanent and temporary exchanges, then binding the temporary key") {
        val key = RsaPrivateKey.generate()
        val store = AuthKeyStore()
        assertEq(0u, store.len(), "empty store")
        check(store.isEmpty()) { "a new store is not empty" }
        val (perm, permServer) = exchange(ClientHandshake(listOf(key.publicKey()), 2, 0),
            ServerHandshake(listOf(key), 0, ByteArray(0), 2, null), store)
        checkSameKey(perm, permServer, "permanent")
        assertEq(2, perm.dcId, "dc")
        assertEq(0, perm.expiresAt, "permanent expires_at")
        check(store.contains(perm.authKeyId)) { "permanent key not in the store" }
        // The test key and a custom group: the same exchange.
        val testKey = RsaPrivateKey.fromPem(testKeyPem)
        val (temp, tempServer) = exchange(ClientHandshake(listOf(RsaPublicKey.telegramProduction(), testKey.publicKey()), 2, 3600),
            ServerHandshake(listOf(testKey), 3, ByteArray(0), null, 7200), store)
        checkSameKey(temp, tempServer, "temporary")
        assertEq(temp.serverTime + 3600, temp.expiresAt, "temporary expires_at")
        check(store.contains(temp.authKeyId)) { "temporary key not in the store" }
        assertEq(2u, store.len(), "two keys")
        check(!store.isEmpty()) { "a store with two keys is empty" }
        check(!perm.authKey.contentEquals(temp.authKey)) { "two exchanges made the same key" }

        val session = 0x1234_5678_9abc_def0uL
        val msgId = (System.currentTimeMillis() / 1000).toULong() shl 32
        val now = nowMs()
        val q = bindTempAuthKeyQuery(perm.authKey, temp.authKeyId, session, msgId, temp.expiresAt)
        assertEq(null, store.boundPermanent(temp.authKeyId, now), "bound before the query")
        // A query checked against another session binds nothing.
        expectCode(417u, "another session") { verifyBindTempAuthKey(store, q.query, temp.authKeyId, session + 1uL, msgId, now) }
        val b = verifyBindTempAuthKey(store, q.query, temp.authKeyId, session, msgId, now)
        assertEq(perm.authKeyId, b.permAuthKeyId, "binding perm id")
        assertEq(temp.authKeyId, b.tempAuthKeyId, "binding temp id")
        assertEq(session, b.tempSessionId, "binding session")
        assertEq(q.nonce, b.nonce, "binding nonce")
        assertEq(temp.expiresAt, b.expiresAt, "binding expires_at")
        assertEq(perm.authKeyId, store.boundPermanent(temp.authKeyId, now), "bound permanent key")
        // Removing the permanent key unbinds; expiry drops the temporary key.
        check(store.remove(perm.authKeyId)) { "remove" }
        assertEq(null, store.boundPermanent(temp.authKeyId, now), "bound after removing the permanent key")
        assertEq(1u, store.removeExpired((temp.expiresAt.toLong() * 1000).toULong()), "expired keys dropped")
        assertEq(0u, store.len(), "empty again")
        check(store.isEmpty()) { "isEmpty after removing every key" }
    },
    Test("auth: the key store") {
        AuthKeyStore().use { store ->
            val a = ByteArray(256) { (it * 3 + 1).toByte() }
            val b = ByteArray(256) { (it * 5 + 2).toByte() }
            check(store.isEmpty()) { "a new store is not empty" }
            check(store.insertPermanent(a, 2)) { "insert a" }
            check(!store.isEmpty()) { "empty after an insert" }
            check(!store.insertPermanent(a, 2)) { "a inserted twice" }
            check(!store.insertTemporary(a, 2, 100)) { "a inserted again as temporary" }
            check(store.insertTemporary(b, 2, 100)) { "insert b" }
            assertEq(2u, store.len(), "len")
            assertEq(0u, store.removeExpired(99_999uL), "nothing expired at 99.999 s")
            assertEq(1u, store.removeExpired(100_000uL), "b expired at 100 s")
            assertEq(1u, store.len(), "len after expiry")
            expectCode(101u, "255-byte key") { store.insertPermanent(ByteArray(255), 2) }
            expectCode(101u, "257-byte key") { store.insertTemporary(ByteArray(257), 2, 100) }
            check(!store.remove(1uL)) { "removed an unknown key" }
            check(!store.contains(1uL)) { "contains an unknown key" }
        }
    },
    Test("auth: errors carry the core's codes (402, 401, 411/416, 101, 414, 407/408, 415, 417, 418)") {
        val key = RsaPrivateKey.fromPem(testKeyPem)
        val store = AuthKeyStore()
        // A resPQ echoing another nonce.
        ServerHandshake(listOf(key), 0, ByteArray(0), null, null).use { server ->
            ClientHandshake(listOf(key.publicKey()), 2, 0).use { client ->
                val resPq = server.handle(client.start(), nowMs(), store)
                resPq[4] = (resPq[4].toInt() xor 1).toByte()
                assertEq(null, client.errorCode(), "client error code before the error")
                assertEq(null, client.errorMessage(), "client error message before the error")
                expectCode(402u, "resPQ with a wrong nonce") { client.handle(resPq, nowMs()) }
                assertEq("failed", client.stateName(), "state after the error")
                assertEq(402u, client.errorCode(), "client error code")
                check(!client.errorMessage().isNullOrEmpty()) { "no client error message" }
                expectCode(402u, "the error is sticky") { client.handle(ByteArray(4), nowMs()) }
                assertEq(null, client.createdKey(), "no key")
            }
        }
        // A second start.
        ClientHandshake(listOf(key.publicKey()), 2, 0).use { client ->
            expectCode(401u, "handle before start") { client.handle(ByteArray(8), nowMs()) }
            client.start()
            expectCode(401u, "second start") { client.start() }
            expectCode(401u, "startWith after start") { client.startWith(ByteArray(16)) }
            assertEq(null, client.errorCode(), "a call out of order does not end the exchange")
        }
        // A server for DC 4 refuses a client of DC 2 with server_DH_params_fail.
        ServerHandshake(listOf(key), 3, ByteArray(0), 4, null).use { server ->
            ClientHandshake(listOf(key.publicKey()), 2, 0).use { client ->
                val reqDh = client.handle(server.handle(client.start(), nowMs(), store), nowMs()) ?: fail("no req_DH_params")
                val refusal = server.handle(reqDh, nowMs(), store)
                assertEq(416u, server.errorCode(), "server error code")
                check(!server.errorMessage().isNullOrEmpty()) { "no server error message" }
                assertEq("failed", server.stateName(), "server state")
                check(!server.isDone()) { "server done" }
                expectCode(411u, "client given server_DH_params_fail") { client.handle(refusal, nowMs()) }
                assertEq(411u, client.errorCode(), "client error code after the refusal")
                expectCode(416u, "the server's error is sticky") { server.handle(reqDh, nowMs(), store) }
            }
        }
        assertEq(0u, store.len(), "no key was created")
        // Wrong lengths.
        ClientHandshake(listOf(key.publicKey()), 2, 0).use { client ->
            expectCode(101u, "15-byte nonce") { client.startWith(ByteArray(15)) }
            assertEq("new", client.stateName(), "a length error changes nothing")
            assertEq(20, client.startWith(ByteArray(16)).size, "req_pq_multi size")
            expectCode(101u, "31-byte new_nonce") { client.handleResPqWith(ByteArray(4), ByteArray(31), ByteArray(0), ByteArray(32)) }
        }
        ServerHandshake(listOf(key), 0, ByteArray(0), null, null).use { server ->
            expectCode(101u, "15-byte server_nonce") { server.handleReqPqWith(ByteArray(20), ByteArray(15), 2u, 3u) }
        }
        expectCode(101u, "7-byte binding padding") {
            bindTempAuthKeyQueryWith(ByteArray(256), 1uL, 2uL, 3uL, 4L, 5, ByteArray(16), ByteArray(7))
        }
        expectCode(101u, "15-byte binding random") {
            bindTempAuthKeyQueryWith(ByteArray(256), 1uL, 2uL, 3uL, 4L, 5, ByteArray(15), ByteArray(8))
        }
        expectCode(101u, "255-byte permanent key") { bindTempAuthKeyQuery(ByteArray(255), 1uL, 2uL, 3uL, 5) }
        expectCode(1u, "negative expires_in") { ClientHandshake(listOf(key.publicKey()), 2, -1) }
        // Keys and groups.
        expectCode(414u, "garbage public PEM") { RsaPublicKey.fromPem("garbage") }
        expectCode(414u, "garbage private PEM") { RsaPrivateKey.fromPem("garbage") }
        expectCode(414u, "a public key as a private key") { RsaPrivateKey.fromPem(key.publicKey().toPem()) }
        expectCode(408u, "g = 2 with Telegram's prime") { ServerHandshake(listOf(key), 2, ByteArray(0), null, null) }
        expectCode(407u, "a prime that is not prime") { ServerHandshake(listOf(key), 2, ByteArray(256) { -1 }, null, null) }
        expectCode(415u, "old scheme with a wrong hash") { key.decryptOldScheme(ByteArray(256) { 1 }, 10u) }
        assertEq(TELEGRAM_PRODUCTION_FINGERPRINT, RsaPublicKey.telegramProduction().fingerprint(), "production fingerprint")
        // Binding to keys the store does not hold.
        AuthKeyStore().use { empty ->
            val q = bindTempAuthKeyQuery(ByteArray(256) { 7 }, 1uL, 2uL, 3uL, Int.MAX_VALUE)
            expectCode(418u, "unknown temporary key") { verifyBindTempAuthKey(empty, q.query, 1uL, 2uL, 3uL, nowMs()) }
            expectCode(300u, "a truncated query") { verifyBindTempAuthKey(empty, q.query.copyOf(10), 1uL, 2uL, 3uL, nowMs()) }
        }
    },
)
