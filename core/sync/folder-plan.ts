// Decides which folders an account syncs and under which names, from the folder lists of both
// sides and the repositories' rules: remote folderfilter on server names, local folderfilter on
// local names, folderincludes always in, nametrans both ways (the reverse derived when only the
// remote rule is written), the separator and the modified UTF-7 adoption of folder-map.ts.
// It finds collisions and round-trip failures before anything is created. Pure.

import { applySteps, matches } from '../rules/evaluate.js';
import { deriveReverse } from '../rules/inverse.js';
import type { FilterRule, NameStep } from '../rules/rule-types.js';
import { oneLine } from '../rules/compile-rules.js';
import type { RepositoryConfig } from '../config/model.js';
import { adoptWireForm, farToNear, nearToFar } from './folder-map.js';

export interface SideRules {
  filter?: FilterRule;
  nametrans?: NameStep[];
  includes?: string[];
  /** How the rules are shown in messages, e.g. `nametrans = lambda f: ... (~/.offlineimaprc:12)`. */
  filterLabel?: string;
  nametransLabel?: string;
}

export interface FolderPlanInput {
  /** Selectable server folders. */
  farNames: string[];
  /** Every server folder, \Noselect ones too (they help derive the reverse nametrans). */
  farAllNames?: string[];
  nearNames: string[];
  farSep: string;
  nearSep: string;
  remote?: SideRules;
  local?: SideRules;
  /** -f: exact untranslated server names; replaces the remote filter and its folderincludes. */
  onlyFolders?: string[];
  /** Folders may be created on the server (only then is the local->server direction used). */
  createOnFar?: boolean;
}

export interface FolderRow {
  farName: string;
  nearName: string;
  onFar: boolean;
  onNear: boolean;
  synced: boolean;
  /** Why the folder is left alone (filtered), when not synced and no problem. */
  reason?: string;
  /** A collision or round-trip failure that stops this folder. */
  problem?: { code: 'folder-name-collision' | 'folder-name-round-trip'; message: string };
  /** A rule mistake that does not stop this folder but should be fixed (shown, logged). */
  warning?: string;
}

export function planFolders(input: FolderPlanInput): FolderRow[] {
  const remote = input.remote ?? {}, local = input.local ?? {};
  const { farSep, nearSep } = input;
  const includes = input.onlyFolders ? [] : remote.includes ?? [];
  const farList = uniq([...input.farNames, ...includes]);
  const farAll = new Set([...farList, ...(input.farAllNames ?? [])]);
  const farExists = new Set(input.farNames);
  const nearList = uniq([...input.nearNames, ...(local.includes ?? [])]);
  const nearSet = new Set(nearList);
  const nearExists = new Set(input.nearNames);
  const remoteSync = (r: string) => (input.onlyFolders ? input.onlyFolders.includes(r) : includes.includes(r) || !remote.filter || matches(remote.filter, r));
  const localSync = (l: string) => (local.includes ?? []).includes(l) || !local.filter || matches(local.filter, l);
  const plain = (r: string) => farToNear(applySteps(remote.nametrans, r), farSep, nearSep);
  const forward = (r: string) => adoptWireForm(plain(r), nearSet);
  const reverse = local.nametrans ? (l: string) => nearToFar(applySteps(local.nametrans, l), nearSep, farSep)
    : remote.nametrans ? deriveReverse({ forward: plain, farNames: [...farAll], steps: remote.nametrans, farSep, nearSep })
      : (l: string) => nearToFar(l, nearSep, farSep);
  const nt = remote.nametransLabel ?? local.nametransLabel ?? 'no nametrans, only the separator is mapped';

  const rows: FolderRow[] = [];
  const produced = new Set<string>();
  for (const r of farList) {
    const l = forward(r);
    produced.add(l);
    const row: FolderRow = { farName: r, nearName: l, onFar: farExists.has(r), onNear: nearExists.has(l), synced: true };
    if (!remoteSync(r)) { row.synced = false; row.reason = input.onlyFolders ? 'not selected with -f' : `filtered by the remote folderfilter${label(remote.filterLabel)}`; }
    else if (!localSync(l)) { row.synced = false; row.reason = `filtered by the local folderfilter${label(local.filterLabel)}`; }
    rows.push(row);
  }
  collide(rows.filter((x) => x.synced), (x) => x.nearName, (names, l) =>
    `The server folders ${quoteList(names.map((x) => x.farName).sort())} would all be stored locally as "${l}" (${nt}). They are not synced; exclude all but one with folderfilter, change the nametrans, or rename one on the server.`);

  if (local.nametrans && input.createOnFar !== false) {
    for (const row of rows) {
      if (!row.synced || row.problem) continue;
      const back = reverse(row.nearName);
      // Satchel pairs existing folders by the remote rule, so a wrong local rule cannot create a
      // folder here: it is reported (OfflineIMAP would create "back" on the server), not fatal.
      if (back !== row.farName) {
        row.warning = `The local nametrans${label(local.nametransLabel)} turns "${row.nearName}" into "${back}", but that local folder comes from the server folder "${row.farName}" (${nt}). ` +
          'Satchel syncs the two (it pairs folders by the remote rule), but OfflineIMAP would create a new server folder for it: make the local nametrans the exact reverse of the remote one, or remove it (Satchel derives the reverse).';
      }
    }
  }

  const nearOnly: FolderRow[] = [];
  for (const l of nearList) {
    if (produced.has(l)) continue;
    const r = reverse(l);
    const row: FolderRow = { farName: r ?? '', nearName: l, onFar: false, onNear: nearExists.has(l), synced: true };
    nearOnly.push(row);
    if (!localSync(l)) { row.synced = false; row.reason = `filtered by the local folderfilter${label(local.filterLabel)}`; continue; }
    if (r === undefined) {
      fail(row, 'folder-name-round-trip', `The local folder "${l}" has no server name that ${nt} maps back to it, so it is not uploaded. Rename it, exclude it with a local folderfilter, or write a local nametrans.`);
      continue;
    }
    if (!remoteSync(r)) { row.synced = false; row.reason = farAll.has(r) ? `the server folder "${r}" is filtered` : `would be filtered out on the server${input.onlyFolders ? ' (not selected with -f)' : ` by the remote folderfilter${label(remote.filterLabel)}`}`; row.onFar = farAll.has(r); continue; }
    if (farAll.has(r) && !farList.includes(r)) { row.synced = false; row.onFar = true; row.reason = `the server folder "${r}" cannot hold messages (\\Noselect)`; continue; }
    if (farAll.has(r)) {
      row.onFar = true;
      fail(row, 'folder-name-round-trip', `The local folder "${l}" maps to the server folder "${r}", but that server folder is stored locally as "${forward(r)}" (${nt}). Not synced: fix the nametrans so both directions agree, or rename one of the folders.`);
      continue;
    }
    const back = forward(r);
    if (back !== l) {
      fail(row, 'folder-name-round-trip', `The local folder "${l}" would be created on the server as "${r}", which comes back as "${back}" (${nt}): that would create folders without end. Not created: make the nametrans rules reverse each other, or exclude the folder with folderfilter.`);
    }
  }
  collide(nearOnly.filter((x) => x.synced), (x) => x.farName, (names, r) =>
    `The local folders ${quoteList(names.map((x) => x.nearName).sort())} would all be created on the server as "${r}" (${nt}). They are not uploaded; rename all but one, or exclude them with a local folderfilter.`);
  return [...rows, ...nearOnly];
}

