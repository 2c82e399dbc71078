//! TL schemas as real ones are written (`/mtproto/TL`, `/mtproto/TL-combinators`):
//! comments, `---functions---` / `---types---` sections, builtin lines such as
//! `int ? = Int;`, generics `{X:Type}` and `!X`, `Vector<T>` and bare
//! `vector<T>`, `%T`, `#` flags (several fields, such as `flags2`),
//! conditional fields `flags.N?Type`, and explicit ids, which are checked
//! against the CRC32 of the normalized declaration ([`id`]).
//!
//! [`Schema::parse`] reads the text; the result indexes combinators by id and
//! by name for the dynamic codec and the code generator.

pub mod id;
mod parse;

use std::collections::HashMap;

use crate::error::TlError;

/// Which section of the schema a combinator was declared in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// A constructor of a type (`---types---`, the default).
    Types,
    /// A function, i.e. an RPC query (`---functions---`).
    Functions,
}

/// A reference to a type, as written in a field or a result.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TypeRef {
    /// The name, with its namespace (`messages.Messages`, `int`, `X`).
    pub name: String,
    /// Bare: written with a lowercase name (`int`, `vector<T>`) or `%T`; a
    /// bare value carries no constructor id.
    pub bare: bool,
    /// `!X`: any function of the generic type `X` (a nested query).
    pub bang: bool,
    /// Type arguments: `Vector<long>` has `[long]`.
    pub args: Vec<TypeRef>,
}

impl TypeRef {
    /// Parse a type expression as written in a field: `messages.Messages`,
    /// `Vector<long>`, `vector<%Message>`, `int`.
    pub fn parse(text: &str) -> Result<TypeRef, TlError> {
        parse::parse_type(text.trim(), 0)
    }

    /// A plain reference to `name`.
    pub fn named(name: &str) -> Self {
        TypeRef {
            name: name.to_string(),
            bare: name_is_bare(name),
            bang: false,
            args: Vec::new(),
        }
    }
}

impl core::fmt::Display for TypeRef {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.bang {
            f.write_str("!")?;
        }
        f.write_str(&self.name)?;
        if !self.args.is_empty() {
            f.write_str("<")?;
            for (i, a) in self.args.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{a}")?;
            }
            f.write_str(">")?;
        }
        Ok(())
    }
}

/// Whether a type name denotes a bare type: its last dotted segment starts
/// with a lowercase letter (`int`, `vector`, `storage.fileJpeg`), unlike a
/// boxed one (`Int`, `Vector`, `storage.FileType`).
pub fn name_is_bare(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

/// The type of one field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// `name:#`: a 32-bit word of flags that later fields test.
    Flags,
    /// `name:flags.N?Type`, or a plain `name:Type` when `condition` is `None`.
    Typed {
        /// The field's type.
        ty: TypeRef,
        /// Present only when flag `bit` of field `flags` is set.
        condition: Option<Condition>,
    },
    /// `# [ t ]` / `n*[ t ]` repetitions, as in the builtin `vector`
    /// declaration; kept for completeness (the codec handles vectors
    /// natively).
    Repeat {
        /// The multiplicity (`#` field name, or a number such as `4`).
        count: String,
        /// The repeated fields.
        items: Vec<Param>,
    },
}

/// `flags.N?`: a field present only when a bit is set.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Condition {
    /// The `#` field holding the bit (`flags`, `flags2`).
    pub field: String,
    /// The bit number, 0..=31.
    pub bit: u32,
}

/// One field of a combinator.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Param {
    /// The field's name (empty for an anonymous `#`).
    pub name: String,
    /// The field's type.
    pub ty: ParamType,
}

impl Param {
    /// Whether this is a `flags.N?true` field: a bit only, nothing on the wire.
    pub fn is_true_flag(&self) -> bool {
        matches!(&self.ty, ParamType::Typed { ty, condition: Some(_) } if ty.name == "true")
    }
}

/// One declaration: a constructor or a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Combinator {
    /// The full name with its namespace (`messages.getHistory`).
    pub name: String,
    /// The constructor id: the explicit one if given, else computed.
    pub id: u32,
    /// Whether the id was written in the schema.
    pub explicit_id: bool,
    /// How the id was checked against the declaration ([`id::IdCheck`]).
    pub id_check: id::IdCheck,
    /// The generic parameters `{X:Type}`.
    pub type_params: Vec<String>,
    /// The fields, in wire order.
    pub params: Vec<Param>,
    /// The type it constructs, or the function's result type.
    pub result: TypeRef,
    /// Types or functions.
    pub section: Section,
    /// 1-based line of the declaration.
    pub line: usize,
}

