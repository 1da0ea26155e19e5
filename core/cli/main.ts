// Entry point of `satchel` (bin/satchel imports the compiled copy of this file).
import v8 from 'node:v8';
import { main } from './cli.js';

// A sync streams hundreds of MB through short-lived buffers; by default V8 grows the young
// generation to 3 x 16 MB for that, which is ~30 MB of peak RSS for no measurable speed (the
// bench's initial sync: 165 -> 140 MB, same wall time). Keep it at its initial size.
v8.setFlagsFromString('--semi-space-growth-factor=1');

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`satchel: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
