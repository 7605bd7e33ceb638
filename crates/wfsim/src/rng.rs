//! The random function of spec §2: `u = first 32 bits of md5("{id}|{N}|{stream}|{seed}") / 2^32`.
//!
//! Every draw is a pure function of its key, so any event can be recomputed by hand with
//! `printf '%s' 'EMP_000001|2025|termination|42' | md5sum`, in any order, on any thread.

use crate::md5_lanes::md5_each;
use md5::{Digest, Md5};

/// Draws made by this process, counted only in builds with the `draw-count` feature (the floor
/// benchmark needs the number; a shared counter would slow every draw of a normal build).
#[cfg(feature = "draw-count")]
static DRAWS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Draws made so far by this process (feature `draw-count`).
#[cfg(feature = "draw-count")]
pub fn draws_made() -> u64 {
    DRAWS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The named streams of spec §2 (the string is part of the hashed key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Termination,
    TerminationDate,
    Rif,
    NhTermination,
    NhTerminationDate,
    HireAge,
    HireDate,
    HireSalary,
    HireIneligible,
    Promotion,
    PromotionRaise,
    VoluntaryEnrollment,
    EnrollmentTiming,
    OptOut,
    OptOutTiming,
    Conversion,
    MatchResponse,
    /// A batch's uncertain assumptions (spec §8), keyed by key path and year 0.
    Uncertainty,
}

impl Stream {
    pub fn name(self) -> &'static str {
        match self {
            Stream::Termination => "termination",
            Stream::TerminationDate => "termination_date",
            Stream::Rif => "rif",
            Stream::NhTermination => "nh_termination",
            Stream::NhTerminationDate => "nh_termination_date",
            Stream::HireAge => "hire_age",
            Stream::HireDate => "hire_date",
            Stream::HireSalary => "hire_salary",
            Stream::HireIneligible => "hire_ineligible",
            Stream::Promotion => "promotion",
            Stream::PromotionRaise => "promotion_raise",
            Stream::VoluntaryEnrollment => "voluntary_enrollment",
            Stream::EnrollmentTiming => "enrollment_timing",
            Stream::OptOut => "opt_out",
            Stream::OptOutTiming => "opt_out_timing",
            Stream::Conversion => "conversion",
            Stream::MatchResponse => "match_response",
            Stream::Uncertainty => "uncertainty",
        }
    }
}

/// One draw: the 32-bit value `V` behind `u = V / 2^32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Draw(pub u32);

impl Draw {
    pub fn u(self) -> f64 {
        f64::from(self.0) / 4_294_967_296.0
    }

    /// `u < p`, the only way an event is decided (p = 0 never fires, p = 1 always does).
    pub fn below(self, p: f64) -> bool {
        self.u() < p
    }

    /// `day_offset(u, n) = floor(u * n)`, an integer in `0..n`.
    pub fn day_offset(self, n: i32) -> i32 {
        (self.u() * f64::from(n)).floor() as i32
    }
}

