//! What the generator emits, resolved from a [`Schema`]: which combinators get
//! a struct, what Rust type every field has, which `Object` fields are sized by
//! a `bytes` field and which run to the end of the input, the smallest
//! encoding of every type (for vector counts), and the checks that make the
//! output sound (no recursion, unique names, greedy fields last).

use std::collections::HashMap;

use super::names;
use crate::error::TlError;
use crate::tl::schema::{Combinator, Param, ParamType, Schema, Section, TypeRef};

/// Boxed types whose values are native Rust values (`Bool` → `bool`) or that
/// stand for "any type" (`Object`): no enum, no alias.
const NATIVE_TYPES: &[&str] = &["Bool", "True", "Vector", "Object"];

/// How the end of an `Object` (or `!X`) value is found on read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ObjectEnd {
    /// Its length in bytes is the `int` field just before it (`message`'s
    /// `bytes:int body:Object`).
    Sized,
    /// It runs to the end of the input (`rpc_result`'s `result:Object`, the
    /// `query:!X` of `invokeWithLayer`).
    Rest,
}

/// A field's Rust type and wire form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Ty {
    Int,
    Long,
    Double,
    Int128,
    Int256,
    String,
    Bytes,
    Bool,
    /// `Vector<T>` (boxed: id and count) or `vector<T>` (count only).
    Vector {
        boxed: bool,
        elem: Box<Ty>,
    },
    /// A boxed type: index into [`Model::boxed`].
    Boxed(usize),
    /// A bare constructor: index into [`Model::ctors`].
    Bare(usize),
    /// `Object` or `!X`: the raw bytes of a boxed value.
    Object(ObjectEnd),
}

/// What a field is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum FieldKind {
    /// `name:#`: computed on write from the fields it governs.
    Flags,
    /// `name:flags.N?true`: a `bool` that is only a bit.
    TrueFlag { flags_local: String, bit: u32 },
    /// A value, present only when the bit is set if `cond` is given;
    /// behind a `Box` if `heap` (a recursive type holding its own kind
    /// directly, which would otherwise have no finite size).
    Value {
        ty: Ty,
        cond: Option<(String, u32)>,
        heap: bool,
    },
    /// The `bytes:int` that gives the next `Object` field's length: computed
    /// on write, checked on read.
    ObjectLength,
}

/// One field of a combinator.
#[derive(Clone, Debug)]
pub(super) struct Field {
    /// The field as written in the schema (`flags.0?Vector<long>`).
    pub tl: String,
    /// The struct field's name; `None` for `#` words and `Object` lengths,
    /// which are not stored.
    pub rust: Option<String>,
    /// The local variable that holds it while reading.
    pub local: String,
    pub kind: FieldKind,
}

/// A constructor or function that gets a struct.
#[derive(Clone, Debug)]
pub(super) struct Ctor<'s> {
    pub c: &'s Combinator,
    pub rust: String,
    pub fields: Vec<Field>,
    /// For functions: the `RemoteCall::Return` type.
    pub ret: Option<Ty>,
    /// Its last field runs to the end of the input.
    pub greedy: bool,
    /// No `double` anywhere inside: `Eq` can be derived.
    pub eq: bool,
    /// The fewest bytes its bare form can take.
    pub min_len: usize,
    /// It can contain itself (directly, or through other types or vectors):
    /// reading it counts a nesting level ([`Reader::enter`]).
    ///
    /// [`Reader::enter`]: crate::tl::Reader::enter
    pub recursive: bool,
}

/// A boxed type that gets an enum (several constructors) or an alias (one).
#[derive(Clone, Debug)]
pub(super) struct Boxed {
    pub tl: String,
    pub rust: String,
    pub ctors: Vec<usize>,
}

/// The resolved schema.
#[derive(Clone, Debug)]
pub(super) struct Model<'s> {
    pub ctors: Vec<Ctor<'s>>,
    pub funcs: Vec<Ctor<'s>>,
    pub boxed: Vec<Boxed>,
}

