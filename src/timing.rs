//! Where a build spends its time, printed to stderr when `HERALD_TIMINGS` is set. For the
//! people tuning Herald, not for its users.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) fn enabled() -> bool {
    std::env::var_os("HERALD_TIMINGS").is_some()
}

/// Prints how long a stage took, and the memory in use (peak so far) where the system says.
pub(crate) fn stage(name: &str, since: Instant) {
    if enabled() {
        eprintln!(
            "[timing] {name}: {:.1} ms{}",
            since.elapsed().as_secs_f64() * 1000.0,
            memory()
        );
    }
}

/// `, RSS 312 MiB (peak 402 MiB)` on Linux; nothing elsewhere.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let mib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (mib("VmRSS:"), mib("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", RSS {now} MiB (peak {peak} MiB)"),
        _ => String::new(),
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
