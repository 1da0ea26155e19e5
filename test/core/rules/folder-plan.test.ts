// The folder plan from real folder lists and rules: filters on both sides, folderincludes,
// -f, nametrans forward and the derived reverse (table, symbolic inverse, parent + leaf), a
// written local nametrans checked against the remote one, collisions and round-trip failures.

import { describe, it, expect } from 'vitest';
import { planFolders, previewFolders, type FolderPlanInput } from '../../../core/sync/folder-plan.js';
import { translateFilter, translateNametrans } from '../../../core/rules/translate.js';
import { invertSteps } from '../../../core/rules/inverse.js';
import { applySteps } from '../../../core/rules/evaluate.js';

const gmailNt = translateNametrans(`lambda foldername: re.sub('^\\[gmail\\]', 'bak', re.sub('sent_mail', 'sent',
  re.sub('starred', 'flagged', re.sub(' ', '_', foldername.lower()))))`);
const base = (extra: Partial<FolderPlanInput>): FolderPlanInput => ({ farNames: [], nearNames: [], farSep: '/', nearSep: '.', ...extra });
const brief = (input: FolderPlanInput) => planFolders(input).map((r) => `${r.farName} -> ${r.nearName}${r.synced ? '' : r.problem ? ` !${r.problem.code}` : ` (${r.reason})`}`);

describe('filters and includes', () => {
  it('remote filter on server names, local filter on local names, includes always in', () => {
    const rows = brief(base({
      farNames: ['INBOX', 'Spam', 'Lists/debian', 'Archive'],
      nearNames: ['INBOX', 'Local.Notes', 'Scratch'],
      remote: { filter: translateFilter("lambda f: f not in ['Spam', 'Archive']"), includes: ['Archive'], filterLabel: 'R' },
      local: { filter: translateFilter("lambda f: not f.startswith('Lists')"), filterLabel: 'L' },
    }));
    expect(rows).toEqual([
      'INBOX -> INBOX',
      'Spam -> Spam (filtered by the remote folderfilter (R))',
      'Lists/debian -> Lists.debian (filtered by the local folderfilter (L))',
      'Archive -> Archive',
      'Local/Notes -> Local.Notes',
      'Scratch -> Scratch',
    ]);
  });

  it('a local folder whose server twin is filtered is neither uploaded nor created', () => {
    const rows = brief(base({
      farNames: ['INBOX', 'Trash'], nearNames: ['INBOX', 'Trash', 'Junk'],
      remote: { filter: translateFilter("lambda f: f not in ['Trash', 'Junk']") },
    }));
    expect(rows).toEqual(['INBOX -> INBOX', 'Trash -> Trash (filtered by the remote folderfilter)', 'Junk -> Junk (would be filtered out on the server by the remote folderfilter)']);
  });

  it('-f takes exact untranslated server names and replaces the remote filter and includes', () => {
    const rows = brief(base({
      farNames: ['INBOX.Sent', 'INBOX.Spam'], nearNames: ['New'], farSep: '.', nearSep: '/', onlyFolders: ['INBOX.Spam'],
      remote: { filter: translateFilter("lambda f: f != 'INBOX.Spam'"), nametrans: translateNametrans("lambda f: re.sub('^INBOX\\.', '', f)"), includes: ['INBOX.Sent'] },
    }));
    expect(rows).toEqual(['INBOX.Sent -> Sent (not selected with -f)', 'INBOX.Spam -> Spam', 'INBOX.New -> New (would be filtered out on the server (not selected with -f))']);
  });
});

