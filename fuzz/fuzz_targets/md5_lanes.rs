//! The multi-lane md5 against the `md-5` crate: the input is cut into keys (each a length byte,
//! taken modulo 130, then that many bytes), hashed by every kernel of this CPU.
#![no_main]

use libfuzzer_sys::fuzz_target;
use md5::{Digest, Md5};
use wfsim::md5_lanes::Kernel;

fuzz_target!(|data: &[u8]| {
    let mut keys = Vec::new();
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        let (key, tail) = tail.split_at((usize::from(len) % 130).min(tail.len()));
        keys.push(key);
        rest = tail;
    }
    let want: Vec<[u8; 16]> = keys.iter().map(|k| Md5::digest(k).into()).collect();
    for kernel in Kernel::available() {
        let mut got = Vec::new();
        kernel.md5_each(&keys, |k, w| w.push(k), |d| got.push(d));
        assert_eq!(got, want, "{kernel:?}");
    }
});
