package mtproto.test

import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import mtproto.AuthKey
import mtproto.Direction
import mtproto.MessageHeader
import mtproto.MtprotoException
import mtproto.deriveV1
import mtproto.deriveV2
import mtproto.handshakeTmpKeyIv
import mtproto.igeDecrypt
import mtproto.igeEncrypt
import mtproto.msgKeyV1
import mtproto.msgKeyV2
import mtproto.openEncrypted
import mtproto.openPlain
import mtproto.sealEncrypted
import mtproto.sealEncryptedWithPadding
import mtproto.sealPlain

/** A named test: the runner calls [body] and reports any throwable as a failure. */
class Test(val name: String, val body: () -> Unit)

fun direction(s: String): Direction = when (s) {
    "client" -> Direction.CLIENT_TO_SERVER
    "server" -> Direction.SERVER_TO_CLIENT
    else -> fail("unknown direction '$s'")
}

/** 256 distinct-looking key bytes (not symmetric, so both directions differ). */
fun sampleKeyBytes(): ByteArray = ByteArray(256) { i -> (i * 7 + 3).toByte() }

/** One test per case of every shared vector file. */
fun vectorTests(): List<Test> {
    val out = ArrayList<Test>()
    fun each(file: String, body: (Case) -> Unit) {
        for (c in Vectors.load(file)) out.add(Test("$file ${c.name}") { body(c) })
    }

    each("ige.json") { c ->
        val key = c.bytes("key"); val iv = c.bytes("iv")
        assertBytes(c.bytes("ciphertext"), igeEncrypt(key, iv, c.bytes("plaintext")), "igeEncrypt")
        assertBytes(c.bytes("plaintext"), igeDecrypt(key, iv, c.bytes("ciphertext")), "igeDecrypt")
    }
    each("auth_key.json") { c ->
        AuthKey(c.bytes("auth_key")).use { k ->
            assertEq(c.u64("id"), k.id(), "id")
            assertBytes(c.bytes("id_wire"), k.idWire(), "idWire")
            assertBytes(c.bytes("aux_hash"), k.auxHash(), "auxHash")
        }
    }
    each("kdf_v2.json") { c ->
        AuthKey(c.bytes("auth_key")).use { k ->
            val dir = direction(c.str("direction"))
            assertBytes(c.bytes("msg_key"), msgKeyV2(k, dir, c.bytes("plaintext")), "msgKeyV2")
            val d = deriveV2(k, dir, c.bytes("msg_key"))
            assertBytes(c.bytes("aes_key"), d.key, "deriveV2 key")
            assertBytes(c.bytes("aes_iv"), d.iv, "deriveV2 iv")
        }
    }
    each("kdf_v1.json") { c ->
        AuthKey(c.bytes("auth_key")).use { k ->
            val dir = direction(c.str("direction"))
            assertBytes(c.bytes("msg_key"), msgKeyV1(c.bytes("plaintext")), "msgKeyV1")
            val d = deriveV1(k, dir, c.bytes("msg_key"))
            assertBytes(c.bytes("aes_key"), d.key, "deriveV1 key")
            assertBytes(c.bytes("aes_iv"), d.iv, "deriveV1 iv")
        }
    }
    each("handshake_tmp_key.json") { c ->
        val d = handshakeTmpKeyIv(c.bytes("new_nonce"), c.bytes("server_nonce"))
        assertBytes(c.bytes("tmp_aes_key"), d.key, "tmp key")
        assertBytes(c.bytes("tmp_aes_iv"), d.iv, "tmp iv")
    }
    each("envelope.json") { c ->
        AuthKey(c.bytes("auth_key")).use { k ->
            val dir = direction(c.str("direction"))
            val header = MessageHeader(c.u64("salt"), c.u64("session_id"), c.u64("msg_id"), c.u32("seq_no"))
            val wire = sealEncryptedWithPadding(k, dir, header, c.bytes("body"), c.bytes("padding"))
            assertBytes(c.bytes("wire"), wire, "sealEncryptedWithPadding")
            val m = openEncrypted(k, dir, c.bytes("wire"))
            assertEq(header, m.header, "header")
            assertBytes(c.bytes("body"), m.body, "body")
            // What one direction sealed, the other direction's keys cannot open.
            val other = if (dir == Direction.CLIENT_TO_SERVER) Direction.SERVER_TO_CLIENT else Direction.CLIENT_TO_SERVER
            expectCode(200u, "open in the wrong direction") { openEncrypted(k, other, wire) }
        }
    }
    each("plain.json") { c ->
        assertBytes(c.bytes("wire"), sealPlain(c.u64("msg_id"), c.bytes("body")), "sealPlain")
        val m = openPlain(c.bytes("wire"))
        assertEq(c.u64("msg_id"), m.msgId, "msgId")
        assertBytes(c.bytes("body"), m.body, "body")
    }
    return out
}

