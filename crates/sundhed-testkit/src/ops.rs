//! Operation generators over the worlds: each operation is a handful of small numbers that a
//! driver turns into a command against the current state (an existing id by index, or one
//! that does not exist). The same operations serve the fuzz targets (`Arbitrary`, feature
//! `arbitrary`) and the model-based state-machine test (a proptest strategy, feature
//! `proptest`).

pub mod directory;
#[cfg(feature = "arbitrary")]
pub mod workflow;

/// The item at `i` modulo the length; `None` when `items` is empty.
#[must_use]
pub fn pick<T: Copy>(items: &[T], i: u8) -> Option<T> {
    items.get(usize::from(i) % items.len().max(1)).copied()
}
