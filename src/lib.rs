//! zhixing: a terminal workstation for court enforcement officers.

pub mod demo;
pub mod domain;
pub mod import;
pub mod search;
pub mod store;
pub mod tui;
