// The live preview of the folder-rules editor: compiles the user's folderfilter, nametrans and
// folderincludes (OfflineIMAP's lambda and list forms) with core/rules, reports each field that
// does not compile (invalid regex, unsupported idiom), and plans the server's folders with the
// sync's own planner (folder-plan.ts), marking collisions and local names that cannot map back.
// Pure: it never evaluates the text, touches the disk or talks to the server.

import type { PreviewRequest, PreviewResult, PreviewRow, RuleSources } from '../contract/bridge-contract.js';
import { compileRules, oneLine } from '../rules/compile-rules.js';
import { parsePythonStringList } from '../config/values.js';
import { planFolders, type SideRules } from '../sync/folder-plan.js';

export function previewRules(req: PreviewRequest): PreviewResult {
  const errors: PreviewResult['errors'] = [];
  const src = req.rules;
  const blank = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s);
  const { rules, problems } = compileRules({ folderfilter: blank(src.folderfilter), nametrans: blank(src.nametrans) });
  for (const p of problems) errors.push({ field: p.key as keyof RuleSources, message: p.message });
  const side: SideRules = {};
  if (rules.folderfilter) { side.filter = rules.folderfilter; side.filterLabel = `folderfilter = ${oneLine(src.folderfilter!)}`; }
  if (rules.nametrans) { side.nametrans = rules.nametrans; side.nametransLabel = `nametrans = ${oneLine(src.nametrans!)}`; }
  const inc = blank(src.folderincludes);
  if (inc) {
    const list = parsePythonStringList(inc);
    if (list.ok) side.includes = list.value;
    else errors.push({ field: 'folderincludes', message: `folderincludes: ${list.error}.` });
  }

  const farSep = req.separator || '/';
  const nearSep = req.localSeparator;
  const planned = planFolders({ farNames: req.folders, nearNames: [], farSep, nearSep, remote: side });
  const rows: PreviewRow[] = planned.filter((r) => r.onFar || side.includes?.includes(r.farName)).map((r) => {
    const row: PreviewRow = { remote: r.farName, local: r.nearName, synced: r.synced };
    if (r.reason) row.reason = r.reason;
    if (r.problem) row.problem = r.problem.message;
    else if (r.synced) {
      const why = localNameProblem(r.nearName, r.farName, nearSep);
      if (why) { row.synced = false; row.problem = why; }
    }
    return row;
  });
  return { rows, errors };
}

/** Why a local name cannot be stored as a Maildir folder and read back as the same name. */
function localNameProblem(local: string, remote: string, nearSep: string): string | undefined {
  if (local === '') return `The server folder "${remote}" would get an empty local name. Change the nametrans so it keeps some of the name (e.g. map "${remote}" to "INBOX").`;
  const parts = local.split(nearSep);
  if (parts.some((p) => p === '')) return `The local name "${local}" has an empty part (a leading, trailing or doubled "${nearSep}"), so it would not come back as "${remote}". Change the nametrans.`;
  if (parts.some((p) => p === '.' || p === '..')) return `The local name "${local}" contains "." or ".." as a folder, which a Maildir cannot hold. Change the nametrans.`;
  if (nearSep === '.' && local.includes('/')) return `The local name "${local}" contains "/", which the "." folder layout cannot store, so it would not come back as "${remote}". Replace "/" in the nametrans, or use the "/" layout.`;
  if (/^(cur|new|tmp)$/.test(parts[parts.length - 1]!) && nearSep === '/') return `The local name "${local}" ends in "${parts[parts.length - 1]}", which clashes with a Maildir's own directories. Change the nametrans.`;
  return undefined;
}
