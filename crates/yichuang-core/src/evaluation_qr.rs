//! The evaluation QR code (好差评) anyone can check: a district-configured URL with the case
//! number, item code, region code and channel, signed by the station with an Ed25519 key whose
//! public half the district registered at enrollment. The district verifies what a station
//! signed offline; without the station's private key nobody can forge or alter a code.
//!
//! Payload: `{base_url}?v=2&s={station}&n={case no}&i={item}&r={region}&c={channel}&k={key id}
//! &sig={signature}`, key id and signature in unpadded base64url (a shorter payload is a
//! coarser QR code, easier to scan from an 80 mm receipt); the signature covers the version
//! and every field, in that order.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::CoreError;

/// The station's private signing key (kept in the encrypted station database).
pub struct QrSigningKey(SigningKey);

/// Its public half, as the district holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrPublicKey(VerifyingKey);

/// What an evaluation QR code says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationQr {
    pub station_code: String,
    /// The number printed on the slip (provisional when it was printed offline).
    pub case_no: String,
    pub item_code: String,
    pub region_code: String,
    /// The channel code of a QR on paper (configuration).
    pub channel: String,
}

const VERSION: &str = "2";

fn invalid(what: &str) -> CoreError {
    CoreError::Invalid(vec![crate::Issue::error("evaluation_qr", "invalid", what)])
}

impl QrSigningKey {
    /// A new random key.
    pub fn generate() -> Result<Self, CoreError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut_slice()).map_err(|_| invalid("无法生成评价二维码签名密钥"))?;
        Ok(QrSigningKey(SigningKey::from_bytes(&seed)))
    }

    pub fn from_hex(hex_seed: &str) -> Result<Self, CoreError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(hex_seed.trim(), seed.as_mut_slice())
            .map_err(|_| invalid("评价二维码签名密钥已损坏"))?;
        Ok(QrSigningKey(SigningKey::from_bytes(&seed)))
    }

    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.to_bytes()))
    }

    pub fn public_key(&self) -> QrPublicKey {
        QrPublicKey(self.0.verifying_key())
    }
}

impl QrPublicKey {
    pub fn from_hex(s: &str) -> Result<Self, CoreError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut bytes).map_err(|_| invalid("签名公钥格式不正确"))?;
        VerifyingKey::from_bytes(&bytes)
            .map(QrPublicKey)
            .map_err(|_| invalid("签名公钥无效"))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    /// A short name of the key for the payload (SHA-256 of the key, first 6 bytes): which of
    /// a station's keys signed, when it has more than one PC.
    pub fn key_id(&self) -> String {
        B64.encode(&Sha256::digest(self.0.as_bytes())[..6])
    }
}

impl EvaluationQr {
    fn signed_text(&self, key_id: &str) -> String {
        [
            "yichuang-evaluation",
            VERSION,
            &self.station_code,
            &self.case_no,
            &self.item_code,
            &self.region_code,
            &self.channel,
            key_id,
        ]
        .join("\n")
    }

    /// The URL printed as the QR code.
    pub fn to_payload(&self, base_url: &str, key: &QrSigningKey) -> String {
        let key_id = key.public_key().key_id();
        let signature = key.0.sign(self.signed_text(&key_id).as_bytes());
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("v", VERSION)
            .append_pair("s", &self.station_code)
            .append_pair("n", &self.case_no)
            .append_pair("i", &self.item_code)
            .append_pair("r", &self.region_code)
            .append_pair("c", &self.channel)
            .append_pair("k", &key_id)
            .append_pair("sig", &B64.encode(signature.to_bytes()))
            .finish();
        format!("{base_url}?{query}")
    }

