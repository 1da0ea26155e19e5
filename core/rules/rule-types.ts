// The folder-rule format: plain JSON data that the config loader compiles from OfflineIMAP
// lambdas and the desktop GUI stores and edits. A filter is a tree of tests on a folder name;
// a nametrans is a pipeline of steps. Regex patterns and replacements keep Python `re` syntax
// (py-regex.ts translates them). Nothing here is ever executable code.

/** One step of a name pipeline; steps run in order on the folder name. */
export type NameStep =
  | { op: 'lower' }
  | { op: 'upper' }
  /** str.capitalize(): the first character upper case, the rest lower case. */
  | { op: 'capitalize' }
  /** str.replace(from, to[, count]); no count = every occurrence. */
  | { op: 'replace'; from: string; to: string; count?: number }
  /** re.sub(pattern, replacement, name[, count][, flags=re.I]); Python syntax in both. */
  | { op: 'sub'; pattern: string; replacement: string; count?: number; ignoreCase?: boolean }
  | { op: 'addPrefix'; value: string }
  | { op: 'addSuffix'; value: string }
  /** name[start:end], Python slice semantics (negative counts from the end). */
  | { op: 'slice'; start?: number; end?: number }
  /** dict.get(name, name): names in the table are replaced, others kept. */
  | { op: 'map'; table: Record<string, string> }
  /** A constant name (a branch like `'INBOX' if f == 'INBOX' else ...`). */
  | { op: 'set'; value: string }
  /** `A if test else B`: runs `then` or `else` on the current name. */
  | { op: 'if'; test: FilterRule; then: NameStep[]; else: NameStep[] };

/** Leaves may first transform the name (e.g. `foldername.lower() in [...]`). */
interface Leaf { apply?: NameStep[] }

export type FilterRule =
  | { op: 'all'; of: FilterRule[] }
  | { op: 'any'; of: FilterRule[] }
  | { op: 'not'; of: FilterRule }
  | { op: 'const'; value: boolean }
  | (Leaf & { op: 'in'; values: string[] })
  | (Leaf & { op: 'equals'; value: string })
  /** `name in 'some string'`: the name is a substring of value (Python's `in` on a string). */
  | (Leaf & { op: 'substringOf'; value: string })
  /** `'text' in name` */
  | (Leaf & { op: 'contains'; value: string })
  | (Leaf & { op: 'startsWith'; values: string[] })
  | (Leaf & { op: 'endsWith'; values: string[] })
  /** re.search / re.match / re.fullmatch with a Python pattern. */
  | (Leaf & { op: 'regex'; mode: 'search' | 'match' | 'fullmatch'; pattern: string; ignoreCase?: boolean });

/** foldersort: the order folders are synced in. */
export type SortRule = { op: 'name'; descending?: boolean; ignoreCase?: boolean; first?: string[] };

/** The compiled rules of one repository, next to the sources they came from. */
export interface RepositoryRules {
  folderfilter?: FilterRule;
  nametrans?: NameStep[];
  foldersort?: SortRule;
}
