// End-to-end test of the VS Code extension in code-server, driven in
// headless Chromium with playwright-core:
//   node vscode_e2e.mjs URL SCREENSHOT_PATH
// Opens the demo plan from the Explorer, waits for the EP101 diagnostic in the
// Problems panel, runs "ExecPlan: Mark Progress Item Done" on the unchecked
// item and checks the editor text, the status bar, and "Show Plans Overview"
// (the report page in a webview). Saves a screenshot on failure.
import { createRequire } from "module";

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE ?? "playwright-core");

const [url, screenshot] = process.argv.slice(2);
const STEP = 60_000;

function ok(text) {
  console.log(`ok - ${text}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
try {
  await page.goto(url);
  await page.waitForSelector(".monaco-workbench", { timeout: STEP });
  ok("the workbench loads");

  // The Explorer shows the workspace; open .agent, plans, demo.md in turn.
  // A click on a folder that is still rendering can select it without
  // expanding it, so each step waits for the next row and otherwise presses
  // Right (expand) on the selected folder.
  const row = (name) =>
    page.locator(".explorer-folders-view .monaco-list-row", {
      has: page.locator(".label-name", { hasText: new RegExp(`^${name.replace(".", "\\.")}$`) }),
    }).first();
  const path = [".agent", "plans", "demo.md"];
  await row(path[0]).waitFor({ timeout: STEP });
  for (let i = 0; i < path.length; i++) {
    await row(path[i]).click();
    const next = path[i + 1];
    if (!next) {
      break;
    }
    try {
      await row(next).waitFor({ timeout: 5_000 });
    } catch {
      await page.keyboard.press("ArrowRight");
      await row(next).waitFor({ timeout: STEP });
    }
  }
  await page.waitForSelector(".monaco-editor .view-lines", { timeout: STEP });
  ok("the plan opens from the Explorer");

  // Problems panel.
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+Shift+M");
  const problem = page.locator(".markers-panel .monaco-list-row", { hasText: "Missing living section" });
  await problem.first().waitFor({ timeout: STEP });
  ok("the EP101 diagnostic is in the Problems panel");

  // Cursor on the unchecked item (line 12), then the command from the palette.
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+G");
  await page.keyboard.type("12");
  await page.keyboard.press("Enter");
  await page.keyboard.press("F1");
  await page.keyboard.type("ExecPlan: Mark Progress Item Done");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "Mark Progress Item Done" }).first().waitFor({ timeout: STEP });
  await page.keyboard.press("Enter");
  const stamped = /- \[x\] \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z\) Measure the hit rate\./;
  await page.waitForFunction(
    (source) => {
      const lines = [...document.querySelectorAll(".monaco-editor .view-lines .view-line")].map((l) => l.textContent.replace(/\u00a0/g, " "));
      return lines.some((l) => new RegExp(source).test(l));
    },
    stamped.source,
    { timeout: STEP },
  );
  ok("Mark Progress Item Done checks the item and stamps it");

  // The status bar shows the plan's progress (2 of 2 items done now).
  await page.locator(".statusbar-item", { hasText: "2/2" }).first().waitFor({ timeout: STEP });
  ok("the status bar shows the plan's progress, 2/2");

  // "Show Plans Overview" opens `execplan-ls report`'s page in a webview: the
  // demo plan's row, with its progress, is in one of the webview's frames.
  await page.keyboard.press("F1");
  await page.keyboard.type("ExecPlan: Show Plans Overview");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "Show Plans Overview" }).first().waitFor({ timeout: STEP });
  await page.keyboard.press("Enter");
  const deadline = Date.now() + STEP;
  let shown;
  while (!shown && Date.now() < deadline) {
    for (const frame of page.frames()) {
      const text = await frame
        .$eval('#plans tbody tr[data-path=".agent/plans/demo.md"] td.progress', (td) => td.innerText)
        .catch(() => undefined);
      if (text) {
        shown = text.trim();
        break;
      }
    }
    if (!shown) await page.waitForTimeout(250);
  }
  if (shown !== "2/2") {
    throw new Error(`the Plans Overview webview did not show the demo plan at 2/2 (got ${shown})`);
  }
  ok("Show Plans Overview opens the report in a webview, the demo plan at 2/2");
} catch (error) {
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  console.error(`vscode e2e: FAIL: ${error.message}\nscreenshot: ${screenshot}`);
  await browser.close();
  process.exit(1);
}
await browser.close();