/// The seeded random function. Cheap to copy into every worker.
#[derive(Clone, Debug)]
pub struct Rng {
    seed: u64,
    seed_text: Box<str>,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng {
            seed,
            seed_text: seed.to_string().into(),
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn draw(&self, id: &str, year: i32, stream: Stream) -> Draw {
        self.draw_named(id, year, stream.name())
    }

    /// A draw on a stream outside the model's table (the synthetic census generator uses these).
    pub fn draw_named(&self, id: &str, year: i32, stream: &str) -> Draw {
        #[cfg(feature = "draw-count")]
        DRAWS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut year_buf = itoa::Buffer::new();
        let digest = md5_joined(&[
            id.as_bytes(),
            year_buf.format(year).as_bytes(),
            stream.as_bytes(),
            self.seed_text.as_bytes(),
        ]);
        Draw(u32::from_be_bytes([
            digest[0], digest[1], digest[2], digest[3],
        ]))
    }

    /// The draws of `keys` in order, equal to [`Rng::draw`] on each, hashed several keys per
    /// call (see [`crate::md5_lanes`]): the engine asks for a chunk of employees at once.
    pub fn draws_into<'k>(
        &self,
        year: i32,
        keys: impl IntoIterator<Item = (&'k str, Stream)>,
        out: &mut Vec<Draw>,
    ) {
        let mut year_buf = itoa::Buffer::new();
        let year = year_buf.format(year).as_bytes();
        let seed = self.seed_text.as_bytes();
        #[cfg(feature = "draw-count")]
        let start = out.len();
        // `|{N}|{stream}|{seed}` of each stream asked for, so a key is written in two copies
        // rather than seven (each copy is a libc memmove call).
        let mut suffixes: Vec<(Stream, Vec<u8>)> = Vec::new();
        md5_each(
            keys,
            |(id, stream), key| {
                let i = match suffixes.iter().position(|(s, _)| *s == stream) {
                    Some(i) => i,
                    None => {
                        let name = stream.name().as_bytes();
                        suffixes.push((stream, [b"|", year, b"|", name, b"|", seed].concat()));
                        suffixes.len() - 1
                    }
                };
                key.push(id.as_bytes());
                key.push(&suffixes[i].1);
            },
            |digest| {
                out.push(Draw(u32::from_be_bytes([
                    digest[0], digest[1], digest[2], digest[3],
                ])))
            },
        );
        #[cfg(feature = "draw-count")]
        DRAWS.fetch_add(
            (out.len() - start) as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
    }
}

/// md5 of `parts` joined by `|`. The key is assembled on the stack and hashed in one update:
/// feeding the hasher piece by piece costs a third as much again as the hash itself.
fn md5_joined(parts: &[&[u8]]) -> [u8; 16] {
    const CAP: usize = 128;
    let len = parts.iter().map(|p| p.len() + 1).sum::<usize>() - 1;
    let mut hasher = Md5::new();
    if len <= CAP {
        let mut buf = [0u8; CAP];
        let mut n = 0;
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                buf[n] = b'|';
                n += 1;
            }
            buf[n..n + p.len()].copy_from_slice(p);
            n += p.len();
        }
        hasher.update(&buf[..n]);
    } else {
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                hasher.update(b"|");
            }
            hasher.update(p);
        }
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Vectors computed with `printf '%s' KEY | md5sum`, first 8 hex digits.
    #[test]
    fn md5_vectors() {
        let cases: &[(&str, i32, Stream, u64, u32)] = &[
            // printf '%s' 'EMP_000001|2025|termination|42' | md5sum
            ("EMP_000001", 2025, Stream::Termination, 42, 0x32bd9c58),
            // printf '%s' 'EMP_000001|2025|termination_date|42' | md5sum
            ("EMP_000001", 2025, Stream::TerminationDate, 42, 0xdd2448a0),
            // printf '%s' 'NH_2026_000017|2026|hire_salary|7' | md5sum
            ("NH_2026_000017", 2026, Stream::HireSalary, 7, 0x208e5ffa),
            // printf '%s' 'INV_EMP_0042|2029|opt_out|2024' | md5sum
            ("INV_EMP_0042", 2029, Stream::OptOut, 2024, 0x9dc7aeeb),
            // printf '%s' 'E 1|2030|conversion|0' | md5sum
            ("E 1", 2030, Stream::Conversion, 0, 0x9c40f892),
        ];
        for &(id, year, stream, seed, v) in cases {
            assert_eq!(
                Rng::new(seed).draw(id, year, stream).0,
                v,
                "{id}|{year}|{}|{seed}",
                stream.name()
            );
        }
    }

    #[test]
    fn long_keys_hash_the_same_text() {
        let id = "X".repeat(200);
        let text = format!("{id}|2025|termination|42");
        let digest: [u8; 16] = Md5::digest(text.as_bytes()).into();
        let expect = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
        assert_eq!(Rng::new(42).draw(&id, 2025, Stream::Termination).0, expect);
    }

    #[test]
    fn batched_draws_equal_single_draws() {
        let rng = Rng::new(42);
        let ids: Vec<String> = (0..1000)
            .map(|i| format!("EMP_{i:06}"))
            .chain(["".into(), "X".repeat(40), "Y".repeat(200)])
            .collect();
        let streams = [
            Stream::Termination,
            Stream::HireIneligible,
            Stream::MatchResponse,
        ];
        let keys: Vec<(&str, Stream)> = ids
            .iter()
            .zip(streams.iter().cycle())
            .map(|(id, &s)| (id.as_str(), s))
            .collect();
        let mut got = vec![Draw(7)];
        rng.draws_into(2031, keys.iter().copied(), &mut got);
        let want: Vec<Draw> = std::iter::once(Draw(7))
            .chain(keys.iter().map(|&(id, s)| rng.draw(id, 2031, s)))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn strict_comparison_and_offsets() {
        assert!(!Draw(0).below(0.0));
        assert!(Draw(u32::MAX).below(1.0));
        assert_eq!(Draw(u32::MAX).day_offset(365), 364);
        assert_eq!(Draw(0).day_offset(365), 0);
    }
}
