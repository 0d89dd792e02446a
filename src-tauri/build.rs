//! Tauri's build step, with the app's own commands split between the two windows: the clerk's
//! window ("main") may call every command main.rs registers except the customer screen's, and
//! the customer-facing window ("customer") only those (capabilities in tauri.conf.json). Once
//! the app has such a manifest, Tauri refuses any app command a window's capability does not
//! grant. The list is read from main.rs, so a newly registered command reaches the clerk's
//! window without a second list to keep in step.

use std::error::Error;
use std::path::PathBuf;

/// The customer window's commands (src-tauri/customer_commands.rs); nothing else is granted to it.
const CUSTOMER_COMMANDS: &[&str] = &["customer_view", "customer_rate"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=src-tauri/main.rs");
    let main_rs = std::fs::read_to_string("src-tauri/main.rs")?;
    let commands = registered_commands(&main_rs)?;
    for c in CUSTOMER_COMMANDS {
        if !commands.iter().any(|r| r == c) {
            return Err(format!("{c} is not registered in src-tauri/main.rs").into());
        }
    }
    let (customer, clerk): (Vec<&str>, Vec<&str>) = commands
        .iter()
        .map(String::as_str)
        .partition(|c| CUSTOMER_COMMANDS.contains(c));
    let dir = PathBuf::from(std::env::var("OUT_DIR")?).join("app-permissions");
    std::fs::create_dir_all(&dir)?;
    let file = format!(
        "{}\n{}",
        permission(
            "clerk-window",
            "The counter clerk's commands (every app command but the customer screen's).",
            &clerk
        ),
        permission(
            "customer-window",
            "The customer-facing screen's commands: its view and the citizen's rating.",
            &customer
        ),
    );
    std::fs::write(dir.join("windows.toml"), file)?;
    let pattern: &'static str = Box::leak(format!("{}/*.toml", dir.display()).into_boxed_str());
    let manifest = tauri_build::AppManifest::new().permissions_path_pattern(pattern);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))?;
    Ok(())
}

/// The commands named in `tauri::generate_handler![...]`, without their module paths.
fn registered_commands(main_rs: &str) -> Result<Vec<String>, Box<dyn Error>> {
    let code: String = main_rs
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let start = code
        .find("generate_handler![")
        .ok_or("src-tauri/main.rs has no tauri::generate_handler![...]")?;
    let list = &code[start + "generate_handler![".len()..];
    let end = list.find(']').ok_or("generate_handler![ is not closed")?;
    let commands: Vec<String> = list[..end]
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| c.rsplit("::").next().unwrap_or(c).to_string())
        .collect();
    if let Some(bad) = commands
        .iter()
        .find(|c| !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'))
    {
        return Err(format!("cannot read the command name {bad:?} in src-tauri/main.rs").into());
    }
    Ok(commands)
}

/// One app permission allowing `commands`, in Tauri's permission file format.
fn permission(identifier: &str, description: &str, commands: &[&str]) -> String {
    let allow = commands
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "[[permission]]\nidentifier = \"{identifier}\"\ndescription = \"{description}\"\ncommands.allow = [{allow}]\n"
    )
}
