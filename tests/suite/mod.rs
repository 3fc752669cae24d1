//! One module per area of behaviour; `util` holds the fixture builder and HTML helpers.

mod util;

mod brands;
mod browser;
mod build;
mod cli;
mod commonmark;
mod dates;
mod deploy;
mod errors;
mod example;
mod hant;
mod images;
mod incremental;
mod links;
mod lists;
mod markdown;
mod md_diff;
mod mdref;
mod nginx;
mod package;
mod parity;
mod props;
mod reliability;
mod safety;
mod search;
mod serve;
mod templates;
mod trust;
mod validity;
mod windows;
mod wine;
