//! Shell tooling: completion scripts and man pages generated from the clap declarations, and
//! `--color` with NO_COLOR and CLICOLOR_FORCE (README.md documents the precedence).

mod common;

use std::process::Command;

use common::ticketkpi;

const SMALL: &str = "tests/fixtures/small.csv";
/// What a styled heading starts with (bold).
const ESC: &str = "\u{1b}[";

#[test]
fn completions_for_each_shell_name_the_commands_and_options() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = ticketkpi(["completions", shell]).text();
        for word in [
            "ticketkpi",
            "report",
            "tickets",
            "period",
            "color",
            "skip-invalid",
        ] {
            assert!(script.contains(word), "{shell}: the script lacks {word}");
        }
    }
}

#[test]
fn the_bash_script_is_valid_bash() {
    let dir = common::scratch();
    let script = dir.write("ticketkpi.bash", ticketkpi(["completions", "bash"]).text());
    let status = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .expect("bash runs");
    assert!(status.success(), "bash -n rejects the completion script");
    // Sourced, it registers the completion function for ticketkpi.
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p ticketkpi",
            script.display()
        ))
        .output()
        .expect("bash runs");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("_ticketkpi"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_unsupported_shell_is_a_usage_error() {
    ticketkpi(["completions", "tcsh"])
        .fails_with(2)
        .stderr_has("powershell");
}

#[test]
fn man_prints_roff_for_ticketkpi_and_for_each_command() {
    let page = ticketkpi(["man"]).text();
    assert!(page.contains(".TH ticketkpi 1"), "{page}");
    assert!(
        page.contains("Exit codes"),
        "the page documents the exit codes"
    );
    for command in ["report", "tickets", "sla", "inspect", "init", "schema"] {
        let page = ticketkpi(["man", command]).text();
        assert!(
            page.contains(&format!(".TH ticketkpi-{command} 1")),
            "{command}: {page}"
        );
        assert!(
            page.contains(env!("CARGO_PKG_VERSION")),
            "{command}: no version"
        );
    }
}

#[test]
fn the_man_page_renders_with_groff() {
    if Command::new("groff").arg("--version").output().is_err() {
        println!("SKIPPED: groff not found");
        return;
    }
    let dir = common::scratch();
    let page = dir.write("ticketkpi-report.1", ticketkpi(["man", "report"]).text());
    let output = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww"])
        .arg(&page)
        .output()
        .expect("groff runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(text.contains("--period"), "{text}");
    assert!(
        String::from_utf8_lossy(&output.stderr).trim().is_empty(),
        "groff warns: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn man_of_an_unknown_command_is_a_usage_error_naming_the_commands() {
    ticketkpi(["man", "reprot"])
        .fails_with(2)
        .stderr_has("report");
}

fn table(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut run = ticketkpi(["report", SMALL]).args(args);
    for (key, value) in env {
        run = run.env(key, value);
    }
    run.text()
}

#[test]
fn a_pipe_is_not_styled_by_default() {
    assert!(!table(&[], &[]).contains(ESC));
}

#[test]
fn color_always_styles_a_pipe_and_never_styles_nothing() {
    assert!(table(&["--color", "always"], &[]).contains(ESC));
    assert!(table(&["--color", "always"], &[("NO_COLOR", "1")]).contains(ESC));
    assert!(!table(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
}

#[test]
fn clicolor_force_styles_a_pipe_unless_no_color_is_set() {
    assert!(table(&[], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    assert!(!table(&[], &[("CLICOLOR_FORCE", "0")]).contains(ESC));
    assert!(!table(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains(ESC));
}

#[test]
fn styling_changes_no_word_of_the_table_and_never_touches_json_or_files() {
    let plain = table(&[], &[]);
    let styled = table(&["--color", "always"], &[]);
    let unstyled = strip_escapes(&styled);
    assert_eq!(common::flat(&unstyled), common::flat(&plain));
    let json = ticketkpi(["report", SMALL, "--format", "json", "--color", "always"]).text();
    assert!(!json.contains(ESC));
    let dir = common::scratch();
    let file = dir.path().join("report.txt");
    ticketkpi(["report", SMALL, "--color", "always", "-o"])
        .arg(&file)
        .success();
    let written = std::fs::read_to_string(&file).expect("the report file");
    assert!(!written.contains(ESC), "a file is never styled");
}

#[test]
fn color_is_a_global_option_with_three_values() {
    ticketkpi(["--color", "never", "report", SMALL]).success();
    ticketkpi(["report", SMALL, "--color", "sometimes"])
        .fails_with(2)
        .stderr_has("auto");
}

/// `text` without its SGR escape sequences (ESC [ ... m).
fn strip_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('\u{1b}') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        match rest.find('m') {
            Some(end) => rest = &rest[end + 1..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}
