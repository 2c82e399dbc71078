//! [`mtp_direction`]: which way a message travels.

use mtproto_core::Direction;

use crate::result::Failure;

/// Which way a message travels; MTProto derives different keys for each
/// direction. One of `MTP_DIRECTION_CLIENT_TO_SERVER` and
/// `MTP_DIRECTION_SERVER_TO_CLIENT`; any other value is rejected with
/// `MTP_RESULT_INVALID_ARGUMENT`.
///
/// A plain integer type rather than a C `enum`, so that any value a caller
/// passes is well defined on the Rust side.
pub type mtp_direction = u32;

/// Messages sent by the client (the spec's `x = 0`). A client seals with
/// this direction; a server opens with it.
pub const MTP_DIRECTION_CLIENT_TO_SERVER: mtp_direction = 0;

/// Messages sent by the server (the spec's `x = 8`). A server seals with
/// this direction; a client opens with it.
pub const MTP_DIRECTION_SERVER_TO_CLIENT: mtp_direction = 1;

/// The core's direction for a C value.
pub(crate) fn from_c(direction: mtp_direction) -> Result<Direction, Failure> {
    match direction {
        MTP_DIRECTION_CLIENT_TO_SERVER => Ok(Direction::ClientToServer),
        MTP_DIRECTION_SERVER_TO_CLIENT => Ok(Direction::ServerToClient),
        other => Err(Failure::invalid(format!(
            "direction must be MTP_DIRECTION_CLIENT_TO_SERVER (0) or MTP_DIRECTION_SERVER_TO_CLIENT (1), got {other}"
        ))),
    }
}
