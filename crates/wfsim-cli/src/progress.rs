//! The progress bars: drawn on stderr when it is a terminal, hidden with --quiet or when
//! stderr is a file or a pipe (so logs and captured output stay clean).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use wfsim::year::YearCounts;
use wfsim::Progress;

/// Where a bar draws: nowhere when quiet or off a terminal.
fn target(quiet: bool) -> ProgressDrawTarget {
    if quiet || !std::io::stderr().is_terminal() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    }
}

/// A per-year progress bar for a run.
pub(crate) struct Bar(ProgressBar);

impl Bar {
    pub(crate) fn new(years: u64, quiet: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(Some(years), target(quiet));
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} years {msg}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix("simulating");
        Bar(bar)
    }

    /// Removes the bar before the run's table is printed.
    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn year_started(&self, year: i32, headcount: usize) {
        self.0.set_message(format!("{year}: {headcount} employees"));
    }

    fn year_finished(&self, _counts: &YearCounts) {
        self.0.inc(1);
    }
}

/// A runs-done progress bar for a batch.
pub(crate) struct RunsBar(ProgressBar);

impl RunsBar {
    pub(crate) fn new(runs: u64, quiet: bool) -> RunsBar {
        let bar = ProgressBar::with_draw_target(Some(runs), target(quiet));
        bar.set_style(
            ProgressStyle::with_template(
                "running [{bar:30}] {pos}/{len} runs, {elapsed} elapsed, ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        RunsBar(bar)
    }

    /// Removes the bar before the batch's table is printed.
    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl wfsim::batch::BatchProgress for RunsBar {
    fn run_finished(&self, done: usize, _total: usize) {
        self.0.set_position(done as u64);
    }
}