/** Behaviour beyond the vectors: random padding, tampering, error codes. */
fun apiTests(): List<Test> = listOf(
    Test("sealEncrypted round trip in both directions with random padding") {
        AuthKey(sampleKeyBytes()).use { k ->
            // u64 values above Long.MAX_VALUE must survive the crossing.
            val header = MessageHeader(ULong.MAX_VALUE, 0x8000_0000_0000_0001uL, 0x51e5_7ac4_2e00_0004uL, 7u)
            val body = ByteArray(40) { it.toByte() }
            for (dir in Direction.entries) {
                val a = sealEncrypted(k, dir, header, body)
                val b = sealEncrypted(k, dir, header, body)
                check(!a.contentEquals(b)) { "$dir: two seals with random padding are identical" }
                for (wire in listOf(a, b)) {
                    check((wire.size - 24) % 16 == 0) { "$dir: ciphertext not whole blocks" }
                    val pad = wire.size - 24 - 32 - body.size
                    check(pad in 12..1024) { "$dir: padding $pad out of range" }
                    assertBytes(k.idWire(), wire.copyOfRange(0, 8), "$dir auth_key_id")
                    val m = openEncrypted(k, dir, wire)
                    assertEq(header, m.header, "$dir header")
                    assertBytes(body, m.body, "$dir body")
                }
            }
        }
    },
    Test("a tampered message is rejected with code 200") {
        AuthKey(sampleKeyBytes()).use { k ->
            val header = MessageHeader(1uL, 2uL, 4uL, 1u)
            val wire = sealEncrypted(k, Direction.SERVER_TO_CLIENT, header, ByteArray(16) { 1 })
            // Flip one bit in the auth_key_id, the msg_key, the first and the last ciphertext block.
            for (at in listOf(0, 8, 23, 24, 40, wire.size - 1)) {
                val bad = wire.copyOf()
                bad[at] = (bad[at].toInt() xor 1).toByte()
                expectCode(200u, "flip byte $at") { openEncrypted(k, Direction.SERVER_TO_CLIENT, bad) }
            }
            expectCode(200u, "truncated") { openEncrypted(k, Direction.SERVER_TO_CLIENT, wire.copyOf(wire.size - 16)) }
            expectCode(200u, "empty") { openEncrypted(k, Direction.SERVER_TO_CLIENT, ByteArray(0)) }
            AuthKey(ByteArray(256) { 9 }).use { other ->
                expectCode(200u, "another key") { openEncrypted(other, Direction.SERVER_TO_CLIENT, wire) }
            }
        }
    },
    Test("errors carry the core's stable codes") {
        val k32 = ByteArray(32); val iv32 = ByteArray(32)
        expectCode(100u, "igeEncrypt 17 bytes") { igeEncrypt(k32, iv32, ByteArray(17)) }
        expectCode(100u, "igeDecrypt 15 bytes") { igeDecrypt(k32, iv32, ByteArray(15)) }
        expectCode(101u, "igeEncrypt 31-byte key") { igeEncrypt(ByteArray(31), iv32, ByteArray(16)) }
        expectCode(101u, "igeDecrypt 16-byte iv") { igeDecrypt(k32, ByteArray(16), ByteArray(16)) }
        expectCode(101u, "AuthKey from 255 bytes") { AuthKey(ByteArray(255)) }
        expectCode(101u, "AuthKey from 257 bytes") { AuthKey(ByteArray(257)) }
        expectCode(101u, "handshakeTmpKeyIv 31-byte new_nonce") { handshakeTmpKeyIv(ByteArray(31), ByteArray(16)) }
        expectCode(101u, "handshakeTmpKeyIv 17-byte server_nonce") { handshakeTmpKeyIv(ByteArray(32), ByteArray(17)) }
        expectCode(201u, "openPlain on 3 bytes") { openPlain(byteArrayOf(1, 2, 3)) }
        expectCode(203u, "sealPlain unaligned body") { sealPlain(4uL, ByteArray(3)) }
        AuthKey(sampleKeyBytes()).use { k ->
            val h = MessageHeader(1uL, 2uL, 4uL, 1u)
            expectCode(101u, "deriveV2 15-byte msg_key") { deriveV2(k, Direction.CLIENT_TO_SERVER, ByteArray(15)) }
            expectCode(101u, "deriveV1 17-byte msg_key") { deriveV1(k, Direction.CLIENT_TO_SERVER, ByteArray(17)) }
            expectCode(202u, "padding too short") { sealEncryptedWithPadding(k, Direction.CLIENT_TO_SERVER, h, ByteArray(8), ByteArray(8)) }
            expectCode(202u, "padding misaligned") { sealEncryptedWithPadding(k, Direction.CLIENT_TO_SERVER, h, ByteArray(4), ByteArray(13)) }
            expectCode(203u, "sealEncrypted unaligned body") { sealEncrypted(k, Direction.CLIENT_TO_SERVER, h, ByteArray(5)) }
        }
    },
    Test("the exception is an MtprotoException with a readable message") {
        try {
            AuthKey(ByteArray(255))
            fail("no exception")
        } catch (e: MtprotoException) {
            check(e is MtprotoException.Failed) { "not Failed: $e" }
            val msg = e.message ?: ""
            check(msg.contains("101") && msg.contains("256") && msg.contains("255")) { "message: $msg" }
        }
    },
    Test("AuthKey never prints its bytes and the directions differ") {
        val bytes = ByteArray(256) { 0xab.toByte() }
        AuthKey(bytes).use { k ->
            val s = k.toString()
            check(!s.lowercase().contains("abab")) { "toString shows key bytes: $s" }
            assertEq(8, k.idWire().size, "idWire size")
            assertEq(8, k.auxHash().size, "auxHash size")
        }
        AuthKey(sampleKeyBytes()).use { k ->
            val mk = msgKeyV2(k, Direction.CLIENT_TO_SERVER, ByteArray(64))
            assertEq(16, mk.size, "msg_key size")
            check(!mk.contentEquals(msgKeyV2(k, Direction.SERVER_TO_CLIENT, ByteArray(64)))) { "msg_key same both ways" }
            val a = deriveV2(k, Direction.CLIENT_TO_SERVER, mk)
            val b = deriveV2(k, Direction.SERVER_TO_CLIENT, mk)
            assertEq(32, a.key.size, "aes key size")
            check(!a.key.contentEquals(b.key)) { "derived key same both ways" }
        }
    },
    Test("an AuthKey is shared safely between threads") {
        AuthKey(sampleKeyBytes()).use { k ->
            val header = MessageHeader(5uL, 6uL, 8uL, 3u)
            val pool = Executors.newFixedThreadPool(4)
            try {
                val jobs = (0 until 8).map { i ->
                    pool.submit<Boolean> {
                        val body = ByteArray(4 * i) { i.toByte() }
                        (0 until 25).all {
                            val w = sealEncrypted(k, Direction.CLIENT_TO_SERVER, header, body)
                            openEncrypted(k, Direction.CLIENT_TO_SERVER, w).body.contentEquals(body)
                        }
                    }
                }
                check(jobs.all { it.get(60, TimeUnit.SECONDS) }) { "a thread saw a bad round trip" }
            } finally {
                pool.shutdown()
            }
        }
    },
)
