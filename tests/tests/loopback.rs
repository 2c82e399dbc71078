//! The loopback server and client through every transport setup: in memory
//! (bytes handed over in small chunks, virtual time, seeded randomness) and
//! over real TCP sockets the way `make demo` runs them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::Duration;

use mtproto_core::auth::{AuthKeyStore, ServerHandshakeConfig, bind_temp_auth_key_query};
use mtproto_core::crypto::rsa::{RsaPublicKey, telegram_production_keys};
use mtproto_core::envelope::{
    MessageHeader, MsgId, Salt, SeqNo, SessionId, open_encrypted, seal_encrypted,
};
use mtproto_core::tl::Deserialize;
use mtproto_core::tl::mtproto::types::{RpcError, RpcResult};
use mtproto_core::transport::{
    ClientTransport, ClientTransportConfig, FramingKind, Inbound, TransportKind,
};
use mtproto_core::{AuthError, AuthKey, Direction, Error, SeededRandom, UnixMillis};
use mtproto_testkit::loopback::tcp::{TcpServer, detected_in, run_client};
use mtproto_testkit::loopback::{
    BIND_ERROR_MESSAGE, BindResult, ClientPhase, ClientReport, LoopbackClient,
    LoopbackClientConfig, LoopbackError, LoopbackServer, LoopbackServerConfig, MsgIdClock,
    OsRandomSource, ProxySecrets, SeededRandomSource, ServerEvent, Setup, TEMP_KEY_EXPIRES_IN,
    setups, system_now, test_rsa_key,
};

const NOW: UnixMillis = UnixMillis(1_705_754_877_000);

struct Fixture {
    server: LoopbackServer,
    rsa: RsaPublicKey,
    setups: Vec<Setup>,
}

fn fixture(seed: u64) -> Fixture {
    let rsa = test_rsa_key().unwrap();
    let secrets = ProxySecrets::generate(&mut SeededRandom::from_u64(seed), "example.com").unwrap();
    let config = LoopbackServerConfig {
        transport: secrets.server_config(),
        handshake: Arc::new(ServerHandshakeConfig::new(vec![rsa.clone()])),
    };
    let server = LoopbackServer::new(config, Arc::new(SeededRandomSource::new(seed)));
    Fixture {
        server,
        rsa: rsa.public_key(),
        setups: setups(&secrets, "127.0.0.1:443"),
    }
}

/// Feed `bytes` in chunks of 1, 2, ..., 13, 1, 2, ... bytes: every split
/// point a socket could produce, across every layer's headers.
fn feed_in_chunks(
    bytes: &[u8],
    mut feed: impl FnMut(&[u8]) -> Result<(), LoopbackError>,
) -> Result<(), LoopbackError> {
    let (mut at, mut size) = (0, 1);
    while at < bytes.len() {
        let end = (at + size).min(bytes.len());
        feed(&bytes[at..end])?;
        at = end;
        size = size % 13 + 1;
    }
    Ok(())
}

/// One client and one server connection over a perfect in-memory link with
/// a virtual clock. Returns the client's report and the server's events.
fn converse(fx: &Fixture, setup: &Setup, seed: u64) -> (ClientReport, Vec<ServerEvent>) {
    let rngs = SeededRandomSource::new(seed);
    let mut now = NOW;
    let config = LoopbackClientConfig::new(setup.transport.clone(), vec![fx.rsa.clone()]);
    let mut client = LoopbackClient::new(config, &rngs, now).unwrap();
    let mut conn = fx.server.accept().unwrap();
    let mut events = Vec::new();
    // Four round trips per key, then bind and ping.
    for _ in 0..10 {
        if let Some(report) = client.report() {
            assert_eq!(client.phase(), ClientPhase::Done);
            return (report.clone(), events);
        }
        let mut wire = Vec::new();
        while let Some(b) = client.poll_transmit() {
            wire.extend(b);
        }
        feed_in_chunks(&wire, |c| conn.handle_input(c, now)).unwrap();
        events.extend(std::iter::from_fn(|| conn.poll_event()));
        now = now.saturating_add_millis(7);
        let mut back = Vec::new();
        while let Some(b) = conn.poll_transmit() {
            back.extend(b);
        }
        feed_in_chunks(&back, |c| client.handle_input(c, now)).unwrap();
        now = now.saturating_add_millis(7);
    }
    panic!("{}: no pong after 10 round trips", setup.name);
}

