//! A browser-like HTTP client for the running app: cookies kept, redirects
//! shown, signed in through the login form with its CSRF token.

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of a hidden `csrf` field in a page.
pub fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    page[at..].split('"').next().unwrap().to_owned()
}

/// Signs in as the first admin that `TestDb` creates.
pub async fn sign_in(
    client: &reqwest::Client,
    address: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    let form = client
        .get(format!("{address}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    client
        .post(format!("{address}/login"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", &csrf_of(&form)),
            ("next", "/visits"),
        ])
        .send()
        .await
        .unwrap()
}

pub const ADMIN: (&str, &str) = ("admin@sapar.test", "admin-password-for-tests");

/// A page: its status and its text.
pub async fn page(client: &reqwest::Client, url: String) -> (u16, String) {
    let answer = client.get(url).send().await.expect("an answer");
    (
        answer.status().as_u16(),
        answer.text().await.expect("a page"),
    )
}

/// A browser-like client signed in as the first admin.
pub async fn signed_in_as_admin(app: &crate::support::TestApp) -> reqwest::Client {
    let client = browser();
    sign_in(&client, &app.address, ADMIN.0, ADMIN.1).await;
    client
}
