//! `uniffi-bindgen generate <lib> --language kotlin|swift --out-dir <dir>`:
//! the generator at exactly the uniffi version of the runtime.
fn main() {
    uniffi::uniffi_bindgen_main()
}
