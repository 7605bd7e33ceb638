//! `wfsim report`: an HTML page (and with --xlsx a workbook) of a run or batch directory.

use crate::args::ReportArgs;

pub(crate) fn report(args: ReportArgs, quiet: bool) -> anyhow::Result<()> {
    let report = wfsim_report::load(&args.dir)?;
    let written = wfsim_report::write(&report, &args.out, args.xlsx.as_deref())?;
    if !quiet {
        for (path, bytes) in written {
            outln!("wrote {} ({bytes} bytes)", path.display());
        }
    }
    Ok(())
}
