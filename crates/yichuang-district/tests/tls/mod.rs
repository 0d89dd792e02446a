//! The district over HTTPS with its own certificate: a station that pins the private root CA
//! is served, one that trusts another CA or speaks plain HTTP is not, and the server goes on.

mod certs;
mod cli;
mod identity;
mod serving;
