//! The reference district over real HTTP(S), once per store backend where it matters: protocol
//! v2, HTTPS with its own certificate, PostgreSQL over TLS, the CLI and the OpenAPI document.
//! One test binary for the crate (each part below is a module): one link instead of one per
//! part keeps a clean build's disk and time small.

mod cli;
mod openapi;
mod pg_tls;
mod tls;
mod v2;
