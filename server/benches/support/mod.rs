//! What the benchmarks share: generated plans of a chosen size (`plans`,
//! also read by the engine's fast-parse differential test) and the
//! protocol client that drives a server over stdio (`client`), and a server
//! that does nothing, the floor of each measure (`null_server`).

#![allow(dead_code)]

pub mod client;
pub mod null_server;
mod plans;

pub use plans::*;
