//! The multi-lane md5 against the `md-5` crate on 10^8 generated keys:
//! `cargo test --release -p wfsim --test md5_lanes` (under a minute on 2 cores). Debug builds
//! check 10^6; `WFSIM_MD5_KEYS=N` sets the count.
//!
//! Key `i` is `i % 72` bytes long: every length one md5 block holds (0..=55, where every draw
//! and event-id key of real runs falls) and the first two-block lengths (56..=71, which go to
//! `md-5`). The bytes are pseudo-random, so every byte value occurs at every position.

use md5::{Digest, Md5};
use wfsim::md5_lanes::Kernel;
use wfsim::rayon::prelude::*;

const KEYS_PER_PART: u64 = 1 << 16;
const LENGTHS: u64 = 72;

fn key_count() -> u64 {
    std::env::var("WFSIM_MD5_KEYS")
        .ok()
        .map(|v| v.parse().expect("WFSIM_MD5_KEYS is a number"))
        .unwrap_or(if cfg!(debug_assertions) {
            1_000_000
        } else {
            100_000_000
        })
}

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Keys `first..first + n` as one byte buffer and their end offsets.
fn keys(first: u64, n: u64) -> (Vec<u8>, Vec<usize>) {
    let mut bytes = Vec::new();
    let mut ends = Vec::with_capacity(n as usize);
    for i in first..first + n {
        let end = bytes.len() + (i % LENGTHS) as usize;
        let mut state = i;
        while bytes.len() < end {
            bytes.extend_from_slice(&splitmix(&mut state).to_le_bytes());
        }
        bytes.truncate(end);
        ends.push(end);
    }
    (bytes, ends)
}

#[test]
fn equals_md5_crate_on_generated_keys() {
    let total = key_count();
    let kernels: Vec<Kernel> = Kernel::available()
        .into_iter()
        .filter(|k| k.lanes() > 1)
        .collect();
    let started = std::time::Instant::now();
    let parts = total.div_ceil(KEYS_PER_PART);
    (0..parts).into_par_iter().for_each(|p| {
        let first = p * KEYS_PER_PART;
        let n = KEYS_PER_PART.min(total - first);
        let (bytes, ends) = keys(first, n);
        let key = |j: usize| &bytes[if j == 0 { 0 } else { ends[j - 1] }..ends[j]];
        let want: Vec<[u8; 16]> = (0..ends.len())
            .map(|j| Md5::digest(key(j)).into())
            .collect();
        for &kernel in &kernels {
            let mut j = 0;
            kernel.md5_each(
                0..ends.len(),
                |j, k| k.push(key(j)),
                |got| {
                    assert_eq!(
                        got,
                        want[j],
                        "{kernel:?}, key {} ({} bytes)",
                        first + j as u64,
                        key(j).len()
                    );
                    j += 1;
                },
            );
            assert_eq!(j, ends.len(), "{kernel:?}: a digest per key");
        }
    });
    eprintln!(
        "{total} keys x {} kernels ({kernels:?}) equal md-5 in {:.1} s",
        kernels.len(),
        started.elapsed().as_secs_f64()
    );
}
