//! Where a build spends its time, printed to stderr when `HERALD_TIMINGS` is set. For the
//! people tuning Herald, not for its users.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) fn enabled() -> bool {
    std::env::var_os("HERALD_TIMINGS").is_some()
}

/// Prints how long a stage took.
pub(crate) fn stage(name: &str, since: Instant) {
    if enabled() {
        eprintln!(
            "[timing] {name}: {:.1} ms",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// CPU time per kind of output, summed across threads.
#[derive(Default)]
pub(crate) struct PerKind(Mutex<BTreeMap<&'static str, (usize, Duration)>>);

impl PerKind {
    pub(crate) fn add(&self, kind: &'static str, since: Instant) {
        if !enabled() {
            return;
        }
        if let Ok(mut m) = self.0.lock() {
            let e = m.entry(kind).or_default();
            e.0 += 1;
            e.1 += since.elapsed();
        }
    }

    pub(crate) fn report(&self) {
        if !enabled() {
            return;
        }
        if let Ok(m) = self.0.lock() {
            for (kind, (n, d)) in m.iter() {
                eprintln!(
                    "[timing]   render {kind}: {n} outputs, {:.0} ms CPU",
                    d.as_secs_f64() * 1000.0
                );
            }
        }
    }
}
