package mtproto.test

import mtproto.MtprotoException

/** A failed expectation; the runner reports its message. */
class CheckFailed(message: String) : AssertionError(message)

fun fail(message: String): Nothing = throw CheckFailed(message)

fun check(cond: Boolean, message: () -> String) {
    if (!cond) fail(message())
}

fun assertEq(expected: Any?, actual: Any?, what: String) {
    if (expected != actual) fail("$what: expected $expected, got $actual")
}

fun assertBytes(expected: ByteArray, actual: ByteArray, what: String) {
    if (!expected.contentEquals(actual)) {
        fail("$what: expected ${expected.toHex()}, got ${actual.toHex()}")
    }
}

/** Runs [block] and checks that it throws `MtprotoException.Failed` with [code]. */
fun expectCode(code: UInt, what: String, block: () -> Unit) {
    try {
        block()
    } catch (e: MtprotoException.Failed) {
        if (e.code != code) fail("$what: expected code $code, got ${e.code} (${e.reason})")
        if (e.reason.isEmpty()) fail("$what: empty reason")
        return
    }
    fail("$what: expected an MtprotoException with code $code, but nothing was thrown")
}
