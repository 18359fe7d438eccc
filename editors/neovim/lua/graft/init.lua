-- graft for Neovim's built-in LSP client (Neovim 0.7 and newer).
--
--   require("graft").setup()                        -- `graft` on $PATH
--   require("graft").setup({ cmd = { "/path/to/graft", "lsp" } })
--
-- Every buffer of filetype `graft` is attached to one `graft lsp` per rules
-- folder (the folder of the file).

local M = {}

local defaults = {
  cmd = { "graft", "lsp" },
}

-- One client per rules folder.
local clients = {}

local function attach(options, buf)
  local file = vim.api.nvim_buf_get_name(buf)
  if file == "" then
    return
  end
  local root = vim.fn.fnamemodify(file, ":p:h")
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = "graft",
      cmd = options.cmd,
      root_dir = root,
      on_exit = function()
        clients[root] = nil
      end,
    })
    if id == nil then
      vim.notify("graft: could not start " .. table.concat(options.cmd, " "), vim.log.levels.ERROR)
      return
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(buf, id)
end

function M.setup(user)
  local options = vim.tbl_deep_extend("force", defaults, user or {})
  vim.cmd("autocmd BufRead,BufNewFile *.graft setfiletype graft")
  local group = vim.api.nvim_create_augroup("graft", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "graft",
    callback = function(args)
      attach(options, args.buf)
    end,
  })
  -- Buffers already open.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].filetype == "graft" then
      attach(options, buf)
    end
  end
end

return M
