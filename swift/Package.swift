// swift-tools-version:5.7
//
// The Swift package over the uniffi bindings of mtproto-core.
//
// Sources/MTProto/MTProto.swift and Sources/MTProtoFFI/MTProtoFFI.h are
// generated (bash .ci/suites/regen-uniffi.sh); Sources/MTProtoFFI/module.modulemap
// is written by hand and links the Rust library `mtproto_uniffi`.
//
// Build and test against the Rust library from the repository root:
//
//   cargo build -p mtproto-uniffi
//   cd swift && swift test -Xlinker -L../target/debug -Xlinker -rpath -Xlinker "$PWD/../target/debug"
//
// (.ci/suites/swift.sh does exactly this.) For a release build use
// `cargo build -p mtproto-uniffi --release` and target/release instead. For
// iOS, link the static library built with
// `cargo rustc -p mtproto-uniffi --lib --crate-type staticlib --target aarch64-apple-ios --release`.
import PackageDescription

let package = Package(
    name: "MTProto",
    platforms: [.macOS(.v10_15), .iOS(.v13)],
    products: [
        .library(name: "MTProto", targets: ["MTProto"]),
    ],
    targets: [
        // The C declarations of the Rust library's exported symbols.
        .systemLibrary(name: "MTProtoFFI", path: "Sources/MTProtoFFI"),
        // The generated Swift API.
        .target(name: "MTProto", dependencies: ["MTProtoFFI"], path: "Sources/MTProto"),
        .testTarget(name: "MTProtoTests", dependencies: ["MTProto"], path: "Tests/MTProtoTests"),
    ]
)
