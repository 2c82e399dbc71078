//! TLS application-data records after the fake handshake (tdlib
//! `ObfuscatedTransport::do_write_tls` and `TlsReaderByteFlow`; MTProxy
//! `cpu_tcp_aes_crypto_ctr128_{en,de}crypt_output`).
//!
//! Each record is `17 03 03 len:u16be payload`. The payloads of successive
//! records form one byte stream (the obfuscated2 stream); record boundaries
//! carry no meaning. The client sends a ChangeCipherSpec record
//! `14 03 03 00 01 01` before its first data record, and its first data
//! record starts with the 64-byte obfuscated2 init (MTProxy refuses a first
//! record shorter than 64 bytes).

use crate::error::TransportError;
use crate::transport::Role;

/// The ChangeCipherSpec record a client sends before its first data record
/// (and the server inside its answer).
pub const CHANGE_CIPHER_SPEC: [u8; 6] = [0x14, 0x03, 0x03, 0x00, 0x01, 0x01];

/// The header of an application-data record, before the 2-byte length.
pub const APPLICATION_DATA: [u8; 3] = [0x17, 0x03, 0x03];

/// The largest record payload a reader accepts: 2^14 + 256, the TLS 1.3
/// ciphertext limit (RFC 8446 §5.2). tdlib's reader takes up to 2^14, so no
/// writer here produces more than 2^14.
pub const MAX_RECORD_PAYLOAD: usize = (1 << 14) + 256;

/// The largest record payload a client writes by default (tdlib
/// `MAX_TLS_PACKET_LENGTH`).
pub const CLIENT_RECORD_PAYLOAD: usize = 2878;

/// The largest record payload a server writes by default (MTProxy
/// `MAX_PACKET_LENGTH`).
pub const SERVER_RECORD_PAYLOAD: usize = 1425;

/// The smallest first data record a client may send: the obfuscated2 init.
const FIRST_RECORD_MIN: usize = 64;

/// Wraps outgoing bytes in application-data records of at most a fixed
/// payload size (plus, for a client, the ChangeCipherSpec record first).
#[derive(Clone, Debug)]
pub struct TlsRecordWriter {
    role: Role,
    max_payload: usize,
    started: bool,
}

impl TlsRecordWriter {
    /// A writer with the default record size of `role`
    /// ([`CLIENT_RECORD_PAYLOAD`], [`SERVER_RECORD_PAYLOAD`]).
    pub fn new(role: Role) -> Self {
        let max = match role {
            Role::Client => CLIENT_RECORD_PAYLOAD,
            Role::Server => SERVER_RECORD_PAYLOAD,
        };
        Self::with_max_payload(role, max)
    }

    /// A writer whose records carry at most `max_payload` bytes (clamped to
    /// 64..=16384).
    pub fn with_max_payload(role: Role, max_payload: usize) -> Self {
        TlsRecordWriter {
            role,
            max_payload: max_payload.clamp(FIRST_RECORD_MIN, 1 << 14),
            started: false,
        }
    }

    /// Append the records carrying `data` to `out`. Empty data writes
    /// nothing. A client's first call must carry at least the 64-byte
    /// obfuscated2 init ([`TransportError::InvalidState`] otherwise); it is
    /// preceded by [`CHANGE_CIPHER_SPEC`].
    pub fn write(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), TransportError> {
        if data.is_empty() {
            return Ok(());
        }
        if !self.started && self.role == Role::Client {
            if data.len() < FIRST_RECORD_MIN {
                return Err(TransportError::InvalidState(format!(
                    "expected the first fake-TLS record to carry the {FIRST_RECORD_MIN}-byte \
                     obfuscated2 init, got {} bytes",
                    data.len()
                )));
            }
            out.extend_from_slice(&CHANGE_CIPHER_SPEC);
        }
        self.started = true;
        out.reserve(data.len() + 5 * data.len().div_ceil(self.max_payload));
        for chunk in data.chunks(self.max_payload) {
            out.extend_from_slice(&APPLICATION_DATA);
            out.extend_from_slice(&(chunk.len() as u16).to_be_bytes());
            out.extend_from_slice(chunk);
        }
        Ok(())
    }
}

