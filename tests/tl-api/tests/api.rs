//! The generated API types at work: a nested query as an app sends it,
//! function results that are vectors, and the depth bound on recursive
//! types (with the stack it needs).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mtproto_core::TlError;
use mtproto_core::tl::codegen::{RawObject, RemoteCall};
use mtproto_core::tl::dynamic::Codec;
use mtproto_core::tl::{Deserialize, Identifiable, MAX_DEPTH, Serialize, Writer};
use mtproto_tl_api::{Function, functions, types};
use serde_json::json;

fn codec() -> Codec {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/api.tl");
    Codec::from_schema_text(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn init_connection_as_an_app_sends_it() {
    let get_config = functions::HelpGetConfig;
    let init = functions::InitConnection {
        api_id: 12345,
        device_model: "Test device".into(),
        system_version: "1.0".into(),
        app_version: "0.1.0".into(),
        system_lang_code: "en".into(),
        lang_pack: String::new(),
        lang_code: "en".into(),
        proxy: None,
        params: None,
        query: RawObject::from_value(&get_config),
    };
    let query = functions::InvokeWithLayer {
        layer: 228,
        query: RawObject::from_value(&init),
    };
    let bytes = query.to_tl_bytes();
    let expected = codec()
        .encode(&json!({
            "_": "invokeWithLayer", "layer": 228,
            "query": {
                "_": "initConnection", "api_id": 12345, "device_model": "Test device",
                "system_version": "1.0", "app_version": "0.1.0", "system_lang_code": "en",
                "lang_pack": "", "lang_code": "en", "query": {"_": "help.getConfig"}
            }
        }))
        .unwrap();
    assert_eq!(bytes, expected);

    // A server reads it layer by layer.
    let Function::InvokeWithLayer(outer) = Function::from_tl_bytes(&bytes).unwrap() else {
        panic!("not invokeWithLayer")
    };
    assert_eq!(outer.layer, 228);
    let Function::InitConnection(inner) = outer.query.decode::<Function>().unwrap() else {
        panic!("not initConnection")
    };
    assert_eq!(inner, init);
    assert_eq!(
        inner.query.decode::<Function>().unwrap(),
        Function::HelpGetConfig(get_config)
    );
    assert_eq!(
        inner.query.constructor_id(),
        Some(functions::HelpGetConfig::CONSTRUCTOR_ID)
    );
}

#[test]
fn results_are_typed_vectors_and_values() {
    // The result types, checked by the compiler.
    let users: <functions::UsersGetUsers as RemoteCall>::Return =
        vec![mtproto_tl_api::User::UserEmpty(types::UserEmpty { id: 7 })];
    let ids: <functions::ContactsGetContactIds as RemoteCall>::Return = vec![1, -2];
    let ok: <functions::AuthLogOut as RemoteCall>::Return =
        mtproto_tl_api::AuthLoggedOut::from_tl_bytes(
            &types::AuthLoggedOut {
                future_auth_token: None,
            }
            .to_tl_bytes(),
        )
        .unwrap();
    let _: <functions::AccountUpdateStatus as RemoteCall>::Return = true;
    let _: <functions::MessagesGetHistory as RemoteCall>::Return =
        mtproto_tl_api::MessagesMessages::MessagesMessagesNotModified(
            types::MessagesMessagesNotModified { count: 0 },
        );
    assert_eq!(ok.future_auth_token, None);

    let codec = codec();
    assert_eq!(
        users.to_tl_bytes(),
        codec
            .encode_as("Vector<User>", &json!([{"_": "userEmpty", "id": "7"}]))
            .unwrap()
    );
    assert_eq!(
        ids.to_tl_bytes(),
        codec.encode_as("Vector<int>", &json!([1, -2])).unwrap()
    );
}

/// Builds `storyItem { media: messageMediaStory { story: storyItem { ... } } }`
/// `pairs` times around a story with no media, by hand: the dynamic codec
/// would refuse it (it counts every level, and this is deeper than it takes).
fn nested_stories(pairs: usize) -> mtproto_tl_api::StoryItem {
    let story = |media: mtproto_tl_api::MessageMedia| types::StoryItem {
        pinned: false,
        public: true,
        close_friends: false,
        min: false,
        noforwards: false,
        edited: false,
        contacts: false,
        selected_contacts: false,
        out: false,
        id: 1,
        date: 2,
        from_id: None,
        fwd_from: None,
        expire_date: 3,
        caption: Some("a caption of some length, as stories have".into()),
        entities: None,
        media: Box::new(media),
        media_areas: None,
        privacy: None,
        views: None,
        sent_reaction: None,
        albums: None,
        music: None,
    };
    let mut item = story(mtproto_tl_api::MessageMedia::MessageMediaEmpty(
        types::MessageMediaEmpty,
    ));
    for _ in 0..pairs {
        item = story(mtproto_tl_api::MessageMedia::MessageMediaStory(
            types::MessageMediaStory {
                via_mention: false,
                peer: mtproto_tl_api::Peer::PeerUser(types::PeerUser { user_id: 5 }),
                id: 9,
                story: Some(Box::new(mtproto_tl_api::StoryItem::StoryItem(item))),
            },
        ));
    }
    mtproto_tl_api::StoryItem::StoryItem(item)
}

#[test]
fn recursion_is_bounded_by_max_depth() {
    // textBold × n around textEmpty: each textBold is one level.
    let bold = |n: usize| {
        let mut w = Writer::new();
        for _ in 0..n {
            w.write_u32(types::TextBold::CONSTRUCTOR_ID);
        }
        w.write_u32(types::TextEmpty::CONSTRUCTOR_ID);
        w.into_inner()
    };
    let text = mtproto_tl_api::RichText::from_tl_bytes(&bold(MAX_DEPTH)).unwrap();
    assert_eq!(text.to_tl_bytes(), bold(MAX_DEPTH));
    assert!(matches!(
        mtproto_tl_api::RichText::from_tl_bytes(&bold(MAX_DEPTH + 1)),
        Err(TlError::TooDeep { limit: MAX_DEPTH })
    ));
    // 10 MB of nesting fails as fast, after MAX_DEPTH levels.
    assert!(matches!(
        mtproto_tl_api::RichText::from_tl_bytes(&bold(2_500_000)),
        Err(TlError::TooDeep { .. })
    ));

    // A cycle of big types: storyItem → messageMediaStory → storyItem.
    // n pairs are 2n + 1 levels.
    let ok = nested_stories(MAX_DEPTH / 2 - 1).to_tl_bytes();
    let deep = nested_stories(MAX_DEPTH / 2).to_tl_bytes();
    let decoded = mtproto_tl_api::StoryItem::from_tl_bytes(&ok).unwrap();
    assert_eq!(decoded.to_tl_bytes(), ok);
    assert!(matches!(
        mtproto_tl_api::StoryItem::from_tl_bytes(&deep),
        Err(TlError::TooDeep { .. })
    ));
}

#[test]
fn the_deepest_accepted_value_fits_a_small_stack() {
    // What bounding the depth buys: the deepest value the types accept, in
    // the cycle with the biggest frames (storyItem → messageMediaStory, 63
    // levels), decodes on a thread with 1 MiB of stack (half of what Rust
    // gives spawned threads), even unoptimized. Measured with rustc 1.95 on
    // x86-64: about 0.5 MiB unoptimized, 0.15 MiB optimized.
    let ok = nested_stories(MAX_DEPTH / 2 - 1).to_tl_bytes();
    let text = {
        let mut w = Writer::new();
        for _ in 0..MAX_DEPTH {
            w.write_u32(types::TextBold::CONSTRUCTOR_ID);
        }
        w.write_u32(types::TextEmpty::CONSTRUCTOR_ID);
        w.into_inner()
    };
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            let s = mtproto_tl_api::StoryItem::from_tl_bytes(&ok).unwrap();
            assert_eq!(s.to_tl_bytes(), ok);
            let t = mtproto_tl_api::RichText::from_tl_bytes(&text).unwrap();
            drop(t);
            drop(s);
        })
        .unwrap()
        .join()
        .unwrap();
}
