//! md5 of many short keys at once: 8 per call with AVX2, 4 with SSE2 (chosen at run time), the
//! `md-5` crate elsewhere.
//!
//! Every draw of the random function and every `event_id` is the md5 of a short key, and md5's
//! 64 dependent steps leave most of a core idle when one key is hashed at a time. Independent
//! keys side by side in vector lanes keep it busy. Keys of up to [`BLOCK_KEY_MAX`] bytes (nearly
//! all: `EMP_000001|2025|termination|42` is 30) are one md5 block; longer keys go to `md-5`.
//! The digests equal `md-5`'s on every input (`tests/md5_lanes.rs`, `fuzz/`).

use md5::{Digest, Md5};

/// The longest key one block holds: 64 bytes less the `0x80` marker and the 8-byte length.
pub const BLOCK_KEY_MAX: usize = 55;

/// One key being written, as bytes pushed in order (see [`md5_each`]).
pub struct Key {
    block: [u8; 64],
    len: usize,
    /// The whole key once it is longer than [`BLOCK_KEY_MAX`].
    long: Vec<u8>,
}

impl Key {
    fn new() -> Key {
        Key {
            block: [0; 64],
            len: 0,
            long: Vec::new(),
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if end <= BLOCK_KEY_MAX {
            self.block[self.len..end].copy_from_slice(bytes);
        } else {
            if self.len <= BLOCK_KEY_MAX {
                self.long.clear();
                self.long.extend_from_slice(&self.block[..self.len]);
            }
            self.long.extend_from_slice(bytes);
        }
        self.len = end;
    }

    /// The key as md5's padded last block, or `None` if it needs more than one block.
    fn padded(&mut self) -> Option<&[u8; 64]> {
        if self.len > BLOCK_KEY_MAX {
            return None;
        }
        self.block[self.len] = 0x80;
        self.block[self.len + 1..56].fill(0);
        self.block[56..].copy_from_slice(&(self.len as u64 * 8).to_le_bytes());
        Some(&self.block)
    }

    fn md5_portable(&self) -> [u8; 16] {
        let bytes = if self.len > BLOCK_KEY_MAX {
            &self.long[..]
        } else {
            &self.block[..self.len]
        };
        Md5::digest(bytes).into()
    }
}

/// An md5 implementation of this CPU. Only [`Kernel::detected`] and [`Kernel::available`] make
/// one, so a SIMD kernel exists only where the CPU has its instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kernel(Imp);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Imp {
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Sse2,
    Portable,
}

impl Kernel {
    /// The widest kernel this CPU runs (the feature checks are cached by `std`).
    pub fn detected() -> Kernel {
        Kernel::available()[0]
    }

    /// Every kernel this CPU runs, widest first, ending with the portable one (for tests).
    pub fn available() -> Vec<Kernel> {
        let mut all = Vec::new();
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx2") {
                all.push(Kernel(Imp::Avx2));
            }
            if is_x86_feature_detected!("sse2") {
                all.push(Kernel(Imp::Sse2));
            }
        }
        all.push(Kernel(Imp::Portable));
        all
    }

    /// Keys hashed per call.
    pub fn lanes(self) -> usize {
        match self.0 {
            #[cfg(target_arch = "x86_64")]
            Imp::Avx2 => 8,
            #[cfg(target_arch = "x86_64")]
            Imp::Sse2 => 4,
            Imp::Portable => 1,
        }
    }

    /// [`md5_each`] with this kernel.
    pub fn md5_each<T>(
        self,
        items: impl IntoIterator<Item = T>,
        mut key: impl FnMut(T, &mut Key),
        mut digest: impl FnMut([u8; 16]),
    ) {
        match self.0 {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Imp::Avx2` is only made after `is_x86_feature_detected!("avx2")`.
            Imp::Avx2 => in_groups::<8, T>(items, key, digest, |m| unsafe { x86::avx2(m) }),
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Imp::Sse2` is only made after `is_x86_feature_detected!("sse2")`.
            Imp::Sse2 => in_groups::<4, T>(items, key, digest, |m| unsafe { x86::sse2(m) }),
            Imp::Portable => {
                let mut k = Key::new();
                for item in items {
                    k.len = 0;
                    key(item, &mut k);
                    digest(k.md5_portable());
                }
            }
        }
    }
}

/// Hashes the key `key(item, ..)` writes for each of `items` and hands the digests to `digest`
/// in the same order, with the widest kernel of this CPU.
pub fn md5_each<T>(
    items: impl IntoIterator<Item = T>,
    key: impl FnMut(T, &mut Key),
    digest: impl FnMut([u8; 16]),
) {
    Kernel::detected().md5_each(items, key, digest)
}

