//! What the window benchmark reads off a running window: its process, start time, memory and
//! keystroke latency, and the report of medians (desk beside the bare window).

use std::path::Path;
use std::time::Duration;

use fantoccini::Client;

#[derive(Debug, Clone)]
pub struct Figures {
    /// Process start to the first screen taking input, ms.
    pub start: f64,
    pub memory: Memory,
    /// Keystroke to result, ms, one per keystroke.
    pub item_search: Vec<f64>,
    pub queue_search: Vec<f64>,
}

#[derive(Debug, Clone, Copy)]
pub struct Memory {
    pub rss_mb: f64,
    pub pss_mb: f64,
    pub processes: usize,
    /// The app's own process (Rust, GTK, the UI side of WebKit), without its web processes.
    pub app_rss_mb: f64,
    pub app_pss_mb: f64,
}

pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The pid of the running `app` (launched by WebKitWebDriver, so found by its executable).
pub fn app_pid(app: &Path) -> u32 {
    let app = std::fs::canonicalize(app).unwrap();
    for _ in 0..200 {
        let found = std::fs::read_dir("/proc").unwrap().flatten().find_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            let exe = std::fs::read_link(e.path().join("exe")).ok()?;
            (exe == app).then_some(pid)
        });
        if let Some(pid) = found {
            return pid;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{} is not running", app.display());
}

/// When the process started, ms since the Unix epoch (kernel start time, 10 ms ticks).
fn process_started_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces) start at field 3.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let start_ticks: f64 = after.split(' ').nth(19).unwrap().parse().unwrap();
    let boot_secs: f64 = std::fs::read_to_string("/proc/stat")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // SAFETY: sysconf has no preconditions.
    let ticks_per_sec = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    (boot_secs + start_ticks / ticks_per_sec) * 1000.0
}

/// Waits for the page's `data-interactive-at` stamp; returns stamp − process start, ms.
pub async fn start_to_interactive(client: &Client, pid: u32) -> f64 {
    let started = process_started_ms(pid);
    for _ in 0..600 {
        let stamp = client
            .execute(
                "return document.documentElement.dataset.interactiveAt || null",
                vec![],
            )
            .await
            .unwrap();
        if let Some(ms) = stamp.as_str().and_then(|s| s.parse::<f64>().ok()) {
            return ms - started;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the window never marked itself interactive");
}

/// Types `keystrokes` queries into `input` (by data-testid), one `input` event each, and times
/// each until `list`'s data-query shows the query and one more frame is drawn.
pub async fn keystrokes(client: &Client, input: &str, list: &str, keystrokes: usize) -> Vec<f64> {
    const SCRIPT: &str = r#"
        const [input, list, text, done] = arguments;
        const box = document.querySelector(`[data-testid='${input}']`);
        const answered = () => document.querySelector(`[data-testid='${list}'][data-query='${CSS.escape(text)}']`);
        const t0 = performance.now();
        box.focus();
        box.value = text;
        box.dispatchEvent(new Event("input", { bubbles: true }));
        const finish = () => requestAnimationFrame(() => done(performance.now() - t0));
        if (answered()) { finish(); return; }
        const watch = new MutationObserver(() => {
            if (answered()) { watch.disconnect(); finish(); }
        });
        watch.observe(document.body, { subtree: true, childList: true, attributes: true });
        setTimeout(() => { watch.disconnect(); done(-1); }, 5000);
    "#;
    // Queries a clerk types: growing prefixes of a few item and applicant words.
    let queries = [
        "j",
        "jz",
        "jzz",
        "居",
        "居住",
        "居住证",
        "陈",
        "陈静",
        "4401",
        "L440",
    ];
    let mut times = Vec::with_capacity(keystrokes);
    for n in 0..keystrokes {
        // Consecutive queries differ, so every keystroke changes the answer.
        let text = queries[n % queries.len()];
        let args = vec![input.into(), list.into(), text.into()];
        let ms = client.execute_async(SCRIPT, args).await.unwrap();
        let ms = ms.as_f64().unwrap();
        assert!(ms >= 0.0, "{list} never answered {text:?} within 5 s");
        times.push(ms);
    }
    times
}

/// The app and its descendants (WebKit's web and network processes), RSS and PSS summed.
pub fn memory(pid: u32) -> Memory {
    let mut pids = vec![pid];
    let mut i = 0;
    while i < pids.len() {
        let parent = pids[i];
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Some(child) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
                continue;
            };
            let after = &stat[stat.rfind(')').unwrap() + 2..];
            if after.split(' ').nth(1).and_then(|p| p.parse::<u32>().ok()) == Some(parent) {
                pids.push(child);
            }
        }
        i += 1;
    }
    let (mut rss, mut pss, mut app_rss, mut app_pss) = (0.0, 0.0, 0.0, 0.0);
    for p in &pids {
        let Ok(rollup) = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")) else {
            continue;
        };
        let kb = |l: &str| {
            l.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
                / 1024.0
        };
        let (mut r, mut q) = (0.0, 0.0);
        for line in rollup.lines() {
            if line.starts_with("Rss:") {
                r += kb(line);
            } else if line.starts_with("Pss:") {
                q += kb(line);
            }
        }
        let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
        eprintln!("  {p} {}: RSS {r:.0} MB, PSS {q:.0} MB", name.trim());
        rss += r;
        pss += q;
        if *p == pid {
            (app_rss, app_pss) = (r, q);
        }
    }
    Memory {
        rss_mb: rss,
        pss_mb: pss,
        processes: pids.len(),
        app_rss_mb: app_rss,
        app_pss_mb: app_pss,
    }
}

