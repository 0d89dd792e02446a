//! The officer's signed-in sessions, kept in memory only: a random session id in an HttpOnly,
//! SameSite=Strict cookie (never the admin token), a CSRF token per session, and expiry after
//! idleness or a working day. A restart signs everyone out, which is fine for one officer.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, header};

use crate::DistrictError;
use crate::secrets::{SecretHash, random_hex, secrets_equal};

/// The session cookie's name.
pub(crate) const COOKIE: &str = "yc_admin";
/// A session unused this long is over.
pub(crate) const IDLE: Duration = Duration::from_secs(30 * 60);
/// A session is over this long after sign-in, however busy.
pub(crate) const LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);
/// Sessions kept at once; signing in beyond that ends the least recently used one.
const MAX_SESSIONS: usize = 32;

/// A live session as a request sees it.
#[derive(Clone)]
pub(crate) struct Session {
    /// The session id from the cookie (to end it on sign-out).
    pub id: String,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
}

impl Session {
    /// Whether a form's `csrf` field is this session's token (constant time).
    pub fn csrf_ok(&self, given: &str) -> bool {
        secrets_equal(given.as_bytes(), self.csrf.as_bytes())
    }
}

struct Entry {
    csrf: String,
    started: Instant,
    last_used: Instant,
}

/// Every live session, by the SHA-256 of its id (so the map holds no usable cookie).
pub(crate) struct Sessions {
    map: Mutex<HashMap<String, Entry>>,
    idle: Duration,
    lifetime: Duration,
}

impl Default for Sessions {
    fn default() -> Self {
        Self::with_limits(IDLE, LIFETIME)
    }
}

impl Sessions {
    pub fn with_limits(idle: Duration, lifetime: Duration) -> Self {
        Self {
            map: Mutex::default(),
            idle,
            lifetime,
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn live(&self, entry: &Entry, now: Instant) -> bool {
        now.saturating_duration_since(entry.last_used) < self.idle
            && now.saturating_duration_since(entry.started) < self.lifetime
    }

    /// Starts a session at `now`: its fresh id and CSRF token.
    pub fn start(&self, now: Instant) -> Result<Session, DistrictError> {
        let id = random_hex::<32>()?;
        let csrf = random_hex::<32>()?;
        let mut map = self.map();
        map.retain(|_, e| self.live(e, now));
        if map.len() >= MAX_SESSIONS
            && let Some(oldest) = map
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| k.clone())
        {
            map.remove(&oldest);
        }
        map.insert(
            SecretHash::of(&id).as_str().to_string(),
            Entry {
                csrf: csrf.clone(),
                started: now,
                last_used: now,
            },
        );
        Ok(Session { id, csrf })
    }

    /// The live session with this id at `now` (its idle clock restarts), else `None`.
    pub fn find(&self, id: &str, now: Instant) -> Option<Session> {
        let key = SecretHash::of(id).as_str().to_string();
        let mut map = self.map();
        let entry = map.get_mut(&key)?;
        if !self.live(entry, now) {
            map.remove(&key);
            return None;
        }
        entry.last_used = now;
        Some(Session {
            id: id.to_string(),
            csrf: entry.csrf.clone(),
        })
    }

    /// Ends the session with this id (signing out).
    pub fn end(&self, id: &str) {
        self.map().remove(SecretHash::of(id).as_str());
    }
}

/// The session id of the request's cookie, if it has one that looks like ours.
pub(crate) fn cookie_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The `Set-Cookie` value that keeps session `id` in the browser. `Secure` unless the page
/// was asked for on a loopback address (the demo and tests speak plain HTTP there).
pub(crate) fn set_cookie(id: &str, headers: &HeaderMap) -> Result<HeaderValue, DistrictError> {
    let secure = if loopback_host(headers) {
        ""
    } else {
        "; Secure"
    };
    let value = format!(
        "{COOKIE}={id}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        LIFETIME.as_secs()
    );
    HeaderValue::from_str(&value).map_err(|_| DistrictError::Task)
}

/// The `Set-Cookie` value that removes the session cookie.
pub(crate) fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("yc_admin=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0")
}

/// Whether the request's `Host` is a loopback name or address.
fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_expire_when_idle_or_old_and_end_on_sign_out() {
        let sessions = Sessions::with_limits(Duration::from_secs(10), Duration::from_secs(25));
        let t0 = Instant::now();
        let s = sessions.start(t0).unwrap();
        assert_eq!(s.id.len(), 64);
        assert_ne!(s.id, s.csrf);
        let found = sessions.find(&s.id, t0 + Duration::from_secs(9)).unwrap();
        assert!(found.csrf_ok(&s.csrf));
        assert!(!found.csrf_ok("0"));
        assert!(!found.csrf_ok(""));
        // Used at 9 s, so still live at 18 s; then idle too long.
        assert!(sessions.find(&s.id, t0 + Duration::from_secs(18)).is_some());
        assert!(sessions.find(&s.id, t0 + Duration::from_secs(29)).is_none());

        let s = sessions.start(t0).unwrap();
        for secs in [8, 16, 24] {
            assert!(
                sessions
                    .find(&s.id, t0 + Duration::from_secs(secs))
                    .is_some()
            );
        }
        assert!(
            sessions.find(&s.id, t0 + Duration::from_secs(26)).is_none(),
            "over its lifetime however busy"
        );

        let s = sessions.start(t0).unwrap();
        sessions.end(&s.id);
        assert!(sessions.find(&s.id, t0).is_none());
        assert!(sessions.find("not-a-session", t0).is_none());
    }

    #[test]
    fn too_many_sessions_end_the_least_recently_used() {
        let sessions = Sessions::default();
        let t0 = Instant::now();
        let first = sessions.start(t0).unwrap();
        let second = sessions.start(t0 + Duration::from_secs(1)).unwrap();
        sessions.find(&first.id, t0 + Duration::from_secs(2));
        for n in 0..MAX_SESSIONS - 1 {
            sessions
                .start(t0 + Duration::from_secs(3 + n as u64))
                .unwrap();
        }
        let later = t0 + Duration::from_secs(100);
        assert!(sessions.find(&second.id, later).is_none());
        assert!(sessions.find(&first.id, later).is_some());
    }

    #[test]
    fn the_cookie_is_read_back_and_secure_off_loopback() {
        let mut headers = HeaderMap::new();
        let id = "ab".repeat(32);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; {COOKIE}={id}")).unwrap(),
        );
        assert_eq!(cookie_id(&headers), Some(id.clone()));
        headers.insert(header::COOKIE, HeaderValue::from_static("yc_admin=short"));
        assert_eq!(cookie_id(&headers), None);

        for (host, secure) in [
            ("127.0.0.1:8741", false),
            ("localhost", false),
            ("[::1]:80", false),
            ("district.example.cn", true),
            ("10.0.0.5:8741", true),
        ] {
            headers.insert(header::HOST, HeaderValue::from_static(host));
            let value = set_cookie(&id, &headers).unwrap();
            let value = value.to_str().unwrap();
            assert!(value.contains("HttpOnly") && value.contains("SameSite=Strict"));
            assert_eq!(value.ends_with("; Secure"), secure, "{host}: {value}");
        }
    }
}
