//! What the benchmarks share: generated plans of a chosen size (`plans`,
//! also read by the engine's fast-parse differential test) and the
//! protocol client that drives a server over stdio (`client`).

#![allow(dead_code)]

pub mod client;
mod plans;

pub use plans::*;
