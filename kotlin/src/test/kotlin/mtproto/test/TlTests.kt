package mtproto.test

import java.io.File
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import mtproto.MtprotoException
import mtproto.TlCodec

/** The Telegram API schema the TL vectors use (tests/schema/api.tl, next to tests/vectors). */
val apiSchemaFile: File get() = File(Vectors.dir.absoluteFile.parentFile, "schema/api.tl")

/** One codec per schema, shared by every TL test (parsing api.tl takes a moment). */
object Codecs {
    val api: TlCodec by lazy { TlCodec(apiSchemaFile.readText()) }
    val mtproto: TlCodec by lazy { TlCodec.mtproto() }

    fun named(schema: String): TlCodec = when (schema) {
        "api" -> api
        "mtproto" -> mtproto
        else -> fail("unknown schema '$schema'")
    }
}

/** Checks two JSON texts (or a parsed value and a JSON text) denote the same value. */
fun assertJson(expected: Any?, actualText: String, what: String) {
    val actual = try {
        Json.parse(actualText)
    } catch (e: IllegalArgumentException) {
        fail("$what: not JSON (${e.message}): $actualText")
    }
    if (expected != actual) fail("$what: expected ${Json.write(expected)}, got $actualText")
}

/** Runs [block], checks it throws code [code], and returns the reason. */
fun reasonOf(code: UInt, what: String, block: () -> Unit): String {
    try {
        block()
    } catch (e: MtprotoException.Failed) {
        if (e.code != code) fail("$what: expected code $code, got ${e.code} (${e.reason})")
        if (e.reason.isEmpty()) fail("$what: empty reason")
        return e.reason
    }
    fail("$what: expected an MtprotoException with code $code, but nothing was thrown")
}

/** The required call: invokeWithLayer(228, initConnection(..., help.getConfig)). */
const val INIT_CONNECTION_JSON = """{
  "_": "invokeWithLayer",
  "layer": 228,
  "query": {
    "_": "initConnection",
    "api_id": 12345,
    "device_model": "Test device",
    "system_version": "1.0",
    "app_version": "0.1.0",
    "system_lang_code": "en",
    "lang_pack": "",
    "lang_code": "en",
    "query": {"_": "help.getConfig"}
  }
}"""

/** Its bytes, field by field. */
val INIT_CONNECTION_HEX = listOf(
    "0d0d9bda", // invokeWithLayer#da9b0d0d
    "e4000000", // layer 228
    "a95ecdc1", // initConnection#c1cd5ea9
    "00000000", // flags: no proxy, no params
    "39300000", // api_id 12345
    "0b5465737420646576696365", // "Test device"
    "03312e30", // "1.0"
    "05302e312e300000", // "0.1.0"
    "02656e00", // "en"
    "00000000", // ""
    "02656e00", // "en"
    "6b18f9c4", // help.getConfig#c4f9186b
).joinToString("")

/** One test per case of tests/vectors/tl.json. */
fun tlVectorTests(): List<Test> = Vectors.load("tl.json").map { c ->
    Test("tl.json ${c.name}") {
        val codec = Codecs.named(c.str("schema"))
        val json = c.raw("json")
        val text = Json.write(json)
        val bytes = c.bytes("hex")
        val type = c.optStr("type")
        if (type != null) {
            assertBytes(bytes, codec.encodeAs(type, text), "encodeAs($type)")
            assertJson(json, codec.decodeAs(type, bytes), "decodeAs($type)")
        } else {
            assertBytes(bytes, codec.encode(text), "encode")
            assertJson(json, codec.decode(bytes), "decode")
        }
        c.optStr("result_type")?.let { assertEq(it, codec.resultType(text), "resultType") }
    }
}