describe('nametrans both ways', () => {
  it('the Gmail rule: the reverse comes from the real server names, and a new local folder goes under its parent', () => {
    const input = base({
      farNames: ['INBOX', '[Gmail]/Sent Mail', '[Gmail]/Starred', 'Work Stuff'], farAllNames: ['[Gmail]'],
      nearNames: ['inbox', 'bak.sent', 'bak.Projects', 'new_local'],
      remote: { nametrans: gmailNt, nametransLabel: 'N' },
    });
    expect(brief(input)).toEqual([
      'INBOX -> inbox', '[Gmail]/Sent Mail -> bak.sent', '[Gmail]/Starred -> bak.flagged', 'Work Stuff -> work_stuff',
      // bak.Projects: lower() cannot give capitals, so no server name maps back to it.
      ' -> bak.Projects !folder-name-round-trip',
      'new_local -> new_local',
    ]);
    const ok = planFolders({ ...input, nearNames: ['bak.projects'] }).find((r) => r.nearName === 'bak.projects')!;
    expect(ok).toMatchObject({ farName: '[Gmail]/projects', synced: true, onFar: false, onNear: true });
  });

  it('Courier INBOX. strip: a new local folder goes up under INBOX. (symbolic inverse)', () => {
    const steps = translateNametrans("lambda f: re.sub('^INBOX\\.', '', f)");
    expect(applySteps(invertSteps(steps), 'Projects')).toBe('INBOX.Projects');
    expect(brief(base({ farNames: ['INBOX', 'INBOX.Sent'], nearNames: ['INBOX', 'Sent', 'Projects/2025'], farSep: '.', nearSep: '/', remote: { nametrans: steps } })))
      .toEqual(['INBOX -> INBOX', 'INBOX.Sent -> Sent', 'INBOX.Projects.2025 -> Projects/2025']);
  });

  it('a written local nametrans that reverses the remote one is used; one that does not is reported on existing pairs and stops the folders it would create', () => {
    const remote = { nametrans: translateNametrans("lambda f: f.replace('BAR', 'bar')"), nametransLabel: 'RN' };
    const good = { nametrans: translateNametrans("lambda f: f.replace('bar', 'BAR')") };
    expect(brief(base({ farNames: ['BAR', 'x'], nearNames: ['foo'], remote, local: good }))).toEqual(['BAR -> bar', 'x -> x', 'foo -> foo']);
    const bad = { nametrans: translateNametrans("lambda f: 'INBOX.' + f"), nametransLabel: 'LN' };
    const rows = planFolders(base({ farNames: ['BAR'], nearNames: ['new'], remote, local: bad }));
    // The local rule's result is a local name: its '.' becomes the server's '/'.
    // An existing pair is synced by the remote rule; the wrong local rule is reported, not fatal.
    expect(rows[0]!.synced).toBe(true);
    expect(rows[0]!.problem).toBeUndefined();
    expect(rows[0]!.warning).toBe('The local nametrans (LN) turns "bar" into "INBOX/bar"' +
      ', but that local folder comes from the server folder "BAR" (RN). Satchel syncs the two (it pairs folders by the remote rule), but OfflineIMAP would create a new server folder for it: make the local nametrans the exact reverse of the remote one, or remove it (Satchel derives the reverse).');
    expect(rows[1]!.problem?.message).toBe('The local folder "new" would be created on the server as "INBOX/new", which comes back as "INBOX.new" (RN): that would create folders without end. Not created: make the nametrans rules reverse each other, or exclude the folder with folderfilter.');
    // Without folder creation on the server the local rule is never used, so it is not checked.
    expect(planFolders(base({ farNames: ['BAR'], nearNames: [], remote, local: bad, createOnFar: false }))[0]!.warning).toBeUndefined();
  });

  it('two server folders mapping to one local name are both stopped, and of two local folders going up under one server name only the one that maps back goes', () => {
    const lower = { nametrans: translateNametrans('lambda f: f.lower()'), nametransLabel: 'lambda f: f.lower()' };
    const rows = planFolders(base({ farNames: ['Sent', 'SENT', 'INBOX'], nearNames: [], remote: lower }));
    expect(rows.map((r) => r.synced)).toEqual([false, false, true]);
    expect(rows[0]!.problem).toEqual({ code: 'folder-name-collision', message: 'The server folders "SENT" and "Sent" would all be stored locally as "sent" (lambda f: f.lower()). They are not synced; exclude all but one with folderfilter, change the nametrans, or rename one on the server.' });
    const up = { nametrans: translateNametrans("lambda f: f.replace('old_', '')") };
    const local = { nametrans: translateNametrans("lambda f: f.replace('old_', '')") };
    const r2 = planFolders(base({ farNames: [], nearNames: ['old_a', 'a'], remote: up, local }));
    // "old_a" and "a" would both go up as "a"; "old_a" cannot come back, so it is the one stopped.
    expect(r2.map((r) => `${r.nearName}:${r.farName}:${r.problem?.code ?? 'ok'}`)).toEqual(['old_a:a:folder-name-round-trip', 'a:a:ok']);
  });

  it('previewFolders: remote -> local rows for --info and the GUI', () => {
    expect(previewFolders(base({ farNames: ['INBOX', 'Spam'], nearNames: ['Notes'], remote: { filter: translateFilter("lambda f: f != 'Spam'") } }))).toEqual([
      { remote: 'INBOX', local: 'INBOX', synced: true, exists: 'remote' },
      { remote: 'Spam', local: 'Spam', synced: false, exists: 'remote', reason: 'filtered by the remote folderfilter' },
      { remote: 'Notes', local: 'Notes', synced: true, exists: 'local' },
    ]);
  });
});
