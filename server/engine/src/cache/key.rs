//! The keys of a cache entry: the file's bytes, and everything else a run
//! applies to the file that can change its findings.

use std::path::Path;

use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// 32 hexadecimal digits.
pub(crate) fn hex(value: u128) -> String {
    format!("{value:032x}")
}

/// The key of a file's bytes.
pub fn content_key(bytes: &[u8]) -> String {
    hex(xxh3_128(bytes))
}

/// The tool's version as the cache knows it. `EXECPLAN_LS_CACHE_VERSION`
/// stands in for it (the tests' way to play a new release).
fn version() -> String {
    std::env::var("EXECPLAN_LS_CACHE_VERSION")
        .unwrap_or_else(|_| env!("CARGO_PKG_VERSION").to_string())
}

/// Which build of the tool is running: the executable's size and time of
/// last change. The version alone is not enough: a build with changed rules
/// (a development build, a patched install) keeps the version it had, and
/// must not read findings another build stored. Read once per process.
fn build_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        match meta {
            Ok(meta) => {
                let changed = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}:{changed}", meta.len())
            }
            // Unknown: a key no other process shares, so nothing is reused.
            Err(_) => format!("unknown:{}", std::process::id()),
        }
    })
}

/// Builds the context key from named parts; each part is hashed with its
/// name and length, so no two different sets of parts give the same input.
pub struct ContextKey {
    hasher: Xxh3,
}

impl Default for ContextKey {
    fn default() -> Self {
        Self::new()
    }
}

impl ContextKey {
    /// A key that starts with the tool's version and build.
    pub fn new() -> ContextKey {
        let mut key = ContextKey {
            hasher: Xxh3::new(),
        };
        key.part("version", version().as_bytes());
        key.part("build", build_identity().as_bytes());
        key
    }

    /// Adds a named part.
    pub fn part(&mut self, name: &str, value: &[u8]) -> &mut Self {
        for piece in [name.as_bytes(), value] {
            self.hasher.update(&(piece.len() as u64).to_le_bytes());
            self.hasher.update(piece);
        }
        self
    }

    /// Adds a file: its path and its bytes, or that it could not be read.
    pub fn file(&mut self, name: &str, path: Option<&Path>) -> &mut Self {
        let Some(path) = path else {
            return self.part(name, b"none");
        };
        self.part(name, path.to_string_lossy().as_bytes());
        match std::fs::read(path) {
            Ok(bytes) => self.part("bytes", &bytes),
            Err(_) => self.part("bytes", b"unreadable"),
        }
    }

    pub fn finish(&self) -> String {
        hex(self.digest())
    }

    /// The key as a number, for keys kept in memory.
    pub fn digest(&self) -> u128 {
        self.hasher.digest128()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_kept_apart() {
        let key = |parts: &[(&str, &str)]| {
            let mut k = ContextKey::new();
            for (name, value) in parts {
                k.part(name, value.as_bytes());
            }
            k.finish()
        };
        assert_eq!(key(&[("a", "bc")]), key(&[("a", "bc")]));
        assert_ne!(key(&[("a", "bc")]), key(&[("ab", "c")]));
        assert_ne!(key(&[("a", "b"), ("c", "")]), key(&[("a", "bc")]));
        assert_ne!(content_key(b"x"), content_key(b"y"));
    }
}
