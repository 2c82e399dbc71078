//! `make demo`: the crypto core at work. It grows, issue by issue, into a
//! loopback server and clients talking over every transport.

use mtproto_core::crypto::aes_ige::ige_decrypt;
use mtproto_core::crypto::hash::sha1;
use mtproto_core::crypto::kdf::handshake_tmp_key_iv;
use mtproto_core::envelope::{
    MessageHeader, MsgId, Salt, SeqNo, SessionId, open_encrypted, peek_auth_key_id, seal_encrypted,
};
use mtproto_core::error::Error;
use mtproto_core::{AuthKey, Direction, OsRandom, SecureRandom};
use mtproto_testkit::vectors;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== 1. Telegram's worked key-creation example (/mtproto/samples-auth_key)");
    let tmp = vectors::case("handshake_tmp_key.json", "samples-auth_key")?;
    let new_nonce: [u8; 32] = vectors::bytes(&tmp, "new_nonce")?
        .try_into()
        .map_err(|_| "new_nonce")?;
    let server_nonce: [u8; 16] = vectors::bytes(&tmp, "server_nonce")?
        .try_into()
        .map_err(|_| "server_nonce")?;
    let key_iv = handshake_tmp_key_iv(&new_nonce, &server_nonce);
    println!("tmp_aes_key = {}", hex::encode(key_iv.key));
    println!("tmp_aes_iv  = {}", hex::encode(key_iv.iv));
    let answer = vectors::case("ige.json", "samples-auth_key/server_DH_inner_data")?;
    let mut data = vectors::bytes(&answer, "ciphertext")?;
    ige_decrypt(&key_iv.key, &key_iv.iv, &mut data)?;
    // answer_with_hash = SHA1(answer) ‖ answer ‖ padding; server_DH_inner_data
    // is 564 bytes in the example.
    let (hash, rest) = data.split_at(20);
    let inner = rest.get(..564).ok_or("short answer")?;
    println!(
        "decrypted server_DH_inner_data: constructor {:08x}, SHA1 check {}",
        u32::from_le_bytes(inner.get(..4).ok_or("short")?.try_into()?),
        if sha1(&[inner]) == hash {
            "passes"
        } else {
            "FAILS"
        }
    );

    println!("\n== 2. An encrypted conversation (MTProto 2.0 envelope)");
    let mut rng = OsRandom;
    let mut key_bytes = [0u8; 256];
    rng.fill(&mut key_bytes)?;
    let (client_key, server_key) = (AuthKey::new(key_bytes), AuthKey::new(key_bytes));
    println!("shared auth key: {client_key:?}");
    let mut session = [0u8; 8];
    rng.fill(&mut session)?;
    let header = MessageHeader {
        salt: Salt(0x0123_4567_89ab_cdef),
        session_id: SessionId(u64::from_le_bytes(session)),
        msg_id: MsgId(0x6560_0000_0000_0004),
        seq_no: SeqNo(1),
    };
    // ping#7abe77ec ping_id:long
    let ping = [&0x7abe_77ecu32.to_le_bytes()[..], &42u64.to_le_bytes()].concat();
    let wire = seal_encrypted(
        &client_key,
        Direction::ClientToServer,
        &header,
        &ping,
        &mut rng,
    )?;
    println!(
        "client → server: {} bytes: {}…",
        wire.len(),
        hex::encode(wire.get(..40).unwrap_or_default())
    );
    let id = peek_auth_key_id(&wire).ok_or("short")?;
    println!("server sees auth_key_id {:016x} and opens it", id.0);
    let got = open_encrypted(&server_key, Direction::ClientToServer, &wire)?;
    println!(
        "server got msg_id {:#x}, body {}",
        got.header.msg_id.0,
        hex::encode(&got.body)
    );

    // pong#347773c5 msg_id:long ping_id:long
    let pong = [
        &0x3477_73c5u32.to_le_bytes()[..],
        &got.header.msg_id.0.to_le_bytes(),
        &42u64.to_le_bytes(),
    ]
    .concat();
    let reply_header = MessageHeader {
        msg_id: MsgId(0x6560_0000_0000_0001),
        ..got.header
    };
    let reply = seal_encrypted(
        &server_key,
        Direction::ServerToClient,
        &reply_header,
        &pong,
        &mut rng,
    )?;
    let back = open_encrypted(&client_key, Direction::ServerToClient, &reply)?;
    println!("client got the pong: {}", hex::encode(&back.body));

    println!("\n== 3. Tampering");
    let mut bad = wire.clone();
    if let Some(b) = bad.get_mut(60) {
        *b ^= 1;
    }
    match open_encrypted(&server_key, Direction::ClientToServer, &bad) {
        Ok(_) => println!("tampered message accepted: BUG"),
        Err(e) => {
            let e = Error::from(e);
            println!(
                "one flipped bit: rejected, code {} ({e})",
                e.code().as_u32()
            )
        }
    }
    Ok(())
}
