//! The pages in a real browser: headless Chromium driven over WebDriver (Debian's `chromium`
//! and `chromium-driver`, installed by `.ci/install-browser`). The main tasks end to end: a
//! cadre hands in a sheet, a leader reads it and nominates, the secretary proposes and the mayor
//! co-signs, the office publishes, an appeal is filed and overturned, and the board, the
//! timeline, the explanation and the explorer show the result. Then every page as every
//! person. Every request the pages make (read from Chromium's network log, which holds the
//! pages' navigations, form posts and subresources, not the browser's own housekeeping) must
//! go to the server on loopback. A failed step saves a screenshot under
//! `target/browser-screenshots/`.
//!
//! Without Chromium the tests say so and pass, unless `KAOHE_REQUIRE_BROWSER` is set, as
//! `.ci/run` sets it after installing the browser.

mod support;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser is here; if not, whether its absence fails the test.
fn browser_available() -> bool {
    let here =
        std::path::Path::new(CHROMIUM).exists() && std::path::Path::new(CHROMEDRIVER).exists();
    if !here {
        assert!(
            std::env::var_os("KAOHE_REQUIRE_BROWSER").is_none(),
            "KAOHE_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing: run .ci/install-browser"
        );
        eprintln!(
            "skipped: no {CHROMIUM} and {CHROMEDRIVER}; run .ci/install-browser to run the browser tests"
        );
    }
    here
}

/// The WebDriver command that reads (and empties) Chromium's performance log.
#[derive(Debug)]
struct PerformanceLog;

impl fantoccini::wd::WebDriverCompatibleCommand for PerformanceLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        (
            axum::http::Method::POST,
            Some(r#"{"type":"performance"}"#.to_owned()),
        )
    }
}

/// A headless Chromium session through chromedriver.
struct Browser {
    client: Client,
    driver: Child,
    base: String,
    shots: PathBuf,
    name: &'static str,
    _profile: tempfile::TempDir,
}

