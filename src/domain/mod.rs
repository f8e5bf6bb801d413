//! Pure types and rules of court enforcement: no I/O here.

pub mod calendar;
pub mod case_number;
pub mod codes;
pub mod dates;
pub mod ident;
pub mod listing;
pub mod merge;
pub mod money;
pub mod notice;
pub mod roles;
pub mod status;

pub use case_number::CaseNumber;
pub use ident::{ResidentId, Sex, Uscc, mask_id};
pub use money::Fen;
