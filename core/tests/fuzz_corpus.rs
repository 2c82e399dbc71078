//! Replays every fuzz corpus in `core/fuzz/corpus/` as an ordinary test, with
//! the same checks the fuzz targets run. Seeds named `encrypted-*`, `plain-*`
//! or `vector-*` must also still open or decode, so the corpus keeps reaching deep paths.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

include!("../fuzz/checks/envelope_open.rs");
include!("../fuzz/checks/http_decode.rs");
include!("../fuzz/checks/tl_decode.rs");
include!("../fuzz/checks/transport_detect.rs");
include!("../fuzz/checks/transport_framing.rs");
include!("../fuzz/checks/obfuscation_common.rs");
include!("../fuzz/checks/obfuscated_init.rs");
include!("../fuzz/checks/fake_tls_client_hello.rs");
include!("../fuzz/checks/fake_tls_server_hello.rs");
include!("../fuzz/checks/tls_record_reader.rs");
include!("../fuzz/checks/auth_common.rs");
include!("../fuzz/checks/auth_client.rs");
include!("../fuzz/checks/auth_server.rs");
include!("../fuzz/checks/auth_bind.rs");

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = format!("{}/fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "empty corpus {dir}");
    files
}

#[test]
fn envelope_open_corpus() {
    for (name, data) in corpus("envelope_open") {
        let opened = envelope_open(&data);
        if name.starts_with("encrypted-") || name.starts_with("plain-") {
            assert!(opened, "seed {name} no longer opens");
        }
    }
}

#[test]
fn tl_decode_corpus() {
    for (name, data) in corpus("tl_decode") {
        let decoded = tl_decode(&data);
        if name.starts_with("vector-") {
            assert!(decoded, "seed {name} no longer decodes");
        }
    }
}

#[test]
fn transport_framing_corpus() {
    for (name, data) in corpus("transport_framing") {
        let decoded = transport_framing(&data);
        if name.starts_with("vector-") {
            assert!(decoded, "seed {name} no longer decodes");
        }
    }
}

#[test]
fn transport_detect_corpus() {
    for (name, data) in corpus("transport_detect") {
        let decided = transport_detect(&data);
        if name.starts_with("vector-") {
            assert!(decided, "seed {name} no longer decides");
        }
    }
}

#[test]
fn http_decode_corpus() {
    for (name, data) in corpus("http_decode") {
        let decoded = http_decode(&data);
        if name.starts_with("vector-") {
            assert!(decoded, "seed {name} no longer decodes");
        }
    }
}

#[test]
fn obfuscated_init_corpus() {
    for (name, data) in corpus("obfuscated_init") {
        let ok = obfuscated_init(&data);
        if name.starts_with("vector-") {
            assert!(ok, "seed {name} no longer accepted");
        }
    }
}

#[test]
fn fake_tls_client_hello_corpus() {
    for (name, data) in corpus("fake_tls_client_hello") {
        let ok = fake_tls_client_hello(&data);
        if name.starts_with("vector-") {
            assert!(ok, "seed {name} no longer accepted");
        }
    }
}

#[test]
fn fake_tls_server_hello_corpus() {
    for (name, data) in corpus("fake_tls_server_hello") {
        let ok = fake_tls_server_hello(&data);
        if name.starts_with("vector-") {
            assert!(ok, "seed {name} no longer verifies");
        }
    }
}

#[test]
fn tls_record_reader_corpus() {
    for (name, data) in corpus("tls_record_reader") {
        let ok = tls_record_reader(&data);
        if name.starts_with("vector-") {
            assert!(ok, "seed {name} no longer reads");
        }
    }
}

#[test]
fn auth_client_corpus() {
    for (name, data) in corpus("auth_client") {
        let accepted = auth_client(&data);
        if name.starts_with("vector-") {
            assert!(accepted, "seed {name} is no longer accepted");
        }
    }
}

#[test]
fn auth_server_corpus() {
    for (name, data) in corpus("auth_server") {
        let accepted = auth_server(&data);
        if name.starts_with("vector-") {
            assert!(accepted, "seed {name} is no longer accepted");
        }
    }
}

#[test]
fn auth_bind_corpus() {
    for (name, data) in corpus("auth_bind") {
        let accepted = auth_bind(&data);
        if name.starts_with("vector-") {
            assert!(accepted, "seed {name} is no longer accepted");
        }
    }
}
