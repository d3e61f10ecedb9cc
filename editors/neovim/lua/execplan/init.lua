-- Optional helpers for execplan-ls in Neovim: keymaps for the plan actions
-- and a :ExecPlanNew command.
--
--   require("execplan").setup({ keymaps = true })
local M = {}

local CLIENT = "execplan_ls"

--- Runs the execplan-ls code action at the cursor whose title starts with
--- `prefix` ("Mark done", "Add Decision Log entry", ...). Returns true when
--- one was applied.
---@param prefix string
---@param bufnr integer|nil
---@return boolean
function M.apply_action(prefix, bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = CLIENT })[1]
  if not client then
    vim.notify("execplan-ls is not attached to this buffer", vim.log.levels.WARN)
    return false
  end
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {}, only = { "refactor.rewrite" } }
  local answer = client:request_sync("textDocument/codeAction", params, 3000, bufnr)
  if not answer or answer.err then
    vim.notify("execplan-ls did not answer: " .. vim.inspect(answer and answer.err), vim.log.levels.ERROR)
    return false
  end
  for _, action in ipairs(answer.result or {}) do
    if action.title:sub(1, #prefix) == prefix and action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
      return true
    end
  end
  vim.notify("No \"" .. prefix .. "\" action here", vim.log.levels.INFO)
  return false
end

function M.mark_done()
  return M.apply_action("Mark done")
end

function M.add_decision()
  return M.apply_action("Add Decision Log entry")
end

function M.add_surprise()
  return M.apply_action("Add Surprises & Discoveries entry")
end

--- Writes a new plan with `execplan-ls new` and opens it.
---@param title string
function M.new_plan(title)
  local result = vim.system({ "execplan-ls", "new", title }, { text = true }):wait()
  if result.code ~= 0 then
    vim.notify(vim.trim(result.stderr or "execplan-ls new failed"), vim.log.levels.ERROR)
    return
  end
  vim.cmd.edit(vim.fn.fnameescape(vim.trim(result.stdout)))
end

---@class execplan.Options
---@field keymaps boolean|nil  add buffer-local keymaps when execplan-ls attaches (default true)
---@field prefix string|nil    the keymap prefix (default "<leader>p")

---@param opts execplan.Options|nil
function M.setup(opts)
  opts = vim.tbl_extend("force", { keymaps = true, prefix = "<leader>p" }, opts or {})
  vim.api.nvim_create_user_command("ExecPlanNew", function(args)
    M.new_plan(args.args)
  end, { nargs = 1, desc = "Write a new ExecPlan with this title" })
  if not opts.keymaps then
    return
  end
  vim.api.nvim_create_autocmd("LspAttach", {
    group = vim.api.nvim_create_augroup("execplan_keymaps", { clear = true }),
    callback = function(event)
      local client = vim.lsp.get_client_by_id(event.data.client_id)
      if not client or client.name ~= CLIENT then
        return
      end
      local function map(keys, fn, desc)
        vim.keymap.set("n", opts.prefix .. keys, fn, { buffer = event.buf, desc = desc })
      end
      map("d", M.mark_done, "ExecPlan: mark Progress item done")
      map("l", M.add_decision, "ExecPlan: add Decision Log entry")
      map("s", M.add_surprise, "ExecPlan: add Surprises entry")
    end,
  })
end

return M
