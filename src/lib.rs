//! Herald (宣页): a static-site generator for the publicity staff of public-service bureaus.
//!
//! The data path is one line, and the modules follow it:
//! **load** and **parse** (`content`) → **model** (`model`) → **render** (`render`, with
//! `markdown` for bodies) → **write** (`output`); **serve** wraps it for the live preview.
//! `build` strings the stages together.

pub mod build;
pub mod cli;
pub mod compress;
pub mod config;
pub mod content;
pub mod date;
pub mod deploy;
pub mod diagnostics;
pub mod error;
pub mod fingerprint;
pub mod finish;
pub mod fs;
pub mod images;
pub mod layout;
pub mod markdown;
pub mod model;
pub mod output;
pub mod package;
pub mod paths;
pub mod progress;
pub mod relative;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod text;
pub mod timing;
pub mod yaml;

pub use build::{build, check, BuildOptions, BuildReport};
pub use error::{Diagnostics, Error, Result};
