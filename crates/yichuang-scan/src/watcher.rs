//! Watching the document camera's save folder and handing over each new scan once it is whole.
//!
//! Document cameras (高拍仪) save each shot into a folder. A file is handed over once: when the
//! writer closes it (inotify's close-write) or, where no such event exists or a file was
//! renamed into place, once its size has stayed the same for the settle time (300 ms by
//! default). Hidden and temporary files are ignored, and so are the files already in the
//! folder when watching starts. Only file sizes and counts are logged, never names.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc::UnboundedSender;

use crate::error::{Result, ScanError};

/// How long a file's size must stay the same before it counts as complete.
pub const DEFAULT_SETTLE: Duration = Duration::from_millis(300);
/// How often sizes are looked at while some file is still being written.
const POLL: Duration = Duration::from_millis(50);
/// How long the worker sleeps when nothing is pending (it wakes on any event or on stop).
const IDLE: Duration = Duration::from_secs(3600);

enum Msg {
    Fs(notify::Result<Event>),
    Stop,
}

/// Watches one folder (not its subfolders) and sends the full path of each new, complete
/// file on a tokio unbounded channel: the sender works from the watcher's own thread without
/// a runtime, and the station's async side awaits the receiver. Dropping the watcher stops
/// it and joins its thread; the channel then closes (the receiver sees `None`). If the
/// receiver is dropped, the watcher's thread ends by itself.
pub struct ScanFolderWatcher {
    watcher: Option<RecommendedWatcher>,
    control: mpsc::Sender<Msg>,
    worker: Option<JoinHandle<()>>,
}

impl ScanFolderWatcher {
    /// Starts watching `dir` with the default settle time. When this returns the watch is in
    /// place: any file created afterwards will be seen.
    pub fn start(dir: impl AsRef<Path>, out: UnboundedSender<PathBuf>) -> Result<Self> {
        Self::start_with_settle(dir, out, DEFAULT_SETTLE)
    }

    /// Like [`ScanFolderWatcher::start`] with a chosen settle time.
    pub fn start_with_settle(
        dir: impl AsRef<Path>,
        out: UnboundedSender<PathBuf>,
        settle: Duration,
    ) -> Result<Self> {
        let dir = dir.as_ref().to_path_buf();
        let (control, inbox) = mpsc::channel();
        let fs_events = control.clone();
        let mut watcher = notify::recommended_watcher(move |res| {
            let _ = fs_events.send(Msg::Fs(res));
        })
        .map_err(|source| ScanError::Watch { source })?;
        watcher
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(|source| ScanError::Watch { source })?;
        // Taken after the watch is in place, so no new file falls between the two.
        let existing = fs::read_dir(&dir)
            .map_err(|e| ScanError::Watch {
                source: notify::Error::io(e),
            })?
            .filter_map(|entry| entry.ok().map(|e| e.file_name()))
            .collect::<HashSet<_>>();
        tracing::info!(existing = existing.len(), "scan folder watch started");
        let worker = Worker {
            dir,
            settle,
            out,
            existing,
            delivered: HashSet::new(),
            pending: HashMap::new(),
        };
        let worker = thread::Builder::new()
            .name("scan-folder-watch".into())
            .spawn(move || worker.run(inbox))
            .map_err(|e| ScanError::Watch {
                source: notify::Error::io(e),
            })?;
        Ok(ScanFolderWatcher {
            watcher: Some(watcher),
            control,
            worker: Some(worker),
        })
    }
}

