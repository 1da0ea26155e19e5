// Splits a command line (the passcmd option) into argv with POSIX shell quoting: 'single',
// "double" (with \" \\ \$ \` escapes and $VAR), backslash escapes, $VAR / ${VAR} and a leading ~.
// The command is then run WITHOUT a shell, so pipes, redirections, ; & and $(...) are refused
// with a clear message instead of being passed on as strange arguments. It never runs anything.

export type SplitResult = { ok: true; argv: string[] } | { ok: false; error: string };

const OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`']);

export function splitCommandLine(cmd: string, ctx: { env: NodeJS.ProcessEnv; home: string }): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false; // a word has started (also true for an empty quoted word like "")
  let i = 0;
  const fail = (error: string): SplitResult => ({ ok: false, error });
  const readVar = (): string | undefined => {
    // at s[i] === '$'
    const rest = cmd.slice(i + 1);
    const braced = /^\{(\w+)\}/.exec(rest);
    const plain = /^\w+/.exec(rest);
    if (braced) { i += 1 + braced[0].length; return ctx.env[braced[1]!] ?? ''; }
    if (plain) { i += 1 + plain[0].length; return ctx.env[plain[0]] ?? ''; }
    return undefined;
  };
  while (i < cmd.length) {
    const c = cmd[i]!;
    if (/\s/.test(c)) {
      if (inWord) { argv.push(word); word = ''; inWord = false; }
      i++;
    } else if (c === '\'') {
      const close = cmd.indexOf('\'', i + 1);
      if (close < 0) return fail('a \' quote is not closed');
      word += cmd.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= cmd.length) return fail('a " quote is not closed');
        const d = cmd[i]!;
        if (d === '"') { i++; break; }
        if (d === '\\' && i + 1 < cmd.length && '"\\$`\n'.includes(cmd[i + 1]!)) {
          if (cmd[i + 1] !== '\n') word += cmd[i + 1];
          i += 2;
        } else if (d === '$' && cmd[i + 1] === '(') {
          return fail('command substitution $(...) needs a shell; passcmd runs without one. Put the command in a script, or use passcmd = sh -c \'...\'');
        } else if (d === '$') {
          const v = readVar();
          if (v === undefined) { word += '$'; i++; } else word += v;
        } else if (d === '`') {
          return fail('command substitution `...` needs a shell; passcmd runs without one. Put the command in a script, or use passcmd = sh -c \'...\'');
        } else {
          word += d;
          i++;
        }
      }
    } else if (c === '\\') {
      if (i + 1 >= cmd.length) return fail('the command ends with a lone backslash');
      if (cmd[i + 1] !== '\n') { word += cmd[i + 1]; inWord = true; }
      i += 2;
    } else if (c === '$' && cmd[i + 1] === '(') {
      return fail('command substitution $(...) needs a shell; passcmd runs without one. Put the command in a script, or use passcmd = sh -c \'...\'');
    } else if (c === '$') {
      const v = readVar();
      if (v === undefined) { word += '$'; i++; } else word += v;
      inWord = true;
    } else if (OPERATORS.has(c)) {
      return fail(`'${c}' is shell syntax, but passcmd runs without a shell. Quote it if it is a plain character, put the command in a script, or use passcmd = sh -c '...'`);
    } else if (c === '~' && !inWord && /^~(?=\/|\s|$)/.test(cmd.slice(i))) {
      word += ctx.home.replace(/\/+$/, '');
      inWord = true;
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) argv.push(word);
  if (argv.length === 0 || argv[0] === '') return fail('the command is empty');
  return { ok: true, argv };
}
