//! Turning a command-line path into a component: a `.wasm` file as it is, or a guest
//! crate folder built with cargo.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::Context as _;
use serde::Deserialize;

/// A component ready to load, and the app name it defaults to.
#[derive(Clone, Debug)]
pub struct Built {
    /// Path of the component file.
    pub wasm: PathBuf,
    /// The crate's package name, or the file's stem.
    pub default_name: String,
}

/// Kind of thing a command-line path names.
#[derive(Clone, Debug)]
pub enum Source {
    /// A component file.
    Wasm(PathBuf),
    /// A crate folder with a `Cargo.toml`.
    Crate(PathBuf),
}

impl Source {
    /// Classifies `path`, failing when it is neither a `.wasm` file nor a crate folder.
    pub fn from_path(path: &Path) -> anyhow::Result<Self> {
        if path.is_dir() {
            if path.join("Cargo.toml").is_file() {
                return Ok(Source::Crate(path.to_owned()));
            }
            anyhow::bail!("folder `{}` has no `Cargo.toml`: pass a guest crate folder or a `.wasm` file", path.display());
        }
        if path.is_file() {
            return Ok(Source::Wasm(path.to_owned()));
        }
        anyhow::bail!("`{}` does not exist", path.display())
    }

    /// Builds the crate (a `.wasm` needs no build) and returns the component's path.
    pub async fn build(&self) -> anyhow::Result<Built> {
        match self {
            Source::Wasm(path) => Ok(Built { wasm: path.clone(), default_name: file_stem(path) }),
            Source::Crate(dir) => build_crate(dir).await,
        }
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default()
}

/// One line of cargo's `--message-format=json` output that this module reads.
#[derive(Deserialize)]
struct CargoMessage {
    reason: String,
    #[serde(default)]
    package_id: String,
    #[serde(default)]
    manifest_path: PathBuf,
    #[serde(default)]
    filenames: Vec<PathBuf>,
}

/// Builds the crate in `dir` for `wasm32-wasip2` in release mode, or with
/// `cargo component` when the crate has `[package.metadata.component]` and that
/// subcommand is installed. The compiler's messages go to this process's stderr.
async fn build_crate(dir: &Path) -> anyhow::Result<Built> {
    let manifest = dir.join("Cargo.toml").canonicalize().with_context(|| format!("failed to read `{}`", dir.display()))?;
    let uses_cargo_component = std::fs::read_to_string(&manifest)
        .map(|text| text.contains("[package.metadata.component]"))
        .unwrap_or(false)
        && cargo_component_installed().await;

    let mut command = tokio::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    if uses_cargo_component {
        command.args(["component", "build", "--release"]);
    } else {
        command.args(["build", "--release", "--target", "wasm32-wasip2"]);
    }
    command
        .arg("--message-format=json-render-diagnostics")
        .arg("--manifest-path")
        .arg(&manifest)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // `output()` would capture stderr as well; spawning keeps the compiler's messages
    // on this process's stderr, where the developer sees them.
    let child = command.spawn().context("failed to run cargo")?;
    let output = child.wait_with_output().await.context("failed to run cargo")?;
    if !output.status.success() {
        anyhow::bail!("failed to build crate `{}`: see the compiler's messages above", dir.display());
    }

    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines().rev() {
        let Ok(message) = serde_json::from_str::<CargoMessage>(line) else { continue };
        if message.reason != "compiler-artifact" || message.manifest_path != manifest {
            continue;
        }
        if let Some(wasm) = message.filenames.iter().find(|file| file.extension().is_some_and(|ext| ext == "wasm")) {
            return Ok(Built { wasm: wasm.clone(), default_name: package_name(&message.package_id, &manifest) });
        }
    }
    anyhow::bail!(
        "building `{}` produced no `.wasm`: set `crate-type = [\"cdylib\"]` under `[lib]` in its Cargo.toml",
        dir.display()
    )
}

async fn cargo_component_installed() -> bool {
    tokio::process::Command::new("cargo")
        .args(["component", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await
        .is_ok_and(|status| status.success())
}

/// Reads the package name from a cargo package id such as
/// `path+file:///src/hello#0.1.0` or `path+file:///src/x#hello@0.1.0`.
fn package_name(package_id: &str, manifest: &Path) -> String {
    let from_id = package_id.rsplit_once('#').and_then(|(url, fragment)| match fragment.split_once('@') {
        Some((name, _version)) => Some(name.to_owned()),
        None => url.rsplit('/').next().map(str::to_owned),
    });
    from_id.unwrap_or_else(|| manifest.parent().map(file_stem).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_name_from_folder_id() {
        let name = package_name("path+file:///src/hello#0.1.0", Path::new("/src/hello/Cargo.toml"));
        assert_eq!(name, "hello");
    }

    #[test]
    fn package_name_from_named_id() {
        let name = package_name("path+file:///src/x#hello-app@0.1.0", Path::new("/src/x/Cargo.toml"));
        assert_eq!(name, "hello-app");
    }
}
