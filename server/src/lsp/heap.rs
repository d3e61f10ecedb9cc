//! How the server asks the C allocator (glibc's malloc, on Linux) to hold
//! memory. The server runs for hours with most of its heap idle, so resident
//! size matters more than the last bit of allocation speed.

/// Called once at start-up, before the runtime's threads exist: every
/// thread allocates from one shared arena.
///
/// glibc gives each thread that allocates its own arena, and memory freed in
/// one arena is not reused by another. Indexing parses plans on the
/// blocking pool's threads while editing happens on the runtime's workers,
/// so with an arena each, the trees indexing freed stayed resident beside
/// the memory the open documents took from their own arenas: 30 MB with 120
/// plans of an indexed workspace open, 25.5 MB with one arena. The server's
/// threads rarely allocate at the same moment, so the shared lock costs
/// nothing measurable (keystroke latency is unchanged).
pub fn use_one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes an allocator setting; called before any
    // other thread of ours is started.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Hands memory the allocator holds free back to the system. Indexing
/// parses every plan once and frees each tree right after; called when it
/// is done.
pub(super) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap memory; it reads no
    // pointers of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}
