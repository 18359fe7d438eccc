// Starts `graft lsp` for `.graft` files, through VS Code's language client.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(_context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace
    .getConfiguration("graft")
    .get<string>("path", "graft");
  const server: ServerOptions = { command, args: ["lsp"] };
  const options: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "graft" }],
    middleware: {
      // The live preview's command answers with the plan and the rewrite
      // diff: shown beside the rules, as a diff.
      executeCommand: async (name, args, next) => {
        const shown = await next(name, args);
        if (name === "graft.showPlan" && shown && typeof shown.plan === "string") {
          const doc = await vscode.workspace.openTextDocument({
            content: `${shown.plan}\n${shown.diff ?? ""}`,
            language: "diff",
          });
          await vscode.window.showTextDocument(doc, {
            preview: true,
            viewColumn: vscode.ViewColumn.Beside,
          });
        }
        return shown;
      },
    },
  };
  client = new LanguageClient("graft", "graft", server, options);
  try {
    await client.start();
  } catch (e) {
    void vscode.window.showErrorMessage(
      `graft: could not start \`${command} lsp\` (${String(e)}); set graft.path to the graft binary`,
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
