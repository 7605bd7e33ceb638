//! `wfsim diff`: compares two output directories. It returns its exit code itself: 1 means
//! "they differ", not a failure.

use crate::args::DiffArgs;
use std::io::IsTerminal;
use std::process::ExitCode;
use wfsim::output::diff::{DiffOptions, Mode};

pub(crate) fn diff(args: DiffArgs, quiet: bool) -> ExitCode {
    let mode = match (args.scenarios, args.exact) {
        (true, _) => Mode::Scenarios,
        (_, true) => Mode::Exact,
        _ => Mode::Auto,
    };
    let opts = DiffOptions {
        show: args.show,
        max_lines: args.max_lines,
        color: std::io::stdout().is_terminal(),
        mode,
    };
    match wfsim::output::diff::diff_dirs_with(&args.dir_a, &args.dir_b, opts) {
        Ok(report) => {
            if !quiet {
                out!("{}", report.report);
            }
            if report.identical {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            let code = e.exit_code();
            eprintln!("error: {:#}", anyhow::Error::from(e));
            ExitCode::from(code)
        }
    }
}