/// Everything both sides must agree on after a conversation.
fn check_conversation(
    store: &AuthKeyStore,
    setup: &Setup,
    report: &ClientReport,
    events: &[ServerEvent],
    now: UnixMillis,
) {
    let name = setup.name;
    let (perm, temp) = (&report.permanent, &report.temporary);
    let (perm_id, temp_id) = (perm.auth_key.id(), temp.auth_key.id());

    // Both sides hold the same keys and salts.
    let stored_perm = store.get(perm_id, now).unwrap();
    assert_eq!(
        stored_perm.auth_key.as_bytes(),
        perm.auth_key.as_bytes(),
        "{name}"
    );
    assert_eq!(stored_perm.first_salt, perm.first_salt, "{name}");
    assert!(stored_perm.is_permanent(), "{name}");
    assert_eq!(perm.expires_at, None, "{name}");
    let stored_temp = store.get(temp_id, now).unwrap();
    assert_eq!(
        stored_temp.auth_key.as_bytes(),
        temp.auth_key.as_bytes(),
        "{name}"
    );
    assert_eq!(stored_temp.first_salt, temp.first_salt, "{name}");
    assert_eq!(stored_temp.expires_at, temp.expires_at, "{name}");
    assert_eq!(
        temp.expires_at,
        Some(temp.server_time + TEMP_KEY_EXPIRES_IN),
        "{name}"
    );
    assert_ne!(perm_id, temp_id, "{name}");

    // The binding verified and the store records it.
    assert_eq!(report.bind, BindResult::Bound, "{name}");
    assert_eq!(store.bound_permanent(temp_id, now), Some(perm_id), "{name}");

    // The pong echoes the ping.
    assert_eq!(report.pong.ping_id, report.ping_id, "{name}");
    assert_eq!(report.pong.msg_id as u64, report.ping_msg_id.0, "{name}");
    assert_eq!(report.ping_msg_id.0 % 4, 0, "{name}: client msg_id");

    // The server saw the same conversation, in order.
    let detected = events.iter().find_map(|e| match e {
        ServerEvent::TransportDetected(d) => Some(d),
        _ => None,
    });
    assert_eq!(detected, Some(&setup.expected), "{name}");
    let created: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::KeyCreated {
                auth_key_id,
                expires_at,
            } => Some((*auth_key_id, *expires_at)),
            _ => None,
        })
        .collect();
    assert_eq!(
        created,
        vec![(perm_id, None), (temp_id, temp.expires_at)],
        "{name}"
    );
    let bound = events.iter().find_map(|e| match e {
        ServerEvent::TempKeyBound(b) => Some(b),
        _ => None,
    });
    let bound = bound.unwrap_or_else(|| panic!("{name}: no binding event in {events:?}"));
    assert_eq!(
        (
            bound.perm_auth_key_id,
            bound.temp_auth_key_id,
            bound.temp_session_id
        ),
        (perm_id, temp_id, report.session_id),
        "{name}"
    );
    assert!(
        events.contains(&ServerEvent::Pinged {
            auth_key_id: temp_id,
            ping_id: report.ping_id
        }),
        "{name}: {events:?}"
    );
}

fn in_memory(index: usize, name: &str) {
    let fx = fixture(100 + index as u64);
    let setup = &fx.setups[index];
    assert_eq!(setup.name, name);
    let (report, events) = converse(&fx, setup, 200 + index as u64);
    let store = fx.server.key_store().unwrap();
    check_conversation(&store, setup, &report, &events, NOW);
    assert_eq!(store.len(), 2);
}

// One test per setup, so they run in parallel (each costs two key
// exchanges).
#[test]
fn in_memory_abridged() {
    in_memory(0, "abridged");
}
#[test]
fn in_memory_intermediate() {
    in_memory(1, "intermediate");
}
#[test]
fn in_memory_padded_intermediate() {
    in_memory(2, "padded intermediate");
}
#[test]
fn in_memory_full() {
    in_memory(3, "full");
}
#[test]
fn in_memory_obfuscated_abridged() {
    in_memory(4, "obfuscated abridged");
}
#[test]
fn in_memory_obfuscated_intermediate() {
    in_memory(5, "obfuscated intermediate");
}
#[test]
fn in_memory_obfuscated_padded() {
    in_memory(6, "obfuscated padded");
}
#[test]
fn in_memory_obfuscated_with_16_byte_secret() {
    in_memory(7, "obfuscated + 16-byte secret");
}
#[test]
fn in_memory_dd_secret() {
    in_memory(8, "dd secret (padded)");
}
#[test]
fn in_memory_ee_fake_tls_secret() {
    in_memory(9, "ee secret (fake TLS)");
}
#[test]
fn in_memory_http() {
    in_memory(10, "HTTP");
}

#[test]
fn every_setup_has_a_test() {
    assert_eq!(fixture(0).setups.len(), 11);
}

#[test]
fn seeded_conversations_are_reproducible() {
    let a = fixture(7);
    let b = fixture(7);
    let (ra, _) = converse(&a, &a.setups[0], 8);
    let (rb, _) = converse(&b, &b.setups[0], 8);
    assert_eq!(
        ra.permanent.auth_key.as_bytes(),
        rb.permanent.auth_key.as_bytes()
    );
    assert_eq!(ra.ping_id, rb.ping_id);
}

