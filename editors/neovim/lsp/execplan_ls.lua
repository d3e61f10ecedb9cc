-- execplan-ls: the ExecPlan language server, in the format nvim-lspconfig uses.
-- With this folder on 'runtimepath' (Neovim 0.11+):
--
--   vim.lsp.enable("execplan_ls")
--
-- Settings are the keys of .execplan.toml (see docs/rules.md), for example
--   vim.lsp.config("execplan_ls", { init_options = { author = "Ada" } })
---@type vim.lsp.Config
return {
  cmd = { "execplan-ls" },
  filetypes = { "markdown" },
  -- Plans live in repositories: the folder with .execplan.toml, else the
  -- repository root. (A flat list works on every Neovim 0.11.)
  root_markers = { ".execplan.toml", ".git" },
  init_options = {},
  settings = {},
}
