package dev.cutover.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live dashboard in a real headless browser (Debian's Chromium): a live migration appears and advances to the
 * confirmation gate without a reload, Confirm takes it to completed, and a refused action shows the server's reason.
 * {@code -Dcutover.screenshot=docs/dashboard.png} also saves the mid-migration screenshot there (relative to the
 * repository), and the completed migration's charts beside it ({@code dashboard-completed.png}); both are always saved
 * to {@code e2e-tests/target/}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration MIGRATION = Duration.ofSeconds(90);
    /** Selenium warns that it has no DevTools protocol for this Chromium: the test uses WebDriver only. Held: JUL loggers are weak. */
    private static final List<Logger> CDP_WARNINGS = List.of(Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    /** Notes every state and every step status the page shows, as it shows them. */
    private static final String RECORD = """
            window.statesShown = [];
            window.stepsShown = [];
            const note = () => {
              const state = document.getElementById('state');
              if (state && window.statesShown[window.statesShown.length - 1] !== state.textContent) {
                window.statesShown.push(state.textContent);
              }
              document.querySelectorAll('table.steps tr[data-step]').forEach(row => {
                const seen = row.dataset.step + ':' + row.className;
                if (!window.stepsShown.includes(seen)) window.stepsShown.push(seen);
              });
            };
            note();
            new MutationObserver(note).observe(document.getElementById('detail'), {childList: true, subtree: true, characterData: true});
            """;

    @Test
    void followsAMigrationLiveToTheGateConfirmsItAndShowsWhyAnActionIsRefused(@TempDir Path profile) throws IOException {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "DashboardIT drives Debian's Chromium: "
                + CHROMIUM + " and " + CHROMEDRIVER + " are needed (apt-get install -y chromium chromium-driver; .ci/run does it)");
        Stack.environment("dash", "dash.example.com");
        ChromeDriver browser = chromium(profile);
        try {
            WebDriverWait wait = new WebDriverWait(browser, MIGRATION);
            // As ./cutover up prints it: the token in the address's fragment, which the page turns into its cookie.
            browser.get(Stack.api() + "/#token=" + Stack.get().userToken());
            wait.until(textToBe(By.id("live"), "live"));
            // Gone if the page were loaded again: every change below must arrive through the open page.
            browser.executeScript("window.sameDocument = true");

            // live: the charts show its replication lag too.
            String id = Stack.start("dash", Map.of("strategy", "live"));
            wait.until(elementToBeClickable(By.cssSelector("#list a[data-id='" + id + "']"))).click();
            wait.until(textToBePresentInElementLocated(By.cssSelector("#summary h2"), "dash → dash-eu-2"));
            browser.executeScript(RECORD);

            wait.until(textToBe(By.id("state"), "awaiting-confirmation"));
            List<?> states = (List<?>) browser.executeScript("return window.statesShown");
            List<?> steps = (List<?>) browser.executeScript("return window.stepsShown");
            assertTrue(states.size() >= 2 && states.indexOf("awaiting-confirmation") == states.size() - 1,
                    "the page showed the migration advance: " + states);
            assertTrue(steps.stream().anyMatch(s -> s.toString().matches("(prepare|sync|verify):(dispatched|running)"))
                    && steps.containsAll(List.of("prepare:completed", "sync:completed", "verify:completed")),
                    "the page showed steps run and complete: " + steps);
            // Read in one act (see text()): the replication lag reports redraw the step rows while the migration waits at the gate.
            @SuppressWarnings("unchecked")
            List<String> sync = (List<String>) browser.executeScript("const r = document.querySelector(\"table.steps tr[data-step='sync']\");"
                    + " return [r.querySelector('[role=progressbar]').getAttribute('aria-valuenow'), r.innerText.replace(/\\s+/g, ' ')];");
            assertEquals("100", sync.get(0));
            assertTrue(sync.get(1).matches("(?s).*\\d+ tables · [\\d,]+ rows · [\\d.]+ [kM]?B.*"), sync.get(1));
            String check = text(browser, "table.preflight tr[data-check='environment-exists']");
            assertTrue(check.matches("environment-exists blocker pass environment dash exists.*"), check);
            assertEquals(Stack.migration(id).path("history").size(),
                    ((Number) browser.executeScript("return document.querySelectorAll('table.history tbody tr').length")).intValue(),
                    "the page shows the whole history");
            assertEquals("—", text(browser, "#freeze"), "no freeze before the switch-over");
            // The charts: the replication's lag over time (a point per report, so it waits for a second one) and the copy.
            wait.until(d -> ((Number) browser.executeScript("const l = document.querySelector(\"#lag-chart polyline[data-series='main']\");"
                    + " return l ? Number(l.dataset.points) : 0")).intValue() >= 2);
            long tablesBytes = 0;
            long copiedBytes = -1;
            int copySamples = 0;
            for (JsonNode sample : Stack.HTTP.get(Stack.api() + "/migrations/" + id + "/samples").orThrow().body()) {
                JsonNode figures = sample.path("figures");
                if ("sync".equals(sample.path("step").asText()) && figures.has("bytes")) {
                    tablesBytes += figures.path("bytes").asLong();
                } else if ("sync".equals(sample.path("step").asText()) && figures.has("copiedBytes")) {
                    copiedBytes = figures.path("copiedBytes").asLong();
                    copySamples++;
                }
            }
            String copy = text(browser, "#copy-chart figcaption");
            assertTrue(copy.matches("First copy: [\\d.]+ [kM]?B in [\\d.]+ (ms|s), [\\d.]+ [kM]?B/s"), copy);
            assertEquals(tablesBytes, copiedBytes, "the throughput's last sample is every table's bytes");
            assertEquals(1 + copySamples, ((Number) browser.executeScript(
                    "return Number(document.querySelector(\"#copy-chart polyline[data-series='main']\").dataset.points)")).intValue(),
                    "the copy drawn from its start through every sample of its throughput");
            screenshot(browser, "");

            browser.findElement(By.id("confirm")).click();
            wait.until(textToBe(By.id("state"), "completed"));
            assertEquals("Confirmed: the switch-over goes ahead.", browser.findElement(By.id("message")).getText());
            String freeze = text(browser, "#freeze");
            assertTrue(freeze.matches("\\d+ ms|[\\d.]+ s"), freeze);
            // The switch-over's timeline: each step inside it as long as the API says, and the fence inside the final sync.
            JsonNode done = Stack.migration(id);
            @SuppressWarnings("unchecked")
            Map<String, Object> timeline = (Map<String, Object>) browser.executeScript("return Object.fromEntries("
                    + "[...document.querySelectorAll('#freeze-timeline g[data-part]')].map(g => [g.dataset.part, Number(g.dataset.ms)]))");
            Map<String, Long> expected = new LinkedHashMap<>();
            for (String step : List.of("catch-up", "freeze", "final-sync", "switch-over")) {
                expected.put(step, stepOf(done, step).path("durationMs").asLong());
            }
            expected.put("fence", stepOf(done, "final-sync").path("figures").path("fenceMillis").asLong());
            assertEquals(expected.keySet(), timeline.keySet(), "the timeline's parts");
            expected.forEach((part, ms) -> assertEquals(ms, ((Number) timeline.get(part)).longValue(), part));
            browser.executeScript("document.querySelector('.charts').scrollIntoView()");
            screenshot(browser, "-completed");
            assertTrue(text(browser, "#freeze-timeline figcaption").matches("The switch-over: writes held (\\d+ ms|[\\d.]+ s), \\d+ requests queued meanwhile"),
                    text(browser, "#freeze-timeline figcaption"));
            // Read at once: the way back goes on reporting its lag, and every report redraws the rows.
            @SuppressWarnings("unchecked")
            List<String> rows = (List<String>) browser.executeScript(
                    "return [...document.querySelectorAll('table.steps tbody tr')].map(r => r.innerText)");
            assertFalse(rows.isEmpty());
            for (String row : rows) {
                assertTrue(row.contains("completed"), row);
            }
            assertFalse(browser.findElement(By.id("confirm")).isEnabled());
            assertFalse(browser.findElement(By.id("abort")).isEnabled());
            assertFalse(browser.findElement(By.id("pause")).isEnabled(), "nothing replicates forward any more");
            assertTrue(browser.findElement(By.id("rollback")).isEnabled() && browser.findElement(By.id("finalize")).isEnabled(),
                    "a completed migration rolls back or is finalized");
            assertEquals(Boolean.TRUE, browser.executeScript("return window.sameDocument"), "the page was never reloaded");

            // A page that had missed the switch-over would still offer Abort: the server refuses, and the page says why.
            // Enabled and clicked in one act (the way back's lag reports redraw the page, and disable the button again), the
            // confirmation dialog answered yes.
            browser.executeScript("window.confirm = () => true; const b = document.getElementById('abort'); b.disabled = false; b.click();");
            wait.until(textToBePresentInElementLocated(By.id("message"), "Refused: "));
            String refusal = Stack.HTTP.post(Stack.api() + "/migrations/" + id + "/abort", null).body().path("detail").asText();
            assertEquals("Refused: " + refusal, browser.findElement(By.id("message")).getText());
            assertEquals("completed", Stack.migration(id).path("state").asText());
        } finally {
            browser.quit();
        }
    }

    private static JsonNode stepOf(JsonNode migration, String step) {
        for (JsonNode s : migration.path("steps")) {
            if (step.equals(s.path("step").asText())) {
                return s;
            }
        }
        throw new AssertionError("no step " + step + " in " + migration.path("steps"));
    }

    /**
     * The text of the first element matching {@code css} as WebDriver shows it (white space as single spaces), read in one
     * script: every event redraws the migration's detail, so an element found in one call may be gone by the next.
     */
    private static String text(ChromeDriver browser, String css) {
        return (String) browser.executeScript("return document.querySelector(arguments[0]).innerText.replace(/\\s+/g, ' ').trim()", css);
    }

    /** Debian's Chromium and chromedriver, named explicitly: nothing is looked up or downloaded. */
    private static ChromeDriver chromium(Path profile) {
        CDP_WARNINGS.forEach(l -> l.setLevel(Level.SEVERE));
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,1200");
        return new ChromeDriver(options);
    }

    /** The page as it is now, as {@code dashboard<suffix>.png} (and beside {@code cutover.screenshot}'s file with that suffix). */
    private static void screenshot(ChromeDriver browser, String suffix) throws IOException {
        Path shot = Path.of("target/dashboard" + suffix + ".png");
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        String wanted = System.getProperty("cutover.screenshot");
        if (wanted != null && !wanted.isBlank()) {
            Path target = Path.of(System.getProperty("cutover.home", "..")).resolve(wanted.replaceFirst("\\.png$", suffix + ".png"));
            Files.createDirectories(target.getParent());
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
