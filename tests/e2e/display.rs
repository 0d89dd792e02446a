//! An X display for the real window: the one in $DISPLAY, or a private Xvfb started for the test.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Display {
    pub name: String,
    xvfb: Option<Child>,
}

impl Display {
    pub fn get() -> Display {
        if let Ok(name) = std::env::var("DISPLAY")
            && !name.is_empty()
        {
            return Display { name, xvfb: None };
        }
        let number = (90..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("no free X display number between :90 and :199");
        let child = Command::new("Xvfb")
            .args([
                format!(":{number}"),
                "-screen".into(),
                "0".into(),
                "1366x900x24".into(),
                "-nolisten".into(),
                "tcp".into(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is not installed: run `bash .ci/setup --test-tools`");
        let socket = format!("/tmp/.X11-unix/X{number}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !Path::new(&socket).exists() {
            assert!(
                Instant::now() < deadline,
                "Xvfb :{number} did not come up within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Display {
            name: format!(":{number}"),
            xvfb: Some(child),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(child) = &mut self.xvfb {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