/// A client end for hand-made messages: abridged framing, plus sealing and
/// opening under `key`.
struct RawClient {
    transport: ClientTransport,
    key: AuthKey,
    salt: Salt,
    session: SessionId,
    rng: SeededRandom,
}

impl RawClient {
    fn new(key: AuthKey, salt: Salt, session: SessionId) -> Self {
        let config = ClientTransportConfig::new(TransportKind::Framed(FramingKind::Abridged));
        RawClient {
            transport: ClientTransport::new(config, Box::new(SeededRandom::from_u64(1)), NOW)
                .unwrap(),
            key,
            salt,
            session,
            rng: SeededRandom::from_u64(2),
        }
    }

    fn send(&mut self, msg_id: MsgId, body: &[u8]) -> Vec<u8> {
        let header = MessageHeader {
            salt: self.salt,
            session_id: self.session,
            msg_id,
            seq_no: SeqNo(1),
        };
        let wire = seal_encrypted(
            &self.key,
            Direction::ClientToServer,
            &header,
            body,
            &mut self.rng,
        )
        .unwrap();
        self.transport.send(&wire, false).unwrap();
        std::iter::from_fn(|| self.transport.poll_transmit())
            .flatten()
            .collect()
    }

    fn receive(&mut self, bytes: &[u8]) -> Vec<Inbound> {
        self.transport.handle_input(bytes).unwrap();
        std::iter::from_fn(|| self.transport.poll_inbound()).collect()
    }

    fn open(&self, payload: &[u8]) -> Vec<u8> {
        let m = open_encrypted(&self.key, Direction::ServerToClient, payload).unwrap();
        assert_eq!(m.header.session_id, self.session);
        assert_eq!(m.header.msg_id.0 % 4, 1, "server answer msg_id");
        m.body
    }
}

fn server_reply(conn: &mut mtproto_testkit::loopback::ServerConnection) -> Vec<u8> {
    std::iter::from_fn(|| conn.poll_transmit())
        .flatten()
        .collect()
}

#[test]
fn a_bind_that_fails_its_checks_gets_encrypted_message_invalid() {
    let fx = fixture(31);
    let (report, _) = converse(&fx, &fx.setups[0], 32);
    let (perm, temp) = (&report.permanent, &report.temporary);
    // A new session over the temporary key, but the inner data names
    // another session: the server must refuse it.
    let session = SessionId(0x5151_5151_5151_5151);
    let mut raw = RawClient::new(temp.auth_key.clone(), temp.first_salt, session);
    let now = NOW.saturating_add_millis(1000);
    let msg_id = MsgIdClock::client().next(now, 0);
    let (query, _) = bind_temp_auth_key_query(
        &perm.auth_key,
        temp.auth_key.id(),
        SessionId(session.0 + 1),
        msg_id,
        temp.expires_at.unwrap(),
        &mut SeededRandom::from_u64(3),
    )
    .unwrap();
    let mut conn = fx.server.accept().unwrap();
    conn.handle_input(&raw.send(msg_id, &query), now).unwrap();
    let inbound = raw.receive(&server_reply(&mut conn));
    let [Inbound::Packet { payload, .. }] = &inbound[..] else {
        panic!("{inbound:?}");
    };
    let result = RpcResult::from_tl_bytes(&raw.open(payload)).unwrap();
    assert_eq!(result.req_msg_id as u64, msg_id.0);
    let error = RpcError::from_tl_bytes(&result.result.0).unwrap();
    assert_eq!(
        (error.error_code, error.error_message.as_str()),
        (400, BIND_ERROR_MESSAGE)
    );
    assert!(matches!(
        conn.poll_event(),
        Some(ServerEvent::TransportDetected(_))
    ));
    assert!(matches!(
        conn.poll_event(),
        Some(ServerEvent::BindRefused(AuthError::InvalidBinding(_)))
    ));
    // The earlier, valid binding stands.
    let store = fx.server.key_store().unwrap();
    assert_eq!(
        store.bound_permanent(temp.auth_key.id(), now),
        Some(perm.auth_key.id())
    );
}

#[test]
fn an_unknown_key_gets_transport_error_404() {
    let fx = fixture(41);
    let key = AuthKey::new([0x42; 256]);
    let mut raw = RawClient::new(key.clone(), Salt(0), SessionId(1));
    let mut conn = fx.server.accept().unwrap();
    let msg_id = MsgIdClock::client().next(NOW, 0);
    conn.handle_input(&raw.send(msg_id, &[0; 12]), NOW).unwrap();
    let inbound = raw.receive(&server_reply(&mut conn));
    assert_eq!(inbound, vec![Inbound::TransportError { code: -404 }]);
    assert!(
        std::iter::from_fn(|| conn.poll_event()).any(|e| e == ServerEvent::UnknownKey(key.id()))
    );
}

