import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's migrations/ folder, for the host, the command-line tools and the tests. */
export const REPO_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Where Electron keeps userData for this app, so the host and the desktop app share a clinic. */
export function defaultDataDir(folder = 'Asclepia'): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), folder);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', folder);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), folder);
}
