import type { Role } from './schemas.js';

/** Who is acting: a console or API user, or the operator at the command line (with the admin role). */
export interface Actor {
  name: string;
  role: Role;
}
