// cchc_studio: decap-server (the pinned npm package) listening on a Unix domain socket.
//
// decap-server's own entry point (dist/index.js) only listens on a TCP port, where any local
// web page can reach it (it answers CORS for every loopback origin and checks no Host header).
// Its package also exports the middlewares that entry point registers (dist/middlewares.js:
// registerLocalFs, registerLocalGit), so this file builds the same express app and listens on
// a socket path instead, inside a folder only this user can open (studio.py makes it 0700).
// Browsers cannot open Unix sockets: the only way in is the editor's own server (editor.py),
// which forwards the requests it has vetted.
//
//   node backend.js <decap-server package folder> <socket path> <fs|git>
// The repository is GIT_REPO_DIRECTORY, as for decap-server itself. "ready" on stdout once
// the socket listens.
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const [serverDir, socketPath, mode] = process.argv.slice(2);
// express is decap-server's dependency: resolve it (and the middlewares) from that package.
const fromServer = createRequire(path.join(path.resolve(serverDir), "package.json"));
const express = fromServer("express");
const { registerLocalFs, registerLocalGit } = fromServer("./dist/middlewares");

async function main() {
  const app = express();
  app.disable("x-powered-by");
  const register = mode === "git" ? registerLocalGit : registerLocalFs;
  await register(app, { logLevel: process.env.LOG_LEVEL || "error" });
  const server = app.listen(socketPath, () => {
    fs.chmodSync(socketPath, 0o600);
    process.stdout.write("ready\n");
  });
  server.on("error", (err) => {
    process.stderr.write(`decap-server: ${err.message}\n`);
    process.exit(1);
  });
}

main().catch((err) => {
  process.stderr.write(`decap-server: ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
