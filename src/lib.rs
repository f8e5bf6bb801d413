//! zhixing: a terminal workstation for court enforcement officers.

pub mod domain;
