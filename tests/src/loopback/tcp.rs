//! The I/O half: the loopback server and clients over `std::net` TCP. The
//! core objects are sans-IO; this module owns the sockets, the threads and
//! the clock (a thread per connection: the demo has a handful).

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mtproto_core::AuthKeyId;
use mtproto_core::transport::DetectedTransport;

use super::{
    ClientPhase, ClientReport, ConnectionId, LoopbackClient, LoopbackClientConfig, LoopbackError,
    LoopbackServer, RandomSource, ServerConnection, ServerEvent, system_now,
};

/// How often a connection thread looks at the stop flag while idle.
const POLL: Duration = Duration::from_millis(50);

/// What one connection did, as the server saw it.
#[derive(Clone, Debug, Default)]
pub struct ConnectionLog {
    /// Everything the connection reported, in order.
    pub events: Vec<ServerEvent>,
    /// Why the server closed it, if it did not end with the client closing.
    pub error: Option<LoopbackError>,
}

type Logs = Arc<Mutex<Vec<(ConnectionId, ConnectionLog)>>>;

/// A [`LoopbackServer`] listening on a TCP port, with one thread accepting
/// and one per connection. [`shutdown`](Self::shutdown) stops accepting and
/// waits for the connection threads; dropping it does the same, silently.
pub struct TcpServer {
    addr: SocketAddr,
    server: LoopbackServer,
    stop: Arc<AtomicBool>,
    logs: Logs,
    accept_thread: Option<JoinHandle<()>>,
}

impl core::fmt::Debug for TcpServer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TcpServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl TcpServer {
    /// Listen on `addr` (`127.0.0.1:0` picks a free port) and serve every
    /// connection on its own thread.
    pub fn spawn(server: LoopbackServer, addr: impl ToSocketAddrs) -> Result<Self, LoopbackError> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let logs: Logs = Arc::default();
        let accept_thread = {
            let (server, stop, logs) = (server.clone(), stop.clone(), logs.clone());
            std::thread::Builder::new()
                .name("loopback-accept".into())
                .spawn(move || accept_loop(&listener, &server, &stop, &logs))?
        };
        Ok(TcpServer {
            addr,
            server,
            stop,
            logs,
            accept_thread: Some(accept_thread),
        })
    }

    /// Where the server listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The sans-IO server (its key store, for checks).
    pub fn server(&self) -> &LoopbackServer {
        &self.server
    }

    /// The logs of every connection that has ended so far.
    pub fn logs(&self) -> Result<Vec<(ConnectionId, ConnectionLog)>, LoopbackError> {
        Ok(self
            .logs
            .lock()
            .map_err(|_| LoopbackError::Poisoned)?
            .clone())
    }

    /// The log of the connection that created the key `auth_key_id`, once
    /// that connection has ended.
    pub fn log_for_key(
        &self,
        auth_key_id: AuthKeyId,
    ) -> Result<Option<ConnectionLog>, LoopbackError> {
        Ok(self
            .logs()?
            .into_iter()
            .map(|(_, log)| log)
            .find(|log| {
                log.events.iter().any(|e| {
                    matches!(e, ServerEvent::KeyCreated { auth_key_id: id, .. } if *id == auth_key_id)
                })
            }))
    }

    /// Stop accepting and wait for every connection thread to end.
    pub fn shutdown(mut self) -> Result<(), LoopbackError> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> Result<(), LoopbackError> {
        let Some(thread) = self.accept_thread.take() else {
            return Ok(());
        };
        self.stop.store(true, Ordering::SeqCst);
        // accept() blocks: one connection wakes it up to see the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        thread
            .join()
            .map_err(|_| LoopbackError::Io("the accept thread panicked".into()))
    }
}

impl Drop for TcpServer {
    fn drop(&mut self) {
        // Errors cannot be reported from drop; `shutdown` reports them.
        let _ = self.stop_and_join();
    }
}

fn accept_loop(listener: &TcpListener, server: &LoopbackServer, stop: &AtomicBool, logs: &Logs) {
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    let stop_flag = Arc::new(AtomicBool::new(false));
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        // A failed accept (the client gave up) ends only that connection.
        let Ok(stream) = stream else { continue };
        let (server, logs, stop_flag) = (server.clone(), logs.clone(), stop_flag.clone());
        let spawned = std::thread::Builder::new()
            .name("loopback-conn".into())
            .spawn(move || {
                let (id, log) = match server.accept() {
                    Ok(mut conn) => {
                        let log = serve(stream, &mut conn, &stop_flag);
                        (conn.id(), log)
                    }
                    Err(e) => (
                        ConnectionId(u64::MAX),
                        ConnectionLog {
                            events: Vec::new(),
                            error: Some(e),
                        },
                    ),
                };
                if let Ok(mut logs) = logs.lock() {
                    logs.push((id, log));
                }
            });
        if let Ok(t) = spawned {
            threads.push(t);
        }
        // Finished threads need no joining later.
        threads.retain(|t| !t.is_finished());
    }
    stop_flag.store(true, Ordering::SeqCst);
    for t in threads {
        let _ = t.join();
    }
}

