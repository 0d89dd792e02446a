//! The OS printers of Linux and macOS through the CUPS command-line tools (`lpstat`, `lp`,
//! `cancel`, from cups-client): list the printers and the default, submit a PDF, follow the
//! job, cancel a stuck one.
//!
//! Why the command line and not a crate: the `printers` and `cups_rs` crates bind libcups
//! through FFI (a libcups2-dev build dependency on every developer and CI machine, unsafe
//! code to review, and `printers` spools through a temp file of its own with its Windows
//! backend sending the PDF RAW, which most office printers print as garbage). The CLI is
//! part of every CUPS install, speaks to the same scheduler, and its output in the C locale
//! is stable; the four calls we need are each one short process (≈ 10 ms). The PDF goes to
//! `lp` on stdin, so no copy with personal data is left in a temp folder of ours.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// A print queue as `lpstat -p -d` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OsPrinter {
    pub name: String,
    /// Not disabled (paused) by an administrator.
    pub enabled: bool,
    /// Printing a job right now.
    pub busy: bool,
    pub is_default: bool,
}

/// What CUPS says about a submitted job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JobState {
    /// Waiting or printing (`lpstat -W not-completed`).
    Pending,
    /// No longer pending: completed (or cancelled/aborted outside the app, which `lpstat`
    /// does not tell apart; the app's own cancels are recorded before they are sent).
    Finished,
}

/// Why the printing system could not do what was asked; the text is for the clerk.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CupsError {
    #[error("本机未安装打印服务（CUPS 的 {tool} 命令）。请联系管理员安装 cups 与 cups-client")]
    Missing {
        tool: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("打印服务（CUPS）没有运行。请重启电脑或联系管理员启动打印服务后再试")]
    NotRunning,
    #[error("打印机“{printer}”不存在（可能已被删除或改名）。请在打印对话框中重新选择打印机")]
    NoSuchPrinter { printer: String },
    #[error("打印机“{printer}”已暂停接收任务。请联系管理员启用该打印机，或换一台打印机")]
    NotAccepting { printer: String },
    #[error("打印服务拒绝了任务（{detail}）。请检查打印机后重试")]
    Refused { detail: String },
    #[error("与打印服务通信失败（{0}）。请稍后重试")]
    Io(#[source] std::io::Error),
}

fn run(tool: &'static str, args: &[&str], stdin: Option<&[u8]>) -> Result<Output, CupsError> {
    let mut cmd = Command::new(tool);
    cmd.args(args)
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => CupsError::Missing { tool, source },
        _ => CupsError::Io(source),
    })?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes).map_err(CupsError::Io)?;
    }
    child.wait_with_output().map_err(CupsError::Io)
}

/// The refusal in `stderr`, mapped to what the clerk can do about it.
fn refusal(printer: &str, output: &Output) -> CupsError {
    let err = String::from_utf8_lossy(&output.stderr).trim().to_string();
    if err.contains("scheduler is not running") || err.contains("Unable to connect") {
        CupsError::NotRunning
    } else if err.contains("does not exist") || err.contains("Unknown destination") {
        CupsError::NoSuchPrinter {
            printer: printer.to_string(),
        }
    } else if err.contains("not accepting jobs") {
        CupsError::NotAccepting {
            printer: printer.to_string(),
        }
    } else {
        CupsError::Refused { detail: err }
    }
}

/// Every print queue, with the system default marked.
pub(crate) fn printers() -> Result<Vec<OsPrinter>, CupsError> {
    let out = run("lpstat", &["-p", "-d"], None)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && !stderr.contains("No destinations added") {
        return Err(refusal("", &out));
    }
    Ok(parse_printers(&stdout))
}

/// Parses `lpstat -p -d` in the C locale.
pub(crate) fn parse_printers(stdout: &str) -> Vec<OsPrinter> {
    let default = stdout
        .lines()
        .find_map(|l| l.strip_prefix("system default destination: "))
        .map(str::trim);
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("printer ")?;
            let (name, state) = rest.split_once(' ')?;
            Some(OsPrinter {
                name: name.to_string(),
                enabled: !state.starts_with("disabled"),
                busy: state.starts_with("now printing"),
                is_default: default == Some(name),
            })
        })
        .collect()
}

/// Hands `pdf` to `printer` as one job titled `title`; returns the job's id (`queue-12`).
pub(crate) fn submit(
    printer: &str,
    title: &str,
    media: Option<&str>,
    pdf: &[u8],
) -> Result<String, CupsError> {
    let media = media.map(|m| format!("media={m}"));
    let mut args = vec!["-d", printer, "-t", title];
    if let Some(m) = media.as_deref() {
        args.extend(["-o", m]);
    }
    args.push("-");
    let out = run("lp", &args, Some(pdf))?;
    if !out.status.success() {
        return Err(refusal(printer, &out));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    parse_request_id(&stdout).ok_or_else(|| CupsError::Refused {
        detail: stdout.trim().to_string(),
    })
}

/// `request id is yichuang-pdf-12 (0 file(s))` → `yichuang-pdf-12`.
pub(crate) fn parse_request_id(stdout: &str) -> Option<String> {
    stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("request id is "))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_string)
}

/// Whether `job` is still waiting or printing on `printer`.
pub(crate) fn job_state(printer: &str, job: &str) -> Result<JobState, CupsError> {
    let out = run("lpstat", &["-W", "not-completed", "-o", printer], None)?;
    if !out.status.success() {
        return Err(refusal(printer, &out));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    Ok(if lists_job(&stdout, job) {
        JobState::Pending
    } else {
        JobState::Finished
    })
}

/// Whether an `lpstat -o` listing names `job` (first column).
pub(crate) fn lists_job(stdout: &str, job: &str) -> bool {
    stdout
        .lines()
        .any(|l| l.split_whitespace().next() == Some(job))
}

/// Cancels a job (a stuck one, before it is retried or given up).
pub(crate) fn cancel(printer: &str, job: &str) -> Result<(), CupsError> {
    let out = run("cancel", &[job], None)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // A job that finished meanwhile cannot be cancelled: nothing left to stop.
    if out.status.success() || stderr.contains("already") || stderr.contains("not possible") {
        Ok(())
    } else {
        Err(refusal(printer, &out))
    }
}
