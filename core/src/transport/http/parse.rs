//! The shared HTTP/1.1 message-head parser: finding the end of a header
//! section in a growing buffer, then reading its start line and fields
//! (RFC 9112 §2-§6, the subset the MTProto HTTP transport uses).

use super::HttpLimits;
use crate::error::TransportError;

/// A fatal parse error with the status a server should answer it with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fault {
    /// The HTTP status for the peer (servers only).
    pub status: u16,
    /// The error the codec returns.
    pub error: TransportError,
}

impl Fault {
    pub(crate) fn new(status: u16, message: impl Into<String>) -> Self {
        Fault {
            status,
            error: TransportError::Http(message.into()),
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        Fault::new(400, message)
    }
}

/// Finds the end of a header section in a buffer that grows between calls,
/// checking every byte once.
#[derive(Clone, Debug, Default)]
pub(crate) struct HeadScanner {
    scanned: usize,
}

impl HeadScanner {
    /// Forget the progress (the buffer's front was consumed).
    pub(crate) fn reset(&mut self) {
        self.scanned = 0;
    }

    /// The length of the header section at the start of `buf` (through the
    /// blank line), or `None` if it is not complete yet. Bytes outside
    /// printable ASCII, tab, CR and LF are refused as soon as they arrive,
    /// and so is a section longer than `limit`.
    pub(crate) fn scan(&mut self, buf: &[u8], limit: usize) -> Result<Option<usize>, Fault> {
        let mut i = self.scanned;
        while let Some(&b) = buf.get(i) {
            if !(b == b'\t' || b == b'\r' || b == b'\n' || (0x20..0x7f).contains(&b)) {
                return Err(Fault::bad(format!(
                    "byte {b:#04x} at offset {i} of the header section (printable ASCII expected)"
                )));
            }
            // Lines end in CRLF: refuse a bare LF or CR as soon as it shows.
            let bare_lf = b == b'\n' && (i == 0 || buf.get(i - 1) != Some(&b'\r'));
            let bare_cr = match (b, buf.get(i + 1)) {
                // Judge a final CR once the next byte is here.
                (b'\r', None) => break,
                (b'\r', Some(&next)) => next != b'\n',
                _ => false,
            };
            if bare_lf || bare_cr {
                return Err(Fault::bad(format!(
                    "bare {} at offset {i} of the header section (lines end in CRLF)",
                    if bare_lf { "LF" } else { "CR" }
                )));
            }
            i += 1;
            if i > limit {
                return Err(too_long(limit));
            }
            if b == b'\n' && i >= 4 && buf.get(i - 4..i) == Some(b"\r\n\r\n".as_slice()) {
                self.scanned = 0;
                return Ok(Some(i));
            }
        }
        self.scanned = i;
        Ok(None)
    }
}

fn too_long(limit: usize) -> Fault {
    Fault::new(431, format!("header section longer than {limit} bytes"))
}

/// What a request's head says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RequestHead {
    pub method: Vec<u8>,
    pub target: Vec<u8>,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor: u8,
    pub fields: Fields,
}

/// What a response's head says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ResponseHead {
    pub minor: u8,
    pub status: u16,
    pub fields: Fields,
}

/// The header fields the transport looks at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    pub content_length: Option<usize>,
    pub transfer_encoding: bool,
    pub close: bool,
    pub keep_alive: bool,
    pub hosts: usize,
    pub expect_continue: bool,
}

impl Fields {
    /// Whether the connection stays open after this message (RFC 9112 §9.3).
    pub(crate) fn persistent(&self, minor: u8) -> bool {
        !self.close && (minor >= 1 || self.keep_alive)
    }
}

/// Parse a complete request head (`head` ends with the blank line).
pub(crate) fn parse_request(head: &[u8], limits: &HttpLimits) -> Result<RequestHead, Fault> {
    let mut lines = Lines::new(head);
    let start = lines.next_line()?.unwrap_or_default();
    let mut parts = start.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Fault::bad(
            "request line is not `method SP target SP version`",
        ));
    };
    if method.is_empty() || !method.iter().copied().all(is_tchar) {
        return Err(Fault::bad("request method is not a token"));
    }
    if target.is_empty() || !target.iter().all(|b| (0x21..0x7f).contains(b)) {
        return Err(Fault::bad("request target is empty or has invalid bytes"));
    }
    let minor = parse_version(version).map_err(|supported| {
        if supported {
            Fault::new(505, "only HTTP/1.0 and HTTP/1.1 are supported")
        } else {
            Fault::bad("request line does not end in an HTTP version")
        }
    })?;
    let fields = parse_fields(&mut lines, limits, true)?;
    Ok(RequestHead {
        method: method.to_vec(),
        target: target.to_vec(),
        minor,
        fields,
    })
}

