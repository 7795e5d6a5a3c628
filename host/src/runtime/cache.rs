//! Precompiled components cached on disk by content hash, so that serving the same
//! `.wasm` again skips Cranelift.

use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Whether a component came from the cache or was compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileOutcome {
    /// Loaded from a precompiled artifact.
    Cached,
    /// Compiled with Cranelift (and stored when a cache is set).
    Compiled,
}

/// Compiles `bytes` into a component, or loads the artifact an earlier run stored
/// under `cache_dir`.
///
/// The artifact's name combines the SHA-256 of the component with the engine's
/// compatibility hash, so an artifact from another wasmtime version or other
/// settings is never loaded.
pub fn load_component(
    engine: &Engine,
    bytes: &[u8],
    cache_dir: Option<&Path>,
) -> anyhow::Result<(Component, CompileOutcome)> {
    let Some(cache_dir) = cache_dir else {
        return Ok((Component::new(engine, bytes)?, CompileOutcome::Compiled));
    };
    let artifact = artifact_path(engine, bytes, cache_dir);

    if artifact.is_file() {
        match deserialize(engine, &artifact) {
            Ok(component) => return Ok((component, CompileOutcome::Cached)),
            Err(error) => tracing::warn!(
                path = %artifact.display(),
                cause = %format!("{error:#}"),
                "ignoring unreadable precompiled component"
            ),
        }
    }

    let component = Component::new(engine, bytes)?;
    if let Err(error) = store(&component, &artifact) {
        tracing::warn!(
            path = %artifact.display(),
            cause = %format!("{error:#}"),
            "failed to store precompiled component"
        );
    }
    Ok((component, CompileOutcome::Compiled))
}

fn artifact_path(engine: &Engine, bytes: &[u8], cache_dir: &Path) -> PathBuf {
    let digest = Sha256::digest(bytes);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    let name = format!("{digest:x}-{:016x}.cwasm", hasher.finish());
    cache_dir.join(name)
}

#[allow(
    unsafe_code,
    reason = "wasmtime cannot check a precompiled artifact; only this module writes \
              into the cache folder, under a name derived from the source's hash"
)]
fn deserialize(engine: &Engine, artifact: &Path) -> anyhow::Result<Component> {
    // SAFETY: the file was written by `store` below from `Component::serialize` of
    // the same engine configuration (the name carries the compatibility hash).
    unsafe { Ok(Component::deserialize_file(engine, artifact)?) }
}

/// Writes the artifact to a temporary file and renames it into place, so a reader
/// never sees a half-written artifact.
fn store(component: &Component, artifact: &Path) -> anyhow::Result<()> {
    let dir = artifact.parent().context("cache path has no parent folder")?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create cache folder `{}`", dir.display()))?;
    let bytes = component.serialize()?;
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("failed to create a file in `{}`", dir.display()))?;
    std::io::Write::write_all(&mut file, &bytes)
        .with_context(|| format!("failed to write `{}`", file.path().display()))?;
    file.persist(artifact)
        .with_context(|| format!("failed to write `{}`", artifact.display()))?;
    Ok(())
}
