//! `yichuang audit verify`: walks the audit hash chain so a hall manager can show it is intact.

use std::process::ExitCode;

use clap::Subcommand;
use yichuang_store::{Store, StoreError};

use crate::Ctx;

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check every audit record against the hash chain.
    ///
    /// Exit code 0 when the chain is intact; 1 when a record was changed or removed (the
    /// first broken record is named) or the station cannot be opened.
    Verify,
}

pub(crate) fn run(ctx: &Ctx, action: AuditCommand) -> anyhow::Result<ExitCode> {
    match action {
        AuditCommand::Verify => {
            let store = Store::open(&ctx.paths, &ctx.keyring)?;
            match store.verify_audit_chain() {
                Ok(n) => {
                    println!("审计日志完整：{n} 条记录已核对");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e @ StoreError::AuditTampered { .. }) => {
                    eprintln!("{e}");
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}