/// Runs `compress` on `L` keys at a time. The message is laid out word-major (`m[w][lane]`), as
/// the vector kernels load it; the last group's unused lanes hash empty blocks, left unread.
fn in_groups<const L: usize, T>(
    items: impl IntoIterator<Item = T>,
    mut key: impl FnMut(T, &mut Key),
    mut digest: impl FnMut([u8; 16]),
    compress: impl Fn(&[[u32; L]; 16]) -> [[u32; L]; 4],
) {
    let mut items = items.into_iter();
    let mut k = Key::new();
    loop {
        let mut m = [[0u32; L]; 16];
        let mut long = [None; L];
        let mut n = 0;
        for item in items.by_ref().take(L) {
            k.len = 0;
            key(item, &mut k);
            match k.padded() {
                Some(block) => {
                    for (w, word) in block.chunks_exact(4).enumerate() {
                        m[w][n] = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
                    }
                }
                None => long[n] = Some(k.md5_portable()),
            }
            n += 1;
        }
        if n == 0 {
            return;
        }
        let state = compress(&m);
        for (lane, long) in long.into_iter().enumerate().take(n) {
            digest(long.unwrap_or_else(|| {
                let mut out = [0; 16];
                for (i, s) in state.iter().enumerate() {
                    out[4 * i..4 * i + 4].copy_from_slice(&s[lane].to_le_bytes());
                }
                out
            }));
        }
        if n < L {
            return;
        }
    }
}

/// md5's initial state.
const INIT: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

/// md5's additive constants, `floor(abs(sin(i + 1)) * 2^32)`.
#[cfg(target_arch = "x86_64")]
const K: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

// The rounds below are written once for both vector widths: they call `add`, `and`, `or`,
// `xor`, `set1`, `slli` and `srli`, which each kernel imports as its own intrinsics, so every
// operation is inlined into the `#[target_feature]` function that expands them.

#[cfg(target_arch = "x86_64")]
macro_rules! rotl {
    ($x:expr, $s:literal) => {{
        let x = $x;
        or(slli::<$s>(x), srli::<{ 32 - $s }>(x))
    }};
}

// The four round functions: F = (b & c) | (!b & d), G = (b & d) | (c & !d), H = b ^ c ^ d,
// I = c ^ (b | !d), with F and G in their xor forms.
#[cfg(target_arch = "x86_64")]
macro_rules! f {
    ($b:expr, $c:expr, $d:expr) => {
        xor($d, and($b, xor($c, $d)))
    };
}
#[cfg(target_arch = "x86_64")]
macro_rules! g {
    ($b:expr, $c:expr, $d:expr) => {
        xor($c, and($d, xor($b, $c)))
    };
}
#[cfg(target_arch = "x86_64")]
macro_rules! h {
    ($b:expr, $c:expr, $d:expr) => {
        xor(xor($b, $c), $d)
    };
}
#[cfg(target_arch = "x86_64")]
macro_rules! i {
    ($b:expr, $c:expr, $d:expr) => {
        xor($c, or($b, xor($d, set1(-1))))
    };
}

/// One step: `a = b + rotl(a + fn(b, c, d) + K[i] + m[w], s)`.
#[cfg(target_arch = "x86_64")]
macro_rules! step {
    ($fn:ident, $a:ident, $b:ident, $c:ident, $d:ident, $m:ident, $w:literal, $s:literal, $i:literal) => {
        $a = add(
            $b,
            rotl!(
                add(add($a, $fn!($b, $c, $d)), add($m[$w], set1(K[$i] as i32))),
                $s
            ),
        );
    };
}

