//! Reading doc comments.

use syn::{Attribute, Expr, ExprLit, Lit, Meta};

/// Returns the doc comment's text, each line without the space after `///`.
pub(crate) fn doc_text(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        let Meta::NameValue(meta) = &attr.meta else {
            continue;
        };
        if !meta.path.is_ident("doc") {
            continue;
        }
        if let Expr::Lit(ExprLit {
            lit: Lit::Str(text),
            ..
        }) = &meta.value
        {
            let text = text.value();
            lines.extend(
                text.split('\n')
                    .map(|line| line.strip_prefix(' ').unwrap_or(line).to_string()),
            );
        }
    }
    lines.join("\n").trim().to_string()
}

/// Returns the first paragraph of the doc comment, its lines joined by spaces.
pub(crate) fn summary(attrs: &[Attribute]) -> Option<String> {
    let text = doc_text(attrs);
    let first: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|line| !line.is_empty())
        .collect();
    (!first.is_empty()).then(|| first.join(" "))
}

/// Returns the whole doc comment, or `None` without one.
pub(crate) fn description(attrs: &[Attribute]) -> Option<String> {
    let text = doc_text(attrs);
    (!text.is_empty()).then_some(text)
}
