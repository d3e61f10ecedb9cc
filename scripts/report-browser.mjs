// The report page in headless Chromium, driven with playwright-core:
//   node scripts/report-browser.mjs REPORT.html CHECK.json SCREENSHOT.png STALLED_PATH FRESH_PATH
// Fails (exit 1) when the page logs a console error, throws, asks for
// anything outside itself, shows findings other than `check --format json`
// gives (CHECK.json), does not mark STALLED_PATH as stalled (or marks
// FRESH_PATH), or does not sort by a clicked column. Saves a full-page
// screenshot either way.
import { createRequire } from "module";
import { readFileSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { pathToFileURL } from "url";

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE ?? "playwright-core");

const [reportPath, checkPath, screenshot, stalledPath, freshPath] = process.argv.slice(2);
const problems = [];
const ok = (text) => console.log(`report-browser: ok - ${text}`);
const expect = (condition, text) => {
  if (!condition) problems.push(text);
  return condition;
};

const check = JSON.parse(readFileSync(checkPath, "utf8"));
const expected = new Map();
for (const file of check.files) {
  const counts = { errors: 0, warnings: 0, infos: 0, hints: 0 };
  for (const d of file.diagnostics) {
    counts[{ error: "errors", warning: "warnings", info: "infos", hint: "hints" }[d.severity]] += 1;
  }
  expected.set(file.path, counts);
}

const userData = mkdtempSync(join(tmpdir(), "execplan-report-chromium-"));
const context = await chromium.launchPersistentContext(userData, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1440, height: 900 },
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const page = context.pages()[0] ?? (await context.newPage());
const consoleErrors = [];
const outside = [];
page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") consoleErrors.push(m.text()); });
page.on("pageerror", (e) => consoleErrors.push(String(e)));
page.on("request", (r) => { if (!/^(file|data|about):/.test(r.url())) outside.push(r.url()); });

try {
  await page.goto(pathToFileURL(resolve(reportPath)).href, { waitUntil: "load" });
  await page.waitForSelector("#plans tbody tr");

  const rows = await page.$$eval("#plans tbody tr", (trs) => trs.map((tr) => {
    const text = (cls) => tr.querySelector(`td.${cls}`).innerText.trim();
    const fill = tr.querySelector(".bar .fill");
    return {
      path: tr.dataset.path,
      stalled: tr.classList.contains("stalled"),
      status: text("status"),
      progress: text("progress"),
      fill: parseFloat(fill.style.width),
      errors: Number(text("errors")),
      warnings: Number(text("warnings")),
      infos: Number(text("infos")),
      hints: Number(text("hints")),
      background: getComputedStyle(tr.cells[0]).backgroundColor,
      charted: !!tr.querySelector("svg.spark path.line"),
    };
  }));

  // The plans and their findings are check's.
  const plans = [...expected.keys()].filter((p) => !/(^|\/)AGENTS\.md$/i.test(p)).sort();
  expect(JSON.stringify(rows.map((r) => r.path).sort()) === JSON.stringify(plans),
    `rows ${rows.map((r) => r.path).sort()} are not check's plans ${plans}`);
  let mismatches = 0;
  for (const row of rows) {
    const want = expected.get(row.path);
    for (const key of ["errors", "warnings", "infos", "hints"]) {
      if (!want || row[key] !== want[key]) {
        mismatches += 1;
        problems.push(`${row.path}: page shows ${row[key]} ${key}, check gives ${want?.[key]}`);
      }
    }
    const [done, total] = row.progress.split("/").map(Number);
    const share = total === 0 ? 0 : (100 * done) / total;
    expect(Math.abs(row.fill - share) < 0.2, `${row.path}: bar at ${row.fill}% for ${row.progress}`);
  }
  const sum = (key) => rows.reduce((n, r) => n + r[key], 0);
  const card = async (id) => page.$eval(`#total-${id} .value`, (e) => e.innerText.trim());
  expect(Number(await card("plans")) === rows.length, "the plans card does not count the rows");
  expect(Number(await card("errors")) === sum("errors"), "the errors card is not the sum of the rows");
  expect(Number(await card("warnings")) === sum("warnings"), "the warnings card is not the sum of the rows");
  expect(Number(await card("stalled")) === rows.filter((r) => r.stalled).length, "the stalled card is wrong");
  if (mismatches === 0) ok(`${rows.length} plans, findings per severity match check --format json`);

  // Stalled plans stand out.
  const stalled = rows.find((r) => r.path === stalledPath);
  const fresh = rows.find((r) => r.path === freshPath);
  expect(stalled && stalled.stalled && stalled.status.startsWith("Stalled"), `${stalledPath} is not marked stalled`);
  expect(fresh && !fresh.stalled && !fresh.status.startsWith("Stalled"), `${freshPath} is marked stalled`);
  const plain = rows.find((r) => !r.stalled);
  expect(rows.filter((r) => r.stalled).every((r) => r.background !== plain.background),
    "stalled rows have the same background as the others");
  expect(stalled?.charted, `${stalledPath} has no chart of items done`);
  ok("the stalled plan is marked and coloured, the fresh one is not");

  // Sorting: errors ascending, then descending; plan titles alphabetically.
  const column = async (cls) => page.$$eval(`#plans tbody td.${cls}`, (tds) => tds.map((td) => td.dataset.sort));
  await page.click("#plans th.errors button");
  const up = (await column("errors")).map(Number);
  expect(up.every((v, i) => i === 0 || up[i - 1] <= v), `errors not ascending after a click: ${up}`);
  expect(await page.getAttribute("#plans th.errors", "aria-sort") === "ascending", "aria-sort not ascending");
  await page.click("#plans th.errors button");
  const down = (await column("errors")).map(Number);
  expect(down.every((v, i) => i === 0 || down[i - 1] >= v), `errors not descending after a second click: ${down}`);
  await page.click("#plans th.plan button");
  const titles = await column("plan");
  expect(titles.every((v, i) => i === 0 || titles[i - 1].localeCompare(v) <= 0), `titles not sorted: ${titles}`);
  // Back to the page's own order for the screenshot: stalled first.
  await page.click("#plans th.status button");
  ok("clicking a column header sorts by it, a second click reverses");

  expect(consoleErrors.length === 0, `console errors or warnings: ${consoleErrors.join(" | ")}`);
  expect(outside.length === 0, `requests outside the page: ${outside.join(" ")}`);
  if (consoleErrors.length === 0 && outside.length === 0) ok("no console error, no request outside the page");
} catch (e) {
  problems.push(String(e.stack ?? e));
} finally {
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  await context.close();
  rmSync(userData, { recursive: true, force: true });
}
if (problems.length) {
  for (const p of problems) console.error(`report-browser: FAIL: ${p}`);
  process.exit(1);
}
