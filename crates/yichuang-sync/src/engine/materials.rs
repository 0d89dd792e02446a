//! Uploading scanned pages (protocol v2 materials): ask which files the district lacks,
//! then send each missing one from the byte it holds, resuming after a broken connection.
//! A file the district finds damaged is set apart and the others go on; an outage stops the
//! round with nothing written down.

use std::sync::{Arc, Mutex};

use tracing::{info, warn};

use super::plan::{Stop, decide};
use super::round::{ProgressSink, with_store};
use crate::client::{DistrictClient, Failure, PieceAnswer};
use crate::protocol::v2::materials::MAX_CHECK_HASHES;
use crate::{Outbox, SyncError, SyncProgress};

/// Files considered per round.
const FILES_PER_ROUND: usize = 1000;
/// Broken connections tolerated for one file in one round before the round stops.
const RESUMES_PER_FILE: u32 = 3;
/// Bytes sent per request: a big scan goes up in pieces, so the progress bar moves while it
/// is on its way, and a cut connection costs at most one piece.
const PIECE_BYTES: u64 = 1024 * 1024;

/// What the materials step did.
#[derive(Debug, Default)]
pub(crate) struct MaterialsSent {
    /// Files the district now holds whole (sent, or it had them already).
    pub confirmed: u32,
    /// Bytes sent this round.
    pub bytes: u64,
    /// Files found damaged and set apart.
    pub poisoned: u32,
    pub stop: Option<(Stop, String)>,
}

pub(crate) async fn upload_materials<O: Outbox>(
    store: &Arc<Mutex<O>>,
    client: &DistrictClient,
    progress: &ProgressSink<'_>,
) -> Result<MaterialsSent, SyncError> {
    let mut sent = MaterialsSent::default();
    let pending = with_store(store, |s| s.materials_to_upload(FILES_PER_ROUND)).await?;
    if pending.is_empty() {
        return Ok(sent);
    }
    let (total, bytes_total) = (
        pending.len() as u64,
        pending.iter().map(|m| m.bytes).sum::<u64>(),
    );
    let tell = |files_done: u64, bytes_done: u64| {
        progress(SyncProgress {
            stage: "正在上传扫描件".into(),
            done: files_done,
            total,
            bytes_done,
            bytes_total,
        })
    };
    let hashes: Vec<String> = pending.iter().map(|m| m.sha256.clone()).collect();
    let mut needs = Vec::new();
    for chunk in hashes.chunks(MAX_CHECK_HASHES) {
        match client.material_needs(chunk).await {
            Ok(answer) => needs.extend(answer.missing),
            Err(failure) => return Ok(stopped(sent, &failure)),
        }
    }
    // The district already holds the rest: nothing to send (another station scanned the
    // same file, or an earlier round got it through).
    let mut confirmed: Vec<String> = pending
        .iter()
        .filter(|m| !needs.iter().any(|n| n.sha256 == m.sha256))
        .map(|m| m.sha256.clone())
        .collect();
    let work: Vec<(String, u64)> = needs
        .into_iter()
        .filter(|n| pending.iter().any(|m| m.sha256 == n.sha256))
        .map(|n| (n.sha256, n.offset))
        .collect();
    let mut files_done = confirmed.len() as u64;
    tell(files_done, 0);
    // The next file is read and decrypted while the current one is on the wire.
    let mut next = work.first().map(|(sha, _)| read_later(store, sha));
    for (i, (sha, offset)) in work.iter().enumerate() {
        let read = match next.take() {
            Some(handle) => handle.await.map_err(|_| SyncError::Task)?,
            None => break,
        };
        next = work.get(i + 1).map(|(sha, _)| read_later(store, sha));
        files_done += 1;
        let bytes = match read {
            Ok(b) => bytes::Bytes::from(b),
            Err(e) => {
                warn!(error = %e, "a page file cannot be read locally; set apart");
                let (sha, message) = (sha.clone(), format!("本机的扫描件无法读取，未能上传：{e}"));
                with_store(store, move |s| s.record_material_poisoned(&sha, &message)).await?;
                sent.poisoned += 1;
                continue;
            }
        };
        let before = files_done - 1;
        let piece_sent = |bytes: u64| tell(before, bytes);
        match send_file(client, sha, bytes, *offset, &mut sent.bytes, &piece_sent).await {
            Ok(PieceAnswer::Complete) => confirmed.push(sha.clone()),
            Ok(PieceAnswer::Mismatch(message)) => {
                warn!("the district found a page file damaged; set apart");
                let (sha, message) = (
                    sha.clone(),
                    format!("扫描件已损坏，区级系统拒收：{message}"),
                );
                with_store(store, move |s| s.record_material_poisoned(&sha, &message)).await?;
                sent.poisoned += 1;
            }
            Ok(PieceAnswer::HeldSoFar(_)) => {}
            Err(failure) => {
                sent.confirmed += record_confirmed(store, confirmed).await?;
                return Ok(stopped(sent, &failure));
            }
        }
        tell(files_done, sent.bytes);
    }
    sent.confirmed += record_confirmed(store, confirmed).await?;
    info!(
        confirmed = sent.confirmed,
        bytes = sent.bytes,
        poisoned = sent.poisoned,
        "materials step done"
    );
    Ok(sent)
}

