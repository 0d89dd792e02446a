//! Decoding a scanned image once: proof that it is whole, its size, and its thumbnail.

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::error::ImageError;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, Rgb, RgbImage};

use crate::error::{Result, ScanError};
use crate::kind::PageKind;

/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 240;
/// JPEG quality of thumbnails.
const THUMBNAIL_QUALITY: u8 = 80;
/// Largest width or height accepted (a 600 dpi A3 scan is about 7,000 × 10,000).
const MAX_SIDE: u32 = 30_000;
/// Largest decoder allocation (a 16-bit RGBA 8,000 × 8,000 TIFF is 512 MiB).
const MAX_ALLOC: u64 = 768 * 1024 * 1024;

/// What decoding an image tells us.
pub(crate) struct Picture {
    pub width: u32,
    pub height: u32,
    pub thumbnail: Vec<u8>,
}

/// Fully decodes the image (any corruption surfaces here) and makes its thumbnail, upright
/// according to the EXIF orientation. Width and height are as displayed (after orientation).
/// The caller checks a JPEG's structure with `jpeg_markers::check_complete` (in parallel).
pub(crate) fn decode(
    name: &str,
    kind: PageKind,
    format: ImageFormat,
    data: &[u8],
) -> Result<Picture> {
    let fail = |e| image_error(name, kind, e);
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(fail)?;
    // A damaged EXIF block must not cost the page: fall back to "as stored".
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(fail)?;
    let (mut width, mut height) = (image.width(), image.height());
    if swaps_sides(orientation) {
        std::mem::swap(&mut width, &mut height);
    }
    let mut small = downscale(&image);
    drop(image);
    small.apply_orientation(orientation);
    let thumbnail = encode_jpeg(&flatten(small))?;
    Ok(Picture {
        width,
        height,
        thumbnail,
    })
}

/// Shrinks to fit a 240 px square. `fast_image_resize` (SIMD box filter, i.e. area
/// averaging) takes about 3 ms for a 12-megapixel scan where `image`'s `thumbnail` took
/// about 20 ms; pixel layouts it does not take fall back to the latter.
fn downscale(image: &DynamicImage) -> DynamicImage {
    let (w, h) = (image.width(), image.height());
    let longest = w.max(h).max(1);
    if longest <= THUMBNAIL_SIDE {
        return image.clone();
    }
    let scale = |side: u32| {
        ((u64::from(side) * u64::from(THUMBNAIL_SIDE) + u64::from(longest) / 2)
            / u64::from(longest))
        .max(1) as u32
    };
    let mut small = DynamicImage::new(scale(w), scale(h), image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Box));
    match Resizer::new().resize(image, &mut small, &options) {
        Ok(()) => small,
        Err(_) => image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE),
    }
}

/// The thumbnail of a PDF: a plain page icon (white sheet, grey border, a folded corner and
/// grey "text" lines), A4-shaped. PDFs are not rendered; the clerk opens them to look.
pub(crate) fn pdf_icon() -> Result<Vec<u8>> {
    const W: u32 = 170;
    const H: u32 = THUMBNAIL_SIDE;
    const FOLD: u32 = 36;
    let white = Rgb([255u8, 255, 255]);
    let border = Rgb([150u8, 150, 150]);
    let line = Rgb([205u8, 205, 205]);
    let img = RgbImage::from_fn(W, H, |x, y| {
        let (fx, fy) = (x + FOLD, y); // the folded top-right corner
        if fx >= W && fy < FOLD {
            // Above the fold's diagonal is outside the sheet; on it, the border.
            let d = (W - 1 - x) as i64 - (FOLD as i64 - 1 - y as i64);
            return match d {
                ..=-2 => white,
                -1..=1 => border,
                _ => Rgb([235, 235, 235]),
            };
        }
        if x < 2 || y < 2 || x >= W - 2 || y >= H - 2 {
            border
        } else if (20..W - 20).contains(&x) && (56..H - 24).contains(&y) && (y - 56) % 14 < 4 {
            line
        } else {
            white
        }
    });
    encode_jpeg(&img)
}

/// The decoder for an image kind; `None` for PDF.
pub(crate) fn image_format(kind: PageKind) -> Option<ImageFormat> {
    match kind {
        PageKind::Jpeg => Some(ImageFormat::Jpeg),
        PageKind::Png => Some(ImageFormat::Png),
        PageKind::Tiff => Some(ImageFormat::Tiff),
        PageKind::Pdf => None,
    }
}

fn swaps_sides(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// JPEG has no alpha and 8-bit samples: composite transparent pixels on white, drop to 8 bits.
fn flatten(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * u16::from(255 - a)) / 255) as u8;
        Rgb([over(r), over(g), over(b)])
    })
}

fn encode_jpeg(img: &RgbImage) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(16 * 1024);
    JpegEncoder::new_with_quality(&mut out, THUMBNAIL_QUALITY)
        .encode_image(img)
        .map_err(|source| ScanError::Thumbnail { source })?;
    Ok(out)
}

fn image_error(name: &str, kind: PageKind, e: ImageError) -> ScanError {
    let name = name.to_owned();
    match e {
        ImageError::Limits(_) => ScanError::TooManyPixels {
            name,
            source: Some(Box::new(e)),
        },
        ImageError::Unsupported(_) => ScanError::UnsupportedEncoding {
            name,
            kind,
            reason: "压缩方式或色彩格式本程序无法解码".into(),
            source: Some(Box::new(e)),
        },
        ImageError::IoError(ref io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            ScanError::Corrupt {
                name,
                kind,
                reason: "文件在中途结束，内容不完整".into(),
                source: Some(Box::new(e)),
            }
        }
        _ => ScanError::Corrupt {
            name,
            kind,
            reason: "图像数据无法解码".into(),
            source: Some(Box::new(e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_icon_is_a_portrait_jpeg_within_the_thumbnail_box() {
        let icon = pdf_icon().expect("icon");
        let img = image::load_from_memory_with_format(&icon, ImageFormat::Jpeg).expect("decodes");
        assert_eq!((img.width(), img.height()), (170, THUMBNAIL_SIDE));
        let rgb = img.to_rgb8();
        assert!(rgb.get_pixel(0, 100).0[0] < 180, "grey border on the left");
        assert!(rgb.get_pixel(85, 40).0[0] > 240, "white sheet inside");
    }

    #[test]
    fn transparent_pixels_become_white() {
        let rgba = image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 0, 0, 0]));
        let flat = flatten(DynamicImage::ImageRgba8(rgba));
        assert_eq!(flat.get_pixel(1, 1).0, [255, 255, 255]);
    }
}
