// `npm run token -- --role agent --sub a1 [--groups network,l2] [--name "Ann"] [--email a@x] [--expires 12h]`
// The mail gateway's token: `npm run token -- --role gateway --sub mail-gateway` (it may only post to /channels/email).
import { parseArgs } from 'node:util';
import { mintToken } from '../api/http/auth';
import { ROLES, type Role } from '../domain/roles';
import { tokenSecret } from './settings';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    groups: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});

const fail = (message: string): never => {
  console.error(
    `token: ${message}\nusage: npm run token -- --role ${ROLES.join('|')} --sub <user id> [--groups g1,g2] [--name N] [--email E] [--expires 12h]\n` +
      '       npm run token -- --role gateway --sub mail-gateway   (the mail gateway: POST /channels/email only)',
  );
  process.exit(2);
};

const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
if (!values.sub) fail('--sub (the user id) is required');
const secret = tokenSecret() ?? fail('no secret: set AUTH_JWT_SECRET, or run `npm start` once to create the development secret');

const groups = values.groups ? values.groups.split(',').map((g) => g.trim()).filter(Boolean) : undefined;
process.stdout.write(
  `${mintToken({ sub: values.sub!, role: role!, ...(values.name ? { name: values.name } : {}), ...(values.email ? { email: values.email } : {}), ...(groups ? { groups } : {}) }, secret, values.expires as `${number}h`)}\n`,
);
