//! The one set-up of the window tests: a demo station provisioned in a temp dir (the app is
//! its one writer, so the test lets go of it), the X display, and tauri-driver ready to open
//! the built app on that station, while it holds the window turn. Needs the `display` and
//! `driver` modules beside it.
#![allow(dead_code)]

use std::path::PathBuf;

use fantoccini::Client;
use yichuang_station::{Station, StationConfig};
use yichuang_store::{KeyringStore, StationPaths, Store};
use yichuang_tests::station::demo_station;

use super::{display, driver};

pub struct DemoApp {
    pub data_dir: PathBuf,
    /// The keyring service holding the station's database key (to open its store beside the app).
    pub keyring_service: String,
    /// Where the window tests leave screenshots and slips: tests/e2e/out.
    pub out_dir: PathBuf,
    app: PathBuf,
    driver: driver::Driver,
    _display: display::Display,
    pub dir: tempfile::TempDir,
    /// Declared last: given back once the window, driver and display are gone.
    _turn: std::sync::MutexGuard<'static, ()>,
}

impl DemoApp {
    /// A station talking to `district_url`; `extra_env` goes to the app beside its data
    /// folder and keyring service.
    pub fn start(district_url: &str, extra_env: &[(&str, String)]) -> DemoApp {
        DemoApp::start_on_screen(district_url, extra_env, display::COUNTER_SCREEN)
    }

    /// The same, on a private X screen of `screen` ("1920x1080") when $DISPLAY is not set.
    pub fn start_on_screen(
        district_url: &str,
        extra_env: &[(&str, String)],
        screen: &str,
    ) -> DemoApp {
        let turn = super::window_turn();
        let app = driver::app_binary();
        let dir = tempfile::tempdir().unwrap();
        let station = demo_station(dir.path(), district_url);
        let (data_dir, keyring_service) =
            (station.data_dir.clone(), station.keyring_service.clone());
        drop(station);
        let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("e2e/out");
        std::fs::create_dir_all(&out_dir).unwrap();
        let display = display::Display::with_screen(screen);
        let mut env = vec![
            ("YICHUANG_DATA_DIR", data_dir.display().to_string()),
            ("YICHUANG_KEYRING_SERVICE", keyring_service.clone()),
        ];
        env.extend(extra_env.iter().cloned());
        let driver = driver::Driver::start(&display.name, &env);
        DemoApp {
            data_dir,
            keyring_service,
            out_dir,
            app,
            driver,
            _display: display,
            dir,
            _turn: turn,
        }
    }

    /// The station opened beside the app: for set-up before the window opens (the app is then
    /// its one writer) or for a look after it closed. Nobody is logged in.
    pub fn station(&self) -> Station {
        Station::open(&StationConfig {
            data_dir: self.data_dir.clone(),
            keyring_service: self.keyring_service.clone(),
        })
        .expect("open the station beside the app")
    }

    /// The station's store, opened beside the running app (WAL: the app stays the writer).
    pub fn store(&self) -> Store {
        let paths = StationPaths {
            data_dir: self.data_dir.clone(),
        };
        Store::open(&paths, &KeyringStore::new(&self.keyring_service))
            .expect("open the station store")
    }

    /// Launches the app in a real window (again, after it was closed or killed).
    pub async fn session(&self) -> Client {
        self.driver.session(&self.app).await
    }
}
