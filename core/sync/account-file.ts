// The CLI's AccountStore (issue 17, "Accounts"): `<home>/account.json`, readable by its owner only. Written atomically
// (temp beside it with mode 0600, fsync, rename) and its mode checked after the write; a file that group or others
// can read is refused on read with a clear message (a credential someone else could have copied). The desktop passes
// its own keychain-backed store: nothing else in sync assumes a file.
import { chmod, mkdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { CoreError, errorMessage } from '../errors.js';
import { syncDir, tempBeside, writeNewFile } from '../fs/atomic.js';
import type { Account, AccountStore } from './types.js';

export const ACCOUNT_FILE = 'account.json';
const OWNER_ONLY = 0o600;
/** Windows has no POSIX modes: the file sits in the user's profile, whose ACL is the user's. */
const CHECKS_MODE = process.platform !== 'win32';

const text = z.string().check(z.minLength(1), z.maxLength(8192));
const credential = z.discriminatedUnion('scheme', [
  z.object({ scheme: z.literal('password'), email: text, accessToken: text, refreshToken: text }),
  z.object({ scheme: z.literal('api-key'), key: text }),
  z.object({ scheme: z.literal('hmac'), keyId: text, secret: text }),
  z.object({ scheme: z.literal('jwt'), kid: text, secret: text }),
]);
const accountSchema = z.object({
  serverUrl: z.url(),
  credential,
  user: z.object({ email: z.optional(z.string()), tenantId: z.optional(z.string()), role: z.optional(z.string()) }),
  capabilities: z.array(z.string()),
});

const groupOrOthers = (mode: number) => CHECKS_MODE && (mode & 0o077) !== 0;
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(3, '0');

export function fileAccountStore(home: string): AccountStore {
  const path = join(home, ACCOUNT_FILE);
  return {
    async read(): Promise<Account | null> {
      const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw new CoreError('INPUT_UNREADABLE', `cannot read ${path}: ${errorMessage(err)}`, { cause: err });
      });
      if (info === null) return null;
      if (groupOrOthers(info.mode))
        throw new CoreError(
          'INPUT_UNREADABLE',
          `${path} holds a credential but other users can read it (mode ${octal(info.mode)}); it is not used. ` +
            `Sign in again (sealdesk account login), or make it private with chmod 600 if nobody else could copy it.`,
        );
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(path, 'utf8'));
      } catch (err) {
        throw new CoreError('INPUT_UNREADABLE', `cannot read ${path}: ${errorMessage(err)}`, { cause: err });
      }
      const parsed = accountSchema.safeParse(raw);
      if (!parsed.success)
        throw new CoreError('INPUT_UNREADABLE', `${path} is not a Sealdesk account file; sign in again`);
      return parsed.data as Account;
    },

    async write(account: Account): Promise<void> {
      await mkdir(home, { recursive: true, mode: 0o700 });
      const temp = tempBeside(path);
      try {
        await writeNewFile(temp, Buffer.from(`${JSON.stringify(account, null, 2)}\n`), OWNER_ONLY);
        await chmod(temp, OWNER_ONLY); // the umask may only narrow 0600; this makes it exact
        await rename(temp, path);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        if (err instanceof CoreError) throw err;
        throw new CoreError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${errorMessage(err)}`, { cause: err });
      }
      await syncDir(home);
      const { mode } = await stat(path);
      if (groupOrOthers(mode)) {
        await unlink(path).catch(() => undefined);
        throw new CoreError('OUTPUT_UNWRITABLE', `${path} came out readable by others (mode ${octal(mode)}); removed`);
      }
    },

    async clear(): Promise<void> {
      await unlink(path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT')
          throw new CoreError('OUTPUT_UNWRITABLE', `cannot remove ${path}: ${errorMessage(err)}`, { cause: err });
      });
      await syncDir(home);
    },
  };
}
