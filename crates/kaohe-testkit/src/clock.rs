//! A clock the test moves: the store's recording times and the engine's time of an act read
//! it, so that a suite plays the township's year in a second and gets the same times each run.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};
use kaohe_store::{Clock, StoreOptions};

/// A clock that shows what the test last set; its clones show the same time.
#[derive(Clone, Debug)]
pub struct ScriptedClock {
    /// The time shown, in milliseconds since the unix epoch.
    millis: Arc<AtomicI64>,
}

impl ScriptedClock {
    /// A clock showing `time` (RFC 3339).
    pub fn at(time: &str) -> ScriptedClock {
        let clock = ScriptedClock {
            millis: Arc::new(AtomicI64::new(0)),
        };
        clock.set(time);
        clock
    }

    /// Show `time` (RFC 3339) from now on.
    pub fn set(&self, time: &str) {
        let time: Timestamp = time
            .parse()
            .unwrap_or_else(|error| panic!("{time} is not a time: {error}"));
        self.millis.store(time.as_millisecond(), Ordering::SeqCst);
    }

    /// Move the clock by `by`, forward or (negative) back.
    pub fn advance(&self, by: SignedDuration) {
        let millis = i64::try_from(by.as_millis()).expect("a span the clock can show");
        self.millis.fetch_add(millis, Ordering::SeqCst);
    }

    /// The time shown.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_millisecond(self.millis.load(Ordering::SeqCst))
            .expect("the clock shows a valid time")
    }

    /// The clock as the store and the engine read it.
    pub fn clock(&self) -> Clock {
        let clock = self.clone();
        Arc::new(move || clock.now())
    }

    /// The store's default settings, but for its clock: this one.
    pub fn options(&self) -> StoreOptions {
        StoreOptions {
            clock: self.clock(),
            ..StoreOptions::default()
        }
    }
}
