//! A bounded receive buffer shared by every streaming decoder: bytes are
//! appended as they arrive and consumed from the front as frames complete.

use crate::error::TransportError;

/// Received bytes not yet consumed, never more than a fixed limit.
#[derive(Clone, Debug)]
pub struct StreamBuffer {
    data: Vec<u8>,
    start: usize,
    limit: usize,
}

impl StreamBuffer {
    /// An empty buffer that refuses to hold more than `limit` unconsumed
    /// bytes.
    pub fn new(limit: usize) -> Self {
        StreamBuffer {
            data: Vec::new(),
            start: 0,
            limit,
        }
    }

    /// Append `bytes`. More than `limit` unconsumed bytes is
    /// [`TransportError::BufferFull`] (the peer sent far more than one frame
    /// the codec can take), and nothing is appended.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        if self.len().saturating_add(bytes.len()) > self.limit {
            return Err(TransportError::BufferFull { limit: self.limit });
        }
        if self.start > 0 && self.start >= self.data.len() / 2 {
            self.data.drain(..self.start);
            self.start = 0;
        }
        self.data.extend_from_slice(bytes);
        Ok(())
    }

    /// The unconsumed bytes.
    pub fn as_slice(&self) -> &[u8] {
        self.data.get(self.start..).unwrap_or_default()
    }

    /// Mutable access to the unconsumed bytes (for in-place decryption).
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        let start = self.start;
        self.data.get_mut(start..).unwrap_or_default()
    }

    /// How many bytes are unconsumed.
    pub fn len(&self) -> usize {
        self.data.len() - self.start
    }

    /// Whether nothing is buffered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drop the first `n` unconsumed bytes (at most all of them).
    pub fn consume(&mut self, n: usize) {
        self.start = (self.start + n).min(self.data.len());
        if self.start == self.data.len() {
            self.data.clear();
            self.start = 0;
        }
    }

    /// Take the first `n` unconsumed bytes out (`None` if fewer are there).
    pub fn take(&mut self, n: usize) -> Option<Vec<u8>> {
        let out = self.as_slice().get(..n)?.to_vec();
        self.consume(n);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_consume_take_and_limit() {
        let mut b = StreamBuffer::new(8);
        b.push(&[1, 2, 3]).unwrap();
        b.push(&[4, 5]).unwrap();
        assert_eq!(b.take(2), Some(vec![1, 2]));
        assert_eq!(b.as_slice(), &[3, 4, 5]);
        assert_eq!(b.take(4), None);
        assert!(matches!(
            b.push(&[0; 6]),
            Err(TransportError::BufferFull { limit: 8 })
        ));
        b.push(&[6, 7, 8, 9, 10]).unwrap();
        b.consume(100);
        assert!(b.is_empty());
    }
}
