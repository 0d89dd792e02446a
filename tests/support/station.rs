//! A real demo station in a temp dir: SQLCipher database, key in the real OS keyring (unique
//! service per test), shipped catalogue and calendar, clerk demo / demo1234.

use std::path::{Path, PathBuf};

use yichuang_station::{ProvisionForm, Station, StationConfig};

pub struct TestStation {
    pub data_dir: PathBuf,
    pub keyring_service: String,
    pub station: Station,
}

impl TestStation {
    pub fn config(&self) -> StationConfig {
        StationConfig {
            data_dir: self.data_dir.clone(),
            keyring_service: self.keyring_service.clone(),
        }
    }
}

/// Provisions station 440111001, counter 1, talking to `district_url`.
pub fn demo_station(root: &Path, district_url: &str) -> TestStation {
    let data_dir = root.join("station");
    let keyring_service = format!("yichuang-test-{}", uuid::Uuid::now_v7());
    let config = StationConfig {
        data_dir: data_dir.clone(),
        keyring_service: keyring_service.clone(),
    };
    let form = ProvisionForm {
        station_code: "440111001".into(),
        station_name: "白云区测试便民服务站".into(),
        counter: 1,
        region_code: "440111".into(),
        district_url: district_url.into(),
        district_token: "demo-token".into(),
        recovery_passphrase: "test-recovery-passphrase".into(),
        clerk_login: "demo".into(),
        clerk_name: "测试窗口人员".into(),
        clerk_password: "demo1234".into(),
    };
    let station = Station::provision(&config, form).expect(
        "provision a test station (is the Secret Service running? use tests/with-keyring.sh)",
    );
    TestStation {
        data_dir,
        keyring_service,
        station,
    }
}
