//! Benchmark of importing one ~5 MB document-camera JPEG into the page vault.
//!
//! `cargo run --release -p yichuang-scan --example bench_import [runs]`
//!
//! Each run imports the file (read, SHA-256, full decode, 240 px thumbnail) and puts it into
//! a fresh vault (encrypt page and thumbnail, write, fsync, rename, fsync the directories).
//! The baseline, interleaved with the runs, is the least any import must do: read the file
//! and `std::fs::copy` it durably (fsync of the copy and of its directory).

use std::error::Error;
use std::fs::{self, File};
use std::path::Path;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use yichuang_scan::{PageKey, PageVault, PutOutcome, import_file};

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;

fn main() -> Result<(), Box<dyn Error>> {
    let runs: usize = std::env::args().nth(1).map_or(Ok(30), |s| s.parse())?;
    let work = tempfile::tempdir()?;
    let src = work.path().join("scan.jpg");
    let started = Instant::now();
    let jpeg = scan_like_jpeg();
    fs::write(&src, &jpeg)?;
    println!(
        "source: {WIDTH}x{HEIGHT} JPEG q90, {:.2} MB (made in {:.1} s); {runs} runs",
        jpeg.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let key = PageKey::generate()?;
    let (mut import, mut put, mut total, mut baseline) = (vec![], vec![], vec![], vec![]);
    for run in 0..runs + 2 {
        let copy_dir = tempfile::tempdir_in(work.path())?;
        let b = durable_copy(&src, &copy_dir.path().join("copy.jpg"))?;

        let vault_dir = tempfile::tempdir_in(work.path())?;
        let vault = PageVault::open(vault_dir.path(), key.clone())?;
        let t0 = Instant::now();
        let file = import_file(&src)?;
        let t1 = Instant::now();
        let outcome = vault.put_imported(&file)?;
        let t2 = Instant::now();
        assert_eq!(
            outcome,
            PutOutcome::Stored,
            "a fresh vault encrypts and writes"
        );
        if run >= 2 {
            // The first two runs warm the page cache and the allocator.
            import.push(t1 - t0);
            put.push(t2 - t1);
            total.push(t2 - t0);
            baseline.push(b);
        }
    }

    println!("{:<34} {:>9} {:>9}", "", "median", "p95");
    for (label, samples) in [
        ("import (read+hash+decode+thumb)", &mut import),
        ("vault put (encrypt+write+fsync)", &mut put),
        ("import + put", &mut total),
        ("baseline: read + durable fs::copy", &mut baseline),
    ] {
        let (median, p95) = stats(samples);
        println!("{label:<34} {:>7.1}ms {:>7.1}ms", ms(median), ms(p95));
    }
    let ratio = ms(stats(&mut total).0) / ms(stats(&mut baseline).0);
    println!("ratio import+put / baseline (medians): {ratio:.1}x");
    Ok(())
}

/// Read the file, copy it, fsync the copy and its directory; returns the time taken.
fn durable_copy(src: &Path, dst: &Path) -> Result<Duration, Box<dyn Error>> {
    let t = Instant::now();
    let bytes = fs::read(src)?;
    std::hint::black_box(&bytes);
    fs::copy(src, dst)?;
    File::open(dst)?.sync_all()?;
    File::open(dst.parent().ok_or("no parent")?)?.sync_all()?;
    Ok(t.elapsed())
}

/// A page photographed by a document camera: paper with lighting falloff, dark "text"
/// strokes and sensor noise, encoded at quality 90 (about 5 MB at 4000 × 3000).
fn scan_like_jpeg() -> Vec<u8> {
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let noise = (seed % 27) as i32 - 13;
        let (cx, cy) = (x as i32 - 2000, y as i32 - 1500);
        let falloff = (cx * cx + cy * cy) / 120_000;
        let in_line = (y / 40) % 2 == 0 && y % 40 > 8 && (300..3700).contains(&x);
        let ink = in_line && ((x / 7 + y / 11) * 2_654_435_761 % 100 < 35);
        let base = if ink { 60 } else { 236 - falloff };
        let v = |d: i32| (base + noise + d).clamp(0, 255) as u8;
        Rgb([v(4), v(0), v(-6)])
    });
    let mut out = Vec::with_capacity(6 << 20);
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .expect("encoding to memory");
    out
}

fn stats(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[((samples.len() * 95).div_ceil(100)).saturating_sub(1)];
    (median, p95)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
