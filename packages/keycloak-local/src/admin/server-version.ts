import { z } from 'zod';
import type { KeycloakAdmin } from './connect-admin.js';

const serverInfoSchema = z.object({ systemInfo: z.object({ version: z.string() }) });

/**
 * The version the server reports (`GET /admin/serverinfo`), e.g. `26.7.3`.
 *
 * @example
 * ```ts
 * await serverVersion(admin); // '26.7.3'
 * ```
 */
export async function serverVersion(admin: KeycloakAdmin): Promise<string> {
  const info = await admin.get('/serverinfo', serverInfoSchema);
  return info.systemInfo.version;
}
