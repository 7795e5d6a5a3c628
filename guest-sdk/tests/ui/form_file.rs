use fnhost_sdk::{UploadFile, webhook};

#[webhook(method = "POST")]
fn f(#[param(form)] file: UploadFile) -> usize {
    file.size()
}

fn main() {}