    /// The station and key id a payload names, to look up the key before [`Self::verify`].
    pub fn signer(payload: &str) -> Result<(String, String), CoreError> {
        let query = payload
            .split_once('?')
            .map(|(_, q)| q)
            .ok_or_else(|| invalid("不是评价二维码"))?;
        let (mut station, mut key_id) = (None, None);
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            match k.as_ref() {
                "s" => station = Some(v.into_owned()),
                "k" => key_id = Some(v.into_owned()),
                _ => {}
            }
        }
        station
            .zip(key_id)
            .ok_or_else(|| invalid("评价二维码内容不完整"))
    }

    /// Reads a payload and checks its signature with the key `key_for(station, key id)`
    /// returns (the district's registered keys). Any change to a field breaks the signature.
    pub fn verify(
        payload: &str,
        key_for: impl FnOnce(&str, &str) -> Option<QrPublicKey>,
    ) -> Result<EvaluationQr, CoreError> {
        let query = payload
            .split_once('?')
            .map(|(_, q)| q)
            .ok_or_else(|| invalid("不是评价二维码"))?;
        let mut fields = std::collections::HashMap::new();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            if fields.insert(k.into_owned(), v.into_owned()).is_some() {
                return Err(invalid("评价二维码内容重复"));
            }
        }
        let mut take = |name: &str| {
            fields
                .remove(name)
                .ok_or_else(|| invalid("评价二维码内容不完整"))
        };
        if take("v")? != VERSION {
            return Err(invalid("评价二维码版本不支持"));
        }
        let qr = EvaluationQr {
            station_code: take("s")?,
            case_no: take("n")?,
            item_code: take("i")?,
            region_code: take("r")?,
            channel: take("c")?,
        };
        let key_id = take("k")?;
        let sig: [u8; 64] = B64
            .decode(take("sig")?)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| invalid("评价二维码签名格式不正确"))?;
        let key =
            key_for(&qr.station_code, &key_id).ok_or_else(|| invalid("未登记的站点签名密钥"))?;
        if key.key_id() != key_id {
            return Err(invalid("签名密钥与二维码不符"));
        }
        key.0
            .verify(
                qr.signed_text(&key_id).as_bytes(),
                &Signature::from_bytes(&sig),
            )
            .map_err(|_| invalid("评价二维码签名无效，可能被伪造或改动"))?;
        Ok(qr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qr() -> EvaluationQr {
        EvaluationQr {
            station_code: "440111001".into(),
            case_no: "L440111001-01-20261127-0003".into(),
            item_code: "114401110075061234200011000101".into(),
            region_code: "440111".into(),
            channel: "qr".into(),
        }
    }

    const BASE: &str = "https://pj.example.gov.cn/evaluate";

    #[test]
    fn a_signed_code_verifies_with_the_registered_key_only() {
        let key = QrSigningKey::generate().unwrap();
        let public = key.public_key();
        let payload = qr().to_payload(BASE, &key);
        assert!(payload.starts_with(BASE));
        let read = EvaluationQr::verify(&payload, |s, k| {
            (s == "440111001" && k == public.key_id()).then_some(public)
        })
        .unwrap();
        assert_eq!(read, qr());

        let other = QrSigningKey::generate().unwrap().public_key();
        assert!(EvaluationQr::verify(&payload, |_, _| Some(other)).is_err());
        assert!(EvaluationQr::verify(&payload, |_, _| None).is_err());
    }

    #[test]
    fn any_changed_field_breaks_the_signature() {
        let key = QrSigningKey::generate().unwrap();
        let public = key.public_key();
        let payload = qr().to_payload(BASE, &key);
        for (from, to) in [
            (
                "n=L440111001-01-20261127-0003",
                "n=L440111001-01-20261127-0004",
            ),
            ("i=1144", "i=1145"),
            ("r=440111", "r=440112"),
            ("c=qr", "c=pc"),
            ("s=440111001", "s=440111002"),
        ] {
            let forged = payload.replace(from, to);
            assert_ne!(forged, payload, "{from}");
            assert!(
                EvaluationQr::verify(&forged, |_, _| Some(public)).is_err(),
                "{from} → {to} still verifies"
            );
        }
        let doubled = format!("{payload}&n=other");
        assert!(EvaluationQr::verify(&doubled, |_, _| Some(public)).is_err());
    }

    #[test]
    fn keys_round_trip_as_hex() {
        let key = QrSigningKey::generate().unwrap();
        let again = QrSigningKey::from_hex(&key.to_hex()).unwrap();
        assert_eq!(again.public_key(), key.public_key());
        let public = QrPublicKey::from_hex(&key.public_key().to_hex()).unwrap();
        assert_eq!(public, key.public_key());
        assert!(QrSigningKey::from_hex("zz").is_err());
        assert!(QrPublicKey::from_hex(&"00".repeat(31)).is_err());
    }
}
