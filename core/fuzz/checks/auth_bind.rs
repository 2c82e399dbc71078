// The body of the `auth_bind` fuzz target, shared with the corpus replay
// test: the server's check of auth.bindTempAuthKey. The first byte picks the
// input: 0: the whole query; 1: the 72-byte MTProto 1.0 plaintext (random,
// msg_id, seq_no, length, bind_auth_key_inner), encrypted under the permanent
// key as a client would and put into a query (reaches the field checks).
// Nothing may panic; returns whether the binding was accepted.
#[allow(dead_code)]
fn auth_bind(data: &[u8]) -> bool {
    use mtproto_core::auth::bind::BIND_TEMP_AUTH_KEY_ID;
    use mtproto_core::auth::{verify_bind_temp_auth_key, AuthKeyStore};
    use mtproto_core::crypto::aes_ige::ige_encrypt;
    use mtproto_core::crypto::kdf::{derive_v1, msg_key_v1};
    use mtproto_core::envelope::{MsgId, SessionId};
    use mtproto_core::tl::Writer;
    use mtproto_core::{AuthKey, Direction, UnixMillis};

    let Some((&mode, rest)) = data.split_first() else {
        return false;
    };
    let perm = AuthKey::new(core::array::from_fn(|i| i as u8));
    let temp = AuthKey::new(core::array::from_fn(|i| 255 - i as u8));
    let now = UnixMillis(1_700_000_000_000);
    let mut store = AuthKeyStore::new();
    store.insert_permanent(perm.clone(), 2);
    store.insert_temporary(temp.clone(), 2, 1_700_086_400);
    let session = SessionId(0x0102_0304_0506_0708);
    let msg_id = MsgId(1_700_000_000u64 << 32);
    let query = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        let mut plain = rest.get(..72.min(rest.len())).unwrap_or(&[]).to_vec();
        plain.resize(72, 0);
        let msg_key = msg_key_v1(&plain);
        plain.resize(80, 0);
        let keys = derive_v1(&perm, Direction::ClientToServer, &msg_key);
        ige_encrypt(&keys.key, &keys.iv, &mut plain).expect("whole blocks");
        let mut message = perm.id().to_wire().to_vec();
        message.extend_from_slice(&msg_key.0);
        message.extend_from_slice(&plain);
        let inner_at = 32;
        // Take the query's nonce and expires_at from the inner data, so only
        // the fuzzed fields decide.
        let field = |at: usize, n: usize| rest.get(inner_at + at..inner_at + at + n);
        let nonce = field(4, 8).map_or(0, |b| i64::from_le_bytes(b.try_into().expect("8")));
        let expires = field(36, 4).map_or(0, |b| i32::from_le_bytes(b.try_into().expect("4")));
        let mut w = Writer::new();
        w.write_u32(BIND_TEMP_AUTH_KEY_ID);
        w.write_i64(perm.id().0 as i64);
        w.write_i64(nonce);
        w.write_i32(expires);
        w.write_bytes(&message);
        w.into_inner()
    };
    let accepted = verify_bind_temp_auth_key(&mut store, &query, temp.id(), session, msg_id, now).is_ok();
    if accepted {
        assert_eq!(store.bound_permanent(temp.id(), now), Some(perm.id()));
    }
    accepted
}
