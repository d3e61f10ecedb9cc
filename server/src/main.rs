use std::process::ExitCode;

use clap::Parser;
use execplan_ls::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
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
