use std::process::ExitCode;

use clap::Parser;
use execplan_ls::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => {
            // One thread runs the message loop, every handler and the
            // diagnostics publisher; reading the index, building a model
            // aside and other long work go to tokio's blocking pool. A
            // keystroke then wakes one thread, not three one after another:
            // on a 2-core machine that took a 1,000-line plan's keystroke to
            // its diagnostics from 1.18 to 0.97 ms, and to `documentSymbol`
            // on 10,000 lines from 15.3 to 11.8 ms (docs/performance.md).
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    eprintln!("execplan-ls: cannot start the async runtime: {e}");
                    return ExitCode::from(2);
                }
            };
            let shut_down_cleanly = runtime.block_on(execplan_ls::lsp::serve_stdio());
            // Do not wait for background tasks: the client is gone.
            runtime.shutdown_background();
            if shut_down_cleanly {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}
