//! The schema text parser. Declarations end with `;` and may span lines;
//! `//` and `/* */` comments are skipped; `---functions---` and
//! `---types---` switch sections.

use super::{Builtin, Combinator, Condition, Param, ParamType, Section, TypeRef, id, name_is_bare};
use crate::error::TlError;

type Parsed = (Vec<Combinator>, Vec<Builtin>, Option<u32>);

pub(super) fn parse_text(text: &str) -> Result<Parsed, TlError> {
    let mut combinators = Vec::new();
    let mut builtins = Vec::new();
    let mut layer = None;
    let mut section = Section::Types;
    let mut pending = String::new();
    let mut pending_line = 0;
    let mut in_block_comment = false;

    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = strip_comments(raw, &mut in_block_comment);
        if let Some(l) = layer_comment(raw) {
            layer = Some(l);
        }
        let trimmed = line.trim();
        if let Some(name) = trimmed
            .strip_prefix("---")
            .and_then(|s| s.strip_suffix("---"))
        {
            if !pending.trim().is_empty() {
                return Err(err(
                    pending_line,
                    "declaration not terminated by ';' before a section marker",
                ));
            }
            section = match name {
                "functions" => Section::Functions,
                "types" => Section::Types,
                other => return Err(err(line_no, &format!("unknown section ---{other}---"))),
            };
            continue;
        }
        let mut rest = trimmed;
        while let Some(end) = rest.find(';') {
            let (decl, after) = rest.split_at(end);
            if pending.trim().is_empty() {
                pending_line = line_no;
            }
            pending.push(' ');
            pending.push_str(decl);
            let full = core::mem::take(&mut pending);
            match parse_declaration(full.trim(), section, pending_line)? {
                Declaration::Combinator(c) => combinators.push(c),
                Declaration::Builtin(b) => builtins.push(b),
            }
            rest = after.get(1..).unwrap_or_default();
        }
        if !rest.trim().is_empty() {
            if pending.trim().is_empty() {
                pending_line = line_no;
            }
            pending.push(' ');
            pending.push_str(rest);
        }
    }
    if !pending.trim().is_empty() {
        return Err(err(pending_line, "declaration not terminated by ';'"));
    }
    Ok((combinators, builtins, layer))
}

fn err(line: usize, message: &str) -> TlError {
    TlError::Schema {
        line,
        message: message.to_string(),
    }
}

/// `// LAYER 228` (any case).
fn layer_comment(raw: &str) -> Option<u32> {
    let c = raw.trim().strip_prefix("//")?.trim();
    let (word, num) = c.split_once(char::is_whitespace)?;
    if word.eq_ignore_ascii_case("layer") {
        num.trim().parse().ok()
    } else {
        None
    }
}