/// Takes incoming bytes as they arrive and yields the payload bytes of the
/// application-data records in them, without waiting for whole records. Holds
/// at most a 5-byte header between calls. A server's reader first expects
/// the client's ChangeCipherSpec record and a first data record of at least
/// 64 bytes. Errors are sticky.
#[derive(Clone, Debug)]
pub struct TlsRecordReader {
    /// Bytes of [`CHANGE_CIPHER_SPEC`] still expected (server side).
    ccs_left: usize,
    header: [u8; 5],
    header_len: usize,
    payload_left: usize,
    first_record: bool,
    check_first: bool,
    error: Option<TransportError>,
}

impl TlsRecordReader {
    /// A reader for `role`'s side of the connection.
    pub fn new(role: Role) -> Self {
        let server = role == Role::Server;
        TlsRecordReader {
            ccs_left: if server { CHANGE_CIPHER_SPEC.len() } else { 0 },
            header: [0; 5],
            header_len: 0,
            payload_left: 0,
            first_record: true,
            check_first: server,
            error: None,
        }
    }

    /// Whether the reader stopped in the middle of a record or header.
    pub fn is_mid_record(&self) -> bool {
        self.header_len > 0 || self.payload_left > 0
    }

    /// Feed bytes that arrived; the payload bytes they complete are appended
    /// to `out`. A record that is not application data, or longer than
    /// [`MAX_RECORD_PAYLOAD`], is an error for good.
    pub fn read(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), TransportError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let result = self.read_inner(input, out);
        if let Err(e) = &result {
            self.error = Some(e.clone());
        }
        result
    }

    fn read_inner(&mut self, mut rest: &[u8], out: &mut Vec<u8>) -> Result<(), TransportError> {
        while !rest.is_empty() {
            if self.ccs_left > 0 {
                let at = CHANGE_CIPHER_SPEC.len() - self.ccs_left;
                let n = self.ccs_left.min(rest.len());
                let (head, tail) = rest.split_at(n);
                if CHANGE_CIPHER_SPEC.get(at..at + n) != Some(head) {
                    return Err(TransportError::FakeTls(
                        "expected the client's ChangeCipherSpec record 14 03 03 00 01 01".into(),
                    ));
                }
                self.ccs_left -= n;
                rest = tail;
                continue;
            }
            if self.payload_left > 0 {
                let n = self.payload_left.min(rest.len());
                let (head, tail) = rest.split_at(n);
                out.extend_from_slice(head);
                self.payload_left -= n;
                rest = tail;
                continue;
            }
            let n = (5 - self.header_len).min(rest.len());
            let (head, tail) = rest.split_at(n);
            if let Some(h) = self.header.get_mut(self.header_len..self.header_len + n) {
                h.copy_from_slice(head);
            }
            self.header_len += n;
            rest = tail;
            let [t, v1, v2, l1, l2] = self.header;
            let seen = self.header_len.min(3);
            if [t, v1, v2].get(..seen) != APPLICATION_DATA.get(..seen) {
                // The message must not depend on how the bytes were split.
                return Err(TransportError::FakeTls(
                    "expected an application-data record header 17 03 03".into(),
                ));
            }
            if self.header_len < 5 {
                continue;
            }
            self.header_len = 0;
            let len = usize::from(u16::from_be_bytes([l1, l2]));
            if len > MAX_RECORD_PAYLOAD {
                return Err(TransportError::FrameTooLarge {
                    len,
                    max: MAX_RECORD_PAYLOAD,
                });
            }
            if self.first_record && self.check_first && len < FIRST_RECORD_MIN {
                return Err(TransportError::FakeTls(format!(
                    "expected a first record of at least {FIRST_RECORD_MIN} bytes (the obfuscated2 init), \
                     found {len}"
                )));
            }
            self.first_record = false;
            self.payload_left = len;
        }
        Ok(())
    }
}
