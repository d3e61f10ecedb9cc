//! Standard input and output for the server.
//!
//! Tokio's own `stdin`/`stdout` do every read and write on its blocking
//! thread pool, so each message in and out pays a hand-off between threads.
//! When an editor starts the server, both are pipes (or sockets), which the
//! runtime's event loop can wait on directly: that is what [`Pipe`] does.
//! Anything else (a terminal, a file) keeps tokio's portable versions.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::os::unix::fs::FileTypeExt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Standard input: a non-blocking pipe when it is one, else tokio's.
pub fn input() -> Box<dyn AsyncRead + Unpin + Send> {
    match Pipe::new(io::stdin().as_fd(), Interest::READABLE) {
        Some(pipe) => Box::new(pipe),
        None => Box::new(tokio::io::stdin()),
    }
}

/// Standard output: a non-blocking pipe when it is one, else tokio's.
pub fn output() -> Box<dyn AsyncWrite + Unpin + Send> {
    match Pipe::new(io::stdout().as_fd(), Interest::WRITABLE) {
        Some(pipe) => Box::new(pipe),
        None => Box::new(tokio::io::stdout()),
    }
}

/// A pipe or socket end, read and written without blocking, readiness from
/// the runtime's event loop.
pub struct Pipe {
    fd: AsyncFd<File>,
}

impl Pipe {
    /// A non-blocking duplicate of `fd` when it is a pipe or a socket and the
    /// runtime can watch it; `None` otherwise.
    fn new(fd: BorrowedFd<'_>, interest: Interest) -> Option<Pipe> {
        let file = File::from(fd.try_clone_to_owned().ok()?);
        let kind = file.metadata().ok()?.file_type();
        if !(kind.is_fifo() || kind.is_socket()) {
            return None;
        }
        set_nonblocking(&file).ok()?;
        // SAFETY: the `File` owns its descriptor, which stays open (and the
        // same) until the `AsyncFd` holding it is dropped.
        let fd = unsafe { AsyncFd::register_with_interest(file, interest) }.ok()?;
        Some(Pipe { fd })
    }
}

fn set_nonblocking(file: &File) -> io::Result<()> {
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor we own, with flag arguments only.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

impl AsyncRead for Pipe {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            let mut guard = ready!(self.fd.poll_read_ready(cx))?;
            let unfilled = buf.initialize_unfilled();
            match guard.try_io(|fd| {
                let mut file: &File = fd.get_ref();
                file.read(unfilled)
            }) {
                Ok(Ok(n)) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Ok(Err(e)) => return Poll::Ready(Err(e)),
                Err(_would_block) => continue,
            }
        }
    }
}

impl AsyncWrite for Pipe {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        loop {
            let mut guard = ready!(self.fd.poll_write_ready(cx))?;
            match guard.try_io(|fd| {
                let mut file: &File = fd.get_ref();
                file.write(data)
            }) {
                Ok(result) => return Poll::Ready(result),
                Err(_would_block) => continue,
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        // Writes go straight to the descriptor; nothing is buffered here.
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
