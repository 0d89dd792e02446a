//! Reading PDFs the way a person would check them, with poppler's command-line tools.

use std::path::Path;
use std::process::Command;

/// The text of a PDF as `pdftotext -layout` extracts it.
pub fn text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is not installed: run `bash .ci/setup --test-tools`");
    assert!(
        out.status.success(),
        "pdftotext failed on {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