fn err(c: &Combinator, message: String) -> TlError {
    TlError::Schema {
        line: c.line,
        message: format!("{}: {message}", c.name),
    }
}

impl<'s> Model<'s> {
    pub(super) fn build(schema: &'s Schema, function_enum: &str) -> Result<Self, TlError> {
        let mut ctors = Vec::new();
        let mut ctor_index: HashMap<&str, usize> = HashMap::new();
        let mut boxed: Vec<Boxed> = Vec::new();
        let mut boxed_index: HashMap<&str, usize> = HashMap::new();
        for c in schema.constructors() {
            if super::is_native_combinator(c)
                || NATIVE_TYPES.contains(&c.result.name.as_str()) && c.result.name != "Object"
                || c.id_check == crate::tl::schema::id::IdCheck::Alias
            {
                continue;
            }
            if !c.type_params.is_empty() || !c.result.args.is_empty() {
                return Err(err(c, "generic constructors are not supported".into()));
            }
            let i = ctors.len();
            if ctor_index.insert(c.name.as_str(), i).is_some() {
                return Err(err(c, "declared twice".into()));
            }
            ctors.push(Ctor {
                c,
                rust: names::camel_case(&c.name),
                fields: Vec::new(),
                ret: None,
                greedy: false,
                eq: true,
                min_len: 0,
                recursive: false,
            });
            if c.result.name == "Object" {
                continue;
            }
            let b = *boxed_index
                .entry(c.result.name.as_str())
                .or_insert_with(|| {
                    boxed.push(Boxed {
                        tl: c.result.name.clone(),
                        rust: names::camel_case(&c.result.name),
                        ctors: Vec::new(),
                    });
                    boxed.len() - 1
                });
            if let Some(bx) = boxed.get_mut(b) {
                bx.ctors.push(i);
            }
        }
        let mut funcs = Vec::new();
        for c in schema.functions() {
            if c.id_check == crate::tl::schema::id::IdCheck::Alias {
                continue;
            }
            funcs.push(Ctor {
                c,
                rust: names::camel_case(&c.name),
                fields: Vec::new(),
                ret: None,
                greedy: false,
                eq: true,
                min_len: 0,
                recursive: false,
            });
        }
        let mut model = Model {
            ctors,
            funcs,
            boxed,
        };
        let r = Resolver {
            ctor_index: &ctor_index,
            boxed_index: &boxed_index,
            boxed: &model.boxed,
        };
        for ct in model.ctors.iter_mut().chain(model.funcs.iter_mut()) {
            ct.fields = r.fields(ct.c)?;
        }
        for f in &mut model.funcs {
            f.ret = Some(r.result(f.c)?);
        }
        model.check_names(function_enum)?;
        model.check_ids()?;
        model.analyze()?;
        Ok(model)
    }

    /// Rust names must be unique where they live, and must not shadow the
    /// names the generated code uses.
    fn check_names(&self, function_enum: &str) -> Result<(), TlError> {
        let mut seen: HashMap<&str, &Combinator> = HashMap::new();
        for ct in &self.ctors {
            unique(&mut seen, &ct.rust, ct.c)?;
        }
        let mut seen: HashMap<&str, &Combinator> = HashMap::new();
        for ct in &self.funcs {
            unique(&mut seen, &ct.rust, ct.c)?;
        }
        let mut seen: HashMap<&str, &Combinator> = HashMap::new();
        for b in &self.boxed {
            let Some(first) = b.ctors.first().and_then(|&i| self.ctors.get(i)) else {
                continue;
            };
            if b.rust == function_enum && !self.funcs.is_empty() {
                return Err(err(
                    first.c,
                    format!("type {} clashes with the enum of functions", b.tl),
                ));
            }
            unique(&mut seen, &b.rust, first.c)?;
        }
        for ct in self.ctors.iter().chain(&self.funcs) {
            let mut fields: HashMap<&str, &Combinator> = HashMap::new();
            for f in &ct.fields {
                if let Some(name) = &f.rust {
                    unique(&mut fields, name, ct.c)?;
                }
            }
        }
        Ok(())
    }

