//! Scan files as a document camera makes them, for the window tests.
// Shared by several test binaries through #[path].
#![allow(dead_code)]

use std::io::Cursor;
use std::path::{Path, PathBuf};

/// A document-like scan: a light card with darker blocks of "text", as a real JPEG.
pub fn scan_jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let in_block = (x / 40 + y / 24 + u32::from(seed)) % 5 == 0 && y % 24 < 14;
        let edge = x < 12 || y < 12 || x >= width - 12 || y >= height - 12;
        if edge {
            image::Rgb([40, 80, 150])
        } else if in_block {
            image::Rgb([60, 60, 70])
        } else {
            image::Rgb([236, 240, 232u8.wrapping_sub(seed)])
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// Writes a file the way a camera driver does: under a temporary name, then renamed.
pub fn drop_into(folder: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let tmp = folder.join(format!("{name}.tmp"));
    std::fs::write(&tmp, bytes).unwrap();
    let path = folder.join(name);
    std::fs::rename(&tmp, &path).unwrap();
    path
}