/// Drive one server connection until the client closes it, an error ends
/// it, or the server stops.
fn serve(mut stream: TcpStream, conn: &mut ServerConnection, stop: &AtomicBool) -> ConnectionLog {
    let mut log = ConnectionLog::default();
    let result = (|| -> Result<(), LoopbackError> {
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(POLL))?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match stream.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    if stop.load(Ordering::SeqCst) {
                        return Ok(());
                    }
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let handled = conn.handle_input(buf.get(..n).unwrap_or_default(), system_now());
            // Whatever was queued goes out even after an error: it may be a
            // transport error for the client.
            while let Some(bytes) = conn.poll_transmit() {
                stream.write_all(&bytes)?;
            }
            while let Some(e) = conn.poll_event() {
                log.events.push(e);
            }
            handled?;
        }
    })();
    log.error = result.err();
    log
}

/// How long each part of a client's conversation took, measured by the
/// socket loop.
#[derive(Clone, Copy, Debug)]
pub struct PhaseTimings {
    /// Connect to dh_gen_ok of the permanent key.
    pub permanent_key: Duration,
    /// The temporary key's exchange.
    pub temporary_key: Duration,
    /// auth.bindTempAuthKey to its answer.
    pub bind: Duration,
    /// ping to pong.
    pub ping: Duration,
    /// The whole conversation, connect included.
    pub total: Duration,
}

/// A finished client conversation over TCP.
#[derive(Clone, Debug)]
pub struct ClientRun {
    /// What the client established.
    pub report: ClientReport,
    /// How long it took.
    pub timings: PhaseTimings,
}

/// Connect to `addr`, run a [`LoopbackClient`] to the end, close. Fails
/// with [`LoopbackError::Timeout`] if it takes longer than `timeout`.
pub fn run_client(
    addr: SocketAddr,
    config: LoopbackClientConfig,
    rngs: &dyn RandomSource,
    timeout: Duration,
) -> Result<ClientRun, LoopbackError> {
    let start = Instant::now();
    let deadline = start + timeout;
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_nodelay(true)?;
    let mut client = LoopbackClient::new(config, rngs, system_now())?;
    // When each phase began: PermanentKey, TemporaryKey, Binding, Ping, Done.
    let mut began = [start; 5];
    let mut phase = client.phase();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        while let Some(bytes) = client.poll_transmit() {
            stream.write_all(&bytes)?;
        }
        if let Some(report) = client.report() {
            let at = |p: usize| began.get(p).copied().unwrap_or(start);
            let span = |from: usize, to: usize| at(to).saturating_duration_since(at(from));
            let timings = PhaseTimings {
                permanent_key: span(0, 1),
                temporary_key: span(1, 2),
                bind: span(2, 3),
                ping: span(3, 4),
                total: start.elapsed(),
            };
            return Ok(ClientRun {
                report: report.clone(),
                timings,
            });
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(LoopbackError::Timeout(
                u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
            ));
        }
        stream.set_read_timeout(Some(left))?;
        let n = match stream.read(&mut buf) {
            Ok(0) => return Err(LoopbackError::Closed),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(e) => return Err(e.into()),
        };
        client.handle_input(buf.get(..n).unwrap_or_default(), system_now())?;
        let now = Instant::now();
        let next = client.phase();
        if next != phase {
            let index = match next {
                ClientPhase::PermanentKey => 0,
                ClientPhase::TemporaryKey => 1,
                ClientPhase::Binding => 2,
                ClientPhase::Ping => 3,
                ClientPhase::Done | ClientPhase::Failed => 4,
            };
            if let Some(slot) = began.get_mut(index) {
                *slot = now;
            }
            phase = next;
        }
    }
}

/// The transport a server connection log says the client spoke.
pub fn detected_in(log: &ConnectionLog) -> Option<&DetectedTransport> {
    log.events.iter().find_map(|e| match e {
        ServerEvent::TransportDetected(d) => Some(d),
        _ => None,
    })
}
