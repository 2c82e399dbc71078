//! Constructor ids: the CRC32 (IEEE) of the declaration in its normalized
//! form (`/mtproto/TL-combinators`). The normalized form is rebuilt from the
//! parsed declaration, so whitespace does not matter:
//!
//! - no `#id`, and no `{`/`}` around generic parameters (`X:Type` stays);
//! - `flags.N?true` fields are dropped (they occupy no bytes);
//! - type arguments follow a space: `Vector<long>` → `Vector long`;
//! - a field of type `bytes` is written `string` (they serialize alike);
//! - one space between tokens, ` = ` before the result.
//!
//! Real schemas carry ids that were computed from older spellings of their
//! declarations. The id check accepts an explicit id when it matches one of these
//! known variants, found by checking every id of the layer-228 API schema and
//! the secret-chat schema: `bytes` kept as `bytes` (`ipPortSecret`);
//! `vector<T>` written without the separator (`accessPointRule`); a name
//! versioned with a layer suffix or `Legacy`, hashed without it
//! (`decryptedMessage8`, `inputStickerSetThumbLegacy`).

use super::{Combinator, Param, ParamType, TypeRef, name_is_bare};

/// How an id was established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdCheck {
    /// No id was written; it was computed.
    Computed,
    /// The written id is the CRC32 of the canonical normalized declaration.
    Verified,
    /// The written id is the CRC32 of a known older spelling (see the module
    /// docs).
    VerifiedVariant,
    /// The written id repeats the id of another declaration that verifies (an
    /// intentional alias, such as api.tl's `invokeWith...Prefix` functions).
    Alias,
    /// The written id matches no spelling of the declaration.
    Unverified,
}

impl IdCheck {
    /// Whether the id is trustworthy (everything but [`IdCheck::Unverified`]).
    pub fn is_ok(self) -> bool {
        self != IdCheck::Unverified
    }
}

#[derive(Clone, Copy)]
struct Spelling<'a> {
    name: &'a str,
    bytes_as_string: bool,
    joined_bare_vector: bool,
}

/// The computed id of a declaration (whatever id it states).
pub fn combinator_id(c: &Combinator) -> u32 {
    crc32fast::hash(normalized(c).as_bytes())
}

/// Whether `id` is the hash of a known spelling of `c` (canonical first).
pub(super) fn check(c: &Combinator, id: u32) -> IdCheck {
    if combinator_id(c) == id {
        return IdCheck::Verified;
    }
    let base = strip_version(&c.name);
    for name in [c.name.as_str(), base] {
        for bytes_as_string in [true, false] {
            for joined_bare_vector in [false, true] {
                let sp = Spelling {
                    name,
                    bytes_as_string,
                    joined_bare_vector,
                };
                if crc32fast::hash(spell(c, sp).as_bytes()) == id {
                    return IdCheck::VerifiedVariant;
                }
            }
        }
    }
    IdCheck::Unverified
}

/// `decryptedMessage46` → `decryptedMessage`, `fooLegacy` → `foo`.
fn strip_version(name: &str) -> &str {
    let no_digits = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let base = no_digits.strip_suffix("Legacy").unwrap_or(no_digits);
    if base.is_empty() || base.ends_with('.') {
        name
    } else {
        base
    }
}

/// The canonical normalized declaration that [`combinator_id`] hashes.
pub fn normalized(c: &Combinator) -> String {
    spell(
        c,
        Spelling {
            name: &c.name,
            bytes_as_string: true,
            joined_bare_vector: false,
        },
    )
}

fn spell(c: &Combinator, sp: Spelling<'_>) -> String {
    let mut s = sp.name.to_string();
    for t in &c.type_params {
        s.push(' ');
        s.push_str(t);
        s.push_str(":Type");
    }
    for p in &c.params {
        push_param(&mut s, p, sp);
    }
    s.push_str(" = ");
    push_type(&mut s, &c.result, sp, false);
    s
}

fn push_param(s: &mut String, p: &Param, sp: Spelling<'_>) {
    if p.is_true_flag() {
        return;
    }
    s.push(' ');
    match &p.ty {
        ParamType::Flags if p.name.is_empty() => s.push('#'),
        ParamType::Flags => {
            s.push_str(&p.name);
            s.push_str(":#");
        }
        ParamType::Typed { ty, condition } => {
            if !p.name.is_empty() {
                s.push_str(&p.name);
                s.push(':');
            }
            if let Some(c) = condition {
                s.push_str(&format!("{}.{}?", c.field, c.bit));
            }
            push_type(s, ty, sp, true);
        }
        ParamType::Repeat { count, items } => {
            if count != "#" {
                s.push_str(count);
                s.push('*');
            }
            s.push('[');
            for item in items {
                push_param(s, item, sp);
            }
            s.push_str(" ]");
        }
    }
}

fn push_type(s: &mut String, t: &TypeRef, sp: Spelling<'_>, field: bool) {
    if t.bang {
        s.push('!');
    }
    if t.bare && !name_is_bare(&t.name) {
        s.push('%');
    }
    if field && sp.bytes_as_string && t.name == "bytes" {
        s.push_str("string");
    } else {
        s.push_str(&t.name);
    }
    let joined = sp.joined_bare_vector && t.name == "vector";
    for a in &t.args {
        if !joined {
            s.push(' ');
        }
        push_type(s, a, sp, false);
    }
}