#[test]
fn a_client_that_does_not_trust_the_server_key_fails_and_stays_failed() {
    let fx = fixture(51);
    let config = LoopbackClientConfig::new(
        ClientTransportConfig::new(TransportKind::Framed(FramingKind::Intermediate)),
        telegram_production_keys(),
    );
    let rngs = SeededRandomSource::new(52);
    let mut client = LoopbackClient::new(config, &rngs, NOW).unwrap();
    let mut conn = fx.server.accept().unwrap();
    let wire: Vec<u8> = std::iter::from_fn(|| client.poll_transmit())
        .flatten()
        .collect();
    conn.handle_input(&wire, NOW).unwrap();
    let err = client
        .handle_input(&server_reply(&mut conn), NOW)
        .unwrap_err();
    assert!(
        matches!(
            err,
            LoopbackError::Core(Error::Auth(AuthError::UnknownFingerprint { .. }))
        ),
        "{err:?}"
    );
    assert_eq!(client.phase(), ClientPhase::Failed);
    assert_eq!(client.handle_input(&[], NOW).unwrap_err(), err);
}

#[test]
fn msg_ids_follow_the_clock_with_the_right_residue_and_always_grow() {
    let mut client = MsgIdClock::client();
    let mut server = MsgIdClock::server();
    let a = client.next(NOW, 0);
    assert_eq!(a.0 >> 32, NOW.as_secs());
    assert_eq!(a.0 % 4, 0);
    // Same millisecond, then a clock step back: still increasing.
    let b = client.next(NOW, 0);
    let c = client.next(UnixMillis(NOW.0 - 5000), 0);
    assert!(a < b && b < c, "{a:?} {b:?} {c:?}");
    assert_eq!((b.0 % 4, c.0 % 4), (0, 0));
    let s = server.next(NOW, 0);
    assert_eq!((s.0 % 4, s.0 >> 32), (1, NOW.as_secs()));
    assert!(server.next(NOW, 0) > s);
    // A client adds the server time offset it learned.
    let later = MsgIdClock::client().next(NOW, 10_000);
    assert_eq!(later.0 >> 32, NOW.as_secs() + 10);
}

/// The demo's path: a server thread per connection on 127.0.0.1:0, clients
/// over real sockets, two of them at once.
#[test]
fn tcp_fake_tls_and_http_clients_against_the_socket_server() {
    let rsa = test_rsa_key().unwrap();
    let secrets = ProxySecrets::generate(&mut SeededRandom::from_u64(61), "example.com").unwrap();
    let config = LoopbackServerConfig {
        transport: secrets.server_config(),
        handshake: Arc::new(ServerHandshakeConfig::new(vec![rsa.clone()])),
    };
    let tcp = TcpServer::spawn(
        LoopbackServer::new(config, Arc::new(OsRandomSource)),
        "127.0.0.1:0",
    )
    .unwrap();
    let addr = tcp.local_addr();
    let chosen: Vec<Setup> = setups(&secrets, &addr.to_string())
        .into_iter()
        .filter(|s| matches!(s.name, "ee secret (fake TLS)" | "HTTP" | "full"))
        .collect();
    assert_eq!(chosen.len(), 3);
    let runs: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = chosen
            .iter()
            .map(|setup| {
                let config =
                    LoopbackClientConfig::new(setup.transport.clone(), vec![rsa.public_key()]);
                scope.spawn(move || {
                    run_client(addr, config, &OsRandomSource, Duration::from_secs(60))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (setup, run) in chosen.iter().zip(runs) {
        let run = run.unwrap_or_else(|e| panic!("{}: {e}", setup.name));
        let report = &run.report;
        let perm_id = report.permanent.auth_key.id();
        // The connection's log appears once its thread sees the close.
        let log = (0..500)
            .find_map(|_| {
                let log = tcp.log_for_key(perm_id).unwrap();
                if log.is_none() {
                    std::thread::sleep(Duration::from_millis(10));
                }
                log
            })
            .unwrap_or_else(|| panic!("{}: no server log", setup.name));
        assert_eq!(log.error, None, "{}", setup.name);
        assert_eq!(detected_in(&log), Some(&setup.expected), "{}", setup.name);
        let store = tcp.server().key_store().unwrap();
        check_conversation(&store, setup, report, &log.events, system_now());
        assert!(run.timings.total >= run.timings.ping);
    }
    assert_eq!(tcp.server().key_store().unwrap().len(), 6);
    tcp.shutdown().unwrap();
}
