#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is installed (`electron .`), else — as on
// machines that cannot download it — one line saying so, then browser mode (`satchel ui`) with
// the same arguments. It never downloads anything and never prints a stack trace for this.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/**
 * The Electron executable npm installed (found as the electron package finds it, including its
 * ELECTRON_OVERRIDE_DIST_PATH), or undefined: the package is there even when its binary is not.
 */
function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  const name = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const exe = override ? path.join(override, name ?? 'electron') : name && path.join(dir, 'dist', name);
  return exe && fs.existsSync(exe) ? exe : undefined;
}

const exe = electronBinary();
let child;
if (exe) {
  child = spawn(exe, [root, ...args], { stdio: 'inherit' });
} else {
  process.stderr.write("satchel: Electron's binary is not installed (npm could not download it here); starting browser mode instead (satchel ui)\n");
  child = spawn(process.execPath, [path.join(root, 'bin', 'satchel'), 'ui', ...args], { stdio: 'inherit' });
}
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
