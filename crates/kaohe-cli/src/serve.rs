//! `kaohe serve` and `kaohe demo`: the ledger behind its HTTP API and front page.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;
use kaohe_engine::Engine;
use kaohe_server::{AppState, Limits};
use kaohe_store::{Clock, StoreOptions};

use crate::data_dir;

/// The address served when none is given: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8620";

/// Arguments of `kaohe serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// The ledger's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Where to listen.
    #[arg(long, value_name = "HOST:PORT", default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
    /// Act as if the time were TIME (RFC 3339), the clock running on from there: for
    /// rehearsals and demonstrations, never for a real ledger.
    #[arg(long, value_name = "TIME")]
    pub now: Option<jiff::Timestamp>,
}

/// A clock that reads the system clock, or one that starts at `start` and runs from there.
pub fn clock(start: Option<jiff::Timestamp>) -> Clock {
    match start {
        None => Arc::new(jiff::Timestamp::now),
        Some(start) => {
            let began = std::time::Instant::now();
            Arc::new(move || {
                start
                    .checked_add(began.elapsed())
                    .expect("a time within range")
            })
        }
    }
}

/// Serve the ledger in `data` on `addr` until Ctrl-C or SIGTERM, with `clock` giving the
/// time of every act; `announce` prints what to say once the address is known.
pub fn serve(
    data: &Path,
    addr: SocketAddr,
    clock: Clock,
    announce: impl FnOnce(SocketAddr),
) -> Result<()> {
    // A damaged ledger is never served. The store checks every page of the file against its
    // checksum as it opens, and the engine verifies every event, the chain, the stored
    // checkpoints and Merkle nodes as it folds them; either failing, the first bad event is
    // named and the server does not start.
    let opened = kaohe_store::Store::open(
        &data_dir::ledger_path(data),
        StoreOptions {
            clock: Arc::clone(&clock),
            check_pages_on_open: true,
            ..StoreOptions::default()
        },
    );
    let store = match opened {
        Ok(store) => store,
        Err(error @ kaohe_store::OpenError::Damaged(_)) => {
            bail!(
                "the ledger in {} is damaged and is not served: {}{}; run `kaohe verify {}`",
                data.display(),
                crate::output::with_causes(&error),
                crate::verify::first_bad_event(data),
                data.display()
            )
        }
        Err(error) => {
            return Err(error)
                .with_context(|| format!("cannot open the ledger in {}", data.display()));
        }
    };
    // Without its key a server still serves everything but checkpoints of unsigned sizes.
    let signer = data_dir::signer(data, store.genesis()).ok().map(Arc::new);
    let organisation = store.genesis().organisation.clone();
    let size = store.head()?.size;
    let engine = match Engine::open(store, clock) {
        Ok(engine) => engine,
        Err(error @ kaohe_engine::OpenError::Damaged(_)) => bail!(
            "the ledger in {} is damaged and is not served: {error}",
            data.display()
        ),
        Err(error) => return Err(error).context("cannot read the ledger with the rules"),
    };
    let state = AppState {
        engine,
        signer,
        limits: Limits::default(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = kaohe_server::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr} (in use? try --addr 127.0.0.1:0)"))?;
        let local = listener.local_addr()?;
        let shutdown =
            kaohe_server::shutdown_signal().context("cannot install the signal handlers")?;
        #[cfg(unix)]
        let admin = crate::admin::listen(data, state.engine.clone()).await?;
        announce(local);
        println!("serving the ledger of {organisation} ({size} events) at http://{local}/");
        println!("press Ctrl-C to stop");
        kaohe_server::serve(listener, state, shutdown).await?;
        #[cfg(unix)]
        {
            admin.abort();
            let _ = std::fs::remove_file(crate::admin::socket_path(data));
        }
        println!("stopped");
        Ok(())
    })
}

/// `kaohe serve`.
pub fn run(args: &ServeArgs) -> Result<()> {
    serve(&args.data, args.addr, clock(args.now), |_| {})
}