/// A builtin type declared with `?` (`int ? = Int;`): its values are
/// primitives, not combinators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Builtin {
    /// The bare name (`int`).
    pub name: String,
    /// The boxed name (`Int`).
    pub result: String,
}

/// A parsed schema, indexed for lookups.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// Every combinator in declaration order.
    pub combinators: Vec<Combinator>,
    /// Builtin `?` declarations.
    pub builtins: Vec<Builtin>,
    /// The layer, if a `// LAYER N` comment says it.
    pub layer: Option<u32>,
    by_id: HashMap<(Section, u32), usize>,
    by_name: HashMap<String, usize>,
    by_type: HashMap<String, Vec<usize>>,
}

impl Schema {
    /// Parse schema text. Every explicit id is checked ([`id::IdCheck`]) and
    /// the result recorded in [`Combinator::id_check`]; the ids as written are
    /// what goes on the wire either way. Use [`Schema::parse_verified`] to
    /// refuse any id that does not verify.
    pub fn parse(text: &str) -> Result<Self, TlError> {
        let (combinators, builtins, layer) = parse::parse_text(text)?;
        let mut schema = Schema {
            combinators,
            builtins,
            layer,
            ..Schema::default()
        };
        schema.index();
        Ok(schema)
    }

    /// Parse schema text and fail with [`TlError::IdMismatch`] on the first
    /// explicit id that matches no spelling of its declaration and is no
    /// alias of another declaration's id.
    pub fn parse_verified(text: &str) -> Result<Self, TlError> {
        let schema = Self::parse(text)?;
        if let Some(c) = schema.unverified().next() {
            return Err(TlError::IdMismatch {
                line: c.line,
                name: c.name.clone(),
                declared: c.id,
                computed: id::combinator_id(c),
            });
        }
        Ok(schema)
    }

    /// Declarations whose written id could not be verified.
    pub fn unverified(&self) -> impl Iterator<Item = &Combinator> {
        self.combinators.iter().filter(|c| !c.id_check.is_ok())
    }

    fn index(&mut self) {
        // Verified declarations first, so an alias never shadows the original.
        let mut order: Vec<usize> = (0..self.combinators.len()).collect();
        order.sort_by_key(|&i| self.combinators.get(i).is_some_and(|c| !c.id_check.is_ok()));
        for i in order {
            let Some(c) = self.combinators.get_mut(i) else {
                continue;
            };
            let taken = self.by_id.contains_key(&(Section::Types, c.id))
                || self.by_id.contains_key(&(Section::Functions, c.id));
            if !c.id_check.is_ok() && taken {
                c.id_check = id::IdCheck::Alias;
                self.by_name.entry(c.name.clone()).or_insert(i);
                continue;
            }
            self.by_id.entry((c.section, c.id)).or_insert(i);
            self.by_name.entry(c.name.clone()).or_insert(i);
            if c.section == Section::Types {
                self.by_type
                    .entry(c.result.name.clone())
                    .or_default()
                    .push(i);
            }
        }
        for list in self.by_type.values_mut() {
            list.sort_unstable();
        }
    }

    /// The constructor (types section) with this id.
    pub fn constructor_by_id(&self, id: u32) -> Option<&Combinator> {
        self.by_id
            .get(&(Section::Types, id))
            .and_then(|&i| self.combinators.get(i))
    }

    /// The function with this id.
    pub fn function_by_id(&self, id: u32) -> Option<&Combinator> {
        self.by_id
            .get(&(Section::Functions, id))
            .and_then(|&i| self.combinators.get(i))
    }

    /// The constructor or function called `name`.
    pub fn by_name(&self, name: &str) -> Option<&Combinator> {
        self.by_name
            .get(name)
            .and_then(|&i| self.combinators.get(i))
    }

    /// The constructors of the boxed type `name` (`Message`, `messages.Messages`).
    pub fn constructors_of(&self, type_name: &str) -> impl Iterator<Item = &Combinator> {
        self.by_type
            .get(type_name)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.combinators.get(i))
    }

    /// Constructors (types section), in declaration order.
    pub fn constructors(&self) -> impl Iterator<Item = &Combinator> {
        self.combinators
            .iter()
            .filter(|c| c.section == Section::Types)
    }

    /// Functions, in declaration order.
    pub fn functions(&self) -> impl Iterator<Item = &Combinator> {
        self.combinators
            .iter()
            .filter(|c| c.section == Section::Functions)
    }
}

#[cfg(test)]
mod tests;
