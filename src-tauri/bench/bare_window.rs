//! A bare Tauri window: the baseline the window benchmarks compare the desk with
//! (docs/BENCHMARKS.md, tests/benches/window.rs). Same Tauri, same WebKitGTK, one static page
//! whose search box answers each keystroke through one IPC round trip, and no station.

fn main() {
    let result =
        tauri::Builder::default().run(tauri::generate_context!("src-tauri/bench/tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("bare window failed to start: {e}");
        std::process::exit(1);
    }
}