    /// The constructors of one boxed type, and the functions, are told apart
    /// by id: two with the same id would make the second unreachable.
    fn check_ids(&self) -> Result<(), TlError> {
        for b in &self.boxed {
            let mut ids: HashMap<u32, &str> = HashMap::new();
            for ct in b.ctors.iter().filter_map(|&i| self.ctors.get(i)) {
                if let Some(other) = ids.insert(ct.c.id, &ct.c.name) {
                    return Err(err(ct.c, format!("has the same id as {other}")));
                }
            }
        }
        let mut ids: HashMap<u32, &str> = HashMap::new();
        for ct in &self.funcs {
            if let Some(other) = ids.insert(ct.c.id, &ct.c.name) {
                return Err(err(ct.c, format!("has the same id as {other}")));
            }
        }
        Ok(())
    }

    /// Find the recursive types, refuse those without finite values, then
    /// compute, constructors before the constructors that contain them:
    /// greediness, `Eq`, minimal length, and which fields need a `Box`.
    fn analyze(&mut self) -> Result<(), TlError> {
        let sccs = self.sccs(true);
        // Recursive: in a cycle of the containment graph (a component of
        // several constructors, or one that contains itself).
        for scc in &sccs {
            let recursive = match scc.as_slice() {
                [one] => self
                    .ctors
                    .get(*one)
                    .is_some_and(|ct| self.deps(ct, true).contains(one)),
                _ => true,
            };
            for &i in scc {
                if let Some(ct) = self.ctors.get_mut(i) {
                    ct.recursive = recursive;
                }
            }
        }
        self.check_finite(&sccs)?;
        // Each component after the ones it contains (Tarjan's order). Inside
        // a recursive component the facts depend on each other: iterate to a
        // fixed point. Greediness only grows from `false` and `Eq` only
        // shrinks from `true`, so the fixed point is the exact answer; the
        // minimal length grows from 0 and every step is a lower bound (all a
        // vector count check needs), exact once stable, which a component of
        // n constructors is after at most n + 1 rounds.
        for scc in &sccs {
            for _ in 0..=scc.len() {
                let mut changed = false;
                for &i in scc {
                    let Some(ct) = self.ctors.get(i) else {
                        continue;
                    };
                    let facts = self.facts(ct)?;
                    if let Some(ct) = self.ctors.get_mut(i) {
                        changed |= (ct.greedy, ct.eq, ct.min_len) != facts;
                        (ct.greedy, ct.eq, ct.min_len) = facts;
                    }
                }
                if !changed {
                    break;
                }
            }
        }
        for i in 0..self.funcs.len() {
            let Some(ct) = self.funcs.get(i) else {
                continue;
            };
            let facts = self.facts(ct)?;
            if let Some(ct) = self.funcs.get_mut(i) {
                (ct.greedy, ct.eq, ct.min_len) = facts;
            }
        }
        self.place_boxes();
        Ok(())
    }

