//! The census mapping (`--census-map`, the config's `census:` section) on arbitrary input: the
//! bytes before the first NUL are the map's YAML, those after it a CSV census read through it.
//! Parsing the map, resolving its columns against the header and reading dates in its format
//! must return Ok or Err, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use wfsim::config::{validate, CensusMap, Config};

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("wfsim-fuzz-census-map-{}.csv", std::process::id()))
    })
}

fn pool() -> &'static wfsim::rayon::ThreadPool {
    static POOL: OnceLock<wfsim::rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        wfsim::rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("a thread pool starts")
    })
}

fuzz_target!(|data: &[u8]| {
    let (map, census) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let Ok(text) = std::str::from_utf8(map) else {
        return;
    };
    let Ok(map) = CensusMap::parse(text, Path::new("fuzz.map.yaml")) else {
        return;
    };
    let mut config = Config::default();
    map.apply(&mut config.census);
    let Ok(model) = validate(config, "fuzz") else {
        return;
    };
    std::fs::write(path(), census).expect("write the fuzz input");
    let _ = wfsim::census::load(path(), &model, pool());
});
