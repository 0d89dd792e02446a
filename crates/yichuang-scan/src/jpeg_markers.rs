//! A walk over a JPEG's marker structure, to catch truncated files the decoder forgives.
//!
//! The `image` crate runs zune-jpeg in non-strict mode: a file cut off in the middle of its
//! scan data decodes "successfully", the missing part filled with grey. A scan cut off while
//! the camera was still writing is exactly what we must refuse, so before decoding we walk
//! the segments (by their lengths) and the entropy-coded data (up to the next real marker)
//! and require an EOI marker. Bytes after EOI (camera trailers) are allowed.

/// Checks that the JPEG's segments are whole and end with EOI; `Err` gives the reason in Chinese.
pub(crate) fn check_complete(data: &[u8]) -> Result<(), &'static str> {
    const TRUNCATED: &str = "文件在结束标记（EOI）之前就中断了，扫描或复制没有完成";
    if !data.starts_with(&[0xFF, 0xD8]) {
        return Err("缺少 JPEG 起始标记");
    }
    let mut pos = 2;
    loop {
        // Find the next marker; a conforming file has one right here, tolerate junk bytes.
        let ff = data[pos.min(data.len())..]
            .iter()
            .position(|&b| b == 0xFF)
            .ok_or(TRUNCATED)?;
        pos += ff;
        while data.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *data.get(pos).ok_or(TRUNCATED)?;
        pos += 1;
        match marker {
            0xD9 => return Ok(()),
            // Markers without a length: TEM, RSTn, a stray SOI.
            0x01 | 0xD0..=0xD8 => {}
            0x00 => return Err("标记结构错乱"),
            _ => {
                let len = data.get(pos..pos + 2).ok_or(TRUNCATED)?;
                let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
                if len < 2 {
                    return Err("段长度无效");
                }
                pos += len;
                if pos > data.len() {
                    return Err(TRUNCATED);
                }
                if marker == 0xDA {
                    pos = end_of_entropy_data(data, pos).ok_or(TRUNCATED)?;
                }
            }
        }
    }
}

/// From the start of a scan's entropy-coded data, the offset of the next real marker's 0xFF.
/// Inside the data 0xFF is followed by 0x00 (stuffing) or RST0..7, never by anything else.
fn end_of_entropy_data(data: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        pos += data.get(pos..)?.iter().position(|&b| b == 0xFF)?;
        match *data.get(pos + 1)? {
            0x00 | 0xD0..=0xD7 => pos += 2,
            0xFF => pos += 1,
            _ => return Some(pos),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, an APP0 segment of 4 bytes, SOS with 2 bytes of header, data, EOI.
    fn tiny() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB];
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02]);
        v.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    #[test]
    fn whole_file_passes_and_trailers_are_allowed() {
        assert_eq!(check_complete(&tiny()), Ok(()));
        let mut with_trailer = tiny();
        with_trailer.extend_from_slice(b"vendor trailer");
        assert_eq!(check_complete(&with_trailer), Ok(()));
    }

    #[test]
    fn every_cut_is_refused() {
        let whole = tiny();
        for cut in 0..whole.len() {
            assert!(check_complete(&whole[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn segment_longer_than_the_file_is_refused() {
        let v = [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x01];
        assert!(check_complete(&v).is_err());
    }
}
