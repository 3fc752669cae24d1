//! Integration tests of the `herald` binary: every test builds a small site in a temporary
//! folder, runs the real command line, and looks at what a user would see (the generated
//! HTML, the files on disk, the exit code and the messages on stderr).

mod suite;