/// The 64 steps on the loaded message words `$m`, plus the initial state: `(a, b, c, d)`.
#[cfg(target_arch = "x86_64")]
macro_rules! md5_block {
    ($m:ident) => {{
        let (a0, b0, c0, d0) = (
            set1(INIT[0] as i32),
            set1(INIT[1] as i32),
            set1(INIT[2] as i32),
            set1(INIT[3] as i32),
        );
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        step!(f, a, b, c, d, $m, 0, 7, 0);
        step!(f, d, a, b, c, $m, 1, 12, 1);
        step!(f, c, d, a, b, $m, 2, 17, 2);
        step!(f, b, c, d, a, $m, 3, 22, 3);
        step!(f, a, b, c, d, $m, 4, 7, 4);
        step!(f, d, a, b, c, $m, 5, 12, 5);
        step!(f, c, d, a, b, $m, 6, 17, 6);
        step!(f, b, c, d, a, $m, 7, 22, 7);
        step!(f, a, b, c, d, $m, 8, 7, 8);
        step!(f, d, a, b, c, $m, 9, 12, 9);
        step!(f, c, d, a, b, $m, 10, 17, 10);
        step!(f, b, c, d, a, $m, 11, 22, 11);
        step!(f, a, b, c, d, $m, 12, 7, 12);
        step!(f, d, a, b, c, $m, 13, 12, 13);
        step!(f, c, d, a, b, $m, 14, 17, 14);
        step!(f, b, c, d, a, $m, 15, 22, 15);

        step!(g, a, b, c, d, $m, 1, 5, 16);
        step!(g, d, a, b, c, $m, 6, 9, 17);
        step!(g, c, d, a, b, $m, 11, 14, 18);
        step!(g, b, c, d, a, $m, 0, 20, 19);
        step!(g, a, b, c, d, $m, 5, 5, 20);
        step!(g, d, a, b, c, $m, 10, 9, 21);
        step!(g, c, d, a, b, $m, 15, 14, 22);
        step!(g, b, c, d, a, $m, 4, 20, 23);
        step!(g, a, b, c, d, $m, 9, 5, 24);
        step!(g, d, a, b, c, $m, 14, 9, 25);
        step!(g, c, d, a, b, $m, 3, 14, 26);
        step!(g, b, c, d, a, $m, 8, 20, 27);
        step!(g, a, b, c, d, $m, 13, 5, 28);
        step!(g, d, a, b, c, $m, 2, 9, 29);
        step!(g, c, d, a, b, $m, 7, 14, 30);
        step!(g, b, c, d, a, $m, 12, 20, 31);

        step!(h, a, b, c, d, $m, 5, 4, 32);
        step!(h, d, a, b, c, $m, 8, 11, 33);
        step!(h, c, d, a, b, $m, 11, 16, 34);
        step!(h, b, c, d, a, $m, 14, 23, 35);
        step!(h, a, b, c, d, $m, 1, 4, 36);
        step!(h, d, a, b, c, $m, 4, 11, 37);
        step!(h, c, d, a, b, $m, 7, 16, 38);
        step!(h, b, c, d, a, $m, 10, 23, 39);
        step!(h, a, b, c, d, $m, 13, 4, 40);
        step!(h, d, a, b, c, $m, 0, 11, 41);
        step!(h, c, d, a, b, $m, 3, 16, 42);
        step!(h, b, c, d, a, $m, 6, 23, 43);
        step!(h, a, b, c, d, $m, 9, 4, 44);
        step!(h, d, a, b, c, $m, 12, 11, 45);
        step!(h, c, d, a, b, $m, 15, 16, 46);
        step!(h, b, c, d, a, $m, 2, 23, 47);

        step!(i, a, b, c, d, $m, 0, 6, 48);
        step!(i, d, a, b, c, $m, 7, 10, 49);
        step!(i, c, d, a, b, $m, 14, 15, 50);
        step!(i, b, c, d, a, $m, 5, 21, 51);
        step!(i, a, b, c, d, $m, 12, 6, 52);
        step!(i, d, a, b, c, $m, 3, 10, 53);
        step!(i, c, d, a, b, $m, 10, 15, 54);
        step!(i, b, c, d, a, $m, 1, 21, 55);
        step!(i, a, b, c, d, $m, 8, 6, 56);
        step!(i, d, a, b, c, $m, 15, 10, 57);
        step!(i, c, d, a, b, $m, 6, 15, 58);
        step!(i, b, c, d, a, $m, 13, 21, 59);
        step!(i, a, b, c, d, $m, 4, 6, 60);
        step!(i, d, a, b, c, $m, 11, 10, 61);
        step!(i, c, d, a, b, $m, 2, 15, 62);
        step!(i, b, c, d, a, $m, 9, 21, 63);

        [add(a, a0), add(b, b0), add(c, c0), add(d, d0)]
    }};
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::{INIT, K};

    /// md5 of 8 one-block messages, `m[word][lane]`; returns `state[word][lane]`.
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn avx2(m: &[[u32; 8]; 16]) -> [[u32; 8]; 4] {
        use std::arch::x86_64::{
            _mm256_add_epi32 as add, _mm256_and_si256 as and, _mm256_loadu_si256,
            _mm256_or_si256 as or, _mm256_set1_epi32 as set1, _mm256_setzero_si256,
            _mm256_slli_epi32 as slli, _mm256_srli_epi32 as srli, _mm256_storeu_si256,
            _mm256_xor_si256 as xor,
        };
        // SAFETY: each row of `m` and of `out` is 32 bytes, the width of the unaligned
        // loads and stores.
        let mut words = [_mm256_setzero_si256(); 16];
        for (v, row) in words.iter_mut().zip(m) {
            *v = _mm256_loadu_si256(row.as_ptr().cast());
        }
        let state = md5_block!(words);
        let mut out = [[0u32; 8]; 4];
        for (row, v) in out.iter_mut().zip(state) {
            _mm256_storeu_si256(row.as_mut_ptr().cast(), v);
        }
        out
    }

    /// md5 of 4 one-block messages, `m[word][lane]`; returns `state[word][lane]`.
    ///
    /// # Safety
    /// The CPU must have SSE2.
    #[target_feature(enable = "sse2")]
    pub unsafe fn sse2(m: &[[u32; 4]; 16]) -> [[u32; 4]; 4] {
        use std::arch::x86_64::{
            _mm_add_epi32 as add, _mm_and_si128 as and, _mm_loadu_si128, _mm_or_si128 as or,
            _mm_set1_epi32 as set1, _mm_setzero_si128, _mm_slli_epi32 as slli,
            _mm_srli_epi32 as srli, _mm_storeu_si128, _mm_xor_si128 as xor,
        };
        // SAFETY: each row of `m` and of `out` is 16 bytes, the width of the unaligned
        // loads and stores.
        let mut words = [_mm_setzero_si128(); 16];
        for (v, row) in words.iter_mut().zip(m) {
            *v = _mm_loadu_si128(row.as_ptr().cast());
        }
        let state = md5_block!(words);
        let mut out = [[0u32; 4]; 4];
        for (row, v) in out.iter_mut().zip(state) {
            _mm_storeu_si128(row.as_mut_ptr().cast(), v);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn each(kernel: Kernel, keys: &[Vec<u8>]) -> Vec<[u8; 16]> {
        let mut out = Vec::new();
        kernel.md5_each(keys, |k, w| w.push(k), |d| out.push(d));
        out
    }

    fn hex(d: [u8; 16]) -> String {
        d.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// RFC 1321's test suite, and spec keys checked with `printf '%s' KEY | md5sum`.
    #[test]
    fn published_vectors() {
        let cases: &[(&str, &str)] = &[
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            (
                "abcdefghijklmnopqrstuvwxyz",
                "c3fcd3d76192e4007dfb496cca67e13b",
            ),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "d174ab98d277d9f5a5611c2c9f419d9f",
            ),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "57edf4a22be3c955ac49da2e2107b67a",
            ),
            (
                "EMP_000001|2025|termination|42",
                "32bd9c58a8de46a796ec5d2797a38ee0",
            ),
            (
                "default|default|EMP_000001|2025|1",
                "cc794e5075a3911317fe6dfaaf519c65",
            ),
            (
                "NH_2026_000017|2026|hire_salary|7",
                "208e5ffa101b61f68cad9b1f94bb44f8",
            ),
        ];
        for kernel in Kernel::available() {
            let keys: Vec<Vec<u8>> = cases.iter().map(|(k, _)| k.as_bytes().to_vec()).collect();
            for ((key, want), got) in cases.iter().zip(each(kernel, &keys)) {
                assert_eq!(hex(got), *want, "{kernel:?} {key:?}");
            }
        }
    }

    /// Every length 0..=128 (one block, the 55/56 boundary, two and three blocks), random bytes,
    /// in groups that start at every lane offset.
    #[test]
    fn every_length_equals_md5_crate() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut byte = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        };
        let keys: Vec<Vec<u8>> = (0..=128)
            .flat_map(|len| (0..9).map(move |_| len))
            .map(|len| (0..len).map(|_| byte()).collect())
            .collect();
        for kernel in Kernel::available() {
            for skip in 0..kernel.lanes() {
                let got = each(kernel, &keys[skip..]);
                assert_eq!(got.len(), keys.len() - skip);
                for (key, got) in keys[skip..].iter().zip(got) {
                    let want: [u8; 16] = Md5::digest(key).into();
                    assert_eq!(got, want, "{kernel:?} length {}", key.len());
                }
            }
        }
    }

    #[test]
    fn keys_pushed_in_parts_cross_the_block_boundary() {
        for kernel in Kernel::available() {
            for len in [0, 20, 50, 54, 55, 56, 100] {
                let id = "x".repeat(len);
                let mut got = Vec::new();
                kernel.md5_each(
                    [id.as_str(); 3],
                    |id, k| {
                        k.push(id.as_bytes());
                        k.push(b"|2025||");
                        k.push(b"7");
                    },
                    |d| got.push(d),
                );
                let want: [u8; 16] = Md5::digest(format!("{id}|2025||7")).into();
                assert_eq!(got, vec![want; 3], "{kernel:?} {len}");
            }
        }
    }

    #[test]
    fn nothing_in_nothing_out() {
        for kernel in Kernel::available() {
            kernel.md5_each(std::iter::empty::<u8>(), |_, _| {}, |_| panic!("no key"));
        }
    }
}
