//! An X display for the real window: the one in $DISPLAY, or a private Xvfb started for the test.
//!
//! Xvfb picks its own free display number (`-displayfd`), so stale lock files left by a killed
//! server never exhaust the numbers, and it is stopped with SIGTERM so it removes its own lock.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Display {
    pub name: String,
    xvfb: Option<Child>,
}

/// The common counter PC's screen, the size the window tests run at.
pub const COUNTER_SCREEN: &str = "1366x768";

impl Display {
    /// The counter's screen: $DISPLAY if set, otherwise a private Xvfb of 1366×768.
    pub fn get() -> Display {
        Display::with_screen(COUNTER_SCREEN)
    }

    /// $DISPLAY if set (whatever its size), otherwise a private Xvfb with a screen of `size`
    /// ("1920x1080").
    pub fn with_screen(size: &str) -> Display {
        if let Ok(name) = std::env::var("DISPLAY")
            && !name.is_empty()
        {
            return Display { name, xvfb: None };
        }
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                &format!("{size}x24"),
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is not installed: run `bash .ci/setup --test-tools`");
        // Xvfb writes the number once it accepts connections; EOF means it gave up.
        let stdout = child.stdout.take().expect("Xvfb stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reading the display number from Xvfb");
        let number: u32 = match line.trim().parse() {
            Ok(number) => number,
            Err(_) => {
                let _ = child.kill();
                let status = child.wait();
                panic!("Xvfb did not start (it said {line:?}, exit {status:?})");
            }
        };
        Display {
            name: format!(":{number}"),
            xvfb: Some(child),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(child) = &mut self.xvfb {
            terminate(child);
        }
    }
}

/// SIGTERM lets Xvfb remove /tmp/.X<n>-lock and its socket; SIGKILL would leave them behind.
fn terminate(child: &mut Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) with a pid we spawned and still own (not yet waited for).
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
    let _ = child.wait();
}
