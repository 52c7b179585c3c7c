//! `SendWrapper`: a value that is not `Send`, movable between threads but usable only on the thread that made it.
//! See README.md for why the workspace uses this crate instead of send_wrapper 0.6.

#[cfg(feature = "futures")]
mod futures;

use std::fmt;
use std::mem::{self, ManuallyDrop};
use std::ops::{Deref, DerefMut};

/// The thread a value was made on. A wasm module without threads has only one, so there is nothing to record.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[derive(Clone, Copy, PartialEq, Debug)]
struct Origin;

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
impl Origin {
    fn here() -> Self {
        Origin
    }
}

#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
#[derive(Clone, Copy, PartialEq, Debug)]
struct Origin(std::thread::ThreadId);

#[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
impl Origin {
    fn here() -> Self {
        Origin(std::thread::current().id())
    }
}

/// Holds a value that may only be accessed, polled and dropped on the thread that created the wrapper.
pub struct SendWrapper<T> {
    data: ManuallyDrop<T>,
    origin: Origin,
}

impl<T> SendWrapper<T> {
    /// Wraps `data`, owned by the current thread.
    pub fn new(data: T) -> SendWrapper<T> {
        SendWrapper { data: ManuallyDrop::new(data), origin: Origin::here() }
    }

    /// Whether the current thread may access the value.
    pub fn valid(&self) -> bool {
        self.origin == Origin::here()
    }

    /// The value, out of the wrapper. Panics on another thread.
    #[track_caller]
    pub fn take(self) -> T {
        self.assert_valid(WRONG_THREAD_ACCESS);
        let mut this = ManuallyDrop::new(self);
        // Safety: checked above that this thread owns the value; `drop` will not run for `this`.
        unsafe { ManuallyDrop::take(&mut this.data) }
    }

    #[track_caller]
    fn assert_valid(&self, what: &'static str) {
        if !self.valid() {
            wrong_thread(what)
        }
    }
}

// Safety: every access to the value goes through `valid`.
unsafe impl<T> Send for SendWrapper<T> {}
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    /// Panics on another thread.
    #[track_caller]
    fn deref(&self) -> &T {
        self.assert_valid(WRONG_THREAD_ACCESS);
        &self.data
    }
}

impl<T> DerefMut for SendWrapper<T> {
    /// Panics on another thread.
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.assert_valid(WRONG_THREAD_ACCESS);
        &mut self.data
    }
}

impl<T> Drop for SendWrapper<T> {
    /// Panics on another thread, unless dropping `T` does nothing or the thread is already panicking.
    #[track_caller]
    fn drop(&mut self) {
        if !mem::needs_drop::<T>() || self.valid() {
            // Safety: this thread owns the value, and `take` skips this drop.
            unsafe { ManuallyDrop::drop(&mut self.data) }
        } else if !std::thread::panicking() {
            wrong_thread(WRONG_THREAD_DROP)
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendWrapper").field("data", self.deref()).field("origin", &self.origin).finish()
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    #[track_caller]
    fn clone(&self) -> Self {
        Self::new(self.deref().clone())
    }
}

const WRONG_THREAD_ACCESS: &str = "SendWrapper value used on a thread other than the one that created it";
const WRONG_THREAD_DROP: &str = "SendWrapper value dropped on a thread other than the one that created it";

#[cold]
#[inline(never)]
#[track_caller]
fn wrong_thread(what: &'static str) -> ! {
    panic!("{what}")
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::rc::Rc;

    #[test]
    fn the_value_is_usable_on_its_own_thread() {
        let wrapped = SendWrapper::new(Rc::new(7));
        assert!(wrapped.valid());
        assert_eq!(**wrapped.clone(), 7);
        assert_eq!(*wrapped.take(), 7);
    }

    #[test]
    fn another_thread_may_not_use_it() {
        let wrapped = SendWrapper::new(Rc::new(7));
        let other = std::thread::spawn(move || {
            let valid = wrapped.valid();
            std::mem::forget(wrapped);
            valid
        });
        assert!(!other.join().unwrap());
    }
}
