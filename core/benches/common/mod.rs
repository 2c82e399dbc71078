//! Shared by the benchmarks: reading criterion's saved estimates so each
//! benchmark can print its ratio to a reference measured in the same run.

// Each benchmark binary includes this module and uses part of it.
#![allow(dead_code)]

/// Mean time per iteration (ns) that criterion saved for
/// `<group>/<name>/<size>`, if that benchmark ran.
pub fn mean_ns(group: &str, name: &str, size: usize) -> Option<f64> {
    estimate(group, name, size, "mean")
}

fn estimate(group: &str, name: &str, size: usize, which: &str) -> Option<f64> {
    let target = std::env::var("CARGO_TARGET_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target").to_string());
    let path = format!("{target}/criterion/{group}/{name}/{size}/new/estimates.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    doc[which]["point_estimate"].as_f64()
}

/// Median time per iteration (ns) that criterion saved for
/// `<group>/<name>/<size>`, if that benchmark ran.
pub fn median_ns(group: &str, name: &str, size: usize) -> Option<f64> {
    estimate(group, name, size, "median")
}

/// Whether criterion was started as a real benchmark (`cargo bench`), not
/// as a one-shot test run (`cargo test --all-targets`).
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}
