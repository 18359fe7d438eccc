-- What the Neovim scripts share: loaded with `dofile` from beside them.

local M = {}

-- Fails the run: the message on standard error, and exit status 1.
function M.fail(message)
  io.stderr:write("FAIL: " .. message .. "\n")
  vim.cmd("cquit 1")
end

-- The first LSP client attached to a buffer (0.7 keys them by id).
local function attached_client(buf)
  for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
    return client
  end
end

-- Sets up the shipped editor package as a user would, opens `file`, and
-- waits for `graft lsp` to attach: the buffer and the client, or nil after
-- failing.
function M.open(file)
  vim.opt.runtimepath:append(os.getenv("GRAFT_NVIM_PLUGIN"))
  require("graft").setup({ cmd = { os.getenv("GRAFT_BIN"), "lsp" } })
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].filetype ~= "graft" then
    return M.fail("the filetype is `" .. vim.bo[buf].filetype .. "`, not `graft`")
  end
  if not vim.wait(5000, function() return attached_client(buf) ~= nil end, 10) then
    return M.fail("no LSP client attached to the buffer")
  end
  return buf, attached_client(buf)
end

-- The code actions for the diagnostics on `line`, asked for as
-- `vim.lsp.buf.code_action()` asks (the line's diagnostics, as LSP sent
-- them), for the range `first`..`last` of that line; nil after failing.
function M.quick_fixes(client, buf, line, first, last)
  local line_diagnostics
  if vim.lsp.diagnostic.from then
    line_diagnostics = vim.lsp.diagnostic.from(vim.diagnostic.get(buf, { lnum = line }))
  else
    line_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, line)
  end
  local actions = client.request_sync("textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = line, character = first }, ["end"] = { line = line, character = last } },
    context = { diagnostics = line_diagnostics },
  }, 10000, buf)
  if not actions or actions.err or not actions.result or #actions.result == 0 then
    return M.fail("no quick fix: " .. vim.inspect(actions))
  end
  return actions.result
end

-- Runs `body`, failing the run on an error it raises.
function M.run(body)
  local ok, err = pcall(body)
  if not ok then
    M.fail(tostring(err))
  end
end

return M
