//! The progress display of `graft apply` and `graft plan`: on stderr, only
//! when it is a terminal and `--quiet` is not given. A spinner while the
//! stack's files are found and loaded, a bar while they are parsed (a step
//! per file), a spinner while the rules are applied and while the output is
//! written. It is cleared before anything else is printed, so that what a
//! run prints is the same with it and without it.

use crate::api::{Progress, Stage};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// One stretch of the display (cleared when dropped).
pub(crate) struct Display {
    bar: ProgressBar,
}

impl Display {
    /// A display with `message` on a spinner; hidden when `quiet` or when
    /// stderr is not a terminal.
    pub(crate) fn new(quiet: bool, message: &str) -> Display {
        Display::to(
            !quiet && std::io::stderr().is_terminal(),
            ProgressDrawTarget::stderr(),
            message,
        )
    }

    /// A display drawn on `target` when `visible`.
    fn to(visible: bool, target: ProgressDrawTarget, message: &str) -> Display {
        let bar = if visible {
            let bar = ProgressBar::with_draw_target(None, target);
            bar.set_style(spinner());
            bar.set_message(message.to_string());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        } else {
            ProgressBar::hidden()
        };
        Display { bar }
    }

    /// Clears the display for good.
    pub(crate) fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        self.clear();
    }
}

impl Progress for Display {
    fn stage(&self, stage: Stage, total: usize) {
        match stage {
            Stage::Reading => {
                self.bar.set_style(
                    ProgressStyle::with_template(
                        "{spinner} {msg} {bar:30} {human_pos}/{human_len} files ({elapsed})",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                self.bar.set_length(total as u64);
                self.bar.set_position(0);
                self.bar.set_message("reading the stack");
            }
            Stage::Applying => {
                self.bar.set_style(spinner());
                self.bar.set_message("applying the rules");
            }
        }
    }

    fn step(&self) {
        self.bar.inc(1);
    }
}

/// A spinner, its message and the time so far.
fn spinner() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_displays_take_every_call_and_draw_nothing() {
        let d = Display::new(true, "loading the stack");
        assert!(d.bar.is_hidden());
        d.stage(Stage::Reading, 3);
        d.step();
        d.stage(Stage::Applying, 0);
        d.clear();
    }

    /// A terminal that keeps every line written to it, and whether the
    /// last thing done was to clear the line.
    #[derive(Clone, Debug, Default)]
    struct Recorder(std::sync::Arc<std::sync::Mutex<(Vec<String>, bool)>>);

    impl indicatif::TermLike for Recorder {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            let mut seen = self
                .0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?;
            if !s.trim().is_empty() {
                seen.0.push(s.to_string());
                seen.1 = false;
            }
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            let mut seen = self
                .0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?;
            seen.1 = true;
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_bar_counts_files_then_the_spinner_names_the_stage_and_all_is_cleared() {
        let term = Recorder::default();
        let d = Display::to(
            true,
            ProgressDrawTarget::term_like_with_hz(Box::new(term.clone()), 100),
            "loading the stack",
        );
        // The steady tick draws every 100 ms.
        let draw = || std::thread::sleep(Duration::from_millis(250));
        draw();
        d.stage(Stage::Reading, 1200);
        (0..1000).for_each(|_| d.step());
        draw();
        d.stage(Stage::Applying, 0);
        draw();
        drop(d);
        let (lines, cleared) = term.0.lock().unwrap().clone();
        let has = |what: &str| lines.iter().any(|l| l.contains(what));
        assert!(has("loading the stack"), "{lines:?}");
        assert!(
            has("reading the stack") && has("1,000/1,200 files"),
            "{lines:?}"
        );
        assert!(has("applying the rules"), "{lines:?}");
        assert!(cleared, "the display is left on the terminal: {lines:?}");
    }
}
