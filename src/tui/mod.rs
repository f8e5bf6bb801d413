//! The terminal user interface: typed actions, a pure update, views that
//! only draw, and a worker thread that owns the store.

pub mod action;
mod acts;
pub mod app;
pub mod driver;
pub mod form;
pub mod keymap;
mod queues;
pub mod signin;
pub mod state;
mod supervise;
pub mod update;
pub mod views;
pub mod worker;