pub fn report(bare: &[Figures], desk: &[Figures]) {
    let m = |runs: &[Figures], f: &dyn Fn(&Figures) -> f64| {
        median(&runs.iter().map(f).collect::<Vec<_>>())
    };
    let keys = |runs: &[Figures], f: &dyn Fn(&Figures) -> &Vec<f64>| {
        median(
            &runs
                .iter()
                .flat_map(|r| f(r).iter().copied())
                .collect::<Vec<_>>(),
        )
    };
    let rows: [(&str, f64, f64, &str); 8] = [
        (
            "start to interactive (ms)",
            m(bare, &|f| f.start),
            m(desk, &|f| f.start),
            "≤ 1500",
        ),
        (
            "memory, RSS summed, app + WebKit (MB)",
            m(bare, &|f| f.memory.rss_mb),
            m(desk, &|f| f.memory.rss_mb),
            "",
        ),
        (
            "memory, PSS summed (MB)",
            m(bare, &|f| f.memory.pss_mb),
            m(desk, &|f| f.memory.pss_mb),
            "",
        ),
        (
            "memory, app process alone, RSS (MB)",
            m(bare, &|f| f.memory.app_rss_mb),
            m(desk, &|f| f.memory.app_rss_mb),
            "≤ 150",
        ),
        (
            "memory, app process alone, PSS (MB)",
            m(bare, &|f| f.memory.app_pss_mb),
            m(desk, &|f| f.memory.app_pss_mb),
            "≤ 150",
        ),
        (
            "keystroke → item search result (ms)",
            keys(bare, &|f| &f.item_search),
            keys(desk, &|f| &f.item_search),
            "≤ 50",
        ),
        (
            "keystroke → queue search result (ms)",
            keys(bare, &|f| &f.queue_search),
            keys(desk, &|f| &f.queue_search),
            "≤ 50",
        ),
        (
            "processes (app + WebKit)",
            m(bare, &|f| f.memory.processes as f64),
            m(desk, &|f| f.memory.processes as f64),
            "",
        ),
    ];
    println!(
        "| measure (median of {} runs) | bare Tauri window | desk | desk ÷ bare | goal |",
        desk.len()
    );
    println!("|---|---:|---:|---:|---|");
    for (name, b, d, goal) in rows {
        println!("| {name} | {b:.1} | {d:.1} | {:.2}× | {goal} |", d / b);
    }
}
