//! Materials: check, resumable upload by pieces, cuts, wrong offsets, corrupt bytes, size.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use yichuang_sync::protocol::ErrorKind;
use yichuang_sync::protocol::v2::materials::{
    MATERIALS_CHECK_PATH, MATERIALS_PATH, MAX_MATERIAL_BYTES, MaterialCheck, MaterialNeed,
    MaterialNeeds, UPLOAD_LENGTH, UPLOAD_OFFSET,
};

use super::harness::{Backend, District, STATION, answer_to_head_only, error_body};

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn sha(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn offset(resp: &reqwest::Response) -> u64 {
    resp.headers()[UPLOAD_OFFSET]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn patch(
    d: &District,
    token: &str,
    sha: &str,
    at: u64,
    total: u64,
    body: Vec<u8>,
) -> reqwest::Response {
    d.http
        .patch(format!("{}{MATERIALS_PATH}/{sha}", d.url))
        .bearer_auth(token)
        .header(UPLOAD_OFFSET, at)
        .header(UPLOAD_LENGTH, total)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn head(d: &District, token: &str, sha: &str) -> reqwest::Response {
    d.http
        .head(format!("{}{MATERIALS_PATH}/{sha}", d.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn check(d: &District, token: &str, hashes: Vec<String>) -> Vec<MaterialNeed> {
    let resp = d
        .post(
            MATERIALS_CHECK_PATH,
            token,
            &MaterialCheck { sha256: hashes },
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json::<MaterialNeeds>().await.unwrap().missing
}

pub async fn check_then_upload_in_two_pieces(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let data = bytes(300_000, 1);
    let name = sha(&data);
    let need = check(&d, &token, vec![name.clone()]).await;
    assert_eq!(
        need,
        vec![MaterialNeed {
            sha256: name.clone(),
            offset: 0
        }]
    );
    let resp = head(&d, &token, &name).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(offset(&resp), 0);

    let resp = patch(&d, &token, &name, 0, 300_000, data[..100_000].to_vec()).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset(&resp), 100_000);
    let resp = head(&d, &token, &name).await;
    assert_eq!(
        (resp.status(), offset(&resp)),
        (StatusCode::NOT_FOUND, 100_000)
    );
    assert_eq!(
        check(&d, &token, vec![name.clone()]).await[0].offset,
        100_000
    );

    let resp = patch(
        &d,
        &token,
        &name,
        100_000,
        300_000,
        data[100_000..].to_vec(),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(head(&d, &token, &name).await.status(), StatusCode::OK);
    assert!(check(&d, &token, vec![name.clone()]).await.is_empty());
    let stored =
        std::fs::read(d.data_dir().join("materials").join(&name[..2]).join(&name)).unwrap();
    assert_eq!(stored, data);
    // Sending it again is harmless.
    let resp = patch(&d, &token, &name, 0, 300_000, data.clone()).await;
    assert_eq!(resp.status(), StatusCode::CREATED);

    let resp = d
        .post(
            MATERIALS_CHECK_PATH,
            &token,
            &MaterialCheck {
                sha256: vec!["XYZ".into()],
            },
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    d.stop().await;
}

pub async fn a_cut_connection_resumes_from_what_arrived(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let data = bytes(200_000, 2);
    let name = sha(&data);
    d.faults.cut_material_upload(70_000);
    let cut = d
        .http
        .patch(format!("{}{MATERIALS_PATH}/{name}", d.url))
        .bearer_auth(&token)
        .header(UPLOAD_OFFSET, 0)
        .header(UPLOAD_LENGTH, 200_000)
        .body(data.clone())
        .send()
        .await;
    assert!(cut.is_err(), "the connection was cut: {cut:?}");
    let resp = head(&d, &token, &name).await;
    assert_eq!(offset(&resp), 70_000);
    let resp = patch(&d, &token, &name, 70_000, 200_000, data[70_000..].to_vec()).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    d.stop().await;
}

pub async fn a_client_that_breaks_off_resumes(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let data = bytes(100_000, 3);
    let name = sha(&data);
    let first = axum::body::Bytes::copy_from_slice(&data[..40_000]);
    // The client sends 40 000 bytes, then its connection breaks.
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let first = first.clone();
        async move {
            match step {
                0 => Some((Ok(first), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    Some((Err(std::io::Error::other("network gone")), 2))
                }
                _ => None,
            }
        }
    });
    let broken = d
        .http
        .patch(format!("{}{MATERIALS_PATH}/{name}", d.url))
        .bearer_auth(&token)
        .header(UPLOAD_OFFSET, 0)
        .header(UPLOAD_LENGTH, 100_000)
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await;
    assert!(broken.is_err());
    // The server notices the break on its own time: ask until it has written what arrived.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut held = 0;
    while held < 40_000 && Instant::now() < deadline {
        held = offset(&head(&d, &token, &name).await);
        if held < 40_000 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert_eq!(held, 40_000);
    let resp = patch(&d, &token, &name, held, 100_000, data[40_000..].to_vec()).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    d.stop().await;
}

pub async fn wrong_offset_and_corrupt_bytes(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let data = bytes(50_000, 4);
    let name = sha(&data);
    assert_eq!(
        patch(&d, &token, &name, 0, 50_000, data[..10_000].to_vec())
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let resp = patch(&d, &token, &name, 20_000, 50_000, data[20_000..].to_vec()).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert_eq!(offset(&resp), 10_000);
    assert_eq!(error_body(resp).await.kind, ErrorKind::Conflict);

    let mut corrupt = data[10_000..].to_vec();
    corrupt[5] ^= 0xff;
    let resp = patch(&d, &token, &name, 10_000, 50_000, corrupt).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_body(resp).await.kind, ErrorKind::Invalid);
    let resp = head(&d, &token, &name).await;
    assert_eq!((resp.status(), offset(&resp)), (StatusCode::NOT_FOUND, 0));
    assert!(
        !d.data_dir()
            .join("materials/partial")
            .join(format!("{name}.part"))
            .exists()
    );

    // More bytes than declared, and a bad name.
    let resp = patch(&d, &token, &name, 0, 10, data[..20].to_vec()).await;
    assert!(
        resp.status() == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        resp.status()
    );
    let resp = patch(&d, &token, "abc", 0, 10, vec![0; 10]).await;
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    d.stop().await;
}

pub async fn a_50_mb_material_and_one_over_the_limit(backend: &dyn Backend) {
    let d = District::start(backend).await;
    let token = d.enroll(STATION).await;
    let len = usize::try_from(MAX_MATERIAL_BYTES).unwrap();
    let data = bytes(len, 5);
    let name = sha(&data);
    let resp = patch(&d, &token, &name, 0, MAX_MATERIAL_BYTES, data).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(offset(&head(&d, &token, &name).await), MAX_MATERIAL_BYTES);

    // Over the limit: refused from the headers, before a byte of the body is sent.
    let over = MAX_MATERIAL_BYTES + 1;
    let headers = [
        ("Authorization", format!("Bearer {token}")),
        (UPLOAD_OFFSET, "0".to_string()),
        (UPLOAD_LENGTH, over.to_string()),
    ];
    let path = format!("{MATERIALS_PATH}/{}", "cd".repeat(32));
    let answer = answer_to_head_only(&d, "PATCH", &path, &headers, over).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("too_large"), "{answer}");

    // Declared over the limit with a short body: the header alone decides.
    let resp = patch(&d, &token, &"ef".repeat(32), 0, over, vec![1; 10]).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    d.stop().await;
}
