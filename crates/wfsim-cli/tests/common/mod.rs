//! Helpers shared by the CLI integration tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `root` (recursively, hidden ones included) with its bytes, keyed by the
/// path relative to `root`: two trees compare equal only when every byte is the same.
pub fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, acc: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, acc);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                acc.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut acc = BTreeMap::new();
    walk(root, root, &mut acc);
    acc
}
