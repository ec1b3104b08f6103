//! The dependency rule of STYLE.md: the domain is pure.

#[test]
fn the_domain_uses_no_database_http_mail_or_templates() {
    let mut offenders = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/domain"
    ))];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for (n, line) in source.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if [
                    "diesel",
                    "actix",
                    "lettre",
                    "askama",
                    "crate::db",
                    "crate::web",
                    "crate::services",
                    "crate::mail",
                ]
                .iter()
                .any(|word| code.contains(word))
                {
                    offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "src/domain must stay pure:\n{}",
        offenders.join("\n")
    );
}
