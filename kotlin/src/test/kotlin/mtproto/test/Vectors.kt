package mtproto.test

import java.io.File

/** One case of a vector file: its fields, with typed accessors. */
class Case(val file: String, private val fields: Map<String, Any?>) {
    val name: String get() = str("name")

    fun str(key: String): String =
        fields[key] as? String ?: throw AssertionError("$file/$name: missing string field '$key'")

    /** A string field that may be absent. */
    fun optStr(key: String): String? = fields[key] as? String

    /** A field as parsed by [Json] (object, array, string, number, ...). */
    fun raw(key: String): Any? =
        if (fields.containsKey(key)) fields[key] else throw AssertionError("$file/$name: missing field '$key'")

    /** A field that may be absent (null then). */
    fun opt(key: String): Any? = fields[key]

    /** A hex field as bytes. */
    fun bytes(key: String): ByteArray = hex(str(key))

    /** A u64 written as a decimal string (JSON numbers cannot hold all of them). */
    fun u64(key: String): ULong = str(key).toULong()

    fun u32(key: String): UInt = when (val v = fields[key]) {
        is Long -> v.toUInt()
        is String -> v.toUInt()
        else -> throw AssertionError("$file/$name: missing number field '$key'")
    }
}

/** The shared vectors in tests/vectors (directory from -Dmtproto.vectors). */
object Vectors {
    val dir: File = File(System.getProperty("mtproto.vectors") ?: "tests/vectors")

    fun load(file: String): List<Case> {
        val root = Json.parse(File(dir, file).readText()) as? Map<*, *>
            ?: throw AssertionError("$file: not a JSON object")
        check(root["version"] == 1L) { "$file: unsupported version ${root["version"]}" }
        val cases = root["cases"] as? List<*> ?: throw AssertionError("$file: no cases")
        check(cases.isNotEmpty()) { "$file: empty" }
        return cases.map { c ->
            @Suppress("UNCHECKED_CAST")
            Case(file, c as Map<String, Any?>)
        }
    }
}

fun hex(s: String): ByteArray {
    require(s.length % 2 == 0) { "odd-length hex" }
    return ByteArray(s.length / 2) { i -> s.substring(2 * i, 2 * i + 2).toInt(16).toByte() }
}

fun ByteArray.toHex(): String = joinToString("") { "%02x".format(it) }
