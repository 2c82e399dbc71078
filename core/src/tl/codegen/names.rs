//! Rust names for TL names: `CamelCase` for types, `snake_case` for fields,
//! with keywords escaped so every schema identifier gives a valid Rust one.

/// Split a TL identifier into words: at `_` and `.`, before an uppercase
/// letter that follows a lowercase letter or digit (`resPQ` → `res`, `PQ`),
/// and before the last capital of a run followed by a lowercase letter
/// (`getDHConfig` → `get`, `DH`, `Config`), except a plural `s` ending the
/// word (`getContactIDs` → `get`, `Contact`, `IDs`).
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &ch) in chars.iter().enumerate() {
        if ch == '_' || ch == '.' {
            if !cur.is_empty() {
                out.push(core::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let boundary = ch.is_ascii_uppercase()
            && match prev {
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => {
                    let after = chars.get(i + 2).copied();
                    let plural =
                        next == Some('s') && !after.is_some_and(|a| a.is_ascii_lowercase());
                    next.is_some_and(|n| n.is_ascii_lowercase()) && !plural
                }
                _ => false,
            };
        if boundary && !cur.is_empty() {
            out.push(core::mem::take(&mut cur));
        }
        cur.push(ch);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `p_q_inner_data_dc` → `PQInnerDataDc`, `resPQ` → `ResPq`,
/// `messages.getHistory` → `MessagesGetHistory`. Acronyms become ordinary
/// words, as Rust's naming guidelines (RFC 430) ask.
pub(super) fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in words(name) {
        let mut cs = w.chars();
        if let Some(first) = cs.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// `server_nonce` → `server_nonce`, `msgIds` → `msg_ids`; no escaping.
pub(super) fn snake_case(name: &str) -> String {
    words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// Rust keywords (strict, reserved and edition-2024 ones) that a field name
/// may collide with.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing `_`.
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// A field name as written in Rust: `snake_case`, `r#type` for a keyword,
/// `self_` for the few words that cannot be raw identifiers.
pub(super) fn field_name(tl: &str) -> String {
    let s = snake_case(tl);
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The name of the local variable that holds a field while it is read:
/// `f_` and the unescaped snake name, so it never shadows `r`, `w` or a
/// keyword.
pub(super) fn local_name(tl: &str) -> String {
    format!("f_{}", snake_case(tl))
}

/// Type names the generated code itself uses; a schema type with one of
/// these names would shadow them, so the generator refuses it.
pub(super) const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Vec",
    "String",
    "Result",
    "Ok",
    "Err",
    "Box",
    "Self",
    "RawObject",
    "RemoteCall",
    "Reader",
    "Writer",
    "TlError",
    "Serialize",
    "Deserialize",
    "Identifiable",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel_case("p_q_inner_data_dc"), "PQInnerDataDc");
        assert_eq!(camel_case("P_Q_inner_data"), "PQInnerData");
        assert_eq!(camel_case("resPQ"), "ResPq");
        assert_eq!(camel_case("server_DH_params_ok"), "ServerDhParamsOk");
        assert_eq!(
            camel_case("Set_client_DH_params_answer"),
            "SetClientDhParamsAnswer"
        );
        assert_eq!(camel_case("messages.getDHConfig"), "MessagesGetDhConfig");
        assert_eq!(
            camel_case("contacts.getContactIDs"),
            "ContactsGetContactIds"
        );
        assert_eq!(camel_case("getURLsFor"), "GetUrlsFor");
        assert_eq!(camel_case("getIDsByName"), "GetIdsByName");
        assert_eq!(snake_case("msgIDs"), "msg_ids");
        assert_eq!(camel_case("int128"), "Int128");
        assert_eq!(camel_case("msgs_ack"), "MsgsAck");
        assert_eq!(snake_case("new_nonce_hash1"), "new_nonce_hash1");
        assert_eq!(snake_case("msgIds"), "msg_ids");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("g_a"), "g_a");
        assert_eq!(local_name("type"), "f_type");
    }
}
