//! The reference district for the window test: started late on a port reserved early, so the
//! station begins offline and must find the district on its own.

use std::net::TcpListener as StdListener;
use std::path::Path;

use yichuang_district::{DistrictConfig, DistrictServer};

/// A loopback port that was free a moment ago (nothing listens on it until `start_on`).
pub fn reserve_port() -> u16 {
    let listener = StdListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

pub struct District {
    server: DistrictServer,
}

impl District {
    pub async fn start_on(port: u16, root: &Path) -> District {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the reserved district port");
        let config = DistrictConfig {
            db_path: root.join("district.db"),
            region_code: "440111".into(),
            station_tokens: vec![("440111001".into(), "demo-token".into())],
            faults: None,
        };
        District {
            server: DistrictServer::start(listener, config)
                .await
                .expect("district starts"),
        }
    }

    /// Cases the district stored for station 440111001, read from its store.
    pub async fn case_count(&self) -> u64 {
        self.server
            .store()
            .count_cases("440111001")
            .await
            .expect("count cases")
    }
}
