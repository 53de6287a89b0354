// Users, kept in one JSON file under HEAT_DATA_DIR (auth/users.json, mode 0600) with scrypt
// hashes only, never a password. Writes replace the file atomically (temp file, fsync, rename), so
// a crash leaves the old or the new file, never half of one. The file is small (dozens of users).
//
// Lifecycle: open() once at start (reads the file, or starts empty), then get/list/put from the
// auth service; one process owns the file.

import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { HeatError } from '../domain/errors';
import { ROLES, type Role } from './roles';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export interface StoredUser {
  /** Lower case; the login name. */
  readonly username: string;
  readonly role: Role;
  /** For role crew: the network's crew id (stations with `crew` = this id). */
  readonly crewId?: string;
  readonly passwordHash: string;
  readonly disabled: boolean;
  /** A generated password must be replaced; the UI asks for a new one. */
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const UserSchema = z.object({
  username: z.string().regex(USERNAME_PATTERN),
  role: z.enum(ROLES),
  crewId: z.string().min(1).optional(),
  passwordHash: z.string().min(1),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const FileSchema = z.object({ version: z.literal(1), users: z.array(UserSchema) });

export class UserStore {
  private users = new Map<string, StoredUser>();

  constructor(readonly path: string) {}

  /** Reads the file; a missing file is an empty store, a damaged one an error (never silently empty). */
  async open(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HeatError('CONFIG_INVALID', `${this.path}: not valid JSON; fix or remove it (removing it seeds a new admin)`);
    }
    const r = FileSchema.safeParse(raw);
    if (!r.success) throw new HeatError('CONFIG_INVALID', `${this.path}: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    this.users = new Map(r.data.users.map((u) => [u.username, u]));
  }

  get size(): number {
    return this.users.size;
  }

  get(username: string): StoredUser | undefined {
    return this.users.get(username.toLowerCase());
  }

  list(): StoredUser[] {
    return [...this.users.values()].sort((a, b) => a.username.localeCompare(b.username));
  }

  /** Creates or replaces a user and writes the file before resolving. */
  async put(user: StoredUser): Promise<void> {
    const next = new Map(this.users);
    next.set(user.username, user);
    await this.write(next);
    this.users = next;
  }

  private async write(users: Map<string, StoredUser>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const h = await open(tmp, 'w', 0o600);
    try {
      await h.writeFile(JSON.stringify({ version: 1, users: [...users.values()] }, null, 2));
      await h.sync();
    } finally {
      await h.close();
    }
    await rename(tmp, this.path);
  }
}