/// Reads and decrypts a page file on a blocking thread.
fn read_later<O: Outbox>(
    store: &Arc<Mutex<O>>,
    sha: &str,
) -> tokio::task::JoinHandle<Result<Vec<u8>, SyncError>> {
    let (store, sha) = (Arc::clone(store), sha.to_string());
    tokio::task::spawn_blocking(move || {
        let guard = store.lock().map_err(|_| SyncError::StorePoisoned)?;
        guard.material_bytes(&sha)
    })
}

/// Writes down, in one transaction, the files the district now holds whole.
async fn record_confirmed<O: Outbox>(
    store: &Arc<Mutex<O>>,
    confirmed: Vec<String>,
) -> Result<u32, SyncError> {
    let n = u32::try_from(confirmed.len()).unwrap_or(u32::MAX);
    if n > 0 {
        with_store(store, move |s| s.record_materials_uploaded(&confirmed)).await?;
    }
    Ok(n)
}

/// Sends one file from `offset`, a piece of at most [`PIECE_BYTES`] per request, until the
/// district holds it whole, resuming from the district's own count after a broken connection
/// or a wrong offset; `piece_sent` hears the round's bytes sent after every piece.
async fn send_file(
    client: &DistrictClient,
    sha: &str,
    bytes: bytes::Bytes,
    mut offset: u64,
    sent_bytes: &mut u64,
    piece_sent: &(dyn Fn(u64) + Sync),
) -> Result<PieceAnswer, Failure> {
    let length = bytes.len() as u64;
    let mut broken = 0;
    loop {
        let start = usize::try_from(offset.min(length)).unwrap_or(0);
        let end = usize::try_from(offset.saturating_add(PIECE_BYTES).min(length)).unwrap_or(0);
        match client
            .upload_material_piece(sha, offset, length, bytes.slice(start..end.max(start)))
            .await
        {
            Ok(PieceAnswer::HeldSoFar(held)) if held < length && held != offset => {
                *sent_bytes += held.saturating_sub(offset);
                offset = held;
                piece_sent(*sent_bytes);
            }
            Ok(PieceAnswer::HeldSoFar(held)) if held < length => {
                // No progress: try again once from the district's count, then give up.
                broken += 1;
                if broken > RESUMES_PER_FILE {
                    return Ok(PieceAnswer::HeldSoFar(held));
                }
            }
            Ok(answer) => {
                if answer == PieceAnswer::Complete {
                    *sent_bytes += length.saturating_sub(offset);
                }
                return Ok(answer);
            }
            Err(Failure::Unreachable) if broken < RESUMES_PER_FILE => {
                broken += 1;
                match client.material_offset(sha).await? {
                    None => return Ok(PieceAnswer::Complete),
                    Some(held) => {
                        *sent_bytes += held.saturating_sub(offset);
                        offset = held;
                    }
                }
            }
            Err(failure) => return Err(failure),
        }
    }
}

fn stopped(mut sent: MaterialsSent, failure: &Failure) -> MaterialsSent {
    let stop = decide(failure).stop.unwrap_or(Stop::ServerError);
    sent.stop = Some((stop, failure.message_zh()));
    sent
}
