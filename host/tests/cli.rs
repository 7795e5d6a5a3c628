//! Command-line parsing of the `fnhost` binary: usage errors exit with 2 and name
//! the bad value. Building this test also builds the binary that the end-to-end
//! tests in `tests/` start.

use std::process::Command;

fn fnhost(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_fnhost")).args(args).output().expect("fnhost runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn help_lists_serve() {
    let (code, stdout, _) = fnhost(&["--help"]);

    assert_eq!(code, 0);
    assert!(stdout.contains("serve"), "{stdout}");
}

#[test]
fn serve_without_path_is_usage_error() {
    let (code, _, stderr) = fnhost(&["serve"]);

    assert_eq!(code, 2);
    assert!(stderr.contains("<PATH>..."), "{stderr}");
}

#[test]
fn zero_timeout_is_rejected() {
    let (code, _, stderr) = fnhost(&["serve", "--timeout", "0", "app.wasm"]);

    assert_eq!(code, 2);
    assert!(stderr.contains("`0` must be above 0 and at most 86400 seconds"), "{stderr}");
}

#[test]
fn name_with_several_paths_is_rejected() {
    let (code, _, stderr) = fnhost(&["serve", "--name", "x", "a.wasm", "b.wasm"]);

    assert_eq!(code, 1);
    assert_eq!(stderr.trim(), "error: `--name` names one app, but 2 paths were given");
}

#[test]
fn invalid_app_name_is_rejected() {
    let folder = std::env::temp_dir().join(format!("fnhost-cli-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let wasm = folder.join("app.wasm");
    std::fs::write(&wasm, b"\0asm\x0d\0\x01\0").unwrap();

    let (code, _, stderr) = fnhost(&["serve", "--name", "Bad--Name", "--no-cache", wasm.to_str().unwrap()]);

    assert_eq!(code, 1);
    assert!(stderr.contains("invalid app name `Bad--Name`"), "{stderr}");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn negative_timeout_names_range() {
    let (code, _, stderr) = fnhost(&["serve", "--timeout", "-1", "app.wasm"]);

    assert_eq!(code, 2);
    assert!(stderr.contains("`-1` must be above 0 and at most 86400 seconds"), "{stderr}");
}

#[test]
fn memory_limit_out_of_range() {
    for value in ["1", "99999999"] {
        let (code, _, stderr) = fnhost(&["serve", "--memory-limit", value, "app.wasm"]);

        assert_eq!(code, 2, "{value}");
        assert!(stderr.contains(&format!("`{value}` must be a whole number of MiB from 16 to 4096")), "{stderr}");
    }
}
