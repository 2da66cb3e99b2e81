import { hostApi, hostUrl } from '../host.js';

export { DEMO_PASSWORD, signOut, submitSignIn as signIn } from '../host.js';

export const BASE_URL = hostUrl('identity');

export const { callApi, callOk, apiSession } = hostApi(BASE_URL);

/** Unique per run, so journeys never trip over each other's users (the host is shared). */
export function uniqueUsername(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, '0')}`;
}

interface UserSummary {
  id: string;
  username: string;
  version: number;
}

/**
 * A user with a password of our choosing, made the way a clinic would: the administrator creates
 * them (temporary password), then they sign in and choose their own.
 */
export async function createUserWithPassword(options: { username: string; displayName: string; role: string; password: string }): Promise<UserSummary> {
  const admin = await apiSession('admin');
  try {
    const roles = await callOk<{ id: string; name: string }[]>(admin, 'roles.list');
    const role = roles.find((entry) => entry.name === options.role);
    if (!role) throw new Error(`No role ${options.role}`);
    const created = await callOk<{ user: UserSummary; temporaryPassword: string }>(admin, 'users.create', {
      username: options.username,
      displayName: options.displayName,
      roleId: role.id,
    });
    const person = await apiSession(options.username, created.temporaryPassword);
    await callOk(person, 'auth.changePassword', { currentPassword: created.temporaryPassword, newPassword: options.password });
    await person.dispose();
    return created.user;
  } finally {
    await admin.dispose();
  }
}
