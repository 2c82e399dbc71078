//! `make demo`: a loopback MTProto server on 127.0.0.1 and one client per
//! transport talking to it over real TCP. Each client creates a permanent
//! and a temporary auth key, binds them with auth.bindTempAuthKey and pings
//! over the temporary key. Exits non-zero if any client fails.

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mtproto_core::auth::ServerHandshakeConfig;
use mtproto_core::crypto::aes_ige::ige_decrypt;
use mtproto_core::crypto::hash::sha1;
use mtproto_core::crypto::kdf::handshake_tmp_key_iv;
use mtproto_core::crypto::rsa::RsaPrivateKey;
use mtproto_core::{AuthKeyId, OsRandom};
use mtproto_testkit::loopback::tcp::{ClientRun, TcpServer, detected_in, run_client};
use mtproto_testkit::loopback::{
    BindResult, LoopbackClientConfig, LoopbackServer, LoopbackServerConfig, OsRandomSource,
    ProxySecrets, Setup, setups, system_now,
};
use mtproto_testkit::vectors;

type DemoResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Per client: the whole conversation is four round trips per key and two
/// more; on loopback it takes well under a second even in a dev build.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(20);

fn main() -> DemoResult<ExitCode> {
    let started = Instant::now();
    println!("== MTProto 2.0 loopback demo");
    worked_example()?;

    // The server: a fresh RSA key, fresh proxy secrets, one port for all.
    let t = Instant::now();
    let rsa = RsaPrivateKey::generate(&mut OsRandom)?;
    let rsa_ms = t.elapsed().as_millis();
    let secrets = ProxySecrets::generate(&mut OsRandom, "example.com")?;
    let config = LoopbackServerConfig {
        transport: secrets.server_config(),
        handshake: Arc::new(ServerHandshakeConfig::new(vec![rsa.clone()])),
    };
    let tcp = TcpServer::spawn(
        LoopbackServer::new(config, Arc::new(OsRandomSource)),
        "127.0.0.1:0",
    )?;
    let addr = tcp.local_addr();
    println!(
        "server: {addr}, every transport on one port; RSA key {:016x} (generated in {rsa_ms} ms)",
        rsa.fingerprint()
    );
    println!(
        "        proxy secrets {} | {} | {}",
        secrets.simple.to_link_form(),
        secrets.padded.to_link_form(),
        secrets.fake_tls.to_link_form()
    );
    println!();
    println!(
        "{:<28} {:<16} {:<16} {:<9} {:<14} key exchanges (perm + temp)",
        "transport", "permanent key", "temporary key", "bind", "ping"
    );

    // Clients run a few at a time (as many as there are cores): the key
    // exchanges are CPU-bound, and the lines print in order at the end.
    let all = setups(&secrets, &addr.to_string());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Result<ClientRun, String>>>> = Mutex::new(vec![None; all.len()]);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(setup) = all.get(i) else { break };
                    let config =
                        LoopbackClientConfig::new(setup.transport.clone(), vec![rsa.public_key()]);
                    let outcome = run_client(addr, config, &OsRandomSource, CLIENT_TIMEOUT)
                        .map_err(|e| e.to_string())
                        .and_then(|run| check(&tcp, setup, &run).map(|()| run));
                    if let Some(slot) = outcomes.lock().ok().as_mut().and_then(|o| o.get_mut(i)) {
                        *slot = Some(outcome);
                    }
                }
            });
        }
    });
    let outcomes = outcomes
        .into_inner()
        .map_err(|_| "a client thread panicked")?;
    let mut failed = 0;
    for (setup, outcome) in all.iter().zip(outcomes) {
        match outcome {
            Some(Ok(run)) => print_run(setup, &run),
            Some(Err(e)) => {
                failed += 1;
                println!("{:<28} FAILED: {e}", setup.name);
            }
            None => {
                failed += 1;
                println!("{:<28} FAILED: the client never ran", setup.name);
            }
        }
    }
    tcp.shutdown()?;

    println!();
    let ok = all.len() - failed;
    println!(
        "{ok}/{} clients: both keys created, bound and pinged, checked against the \
         server's key store and transport detection; {:.1} s in all",
        all.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Telegram's worked key-creation example (`/mtproto/samples-auth_key`): the
/// temporary AES key from the nonces decrypts the server's DH answer, whose
/// SHA1 must match.
fn worked_example() -> DemoResult<()> {
    let tmp = vectors::case("handshake_tmp_key.json", "samples-auth_key")?;
    let new_nonce: [u8; 32] = vectors::bytes(&tmp, "new_nonce")?
        .try_into()
        .map_err(|_| "new_nonce")?;
    let server_nonce: [u8; 16] = vectors::bytes(&tmp, "server_nonce")?
        .try_into()
        .map_err(|_| "server_nonce")?;
    let key_iv = handshake_tmp_key_iv(&new_nonce, &server_nonce);
    let answer = vectors::case("ige.json", "samples-auth_key/server_DH_inner_data")?;
    let mut data = vectors::bytes(&answer, "ciphertext")?;
    ige_decrypt(&key_iv.key, &key_iv.iv, &mut data)?;
    // answer_with_hash = SHA1(answer) ‖ answer ‖ padding; the example's
    // server_DH_inner_data is 564 bytes.
    let hash = data.get(..20).ok_or("short answer")?;
    let inner = data.get(20..584).ok_or("short answer")?;
    let passes = sha1(&[inner]) == hash;
    println!(
        "Telegram's worked example (/mtproto/samples-auth_key): tmp_aes_key {}…, \
         server_DH_inner_data decrypted, SHA1 check {}",
        hex::encode(key_iv.key.get(..8).unwrap_or_default()),
        if passes { "passes" } else { "FAILS" }
    );
    if passes {
        Ok(())
    } else {
        Err("the worked example does not verify".into())
    }
}

/// The server's side of the story must agree with the client's: it detected
/// the transport the client used, and holds the binding.
fn check(tcp: &TcpServer, setup: &Setup, run: &ClientRun) -> Result<(), String> {
    let report = &run.report;
    if report.bind != BindResult::Bound {
        return Err(format!("bind refused: {:?}", report.bind));
    }
    let (perm, temp) = (
        report.permanent.auth_key.id(),
        report.temporary.auth_key.id(),
    );
    let store = tcp.server().key_store().map_err(|e| e.to_string())?;
    if store.bound_permanent(temp, system_now()) != Some(perm) {
        return Err("the server's key store does not hold the binding".into());
    }
    // The connection's log is published when its thread sees the client
    // close the socket, a moment after the client returns.
    let deadline = Instant::now() + Duration::from_secs(10);
    let log = loop {
        match tcp.log_for_key(perm).map_err(|e| e.to_string())? {
            Some(log) => break log,
            None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
            None => return Err("the server has no log of this connection".into()),
        }
    };
    if let Some(e) = &log.error {
        return Err(format!("the server closed the connection: {e}"));
    }
    match detected_in(&log) {
        Some(d) if *d == setup.expected => Ok(()),
        other => Err(format!(
            "the server detected {other:?}, expected {:?}",
            setup.expected
        )),
    }
}

fn print_run(setup: &Setup, run: &ClientRun) {
    let id = |id: AuthKeyId| format!("{:016x}", id.0);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let r = &run.report;
    let t = &run.timings;
    println!(
        "{:<28} {:<16} {:<16} {:<9} {:<14} {:.0} + {:.0} ms",
        setup.name,
        id(r.permanent.auth_key.id()),
        id(r.temporary.auth_key.id()),
        match &r.bind {
            BindResult::Bound => "boolTrue".to_string(),
            BindResult::Refused { code, message } => format!("{code} {message}"),
        },
        format!("pong {:.2} ms", ms(t.ping)),
        ms(t.permanent_key),
        ms(t.temporary_key),
    );
}
