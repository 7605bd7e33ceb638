//! The config loader on arbitrary text: parse then validate must return Ok or Err, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // wfsim reads the config as UTF-8 text; other bytes are rejected before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = wfsim::config::parse(text, Path::new("fuzz.yaml")) {
        let _ = wfsim::config::validate(config, "fuzz.yaml");
    }
});