/// How many pages a PDF has: its page objects (`/Type /Page`, not `/Type /Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|window| window.starts_with(needle) && window[needle.len()] != b's')
        .count()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Browser {
    async fn start(name: &'static str, base: String) -> Browser {
        Browser::start_as(name, base, None).await
    }

    /// A session that renders pages as a phone does: a viewport `width` CSS pixels wide, at
    /// three device pixels per CSS pixel, with touch.
    async fn start_phone(name: &'static str, base: String, width: u32) -> Browser {
        Browser::start_as(name, base, Some(width)).await
    }

    async fn start_as(name: &'static str, base: String, phone: Option<u32>) -> Browser {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // chromedriver takes a moment to listen; wait for it, within a bound.
        let webdriver = format!("http://127.0.0.1:{port}");
        let mut ready = false;
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                ready = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(ready, "chromedriver did not start");
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-default-apps", "--disable-extensions",
                    "--no-first-run", "--disable-quic", "--window-size=1280,1600",
                    "--disable-features=AutofillServerCommunication,OptimizationHints,OptimizationHintsFetching,MediaRouter,Translate,NetworkTimeServiceQuerying",
                    "--disable-client-side-phishing-detection", "--disable-domain-reliability",
                    "--no-pings", "--dns-prefetch-disable", "--password-store=basic",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "perfLoggingPrefs": {"enableNetwork": true, "enablePage": false}
            }),
        );
        if let Some(width) = phone {
            capabilities["goog:chromeOptions"]["mobileEmulation"] = json!({
                "deviceMetrics": {"width": width, "height": 780, "pixelRatio": 3.0, "touch": true},
                "userAgent": "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0"
            });
        }
        capabilities.insert("goog:loggingPrefs".into(), json!({"performance": "ALL"}));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&webdriver)
            .await
            .expect("a Chromium session");
        let shots = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../target/browser-screenshots"
        ));
        std::fs::create_dir_all(&shots).unwrap();
        Browser {
            client,
            driver,
            base,
            shots,
            name,
            _profile: profile,
        }
    }

    /// Every URL the pages requested since the last call.
    async fn requested(&self) -> Vec<String> {
        let log = match self.client.issue_cmd(PerformanceLog).await {
            Ok(log) => log,
            Err(error) => {
                self.fail(&format!("cannot read the network log: {error}"))
                    .await
            }
        };
        log.as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| serde_json::from_str::<Value>(entry["message"].as_str()?).ok())
            .filter(|message| message["message"]["method"] == "Network.requestWillBeSent")
            .filter_map(|message| {
                message["message"]["params"]["request"]["url"]
                    .as_str()
                    .map(str::to_owned)
            })
            .collect()
    }

    /// Fail if a page requested anything but the server.
    async fn only_loopback(&self, seen: &mut usize) {
        let prefix = format!("{}/", self.base);
        for url in self.requested().await {
            // Only the network counts: the browser's own chrome:// and data: pages are local.
            let network = ["http:", "https:", "ws:", "wss:", "ftp:"]
                .iter()
                .any(|scheme| url.starts_with(scheme));
            if network && !url.starts_with(&prefix) {
                self.fail(&format!("a page requested {url}")).await;
            }
            *seen += usize::from(network);
        }
    }

    /// Stop here: save a screenshot and the page's source, then fail.
    /// The pages of the current page printed to A4 PDF, whole and without its appendix (the
    /// element `#proofs`, removed from the page for the second printing).
    async fn printed_pages(&self) -> (usize, usize) {
        let configuration = fantoccini::wd::PrintConfiguration::builder()
            .build()
            .expect("an A4 print configuration");
        let whole = match self.client.print(configuration.clone()).await {
            Ok(pdf) => pdf_pages(&pdf),
            Err(error) => self.fail(&format!("cannot print: {error}")).await,
        };
        if let Err(error) = self
            .client
            .execute("document.getElementById('proofs').remove()", Vec::new())
            .await
        {
            self.fail(&format!("cannot remove the appendix: {error}"))
                .await;
        }
        let before = match self.client.print(configuration).await {
            Ok(pdf) => pdf_pages(&pdf),
            Err(error) => self.fail(&format!("cannot print: {error}")).await,
        };
        (whole, before)
    }

    async fn fail(&self, what: &str) -> ! {
        let stem = format!(
            "{}-{}",
            self.name,
            what.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
                .collect::<String>()
                .replace(' ', "_")
        );
        let shot = self.shots.join(format!("{stem}.png"));
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(&shot, png);
        }
        let source = self.client.source().await.unwrap_or_default();
        let _ = std::fs::write(self.shots.join(format!("{stem}.html")), &source);
        let url = self
            .client
            .current_url()
            .await
            .map(|url| url.to_string())
            .unwrap_or_default();
        panic!("{what} (at {url}); screenshot {}", shot.display());
    }

    async fn goto(&self, path: &str) {
        if let Err(error) = self.client.goto(&format!("{}{path}", self.base)).await {
            self.fail(&format!("cannot open {path}: {error}")).await;
        }
    }

    async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(_) => self.fail(&format!("no {css}")).await,
        }
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_default()
    }

    async fn source(&self) -> String {
        self.client.source().await.unwrap_or_default()
    }

    /// Fail unless the page's text holds `words`.
    async fn sees(&self, words: &str) {
        let body = self.text("body").await;
        if !body.contains(words) {
            self.fail(&format!("expected {words:?} on the page")).await;
        }
    }

    async fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        let _ = element.clear().await;
        if element.send_keys(text).await.is_err() {
            self.fail(&format!("cannot type into {css}")).await;
        }
    }

    async fn click(&self, css: &str) {
        if self.find(css).await.click().await.is_err() {
            self.fail(&format!("cannot click {css}")).await;
        }
    }

    /// Click a button that submits a form or follows a link, and wait (within a bound) until
    /// the next page has replaced this one.
    async fn submit(&self, css: &str) {
        let page = self.find("html").await;
        self.click(css).await;
        for _ in 0..200 {
            if page.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        self.fail(&format!("clicking {css} led nowhere")).await;
    }

    /// Set a field's value directly (a date field's typing depends on the locale).
    async fn set(&self, css: &str, value: &str) {
        let element = self.find(css).await;
        let element = serde_json::to_value(&element).unwrap();
        if self
            .client
            .execute(
                "arguments[0].value = arguments[1];",
                vec![element, Value::from(value)],
            )
            .await
            .is_err()
        {
            self.fail(&format!("cannot set {css}")).await;
        }
    }

    /// Sign in through the form, as a person would.
    async fn sign_in(&self, token: &str) {
        let _ = self.client.delete_all_cookies().await;
        self.goto("/signin").await;
        self.type_into("#token", token).await;
        self.submit("#signin button").await;
    }

    async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[test]
fn the_main_tasks_end_to_end_in_chromium() {
    if !browser_available() {
        return;
    }
    let town = support::town();
    let addr = town.serve();
    let tokens = town.tokens.clone();
    town.runtime.block_on(async {
        let browser = Browser::start("main-tasks", format!("http://{addr}")).await;
        // A cadre hands in a late sheet and writes today's entry; a future day is refused in words.
        town.at("2026-04-01T09:00:00+08:00");
        browser.sign_in(&tokens["p003"]).await;
        browser.sees("王芳，您好").await;
        browser.goto("/record?month=2026-03").await;
        browser.submit("tr[data-period='2026-03-2'] button").await;
        // An act that cannot be undone is previewed and confirmed first.
        browser.sees("请确认").await;
        browser.submit("#confirm button").await;
        browser.sees("已记录，台账第").await;
        let row = browser.text("tr[data-period='2026-03-2']").await;
        if !row.contains("逾期上交") {
            browser.fail("the late sheet is not shown as late").await;
        }
        browser.goto("/record").await;
        browser.set("#date", "2026-04-05").await;
        browser.type_into("#did", "到西片走访").await;
        browser.submit("#write-entry button").await;
        browser.sees("未记录：不能预先填写2026年4月5日的记录").await;
        let kept = browser
            .find("#did")
            .await
            .prop("value")
            .await
            .ok()
            .flatten();
        if kept.as_deref() != Some("到西片走访") {
            browser.fail("the refused form lost what was typed").await;
        }
        browser.set("#date", "2026-04-01").await;
        browser.submit("#write-entry button").await;
        browser.sees("已记录").await;

        // The leader reads the sheet and names the best, citing it.
        browser.sign_in(&tokens["l02"]).await;
        browser.goto("/leader/2026-03").await;
        browser.submit("tr[data-person='p003'] form button").await;
        browser.sees("已记录").await;
        browser.click("#nominate input[value='best']").await;
        browser.type_into("#reason", "走访多，记录详实").await;
        browser
            .click("#nominate label[data-cadre='p003'] input")
            .await;
        browser.submit("#nominate button").await;
        // An act that cannot be undone is previewed and confirmed first.
        browser.sees("请确认").await;
        browser.submit("#confirm button").await;
        browser.sees("已记录").await;
        let nominations = browser.text("#nominations").await;
        if !nominations.contains("王芳") {
            browser.fail("the nomination is not listed").await;
        }

        // The secretary proposes; the mayor co-signs; the office publishes.
        town.at("2026-04-02T09:00:00+08:00");
        browser.sign_in(&tokens["s01"]).await;
        browser.goto("/decide/2026-Q1").await;
        browser
            .click("#propose input[name='best'][value='p001']")
            .await;
        browser
            .click("#propose input[name='best'][value='p003']")
            .await;
        browser
            .click("#propose input[name='worst'][value='p002']")
            .await;
        browser.submit("#propose button").await;
        browser.sees("已记录").await;
        if browser.client.find(Locator::Css("#cosign")).await.is_ok() {
            browser
                .fail("the proposer is offered the co-signature")
                .await;
        }
        browser.sign_in(&tokens["m01"]).await;
        browser.goto("/decide/2026-Q1").await;
        browser.submit("#cosign button").await;
        // An act that cannot be undone is previewed and confirmed first.
        browser.sees("请确认").await;
        browser.submit("#confirm button").await;
        browser.sees("季度公示板").await;
        browser.sign_in(&tokens["office"]).await;
        browser.goto("/quarters/2026-Q1").await;
        browser.submit("#publish button").await;
        // An act that cannot be undone is previewed and confirmed first.
        browser.sees("请确认").await;
        browser.submit("#confirm button").await;
        browser.sees("公示。").await;

        // The worst worker appeals from their year; the party committee overturns it.
        town.at("2026-04-03T09:00:00+08:00");
        browser.sign_in(&tokens["p002"]).await;
        browser.goto("/people/p002/2026").await;
        browser.click("#designations summary").await;
        browser
            .type_into(
                "#designations textarea[name='grounds']",
                "一月在县委党校培训两周",
            )
            .await;
        browser.submit("#designations form button").await;
        browser.sees("已记录").await;
        town.at("2026-04-05T09:00:00+08:00");
        browser.sign_in(&tokens["w01"]).await;
        browser.goto("/appeals").await;
        browser
            .click("#open-appeals input[value='overturned']")
            .await;
        browser
            .type_into(
                "#open-appeals input[name='reasons']",
                "培训属实，撤销最差评定",
            )
            .await;
        browser.submit("#open-appeals button").await;
        // An act that cannot be undone is previewed and confirmed first.
        browser.sees("请确认").await;
        browser.submit("#confirm button").await;
        browser.sees("已记录").await;
        let answered = browser.text("#answered-appeals").await;
        if !answered.contains("撤销原评定") {
            browser.fail("the answer is not listed").await;
        }

        // The board, the timeline, the explanation and the explorer show the result.
        browser.sign_in(&tokens["i01"]).await;
        browser.goto("/quarters/2026-Q1").await;
        let designations = browser.text("#designations").await;
        if !designations.contains("复评撤销") {
            browser.fail("the board does not show the overturn").await;
        }
        let sanctions = browser.text("#sanctions").await;
        if sanctions.matches("已撤销").count() != 3 {
            browser
                .fail("the board does not show three revoked sanctions")
                .await;
        }
        browser
            .submit("#designations tr[data-person='p002'] a")
            .await;
        browser.sees("已核验：").await;
        let source = browser.source().await;
        // Printed, the explanation of the overturned designation reads in plain words on at
        // most two A4 pages; the proofs follow as an appendix.
        let (whole, before_appendix) = browser.printed_pages().await;
        if before_appendix == 0 || before_appendix > 2 || whole <= before_appendix {
            browser
                .fail(&format!(
                    "the explanation prints on {before_appendix} pages before its appendix, {whole} in all"
                ))
                .await;
        }
        for step in [
            "appeal_filed",
            "appeal_answered",
            "sanction_revoked",
            "nomination_made",
        ] {
            if !source.contains(&format!("data-type=\"{step}\"")) {
                browser
                    .fail(&format!("the explanation has no {step}"))
                    .await;
            }
        }
        browser.goto("/people/p002/2026").await;
        let year = browser.text("#designations").await;
        if !year.contains("复评撤销") {
            browser
                .fail("the timeline does not show the overturn")
                .await;
        }
        browser.goto("/ledger").await;
        browser.sees("appeal_answered").await;
        browser.submit("#events tr:last-child a").await;
        browser.sees("包含证明已验证").await;
        browser.goto("/ledger/checkpoint").await;
        browser.sees(kaohe_testkit::ORIGIN).await;
        let mut seen = 0;
        browser.only_loopback(&mut seen).await;
        assert!(seen > 40, "{seen} requests seen in the network log");
        browser.close().await;
    });
}

#[test]
fn every_page_as_every_person_in_chromium_requests_nothing_outside_loopback() {
    if !browser_available() {
        return;
    }
    let town = support::decided();
    let addr = town.serve();
    let pages: Vec<String> = support::pages(&town)
        .into_iter()
        .filter(|path| !path.starts_with("/exports"))
        .collect();
    town.runtime.block_on(async {
        let browser = Browser::start("every-page", format!("http://{addr}")).await;
        let mut seen = 0;
        let people = support::people();
        for person in &people {
            browser
                .goto(&format!("/signin?token={}", town.tokens[*person]))
                .await;
            for path in &pages {
                browser.goto(path).await;
                let title = browser.client.title().await.unwrap_or_default();
                if title.starts_with('5') {
                    browser.fail(&format!("{path} as {person}: {title}")).await;
                }
                browser.only_loopback(&mut seen).await;
            }
        }
        eprintln!(
            "{} pages as {} people: {seen} requests, all to the server",
            pages.len(),
            people.len()
        );
        assert!(seen >= pages.len() * people.len());
        browser.close().await;
    });
}

/// What sticks out of the viewport, if anything: the page's width against the viewport's, and
/// the first few elements whose right edge passes it, named by tag, class and text.
const OVERFLOW: &str = r#"
const width = document.documentElement.clientWidth;
const wide = document.documentElement.scrollWidth;
if (wide <= width) { return ""; }
const out = [];
for (const el of document.querySelectorAll("body *")) {
  const r = el.getBoundingClientRect();
  if (r.right > width + 1 && out.length < 5) {
    out.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " ("
      + Math.round(r.right) + "px): " + (el.textContent || "").trim().slice(0, 40));
  }
}
return "page " + wide + "px wide in a " + width + "px viewport; " + out.join("; ");
"#;

