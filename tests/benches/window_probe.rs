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

/// Resident memory, read from /proc after the screens were used. RSS counts every resident
/// page a process maps, shared libraries in full; PSS splits each shared page among the
/// processes mapping it, so PSS summed over processes is what they take together.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// The app and its WebKit processes, summed.
    pub rss_mb: f64,
    pub pss_mb: f64,
    pub processes: usize,
    /// The app's own process (Rust, GTK, the UI side of WebKit), without its web processes:
    /// what the issue's "≤ 150 MB" is read against, as PSS (its RSS counts GTK, WebKit and
    /// Mesa in full, which the bare window alone takes past 150 MB).
    pub app_rss_mb: f64,
    pub app_pss_mb: f64,
    /// The anonymous part of the app process's RSS (heaps, stacks: none of it a file's pages).
    pub app_anon_mb: f64,
    /// Other WebKit web and network processes on the machine (other windows, other tests):
    /// they share the libraries' pages, so with them running PSS reads lower than on a
    /// counter PC.
    pub other_webkit: usize,
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
        // The queue says how long its store search took: printed beside the window's time.
        const store = () => document.querySelector("[data-testid='queue-store-ms']")?.textContent ?? "";
        const finish = () => requestAnimationFrame(() => done([performance.now() - t0, store()]));
        if (answered()) { finish(); return; }
        const watch = new MutationObserver(() => {
            if (answered()) { watch.disconnect(); finish(); }
        });
        watch.observe(document.body, { subtree: true, childList: true, attributes: true });
        setTimeout(() => { watch.disconnect(); done([-1, ""]); }, 5000);
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
        let answer = client.execute_async(SCRIPT, args).await.unwrap();
        let ms = answer[0].as_f64().unwrap();
        assert!(ms >= 0.0, "{list} never answered {text:?} within 5 s");
        let store = answer[1].as_str().unwrap_or_default();
        if !store.is_empty() {
            eprintln!("  {list} {text:?}: {ms:.1} ms in the window; {store}");
        }
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
    let other_webkit = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                return false;
            };
            let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
            // Web and network processes (not WebKitWebDriver, which maps no WebKit pages).
            !pids.contains(&p)
                && (comm.starts_with("WebKitWebProces") || comm.starts_with("WebKitNetworkPr"))
        })
        .count();
    if other_webkit > 0 {
        eprintln!("  ({other_webkit} other WebKit processes running: PSS reads lower)");
    }
    let (mut rss, mut pss, mut app_rss, mut app_pss, mut app_anon) = (0.0, 0.0, 0.0, 0.0, 0.0);
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
        let status = std::fs::read_to_string(format!("/proc/{p}/status")).unwrap_or_default();
        let field = |key: &str| status.lines().find(|l| l.starts_with(key)).map_or(0.0, kb);
        eprintln!(
            "  {p} {}: RSS {r:.0} MB (anon {:.0}, file {:.0}, shmem {:.0}), PSS {q:.0} MB",
            name.trim(),
            field("RssAnon:"),
            field("RssFile:"),
            field("RssShmem:")
        );
        if let Some(dir) = std::env::var_os("YICHUANG_BENCH_SMAPS") {
            let to = Path::new(&dir).join(format!("{p}-{}.smaps", name.trim()));
            let copied =
                std::fs::read(format!("/proc/{p}/smaps")).and_then(|b| std::fs::write(to, b));
            if let Err(e) = copied {
                eprintln!("  (smaps of {p} not kept: {e})");
            }
        }
        rss += r;
        pss += q;
        if *p == pid {
            (app_rss, app_pss, app_anon) = (r, q, field("RssAnon:"));
        }
    }
    Memory {
        rss_mb: rss,
        pss_mb: pss,
        processes: pids.len(),
        app_rss_mb: app_rss,
        app_pss_mb: app_pss,
        app_anon_mb: app_anon,
        other_webkit,
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
    let rows: [(&str, f64, f64, &str); 9] = [
        (
            "start to interactive (ms)",
            m(bare, &|f| f.start),
            m(desk, &|f| f.start),
            "≤ 1500",
        ),
        (
            "memory, app process alone, PSS (MB)",
            m(bare, &|f| f.memory.app_pss_mb),
            m(desk, &|f| f.memory.app_pss_mb),
            "≤ 150 (the goal's measure)",
        ),
        (
            "memory, app process alone, RSS (MB)",
            m(bare, &|f| f.memory.app_rss_mb),
            m(desk, &|f| f.memory.app_rss_mb),
            "shared libraries in full",
        ),
        (
            "memory, app process alone, anonymous RSS (MB)",
            m(bare, &|f| f.memory.app_anon_mb),
            m(desk, &|f| f.memory.app_anon_mb),
            "heaps and stacks",
        ),
        (
            "memory, app + WebKit processes, PSS summed (MB)",
            m(bare, &|f| f.memory.pss_mb),
            m(desk, &|f| f.memory.pss_mb),
            "what they take together",
        ),
        (
            "memory, app + WebKit processes, RSS summed (MB)",
            m(bare, &|f| f.memory.rss_mb),
            m(desk, &|f| f.memory.rss_mb),
            "",
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
        "| measure (median of {} runs) | bare Tauri window | desk | desk − bare | desk ÷ bare | goal |",
        desk.len()
    );
    println!("|---|---:|---:|---:|---:|---|");
    for (name, b, d, goal) in rows {
        println!(
            "| {name} | {b:.1} | {d:.1} | {:+.1} | {:.2}× | {goal} |",
            d - b,
            d / b
        );
    }
    // WebKitGTK's own switch, passed on to both windows: set and not "0", no compositing.
    // Without it the bare window keeps WebKitGTK's default and the desk turns compositing off
    // for the clerk's window itself (src-tauri/webview_drawing.rs).
    let compositing = match std::env::var("WEBKIT_DISABLE_COMPOSITING_MODE") {
        Ok(v) if v != "0" => format!("off in both (WEBKIT_DISABLE_COMPOSITING_MODE={v})"),
        _ => "bare window on (WebKitGTK's default), desk's clerk window off (its own setting)"
            .to_string(),
    };
    println!("WebKit compositing: {compositing}");
    let others = |runs: &[Figures]| runs.iter().map(|f| f.memory.other_webkit).max();
    if let Some(n) = others(bare).max(others(desk)).filter(|n| *n > 0) {
        println!(
            "While measuring, up to {n} other WebKit processes ran on the machine: they share the \
             libraries' pages, so PSS reads lower than on a counter PC (RSS does not change)."
        );
    }
}
