//! The PostgreSQL backend of the protocol suite: a database of its own per test (so tests
//! run in parallel), on the server named by `YICHUANG_TEST_PG_URL`, dropped after the test.
//!
//! Without that variable the suite's PostgreSQL half says it skipped, except on CI
//! (`CI=true`), where a missing database fails the run.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use yichuang_district::DistrictStore;
use yichuang_district::store::{
    PgConfig, PgOptions, PgStore, create_database, drop_database, parse_url,
};

use super::harness::Backend;

pub const URL_VAR: &str = "YICHUANG_TEST_PG_URL";

pub struct Postgres {
    admin: PgConfig,
    /// The database of each place this test opened.
    databases: Mutex<HashMap<PathBuf, String>>,
}

impl Postgres {
    /// The backend for one test, or `None` (after a skip line) when no server is configured
    /// outside CI.
    pub fn from_env(test: &str) -> Option<Postgres> {
        let Ok(url) = std::env::var(URL_VAR) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{URL_VAR} is not set: CI must run the protocol suite on PostgreSQL ({test})"
            );
            // Straight to stderr: the test harness would swallow `eprintln!` of a passing test.
            let _ = writeln!(
                std::io::stderr(),
                "skipped postgres::{test}: {URL_VAR} is not set (PostgreSQL half of the suite)"
            );
            return None;
        };
        Some(Postgres {
            admin: parse_url(&url).expect("YICHUANG_TEST_PG_URL"),
            databases: Mutex::new(HashMap::new()),
        })
    }

    /// Drops the databases this test made.
    pub async fn drop_databases(self) {
        let names: Vec<String> = self
            .databases
            .into_inner()
            .expect("databases")
            .into_values()
            .collect();
        for name in names {
            drop_database(&self.admin, &name)
                .await
                .expect("drop test database");
        }
    }
}

#[async_trait]
impl Backend for Postgres {
    async fn open(&self, place: &Path) -> Arc<dyn DistrictStore> {
        let name = self
            .databases
            .lock()
            .expect("databases")
            .entry(place.to_path_buf())
            .or_insert_with(|| format!("yc_v2_{}", uuid::Uuid::now_v7().simple()))
            .clone();
        let config = create_database(&self.admin, &name)
            .await
            .expect("create test database");
        let options = PgOptions {
            max_connections: 4,
            ..PgOptions::default()
        };
        Arc::new(
            PgStore::connect_with(config, options)
                .await
                .expect("open postgres store"),
        )
    }
}
