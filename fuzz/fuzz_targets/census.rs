//! The census reader on arbitrary bytes: it must return Ok or Err, never panic or hang.
//! The bytes go through a real file, as in `wfsim run --census`, named `.csv` (bytes starting
//! with `PAR1` are read as Parquet whatever the name, so both readers are reached).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;
use wfsim::config::{validate, Config, Model};

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| validate(Config::default(), "defaults").expect("defaults are valid"))
}

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("wfsim-fuzz-census-{}.csv", std::process::id()))
    })
}

fn pool() -> &'static wfsim::rayon::ThreadPool {
    static POOL: OnceLock<wfsim::rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        wfsim::rayon::ThreadPoolBuilder::new()
            .build()
            .expect("a thread pool starts")
    })
}

fuzz_target!(|data: &[u8]| {
    std::fs::write(path(), data).expect("write the fuzz input");
    let _ = wfsim::census::load(path(), model(), pool());
});
