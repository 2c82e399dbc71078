package mtproto.test

import kotlin.system.exitProcess

/**
 * The Kotlin test runner: runs every test, prints one line per result and a
 * final `kotlin: N passed, M failed` line that .ci/suites/kotlin.sh parses.
 * Exits non-zero if any test failed.
 */
fun main() {
    var passed = 0
    var failed = 0
    val tests = try {
        vectorTests() + tlVectorTests() + transportVectorTests() + authVectorTests() +
            apiTests() + tlApiTests() + transportApiTests() + authApiTests()
    } catch (e: Throwable) {
        println("FAIL loading the vectors from ${Vectors.dir}: $e")
        println("kotlin: 0 passed, 1 failed")
        exitProcess(1)
    }
    for (t in tests) {
        try {
            t.body()
            passed++
            println("ok   ${t.name}")
        } catch (e: CheckFailed) {
            failed++
            println("FAIL ${t.name}: ${e.message}")
        } catch (e: Throwable) {
            failed++
            println("FAIL ${t.name}: $e")
            e.printStackTrace(System.out)
        }
    }
    println("kotlin: $passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