/** The TL codec beyond the vectors: results, typed values, errors, threads. */
fun tlApiTests(): List<Test> = listOf(
    Test("TlCodec encodes invokeWithLayer(228, initConnection(help.getConfig)) byte for byte and decodes it back") {
        val api = Codecs.api
        val bytes = api.encode(INIT_CONNECTION_JSON)
        assertBytes(hex(INIT_CONNECTION_HEX), bytes, "encode")
        val back = api.decode(bytes)
        assertJson(Json.parse(INIT_CONNECTION_JSON), back, "decode")
        // Decoding emits the canonical form, which encodes to the same bytes.
        assertBytes(bytes, api.encode(back), "re-encode")
        assertEq("Config", api.resultType(INIT_CONNECTION_JSON), "resultType")
    },
    Test("TlCodec.decodeResult sees through invokeWithLayer and initConnection") {
        val api = Codecs.api
        val query = INIT_CONNECTION_JSON.replace("help.getConfig", "help.getNearestDc")
        assertEq("NearestDc", api.resultType(query), "resultType")
        val dc = """{"_": "nearestDc", "country": "NL", "this_dc": 2, "nearest_dc": 4}"""
        val bytes = api.encode(dc)
        assertJson(Json.parse(dc), api.decodeResult(query, bytes), "decodeResult")
        // The MTProto service schema: ping is answered by a pong.
        val mt = Codecs.mtproto
        val ping = """{"_": "ping", "ping_id": "-5"}"""
        assertEq("Pong", mt.resultType(ping), "resultType(ping)")
        val pong = """{"_": "pong", "msg_id": "9223372036854775807", "ping_id": "-5"}"""
        assertJson(Json.parse(pong), mt.decodeResult(ping, mt.encode(pong)), "decodeResult(ping)")
    },
    Test("TlCodec.encodeAs / decodeAs work on bare and boxed types") {
        val api = Codecs.api
        val longs = """["-9223372036854775808", "0", "18"]"""
        val v = api.encodeAs("Vector<long>", longs)
        assertEq(8 + 3 * 8, v.size, "Vector<long> size")
        assertJson(Json.parse(longs), api.decodeAs("Vector<long>", v), "decodeAs Vector<long>")
        assertBytes(hex("b5757299"), api.encodeAs("Bool", "true"), "Bool true")
        assertJson(false, api.decodeAs("Bool", hex("379779bc")), "Bool false")
        assertBytes(hex("feffffff"), api.encodeAs("int", "-2"), "int")
        // A long may be given as a JSON number; it always decodes to a string.
        assertJson("7", api.decodeAs("long", api.encodeAs("long", "7")), "long from a number")
        val peer = api.encodeAs("InputPeer", """{"_": "inputPeerEmpty"}""")
        assertJson(Json.parse("""{"_": "inputPeerEmpty"}"""), api.decodeAs("InputPeer", peer), "InputPeer")
    },
    Test("TL errors carry their code and the path of the field at fault") {
        val api = Codecs.api
        val bad = INIT_CONNECTION_JSON.replace("12345", "\"twelve\"")
        val reason = reasonOf(310u, "api_id \"twelve\"") { api.encode(bad) }
        check(reason.contains("invokeWithLayer.query.api_id")) { "reason has no path: $reason" }
        try {
            api.encode(bad)
        } catch (e: MtprotoException.Failed) {
            val msg = e.message ?: ""
            check(msg.contains("310") && msg.contains("invokeWithLayer.query.api_id")) { "message: $msg" }
        }
        val bytes = hex(INIT_CONNECTION_HEX)
        expectCode(300u, "truncated") { api.decode(bytes.copyOf(bytes.size - 4)) }
        expectCode(300u, "one byte") { api.decode(byteArrayOf(1)) }
        expectCode(300u, "truncated decodeAs") { api.decodeAs("long", hex("01000000")) }
        expectCode(306u, "vector longer than the input") { api.decodeAs("Vector<long>", hex("15c4b51c02000000")) }
        expectCode(301u, "unknown constructor id") { api.decode(hex("01020304")) }
        expectCode(302u, "trailing bytes") { api.decode(bytes + ByteArray(4)) }
        expectCode(311u, "missing field") { api.encode("""{"_": "nearestDc", "country": "NL", "this_dc": 2}""") }
        expectCode(312u, "unknown name") { api.encode("""{"_": "no.suchThing"}""") }
        expectCode(308u, "schema that does not parse") { TlCodec("this is not = a schema line") }
    },
    Test("JSON text that does not parse is InvalidArgument (code 1)") {
        val api = Codecs.api
        for (text in listOf("", "{", "{\"_\": }", "nope", "[1,]")) {
            expectCode(1u, "encode '$text'") { api.encode(text) }
            expectCode(1u, "encodeAs '$text'") { api.encodeAs("Bool", text) }
            expectCode(1u, "resultType '$text'") { api.resultType(text) }
            expectCode(1u, "decodeResult '$text'") { api.decodeResult(text, ByteArray(0)) }
        }
        // Valid JSON of the wrong kind is a TL error instead.
        expectCode(310u, "a number where an object is expected") { api.encode("42") }
    },
    Test("a TlCodec is shared safely between threads") {
        val api = Codecs.api
        val pool = Executors.newFixedThreadPool(4)
        try {
            val jobs = (0 until 8).map { i ->
                pool.submit<Boolean> {
                    val json = INIT_CONNECTION_JSON.replace("228", "${200 + i}")
                    (0 until 25).all {
                        val b = api.encode(json)
                        Json.parse(api.decode(b)) == Json.parse(json)
                    }
                }
            }
            check(jobs.all { it.get(60, TimeUnit.SECONDS) }) { "a thread saw a bad round trip" }
        } finally {
            pool.shutdown()
        }
    },
    Test("TlCodec.mtproto() works inside use { } (AutoCloseable)") {
        TlCodec.mtproto().use { mt ->
            assertJson(Json.parse("""{"_": "msgs_ack", "msg_ids": ["4"]}"""),
                mt.decode(mt.encode("""{"_": "msgs_ack", "msg_ids": ["4"]}""")), "msgs_ack")
        }
    },
)