fn strip_comments(raw: &str, in_block: &mut bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    loop {
        if *in_block {
            match rest.find("*/") {
                Some(i) => {
                    *in_block = false;
                    rest = rest.get(i + 2..).unwrap_or_default();
                }
                None => return out,
            }
        }
        let line_c = rest.find("//");
        let block_c = rest.find("/*");
        match (line_c, block_c) {
            (Some(l), Some(b)) if l < b => {
                out.push_str(rest.get(..l).unwrap_or_default());
                return out;
            }
            (Some(l), None) => {
                out.push_str(rest.get(..l).unwrap_or_default());
                return out;
            }
            (_, Some(b)) => {
                out.push_str(rest.get(..b).unwrap_or_default());
                out.push(' ');
                *in_block = true;
                rest = rest.get(b + 2..).unwrap_or_default();
            }
            (None, None) => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

enum Declaration {
    Combinator(Combinator),
    Builtin(Builtin),
}

fn parse_declaration(decl: &str, section: Section, line: usize) -> Result<Declaration, TlError> {
    let (lhs, rhs) = decl.split_once('=').ok_or_else(|| {
        err(
            line,
            &format!("expected 'name fields = Type', found {decl:?}"),
        )
    })?;
    let result = parse_result_type(rhs.trim(), line)?;
    let mut tokens = tokenize(lhs);
    let head = tokens
        .next()
        .ok_or_else(|| err(line, "missing combinator name"))?;
    let (name, explicit) = match head.split_once('#') {
        Some((name, hex)) => {
            let id = u32::from_str_radix(hex, 16)
                .map_err(|_| err(line, &format!("invalid constructor id #{hex}")))?;
            (name.to_string(), Some(id))
        }
        None => (head.to_string(), None),
    };
    check_ident(&name, line)?;

    let rest: Vec<&str> = tokens.collect();
    if rest.first() == Some(&"?") && rest.len() == 1 {
        return Ok(Declaration::Builtin(Builtin {
            name,
            result: result.name,
        }));
    }

    let mut type_params = Vec::new();
    let mut params = Vec::new();
    let mut i = 0;
    while let Some(&tok) = rest.get(i) {
        i += 1;
        if let Some(inner) = tok.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            let (pname, kind) = inner
                .split_once(':')
                .ok_or_else(|| err(line, &format!("expected {{X:Type}}, found {tok}")))?;
            if kind != "Type" {
                return Err(err(
                    line,
                    &format!("only {{X:Type}} generics are supported, found {tok}"),
                ));
            }
            type_params.push(pname.to_string());
        } else if tok == "#" {
            params.push(Param {
                name: String::new(),
                ty: ParamType::Flags,
            });
        } else if tok == "[" || tok.ends_with("*[") {
            let count = tok.strip_suffix("*[").unwrap_or("#").to_string();
            let mut items = Vec::new();
            loop {
                let t = rest
                    .get(i)
                    .ok_or_else(|| err(line, "unterminated [ ... ]"))?;
                i += 1;
                if *t == "]" {
                    break;
                }
                // Items may be anonymous: `[ t ]`.
                let item = if t.contains(':') {
                    parse_param(t, &type_params, line)?
                } else {
                    let ty = parse_type(t, line)?;
                    Param {
                        name: String::new(),
                        ty: ParamType::Typed {
                            ty,
                            condition: None,
                        },
                    }
                };
                items.push(item);
            }
            params.push(Param {
                name: String::new(),
                ty: ParamType::Repeat { count, items },
            });
        } else {
            params.push(parse_param(tok, &type_params, line)?);
        }
    }

    let mut c = Combinator {
        name,
        id: 0,
        explicit_id: explicit.is_some(),
        id_check: id::IdCheck::Computed,
        type_params,
        params,
        result,
        section,
        line,
    };
    match explicit {
        Some(written) => {
            c.id = written;
            c.id_check = id::check(&c, written);
        }
        None => c.id = id::combinator_id(&c),
    }
    check_flags(&c)?;
    Ok(Declaration::Combinator(c))
}

/// Whitespace-separated tokens, with `<...>` kept inside its token.
fn tokenize(s: &str) -> impl Iterator<Item = &str> {
    s.split_whitespace()
}

fn check_ident(name: &str, line: usize) -> Result<(), TlError> {
    let ok = !name.is_empty()
        && name.split('.').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    if ok {
        Ok(())
    } else {
        Err(err(line, &format!("invalid identifier {name:?}")))
    }
}

fn parse_param(tok: &str, type_params: &[String], line: usize) -> Result<Param, TlError> {
    let (name, ty) = tok
        .split_once(':')
        .ok_or_else(|| err(line, &format!("expected name:Type, found {tok}")))?;
    check_ident(name, line)?;
    if ty == "#" {
        return Ok(Param {
            name: name.to_string(),
            ty: ParamType::Flags,
        });
    }
    let (condition, ty) = match ty.split_once('?') {
        Some((cond, ty)) => {
            let (field, bit) = cond
                .split_once('.')
                .ok_or_else(|| err(line, &format!("expected flags.N?Type, found {tok}")))?;
            let bit: u32 = bit
                .parse()
                .ok()
                .filter(|b| *b < 32)
                .ok_or_else(|| err(line, &format!("flag bit must be 0..=31 in {tok}")))?;
            (
                Some(Condition {
                    field: field.to_string(),
                    bit,
                }),
                ty,
            )
        }
        None => (None, ty),
    };
    let ty = parse_type(ty, line)?;
    if ty.bang && !type_params.contains(&ty.name) {
        return Err(err(
            line,
            &format!("!{} names no {{X:Type}} parameter", ty.name),
        ));
    }
    Ok(Param {
        name: name.to_string(),
        ty: ParamType::Typed { ty, condition },
    })
}

/// `Type`, `%Type`, `!X`, `ns.Type`, `Vector<T>`, `vector<%T>`, nested.
pub(crate) fn parse_type(s: &str, line: usize) -> Result<TypeRef, TlError> {
    let (bang, s) = match s.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (percent, s) = match s.strip_prefix('%') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (name, args) = match s.split_once('<') {
        Some((name, inner)) => {
            let inner = inner
                .strip_suffix('>')
                .ok_or_else(|| err(line, &format!("unbalanced '<' in {s}")))?;
            let args = split_args(inner)
                .into_iter()
                .map(|a| parse_type(a.trim(), line))
                .collect::<Result<Vec<_>, _>>()?;
            (name, args)
        }
        None => (s, Vec::new()),
    };
    check_ident(name, line)?;
    Ok(TypeRef {
        name: name.to_string(),
        bare: percent || name_is_bare(name),
        bang,
        args,
    })
}

/// Split `a,b<c,d>` at top-level commas.
fn split_args(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, ch) in s.char_indices() {
        match ch {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(s.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s.get(start..).unwrap_or_default());
    out
}

/// The result after `=`: `Type`, `ns.Type`, `X`, `Vector t`, `Vector<t>`.
fn parse_result_type(s: &str, line: usize) -> Result<TypeRef, TlError> {
    let mut parts = s.split_whitespace();
    let head = parts
        .next()
        .ok_or_else(|| err(line, "missing result type"))?;
    let mut ty = parse_type(head, line)?;
    for arg in parts {
        ty.args.push(parse_type(arg, line)?);
    }
    Ok(ty)
}

/// Every `flags.N?` must name an earlier `#` field.
fn check_flags(c: &Combinator) -> Result<(), TlError> {
    let mut seen: Vec<&str> = Vec::new();
    for p in &c.params {
        match &p.ty {
            ParamType::Flags => seen.push(&p.name),
            ParamType::Typed {
                condition: Some(cond),
                ..
            } if !seen.contains(&cond.field.as_str()) => {
                return Err(err(
                    c.line,
                    &format!(
                        "{}: field {} tests {} before any '{}:#' field",
                        c.name, p.name, cond.field, cond.field
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
