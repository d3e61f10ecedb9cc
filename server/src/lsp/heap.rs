//! Handing memory the server no longer uses back to the system.
//!
//! glibc's malloc keeps freed memory for reuse, in one pool (arena) per
//! thread that allocated it. The server frees a lot at a few moments: the
//! workspace index drops every plan's tree once read, and a plan's indexed
//! text when the editor opens it; a document's tree goes when another is
//! edited; a closed document goes entirely. Left alone, that memory stays
//! resident: with 120 plans of an indexed workspace open, 26.4 MB; trimmed
//! once things are quiet, 22.6 MB. (Limiting malloc to one arena for all
//! threads held it near 24 MB too, but then threads wait on each other's
//! allocations: two parses at once each took twice as long, and a keystroke
//! answered by `documentSymbol` went from 0.79 to 0.9–1.0 ms.)

use std::time::Duration;

use tokio::sync::Notify;

/// How long the server must go without freeing more before it trims: an
/// editor restoring a session opens dozens of plans in a burst.
const QUIET: Duration = Duration::from_secs(1);

/// Trims the allocator once the server has been quiet for [`QUIET`] after
/// a [`Trimmer::request`].
#[derive(Debug, Default)]
pub(super) struct Trimmer {
    requested: Notify,
}

impl Trimmer {
    /// Notes that a lot of memory was just freed.
    pub(super) fn request(&self) {
        self.requested.notify_one();
    }

    /// Runs for the life of the server.
    pub(super) async fn run(&self) {
        loop {
            self.requested.notified().await;
            while tokio::time::timeout(QUIET, self.requested.notified())
                .await
                .is_ok()
            {}
            let _ = tokio::task::spawn_blocking(release_freed_memory).await;
        }
    }
}

/// Hands memory the allocator holds free back to the system, in every
/// thread's pool.
pub(super) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap memory; it reads no
    // pointers of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}
