//! Herald (宣页): a static-site generator for the publicity staff of public-service bureaus.
//!
//! The data path is one line, and the modules follow it:
//! **load** and **parse** (`content`) → **model** (`model`) → **render** (`render`, with
//! `markdown` for bodies) → **write** (`output`); **serve** wraps it for the live preview.
//! `build` strings the stages together.
//!
//! The library's interface is what the `herald` binary and the tests call: the commands
//! (`build`, `check`, `serve`, `deploy`, `package`, `scaffold`, `cli`), the messages
//! (`diagnostics`, `error`) and the parsing stages the property tests drive (`content`,
//! `markdown`, `yaml`). Everything else is `pub(crate)`.
#![warn(unreachable_pub)]

pub mod cli;
mod compress;
mod config;
pub mod content;
mod date;
pub mod deploy;
pub mod diagnostics;
mod digest;
pub mod error;
mod fingerprint;
mod finish;
mod fs;
mod hant;
mod images;
mod layout;
pub mod markdown;
mod model;
mod output;
pub mod package;
mod paths;
pub mod pipeline;
mod progress;
mod relative;
mod render;
pub mod scaffold;
mod search;
pub mod serve;
mod text;
mod timing;
pub mod yaml;

pub use error::{Diagnostics, Error, Result};
pub use pipeline::{build, check, BuildOptions, BuildReport};
