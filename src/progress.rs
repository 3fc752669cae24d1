//! Progress for long builds: on a terminal, a site of more than a thousand files shows which
//! stage it is in and how many pages are written, on one self-updating line of stderr.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const LARGE: usize = 1000;

pub(crate) struct Progress {
    enabled: bool,
    done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    pub(crate) fn new(files: usize) -> Progress {
        Progress {
            enabled: files > LARGE && std::io::stderr().is_terminal(),
            done: Arc::new(AtomicUsize::new(0)),
            stop: Arc::new(AtomicBool::new(false)),
            ticker: None,
        }
    }

    /// Starts counting `total` outputs, redrawn a few times a second.
    pub(crate) fn count(&mut self, what: &'static str, total: usize) {
        if !self.enabled {
            return;
        }
        let (done, stop) = (self.done.clone(), self.stop.clone());
        self.ticker = Some(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                eprint!("\r\x1b[2K{what} {}/{total}", done.load(Ordering::Relaxed));
                let _ = std::io::stderr().flush();
                std::thread::sleep(Duration::from_millis(150));
            }
        }));
    }

    pub(crate) fn tick(&self) {
        if self.enabled {
            self.done.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn finish(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        if self.enabled {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