    /// Which fields get a `Box`. Only values held directly can make a struct
    /// contain itself (a vector is already a pointer), so take the
    /// components of the graph of direct containment: every cycle of it lies
    /// inside one, and a field that holds a value of its own component is
    /// boxed. That breaks every cycle, so every type has a finite size;
    /// fields outside such cycles stay inline (`textBold text:RichText` is
    /// boxed, `textConcat texts:Vector<RichText>` is not).
    fn place_boxes(&mut self) {
        let mut scc_of = vec![0usize; self.ctors.len()];
        for (k, scc) in self.sccs(false).iter().enumerate() {
            for &i in scc {
                if let Some(s) = scc_of.get_mut(i) {
                    *s = k;
                }
            }
        }
        let scc_of = scc_of.as_slice();
        let same = |m: &Model<'_>, from: usize, ty: &Ty| -> bool {
            let home = scc_of.get(from);
            let targets: &[usize] = match ty {
                Ty::Boxed(b) => m.boxed.get(*b).map_or(&[], |bx| bx.ctors.as_slice()),
                Ty::Bare(i) => core::slice::from_ref(i),
                _ => &[],
            };
            targets.iter().any(|t| scc_of.get(*t) == home)
        };
        let mut heap: Vec<(usize, usize)> = Vec::new();
        for (i, ct) in self.ctors.iter().enumerate() {
            if !ct.recursive {
                continue;
            }
            for (j, f) in ct.fields.iter().enumerate() {
                if let FieldKind::Value { ty, .. } = &f.kind {
                    if same(self, i, ty) {
                        heap.push((i, j));
                    }
                }
            }
        }
        for (i, j) in heap {
            if let Some(FieldKind::Value { heap, .. }) = self
                .ctors
                .get_mut(i)
                .and_then(|ct| ct.fields.get_mut(j))
                .map(|f| &mut f.kind)
            {
                *heap = true;
            }
        }
    }

    /// Every type must have a value of finite size: one constructor whose
    /// required fields (conditional ones may be absent, vectors may be
    /// empty) all have finite values. `node next:Node = Node` has none: no
    /// input could ever decode as one, so it is a schema mistake.
    fn check_finite(&self, sccs: &[Vec<usize>]) -> Result<(), TlError> {
        let mut finite = vec![false; self.ctors.len()];
        let ty_finite = |finite: &[bool], ty: &Ty| -> bool {
            match ty {
                Ty::Boxed(b) => self.boxed.get(*b).is_some_and(|bx| {
                    bx.ctors
                        .iter()
                        .any(|&i| finite.get(i).copied().unwrap_or(false))
                }),
                Ty::Bare(i) => finite.get(*i).copied().unwrap_or(false),
                _ => true,
            }
        };
        for scc in sccs {
            // Components come after what they contain; inside one, a
            // constructor becomes finite once its required fields are, which
            // takes at most one round per constructor.
            for _ in 0..scc.len() {
                let mut changed = false;
                for &i in scc {
                    if finite.get(i).copied().unwrap_or(true) {
                        continue;
                    }
                    let Some(ct) = self.ctors.get(i) else {
                        continue;
                    };
                    let ok = ct.fields.iter().all(|f| match &f.kind {
                        FieldKind::Value { ty, cond: None, .. } => ty_finite(&finite, ty),
                        _ => true,
                    });
                    if ok {
                        if let Some(x) = finite.get_mut(i) {
                            *x = true;
                            changed = true;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
            for &i in scc {
                if let (Some(false), Some(ct)) = (finite.get(i).copied(), self.ctors.get(i)) {
                    return Err(err(
                        ct.c,
                        "contains itself in every case (a recursive type with no constructor \
                         that ends the recursion), so no value of it has a finite size"
                            .into(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The constructors a constructor's fields contain: all of them, or
    /// only those held directly (not in a vector) if `!through_vectors`.
    fn deps(&self, ct: &Ctor<'_>, through_vectors: bool) -> Vec<usize> {
        fn walk(m: &Model<'_>, ty: &Ty, through_vectors: bool, out: &mut Vec<usize>) {
            match ty {
                Ty::Vector { elem, .. } if through_vectors => walk(m, elem, through_vectors, out),
                Ty::Boxed(b) => {
                    if let Some(bx) = m.boxed.get(*b) {
                        out.extend(&bx.ctors);
                    }
                }
                Ty::Bare(i) => out.push(*i),
                _ => {}
            }
        }
        let mut out = Vec::new();
        for f in &ct.fields {
            if let FieldKind::Value { ty, .. } = &f.kind {
                walk(self, ty, through_vectors, &mut out);
            }
        }
        out
    }

    /// The strongly connected components of the containment graph (which
    /// constructors a constructor's fields may hold, see [`deps`](Self::deps)),
    /// by Tarjan's algorithm, iteratively so that a deep schema cannot
    /// overflow the generator's stack. Components come out after every
    /// component they contain.
    fn sccs(&self, through_vectors: bool) -> Vec<Vec<usize>> {
        const UNSEEN: usize = usize::MAX;
        let n = self.ctors.len();
        let adj: Vec<Vec<usize>> = self
            .ctors
            .iter()
            .map(|ct| self.deps(ct, through_vectors))
            .collect();
        let mut index = vec![UNSEEN; n];
        let mut low = vec![0usize; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<usize> = Vec::new();
        let mut out: Vec<Vec<usize>> = Vec::new();
        let mut next = 0usize;
        let at = |v: &[usize], i: usize| v.get(i).copied().unwrap_or(0);
        for root in 0..n {
            if at(&index, root) != UNSEEN {
                continue;
            }
            // (node, how many of its edges were followed)
            let mut calls: Vec<(usize, usize)> = Vec::new();
            let mut visit = |v: usize,
                             index: &mut Vec<usize>,
                             low: &mut Vec<usize>,
                             on_stack: &mut Vec<bool>,
                             stack: &mut Vec<usize>,
                             calls: &mut Vec<(usize, usize)>| {
                if let (Some(i), Some(l), Some(s)) =
                    (index.get_mut(v), low.get_mut(v), on_stack.get_mut(v))
                {
                    (*i, *l, *s) = (next, next, true);
                }
                next += 1;
                stack.push(v);
                calls.push((v, 0));
            };
            visit(
                root,
                &mut index,
                &mut low,
                &mut on_stack,
                &mut stack,
                &mut calls,
            );
            while let Some((v, e)) = calls.last().copied() {
                if let Some(&w) = adj.get(v).and_then(|a| a.get(e)) {
                    if let Some(c) = calls.last_mut() {
                        c.1 += 1;
                    }
                    if at(&index, w) == UNSEEN {
                        visit(
                            w,
                            &mut index,
                            &mut low,
                            &mut on_stack,
                            &mut stack,
                            &mut calls,
                        );
                    } else if on_stack.get(w).copied().unwrap_or(false) {
                        let m = at(&low, v).min(at(&index, w));
                        if let Some(l) = low.get_mut(v) {
                            *l = m;
                        }
                    }
                    continue;
                }
                calls.pop();
                if let Some(&(u, _)) = calls.last() {
                    let m = at(&low, u).min(at(&low, v));
                    if let Some(l) = low.get_mut(u) {
                        *l = m;
                    }
                }
                if at(&low, v) == at(&index, v) {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        if let Some(s) = on_stack.get_mut(w) {
                            *s = false;
                        }
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comp.reverse();
                    out.push(comp);
                }
            }
        }
        out
    }

    /// (greedy, eq, min_len) of a constructor whose contents are analyzed.
    fn facts(&self, ct: &Ctor<'_>) -> Result<(bool, bool, usize), TlError> {
        let mut greedy = false;
        let mut eq = true;
        let mut min_len = 0usize;
        // Wire-present fields after the current one: a greedy field must have
        // none (`flags.N?true` fields take no bytes).
        let last_wire = ct
            .fields
            .iter()
            .rposition(|f| !matches!(f.kind, FieldKind::TrueFlag { .. }));
        for (i, f) in ct.fields.iter().enumerate() {
            match &f.kind {
                FieldKind::Flags | FieldKind::ObjectLength => min_len += 4,
                FieldKind::TrueFlag { .. } => {}
                FieldKind::Value { ty, cond, .. } => {
                    if self.ty_greedy(ty, ct.c)? {
                        if Some(i) != last_wire {
                            return Err(err(
                                ct.c,
                                format!(
                                    "field {} runs to the end of the input (an Object whose \
                                     length nothing gives), so it must be the last field",
                                    f.tl
                                ),
                            ));
                        }
                        greedy = true;
                    }
                    eq &= self.ty_eq(ty);
                    if cond.is_none() {
                        min_len += self.ty_min_len(ty);
                    }
                }
            }
        }
        Ok((greedy, eq, min_len))
    }

    fn ty_greedy(&self, ty: &Ty, c: &Combinator) -> Result<bool, TlError> {
        Ok(match ty {
            Ty::Object(end) => *end == ObjectEnd::Rest,
            Ty::Vector { elem, .. } => {
                if self.ty_greedy(elem, c)? {
                    return Err(err(
                        c,
                        "a vector of values that run to the end of the input cannot be read".into(),
                    ));
                }
                false
            }
            Ty::Boxed(b) => self.boxed.get(*b).is_some_and(|bx| {
                bx.ctors
                    .iter()
                    .any(|&i| self.ctors.get(i).is_some_and(|x| x.greedy))
            }),
            Ty::Bare(i) => self.ctors.get(*i).is_some_and(|x| x.greedy),
            _ => false,
        })
    }

    fn ty_eq(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Double => false,
            Ty::Vector { elem, .. } => self.ty_eq(elem),
            Ty::Boxed(b) => self.boxed.get(*b).is_none_or(|bx| {
                bx.ctors
                    .iter()
                    .all(|&i| self.ctors.get(i).is_none_or(|x| x.eq))
            }),
            Ty::Bare(i) => self.ctors.get(*i).is_none_or(|x| x.eq),
            _ => true,
        }
    }

    /// The fewest bytes a value of `ty` takes on the wire.
    pub(super) fn ty_min_len(&self, ty: &Ty) -> usize {
        match ty {
            Ty::Int | Ty::Bool | Ty::String | Ty::Bytes | Ty::Object(_) => 4,
            Ty::Long | Ty::Double => 8,
            Ty::Int128 => 16,
            Ty::Int256 => 32,
            Ty::Vector { boxed, .. } => {
                if *boxed {
                    8
                } else {
                    4
                }
            }
            Ty::Boxed(b) => {
                4 + self
                    .boxed
                    .get(*b)
                    .and_then(|bx| {
                        bx.ctors
                            .iter()
                            .filter_map(|&i| self.ctors.get(i))
                            .map(|x| x.min_len)
                            .min()
                    })
                    .unwrap_or(0)
            }
            Ty::Bare(i) => self.ctors.get(*i).map_or(0, |x| x.min_len),
        }
    }

    /// Whether `ty` holds an `Object` anywhere (the module then imports
    /// `RawObject`).
    pub(super) fn uses_object(ct: &Ctor<'_>) -> bool {
        fn has(ty: &Ty) -> bool {
            match ty {
                Ty::Object(_) => true,
                Ty::Vector { elem, .. } => has(elem),
                _ => false,
            }
        }
        ct.fields
            .iter()
            .any(|f| matches!(&f.kind, FieldKind::Value { ty, .. } if has(ty)))
            || ct.ret.as_ref().is_some_and(has)
    }
}

fn unique<'a>(
    seen: &mut HashMap<&'a str, &'a Combinator>,
    name: &'a str,
    c: &'a Combinator,
) -> Result<(), TlError> {
    if names::RESERVED_TYPE_NAMES.contains(&name) {
        return Err(err(
            c,
            format!("the Rust name {name} would shadow a name the generated code uses"),
        ));
    }
    match seen.insert(name, c) {
        Some(other) if !core::ptr::eq(other, c) => Err(err(
            c,
            format!(
                "its Rust name {name} is also the name of {} (line {})",
                other.name, other.line
            ),
        )),
        Some(_) => Err(err(c, format!("two fields are both named {name} in Rust"))),
        None => Ok(()),
    }
}

struct Resolver<'a> {
    ctor_index: &'a HashMap<&'a str, usize>,
    boxed_index: &'a HashMap<&'a str, usize>,
    boxed: &'a [Boxed],
}

impl Resolver<'_> {
    fn fields(&self, c: &Combinator) -> Result<Vec<Field>, TlError> {
        let mut out: Vec<Field> = Vec::with_capacity(c.params.len());
        for (i, p) in c.params.iter().enumerate() {
            let tl = render_param(p);
            let kind = match &p.ty {
                ParamType::Flags => {
                    if p.name.is_empty() {
                        return Err(err(c, "anonymous '#' fields are not supported".into()));
                    }
                    FieldKind::Flags
                }
                ParamType::Repeat { .. } => {
                    return Err(err(c, format!("repetitions ({tl}) are not supported")));
                }
                ParamType::Typed { ty, condition } => {
                    let cond = condition
                        .as_ref()
                        .map(|cd| (format!("fl_{}", names::snake_case(&cd.field)), cd.bit));
                    if ty.name == "true" && !ty.bang {
                        match cond {
                            Some((flags_local, bit)) => FieldKind::TrueFlag { flags_local, bit },
                            None => {
                                return Err(err(c, format!("field {tl}: `true` without a flag")));
                            }
                        }
                    } else {
                        let ty = if is_object(ty) || ty.bang {
                            // `message msg_id:long seqno:int bytes:int body:Object`: the
                            // body's length is the `bytes` field before it
                            // (/mtproto/service_messages, "Simple Container"). Any other
                            // Object runs to the end of its input.
                            let sized = !ty.bang
                                && cond.is_none()
                                && i > 0
                                && out.last().is_some_and(|prev| {
                                    prev.tl == "bytes:int"
                                        && matches!(
                                            prev.kind,
                                            FieldKind::Value {
                                                ty: Ty::Int,
                                                cond: None,
                                                ..
                                            }
                                        )
                                });
                            if sized {
                                if let Some(prev) = out.last_mut() {
                                    prev.kind = FieldKind::ObjectLength;
                                    prev.rust = None;
                                }
                                Ty::Object(ObjectEnd::Sized)
                            } else {
                                Ty::Object(ObjectEnd::Rest)
                            }
                        } else {
                            if c.type_params.contains(&ty.name) {
                                return Err(err(
                                    c,
                                    format!(
                                        "field {tl}: a generic field must be written !{}",
                                        ty.name
                                    ),
                                ));
                            }
                            self.ty(ty, c)?
                        };
                        FieldKind::Value {
                            ty,
                            cond,
                            heap: false,
                        }
                    }
                }
            };
            let (rust, local) = match kind {
                FieldKind::Flags => (None, format!("fl_{}", names::snake_case(&p.name))),
                _ => (Some(names::field_name(&p.name)), names::local_name(&p.name)),
            };
            out.push(Field {
                tl,
                rust,
                local,
                kind,
            });
        }
        Ok(out)
    }

    fn ty(&self, t: &TypeRef, c: &Combinator) -> Result<Ty, TlError> {
        let unsupported = || err(c, format!("type {t} is not supported by the generator"));
        let arg = |boxed: bool| -> Result<Ty, TlError> {
            match t.args.as_slice() {
                [elem] => Ok(Ty::Vector {
                    boxed,
                    elem: Box::new(self.ty(elem, c)?),
                }),
                _ => Err(unsupported()),
            }
        };
        if !t.args.is_empty() {
            return match t.name.as_str() {
                "Vector" if !t.bare => arg(true),
                "vector" | "Vector" => arg(false),
                _ => Err(unsupported()),
            };
        }
        Ok(match t.name.as_str() {
            "int" => Ty::Int,
            "long" => Ty::Long,
            "double" => Ty::Double,
            "int128" => Ty::Int128,
            "int256" => Ty::Int256,
            "string" => Ty::String,
            "bytes" => Ty::Bytes,
            "Bool" if !t.bare => Ty::Bool,
            // Only reachable inside a vector (fields are handled in
            // `fields`): refused there, since nothing gives each length.
            "Object" if !t.bare => Ty::Object(ObjectEnd::Rest),
            name => {
                if t.bare {
                    // A bare constructor (`future_salt`), or `%T` for a type
                    // with exactly one constructor.
                    if let Some(&i) = self.ctor_index.get(name) {
                        Ty::Bare(i)
                    } else {
                        let b = self.boxed_index.get(name).and_then(|&b| self.boxed.get(b));
                        match b.map(|b| b.ctors.as_slice()) {
                            Some([only]) => Ty::Bare(*only),
                            Some(_) => {
                                return Err(err(
                                    c,
                                    format!("%{name}: a bare type needs exactly one constructor"),
                                ));
                            }
                            None => return Err(unknown(c, t)),
                        }
                    }
                } else {
                    match self.boxed_index.get(name) {
                        Some(&b) => Ty::Boxed(b),
                        None => return Err(unknown(c, t)),
                    }
                }
            }
        })
    }

    /// A function's result: a boxed type of the schema, `Bool`, a builtin,
    /// a boxed `Vector` of those (`= Vector<long>`, `= Vector<User>`), or
    /// its generic parameter (`invokeWithLayer {X:Type} ... = X`), whose
    /// answer is kept raw since its type depends on the inner query. Each
    /// has one Rust type that reads and writes it as a whole value (see
    /// [`support`](super::support)); bare vectors and bare constructors do
    /// not, so they are refused.
    fn result(&self, c: &Combinator) -> Result<Ty, TlError> {
        if c.result.args.is_empty() && c.type_params.contains(&c.result.name) {
            return Ok(Ty::Object(ObjectEnd::Rest));
        }
        fn whole_value(ty: &Ty) -> bool {
            match ty {
                Ty::Vector { boxed, elem } => *boxed && whole_value(elem),
                Ty::Bare(_) | Ty::Object(_) => false,
                _ => true,
            }
        }
        match self.ty(&c.result, c)? {
            ty if whole_value(&ty) => Ok(ty),
            _ => Err(err(
                c,
                format!(
                    "result type {} is not supported (a result must be a whole value: a boxed \
                     type of the schema, Bool, a builtin, a boxed Vector of those, or the \
                     generic parameter; not a bare vector or bare constructor)",
                    c.result
                ),
            )),
        }
    }
}

fn unknown(c: &Combinator, t: &TypeRef) -> TlError {
    err(c, format!("type {t} is not declared in the schema"))
}

fn is_object(t: &TypeRef) -> bool {
    t.name == "Object" && !t.bare && t.args.is_empty()
}

/// A type as written in the schema: `%` for a bare reference to a boxed
/// name, `!` for a generic query.
pub(super) fn render_type(t: &TypeRef) -> String {
    let mut s = String::new();
    if t.bang {
        s.push('!');
    }
    if t.bare && !crate::tl::schema::name_is_bare(&t.name) {
        s.push('%');
    }
    s.push_str(&t.name);
    if !t.args.is_empty() {
        s.push('<');
        s.push_str(&t.args.iter().map(render_type).collect::<Vec<_>>().join(","));
        s.push('>');
    }
    s
}

/// A field as written in the schema: `name:flags.N?Type`, `name:#`.
pub(super) fn render_param(p: &Param) -> String {
    match &p.ty {
        ParamType::Flags => format!("{}:#", p.name),
        ParamType::Typed { ty, condition } => match condition {
            Some(cd) => format!("{}:{}.{}?{}", p.name, cd.field, cd.bit, render_type(ty)),
            None => format!("{}:{}", p.name, render_type(ty)),
        },
        ParamType::Repeat { count, items } => format!(
            "{}*[ {} ]",
            count,
            items.iter().map(render_param).collect::<Vec<_>>().join(" ")
        ),
    }
}

/// The declaration as one line of schema: `name#id fields = Type;`.
pub(super) fn render_decl(c: &Combinator) -> String {
    let mut s = c.name.clone();
    if c.explicit_id {
        s.push_str(&format!("#{:08x}", c.id));
    }
    for tp in &c.type_params {
        s.push_str(&format!(" {{{tp}:Type}}"));
    }
    for p in &c.params {
        s.push(' ');
        s.push_str(&render_param(p));
    }
    s.push_str(" = ");
    s.push_str(&render_type(&c.result));
    s.push(';');
    s
}

/// Whether a combinator is a function (the emitter's wording differs).
pub(super) fn is_function(c: &Combinator) -> bool {
    c.section == Section::Functions
}
