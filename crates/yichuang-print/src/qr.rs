//! The 好差评 QR code drawn as vector squares, so it stays sharp at any printer resolution.

use qrcode::{Color, EcLevel, QrCode};

use crate::PrintError;
use crate::canvas::Area;

/// Quiet zone the QR standard asks for around the symbol, in modules.
pub(crate) const QUIET_MODULES: usize = 4;

/// The dark modules of `payload` as filled areas inside a square of `size` mm at (`x`, `y`)
/// (the square includes the quiet zone). Horizontal runs are merged into one rectangle each.
pub(crate) fn qr_areas(payload: &str, x: f32, y: f32, size: f32) -> Result<Vec<Area>, PrintError> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|_| PrintError::QrCode { len: payload.len() })?;
    let width = code.width();
    let module = size / (width + 2 * QUIET_MODULES) as f32;
    let colors = code.to_colors();
    let mut areas = Vec::new();
    for row in 0..width {
        let mut col = 0;
        while col < width {
            if colors[row * width + col] != Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < width && colors[row * width + col] == Color::Dark {
                col += 1;
            }
            areas.push(Area {
                x: x + (QUIET_MODULES + start) as f32 * module,
                y: y + (QUIET_MODULES + row) as f32 * module,
                w: (col - start) as f32 * module,
                h: module,
            });
        }
    }
    Ok(areas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_modules_stay_inside_the_quiet_zone() {
        let areas = qr_areas("https://hcp.example.invalid/e?v=1", 10.0, 20.0, 30.0).unwrap();
        assert!(!areas.is_empty());
        for a in &areas {
            assert!(a.x > 10.0 && a.y > 20.0, "{a:?}");
            assert!(a.x + a.w < 40.0 && a.y + a.h < 50.0, "{a:?}");
        }
    }

    #[test]
    fn oversized_payload_is_an_error() {
        let huge = "x".repeat(5000);
        assert!(matches!(
            qr_areas(&huge, 0.0, 0.0, 30.0),
            Err(PrintError::QrCode { len: 5000 })
        ));
    }
}