/// The tables that scroll sideways inside themselves on this page (allowed, but counted).
const SCROLLING_TABLES: &str = r#"
return Array.from(document.querySelectorAll("table"))
  .filter(t => t.scrollWidth > t.clientWidth + 1)
  .map(t => (t.querySelector("th") || t).textContent.trim().slice(0, 12) + " " + t.scrollWidth + "px");
"#;

#[test]
fn every_page_as_every_person_fits_a_phone_360_px_wide() {
    if !browser_available() {
        return;
    }
    let town = support::decided();
    let addr = town.serve();
    let pages: Vec<String> = support::pages(&town)
        .into_iter()
        .filter(|path| !path.starts_with("/exports"))
        .collect();
    town.runtime.block_on(async {
        let browser = Browser::start_phone("phone", format!("http://{addr}"), 360).await;
        // The pages declare `width=device-width`, so the layout viewport is the phone's.
        browser.goto("/signin").await;
        let viewport = browser
            .client
            .execute("return window.innerWidth;", vec![])
            .await
            .unwrap();
        assert_eq!(viewport, json!(360), "the emulated phone is 360 px wide");
        let mut wide = Vec::new();
        let mut scrolled = std::collections::BTreeSet::new();
        let people = support::people();
        for person in &people {
            browser
                .goto(&format!("/signin?token={}", town.tokens[*person]))
                .await;
            for path in &pages {
                browser.goto(path).await;
                let found = browser.client.execute(OVERFLOW, vec![]).await.unwrap();
                if let Some(found) = found.as_str().filter(|found| !found.is_empty()) {
                    wide.push(format!("{path} as {person}: {found}"));
                }
                let scrolling = browser
                    .client
                    .execute(SCROLLING_TABLES, vec![])
                    .await
                    .unwrap();
                for table in scrolling.as_array().into_iter().flatten() {
                    scrolled.insert(format!("{path}: {}", table.as_str().unwrap_or_default()));
                }
            }
        }
        eprintln!(
            "{} pages as {} people at 360 px: {} too wide",
            pages.len(),
            people.len(),
            wide.len()
        );
        eprintln!(
            "tables that scroll sideways inside the page: {}\n{}",
            scrolled.len(),
            scrolled.iter().cloned().collect::<Vec<_>>().join("\n")
        );
        if !wide.is_empty() {
            browser
                .fail(&format!("pages wider than the phone:\n{}", wide.join("\n")))
                .await;
        }
        browser.close().await;
    });
}
