-- Run by tests/lsp_neovim.rs in a headless Neovim (0.7 and newer) with the
-- shipped `editors/neovim` setup, on a copy of the shipped rules folder:
-- open `redis.graft`, type a typo into a rule's service name, see the
-- diagnostic with its did-you-mean quick fix (timed), undo, and see it
-- clear. The exit status is the result: `cquit` on any failure.

local common = dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")
local fail = common.fail

common.run(function()
  local buf, client = common.open(os.getenv("GRAFT_RULE_FILE"))
  if not buf then
    return
  end
  -- The server has read the document once it answers a request about it.
  local symbols = client.request_sync("textDocument/documentSymbol", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
  }, 10000, buf)
  if not symbols or symbols.err then
    return fail("no document symbols: " .. vim.inspect(symbols))
  end
  vim.wait(500, function() return false end, 10)
  if #vim.diagnostic.get(buf) ~= 0 then
    return fail("the shipped rules have diagnostics: " .. vim.inspect(vim.diagnostic.get(buf)))
  end

  -- The typo, typed into the rule's header.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local at
  for i, line in ipairs(lines) do
    if line:find("^when redis is provided") then
      at = i - 1
      break
    end
  end
  if not at then
    return fail("no `when redis is provided` line in redis.graft")
  end
  local typed = lines[at + 1]:gsub("^when redis", "when rediss")
  local started = vim.loop.hrtime()
  vim.api.nvim_buf_set_lines(buf, at, at + 1, false, { typed })
  if not vim.wait(5000, function() return #vim.diagnostic.get(buf) > 0 end, 2) then
    return fail("no diagnostic within 5 s of the typo")
  end
  local elapsed = (vim.loop.hrtime() - started) / 1e6
  local d = vim.diagnostic.get(buf)[1]
  if not d.message:find("did you mean `redis`", 1, true) or d.lnum ~= at then
    return fail("unexpected diagnostic: " .. vim.inspect(d))
  end
  io.stdout:write(string.format("diagnostic %.0f ms after the typo\n", elapsed))
  if elapsed > 2000 then
    return fail(string.format("the diagnostic took %.0f ms", elapsed))
  end
  local actions = common.quick_fixes(client, buf, at, 5, 11)
  if not actions then
    return
  end
  if actions[1].title ~= "replace with `redis`" then
    return fail("no did-you-mean quick fix: " .. vim.inspect(actions))
  end

  -- Undone: the diagnostic clears.
  vim.cmd("undo")
  if vim.api.nvim_buf_get_lines(buf, at, at + 1, false)[1] ~= lines[at + 1] then
    return fail("undo did not restore the line")
  end
  if not vim.wait(5000, function() return #vim.diagnostic.get(buf) == 0 end, 2) then
    return fail("the diagnostic did not clear after undo")
  end
  vim.cmd("qa!")
end)
