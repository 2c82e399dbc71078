//! Access to the cross-language vectors in `tests/vectors/*.json`
//! (`{"version":1,"cases":[{"name":..,..}]}`, bytes as hex).

use serde_json::Value;

/// The folder holding the vector files.
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors");

/// All cases of one vector file.
pub fn cases(file: &str) -> Result<Vec<Value>, String> {
    let path = format!("{DIR}/{file}");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    match doc.get("cases") {
        Some(Value::Array(cases)) => Ok(cases.clone()),
        _ => Err(format!("{path}: no cases")),
    }
}

/// The case called `name` in `file`.
pub fn case(file: &str, name: &str) -> Result<Value, String> {
    cases(file)?
        .into_iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(name))
        .ok_or_else(|| format!("{file}: no case {name}"))
}

/// A hex field of a case, decoded.
pub fn bytes(case: &Value, field: &str) -> Result<Vec<u8>, String> {
    let text = case
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no field {field}"))?;
    hex::decode(text).map_err(|e| format!("{field}: {e}"))
}