/// Parse a complete response head (`head` ends with the blank line).
pub(crate) fn parse_response(head: &[u8], limits: &HttpLimits) -> Result<ResponseHead, Fault> {
    let mut lines = Lines::new(head);
    let start = lines.next_line()?.unwrap_or_default();
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]; the
    // reason is ignored (RFC 9112 §4), a missing final SP tolerated.
    let version = start.get(..8).unwrap_or(start);
    let minor = parse_version(version).map_err(|supported| {
        if supported {
            Fault::bad("only HTTP/1.0 and HTTP/1.1 responses are supported")
        } else {
            Fault::bad("status line does not start with an HTTP version")
        }
    })?;
    let rest = start.get(8..).unwrap_or_default();
    let status = match rest {
        [b' ', a, b, c] | [b' ', a, b, c, b' ', ..]
            if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() =>
        {
            u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0')
        }
        _ => return Err(Fault::bad("status line has no 3-digit status code")),
    };
    if !(100..=599).contains(&status) {
        return Err(Fault::bad(format!("status code {status} out of range")));
    }
    let fields = parse_fields(&mut lines, limits, false)?;
    Ok(ResponseHead {
        minor,
        status,
        fields,
    })
}

/// `HTTP/1.1` → 1, `HTTP/1.0` → 0; `Err(true)` for another well-formed
/// version, `Err(false)` for something else.
fn parse_version(v: &[u8]) -> Result<u8, bool> {
    match v {
        b"HTTP/1.1" => Ok(1),
        b"HTTP/1.0" => Ok(0),
        [b'H', b'T', b'T', b'P', b'/', a, b'.', b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Err(true)
        }
        _ => Err(false),
    }
}

fn parse_fields(
    lines: &mut Lines<'_>,
    limits: &HttpLimits,
    request: bool,
) -> Result<Fields, Fault> {
    let mut f = Fields::default();
    let mut count = 0usize;
    while let Some(line) = lines.next_line()? {
        count += 1;
        if count > limits.max_headers {
            return Err(Fault::new(
                431,
                format!("more than {} header fields", limits.max_headers),
            ));
        }
        let (name, value) = split_field(line)?;
        if name.eq_ignore_ascii_case(b"content-length") {
            if f.content_length.is_some() {
                return Err(Fault::bad("duplicate Content-Length"));
            }
            f.content_length = Some(parse_length(value, limits.max_body)?);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            f.transfer_encoding = true;
        } else if name.eq_ignore_ascii_case(b"connection") {
            for option in value.split(|&b| b == b',') {
                let option = trim_ows(option);
                if option.eq_ignore_ascii_case(b"close") {
                    f.close = true;
                } else if option.eq_ignore_ascii_case(b"keep-alive") {
                    f.keep_alive = true;
                }
            }
        } else if name.eq_ignore_ascii_case(b"host") {
            f.hosts += 1;
        } else if request && name.eq_ignore_ascii_case(b"expect") {
            if value.eq_ignore_ascii_case(b"100-continue") {
                f.expect_continue = true;
            } else {
                return Err(Fault::new(417, "unsupported expectation"));
            }
        }
    }
    Ok(f)
}

/// `name ":" OWS value OWS` (RFC 9112 §5.1).
fn split_field(line: &[u8]) -> Result<(&[u8], &[u8]), Fault> {
    if matches!(line.first(), Some(b' ' | b'\t')) {
        return Err(Fault::bad("obsolete line folding"));
    }
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return Err(Fault::bad("header line without a colon"));
    };
    let (name, value) = line.split_at(colon);
    if name.is_empty() || !name.iter().copied().all(is_tchar) {
        return Err(Fault::bad("header name is not a token"));
    }
    Ok((name, trim_ows(value.get(1..).unwrap_or_default())))
}

/// A `Content-Length` value: decimal digits only, at most `max`.
fn parse_length(value: &[u8], max: usize) -> Result<usize, Fault> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(Fault::bad("Content-Length is not a decimal number"));
    }
    let mut n: u64 = 0;
    for &d in value {
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
            .ok_or_else(|| Fault::bad("Content-Length overflows"))?;
    }
    match usize::try_from(n) {
        Ok(len) if len <= max => Ok(len),
        _ => Err(Fault {
            status: 413,
            error: TransportError::FrameTooLarge {
                len: usize::try_from(n).unwrap_or(usize::MAX),
                max,
            },
        }),
    }
}

fn trim_ows(mut v: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = v {
        v = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = v {
        v = rest;
    }
    v
}

/// tchar (RFC 9110 §5.6.2).
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The CRLF-terminated lines of a head, without the final blank line.
struct Lines<'a> {
    rest: &'a [u8],
}

impl<'a> Lines<'a> {
    fn new(head: &'a [u8]) -> Self {
        Lines { rest: head }
    }

    /// The next line, or `None` at the blank line that ends the head.
    fn next_line(&mut self) -> Result<Option<&'a [u8]>, Fault> {
        let Some(end) = self.rest.windows(2).position(|w| w == b"\r\n") else {
            // The scanner only hands over heads that end in CRLF CRLF.
            return Err(Fault::bad("header section does not end in CRLF"));
        };
        let line = self.rest.get(..end).unwrap_or_default();
        self.rest = self.rest.get(end + 2..).unwrap_or_default();
        if line.iter().any(|&b| b == b'\r' || b == b'\n') {
            return Err(Fault::bad("bare CR or LF in the header section"));
        }
        Ok((!line.is_empty()).then_some(line))
    }
}