function fail(row: FolderRow, code: NonNullable<FolderRow['problem']>['code'], message: string): void {
  row.synced = false;
  row.problem ??= { code, message };
}

function collide(rows: FolderRow[], key: (r: FolderRow) => string, message: (rows: FolderRow[], k: string) => string): void {
  const groups = new Map<string, FolderRow[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  for (const [k, g] of groups) if (g.length > 1) for (const r of g) fail(r, 'folder-name-collision', message(g, k));
}

const uniq = (xs: string[]) => [...new Set(xs)];
const label = (l: string | undefined) => (l ? ` (${l})` : '');
const quoteList = (names: string[]) => names.map((n) => `"${n}"`).join(' and ');

/** One line of a folder preview, for --info and the GUI's live preview. */
export interface PreviewRow {
  remote: string;
  local: string;
  synced: boolean;
  /** Where the folder exists now. */
  exists: 'both' | 'remote' | 'local';
  reason?: string;
  problem?: string;
  warning?: string;
}

/** The folder mapping as a user sees it: server name -> local name, filtered ones marked. */
export function previewFolders(input: FolderPlanInput): PreviewRow[] {
  return planFolders(input).map((r) => ({
    remote: r.farName, local: r.nearName, synced: r.synced,
    exists: r.onFar && r.onNear ? 'both' : r.onFar ? 'remote' : 'local',
    ...(r.reason ? { reason: r.reason } : {}), ...(r.problem ? { problem: r.problem.message } : {}),
    ...(r.warning ? { warning: r.warning } : {}),
  }));
}

/** The rules of one repository as the planner takes them, with labels naming their source. */
export function sideRulesOf(repo: RepositoryConfig, file?: string): SideRules {
  const at = (line: number | undefined) => (file ? ` (${file}${line ? `:${line}` : ''})` : '');
  return {
    ...(repo.rules?.folderfilter ? { filter: repo.rules.folderfilter } : {}),
    ...(repo.rules?.nametrans ? { nametrans: repo.rules.nametrans } : {}),
    ...(repo.folderincludes ? { includes: repo.folderincludes } : {}),
    ...(repo.rules?.folderfilter ? { filterLabel: repo.folderfilter ? `folderfilter = ${oneLine(repo.folderfilter.source)}${at(repo.folderfilter.line)}` : 'the folderfilter rule' } : {}),
    ...(repo.rules?.nametrans ? { nametransLabel: repo.nametransSource ? `nametrans = ${oneLine(repo.nametransSource)}${at(repo.nametransLine)}` : 'the nametrans rule' } : {}),
  };
}
