// Entry point of `satchel` (bin/satchel imports the compiled copy of this file).
import { main } from './cli.js';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`satchel: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