impl Drop for ScanFolderWatcher {
    fn drop(&mut self) {
        drop(self.watcher.take());
        let _ = self.control.send(Msg::Stop);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

struct Pending {
    size: u64,
    since: Instant,
}

struct Worker {
    dir: PathBuf,
    settle: Duration,
    out: UnboundedSender<PathBuf>,
    /// Names present at start: never delivered unless removed and created again.
    existing: HashSet<OsString>,
    /// Names already handed over: not again unless removed and created again.
    delivered: HashSet<OsString>,
    pending: HashMap<OsString, Pending>,
}

impl Worker {
    fn run(mut self, inbox: mpsc::Receiver<Msg>) {
        let mut last_poll = Instant::now();
        loop {
            let wait = if self.pending.is_empty() { IDLE } else { POLL };
            match inbox.recv_timeout(wait) {
                Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(Msg::Fs(Ok(event))) => self.on_event(event),
                Ok(Msg::Fs(Err(e))) => tracing::warn!(kind = ?e.kind, "scan folder watch error"),
                Err(RecvTimeoutError::Timeout) => {}
            }
            if self.out.is_closed() {
                break;
            }
            if last_poll.elapsed() >= POLL {
                last_poll = Instant::now();
                self.poll_pending();
            }
        }
        tracing::info!(
            delivered = self.delivered.len(),
            "scan folder watch stopped"
        );
    }

    fn on_event(&mut self, event: Event) {
        let names: Vec<OsString> = event
            .paths
            .iter()
            .filter(|p| p.parent() == Some(self.dir.as_path()))
            .filter_map(|p| p.file_name().map(OsString::from))
            .collect();
        match event.kind {
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => {
                names.iter().for_each(|n| self.forget(n));
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
                if let [from, to] = names.as_slice() {
                    self.forget(from);
                    self.touch(to);
                }
            }
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for name in names {
                    if self.is_candidate(&name) && !self.deliver_if_whole(&name) {
                        self.touch(&name);
                    }
                }
            }
            EventKind::Access(_) => {}
            _ => names.iter().for_each(|n| self.touch(n)),
        }
    }

    fn is_candidate(&self, name: &OsString) -> bool {
        !is_ignored(name) && !self.existing.contains(name) && !self.delivered.contains(name)
    }

    /// Something happened to the file: (re)start its settle time.
    fn touch(&mut self, name: &OsString) {
        if !self.is_candidate(name) {
            return;
        }
        let size = fs::metadata(self.dir.join(name))
            .map(|m| m.len())
            .unwrap_or(0);
        self.pending.insert(
            name.clone(),
            Pending {
                size,
                since: Instant::now(),
            },
        );
    }

    fn forget(&mut self, name: &OsString) {
        self.existing.remove(name);
        self.delivered.remove(name);
        self.pending.remove(name);
    }

    fn poll_pending(&mut self) {
        let now = Instant::now();
        let mut ready = Vec::new();
        let dir = &self.dir;
        self.pending
            .retain(|name, p| match fs::metadata(dir.join(name)) {
                Ok(meta) if meta.is_file() => {
                    if meta.len() != p.size {
                        p.size = meta.len();
                        p.since = now;
                    } else if p.size > 0 && now.duration_since(p.since) >= self.settle {
                        ready.push(name.clone());
                    }
                    true
                }
                // Gone or not a file (a folder): nothing to hand over.
                _ => false,
            });
        for name in ready {
            self.deliver_if_whole(&name);
        }
    }

    /// Hands the file over if it is a non-empty regular file; returns whether it did.
    fn deliver_if_whole(&mut self, name: &OsString) -> bool {
        let path = self.dir.join(name);
        let size = match fs::metadata(&path) {
            Ok(meta) if meta.is_file() && meta.len() > 0 => meta.len(),
            _ => return false,
        };
        self.pending.remove(name);
        self.delivered.insert(name.clone());
        tracing::debug!(bytes = size, "new scan file ready");
        // A closed receiver is noticed by the loop, which then stops.
        let _ = self.out.send(path);
        true
    }
}

/// Whether a file of this name is a scan to take: not hidden, not a temporary name.
pub fn is_scan_file_name(name: &std::ffi::OsStr) -> bool {
    !is_ignored(&name.to_os_string())
}

/// Hidden files and the temporary names scanners and browsers write before renaming.
fn is_ignored(name: &OsString) -> bool {
    let name = name.to_string_lossy().to_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || [
            ".tmp",
            ".temp",
            ".part",
            ".partial",
            ".crdownload",
            ".download",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_and_hidden_names_are_ignored() {
        for name in [
            ".DS_Store",
            "scan.jpg.tmp",
            "IMG_0001.JPG~",
            "a.TMP",
            "x.part",
            "~$doc.pdf",
        ] {
            assert!(is_ignored(&OsString::from(name)), "{name}");
        }
        for name in ["IMG_0001.JPG", "身份证正面.png", "scan.pdf", "tmp.jpg"] {
            assert!(!is_ignored(&OsString::from(name)), "{name}");
        }
    }
}
