//! The one place a thread pool is built, so every entry point (run, batch, census load, the
//! Python package) fails the same way when the machine will not start the threads.

use crate::error::{Error, Result};

/// The pool a run, a batch or a census load works on, with `threads` workers. Built here only,
/// so every entry point fails the same way when the machine will not start the threads.
pub fn worker_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Threads {
            threads,
            message: e.to_string(),
        })
}
