//! Working memory kept from one run of the engine to the next.
//!
//! A run over a large snapshot fills tens of megabytes of arrays and drops
//! them at the end; the allocator hands most of that back to the system,
//! and the next run pays again for every page it touches: at 100,000
//! meetings up to 3,000 page faults a run (about 110 with the memory kept),
//! and some 15% of its time (a mean of 78–82 ms against 64–67 ms with the
//! memory kept, in one session on a busy machine). The engine's arrays are
//! [`Buffer`]s instead: dropped, their memory goes to a shelf of its element
//! type, and a buffer asked for later takes the smallest one there that is
//! large enough. A server runs the engine over snapshots of about the same
//! size again and again, so the shelves settle at what one run needs. They
//! keep a few buffers per type and none above [`LARGEST_KEPT`], so one
//! unusually large run does not hold its memory for good.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Buffers kept per element type.
const KEPT_PER_TYPE: usize = 24;

/// The largest buffer kept, in bytes: enough for every array of a run over
/// a few hundred thousand meetings.
const LARGEST_KEPT: usize = 32 << 20;

/// An element type with a shelf of its own.
pub(super) trait Shelved: Copy + Send + 'static {
    fn shelf() -> &'static Mutex<Vec<Vec<Self>>>;
}

macro_rules! shelved {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::domain::conflicts::buffer::Shelved for $t {
            fn shelf() -> &'static ::std::sync::Mutex<Vec<Vec<Self>>> {
                static SHELF: ::std::sync::Mutex<Vec<Vec<$t>>> =
                    ::std::sync::Mutex::new(Vec::new());
                &SHELF
            }
        })*
    };
}
pub(super) use shelved;

shelved!(u32, u64, i64, usize);

/// A `Vec` whose memory goes back to its shelf when dropped.
pub(super) struct Buffer<T: Shelved>(Vec<T>);

fn shelf<T: Shelved>() -> MutexGuard<'static, Vec<Vec<T>>> {
    // A panic elsewhere cannot leave a shelf half changed: every change is
    // one push or one removal.
    T::shelf().lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T: Shelved> Buffer<T> {
    /// An empty buffer with room for at least `n` elements.
    pub fn with_capacity(n: usize) -> Self {
        let mut kept = shelf::<T>();
        let fit = (0..kept.len())
            .filter(|&k| kept[k].capacity() >= n)
            .min_by_key(|&k| kept[k].capacity());
        let vec = match fit {
            Some(k) => kept.swap_remove(k),
            None => {
                drop(kept);
                Vec::with_capacity(n)
            }
        };
        Self(vec)
    }

    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// `n` copies of `value`.
    pub fn filled(value: T, n: usize) -> Self {
        let mut buffer = Self::with_capacity(n);
        buffer.resize(n, value);
        buffer
    }
}

impl<T: Shelved> Drop for Buffer<T> {
    fn drop(&mut self) {
        let mut vec = std::mem::take(&mut self.0);
        let bytes = vec.capacity() * std::mem::size_of::<T>();
        if bytes == 0 || bytes > LARGEST_KEPT {
            return;
        }
        vec.clear();
        let mut kept = shelf::<T>();
        if kept.len() < KEPT_PER_TYPE {
            kept.push(vec);
        } else if let Some(smallest) = (0..kept.len()).min_by_key(|&k| kept[k].capacity()) {
            // Keep the larger of the two: a small buffer is cheap to make.
            if kept[smallest].capacity() < vec.capacity() {
                let smaller = std::mem::replace(&mut kept[smallest], vec);
                drop(kept);
                drop(smaller);
            }
        }
    }
}

impl<T: Shelved> Default for Buffer<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Shelved> Deref for Buffer<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Shelved> DerefMut for Buffer<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T: Shelved> FromIterator<T> for Buffer<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let items = items.into_iter();
        let mut buffer = Self::with_capacity(items.size_hint().0);
        buffer.extend(items);
        buffer
    }
}

impl<'a, T: Shelved> IntoIterator for &'a Buffer<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<T: Shelved> Clone for Buffer<T> {
    fn clone(&self) -> Self {
        self.iter().copied().collect()
    }
}

impl<T: Shelved + fmt::Debug> fmt::Debug for Buffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Probe(u8);
    shelved!(Probe);

    #[test]
    fn a_dropped_buffer_serves_the_next_that_fits_and_comes_back_empty() {
        let mut first = Buffer::with_capacity(1000);
        first.extend((0..1000).map(|k| Probe(k as u8)));
        let place = first.as_ptr();
        drop(first);
        // Too large for what is kept: a buffer of its own.
        let larger = Buffer::<Probe>::with_capacity(5000);
        assert_ne!(larger.as_ptr(), place);
        // Fits: the same memory, empty.
        let again = Buffer::<Probe>::with_capacity(10);
        assert_eq!(again.as_ptr(), place);
        assert!(again.is_empty());
        assert!(again.capacity() >= 1000);
        let filled = Buffer::filled(Probe(7), 3);
        assert_eq!(&filled[..], &[Probe(7); 3]);
    }
}
