-- End-to-end test of the Neovim integration in real Neovim 0.11, headless:
--   nvim --clean -l editors/tests/neovim_e2e.lua EDITORS_DIR PLAN_PATH
-- Uses editors/neovim exactly as a user would (runtimepath + vim.lsp.enable)
-- and exits non-zero with a message on the first failure.
local editors_dir, plan_path = arg[1], arg[2]
local TIMEOUT = 15000

local function say(text)
  io.stdout:write(text .. "\n")
end

local function fail(text)
  io.stderr:write("neovim e2e: FAIL: " .. text .. "\n")
  vim.cmd("cquit 1")
end

local function check(ok, text)
  if not ok then
    fail(text)
  end
  say("ok - " .. text)
end

vim.opt.rtp:prepend(editors_dir .. "/neovim")
vim.lsp.enable("execplan_ls")
require("execplan").setup({ keymaps = true })

vim.cmd.edit(vim.fn.fnameescape(plan_path))
local buf = vim.api.nvim_get_current_buf()

check(vim.wait(TIMEOUT, function()
  return #vim.lsp.get_clients({ bufnr = buf, name = "execplan_ls" }) > 0
end, 50), "execplan_ls attaches to a plan through lsp/execplan_ls.lua")
local client = vim.lsp.get_clients({ bufnr = buf, name = "execplan_ls" })[1]

-- 1. The known defect arrives as a diagnostic.
local found
check(vim.wait(TIMEOUT, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == "EP101" and d.message:find("Decision Log", 1, true) then
      found = d
      return true
    end
  end
  return false
end, 50), "EP101 (missing Decision Log) is shown through vim.diagnostic.get")
check(found.lnum == 0 and found.severity == vim.diagnostic.severity.ERROR, "on line 1, as an error")

-- 2. Completion after "## " offers the missing section.
local last = vim.api.nvim_buf_line_count(buf)
vim.api.nvim_buf_set_lines(buf, last, last, false, { "", "## " })
local params = {
  textDocument = vim.lsp.util.make_text_document_params(buf),
  position = { line = last + 1, character = 3 },
}
local answer = client:request_sync("textDocument/completion", params, TIMEOUT, buf)
check(answer and not answer.err, "completion answers")
local items = answer.result and (answer.result.items or answer.result) or {}
local labels = {}
for _, item in ipairs(items) do
  labels[#labels + 1] = item.label
end
check(vim.tbl_contains(labels, "## Decision Log"), "completion after '## ' offers '## Decision Log' (got: " .. table.concat(labels, ", ") .. ")")
check(not vim.tbl_contains(labels, "## Progress"), "and not a section the plan has")
vim.api.nvim_buf_set_lines(buf, last, last + 2, false, {})

-- 3. "Mark done" through the keymap's function stamps the item.
local row
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if line == "- [ ] Measure the hit rate." then
    row = i
  end
end
check(row ~= nil, "the unchecked item is in the plan")
vim.api.nvim_win_set_cursor(0, { row, 8 })
local mapped = vim.fn.maparg("<leader>pd", "n", false, true)
check(mapped.callback ~= nil, "the <leader>pd keymap is set on attach")
mapped.callback()
local line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
check(
  line:match("^%- %[x%] %(%d%d%d%d%-%d%d%-%d%d %d%d:%d%dZ%) Measure the hit rate%.$") ~= nil,
  "Mark done checks the item and stamps it: " .. line
)

vim.cmd("qa!")
