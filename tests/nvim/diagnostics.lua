-- Run by tests/lsp_neovim.rs in a headless Neovim (0.7 and newer), with the
-- built-in LSP client and the shipped `editors/neovim` setup: open a rule file
-- with a typo, wait for its diagnostic, make the server's quick fix in the
-- buffer and wait for the diagnostic to clear, then ask for a rename, a
-- definition, a hover, a completion and formatting. The exit status is the result: `cquit` on any
-- failure.

local common = dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")
local fail = common.fail

common.run(function()
  local buf, client = common.open(os.getenv("GRAFT_RULE_FILE"))
  if not buf then
    return
  end

  -- The typo is reported, where it is, with the did-you-mean.
  local shown = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  if not shown then
    return fail("no diagnostic within 15 s")
  end
  local d = vim.diagnostic.get(buf)[1]
  if not d.message:find("did you mean `redis`", 1, true) then
    return fail("unexpected diagnostic: " .. d.message)
  end
  if d.lnum ~= 7 or d.col ~= 5 or d.end_col ~= 11 then
    return fail(string.format("diagnostic at %d:%d-%d, not 7:5-11", d.lnum, d.col, d.end_col))
  end
  if d.severity ~= vim.diagnostic.severity.ERROR then
    return fail("the typo is not an error")
  end

  local function at(line, character)
    return {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = line, character = character },
    }
  end

  -- The did-you-mean is the server's quick fix: asked for as
  -- `vim.lsp.buf.code_action()` asks (the line's diagnostics, as LSP sent
  -- them), and made in the buffer (not saved) by Neovim itself.
  local actions = common.quick_fixes(client, buf, 7, 5, 11)
  if not actions then
    return
  end
  local action = actions[1]
  if action.title ~= "replace with `redis`" then
    return fail("unexpected quick fix: " .. vim.inspect(action))
  end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
  local fixed = vim.api.nvim_buf_get_lines(buf, 7, 8, false)[1]
  if fixed ~= "when redis is provided as c {" then
    return fail("the quick fix made `" .. fixed .. "`")
  end
  local cleared = vim.wait(15000, function()
    return #vim.diagnostic.get(buf) == 0
  end, 20)
  if not cleared then
    return fail("the diagnostic did not clear after the fix")
  end

  -- Rename an input where a rule reads it (`c.hostname` on line 9): its
  -- declaration in a.graft and this use are both edited.
  local rename_at = at(9, 17)
  rename_at.newName = "address"
  local renamed = client.request_sync("textDocument/rename", rename_at, 10000, buf)
  if not renamed or renamed.err or not renamed.result then
    return fail("no rename: " .. vim.inspect(renamed))
  end
  local files = 0
  for uri, edits in pairs(renamed.result.changes or {}) do
    files = files + 1
    if #edits ~= 1 or edits[1].newText ~= "address" then
      return fail("unexpected rename edits in " .. uri .. ": " .. vim.inspect(edits))
    end
  end
  if files ~= 2 then
    return fail("the rename did not reach both files: " .. vim.inspect(renamed.result))
  end

  -- Go to definition: `when redis` names the service declared in a.graft.
  local definition = client.request_sync("textDocument/definition", at(7, 6), 10000, buf)
  if not definition or definition.err or not definition.result then
    return fail("no definition: " .. vim.inspect(definition))
  end
  local target = definition.result
  if not vim.endswith(target.uri, "/a.graft") or target.range.start.line ~= 0 then
    return fail("definition in the wrong place: " .. vim.inspect(target))
  end

  -- Hover on the matcher's name shows the service's inputs.
  local hover = client.request_sync("textDocument/hover", at(1, 7), 10000, buf)
  if not hover or hover.err or not hover.result then
    return fail("no hover: " .. vim.inspect(hover))
  end
  if not hover.result.contents.value:find("hostname: endpoint", 1, true) then
    return fail("hover does not show the inputs: " .. hover.result.contents.value)
  end

  -- Completion after `c.` (line 9: `  bind host = c.hostname.host`) offers
  -- the service's inputs.
  local completion = client.request_sync("textDocument/completion", at(9, 16), 10000, buf)
  if not completion or completion.err or not completion.result then
    return fail("no completion: " .. vim.inspect(completion))
  end
  local items = completion.result.items or completion.result
  local offered = false
  for _, item in ipairs(items) do
    if item.label == "hostname" then
      offered = true
    end
  end
  if not offered then
    return fail("completion does not offer `hostname`: " .. vim.inspect(items))
  end

  -- Formatting: the request is answered (the buffer is already formatted,
  -- so nothing changes).
  local response = client.request_sync("textDocument/formatting", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    options = { tabSize = 2, insertSpaces = true },
  }, 10000, buf)
  if not response or response.err then
    return fail("formatting failed: " .. vim.inspect(response))
  end
  if #response.result ~= 0 then
    return fail("formatting changed a formatted file: " .. vim.inspect(response.result))
  end
  vim.cmd("qa!")
end)
